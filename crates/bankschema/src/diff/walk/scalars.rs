//! Scalars: types, the values listed (`enum`, `const`), string formats and
//! patterns, and bounds (numbers, lengths, counts) compared as exact decimals.

use super::{listed, shown_types, types, Effect, Severity, Values, Walk};
use bankschema_rules::decimal::{Exact, Step};
use bankschema_rules::vocabulary::TOLERANT;
use serde_json::Value;
use std::collections::BTreeSet;

/// Whether `schema`'s enum reads the values it does not list.
fn tolerant(schema: &Value) -> bool {
    schema.get(TOLERANT) == Some(&Value::Bool(true))
}

impl<'a> Walk<'a> {
    /// Lengths and counts: of strings, arrays and objects.
    pub(super) fn compare_lengths(&mut self, old: &Value, new: &Value, at: &str) {
        for (keyword, kind, lower) in [
            ("minLength", "min-length", true),
            ("maxLength", "max-length", false),
            ("minItems", "min-items", true),
            ("maxItems", "max-items", false),
            ("minProperties", "min-properties", true),
            ("maxProperties", "max-properties", false),
        ] {
            let bound = |schema: &Value| schema.get(keyword).map(|v| Bound::new(keyword, v, false));
            self.compare_bounds(kind, lower, bound(old), bound(new), at);
        }
    }

    pub(super) fn compare_types(&mut self, old: &Value, new: &Value, at: &str) {
        let (a, b) = (types(old), types(new));
        if a == b {
            return;
        }
        let (wider, narrower) = (within(&a, &b), within(&b, &a));
        let values = match (wider, narrower) {
            // `{integer, number}` and `{number}` allow the same values.
            (true, true) => return,
            (true, false) => Values::Wider,
            (false, true) => Values::Narrower,
            (false, false) => Values::Other,
        };
        self.push(
            "type-changed",
            at,
            values,
            format!(
                "the type changes from {} to {}",
                shown_types(&a),
                shown_types(&b)
            ),
        );
    }

    /// `enum` and `const`: the values listed.
    pub(super) fn compare_values(&mut self, old: &Value, new: &Value, at: &str) {
        match (listed(old), listed(new)) {
            (None, None) => {}
            (None, Some(_)) => self.push(
                "enum-added",
                at,
                Values::Narrower,
                "the values are now limited to a list (`enum` or `const`)".into(),
            ),
            (Some(_), None) => self.push(
                "enum-removed",
                at,
                Values::Wider,
                "the list of values (`enum` or `const`) is dropped".into(),
            ),
            (Some(a), Some(b)) => {
                let added: Vec<&str> = b.difference(&a).map(String::as_str).collect();
                let removed: Vec<&str> = a.difference(&b).map(String::as_str).collect();
                if !added.is_empty() {
                    let (effect, why) = if tolerant(old) && tolerant(new) {
                        (
                            Effect::AtMost(Values::Wider, Severity::Warning),
                            "the enum is tolerant (`x-bankschema-tolerant`): a client built from the old types reads a new value as `Unknown`, with a warning",
                        )
                    } else {
                        (
                            Effect::Values(Values::Wider),
                            "the generated Rust enums are closed: a client built from the old types cannot read a new value",
                        )
                    };
                    self.push_effect(
                        "enum-value-added",
                        at,
                        effect,
                        format!("enum values added: {}", added.join(", ")),
                        Some(why.into()),
                    );
                }
                if !removed.is_empty() {
                    self.push(
                        "enum-value-removed",
                        at,
                        Values::Narrower,
                        format!("enum values removed: {}", removed.join(", ")),
                    );
                }
            }
        }
    }

    /// `format` and `pattern`: added narrows, dropped widens, replaced may do both.
    pub(super) fn compare_strings(&mut self, old: &Value, new: &Value, at: &str) {
        for (keyword, kinds) in [
            (
                "format",
                ["format-added", "format-removed", "format-changed"],
            ),
            (
                "pattern",
                ["pattern-added", "pattern-removed", "pattern-changed"],
            ),
        ] {
            let (a, b) = (old.get(keyword), new.get(keyword));
            if a == b {
                continue;
            }
            let what = format!("`{keyword}` changes from {} to {}", shown(a), shown(b));
            match (a, b) {
                (None, _) => self.push(kinds[0], at, Values::Narrower, what),
                (_, None) => self.push(kinds[1], at, Values::Wider, what),
                _ => {
                    let why = (keyword == "pattern").then(|| {
                        "the two patterns' languages are not compared, so it counts as both wider and narrower".to_owned()
                    });
                    self.push_effect(kinds[2], at, Effect::Values(Values::Other), what, why);
                }
            }
        }
    }

    /// Bounds and `multipleOf`, as exact decimals.
    pub(super) fn compare_numbers(&mut self, old: &Value, new: &Value, at: &str) {
        self.compare_bounds("minimum", true, lower(old), lower(new), at);
        self.compare_bounds("maximum", false, upper(old), upper(new), at);
        let (a, b) = (old.get("multipleOf"), new.get("multipleOf"));
        if a == b {
            return;
        }
        let what = format!("`multipleOf` changes from {} to {}", shown(a), shown(b));
        match (a, b) {
            (None, _) => self.push("multiple-of-added", at, Values::Narrower, what),
            (_, None) => self.push("multiple-of-removed", at, Values::Wider, what),
            (Some(a), Some(b)) => {
                let (a, b) = (number_text(a), number_text(b));
                let multiple = |n: &Exact<'_>, step: &Exact<'_>| {
                    Step::new(step).is_some_and(|step| n.is_multiple_of(&step))
                };
                let values = match (Exact::parse(&a), Exact::parse(&b)) {
                    (Some(x), Some(y)) if x == y => return,
                    // Every multiple of the new step is one of the old: fewer values.
                    (Some(x), Some(y)) if multiple(&y, &x) => Values::Narrower,
                    (Some(x), Some(y)) if multiple(&x, &y) => Values::Wider,
                    _ => Values::Other,
                };
                self.push("multiple-of-changed", at, values, what);
            }
        }
    }

    fn compare_bounds(
        &mut self,
        kind: &str,
        is_lower: bool,
        old: Option<Bound>,
        new: Option<Bound>,
        at: &str,
    ) {
        let kinds = |suffix: &str| format!("{kind}-{suffix}");
        let what = format!(
            "{} changes from {} to {}",
            if is_lower {
                "the lower bound"
            } else {
                "the upper bound"
            },
            old.as_ref().map_or("none".to_owned(), Bound::shown),
            new.as_ref().map_or("none".to_owned(), Bound::shown),
        );
        match (&old, &new) {
            (None, None) => {}
            (None, Some(_)) => self.push(&kinds("added"), at, Values::Narrower, what),
            (Some(_), None) => self.push(&kinds("removed"), at, Values::Wider, what),
            (Some(a), Some(b)) => match (a.value(), b.value()) {
                (Some(x), Some(y)) => {
                    if (x, a.exclusive) == (y, b.exclusive) {
                        return;
                    }
                    // The same value excluded rather than included moves a lower
                    // bound up and an upper bound down.
                    let raised = if x == y {
                        is_lower == b.exclusive
                    } else {
                        y > x
                    };
                    // A lower bound raised, or an upper bound lowered, lets fewer through.
                    let values = if raised == is_lower {
                        Values::Narrower
                    } else {
                        Values::Wider
                    };
                    let suffix = if raised { "increased" } else { "decreased" };
                    self.push(&kinds(suffix), at, values, what);
                }
                _ if a.text == b.text && a.exclusive == b.exclusive => {}
                _ => self.push(&kinds("changed"), at, Values::Other, what),
            },
        }
    }
}

/// Whether every value of types `a` is one of types `b` (`number` holds `integer`).
fn within(a: &Option<BTreeSet<String>>, b: &Option<BTreeSet<String>>) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a
            .iter()
            .all(|t| b.contains(t) || (t == "integer" && b.contains("number"))),
    }
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_owned(), Value::to_string)
}

/// A number's text, to be compared exactly (never as `f64`); anything else's JSON.
fn number_text(value: &Value) -> String {
    value.to_string()
}

/// One bound, as the schema writes it.
#[derive(Clone, Debug)]
struct Bound {
    keyword: &'static str,
    text: String,
    exclusive: bool,
}

impl Bound {
    fn new(keyword: &'static str, value: &Value, exclusive: bool) -> Bound {
        Bound {
            keyword,
            text: number_text(value),
            exclusive,
        }
    }

    /// The bound as an exact number; `None` when it is not a number.
    fn value(&self) -> Option<Exact<'_>> {
        Exact::parse(&self.text)
    }

    fn shown(&self) -> String {
        format!("`{}: {}`", self.keyword, self.text)
    }
}

/// The tighter of `minimum` and `exclusiveMinimum`.
fn lower(schema: &Value) -> Option<Bound> {
    bound(schema, ("minimum", "exclusiveMinimum"), true)
}

/// The tighter of `maximum` and `exclusiveMaximum`.
fn upper(schema: &Value) -> Option<Bound> {
    bound(schema, ("maximum", "exclusiveMaximum"), false)
}

/// The tighter of an inclusive and an exclusive bound keyword.
fn bound(
    schema: &Value,
    (inclusive, exclusive): (&'static str, &'static str),
    is_lower: bool,
) -> Option<Bound> {
    let inclusive = schema
        .get(inclusive)
        .map(|v| Bound::new(inclusive, v, false));
    let exclusive = schema
        .get(exclusive)
        .filter(|v| v.is_number())
        .map(|v| Bound::new(exclusive, v, true));
    tighter(inclusive, exclusive, is_lower)
}

fn tighter(inclusive: Option<Bound>, exclusive: Option<Bound>, is_lower: bool) -> Option<Bound> {
    match (inclusive, exclusive) {
        (Some(i), Some(e)) => match (i.value(), e.value()) {
            (Some(x), Some(y)) if (is_lower && x > y) || (!is_lower && x < y) => Some(i),
            _ => Some(e),
        },
        (i, e) => i.or(e),
    }
}
