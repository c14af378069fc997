//! The side-by-side walk of two versions of one message schema.
//!
//! Schemas are compared by structure: a `$ref` is followed on each side, so a
//! definition renamed, inlined or moved is no change; `oneOf`/`anyOf`/`allOf`
//! branches are matched by structure (then by their tag, then by position), never
//! by position alone. What the walk cannot compare exactly (a pattern's language, a
//! `not`) it reports as [`Values::Other`], which breaks both directions: a diff
//! that gates a release may be cautious, never optimistic.
//!
//! This module holds the walk itself (references, recursion, nullability); each
//! kind of keyword is compared in its own module: `scalars` (types, listed values,
//! strings, numbers and bounds), `arrays`, `objects` (properties), `branches`
//! (`anyOf`, `oneOf`, `allOf`) and `keywords` (groups, markers, rules).

mod arrays;
mod branches;
mod keywords;
mod objects;
mod scalars;

use super::{Direction, Severity, Values};
use bankschema_rules::decimal::Exact;
use bankschema_rules::vocabulary::{MONEY, TOLERANT};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};

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

/// The schema `true` stands for: one without keywords.
static EMPTY: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| Value::Object(Map::new()));

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
        self.compare_lengths(old, new, at);
        self.compare_arrays(old, new, at);
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
