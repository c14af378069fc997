//! The check stage on small schemas: what it writes, and what it leaves to the
//! interpreted path. Each test pins the whole check in a snapshot (`snapshots/`)
//! and asserts the point it makes.

use super::*;
use crate::document::api;
use crate::normalise::Dialect;
use serde_json::json;
use std::path::Path;

/// The check of a standalone schema's only message, as text, or why there is none.
fn check_of(schema: Value) -> Result<String, Unchecked> {
    let api = api(
        "doc",
        Path::new("doc.json"),
        Dialect::JsonSchema,
        &schema,
        "Instance",
    )
    .unwrap();
    let types = crate::types::emit(&api).unwrap();
    let message = &api.messages[0];
    let sites = crate::rules::attachments(&api, message).unwrap();
    let rules = RuleTable::new(format_ident!("RULES"), &format_ident!("site"), &sites);
    let check = message_check(&api, message, &types, &sites, &rules, "instance")?;
    let file: syn::File = syn::parse2(check.items).unwrap();
    Ok(prettyplease::unparse(&file))
}

#[test]
fn a_list_behind_a_named_type_is_walked_by_reference_and_a_field_named_options_is_no_parameter() {
    let code = check_of(json!({
        "type": "object",
        "required": ["balances"],
        "properties": {
            "balances": {"$ref": "#/$defs/BalanceList"},
            "options": {"type": "object", "properties": {"day": {"type": "string", "format": "date"}}}
        },
        "$defs": {"BalanceList": {"type": "array", "items": {"type": "string", "pattern": "^x"}}}
    }))
    .unwrap();
    insta::assert_snapshot!(code);
    assert!(code.contains("in &(&value.balances).0"), "{code}");
    assert!(!code.contains("&&"), "{code}");
    // The check reads `value.options`, never the `options` parameter.
    assert!(code.contains("_options: &Options"), "{code}");
}

#[test]
fn a_value_a_tolerant_enum_does_not_list_leaves_the_verdict_to_the_report() {
    let code = check_of(json!({
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {"type": "string", "enum": ["a", "b"], "x-bankschema-tolerant": true}
        }
    }))
    .unwrap();
    insta::assert_snapshot!(code);
    assert!(
        code.contains("if matches!(& value.kind, bankschema_types::doc::InstanceKind::Unknown(_)) {\n        return false;"),
        "{code}"
    );
}

#[test]
fn what_the_types_prove_is_not_checked_again_and_the_rest_is() {
    let code = check_of(json!({
        "type": "object",
        "required": ["code", "count"],
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z]{3}$", "maxLength": 3},
            "count": {"type": "integer", "minimum": 2, "maximum": 1000},
            "day": {"type": "string", "format": "date"},
            "kind": {"enum": ["a", "b"], "type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1}
        },
        "additionalProperties": false
    }))
    .unwrap();
    insta::assert_snapshot!(code);
    for expected in [
        "INSTANCE_PATTERNS[0].is_match(&value.code)",
        "checks::char_count(&value.code) > 3",
        "(&value.count).as_i64().is_none_or(|n| n < 2)",
        "checks::is_date(day)",
        "tags.len() < 1",
    ] {
        assert!(code.contains(expected), "{expected} missing from\n{code}");
    }
    // The enum, the required members and the closed object are the type's.
    assert!(!code.contains("kind"), "{code}");
}

#[test]
fn a_keyword_the_stage_does_not_prove_leaves_the_message_to_the_interpreted_path() {
    for (schema, why) in [
        (
            json!({"type": "object", "properties": {"a": {"type": "string", "format": "email"}}}),
            "`format` \"email\" (at /$defs/Instance/properties/a)",
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "integer", "multipleOf": 2}}}),
            "`multipleOf`",
        ),
        (
            json!({"type": "array", "items": {"type": "integer"}, "uniqueItems": true}),
            "`uniqueItems`",
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "integer", "exclusiveMinimum": 0.5}}}),
            "`exclusiveMinimum` is not an integer",
        ),
    ] {
        let Err(Unchecked(message)) = check_of(schema.clone()) else {
            panic!("{schema} was checked");
        };
        assert!(message.contains(why), "{schema}: {message}");
    }
}
