//! OpenAPI documents through the types stage: what the front end's model becomes in
//! Rust.

use bankschema_codegen::load::{Document, OpenApiVersion, Source};
use serde_json::json;
use std::path::PathBuf;

#[test]
fn openapi_3_1_type_lists_with_null_become_nullable_fields() {
    let spec = json!({
        "openapi": "3.1.0",
        "info": {"title": "Bank", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {
            "description": "OK", "x-bankschema-id": "bank.a",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
        }}}}},
        "components": {"schemas": {
            "A": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "nick": {"type": ["string", "null"]},
                "amount": {"type": ["number", "null"], "x-bankschema-money": true}
            }}
        }}
    });
    let source = Source {
        path: PathBuf::from("schemas/bank.openapi.yaml"),
        display: PathBuf::from("schemas/bank.openapi.yaml"),
        name: "bank".into(),
        document: Document::OpenApi {
            raw: spec.clone(),
            version: OpenApiVersion::V31,
        },
        overlay: None,
    };
    let api = bankschema_codegen::openapi::api(&source, &spec, OpenApiVersion::V31).unwrap();
    let text = prettyplease::unparse(&bankschema_codegen::types::emit(&api).unwrap().file);
    for field in [
        "pub nick: ::bankschema_runtime::Nullable<::std::string::String>",
        "pub amount: ::bankschema_runtime::Nullable<::bankschema_runtime::Money>",
    ] {
        assert!(text.contains(field), "{field} not in\n{text}");
    }
}
