//! Standalone JSON Schema documents through every stage (`document::api`, the types,
//! the validator module): what the generator accepts, and what it refuses where.

use bankschema_codegen::document::api;
use bankschema_codegen::normalise::Dialect;
use serde_json::json;
use serde_json::Value;
use std::path::Path;

fn generate(dialect: Dialect, schema: Value) -> bankschema_codegen::Result<String> {
    let api = api(
        "doc",
        Path::new("own/doc.json"),
        dialect,
        &schema,
        "Instance",
    )?;
    bankschema_codegen::check(&api)?;
    let file = bankschema_codegen::types::emit(&api)?;
    bankschema_codegen::validator::api_module(&api, &file)?;
    Ok(prettyplease::unparse(&file.file))
}

fn refusal(dialect: Dialect, schema: Value) -> String {
    match generate(dialect, schema.clone()) {
        Ok(code) => panic!("{schema} was accepted:\n{code}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn draft_07_definitions_and_their_refs_become_defs() {
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"Amount": {"type": "string"}},
        "type": "object",
        "properties": {"amount": {"$ref": "#/definitions/Amount"}}
    });
    let api = api(
        "doc",
        Path::new("own/doc.json"),
        Dialect::Draft7,
        &schema,
        "Instance",
    )
    .unwrap();
    assert_eq!(api.defs.keys().collect::<Vec<_>>(), ["Amount", "Instance"]);
    assert_eq!(
        api.defs["Instance"].schema["properties"]["amount"],
        json!({"$ref": "#/$defs/Amount"})
    );
    let code = generate(Dialect::Draft7, schema).unwrap();
    assert!(
        code.contains("pub amount: ::std::option::Option<Amount>"),
        "{code}"
    );
}

#[test]
fn assertions_that_leave_the_shape_alone_are_kept_for_the_validator_only() {
    let schema = json!({
        "$id": "https://example.com/account.json",
        "type": "object",
        "properties": {"kind": {"type": "string"}, "iban": {"type": "string"}},
        "if": {"properties": {"kind": {"const": "iban"}}},
        "then": {"required": ["iban"]},
        "dependencies": {"iban": ["kind"], "bic": {"$ref": "#/definitions/Bic"}},
        "definitions": {"Bic": {"required": ["iban"]}}
    });
    let api = api(
        "doc",
        Path::new("own/doc.json"),
        Dialect::Draft7,
        &schema,
        "Instance",
    )
    .unwrap();
    let root = &api.defs["Instance"].schema;
    assert_eq!(root.get("$id"), None);
    assert_eq!(root["dependentRequired"], json!({"iban": ["kind"]}));
    assert_eq!(
        root["dependentSchemas"],
        json!({"bic": {"$ref": "#/$defs/Bic"}})
    );
    assert_eq!(root["then"], json!({"required": ["iban"]}));
    let code = generate(Dialect::Draft7, schema).unwrap();
    assert!(
        code.contains("pub kind: ::std::option::Option<::std::string::String>"),
        "{code}"
    );
    // Draft-07 has no `dependentRequired`: there it is an unknown keyword.
    let error = refusal(Dialect::Draft7, json!({"dependentRequired": {}}));
    assert!(
        error.contains("unsupported keyword `dependentRequired`"),
        "{error}"
    );
}

#[test]
fn a_schema_of_another_draft_is_refused_at_its_schema_keyword() {
    let error = refusal(
        Dialect::JsonSchema,
        json!({"$schema": "http://json-schema.org/draft-07/schema#"}),
    );
    assert!(
        error.starts_with(
            "own/doc.json: at /$schema: expected `https://json-schema.org/draft/2020-12/schema`"
        ),
        "{error}"
    );
}

#[test]
fn formats_asserted_by_no_one_are_documentation_with_a_warning() {
    for (schema, pointer) in [
        (
            json!({"type": "object", "properties": {"at": {"type": "string", "format": "date_time"}}}),
            "/properties/at/format",
        ),
        (json!({"type": "string", "format": "idn-email"}), "/format"),
    ] {
        let api = api(
            "doc",
            Path::new("own/doc.json"),
            Dialect::JsonSchema,
            &schema,
            "Instance",
        )
        .unwrap();
        let pointers: Vec<&str> = api.warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, [pointer], "{schema}");
        let embedded = api.message_schema(&api.messages[0]);
        assert!(!embedded.to_string().contains("\"format\""), "{embedded}");
    }
}

#[test]
fn unsupported_constructs_are_refused_naming_keyword_and_pointer() {
    let cases = [
        (
            json!({"type": "array", "items": [{"type": "integer"}]}),
            "at /items: unsupported keyword `items` in its tuple form",
        ),
        (
            json!({"type": "object", "unevaluatedProperties": false}),
            "at /unevaluatedProperties: unsupported keyword `unevaluatedProperties`",
        ),
        (json!({"$ref": "#"}), "at /$ref: unsupported $ref `#`"),
    ];
    for (schema, expected) in cases {
        let error = refusal(Dialect::JsonSchema, schema);
        assert!(
            error.starts_with("own/doc.json: ") && error.contains(expected),
            "expected `{expected}`, got {error}"
        );
    }
}

#[test]
fn members_answering_to_a_schema_are_kept_as_json_for_the_validator_to_check() {
    // A map of amounts, and a struct with named and patterned members: the
    // types keep the other members as JSON, in order; the validator asserts
    // their schemas.
    let code = generate(
        Dialect::JsonSchema,
        json!({"type": "object", "additionalProperties": {"type": "integer"}}),
    )
    .unwrap();
    assert!(
        code.contains("pub struct Instance(pub ::bankschema_runtime::UnknownProperties);"),
        "{code}"
    );
    let code = generate(
        Dialect::JsonSchema,
        json!({
            "type": "object",
            "properties": {"id": {"type": "string"}},
            "patternProperties": {"^x-": {"type": "string"}},
            "additionalProperties": false
        }),
    )
    .unwrap();
    assert!(
        code.contains("pub extra: ::bankschema_runtime::UnknownProperties"),
        "{code}"
    );
}

#[test]
fn property_names_rust_cannot_tell_apart_are_refused() {
    let error = refusal(
        Dialect::JsonSchema,
        json!({"type": "object", "properties": {"foo\tbar": {}, "foo\nbar": {}}}),
    );
    assert!(
        error.contains(
            "\"foo\\tbar\" and \"foo\\nbar\" of `Instance` both become the Rust field `foo_bar`"
        ),
        "{error}"
    );
}

#[test]
fn a_typify_panic_becomes_a_refusal() {
    // typify 0.8 reaches a `todo!` on an `allOf` branch holding only bounds.
    let error = refusal(
        Dialect::JsonSchema,
        json!({"allOf": [{"maximum": 30}, {"minimum": 20}]}),
    );
    assert!(
        error.contains("typify 0.8 does not support this schema"),
        "{error}"
    );
}

#[test]
fn keywords_without_a_type_admit_every_type_so_the_type_is_any_json() {
    // `{"required": ["a"]}` admits `12` and `"x"`: no struct could hold them.
    let code = generate(Dialect::JsonSchema, json!({"required": ["a"]})).unwrap();
    assert!(
        code.contains("pub struct Instance(pub ::bankschema_runtime::Json)"),
        "{code}"
    );
    // With the type said, the struct stays.
    let code = generate(
        Dialect::JsonSchema,
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}),
    )
    .unwrap();
    assert!(code.contains("pub a: ::std::string::String"), "{code}");
}

#[test]
fn struct_variants_of_an_untagged_enum_keep_unknown_members() {
    // Dropping `baz` would hide that both branches match, and `oneOf` fails then.
    let code = generate(
        Dialect::JsonSchema,
        json!({"type": "object", "oneOf": [
            {"type": "object", "properties": {"foo": {}, "bar": {}}, "required": ["foo", "bar"]},
            {"type": "object", "properties": {"foo": {}, "baz": {}}, "required": ["foo", "baz"]}
        ]}),
    )
    .unwrap();
    assert_eq!(
        code.matches("extra: ::bankschema_runtime::UnknownProperties")
            .count(),
        2,
        "{code}"
    );
}
