//! `bankschema diff`: which changes between two versions of a schema source break
//! someone, and whom.
//!
//! Both versions go through the generator's own stages (so a `$ref`, `nullable` or
//! `$defs` move that changes nothing is seen as nothing), then each schema id's
//! message schema is walked side by side ([`walk`]). Every change says how the set
//! of values the schema allows moved ([`Values`]); the message's direction turns
//! that into a [`Severity`]: a response (or a tool's output) is read by clients, so
//! anything it may newly send breaks them; a request (a tool's input) is written by
//! callers, so anything it newly refuses breaks them. A change that may do both
//! (a pattern replaced by another) breaks both.
//!
//! Each change has a stable rule id in the style of oasdiff's:
//! `<direction>-<subject>-<kind>`, such as `response-property-type-changed`, where
//! the direction is `request` or `response`, the subject `body` (the payload's root)
//! or `property` (anything below it), and the kind one of [`KINDS`]. Kinds about
//! properties and whole messages carry their own subject
//! (`request-required-property-added`, `response-message-removed`).

mod report;
#[cfg(test)]
mod tests;
mod version;
mod walk;

pub use report::{failed, render, summary, Format};

use bankschema_model::model::{Api, Message};
use serde::Serialize;
pub use version::load_version;

/// Who writes a message and who reads it; decides who a change breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Sent by the server, read by clients.
    Response,
    /// Sent by callers, read by the server.
    Request,
}

impl Direction {
    fn of(message: &Message) -> Direction {
        match message.direction {
            bankschema_model::model::Direction::Request => Direction::Request,
            bankschema_model::model::Direction::Response => Direction::Response,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Direction::Response => "response",
            Direction::Request => "request",
        }
    }
}

/// How bad a change is, in increasing order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks no one (not a `--fail-on` level: every change would fail).
    #[value(skip)]
    Info,
    /// Breaks only some clients or callers (those relying on what the schema does
    /// not promise, or on the generated Rust types' shape).
    Warning,
    /// Breaks clients (a response) or callers (a request) that follow the old schema.
    Breaking,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Breaking => "breaking",
        }
    }
}

/// How the set of values a schema allows moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Values {
    /// It holds every old value, and more.
    Wider,
    /// Every value is an old one; some old ones are gone.
    Narrower,
    /// Neither, or not known which: some values may be new and some old ones gone.
    Other,
}

impl Values {
    /// What two changes to one place make together.
    fn and(self, other: Values) -> Values {
        if self == other {
            self
        } else {
            Values::Other
        }
    }
}

/// One change, as reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub schema_id: String,
    pub direction: Direction,
    /// Stable id, such as `response-property-type-changed`.
    pub rule: String,
    pub severity: Severity,
    /// Where in the payload, `*` standing for every array item or map value.
    pub pointer: String,
    pub message: String,
}

/// Every kind of change, with what it means: the last part of a rule id. The
/// README lists them; the tests hold every change found to this list.
#[cfg(test)]
pub const KINDS: &[(&str, &str)] = &[
    ("message-added", "a schema id is new"),
    ("message-removed", "a schema id is gone"),
    ("message-direction-changed", "a request became a response, or the reverse"),
    ("type-changed", "`type` changed (`integer` within `number`)"),
    ("became-nullable", "`null` is now allowed"),
    ("became-not-nullable", "`null` is no longer allowed"),
    ("enum-value-added", "an `enum`/`const` value is added"),
    ("enum-value-removed", "an `enum`/`const` value is removed"),
    ("enum-added", "an `enum` or `const` now limits the values"),
    ("enum-removed", "the `enum` or `const` is dropped"),
    ("format-added", "a `format` is asserted"),
    ("format-removed", "the `format` is dropped"),
    ("format-changed", "the `format` is another"),
    ("pattern-added", "a `pattern` is asserted"),
    ("pattern-removed", "the `pattern` is dropped"),
    ("pattern-changed", "the `pattern` is another (languages are not compared)"),
    ("multiple-of-added", "a `multipleOf` is asserted"),
    ("multiple-of-removed", "the `multipleOf` is dropped"),
    ("multiple-of-changed", "the `multipleOf` is another"),
    ("minimum-added", "a lower bound (`minimum`, `exclusiveMinimum`) is set"),
    ("minimum-removed", "the lower bound is dropped"),
    ("minimum-increased", "the lower bound is raised"),
    ("minimum-decreased", "the lower bound is lowered"),
    ("minimum-changed", "the lower bound changed beyond exact comparison"),
    ("maximum-added", "an upper bound (`maximum`, `exclusiveMaximum`) is set"),
    ("maximum-removed", "the upper bound is dropped"),
    ("maximum-increased", "the upper bound is raised"),
    ("maximum-decreased", "the upper bound is lowered"),
    ("maximum-changed", "the upper bound changed beyond exact comparison"),
    ("min-length-added", "a `minLength` is set"),
    ("min-length-removed", "the `minLength` is dropped"),
    ("min-length-increased", "the `minLength` is raised"),
    ("min-length-decreased", "the `minLength` is lowered"),
    ("max-length-added", "a `maxLength` is set"),
    ("max-length-removed", "the `maxLength` is dropped"),
    ("max-length-increased", "the `maxLength` is raised"),
    ("max-length-decreased", "the `maxLength` is lowered"),
    ("min-items-added", "a `minItems` is set"),
    ("min-items-removed", "the `minItems` is dropped"),
    ("min-items-increased", "the `minItems` is raised"),
    ("min-items-decreased", "the `minItems` is lowered"),
    ("max-items-added", "a `maxItems` is set"),
    ("max-items-removed", "the `maxItems` is dropped"),
    ("max-items-increased", "the `maxItems` is raised"),
    ("max-items-decreased", "the `maxItems` is lowered"),
    ("min-properties-added", "a `minProperties` is set"),
    ("min-properties-removed", "the `minProperties` is dropped"),
    ("min-properties-increased", "the `minProperties` is raised"),
    ("min-properties-decreased", "the `minProperties` is lowered"),
    ("max-properties-added", "a `maxProperties` is set"),
    ("max-properties-removed", "the `maxProperties` is dropped"),
    ("max-properties-increased", "the `maxProperties` is raised"),
    ("max-properties-decreased", "the `maxProperties` is lowered"),
    ("unique-items-added", "items must now be unique"),
    ("unique-items-removed", "items need no longer be unique"),
    ("items-added", "an `items` schema now governs the items"),
    ("items-removed", "the `items` schema is dropped"),
    ("required-property-added", "a property is added and required"),
    ("optional-property-added", "a property is added, not required"),
    ("required-property-removed", "a required property is removed"),
    ("optional-property-removed", "an optional property is removed"),
    ("property-became-required", "a property is now required"),
    ("property-became-optional", "a property is no longer required"),
    ("additional-properties-allowed", "unknown properties are no longer refused"),
    ("additional-properties-refused", "unknown properties are now refused"),
    ("additional-properties-constrained", "unknown properties now have a schema"),
    ("additional-properties-unconstrained", "unknown properties' schema is dropped"),
    ("pattern-property-added", "a `patternProperties` entry is added"),
    ("pattern-property-removed", "a `patternProperties` entry is removed"),
    ("any-of-added", "an `anyOf` now constrains the value"),
    ("any-of-removed", "the `anyOf` is dropped"),
    ("any-of-branch-added", "an `anyOf` branch is added"),
    ("any-of-branch-removed", "an `anyOf` branch is removed"),
    ("one-of-added", "a `oneOf` now constrains the value"),
    ("one-of-removed", "the `oneOf` is dropped"),
    ("one-of-branch-added", "a `oneOf` branch is added"),
    ("one-of-branch-removed", "a `oneOf` branch is removed"),
    ("all-of-added", "an `allOf` now constrains the value"),
    ("all-of-removed", "the `allOf` is dropped"),
    ("all-of-branch-added", "an `allOf` branch is added"),
    ("all-of-branch-removed", "an `allOf` branch is removed"),
    ("schema-narrowed", "a schema that allowed anything now constrains, or one that constrained now refuses everything"),
    ("schema-widened", "a schema that refused everything now allows some values, or one that constrained allows anything"),
    ("not-added", "a `not` is added"),
    ("not-removed", "the `not` is dropped"),
    ("not-changed", "the `not` changed (not compared further)"),
    ("if-then-else-added", "an `if`/`then`/`else` is added"),
    ("if-then-else-removed", "the `if`/`then`/`else` is dropped"),
    ("if-then-else-changed", "the `if`/`then`/`else` changed (not compared further)"),
    ("contains-added", "a `contains` (with `minContains`/`maxContains`) is added"),
    ("contains-removed", "the `contains` is dropped"),
    ("contains-changed", "the `contains` changed (not compared further)"),
    ("property-names-added", "a `propertyNames` is added"),
    ("property-names-removed", "the `propertyNames` is dropped"),
    ("property-names-changed", "the `propertyNames` changed (not compared further)"),
    ("dependent-required-added", "a `dependentRequired` is added"),
    ("dependent-required-removed", "the `dependentRequired` is dropped"),
    ("dependent-required-changed", "the `dependentRequired` changed"),
    ("dependent-schemas-added", "a `dependentSchemas` is added"),
    ("dependent-schemas-removed", "the `dependentSchemas` is dropped"),
    ("dependent-schemas-changed", "the `dependentSchemas` changed (not compared further)"),
    ("rule-added", "a prose rule (`x-bankschema-rules`) is attached"),
    ("rule-removed", "a prose rule is detached"),
    ("rule-options-changed", "a prose rule's options changed"),
    ("money-added", "the value becomes money (`x-bankschema-money`): its Rust type changes"),
    ("tolerant-added", "the enum reads values it does not list (`x-bankschema-tolerant`): its Rust type changes"),
    ("tolerant-removed", "the enum no longer reads values it does not list: its Rust type changes"),
    ("money-removed", "the value is no longer money: its Rust type changes"),
    ("deprecated", "the value is marked `deprecated`"),
];

/// Kinds whose name says its subject: their rule id has no `body`/`property` part.
const WITH_SUBJECT: &[&str] = &[
    "message-added",
    "message-removed",
    "message-direction-changed",
    "required-property-added",
    "optional-property-added",
    "required-property-removed",
    "optional-property-removed",
    "property-became-required",
    "property-became-optional",
];

/// The rule id of a change of `kind` at `pointer` in a message of `direction`.
fn rule_id(direction: Direction, kind: &str, pointer: &str) -> String {
    if WITH_SUBJECT.contains(&kind) {
        format!("{}-{kind}", direction.name())
    } else {
        let subject = if pointer.is_empty() {
            "body"
        } else {
            "property"
        };
        format!("{}-{subject}-{kind}", direction.name())
    }
}

/// Every change between `old` and `new`, message by message, in the old version's
/// order and then the new messages.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = Vec::new();
    for message in &old.messages {
        let direction = Direction::of(message);
        let fixed = |kind: &str, severity, text: String| Change {
            schema_id: message.id.clone(),
            direction,
            rule: rule_id(direction, kind, ""),
            severity,
            pointer: String::new(),
            message: text,
        };
        let Some(next) = new.messages.iter().find(|m| m.id == message.id) else {
            changes.push(fixed(
                "message-removed",
                Severity::Breaking,
                format!(
                    "the {} is removed: everyone exchanging it breaks",
                    direction.name()
                ),
            ));
            continue;
        };
        if Direction::of(next) != direction {
            changes.push(fixed(
                "message-direction-changed",
                Severity::Breaking,
                format!(
                    "the {} is now a {}: everyone exchanging it breaks",
                    direction.name(),
                    Direction::of(next).name()
                ),
            ));
            continue;
        }
        let (old_schema, new_schema) = (old.message_schema(message), new.message_schema(next));
        for found in walk::Walk::new(&old_schema, &new_schema).run() {
            let severity = found.severity(direction);
            let who = found.who(direction, severity);
            changes.push(Change {
                schema_id: message.id.clone(),
                direction,
                rule: rule_id(direction, &found.kind, &found.pointer),
                severity,
                message: format!("{}{who}", found.what),
                pointer: found.pointer,
            });
        }
    }
    for message in &new.messages {
        if !old.messages.iter().any(|m| m.id == message.id) {
            let direction = Direction::of(message);
            changes.push(Change {
                schema_id: message.id.clone(),
                direction,
                rule: rule_id(direction, "message-added", ""),
                severity: Severity::Info,
                pointer: String::new(),
                message: format!("a new {}: breaks no one", direction.name()),
            });
        }
    }
    changes
}
