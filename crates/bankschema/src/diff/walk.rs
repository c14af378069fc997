//! The side-by-side walk of two versions of one message schema.
//!
//! Schemas are compared by structure: a `$ref` is followed on each side, so a
//! definition renamed, inlined or moved is no change; `oneOf`/`anyOf`/`allOf`
//! branches are matched by structure (then by their tag, then by position), never
//! by position alone. What the walk cannot compare exactly (a pattern's language, a
//! `not`) it reports as [`Values::Other`], which breaks both directions: a diff
//! that gates a release may be cautious, never optimistic.

use super::{Direction, Severity, Values};
use bankschema_model::normalise::escape;
use bankschema_model::traverse::{self, Shape};
use bankschema_rules::decimal::{Exact, Step};
use bankschema_rules::vocabulary::{MONEY, RULES, TOLERANT};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One change the walk found, before its direction gives it a severity.
#[derive(Clone, Debug)]
pub(super) struct Found {
    /// One of [`super::KINDS`].
    pub kind: String,
    pub pointer: String,
    pub effect: Effect,
    /// What changed, such as "`maxLength` changes from 10 to 20".
    pub what: String,
    /// Why it breaks, where the generic reason is not the whole story.
    pub why: Option<String>,
}

/// What a change does to the values allowed, or the severity it has whatever the
/// direction.
#[derive(Clone, Copy, Debug)]
pub(super) enum Effect {
    Values(Values),
    /// As `Values`, but breaking at most this much: it changes only what the schema
    /// never described (a property no document named).
    AtMost(Values, Severity),
    Fixed(Severity),
}

impl Found {
    pub fn severity(&self, direction: Direction) -> Severity {
        let of = |values| match (direction, values) {
            (Direction::Response, Values::Narrower) | (Direction::Request, Values::Wider) => {
                Severity::Info
            }
            _ => Severity::Breaking,
        };
        match self.effect {
            Effect::Values(values) => of(values),
            Effect::AtMost(values, cap) => of(values).min(cap),
            Effect::Fixed(severity) => severity,
        }
    }

    /// The end of the message: whom it breaks and why.
    pub fn who(&self, direction: Direction, severity: Severity) -> String {
        if let Effect::Fixed(_) = self.effect {
            return String::new();
        }
        let who = match (direction, severity) {
            (Direction::Response, Severity::Breaking) => {
                "clients may receive values they do not expect"
            }
            (Direction::Request, Severity::Breaking) => {
                "callers sending the old values are refused"
            }
            (_, Severity::Warning) => "breaks only what the schema never described",
            (Direction::Response, Severity::Info) => "breaks no client",
            (Direction::Request, Severity::Info) => "breaks no caller",
        };
        match (&self.why, severity) {
            (Some(why), Severity::Breaking | Severity::Warning) => format!(": {who} ({why})"),
            _ => format!(": {who}"),
        }
    }

    /// The same change where `prefix` stands for the place it was found under.
    fn moved(&self, from: &str, to: &str) -> Found {
        let mut found = self.clone();
        found.pointer = format!(
            "{to}{}",
            &self.pointer[from.len().min(self.pointer.len())..]
        );
        found
    }
}

/// Whether `schema`'s enum reads the values it does not list.
fn tolerant(schema: &Value) -> bool {
    schema.get(TOLERANT) == Some(&Value::Bool(true))
}

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

/// The schema `true` stands for: one without keywords.
static EMPTY: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| Value::Object(Map::new()));

/// No properties, for a schema without `properties` or `patternProperties`.
static NO_MEMBERS: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

pub(super) struct Walk<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    /// Pairs of schemas being compared, by address: a recursive schema ends here.
    active: HashSet<(usize, usize, bool)>,
    /// What each pair of `$ref` targets already compared gave, under its place.
    memo: HashMap<(usize, usize, bool), (String, Vec<Found>)>,
    /// Inside a `oneOf` whose branches may overlap: a branch allowing more may make
    /// a value match two branches, and so be refused.
    overlapping: bool,
    found: Vec<Found>,
}

impl<'a> Walk<'a> {
    pub fn new(old_root: &'a Value, new_root: &'a Value) -> Self {
        Walk {
            old_root,
            new_root,
            active: HashSet::new(),
            memo: HashMap::new(),
            overlapping: false,
            found: Vec::new(),
        }
    }

    /// Every change from the old root to the new one.
    pub fn run(mut self) -> Vec<Found> {
        self.compare(self.old_root, self.new_root, "");
        self.found
    }

    fn push(&mut self, kind: &str, at: &str, values: Values, what: String) {
        self.push_effect(kind, at, Effect::Values(values), what, None);
    }

    fn push_effect(
        &mut self,
        kind: &str,
        at: &str,
        effect: Effect,
        what: String,
        mut why: Option<String>,
    ) {
        let effect = match effect {
            Effect::Values(Values::Wider) if self.overlapping => {
                why = Some(
                    "inside a `oneOf` whose branches may overlap, a value a branch newly allows may match two branches and be refused".into(),
                );
                Effect::Values(Values::Other)
            }
            other => other,
        };
        self.found.push(Found {
            kind: kind.to_owned(),
            pointer: at.to_owned(),
            effect,
            what,
            why,
        });
    }

    /// The schema `schema` stands for, following `$ref`s within its version.
    fn resolve(&self, schema: &'a Value, old: bool) -> &'a Value {
        let root = if old { self.old_root } else { self.new_root };
        let mut schema = schema;
        // A chain of references longer than this is a cycle of bare `$ref`s, which
        // the generator refuses; stop rather than loop.
        for _ in 0..64 {
            let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|pointer| root.pointer(pointer))
            else {
                break;
            };
            schema = target;
        }
        match schema {
            Value::Bool(true) => &EMPTY,
            _ => schema,
        }
    }

    /// What the walk finds from `old` to `new`, on its own.
    fn found_between(&self, old: &'a Value, new: &'a Value) -> Vec<Found> {
        let mut walk = Walk::new(self.old_root, self.new_root);
        walk.overlapping = self.overlapping;
        walk.compare(old, new, "");
        walk.found
    }

    /// Whether two schemas differ in anything the walk would report.
    fn differs(&self, old: &'a Value, new: &'a Value) -> bool {
        !self.found_between(old, new).is_empty()
    }

    fn compare(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let referred = old.get("$ref").is_some() || new.get("$ref").is_some();
        let (old, new) = (self.resolve(old, true), self.resolve(new, false));
        let key = (
            old as *const Value as usize,
            new as *const Value as usize,
            self.overlapping,
        );
        if !self.active.insert(key) {
            // Already being compared further up: a recursive schema.
            return;
        }
        if referred {
            if let Some((from, found)) = self.memo.get(&key) {
                let moved: Vec<Found> = found.iter().map(|f| f.moved(from, at)).collect();
                self.found.extend(moved);
                self.active.remove(&key);
                return;
            }
        }
        let start = self.found.len();
        self.compare_schemas(old, new, at);
        self.active.remove(&key);
        if referred {
            self.memo
                .insert(key, (at.to_owned(), self.found[start..].to_vec()));
        }
    }

    fn compare_schemas(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        match (old.as_bool(), new.as_bool()) {
            (None, None) => {}
            (Some(a), Some(b)) if a == b => return,
            (_, Some(false)) => {
                return self.push(
                    "schema-narrowed",
                    at,
                    Values::Narrower,
                    "the schema now refuses every value".into(),
                )
            }
            _ => {
                return self.push(
                    "schema-widened",
                    at,
                    Values::Wider,
                    "the schema refused every value and now allows some".into(),
                )
            }
        }
        let (old_inner, old_wrapped) = without_null(old);
        let (new_inner, new_wrapped) = without_null(new);
        let (old_inner, new_inner) = (
            self.resolve(old_inner, true),
            self.resolve(new_inner, false),
        );
        let old_null = old_wrapped || has_null_type(old_inner);
        let new_null = new_wrapped || has_null_type(new_inner);
        if old_null != new_null {
            let (kind, what) = if new_null {
                ("became-nullable", "the value may now be null")
            } else {
                ("became-not-nullable", "the value may no longer be null")
            };
            let values = if new_null {
                Values::Wider
            } else {
                Values::Narrower
            };
            self.push(kind, at, values, what.into());
        }
        // Each side without its `null` branch (itself when it has none).
        self.compare_body(old_inner, new_inner, at);
    }

    /// Everything but `$ref` and nullability, which [`Walk::compare_schemas`] saw.
    fn compare_body(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        if old.as_bool().is_some() || new.as_bool().is_some() {
            return self.compare(old, new, at);
        }
        self.compare_types(old, new, at);
        self.compare_values(old, new, at);
        self.compare_strings(old, new, at);
        self.compare_numbers(old, new, at);
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
        self.compare_objects(old, new, at);
        for keyword in ["anyOf", "oneOf", "allOf"] {
            self.compare_branches(keyword, old, new, at);
        }
        self.compare_groups(old, new, at);
        self.compare_rules(old, new, at);
        self.compare_marker(
            old,
            new,
            at,
            (MONEY, "money-added", "money-removed"),
            ("the value is now money", "the value is no longer money"),
            "the payload's values are the same, but the generated Rust type changes (`Money` and `f64`)",
        );
        self.compare_marker(
            old,
            new,
            at,
            (TOLERANT, "tolerant-added", "tolerant-removed"),
            (
                "the enum now reads values it does not list",
                "the enum no longer reads values it does not list",
            ),
            "the generated Rust enum gains or loses its `Unknown` variant",
        );
        let deprecated = |s: &Value| s.get("deprecated") == Some(&Value::Bool(true));
        if deprecated(new) && !deprecated(old) {
            self.push_effect(
                "deprecated",
                at,
                Effect::Fixed(Severity::Info),
                "the value is marked deprecated: plan to stop relying on it".into(),
                None,
            );
        }
    }

    fn compare_types(&mut self, old: &Value, new: &Value, at: &str) {
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
    fn compare_values(&mut self, old: &Value, new: &Value, at: &str) {
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
    fn compare_strings(&mut self, old: &Value, new: &Value, at: &str) {
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
    fn compare_numbers(&mut self, old: &Value, new: &Value, at: &str) {
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

    fn compare_objects(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let empty: &'a Map<String, Value> = &NO_MEMBERS;
        let properties = |s: &'a Value| {
            s.get("properties")
                .and_then(Value::as_object)
                .unwrap_or(empty)
        };
        let (old_props, new_props) = (properties(old), properties(new));
        let required = |s: &Value| -> BTreeSet<String> {
            s.get("required")
                .and_then(Value::as_array)
                .map(|names| {
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
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
            // Its values are now those any unnamed property may have.
            let (mut values, how) = match governing(new) {
                Governing::Anything => (Values::Wider, "any value is now allowed under its name"),
                Governing::Refused => (Values::Narrower, "it is refused as an unknown property"),
                Governing::Schema => (Values::Other, "`additionalProperties` governs it now"),
                Governing::Patterns => (Values::Other, "`patternProperties` may govern it now"),
            };
            if let Some(moved) = requirement(name) {
                values = values.and(moved);
            }
            let kind = if old_required.contains(name.as_str()) {
                "required-property-removed"
            } else {
                "optional-property-removed"
            };
            self.push(
                kind,
                &here,
                values,
                format!("property `{name}` is removed ({how})"),
            );
        }
        for (name, _) in new_props
            .iter()
            .filter(|(n, _)| !old_props.contains_key(*n))
        {
            let here = format!("{at}/{}", escape(name));
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
            if let Some(moved) = requirement(name) {
                values = values.and(moved);
            }
            let required_now = new_required.contains(name.as_str());
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
                &here,
                effect,
                format!(
                    "{} property `{name}` is added ({how})",
                    if required_now { "required" } else { "optional" }
                ),
                why,
            );
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

    /// `anyOf`, `oneOf`, `allOf`: branches matched by structure, then by tag, then
    /// by position; pairs compared, the rest reported added or removed.
    fn compare_branches(&mut self, keyword: &str, old: &'a Value, new: &'a Value, at: &str) {
        let kinds: [&'static str; 4] = match keyword {
            "anyOf" => [
                "any-of-added",
                "any-of-removed",
                "any-of-branch-added",
                "any-of-branch-removed",
            ],
            "oneOf" => [
                "one-of-added",
                "one-of-removed",
                "one-of-branch-added",
                "one-of-branch-removed",
            ],
            _ => [
                "all-of-added",
                "all-of-removed",
                "all-of-branch-added",
                "all-of-branch-removed",
            ],
        };
        let (a, b) = match (
            old.get(keyword).and_then(Value::as_array),
            new.get(keyword).and_then(Value::as_array),
        ) {
            (None, None) => return,
            (None, Some(_)) => {
                return self.push(
                    kinds[0],
                    at,
                    Values::Narrower,
                    format!("a `{keyword}` now constrains the value"),
                )
            }
            (Some(_), None) => {
                return self.push(
                    kinds[1],
                    at,
                    Values::Wider,
                    format!("the `{keyword}` is dropped"),
                )
            }
            (Some(a), Some(b)) => (a, b),
        };
        let mut left_old: Vec<usize> = Vec::new();
        let mut left_new: Vec<usize> = (0..b.len()).collect();
        for (i, x) in a.iter().enumerate() {
            match left_new.iter().position(|&j| !self.differs(x, &b[j])) {
                Some(k) => {
                    left_new.remove(k);
                }
                None => left_old.push(i),
            }
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        // By tag: a property every branch fixes to one value.
        if let Some(tag) = self.common_tag(&[(a, true), (b, false)]) {
            left_old.retain(|&i| {
                let value = self.tag_value(&a[i], &tag, true);
                let same: Vec<usize> = left_new
                    .iter()
                    .copied()
                    .filter(|&j| self.tag_value(&b[j], &tag, false) == value)
                    .collect();
                if let [j] = same.as_slice() {
                    pairs.push((i, *j));
                    left_new.retain(|k| k != j);
                    false
                } else {
                    true
                }
            });
        }
        let exclusive = keyword == "oneOf" && !(self.disjoint(a, true) && self.disjoint(b, false));
        let (grows, shrinks) = if keyword == "allOf" {
            (Values::Narrower, Values::Wider)
        } else if exclusive {
            (Values::Other, Values::Other)
        } else {
            (Values::Wider, Values::Narrower)
        };
        // The rest by the pairing that explains the change best: one under which
        // every change goes one way if there is one (pairs compared one by one are
        // a sound account of the whole), then the fewest changes, then branches
        // written most alike.
        let cost: Vec<Vec<(u32, Option<Values>)>> = left_old
            .iter()
            .map(|&i| {
                left_new
                    .iter()
                    .map(|&j| {
                        let found = self.found_between(&a[i], &b[j]);
                        let alike = distance(self.resolve(&a[i], true), self.resolve(&b[j], false));
                        let cost = (found.len() * 8 + alike)
                            .try_into()
                            .unwrap_or(UNPAIRED)
                            .min(UNPAIRED - 1);
                        (cost, relation(&found))
                    })
                    .collect()
            })
            .collect();
        let chosen = assign(&cost, shrinks, grows);
        let paired: Vec<(usize, usize)> = chosen
            .iter()
            .enumerate()
            .filter_map(|(k, choice)| choice.map(|c| (left_old[k], left_new[c])))
            .collect();
        left_old.retain(|i| !paired.iter().any(|(x, _)| x == i));
        left_new.retain(|j| !paired.iter().any(|(_, y)| y == j));
        pairs.extend(paired);
        let saved = self.overlapping;
        self.overlapping = saved || exclusive;
        for (i, j) in pairs {
            self.compare(&a[i], &b[j], at);
        }
        self.overlapping = saved;
        // A branch of a union dropped while another allows all it did, or added
        // while another allowed all it does, moves no value.
        let union = keyword != "allOf" && !exclusive;
        for i in left_old {
            self.lone_branch((kinds[3], keyword), at, (&a[i], true), b, union, shrinks);
        }
        for j in left_new {
            self.lone_branch((kinds[2], keyword), at, (&b[j], false), a, union, grows);
        }
    }

    /// A branch of `keyword` on one side only (`old` or new), moving values as
    /// `values` says, unless it is a union's and a branch of the other side allows
    /// all it does: then no value moves.
    fn lone_branch(
        &mut self,
        (kind, keyword): (&str, &str),
        at: &str,
        (branch, old): (&'a Value, bool),
        others: &'a [Value],
        union: bool,
        values: Values,
    ) {
        let label = self.label(branch, old);
        let covered = union
            && others.iter().any(|other| {
                let (from, to, moves) = if old {
                    (branch, other, Values::Wider)
                } else {
                    (other, branch, Values::Narrower)
                };
                relation(&self.found_between(from, to)).is_none_or(|v| v == moves)
            });
        let what = match (old, covered) {
            (true, false) => format!("branch {label} of `{keyword}` is removed"),
            (true, true) => format!(
                "branch {label} of `{keyword}` is removed: another branch allows all it did"
            ),
            (false, false) => format!("branch {label} is added to `{keyword}`"),
            (false, true) => format!(
                "branch {label} is added to `{keyword}`: another branch already allowed all it does"
            ),
        };
        let effect = if covered {
            Effect::Fixed(Severity::Info)
        } else {
            Effect::Values(values)
        };
        self.push_effect(kind, at, effect, what, None);
    }

    /// How a branch is named in a message: its definition, title or tag.
    fn label(&self, branch: &Value, old: bool) -> String {
        if let Some(reference) = branch.get("$ref").and_then(Value::as_str) {
            return format!("`{}`", reference.rsplit('/').next().unwrap_or(reference));
        }
        let branch = self.resolve(branch, old);
        match branch.get("title").and_then(Value::as_str) {
            Some(title) => format!("`{title}`"),
            None => format!("of type {}", shown_types(&types(branch))),
        }
    }

    /// A property every branch of every side requires and fixes to one value.
    fn common_tag(&self, sides: &[(&'a [Value], bool)]) -> Option<String> {
        let mut common: Option<BTreeSet<String>> = None;
        for (branches, old) in sides {
            for branch in *branches {
                let resolved = self.resolve(branch, *old);
                let tags: BTreeSet<String> = resolved
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|props| props.keys())
                    .filter(|name| self.tag_value(branch, name, *old).is_some())
                    .cloned()
                    .collect();
                common = Some(match common {
                    None => tags,
                    Some(before) => before.intersection(&tags).cloned().collect(),
                });
            }
        }
        common?.into_iter().next()
    }

    /// The one value `branch` allows for property `name`, if it requires the
    /// property and allows it one value.
    fn tag_value(&self, branch: &'a Value, name: &str, old: bool) -> Option<String> {
        let branch = self.resolve(branch, old);
        if !branch
            .get("required")?
            .as_array()?
            .iter()
            .any(|r| r == name)
        {
            return None;
        }
        let property = self.resolve(branch.get("properties")?.get(name)?, old);
        let values = listed(property)?;
        match values.len() {
            1 => values.into_iter().next(),
            _ => None,
        }
    }

    /// Whether no value can match two of `branches`: their tags or types differ.
    fn disjoint(&self, branches: &'a [Value], old: bool) -> bool {
        if let Some(tag) = self.common_tag(&[(branches, old)]) {
            let tags: BTreeSet<Option<String>> = branches
                .iter()
                .map(|b| self.tag_value(b, &tag, old))
                .collect();
            if tags.len() == branches.len() {
                return true;
            }
        }
        let sets: Vec<Option<BTreeSet<String>>> = branches
            .iter()
            .map(|b| {
                let b = self.resolve(b, old);
                types(b).filter(|_| !has_null_type(b))
            })
            .collect();
        sets.iter().enumerate().all(|(i, x)| {
            sets[i + 1..].iter().all(|y| match (x, y) {
                (Some(x), Some(y)) => !overlap(x, y),
                _ => false,
            })
        })
    }

    /// Keywords compared as a group (see [`GROUPS`]).
    fn compare_groups(&mut self, old: &'a Value, new: &'a Value, at: &str) {
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
    fn compare_marker(
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
    fn compare_rules(&mut self, old: &Value, new: &Value, at: &str) {
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

/// A schema's `null` branch split off: `anyOf: [X, {type: null}]` is `X`, nullable.
fn without_null(schema: &Value) -> (&Value, bool) {
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        let is_null = |b: &Value| b.get("type") == Some(&Value::String("null".into()));
        if let [x, y] = branches.as_slice() {
            match (is_null(x), is_null(y)) {
                (true, false) => return (y, true),
                (false, true) => return (x, true),
                _ => {}
            }
        }
    }
    (schema, false)
}

/// What leaving a branch unpaired costs in [`assign`]: more than any pair.
const UNPAIRED: u32 = 400;
/// Beyond this many branches left on a side, pairs are chosen greedily.
const EXACT_ASSIGNMENT: usize = 10;

/// Which ways the values moved, as bits: 1 wider, 2 narrower.
fn ways(values: Option<Values>) -> u8 {
    match values {
        None => 0,
        Some(Values::Wider) => 1,
        Some(Values::Narrower) => 2,
        Some(Values::Other) => 3,
    }
}

/// The pairing of old branches (rows) with new ones (columns), each row paired with
/// one column or none, that moves values one way only if any does, then costs
/// least. A pair costs its `cost`; a row left alone moves values as `alone_old`, a
/// column as `alone_new`, each for [`UNPAIRED`]. Exhaustive over the columns used
/// (branches left after matching by structure and tag are few), greedy beyond
/// [`EXACT_ASSIGNMENT`].
fn assign(
    cost: &[Vec<(u32, Option<Values>)>],
    alone_old: Values,
    alone_new: Values,
) -> Vec<Option<usize>> {
    let columns = cost.first().map_or(0, Vec::len);
    if columns > EXACT_ASSIGNMENT {
        let mut used = vec![false; columns];
        return cost
            .iter()
            .map(|row| {
                let best = (0..columns)
                    .filter(|&c| !used[c] && row[c].1 != Some(Values::Other))
                    .min_by_key(|&c| row[c].0)?;
                used[best] = true;
                Some(best)
            })
            .collect();
    }
    type Partial = (u32, Vec<Option<usize>>);
    // By the columns used and the ways moved so far: the cheapest choices.
    let mut best: HashMap<(usize, u8), Partial> = HashMap::from([((0, 0), (0, Vec::new()))]);
    for row in cost {
        let mut next: HashMap<(usize, u8), Partial> = HashMap::new();
        for ((mask, moved), (total, choices)) in &best {
            let mut offer = |key: (usize, u8), total: u32, choice: Option<usize>| {
                let entry = next.entry(key).or_insert((u32::MAX, Vec::new()));
                if total < entry.0 {
                    let mut choices = choices.clone();
                    choices.push(choice);
                    *entry = (total, choices);
                }
            };
            offer(
                (*mask, moved | ways(Some(alone_old))),
                total + UNPAIRED,
                None,
            );
            for (c, (pair, values)) in row.iter().enumerate() {
                if mask & (1 << c) == 0 {
                    offer(
                        (mask | (1 << c), moved | ways(*values)),
                        total + pair,
                        Some(c),
                    );
                }
            }
        }
        best = next;
    }
    best.into_iter()
        .map(|((mask, moved), (total, choices))| {
            let alone = columns - mask.count_ones() as usize;
            let moved = if alone > 0 {
                moved | ways(Some(alone_new))
            } else {
                moved
            };
            let alone = u32::try_from(alone).unwrap_or(0) * UNPAIRED;
            ((moved == 3, total + alone), choices)
        })
        .min_by_key(|(key, _)| *key)
        .map(|(_, choices)| choices)
        .unwrap_or_default()
}

/// How many of the leaves (a path and a scalar, up to a bound) of two schemas as
/// written are in one only.
fn distance(a: &Value, b: &Value) -> usize {
    fn leaves(value: &Value, path: &mut String, out: &mut BTreeSet<String>) {
        if out.len() >= 256 {
            return;
        }
        let depth = path.len();
        match value {
            Value::Object(members) => {
                for (key, member) in members {
                    path.push('/');
                    path.push_str(key);
                    leaves(member, path, out);
                    path.truncate(depth);
                }
            }
            Value::Array(items) => {
                for item in items {
                    path.push_str("/[]");
                    leaves(item, path, out);
                    path.truncate(depth);
                }
            }
            scalar => {
                out.insert(format!("{path}={scalar}"));
            }
        }
    }
    let (mut x, mut y) = (BTreeSet::new(), BTreeSet::new());
    leaves(a, &mut String::new(), &mut x);
    leaves(b, &mut String::new(), &mut y);
    x.symmetric_difference(&y).count()
}

/// How the values allowed moved, all `found` together: `None` when none moved.
fn relation(found: &[Found]) -> Option<Values> {
    found
        .iter()
        .filter_map(|f| match f.effect {
            Effect::Values(v) | Effect::AtMost(v, _) => Some(v),
            Effect::Fixed(_) => None,
        })
        .reduce(Values::and)
}

fn has_null_type(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
        _ => false,
    }
}

/// The types a schema allows, `null` aside; `None` for any.
fn types(schema: &Value) -> Option<BTreeSet<String>> {
    let names: BTreeSet<String> = match schema.get("type")? {
        Value::String(t) => [t.clone()].into(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => return None,
    };
    Some(names.into_iter().filter(|t| t != "null").collect())
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

fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let numeric = |s: &BTreeSet<String>| s.contains("integer") || s.contains("number");
    a.iter().any(|t| b.contains(t)) || (numeric(a) && numeric(b))
}

fn shown_types(types: &Option<BTreeSet<String>>) -> String {
    match types {
        None => "any".to_owned(),
        Some(set) if set.is_empty() => "null".to_owned(),
        Some(set) => set
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_owned(), Value::to_string)
}

/// The values `enum` or `const` lists, each as canonical text (`1.0` is `1`).
fn listed(schema: &Value) -> Option<BTreeSet<String>> {
    if let Some(value) = schema.get("const") {
        return Some([canonical(value)].into());
    }
    Some(
        schema
            .get("enum")?
            .as_array()?
            .iter()
            .map(canonical)
            .collect(),
    )
}

fn canonical(value: &Value) -> String {
    let text = value.to_string();
    match value.as_number().and(Exact::parse(&text)) {
        Some(number) => number.normalized(),
        None => text,
    }
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
