//! Each dialect's keywords through the normaliser, and what it refuses.

use super::*;
use serde_json::json;

fn openapi(value: Value) -> Result<(Value, BTreeMap<String, String>)> {
    let path = Path::new("schemas/test.openapi.yaml");
    Normaliser::new(path, Dialect::OpenApi30)
        .definition("Test", &value, "/components/schemas/Test")
        .map(|d| (d.schema, d.refs))
}

#[test]
fn nullable_becomes_any_of_null_with_annotations_outside() {
    let (schema, _) = openapi(json!({
        "description": "A name.", "type": "string", "nullable": true, "example": "Jo"
    }))
    .unwrap();
    assert_eq!(
        schema,
        json!({
            "description": "A name.",
            "examples": ["Jo"],
            "anyOf": [{"type": "string"}, {"type": "null"}]
        })
    );
    assert!(is_nullable(&schema));
}

#[test]
fn nullable_false_changes_nothing() {
    let (schema, _) = openapi(json!({"type": "integer", "nullable": false})).unwrap();
    assert_eq!(schema, json!({"type": "integer"}));
    assert!(!is_nullable(&schema));
}

#[test]
fn refs_into_components_become_defs_and_are_recorded() {
    let (schema, refs) = openapi(json!({
        "type": "object",
        "properties": {
            "a": {"$ref": "#/components/schemas/Alpha"},
            "b": {"type": "array", "items": {"$ref": "#/components/schemas/Be~1ta"}}
        }
    }))
    .unwrap();
    assert_eq!(schema["properties"]["a"], json!({"$ref": "#/$defs/Alpha"}));
    assert_eq!(
        schema["properties"]["b"]["items"],
        json!({"$ref": "#/$defs/Be~1ta"})
    );
    let refs: Vec<_> = refs.iter().map(|(n, p)| (n.as_str(), p.as_str())).collect();
    assert_eq!(
        refs,
        [
            ("Alpha", "/components/schemas/Test/properties/a/$ref"),
            ("Be/ta", "/components/schemas/Test/properties/b/items/$ref")
        ]
    );
}

#[test]
fn a_dangling_ref_is_named_where_it_stands() {
    let path = Path::new("schemas/test.openapi.yaml");
    let (schema, refs) =
        openapi(json!({"properties": {"a": {"$ref": "#/components/schemas/Gone"}}})).unwrap();
    let test = Normalised {
        name: "Test".into(),
        schema,
        refs,
        pointer: "/components/schemas/Test".into(),
    };
    let error = resolve_definitions(path, vec![test]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "schemas/test.openapi.yaml: at /components/schemas/Test/properties/a/$ref: \
         dangling $ref: there is no definition named `Gone`"
    );
}

#[test]
fn openapi_integer_formats_become_bounds_and_the_others_annotations() {
    let (schema, _) = openapi(json!({"type": "integer", "format": "int32"})).unwrap();
    assert_eq!(
        schema,
        json!({"type": "integer", "minimum": -2147483648i64, "maximum": 2147483647})
    );
    let (schema, _) = openapi(json!({"type": "integer", "format": "int64", "minimum": 0})).unwrap();
    assert_eq!(
        schema,
        json!({"type": "integer", "minimum": 0, "maximum": i64::MAX})
    );
    let (schema, _) = openapi(json!({"type": "string", "format": "password"})).unwrap();
    assert_eq!(schema, json!({"type": "string"}));
    // A format no one asserts is documentation, with a warning at its place.
    let path = Path::new("schemas/test.openapi.yaml");
    let mut normaliser = Normaliser::new(path, Dialect::OpenApi30);
    let schema = normaliser
        .definition(
            "Test",
            &json!({"type": "object", "properties": {"home": {"type": "string", "format": "url"}}}),
            "/components/schemas/Test",
        )
        .unwrap()
        .schema;
    assert_eq!(schema["properties"]["home"], json!({"type": "string"}));
    let warnings = normaliser.into_warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].pointer,
        "/components/schemas/Test/properties/home/format"
    );
    assert!(warnings[0].message.contains("\"url\""), "{warnings:?}");
}

#[test]
fn recursion_that_never_descends_is_refused_and_recursion_through_members_kept() {
    let path = Path::new("own/doc.json");
    let normalise = |defs: Value| {
        let mut normaliser = Normaliser::new(path, Dialect::JsonSchema);
        let entries = defs
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, def)| {
                normaliser
                    .definition(name, def, &format!("/$defs/{name}"))
                    .unwrap()
            })
            .collect();
        resolve_definitions(path, entries)
    };
    // Found by the `schema_generator` fuzz target: typify overflowed its stack.
    let error = normalise(json!({
        "A": {"type": "object", "allOf": [{"$ref": "#/$defs/B"}]},
        "B": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]}
    }))
    .unwrap_err()
    .to_string();
    assert_eq!(
        error,
        "own/doc.json: at /$defs/B/anyOf/0/$ref: unsupported recursion: A -> B -> A refer to each other without descending into a property or an item, so validating a value would never end"
    );
    let error = normalise(json!({"A": {"$ref": "#/$defs/A"}})).unwrap_err();
    assert!(error.to_string().contains("A -> A"), "{error}");
    // A list of lists, a tree of nodes: each step goes one level down.
    assert!(normalise(json!({
        "Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}},
        "List": {"type": "array", "items": {"$ref": "#/$defs/List"}}
    }))
    .is_ok());
}

#[test]
fn tolerance_stands_beside_an_enum_of_strings() {
    for (schema, found) in [
        (
            json!({"type": "string", "x-bankschema-tolerant": true}),
            "beside no `enum`",
        ),
        (
            json!({"enum": ["a"], "x-bankschema-tolerant": true}),
            "beside `enum: [\"a\"]`",
        ),
        (
            json!({"type": "integer", "enum": [1, 2], "x-bankschema-tolerant": true}),
            "beside `enum: [1,2]`",
        ),
        (
            json!({"type": "string", "enum": ["a"], "x-bankschema-tolerant": "yes"}),
            "found a string",
        ),
    ] {
        let error = openapi(schema).unwrap_err().to_string();
        assert!(
            error.contains("at /components/schemas/Test/x-bankschema-tolerant:")
                && error.contains(found),
            "{error}"
        );
    }
    let (schema, _) = openapi(
        json!({"type": "string", "nullable": true, "enum": ["a", null], "x-bankschema-tolerant": true}),
    )
    .unwrap();
    assert!(schema
        .to_string()
        .contains(r#""x-bankschema-tolerant":true"#));
}

#[test]
fn bankschema_extensions_are_checked_where_they_stand() {
    let error = openapi(json!({"type": "number", "x-bankschema-mony": true})).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("at /components/schemas/Test/x-bankschema-mony: unknown extension"),
        "{error}"
    );
    let error = openapi(json!({"type": "object", "x-bankschema-money": true})).unwrap_err();
    assert!(
        error.to_string().contains("beside `type: object`"),
        "{error}"
    );
    let path = Path::new("schemas/test.openapi.yaml");
    let mut normaliser = Normaliser::new(path, Dialect::OpenApi30);
    normaliser
        .definition(
            "Test",
            &json!({"type": "string", "pattern": "-?[0-9]{1,14}", "x-bankschema-money": true}),
            "/components/schemas/Test",
        )
        .unwrap();
    let warnings = normaliser.into_warnings();
    assert!(
        warnings[0].message.contains("is not anchored"),
        "{warnings:?}"
    );
}

#[test]
fn a_3_1_type_list_with_null_is_nullable_unless_another_keyword_decides_null() {
    let path = Path::new("schemas/test.openapi.yaml");
    let read = |schema: Value| {
        Normaliser::new(path, Dialect::OpenApi31)
            .definition("Test", &schema, "/components/schemas/Test")
            .map(|d| d.schema)
    };
    assert_eq!(
        read(json!({"type": ["string", "null"], "maxLength": 3})).unwrap(),
        json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]})
    );
    // The enum refuses null: the list stays, so null stays refused.
    assert_eq!(
        read(json!({"type": ["string", "null"], "enum": ["a", "b"]})).unwrap(),
        json!({"type": ["string", "null"], "enum": ["a", "b"]})
    );
    // Beside a $ref, a bankschema extension would be ignored: refused.
    let error = read(json!({"$ref": "#/components/schemas/A", "x-bankschema-money": true}))
        .unwrap_err()
        .to_string();
    assert!(error.contains("at /components/schemas/Test/x-bankschema-money: `x-bankschema-money` beside `$ref` would be ignored"), "{error}");
    // Outside 3.1 a type list is no single type for money.
    let error = Normaliser::new(path, Dialect::JsonSchema)
        .definition(
            "T",
            &json!({"type": ["number", "null"], "x-bankschema-money": true}),
            "/$defs/T",
        )
        .unwrap_err()
        .to_string();
    assert!(error.contains("beside no single type"), "{error}");
}

#[test]
fn boolean_exclusive_minimum_becomes_numeric() {
    let (schema, _) =
        openapi(json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})).unwrap();
    assert_eq!(schema, json!({"type": "number", "exclusiveMinimum": 0}));
}

#[test]
fn refused_constructs_name_their_pointer() {
    let cases = [
        (
            json!({"type": "string", "const": "x"}),
            "/components/schemas/Test/const",
            "unsupported keyword `const`",
        ),
        (
            json!({"$ref": "#/components/schemas/A", "description": "d"}),
            "/components/schemas/Test",
            "beside `$ref`",
        ),
        (
            json!({"$ref": "other.yaml#/A"}),
            "/components/schemas/Test/$ref",
            "unsupported $ref",
        ),
        (
            json!({"properties": {"x": 3}}),
            "/components/schemas/Test/properties/x",
            "expected a schema object, found a number",
        ),
        (
            json!({"nullable": "yes"}),
            "/components/schemas/Test/nullable",
            "expected true or false",
        ),
    ];
    for (input, pointer, message) in cases {
        let error = openapi(input.clone()).unwrap_err().to_string();
        assert!(
            error.contains(&format!("at {pointer}: ")) && error.contains(message),
            "{input} gave {error}"
        );
        assert!(error.starts_with("schemas/test.openapi.yaml: "), "{error}");
    }
}
