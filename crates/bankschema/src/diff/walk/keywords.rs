//! Keywords compared as a group (`not`, `if`/`then`/`else`, `contains`...), the
//! generator's markers (money, tolerant enums) and attached prose rules.

use super::{Effect, Severity, Values, Walk};
use bankschema_model::traverse::{self, Shape};
use bankschema_rules::vocabulary::RULES;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Keywords compared only as a group, and not further than "changed": their meaning
/// depends on each other (`then` on `if`, `minContains` on `contains`) or is a
/// negation. Each group's name starts its kinds (`if-then-else-changed`).
const GROUPS: &[(&str, &[&str])] = &[
    ("not", &["not"]),
    ("if-then-else", &["if", "then", "else"]),
    ("contains", &["contains", "minContains", "maxContains"]),
    ("property-names", &["propertyNames"]),
    ("dependent-required", &["dependentRequired"]),
    ("dependent-schemas", &["dependentSchemas"]),
];

/// Whether `keyword`'s value is one schema (`not`, `if`, `contains`).
fn one_schema(keyword: &str) -> bool {
    traverse::applicator(keyword).is_some_and(|(shape, _)| shape == Shape::One)
}

impl<'a> Walk<'a> {
    /// Keywords compared as a group (see [`GROUPS`]).
    pub(super) fn compare_groups(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        for (name, keywords) in GROUPS {
            let present = |s: &Value| keywords.iter().any(|k| s.get(*k).is_some());
            let kind = |suffix: &str| format!("{name}-{suffix}");
            let listing = keywords
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join("/");
            match (present(old), present(new)) {
                (false, false) => {}
                (false, true) => self.push(
                    &kind("added"),
                    at,
                    Values::Narrower,
                    format!("{listing} is added"),
                ),
                (true, false) => self.push(
                    &kind("removed"),
                    at,
                    Values::Wider,
                    format!("{listing} is dropped"),
                ),
                (true, true) => {
                    let changed = keywords.iter().any(|k| match (old.get(*k), new.get(*k)) {
                        (None, None) => false,
                        (Some(a), Some(b)) if one_schema(k) => self.differs(a, b),
                        (Some(Value::Object(a)), Some(Value::Object(b)))
                            if *k == "dependentSchemas" =>
                        {
                            a.len() != b.len()
                                || a.iter()
                                    .any(|(name, x)| b.get(name).is_none_or(|y| self.differs(x, y)))
                        }
                        (a, b) => a != b,
                    });
                    if changed {
                        self.push_effect(
                            &kind("changed"),
                            at,
                            Effect::Values(Values::Other),
                            format!("{listing} changes"),
                            Some("this keyword is not compared further, so it counts as both wider and narrower".into()),
                        );
                    }
                }
            }
        }
    }

    /// A generator marker (`x-bankschema-money`, `x-bankschema-tolerant`) set or
    /// unset: the payloads' verdicts may stay, but the generated Rust type changes,
    /// so code built on it must change (a warning).
    pub(super) fn compare_marker(
        &mut self,
        old: &Value,
        new: &Value,
        at: &str,
        (marker, added, removed): (&str, &'static str, &'static str),
        (now, no_longer): (&str, &str),
        rust: &str,
    ) {
        let marked = |s: &Value| s.get(marker) == Some(&Value::Bool(true));
        if marked(old) == marked(new) {
            return;
        }
        let (kind, what) = if marked(new) {
            (added, now)
        } else {
            (removed, no_longer)
        };
        self.push_effect(
            kind,
            at,
            Effect::Fixed(Severity::Warning),
            format!(
                "{what} (`{marker}`): {rust}, so code built on the generated types must change"
            ),
            None,
        );
    }

    /// Prose rules: a MUST rule refuses values, so attaching one narrows and
    /// detaching one widens; a SHOULD rule only warns, and breaks no one.
    pub(super) fn compare_rules(&mut self, old: &Value, new: &Value, at: &str) {
        let (a, b) = (attached(old), attached(new));
        for (id, options) in &a {
            let must = is_must(id);
            match b.get(id) {
                None => {
                    let effect = if must {
                        Effect::Values(Values::Wider)
                    } else {
                        Effect::Fixed(Severity::Info)
                    };
                    self.push_effect(
                        "rule-removed",
                        at,
                        effect,
                        format!("rule `{id}` is detached"),
                        None,
                    );
                }
                Some(new_options) if new_options != options => {
                    let effect = if must {
                        Effect::Values(Values::Other)
                    } else {
                        Effect::Fixed(Severity::Info)
                    };
                    self.push_effect(
                        "rule-options-changed",
                        at,
                        effect,
                        format!(
                            "the options of rule `{id}` change from {options} to {new_options}"
                        ),
                        None,
                    );
                }
                Some(_) => {}
            }
        }
        for id in b.keys().filter(|id| !a.contains_key(*id)) {
            let effect = if is_must(id) {
                Effect::Values(Values::Narrower)
            } else {
                Effect::Fixed(Severity::Info)
            };
            self.push_effect(
                "rule-added",
                at,
                effect,
                format!("rule `{id}` is attached"),
                None,
            );
        }
    }
}

/// The rules attached to a schema, by id, with their options (`null` for none).
fn attached(schema: &Value) -> BTreeMap<String, Value> {
    let mut rules = BTreeMap::new();
    for entry in schema
        .get(RULES)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match entry {
            Value::String(id) => {
                rules.insert(id.clone(), Value::Null);
            }
            Value::Object(members) => {
                if let Some(id) = members.get("rule").and_then(Value::as_str) {
                    let options: Map<String, Value> = members
                        .iter()
                        .filter(|(k, _)| *k != "rule")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    rules.insert(id.to_owned(), Value::Object(options));
                }
            }
            _ => {}
        }
    }
    rules
}

/// Whether the rule refuses values (a MUST); an unknown id is taken as one.
fn is_must(id: &str) -> bool {
    bankschema_rules::info(id).is_none_or(|info| info.level == bankschema_rules::Level::Must)
}
