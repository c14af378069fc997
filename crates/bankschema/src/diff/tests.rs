//! The diff judged change by change (a table modelled on oasdiff's examples of
//! breaking and non-breaking changes, with cases of its own) and as a property: a
//! schema loosened breaks a response's clients and no request's callers.

use super::*;
use bankschema_model::model::Direction as Kind;
use bankschema_model::normalise::Dialect;
use proptest::prelude::*;
use serde_json::{json, Value};
use Severity::{Breaking as B, Info as I, Warning as W};

/// A one-message API whose root is `schema`, read as the generator reads it.
fn api(schema: &Value, direction: Kind) -> Api {
    let mut api = bankschema_model::document::api(
        "t",
        std::path::Path::new("t.json"),
        Dialect::JsonSchema,
        schema,
        "Root",
    )
    .unwrap_or_else(|e| panic!("{schema}: {e}"));
    api.messages[0].direction = direction;
    api
}

/// The changes from `old` to `new` as a message of `direction`.
fn changes(old: &Value, new: &Value, direction: Kind) -> Vec<Change> {
    diff(&api(old, direction), &api(new, direction))
}

/// `schema` as the property `p` of an object.
fn p(schema: Value) -> Value {
    json!({"type": "object", "properties": {"p": schema}})
}

/// `base` with `extra`'s members added.
fn with(base: Value, extra: Value) -> Value {
    let mut base = base;
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        base.extend(extra.clone());
    }
    base
}

fn string(extra: Value) -> Value {
    p(with(json!({"type": "string"}), extra))
}

fn number(extra: Value) -> Value {
    p(with(json!({"type": "number"}), extra))
}

fn array(extra: Value) -> Value {
    p(with(
        json!({"type": "array", "items": {"type": "string"}}),
        extra,
    ))
}

fn object(extra: Value) -> Value {
    with(
        json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        extra,
    )
}

/// A tagged union of the branches given, each `{kind: <tag>, ...}`.
fn tagged(branches: &[(&str, Value)]) -> Value {
    let branches: Vec<Value> = branches
        .iter()
        .map(|(tag, extra)| {
            with(
                json!({"type": "object", "required": ["kind"], "properties": {"kind": {"const": tag}}}),
                extra.clone(),
            )
        })
        .collect();
    p(json!({"oneOf": branches}))
}

/// (what, old, new, kind of the change expected, worst severity in a response, in
/// a request); an empty kind expects no change at all.
fn cases() -> Vec<(&'static str, Value, Value, &'static str, Severity, Severity)> {
    let node = |leaf: &str| {
        json!({
            "$defs": {"Node": {"type": "object", "properties": {
                "name": {"type": leaf},
                "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}
            }}},
            "$ref": "#/$defs/Node"
        })
    };
    let defs = |name: &str, inline: bool| {
        let target = json!({"type": "string", "maxLength": 3});
        if inline {
            p(target)
        } else {
            json!({"$defs": {name: target}, "type": "object", "properties": {"p": {"$ref": format!("#/$defs/{name}")}}})
        }
    };
    let currency = |multi: bool| {
        string(
            json!({"x-bankschema-rules": [{"rule": "iso4217.currency", "multiCurrency": multi}]}),
        )
    };
    vec![
        (
            "string to integer",
            string(json!({})),
            p(json!({"type": "integer"})),
            "type-changed",
            B,
            B,
        ),
        (
            "string to number",
            string(json!({})),
            number(json!({})),
            "type-changed",
            B,
            B,
        ),
        (
            "integer to string",
            p(json!({"type": "integer"})),
            string(json!({})),
            "type-changed",
            B,
            B,
        ),
        (
            "integer to number",
            p(json!({"type": "integer"})),
            number(json!({})),
            "type-changed",
            B,
            I,
        ),
        (
            "number to integer",
            number(json!({})),
            p(json!({"type": "integer"})),
            "type-changed",
            I,
            B,
        ),
        (
            "a type is set",
            p(json!({})),
            string(json!({})),
            "type-changed",
            I,
            B,
        ),
        (
            "the type is dropped",
            string(json!({})),
            p(json!({})),
            "type-changed",
            B,
            I,
        ),
        (
            "a type is added to a list",
            string(json!({})),
            p(json!({"type": ["string", "integer"]})),
            "type-changed",
            B,
            I,
        ),
        (
            "null allowed",
            string(json!({})),
            p(json!({"type": ["string", "null"]})),
            "became-nullable",
            B,
            I,
        ),
        (
            "null no longer allowed",
            p(json!({"type": ["string", "null"]})),
            string(json!({})),
            "became-not-nullable",
            I,
            B,
        ),
        (
            "null allowed through anyOf",
            string(json!({})),
            p(json!({"anyOf": [{"type": "string"}, {"type": "null"}]})),
            "became-nullable",
            B,
            I,
        ),
        (
            "nullable written two ways",
            p(json!({"anyOf": [{"type": "string"}, {"type": "null"}]})),
            p(json!({"type": ["string", "null"]})),
            "",
            I,
            I,
        ),
        (
            "enum value added",
            string(json!({"enum": ["a"]})),
            string(json!({"enum": ["a", "b"]})),
            "enum-value-added",
            B,
            I,
        ),
        (
            "enum value added to a tolerant enum",
            string(json!({"enum": ["a"], "x-bankschema-tolerant": true})),
            string(json!({"enum": ["a", "b"], "x-bankschema-tolerant": true})),
            "enum-value-added",
            W,
            I,
        ),
        (
            "an enum made tolerant",
            string(json!({"enum": ["a"]})),
            string(json!({"enum": ["a"], "x-bankschema-tolerant": true})),
            "tolerant-added",
            W,
            W,
        ),
        (
            "a tolerant enum made closed",
            string(json!({"enum": ["a"], "x-bankschema-tolerant": true})),
            string(json!({"enum": ["a"]})),
            "tolerant-removed",
            W,
            W,
        ),
        (
            "enum value removed",
            string(json!({"enum": ["a", "b"]})),
            string(json!({"enum": ["a"]})),
            "enum-value-removed",
            I,
            B,
        ),
        (
            "enum set",
            string(json!({})),
            string(json!({"enum": ["a"]})),
            "enum-added",
            I,
            B,
        ),
        (
            "enum dropped",
            string(json!({"enum": ["a"]})),
            string(json!({})),
            "enum-removed",
            B,
            I,
        ),
        (
            "const replaced",
            string(json!({"const": "a"})),
            string(json!({"const": "b"})),
            "enum-value-added",
            B,
            B,
        ),
        (
            "const widened to an enum",
            string(json!({"const": "a"})),
            string(json!({"enum": ["a", "b"]})),
            "enum-value-added",
            B,
            I,
        ),
        (
            "enum numbers written otherwise",
            number(json!({"enum": [1.0, 2]})),
            number(json!({"enum": [1, 2.00]})),
            "",
            I,
            I,
        ),
        (
            "format set",
            string(json!({})),
            string(json!({"format": "date"})),
            "format-added",
            I,
            B,
        ),
        (
            "format dropped",
            string(json!({"format": "date"})),
            string(json!({})),
            "format-removed",
            B,
            I,
        ),
        (
            "format replaced",
            string(json!({"format": "date"})),
            string(json!({"format": "date-time"})),
            "format-changed",
            B,
            B,
        ),
        (
            "pattern set",
            string(json!({})),
            string(json!({"pattern": "^[A-Z]{3}$"})),
            "pattern-added",
            I,
            B,
        ),
        (
            "pattern dropped",
            string(json!({"pattern": "^[A-Z]{3}$"})),
            string(json!({})),
            "pattern-removed",
            B,
            I,
        ),
        (
            "pattern replaced",
            string(json!({"pattern": "^[A-Z]{3}$"})),
            string(json!({"pattern": "^[A-Z]{2,3}$"})),
            "pattern-changed",
            B,
            B,
        ),
        (
            "multipleOf set",
            number(json!({})),
            number(json!({"multipleOf": 0.01})),
            "multiple-of-added",
            I,
            B,
        ),
        (
            "multipleOf dropped",
            number(json!({"multipleOf": 0.01})),
            number(json!({})),
            "multiple-of-removed",
            B,
            I,
        ),
        (
            "multipleOf coarser",
            number(json!({"multipleOf": 0.01})),
            number(json!({"multipleOf": 0.05})),
            "multiple-of-changed",
            I,
            B,
        ),
        (
            "multipleOf finer",
            number(json!({"multipleOf": 0.05})),
            number(json!({"multipleOf": 0.01})),
            "multiple-of-changed",
            B,
            I,
        ),
        (
            "multipleOf unrelated",
            number(json!({"multipleOf": 0.03})),
            number(json!({"multipleOf": 0.02})),
            "multiple-of-changed",
            B,
            B,
        ),
        (
            "minimum set",
            number(json!({})),
            number(json!({"minimum": 0})),
            "minimum-added",
            I,
            B,
        ),
        (
            "minimum dropped",
            number(json!({"minimum": 0})),
            number(json!({})),
            "minimum-removed",
            B,
            I,
        ),
        (
            "minimum raised",
            number(json!({"minimum": 0})),
            number(json!({"minimum": 0.01})),
            "minimum-increased",
            I,
            B,
        ),
        (
            "minimum lowered",
            number(json!({"minimum": 0})),
            number(json!({"minimum": -1})),
            "minimum-decreased",
            B,
            I,
        ),
        (
            "minimum made exclusive",
            number(json!({"minimum": 0})),
            number(json!({"exclusiveMinimum": 0})),
            "minimum-increased",
            I,
            B,
        ),
        (
            "exclusive minimum made inclusive",
            number(json!({"exclusiveMinimum": 0})),
            number(json!({"minimum": 0})),
            "minimum-decreased",
            B,
            I,
        ),
        (
            "maximum raised",
            number(json!({"maximum": 9})),
            number(json!({"maximum": 9.5})),
            "maximum-increased",
            B,
            I,
        ),
        (
            "maximum lowered",
            number(json!({"maximum": 9})),
            number(json!({"maximum": 8})),
            "maximum-decreased",
            I,
            B,
        ),
        (
            "exclusiveMaximum lowered",
            number(json!({"exclusiveMaximum": 9})),
            number(json!({"exclusiveMaximum": 8})),
            "maximum-decreased",
            I,
            B,
        ),
        (
            "maximum made exclusive",
            number(json!({"maximum": 9})),
            number(json!({"exclusiveMaximum": 9})),
            "maximum-decreased",
            I,
            B,
        ),
        (
            "the same bound written otherwise",
            number(json!({"maximum": 1.10})),
            number(json!({"maximum": 1.1})),
            "",
            I,
            I,
        ),
        (
            "a bound in exponent form",
            number(json!({"maximum": 100})),
            number(json!({"maximum": 1e2})),
            "",
            I,
            I,
        ),
        (
            "a bound beyond 28 digits, unchanged",
            number(json!({"maximum": 1e40})),
            number(json!({"maximum": 1e40})),
            "",
            I,
            I,
        ),
        (
            "a bound beyond 28 digits, raised: compared exactly",
            number(json!({"maximum": 1e40})),
            number(json!({"maximum": 1e41})),
            "maximum-increased",
            B,
            I,
        ),
        (
            "a bound that is no number, changed",
            number(json!({"maximum": "a"})),
            number(json!({"maximum": "b"})),
            "maximum-changed",
            B,
            B,
        ),
        (
            "multipleOf beyond 28 digits, a multiple of the old",
            number(json!({"multipleOf": 1e-40})),
            number(json!({"multipleOf": 3e-40})),
            "multiple-of-changed",
            I,
            B,
        ),
        (
            "minLength raised",
            string(json!({"minLength": 1})),
            string(json!({"minLength": 5})),
            "min-length-increased",
            I,
            B,
        ),
        (
            "minLength lowered",
            string(json!({"minLength": 5})),
            string(json!({"minLength": 1})),
            "min-length-decreased",
            B,
            I,
        ),
        (
            "maxLength raised",
            string(json!({"maxLength": 10})),
            string(json!({"maxLength": 20})),
            "max-length-increased",
            B,
            I,
        ),
        (
            "maxLength lowered",
            string(json!({"maxLength": 20})),
            string(json!({"maxLength": 10})),
            "max-length-decreased",
            I,
            B,
        ),
        (
            "maxLength set",
            string(json!({})),
            string(json!({"maxLength": 5})),
            "max-length-added",
            I,
            B,
        ),
        (
            "maxLength dropped",
            string(json!({"maxLength": 5})),
            string(json!({})),
            "max-length-removed",
            B,
            I,
        ),
        (
            "minItems raised",
            array(json!({"minItems": 0})),
            array(json!({"minItems": 2})),
            "min-items-increased",
            I,
            B,
        ),
        (
            "minItems lowered",
            array(json!({"minItems": 2})),
            array(json!({"minItems": 0})),
            "min-items-decreased",
            B,
            I,
        ),
        (
            "maxItems lowered",
            array(json!({"maxItems": 5})),
            array(json!({"maxItems": 3})),
            "max-items-decreased",
            I,
            B,
        ),
        (
            "maxItems dropped",
            array(json!({"maxItems": 5})),
            array(json!({})),
            "max-items-removed",
            B,
            I,
        ),
        (
            "uniqueItems set",
            array(json!({})),
            array(json!({"uniqueItems": true})),
            "unique-items-added",
            I,
            B,
        ),
        (
            "uniqueItems dropped",
            array(json!({"uniqueItems": true})),
            array(json!({"uniqueItems": false})),
            "unique-items-removed",
            B,
            I,
        ),
        (
            "items made nullable",
            array(json!({})),
            array(json!({"items": {"type": ["string", "null"]}})),
            "became-nullable",
            B,
            I,
        ),
        (
            "items retyped",
            array(json!({})),
            array(json!({"items": {"type": "integer"}})),
            "type-changed",
            B,
            B,
        ),
        (
            "items schema set",
            p(json!({"type": "array"})),
            array(json!({})),
            "items-added",
            I,
            B,
        ),
        (
            "items schema dropped",
            array(json!({})),
            p(json!({"type": "array"})),
            "items-removed",
            B,
            I,
        ),
        (
            "minProperties set",
            object(json!({})),
            object(json!({"minProperties": 1})),
            "min-properties-added",
            I,
            B,
        ),
        (
            "maxProperties raised",
            object(json!({"maxProperties": 2})),
            object(json!({"maxProperties": 3})),
            "max-properties-increased",
            B,
            I,
        ),
        (
            "required property added",
            object(json!({})),
            object(
                json!({"required": ["b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}),
            ),
            "required-property-added",
            I,
            B,
        ),
        (
            "optional property added to an open object",
            object(json!({})),
            object(json!({"properties": {"a": {"type": "string"}, "b": {"type": "string"}}})),
            "optional-property-added",
            I,
            W,
        ),
        (
            "optional property added to a closed object",
            object(json!({"additionalProperties": false})),
            object(
                json!({"additionalProperties": false, "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}),
            ),
            "optional-property-added",
            B,
            I,
        ),
        (
            "required property removed",
            object(json!({"required": ["a"]})),
            object(json!({"properties": {}})),
            "required-property-removed",
            B,
            I,
        ),
        (
            "optional property removed from an open object",
            object(json!({})),
            object(json!({"properties": {}})),
            "optional-property-removed",
            B,
            I,
        ),
        (
            "optional property removed from a closed object",
            object(json!({"additionalProperties": false})),
            object(json!({"additionalProperties": false, "properties": {}})),
            "optional-property-removed",
            I,
            B,
        ),
        (
            "property becomes required",
            object(json!({})),
            object(json!({"required": ["a"]})),
            "property-became-required",
            I,
            B,
        ),
        (
            "property becomes optional",
            object(json!({"required": ["a"]})),
            object(json!({})),
            "property-became-optional",
            B,
            I,
        ),
        (
            "a name without a schema becomes required",
            object(json!({})),
            object(json!({"required": ["z"]})),
            "property-became-required",
            I,
            B,
        ),
        (
            "unknown properties allowed",
            object(json!({"additionalProperties": false})),
            object(json!({})),
            "additional-properties-allowed",
            B,
            I,
        ),
        (
            "unknown properties refused",
            object(json!({})),
            object(json!({"additionalProperties": false})),
            "additional-properties-refused",
            I,
            B,
        ),
        (
            "unknown properties constrained",
            object(json!({})),
            object(json!({"additionalProperties": {"type": "string"}})),
            "additional-properties-constrained",
            I,
            B,
        ),
        (
            "unknown properties unconstrained",
            object(json!({"additionalProperties": {"type": "string"}})),
            object(json!({})),
            "additional-properties-unconstrained",
            B,
            I,
        ),
        (
            "unknown properties retyped",
            object(json!({"additionalProperties": {"type": "string"}})),
            object(json!({"additionalProperties": {"type": "integer"}})),
            "type-changed",
            B,
            B,
        ),
        (
            "patternProperties entry added",
            object(json!({})),
            object(json!({"patternProperties": {"^x-": {"type": "string"}}})),
            "pattern-property-added",
            I,
            B,
        ),
        (
            "patternProperties entry removed",
            object(json!({"patternProperties": {"^x-": {"type": "string"}}})),
            object(json!({})),
            "pattern-property-removed",
            B,
            I,
        ),
        (
            "patternProperties entry widened",
            object(json!({"patternProperties": {"^x-": {"type": "string", "maxLength": 3}}})),
            object(json!({"patternProperties": {"^x-": {"type": "string"}}})),
            "max-length-removed",
            B,
            I,
        ),
        (
            "oneOf branch added",
            tagged(&[("a", json!({})), ("b", json!({}))]),
            tagged(&[("a", json!({})), ("b", json!({})), ("c", json!({}))]),
            "one-of-branch-added",
            B,
            I,
        ),
        (
            "oneOf branch removed",
            tagged(&[("a", json!({})), ("b", json!({}))]),
            tagged(&[("a", json!({}))]),
            "one-of-branch-removed",
            I,
            B,
        ),
        (
            "oneOf branches reordered",
            tagged(&[("a", json!({})), ("b", json!({}))]),
            tagged(&[("b", json!({})), ("a", json!({}))]),
            "",
            I,
            I,
        ),
        (
            "oneOf branch widened, matched by its tag whatever its place",
            tagged(&[
                (
                    "a",
                    json!({"properties": {"kind": {"const": "a"}, "v": {"type": "string", "maxLength": 3}}}),
                ),
                ("b", json!({})),
            ]),
            tagged(&[
                ("b", json!({})),
                (
                    "a",
                    json!({"properties": {"kind": {"const": "a"}, "v": {"type": "string", "maxLength": 9}}}),
                ),
            ]),
            "max-length-increased",
            B,
            I,
        ),
        (
            "a branch of a oneOf whose branches overlap widened",
            p(
                json!({"oneOf": [{"type": "string", "maxLength": 3}, {"type": "string", "minLength": 5}]}),
            ),
            p(
                json!({"oneOf": [{"type": "string", "maxLength": 6}, {"type": "string", "minLength": 5}]}),
            ),
            "max-length-increased",
            B,
            B,
        ),
        (
            "oneOf of disjoint types: a branch widened",
            p(json!({"oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}]})),
            p(json!({"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 6}]})),
            "max-length-increased",
            B,
            I,
        ),
        (
            "anyOf branch added",
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})),
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]})),
            "any-of-branch-added",
            B,
            I,
        ),
        (
            "anyOf branch added that another allowed",
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})),
            p(
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "string", "maxLength": 3}]}),
            ),
            "any-of-branch-added",
            I,
            I,
        ),
        (
            "anyOf branch removed that another allows",
            p(
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "integer", "minimum": 3}]}),
            ),
            p(json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})),
            "any-of-branch-removed",
            I,
            I,
        ),
        (
            "anyOf branch removed",
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})),
            p(
                json!({"anyOf": [{"type": "integer"}, {"type": "boolean", "const": true}, {"type": "string", "enum": ["x"]}]}),
            ),
            "enum-added",
            B,
            B,
        ),
        (
            "anyOf branch dropped",
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]})),
            p(json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})),
            "any-of-branch-removed",
            I,
            B,
        ),
        (
            "anyOf set",
            string(json!({})),
            string(json!({"anyOf": [{"maxLength": 3}, {"minLength": 9}]})),
            "any-of-added",
            I,
            B,
        ),
        (
            "allOf branch added",
            p(json!({"allOf": [{"type": "string"}]})),
            p(json!({"allOf": [{"type": "string"}, {"maxLength": 3}]})),
            "all-of-branch-added",
            I,
            B,
        ),
        (
            "allOf branch removed",
            p(json!({"allOf": [{"type": "string"}, {"maxLength": 3}]})),
            p(json!({"allOf": [{"type": "string"}]})),
            "all-of-branch-removed",
            B,
            I,
        ),
        (
            "a definition renamed",
            defs("Code", false),
            defs("CurrencyCode", false),
            "",
            I,
            I,
        ),
        (
            "a definition inlined",
            defs("Code", false),
            defs("Code", true),
            "",
            I,
            I,
        ),
        (
            "a recursive definition changed deep down",
            node("string"),
            node("integer"),
            "type-changed",
            B,
            B,
        ),
        (
            "a recursive definition unchanged",
            node("string"),
            node("string"),
            "",
            I,
            I,
        ),
        (
            "not set",
            string(json!({})),
            string(json!({"not": {"const": "x"}})),
            "not-added",
            I,
            B,
        ),
        (
            "not changed",
            string(json!({"not": {"const": "x"}})),
            string(json!({"not": {"const": "y"}})),
            "not-changed",
            B,
            B,
        ),
        (
            "if/then set",
            object(json!({})),
            object(json!({"if": {"required": ["a"]}, "then": {"required": ["b"]}})),
            "if-then-else-added",
            I,
            B,
        ),
        (
            "contains dropped",
            array(json!({"contains": {"const": "x"}})),
            array(json!({})),
            "contains-removed",
            B,
            I,
        ),
        (
            "propertyNames changed",
            object(json!({"propertyNames": {"maxLength": 3}})),
            object(json!({"propertyNames": {"maxLength": 4}})),
            "property-names-changed",
            B,
            B,
        ),
        (
            "dependentRequired set",
            object(json!({})),
            object(json!({"dependentRequired": {"a": ["b"]}})),
            "dependent-required-added",
            I,
            B,
        ),
        (
            "a MUST rule attached",
            string(json!({})),
            string(json!({"x-bankschema-rules": ["iso13616.iban"]})),
            "rule-added",
            I,
            B,
        ),
        (
            "a MUST rule detached",
            string(json!({"x-bankschema-rules": ["iso13616.iban"]})),
            string(json!({})),
            "rule-removed",
            B,
            I,
        ),
        (
            "a SHOULD rule attached",
            p(json!({"type": "boolean"})),
            p(json!({"type": "boolean", "x-bankschema-rules": ["bank2ai.single-default"]})),
            "rule-added",
            I,
            I,
        ),
        (
            "a rule's options changed",
            currency(false),
            currency(true),
            "rule-options-changed",
            B,
            B,
        ),
        (
            "money marked",
            number(json!({})),
            number(json!({"x-bankschema-money": true})),
            "money-added",
            W,
            W,
        ),
        (
            "deprecated",
            string(json!({})),
            string(json!({"deprecated": true})),
            "deprecated",
            I,
            I,
        ),
        (
            "documentation only",
            string(json!({"description": "a"})),
            string(json!({"description": "b", "title": "B", "examples": ["x"]})),
            "",
            I,
            I,
        ),
    ]
}

#[test]
fn each_change_has_its_rule_and_severity_in_each_direction() {
    let cases = cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut failures = Vec::new();
    for (what, old, new, kind, response, request) in &cases {
        for (direction, expected) in [(Kind::Response, response), (Kind::Request, request)] {
            let found = changes(old, new, direction);
            let name = Direction::of(&api(old, direction).messages[0]).name();
            let worst = found.iter().map(|c| c.severity).max();
            let ok = if kind.is_empty() {
                found.is_empty()
            } else {
                worst == Some(*expected)
                    && found.iter().any(|c| {
                        c.rule
                            == rule_id(
                                Direction::of(&api(old, direction).messages[0]),
                                kind,
                                &c.pointer,
                            )
                    })
            };
            if !ok {
                failures.push(format!(
                    "{what} ({name}): expected {kind} {expected:?}, found {found:#?}"
                ));
            }
            for change in &found {
                assert!(
                    KINDS
                        .iter()
                        .any(|(k, _)| change.rule.ends_with(&format!("-{k}"))),
                    "{what}: {} is in no kind of the catalogue",
                    change.rule
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn messages_removed_added_or_turned_around() {
    let one = api(&string(json!({})), Kind::Response);
    let mut renamed = one.clone();
    renamed.messages[0].id = "t.other".into();
    let found = diff(&one, &renamed);
    let rules: Vec<(&str, Severity)> = found
        .iter()
        .map(|c| (c.rule.as_str(), c.severity))
        .collect();
    assert_eq!(
        rules,
        [
            ("response-message-removed", B),
            ("response-message-added", I)
        ]
    );
    let mut turned = one.clone();
    turned.messages[0].direction = Kind::Request;
    let found = diff(&one, &turned);
    assert_eq!(found[0].rule, "response-message-direction-changed");
    assert_eq!(found[0].severity, B);
}

#[test]
fn every_kind_is_documented_in_the_readme() {
    let readme = include_str!("../../../../README.md");
    for (kind, _) in KINDS {
        assert!(
            readme.contains(&format!("`{kind}`")),
            "README lists no `{kind}`"
        );
    }
}

/// Reads choices from bytes, 0 once they run out: a schema built from them is
/// shrunk by proptest as the bytes are.
struct Choices<'a>(std::slice::Iter<'a, u8>);

impl Choices<'_> {
    fn next(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }

    fn pick(&mut self, n: u8) -> u8 {
        self.next() % n
    }

    fn flag(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

/// A schema and a loosened copy: every change from the first to the second lets
/// more values through (a bound relaxed or dropped, a type widened, null allowed,
/// an enum value or a branch added, a requirement dropped, a property dropped from
/// an open object, a definition renamed).
fn loosened(choices: &mut Choices, depth: u8) -> (Value, Value) {
    let kind = if depth == 0 {
        choices.pick(3)
    } else {
        choices.pick(8)
    };
    let (mut strict, mut loose) = match kind {
        0 => {
            let (mut s, mut l) = (json!({"type": "string"}), json!({"type": "string"}));
            if choices.flag() {
                let n = choices.pick(9) + 1;
                s["maxLength"] = n.into();
                match choices.pick(3) {
                    0 => l["maxLength"] = n.into(),
                    1 => l["maxLength"] = (n + 1 + choices.pick(5)).into(),
                    _ => {}
                }
            }
            if choices.flag() {
                s["pattern"] = "^[a-z]*$".into();
                if choices.flag() {
                    l["pattern"] = "^[a-z]*$".into();
                }
            }
            if choices.flag() {
                s["format"] = "date".into();
                if choices.flag() {
                    l["format"] = "date".into();
                }
            }
            if choices.flag() {
                s["enum"] = json!(["a", "b"]);
                match choices.pick(3) {
                    0 => l["enum"] = json!(["a", "b"]),
                    1 => l["enum"] = json!(["c", "a", "b"]),
                    _ => {}
                }
            }
            (s, l)
        }
        1 => {
            let integer = choices.flag();
            let mut s = json!({"type": if integer { "integer" } else { "number" }});
            let mut l =
                json!({"type": if integer && choices.flag() { "integer" } else { "number" }});
            if choices.flag() {
                let low = i64::from(choices.pick(10));
                s["minimum"] = low.into();
                match choices.pick(4) {
                    0 => l["minimum"] = low.into(),
                    1 => l["minimum"] = (low - 1 - i64::from(choices.pick(3))).into(),
                    2 => l["exclusiveMinimum"] = (low - 1).into(),
                    _ => {}
                }
            }
            if choices.flag() {
                s["exclusiveMaximum"] = 100.into();
                match choices.pick(3) {
                    0 => l["exclusiveMaximum"] = 100.into(),
                    1 => l["maximum"] = 100.into(),
                    _ => {}
                }
            }
            if !integer && choices.flag() {
                s["multipleOf"] = json!(0.05);
                match choices.pick(3) {
                    0 => l["multipleOf"] = json!(0.05),
                    1 => l["multipleOf"] = json!(0.01),
                    _ => {}
                }
            }
            (s, l)
        }
        2 => (json!({"type": "boolean"}), json!({"type": "boolean"})),
        3 => {
            let (items, loose_items) = loosened(choices, depth - 1);
            let mut s = json!({"type": "array", "items": items});
            let mut l = json!({"type": "array", "items": loose_items});
            if choices.flag() {
                s["maxItems"] = 4.into();
                if choices.flag() {
                    l["maxItems"] = (4 + choices.pick(3)).into();
                }
            }
            if choices.flag() {
                s["uniqueItems"] = true.into();
                if choices.flag() {
                    l["uniqueItems"] = true.into();
                }
            }
            (s, l)
        }
        4 | 5 => {
            let closed = choices.flag();
            let stays_closed = closed && choices.flag();
            let (mut sp, mut lp) = (serde_json::Map::new(), serde_json::Map::new());
            let (mut sr, mut lr) = (Vec::new(), Vec::new());
            for name in ["a", "b", "c"]
                .into_iter()
                .take(usize::from(choices.pick(3)) + 1)
            {
                let (s, l) = loosened(choices, depth - 1);
                sp.insert(name.into(), s);
                // Dropping a property lets any value through only where unknown
                // properties are allowed.
                let dropped = !stays_closed && choices.pick(4) == 0;
                if !dropped {
                    lp.insert(name.into(), l);
                }
                if choices.flag() {
                    sr.push(name);
                    if !dropped && choices.flag() {
                        lr.push(name);
                    }
                }
            }
            let mut s = json!({"type": "object", "properties": sp, "required": sr});
            let mut l = json!({"type": "object", "properties": lp, "required": lr});
            if closed {
                s["additionalProperties"] = false.into();
            }
            if stays_closed {
                l["additionalProperties"] = false.into();
            }
            (s, l)
        }
        6 => {
            // A tagged union: branches may widen and new tags may appear.
            let (mut sb, mut lb) = (Vec::new(), Vec::new());
            for tag in ["x", "y"] {
                let (s, l) = loosened(choices, depth - 1);
                let branch = |v: Value| json!({"type": "object", "required": ["kind"], "properties": {"kind": {"const": tag}, "v": v}});
                sb.push(branch(s));
                lb.push(branch(l));
            }
            if choices.flag() {
                lb.insert(usize::from(choices.pick(2)), json!({"type": "object", "required": ["kind"], "properties": {"kind": {"const": "z"}}}));
            }
            if choices.flag() {
                lb.reverse();
            }
            (json!({"oneOf": sb}), json!({"oneOf": lb}))
        }
        _ => {
            let (a, la) = loosened(choices, depth - 1);
            let (b, lb) = loosened(choices, depth - 1);
            if choices.flag() {
                // anyOf may gain a branch (one no other branch allows all of: a
                // branch added where another allowed it all changes nothing);
                // allOf may lose one.
                let boolean = |s: &Value| s.to_string().contains("boolean");
                let mut loose = vec![la, lb];
                if choices.flag() && !boolean(&a) && !boolean(&b) {
                    loose.push(json!({"type": "boolean"}));
                }
                (json!({"anyOf": [a, b]}), json!({"anyOf": loose}))
            } else if choices.flag() {
                (json!({"allOf": [a, b]}), json!({"allOf": [la]}))
            } else {
                (json!({"allOf": [a, b]}), json!({"allOf": [la, lb]}))
            }
        }
    };
    if choices.pick(4) == 0 {
        let both = choices.flag();
        for (schema, nullable) in [(&mut strict, both), (&mut loose, true)] {
            if nullable {
                *schema = json!({"anyOf": [schema.clone(), {"type": "null"}]});
            }
        }
    }
    (strict, loose)
}

/// The root of a message around `schema`, behind a definition named `name`.
fn behind(schema: Value, name: &str) -> Value {
    json!({"$defs": {name: schema}, "$ref": format!("#/$defs/{name}")})
}

/// `schema` with its branches in one order: reordering them is no change.
fn unordered(schema: &Value) -> Value {
    match schema {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| {
                    let mut v = unordered(v);
                    if let (true, Value::Array(items)) = (k == "oneOf" || k == "anyOf", &mut v) {
                        items.sort_by_key(Value::to_string);
                    }
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(unordered).collect()),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_loosened_schema_breaks_clients_and_no_caller(bytes in proptest::collection::vec(any::<u8>(), 0..160)) {
        let mut choices = Choices(bytes.iter());
        let (strict, loose) = loosened(&mut choices, 3);
        let (strict_copy, loose_copy) = (strict.clone(), loose.clone());
        let (old, new) = (behind(strict, "Old"), behind(loose, "Renamed"));
        let response = changes(&old, &new, Kind::Response);
        if unordered(&strict_copy) == unordered(&loose_copy) {
            prop_assert!(response.is_empty(), "nothing changed, yet: {response:#?}");
        } else {
            prop_assert!(
                response.iter().any(|c| c.severity == Severity::Breaking),
                "a response let more values through without breaking: {old:#}\n{new:#}\n{response:#?}"
            );
        }
        let request = changes(&old, &new, Kind::Request);
        prop_assert!(
            request.iter().all(|c| c.severity != Severity::Breaking),
            "a request let more values through and broke: {old:#}\n{new:#}\n{request:#?}"
        );
        prop_assert_eq!(response.len(), request.len(), "one change per place in either direction");
    }
}
