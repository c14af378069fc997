//! Messages selected from small documents, and the refusals of a spec.

use super::*;
use crate::load::Document;
use crate::model::Direction;
use serde_json::json;
use std::path::PathBuf;

fn source(raw: Value) -> Source {
    Source {
        path: PathBuf::from("schemas/bank.openapi.yaml"),
        display: PathBuf::from("schemas/bank.openapi.yaml"),
        name: "bank".into(),
        document: Document::McpTool { raw: raw.clone() },
        overlay: None,
    }
}

fn read(raw: Value) -> Result<Api> {
    api(&source(raw.clone()), &raw, OpenApiVersion::V30)
}

fn spec() -> Value {
    json!({
        "openapi": "3.0.1",
        "info": {"title": "Bank", "version": "1"},
        "paths": {
            "/accounts": {
                "get": {"responses": {
                    "200": {"description": "The accounts.", "x-bankschema-id": "bank.accounts",
                            "content": {"application/json; charset=utf-8": {"schema": {"$ref": "#/components/schemas/AccountList"}}}},
                    "400": {"$ref": "#/components/responses/Error400"},
                    "404": {"description": "Not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unsupported"}}}}
                }},
                "post": {
                    "requestBody": {"x-bankschema-id": "bank.create", "content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"$ref": "#/components/schemas/Name"}}}}}},
                    "responses": {"400": {"$ref": "#/components/responses/Error400"}, "201": {"description": "Made", "content": {"text/plain": {}}}}
                }
            }
        },
        "components": {
            "responses": {"Error400": {"description": "Bad request", "x-bankschema-id": "bank.error-400",
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {
                "Name": {"type": "string"},
                "AccountList": {"type": "object", "properties": {"name": {"$ref": "#/components/schemas/Name"}}},
                "Error": {"type": "object", "properties": {"title": {"type": "string"}}},
                "Unsupported": {"type": "string", "frobnicate": true}
            }
        }
    })
}

#[test]
fn only_selected_messages_and_the_definitions_they_reach_are_read() {
    let api = read(spec()).unwrap();
    let messages: Vec<(&str, &str, Direction)> = api
        .messages
        .iter()
        .map(|m| (m.id.as_str(), m.root.as_str(), m.direction))
        .collect();
    assert_eq!(
        messages,
        [
            ("bank.accounts", "AccountList", Direction::Response),
            ("bank.error-400", "Error", Direction::Response),
            ("bank.create", "Create", Direction::Request),
        ]
    );
    // `Unsupported` is never selected, so its unknown keyword is no concern.
    let defs: Vec<&str> = api.defs.keys().map(String::as_str).collect();
    assert_eq!(defs, ["Name", "AccountList", "Error", "Create"]);
    assert_eq!(api.messages[1].summary, "GET /accounts 400: Bad request");
}

#[test]
fn json_media_types() {
    for json in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/problem+json",
        "application/vnd.api+json;v=2",
    ] {
        assert!(is_json(json), "{json}");
    }
    for other in [
        "text/plain",
        "application/xml",
        "application/+json",
        "text/json",
    ] {
        assert!(!is_json(other), "{other}");
    }
}

#[test]
fn selection_errors_name_their_pointer() {
    let mut twice = spec();
    twice["paths"]["/accounts"]["get"]["responses"]["404"]["x-bankschema-id"] =
        json!("bank.accounts");
    let mut no_json = spec();
    no_json["paths"]["/accounts"]["post"]["responses"]["201"]["x-bankschema-id"] =
        json!("bank.made");
    let mut dangling = spec();
    dangling["paths"]["/accounts"]["get"]["responses"]["400"]["$ref"] =
        json!("#/components/responses/Gone");
    let mut wrong_id = spec();
    wrong_id["paths"]["/accounts"]["get"]["responses"]["200"]["x-bankschema-id"] =
        json!("other.accounts");
    let cases = [
        (
            twice,
            "/paths/~1accounts/get/responses/404/x-bankschema-id",
            "already given at /paths/~1accounts/get/responses/200",
        ),
        (
            no_json,
            "/paths/~1accounts/post/responses/201/x-bankschema-id",
            "no JSON content at /paths/~1accounts/post/responses/201 (found text/plain)",
        ),
        (
            dangling,
            "/paths/~1accounts/get/responses/400/$ref",
            "dangling $ref",
        ),
        (
            wrong_id,
            "/paths/~1accounts/get/responses/200/x-bankschema-id",
            "expected a schema id `bank.<message>`",
        ),
    ];
    for (spec, pointer, message) in cases {
        let error = read(spec).unwrap_err().to_string();
        assert!(
            error.contains(&format!("at {pointer}: ")) && error.contains(message),
            "{error}"
        );
    }
}

#[test]
fn openapi_3_1_reads_its_json_schema_dialect() {
    let spec = json!({
        "openapi": "3.1.0",
        "info": {"title": "Bank", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {
            "description": "OK", "x-bankschema-id": "bank.a",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
        }}}}},
        "components": {"schemas": {
            "A": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "examples": ["a1"]},
                "nick": {"type": ["string", "null"]},
                "b": {"$ref": "#/components/schemas/B", "description": "Beside the $ref, as 3.1 allows."}
            }},
            "B": {"type": "integer", "exclusiveMinimum": 0},
            "C": {"type": "object", "properties": {
                "count": {"type": ["integer", "null"], "format": "int32"},
                "amount": {"type": ["number", "null"], "x-bankschema-money": true}
            }}
        }}
    });
    let mut with_c = spec.clone();
    with_c["components"]["schemas"]["A"]["properties"]["c"] =
        json!({"$ref": "#/components/schemas/C"});
    let read_c = api(&source(with_c.clone()), &with_c, OpenApiVersion::V31).unwrap();
    // `[T, "null"]` reads as 3.0's `nullable`: the format's bounds and money hold.
    assert_eq!(
        read_c.defs["C"].schema["properties"]["count"],
        json!({"anyOf": [{"type": "integer", "minimum": -2147483648i64, "maximum": 2147483647}, {"type": "null"}]})
    );
    assert_eq!(
        read_c.defs["C"].schema["properties"]["amount"],
        json!({"anyOf": [{"type": "number", "x-bankschema-money": true}, {"type": "null"}]})
    );
    let read = api(&source(spec.clone()), &spec, OpenApiVersion::V31).unwrap();
    assert_eq!(
        read.defs["A"].schema["properties"]["nick"],
        json!({"anyOf": [{"type": "string"}, {"type": "null"}]})
    );
    assert_eq!(
        read.defs["B"].schema,
        json!({"type": "integer", "exclusiveMinimum": 0})
    );
    // 3.0's own keywords mean nothing there.
    let mut old = spec.clone();
    old["components"]["schemas"]["B"] = json!({"type": "integer", "nullable": true});
    let error = api(&source(old.clone()), &old, OpenApiVersion::V31)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("at /components/schemas/B/nullable: unsupported keyword `nullable`"),
        "{error}"
    );
}

#[test]
fn an_id_where_nothing_is_read_is_refused() {
    let mut spec = spec();
    spec["webhooks"] = json!({"ping": {"post": {"requestBody": {"x-bankschema-id": "bank.ping"}}}});
    spec["components"]["schemas"]["Name"]["x-bankschema-id"] = json!("bank.name");
    let error = read(spec).unwrap_err().to_string();
    for pointer in [
        "at /webhooks/ping/post/requestBody/x-bankschema-id: `x-bankschema-id` here selects nothing",
        "at /components/schemas/Name/x-bankschema-id: `x-bankschema-id` here selects nothing",
    ] {
        assert!(error.contains(pointer), "{error}");
    }
}

#[test]
fn every_refusal_of_a_spec_is_reported_at_once() {
    let mut spec = spec();
    spec["paths"]["/accounts"]["get"]["responses"]["404"]["x-bankschema-id"] =
        json!("bank.missing");
    spec["components"]["schemas"]["Name"]["frobnicate"] = json!(1);
    spec["paths"]["/accounts"]["post"]["responses"]["201"]["x-bankschema-id"] = json!("bank.made");
    let error = read(spec).unwrap_err();
    let crate::Error::Many(errors) = &error else {
        panic!("one refusal only: {error}");
    };
    let text = error.to_string();
    assert_eq!(errors.len(), 3, "{text}");
    for part in [
        "at /components/schemas/Name/frobnicate: unsupported keyword `frobnicate`",
        "at /components/schemas/Unsupported/frobnicate: unsupported keyword `frobnicate`",
        "at /paths/~1accounts/post/responses/201/x-bankschema-id: `bank.made` names a body, but there is no JSON content at",
    ] {
        assert!(text.contains(part), "{text}");
    }
}

#[test]
fn an_id_beside_a_response_ref_is_its_own_message() {
    let mut spec = spec();
    spec["paths"]["/accounts"]["post"]["responses"]["400"]["x-bankschema-id"] =
        json!("bank.create-400");
    let api = read(spec).unwrap();
    let ids: Vec<&str> = api.messages.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "bank.accounts",
            "bank.error-400",
            "bank.create",
            "bank.create-400"
        ]
    );
}
