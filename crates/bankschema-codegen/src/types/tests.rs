//! The types stage on small schemas: what typify and the rewrites make of them.
//! Each test pins the whole module in a snapshot (`snapshots/`) and asserts the
//! point it makes.

use super::rewrite::doc_lines;
use super::*;
use crate::model::{Definition, Message};
use serde_json::json;

fn api(defs: Vec<(&str, Value)>) -> Api {
    Api {
        name: "test".into(),
        source: "schemas/test.openapi.yaml".into(),
        title: "Test".into(),
        defs: defs
            .into_iter()
            .map(|(name, schema)| {
                (
                    name.to_owned(),
                    Definition {
                        schema,
                        refs: Default::default(),
                    },
                )
            })
            .collect(),
        messages: vec![Message {
            id: "test.response".into(),
            root: "Holder".into(),
            summary: String::new(),
            answers: None,
            direction: crate::model::Direction::Response,
            examples: Vec::new(),
        }],
        warnings: Vec::new(),
    }
}

fn rendered(api: &Api) -> String {
    prettyplease::unparse(&emit(api).unwrap().file)
}

#[test]
fn a_tolerant_enum_keeps_what_it_does_not_list() {
    let text = rendered(&api(vec![(
        "Holder",
        json!({
            "type": "object",
            "required": ["kind"],
            "properties": {
                "kind": {"type": "string", "enum": ["current", "savings"], "x-bankschema-tolerant": true},
                "closed": {"type": "string", "enum": ["a", "b"]}
            }
        }),
    )]));
    insta::assert_snapshot!(text);
    let kind = text
        .split("pub enum HolderKind {")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        kind.trim_end()
            .ends_with("#[serde(untagged)]\n    Unknown(::std::string::String),"),
        "{kind}"
    );
    // An unknown value converts too; the closed enum keeps typify's conversions.
    assert!(
        text.contains("_ => Self::Unknown(value.to_owned()),")
            && text.contains("Self::Unknown(value) => value,")
            && text.contains("impl ::std::str::FromStr for HolderKind {\n    type Err = ::std::convert::Infallible;")
            && text.contains("impl ::std::str::FromStr for HolderClosed {\n    type Err = self::error::ConversionError;"),
        "{text}"
    );
    let derives = |name: &str| {
        text.split(&format!("pub enum {name} {{"))
            .next()
            .and_then(|before| before.rsplit("#[derive(").next())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(!derives("HolderKind").contains("Copy") && derives("HolderClosed").contains("Copy"));
}

#[test]
fn a_tolerance_no_enum_would_honour_is_refused() {
    let inside_a_branch = api(vec![(
        "Holder",
        json!({"oneOf": [
            {"type": "object", "required": ["kind"], "properties": {
                "kind": {"type": "string", "enum": ["a"], "x-bankschema-tolerant": true}}},
            {"type": "string"}]}),
    )]);
    let error = emit(&inside_a_branch)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.contains("at /$defs/Holder/oneOf/0/properties/kind/x-bankschema-tolerant: no generated enum would honour it"),
        "{error}"
    );
    let unknown = api(vec![(
        "Holder",
        json!({"type": "string", "enum": ["known", "unknown"], "x-bankschema-tolerant": true}),
    )]);
    let error = emit(&unknown)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("whose variant is `Unknown`"), "{error}");
}

#[test]
fn optional_nullable_fields_keep_absent_and_null_apart() {
    let text = rendered(&api(vec![(
        "Holder",
        json!({
            "type": "object",
            "required": ["name", "alias"],
            "properties": {
                "name": {"type": "string"},
                "alias": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "nickName": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "title": {"type": "string"}
            }
        }),
    )]));
    insta::assert_snapshot!(text);
    // Required but nullable: null or a value, never absent.
    assert!(
        text.contains("pub alias: ::std::option::Option<::std::string::String>,"),
        "{text}"
    );
    // Optional and nullable: three states.
    assert!(
        text.contains("pub nick_name: ::bankschema_runtime::Nullable<::std::string::String>,"),
        "{text}"
    );
    assert!(
        text.contains(r#"rename = "nickName","#)
            && text.contains("skip_serializing_if = \"::bankschema_runtime::Nullable::is_absent\""),
        "{text}"
    );
    // Optional, not nullable: absent or a value.
    assert!(
        text.contains("pub title: ::std::option::Option<::std::string::String>,"),
        "{text}"
    );
    assert!(
        !text.contains("impl ::std::convert::From<&Holder> for Holder"),
        "{text}"
    );
}

#[test]
fn validation_only_keywords_and_defaults_stay_out_of_the_types() {
    let api = api(vec![]);
    let view = View { api: &api }.schema(&json!({
        "type": "string", "format": "date", "pattern": "^x", "maxLength": 3,
        "description": "A day.", "default": "2024-01-01", "x-bankschema-rules": ["r"]
    }));
    assert_eq!(
        view,
        json!({"type": "string", "description": "A day.\n\nDefault: `\"2024-01-01\"`."})
    );
}

#[test]
fn a_schema_with_only_annotations_and_extensions_is_any_json() {
    let api = api(vec![]);
    let view = View { api: &api }.schema(&json!({
        "description": "Any JSON.", "x-bankschema-rules": [{"rule": "iso13616.iban", "at": "/iban"}]
    }));
    assert_eq!(view["x-rust-type"]["path"], "bankschema_runtime::Json");
}

#[test]
fn names_come_from_typify_and_a_shared_rust_name_is_refused() {
    let types = emit(&api(vec![
        (
            "Holder",
            json!({"type": "object", "properties": {"e": {"$ref": "#/$defs/Error400_NG_AIS"}}}),
        ),
        (
            "Error400_NG_AIS",
            json!({"type": "object", "properties": {"code": {"type": "string"}}}),
        ),
        ("ABCReadAccount6", json!({"type": "string"})),
    ]))
    .unwrap();
    for (def, rust) in [
        ("Error400_NG_AIS", "Error400NgAis"),
        ("ABCReadAccount6", "AbcReadAccount6"),
    ] {
        assert_eq!(types.name_of(def), Some(rust));
        let text = prettyplease::unparse(&types.file);
        assert!(text.contains(&format!("pub struct {rust}")), "{text}");
    }
    let error = emit(&api(vec![
        ("Holder", json!({"type": "object"})),
        ("ABCRate1_0", json!({"type": "string"})),
        ("ABC_Rate1_0", json!({"type": "integer"})),
    ]))
    .err()
    .unwrap()
    .to_string();
    assert!(
        error.contains("`ABCRate1_0` (at /components/schemas/ABCRate1_0) and `ABC_Rate1_0` both become the Rust type `AbcRate10`"),
        "{error}"
    );
}

#[test]
fn a_nullable_definition_is_typed_once_and_its_users_say_null() {
    let text = rendered(&api(vec![
        (
            "Holder",
            json!({"type": "object", "required": ["a"], "properties": {
                "a": {"$ref": "#/$defs/Category"},
                "b": {"$ref": "#/$defs/Category"}
            }}),
        ),
        (
            "Category",
            json!({"description": "A kind.", "anyOf": [{"type": "string", "enum": ["x", "y"]}, {"type": "null"}]}),
        ),
    ]));
    insta::assert_snapshot!(text);
    assert_eq!(text.matches("pub enum Category").count(), 1, "{text}");
    assert!(!text.contains("pub struct Category"), "{text}");
    assert!(
        text.contains("pub a: ::std::option::Option<Category>,"),
        "{text}"
    );
    assert!(
        text.contains("pub b: ::bankschema_runtime::Nullable<Category>,"),
        "{text}"
    );
}

#[test]
fn inline_objects_keep_unknown_members_and_required_nullables_read_null() {
    let text = rendered(&api(vec![(
        "Holder",
        json!({"type": "object", "required": ["alias"], "properties": {
            "alias": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "inner": {"type": "object", "properties": {"a": {"type": "string"}}},
            "shut": {"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}}
        }}),
    )]));
    insta::assert_snapshot!(text);
    // Holder and its inline `inner` keep what they do not name; `shut` refuses it.
    assert_eq!(
        text.matches("pub extra: ::bankschema_runtime::UnknownProperties")
            .count(),
        2,
        "{text}"
    );
    assert_eq!(
        text.matches("#[serde(deny_unknown_fields)]").count(),
        1,
        "{text}"
    );
    // Each object is read by the runtime's derive (objects only, unknown members
    // kept as they come), never by serde's.
    assert_eq!(
        text.matches("::bankschema_runtime::DeserializeObject,")
            .count(),
        3,
        "{text}"
    );
    assert!(!text.contains("::serde::Deserialize,"), "{text}");
    // A required property that may be null has no default: it must be present.
    let alias = text.split("pub alias").next().unwrap_or_default();
    let alias = &alias[alias.rfind("pub struct Holder").unwrap_or_default()..];
    assert!(
        !alias.contains("default") && !alias.contains("skip_serializing_if"),
        "{alias}"
    );
}

#[test]
fn a_typify_panic_is_a_refusal_and_leaves_the_thread_loud_again() {
    let refused = quietly(|| -> u8 { panic!("not yet implemented: allOf") }).unwrap_err();
    assert!(refused.contains("not yet implemented: allOf"), "{refused}");
    assert!(!QUIET.with(std::cell::Cell::get));
    // Threads at once: each is quiet only inside its own call.
    let threads: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                let quiet = quietly(|| QUIET.with(std::cell::Cell::get)).unwrap();
                let failed = quietly(|| -> u8 { panic!("{i}") }).is_err();
                (quiet, failed, QUIET.with(std::cell::Cell::get))
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), (true, true, false));
    }
    assert_eq!(quietly(|| 7), Ok(7));
}

#[test]
fn every_integer_is_the_lossless_runtime_integer() {
    // typify would pick `i32` for these bounds and `NonZeroU64` for `minimum: 1`:
    // neither reads `1.0` or `1e2`, which the schema accepts.
    let text = rendered(&api(vec![(
        "Holder",
        json!({"type": "object", "required": ["a", "b"], "properties": {
            "a": {"type": "integer", "minimum": -2147483648i64, "maximum": 2147483647},
            "b": {"type": "integer", "minimum": 1}
        }}),
    )]));
    insta::assert_snapshot!(text);
    assert!(
        text.contains("pub a: ::bankschema_runtime::Integer,"),
        "{text}"
    );
    assert!(
        text.contains("pub b: ::bankschema_runtime::Integer,"),
        "{text}"
    );
}

#[test]
fn a_list_of_types_gives_each_its_lossless_type() {
    // typify alone reads the list as `i64` and `f64`, which refuse `1.0` and
    // keep no text.
    let text = rendered(&api(vec![(
        "Holder",
        json!({"type": "object", "required": ["a", "b", "c"], "properties": {
            "a": {"type": ["integer", "null"]},
            "b": {"type": ["integer", "string"]},
            "c": {"type": ["number", "string"], "description": "A rate."}
        }}),
    )]));
    insta::assert_snapshot!(text);
    assert!(
        text.contains("pub a: ::std::option::Option<::bankschema_runtime::Integer>,"),
        "{text}"
    );
    assert!(
        text.contains("Variant0(::bankschema_runtime::Integer),"),
        "{text}"
    );
    assert!(
        text.contains("Variant0(::bankschema_runtime::Number),"),
        "{text}"
    );
    assert!(text.contains("/// A rate."), "{text}");
    assert!(!text.contains("i64") && !text.contains("f64"), "{text}");
}

#[test]
fn properties_named_like_the_generated_locals_are_kept_apart() {
    // Plaid has a property `key`: the node impls' own locals take other names,
    // never the field's. (The derive's are hygienic: see the runtime's
    // `tests/derive.rs`.)
    let text = rendered(&api(vec![(
        "Holder",
        json!({"type": "object", "properties": {
            "key": {"type": "string"}, "map": {"type": "string"},
            "members": {"type": "string"}, "node": {"type": "string"}
        }}),
    )]));
    insta::assert_snapshot!(text);
    let dense: String = text.split_whitespace().collect();
    for expected in [
        "fnget(&self,key:&str)",
        "letSelf{key:key_,map,members:members_,node:node_,extra}=self;",
        "\"key\"=>AsNode::as_node(key_)",
    ] {
        assert!(dense.contains(expected), "{expected} not in\n{text}");
    }
}

#[test]
fn optional_nullables_in_inline_and_merged_objects_keep_absent_and_null_apart() {
    let null_or_string = json!({"anyOf": [{"type": "string"}, {"type": "null"}]});
    let text = rendered(&api(vec![
        (
            "Holder",
            json!({"type": "object", "properties": {
                "inner": {"type": "object", "properties": {"maybe": null_or_string}},
                "merged": {"$ref": "#/$defs/Merged"}
            }}),
        ),
        (
            "Merged",
            json!({"allOf": [{"$ref": "#/$defs/Base"}, {"type": "object", "properties": {"own": {"type": "string"}}}]}),
        ),
        (
            "Base",
            json!({"type": "object", "properties": {"opt": null_or_string}}),
        ),
    ]));
    insta::assert_snapshot!(text);
    let dense: String = text.split_whitespace().collect();
    for field in ["maybe", "opt"] {
        assert!(
            dense.contains(&format!(
                "pub{field}:::bankschema_runtime::Nullable<::std::string::String>"
            )),
            "{field} in\n{text}"
        );
    }
}

#[test]
fn a_tagged_branch_written_in_place_keeps_unknown_members_as_its_definition_says() {
    let branch = |tag: &str| {
        json!({"type": "object", "required": ["type"],
               "properties": {"type": {"type": "string", "enum": [tag]}, "code": {"type": "string"}}})
    };
    let text = rendered(&api(vec![
        (
            "Holder",
            json!({"type": "object", "properties": {"id": {"oneOf": [
                {"$ref": "#/$defs/SortCodeNumber"}, {"$ref": "#/$defs/IbanNumber"}
            ]}}}),
        ),
        ("SortCodeNumber", branch("sort_code")),
        ("IbanNumber", branch("iban")),
    ]));
    insta::assert_snapshot!(text);
    // typify names the variants after their tags (`SortCode`), not their
    // definitions: read beside their branches, both keep what they do not name.
    assert!(text.contains("#[serde(tag = \"type\")]"), "{text}");
    assert_eq!(
        text.matches("        extra: ::bankschema_runtime::UnknownProperties")
            .count(),
        2,
        "{text}"
    );
}

#[test]
fn doc_lines_indent_list_continuations() {
    let lines = doc_lines("Kinds:\n\n - `A` - first,\n continued\n - `B`\nafter");
    assert_eq!(
        lines,
        [
            " Kinds:",
            "",
            "  - `A` - first,",
            "    continued",
            "  - `B`",
            "    after"
        ]
    );
}
