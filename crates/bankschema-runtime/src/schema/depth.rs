//! The limit on nesting the reports keep, held by [`EmbeddedSchema::deserialize`]
//! too: how deep a schema lets a payload's values start ([`outer_depth`]).

use super::EmbeddedSchema;
use crate::text;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;

impl EmbeddedSchema {
    /// `bytes` read into `T`, the generated type of this schema, by serde alone,
    /// unvalidated, under the limit on nesting the reports keep
    /// ([`text::MAX_DEPTH`]).
    ///
    /// serde_json refuses typed levels past its limit, but a value read as any JSON
    /// (`Json`, unknown members, an enum read through a buffer) is read from its
    /// text and counted from 1 again. When the deepest such text plus the deepest
    /// place this schema lets it start could reach the limit, the bytes are scanned
    /// (a count of brackets): a document the reports refuse as too deep is refused
    /// here too. The bound is the schema's, so `T` must be its generated type. A
    /// recursive schema has no bound: its payloads are scanned whenever they hold
    /// such a value (an object in a buffered enum, say), a second pass over the bytes.
    pub fn deserialize<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, serde_json::Error> {
        let (typed, nested) = crate::json::nesting_read(|| serde_json::from_slice::<T>(bytes));
        let typed = typed?;
        let outer = *self.outer.get_or_init(|| {
            let schema: Value = serde_json::from_str(self.json).ok()?;
            outer_depth(&schema, &schema, &mut HashMap::new())
        });
        let could_reach = outer.is_none_or(|outer| outer + nested >= text::MAX_DEPTH);
        if nested > 0 && could_reach && crate::raw::read::nesting(bytes) >= text::MAX_DEPTH {
            return Err(serde::de::Error::custom(format_args!(
                "arrays and objects are nested deeper than {}",
                text::MAX_DEPTH - 1
            )));
        }
        Ok(typed)
    }
}

/// An upper bound on the depth of the places in a payload that `schema` describes:
/// its own nesting as a JSON document, `$ref`s followed (each level of a payload
/// takes at least one level of its schema). `None` when a `$ref` recurses or points
/// outside `root`: no bound then. `refs` holds the bound of each `$ref` seen, `None`
/// while it is being measured.
fn outer_depth(
    schema: &Value,
    root: &Value,
    refs: &mut HashMap<String, Option<usize>>,
) -> Option<usize> {
    let children = match schema {
        Value::Object(members) => {
            let mut deepest = 0;
            for (key, member) in members {
                let depth = match (key.as_str(), member) {
                    ("$ref", Value::String(target)) => {
                        if let Some(known) = refs.get(target) {
                            *known
                        } else {
                            refs.insert(target.clone(), None);
                            let referred = target.strip_prefix('#').and_then(|p| root.pointer(p));
                            let depth = outer_depth(referred?, root, refs);
                            refs.insert(target.clone(), depth);
                            depth
                        }
                    }
                    _ => outer_depth(member, root, refs),
                }?;
                deepest = deepest.max(depth);
            }
            deepest
        }
        Value::Array(items) => {
            let mut deepest = 0;
            for item in items {
                deepest = deepest.max(outer_depth(item, root, refs)?);
            }
            deepest
        }
        _ => return Some(0),
    };
    Some(children + 1)
}
