//! Standalone JSON Schema documents into the internal form: a root schema and the
//! named definitions beside it (`$defs`, or draft-07's `definitions`).
//!
//! MCP tools publish their schemas this way ([`crate::tool`] reads two per file), and
//! `cargo xtask conformance` feeds every schema of the JSON Schema Test Suite through
//! [`api`]. OpenAPI documents keep their schemas elsewhere ([`crate::openapi`]).

use crate::error::{schema_error, Result};
use crate::model::{Api, Message};
use crate::normalise::{escape, kind_of, resolve_definitions, Dialect, Normaliser};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One normalised definition: its name, its schema and the definitions it refers
/// to, and the pointer it came from.
pub type Entry = (String, Value, BTreeMap<String, String>, String);

/// The definitions of the document at `pointer`, then its root as `root_name`.
pub fn entries(
    normaliser: &mut Normaliser,
    path: &Path,
    dialect: Dialect,
    document: &Value,
    pointer: &str,
    root_name: &str,
) -> Result<Vec<Entry>> {
    let Some(object) = document.as_object() else {
        let (schema, refs) = normaliser.definition(document, pointer)?;
        return Ok(vec![(
            root_name.to_owned(),
            schema,
            refs,
            pointer.to_owned(),
        )]);
    };
    match (object.get("$schema"), dialect.uri()) {
        (None, _) => {}
        (Some(Value::String(uri)), Some(expected)) if uri.trim_end_matches('#') == expected => {}
        (Some(other), expected) => {
            return Err(schema_error(
                path,
                &format!("{pointer}/$schema"),
                format!(
                    "expected `{}` (the dialect of this source), found {other}",
                    expected.unwrap_or("no $schema")
                ),
            ));
        }
    }
    let keyword = dialect.definitions_keyword();
    let mut entries = Vec::new();
    if let Some(defs) = object.get(keyword) {
        let Some(defs) = defs.as_object() else {
            return Err(schema_error(
                path,
                &format!("{pointer}/{}", escape(keyword)),
                format!("expected an object, found {}", kind_of(defs)),
            ));
        };
        for (name, def) in defs {
            let at = format!("{pointer}/{}/{}", escape(keyword), escape(name));
            let (schema, refs) = normaliser.definition(def, &at)?;
            entries.push((name.clone(), schema, refs, at));
        }
    }
    let mut root = object.clone();
    root.remove("$schema");
    root.remove(keyword);
    // The document's own URI: with every `$ref` local (others are refused), it
    // changes nothing. Inside the document, `$id` would move the base of the
    // references below it, and stays refused.
    if matches!(root.get("$id"), Some(Value::String(_))) {
        root.remove("$id");
    }
    let (schema, refs) = normaliser.definition(&Value::Object(root), pointer)?;
    entries.push((root_name.to_owned(), schema, refs, pointer.to_owned()));
    Ok(entries)
}

/// Adds `entries` (the definitions of one message's document) to `into`. A name
/// both define alike is one type; a name they define differently (the input's
/// `AccountType` edited, the output's not) is kept apart: the new definition, and
/// every one of `entries` that refers to it, is named `<namespace><Name>`.
/// Returns the names it gave, old to new.
pub fn merge(
    path: &Path,
    into: &mut Vec<Entry>,
    mut entries: Vec<Entry>,
    namespace: &str,
) -> Result<BTreeMap<String, String>> {
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    // Renaming one changes the `$ref`s of those referring to it, which may then
    // differ in turn: until nothing more changes.
    loop {
        let clashing: Vec<String> = entries
            .iter()
            .filter(|entry| {
                !renamed.values().any(|n| *n == entry.0)
                    && into
                        .iter()
                        .any(|existing| existing.0 == entry.0 && existing.1 != entry.1)
            })
            .map(|entry| entry.0.clone())
            .collect();
        if clashing.is_empty() {
            break;
        }
        for old in clashing {
            let new = format!("{namespace}{old}");
            if into.iter().chain(&entries).any(|e| e.0 == new) {
                let at = entries.iter().find(|e| e.0 == old).map(|e| e.3.clone());
                return Err(schema_error(
                    path,
                    &at.unwrap_or_default(),
                    format!("`{old}` is defined differently for another message, and `{new}`, its name apart, is taken too"),
                ));
            }
            let (from, to) = (
                format!("#/$defs/{}", escape(&old)),
                format!("#/$defs/{}", escape(&new)),
            );
            for entry in &mut entries {
                if entry.0 == old {
                    entry.0 = new.clone();
                }
                if let Some(at) = entry.2.remove(&old) {
                    entry.2.insert(new.clone(), at);
                    rename_refs(&mut entry.1, &from, &to);
                }
            }
            renamed.insert(old, new);
        }
    }
    for entry in entries {
        if !into.iter().any(|existing| existing.0 == entry.0) {
            into.push(entry);
        }
    }
    Ok(renamed)
}

/// Every `$ref` to `from` in `schema` made a `$ref` to `to`.
fn rename_refs(schema: &mut Value, from: &str, to: &str) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                if key == "$ref" && value.as_str() == Some(from) {
                    *value = Value::String(to.to_owned());
                } else {
                    rename_refs(value, from, to);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rename_refs(item, from, to)),
        _ => {}
    }
}

/// One standalone document as an API named `name` (a Rust module name once `-`
/// becomes `_`) with one message, `<name>.instance`, whose type is `root_name`.
/// `source` names the document in errors and generated files.
pub fn api(
    name: &str,
    source: &Path,
    dialect: Dialect,
    document: &Value,
    root_name: &str,
) -> Result<Api> {
    let mut normaliser = Normaliser::new(source, dialect);
    let mut all = Vec::new();
    let found = entries(&mut normaliser, source, dialect, document, "", root_name)?;
    merge(source, &mut all, found, root_name)?;
    let definitions = all
        .into_iter()
        .map(|(name, schema, refs, _)| (name, schema, refs))
        .collect();
    Ok(Api {
        name: name.to_owned(),
        source: source.to_owned(),
        title: format!("the schema of `{}`", source.display()),
        defs: resolve_definitions(source, definitions)?,
        messages: vec![Message {
            id: format!("{name}.instance"),
            root: root_name.to_owned(),
            summary: format!("an instance of `{}`", source.display()),
            answers: None,
            direction: crate::model::Direction::Response,
            examples: Vec::new(),
        }],
        warnings: normaliser.into_warnings(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn generate(dialect: Dialect, schema: Value) -> crate::Result<String> {
        let api = api(
            "doc",
            Path::new("own/doc.json"),
            dialect,
            &schema,
            "Instance",
        )?;
        crate::check(&api)?;
        let file = crate::types::emit(&api)?;
        crate::validator::api_module(&api, &file)?;
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
        assert!(error.starts_with("own/doc.json: at /$schema: expected `https://json-schema.org/draft/2020-12/schema`"), "{error}");
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
            error.contains("\"foo\\tbar\" and \"foo\\nbar\" of `Instance` both become the Rust field `foo_bar`"),
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
}
