//! Objects: properties added, removed or moved in or out of `required`, and
//! what governs the properties a schema does not name (`additionalProperties`,
//! `patternProperties`).

use super::{Effect, Severity, Values, Walk};
use bankschema_model::normalise::escape;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// No properties, for a schema without `properties` or `patternProperties`.
static NO_MEMBERS: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl<'a> Walk<'a> {
    pub(super) fn compare_objects(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let (old_props, new_props) = (properties(old), properties(new));
        let (old_required, new_required) = (required(old), required(new));
        // Whether a name's requirement moved, as a change to the values allowed.
        let requirement =
            |name: &str| match (old_required.contains(name), new_required.contains(name)) {
                (true, false) => Some(Values::Wider),
                (false, true) => Some(Values::Narrower),
                _ => None,
            };
        for (name, old_schema) in old_props {
            let here = format!("{at}/{}", escape(name));
            if let Some(new_schema) = new_props.get(name) {
                match requirement(name) {
                    Some(Values::Wider) => self.became_optional(name, &here),
                    Some(_) => self.became_required(name, &here),
                    None => {}
                }
                self.compare(old_schema, new_schema, &here);
                continue;
            }
            let was_required = old_required.contains(name.as_str());
            self.property_removed(name, new, requirement(name), was_required, &here);
        }
        for (name, _) in new_props
            .iter()
            .filter(|(n, _)| !old_props.contains_key(*n))
        {
            let here = format!("{at}/{}", escape(name));
            let required_now = new_required.contains(name.as_str());
            self.property_added(name, old, requirement(name), required_now, &here);
        }
        for name in old_required.symmetric_difference(&new_required) {
            if old_props.contains_key(name) || new_props.contains_key(name) {
                continue;
            }
            let here = format!("{at}/{}", escape(name));
            if new_required.contains(name) {
                self.became_required(name, &here);
            } else {
                self.became_optional(name, &here);
            }
        }
        self.compare_additional(old, new, at);
        self.compare_pattern_properties(old, new, at);
    }

    /// Property `name` of the old side is gone from the `new` schema: its values are
    /// now those any unnamed property may have.
    fn property_removed(
        &mut self,
        name: &str,
        new: &Value,
        requirement: Option<Values>,
        was_required: bool,
        here: &str,
    ) {
        let (mut values, how) = match governing(new) {
            Governing::Anything => (Values::Wider, "any value is now allowed under its name"),
            Governing::Refused => (Values::Narrower, "it is refused as an unknown property"),
            Governing::Schema => (Values::Other, "`additionalProperties` governs it now"),
            Governing::Patterns => (Values::Other, "`patternProperties` may govern it now"),
        };
        if let Some(moved) = requirement {
            values = values.and(moved);
        }
        let kind = if was_required {
            "required-property-removed"
        } else {
            "optional-property-removed"
        };
        self.push(
            kind,
            here,
            values,
            format!("property `{name}` is removed ({how})"),
        );
    }

    /// Property `name` of the new side was not named by the `old` schema.
    fn property_added(
        &mut self,
        name: &str,
        old: &Value,
        requirement: Option<Values>,
        required_now: bool,
        here: &str,
    ) {
        let (mut values, how) = match governing(old) {
            Governing::Anything => (Values::Narrower, "its values were not constrained before"),
            Governing::Refused => (
                Values::Wider,
                "it was refused as an unknown property before",
            ),
            Governing::Schema => (Values::Other, "`additionalProperties` governed it before"),
            Governing::Patterns => (
                Values::Other,
                "`patternProperties` may have governed it before",
            ),
        };
        let was_anything = matches!(governing(old), Governing::Anything);
        if let Some(moved) = requirement {
            values = values.and(moved);
        }
        let kind = if required_now {
            "required-property-added"
        } else {
            "optional-property-added"
        };
        let effect = if !required_now && was_anything && values == Values::Narrower {
            // Only a caller that sent an undocumented property of this name, in
            // another shape, is refused.
            Effect::AtMost(values, Severity::Warning)
        } else {
            Effect::Values(values)
        };
        let why = (!required_now && was_anything).then(|| {
            format!("callers that sent an undocumented `{name}` of another shape are refused")
        });
        self.push_effect(
            kind,
            here,
            effect,
            format!(
                "{} property `{name}` is added ({how})",
                if required_now { "required" } else { "optional" }
            ),
            why,
        );
    }

    /// `additionalProperties`: what any property the schema does not name may hold.
    fn compare_additional(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let additional = |s: &'a Value| match s.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Additional::Anything,
            Some(Value::Bool(false)) => Additional::Refused,
            Some(schema) => Additional::Schema(schema),
        };
        match (additional(old), additional(new)) {
            (Additional::Anything, Additional::Anything)
            | (Additional::Refused, Additional::Refused) => {}
            (Additional::Schema(a), Additional::Schema(b)) => {
                self.compare(a, b, &format!("{at}/*"))
            }
            (Additional::Refused, _) => self.push(
                "additional-properties-allowed",
                at,
                Values::Wider,
                "unknown properties are no longer refused".into(),
            ),
            (_, Additional::Refused) => self.push(
                "additional-properties-refused",
                at,
                Values::Narrower,
                "unknown properties are now refused".into(),
            ),
            (Additional::Anything, Additional::Schema(_)) => self.push(
                "additional-properties-constrained",
                at,
                Values::Narrower,
                "unknown properties must now match `additionalProperties`".into(),
            ),
            (Additional::Schema(_), Additional::Anything) => self.push(
                "additional-properties-unconstrained",
                at,
                Values::Wider,
                "unknown properties may now hold anything".into(),
            ),
        }
    }

    /// `patternProperties` entries, compared by their pattern.
    fn compare_pattern_properties(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let empty: &'a Map<String, Value> = &NO_MEMBERS;
        let patterns = |s: &'a Value| {
            s.get("patternProperties")
                .and_then(Value::as_object)
                .unwrap_or(empty)
        };
        let (old_patterns, new_patterns) = (patterns(old), patterns(new));
        for (pattern, old_schema) in old_patterns {
            match new_patterns.get(pattern) {
                Some(new_schema) => self.compare(old_schema, new_schema, &format!("{at}/*")),
                None => self.push(
                    "pattern-property-removed",
                    at,
                    Values::Wider,
                    format!("the `patternProperties` entry `{pattern}` is removed"),
                ),
            }
        }
        for pattern in new_patterns
            .keys()
            .filter(|p| !old_patterns.contains_key(*p))
        {
            self.push(
                "pattern-property-added",
                at,
                Values::Narrower,
                format!("a `patternProperties` entry `{pattern}` is added"),
            );
        }
    }

    fn became_required(&mut self, name: &str, at: &str) {
        let why = Some("a payload without it is refused".to_owned());
        let what = format!("property `{name}` becomes required");
        self.push_effect(
            "property-became-required",
            at,
            Effect::Values(Values::Narrower),
            what,
            why,
        );
    }

    fn became_optional(&mut self, name: &str, at: &str) {
        let why = Some("a payload may leave it out".to_owned());
        let what = format!("property `{name}` becomes optional");
        self.push_effect(
            "property-became-optional",
            at,
            Effect::Values(Values::Wider),
            what,
            why,
        );
    }
}

enum Governing {
    Anything,
    Refused,
    Schema,
    Patterns,
}

enum Additional<'a> {
    Anything,
    Refused,
    Schema(&'a Value),
}

/// What governs a property `schema` does not name.
fn governing(schema: &Value) -> Governing {
    if schema
        .get("patternProperties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
    {
        return Governing::Patterns;
    }
    match schema.get("additionalProperties") {
        None | Some(Value::Bool(true)) => Governing::Anything,
        Some(Value::Bool(false)) => Governing::Refused,
        Some(_) => Governing::Schema,
    }
}

/// The properties `schema` names (none without `properties`).
fn properties(schema: &Value) -> &Map<String, Value> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&NO_MEMBERS)
}

/// The names `schema` requires.
fn required(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
