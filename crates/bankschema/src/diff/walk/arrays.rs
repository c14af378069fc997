//! Arrays: whether items must be unique, and the `items` schema every item meets.

use super::{Values, Walk};
use serde_json::Value;

impl<'a> Walk<'a> {
    /// `uniqueItems` and `items`.
    pub(super) fn compare_arrays(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let unique = |s: &Value| s.get("uniqueItems") == Some(&Value::Bool(true));
        if unique(old) != unique(new) {
            if unique(new) {
                self.push(
                    "unique-items-added",
                    at,
                    Values::Narrower,
                    "items must now be unique".into(),
                );
            } else {
                self.push(
                    "unique-items-removed",
                    at,
                    Values::Wider,
                    "items need no longer be unique".into(),
                );
            }
        }
        match (old.get("items"), new.get("items")) {
            (Some(a), Some(b)) => self.compare(a, b, &format!("{at}/*")),
            (None, Some(_)) => self.push(
                "items-added",
                at,
                Values::Narrower,
                "an `items` schema now governs every item".into(),
            ),
            (Some(_), None) => self.push(
                "items-removed",
                at,
                Values::Wider,
                "the `items` schema is dropped: any item is allowed".into(),
            ),
            (None, None) => {}
        }
    }
}
