//! Types stage: one module of Rust types per API, made by typify.
//!
//! typify sees a *types view* of the definitions: the shapes without the
//! constraints the validator asserts (`pattern`, `format`, lengths), so that strings
//! keep their text and the types stay plain data. Two rewrites of typify's output
//! follow, on the syntax tree:
//! - an optional property that may also be `null` becomes `Nullable<T>` rather than
//!   `Option<T>`, so an explicit `null` and an absent field both survive a round trip;
//! - `impl From<&T> for T` (typify's clone shortcut) is dropped as noise.

use crate::error::{schema_error, Result};
use crate::model::Api;
use crate::normalise::is_nullable;
use quote::quote;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use syn::visit_mut::VisitMut;
use typify::{TypeSpace, TypeSpaceSettings};

/// Keywords the validator asserts and the Rust types leave out.
const VALIDATION_ONLY: &[&str] = &[
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "examples",
    "$comment",
];

/// The Rust source of one API's types module, before the file header.
pub fn emit(api: &Api) -> Result<syn::File> {
    let mut settings = TypeSpaceSettings::default();
    settings.with_struct_builder(false);
    settings.with_derive("PartialEq".to_owned());
    let mut type_space = TypeSpace::new(&settings);
    let defs = api
        .defs
        .iter()
        .map(|(name, def)| {
            let view = types_view(&def.schema);
            serde_json::from_value::<schemars::schema::Schema>(view)
                .map(|schema| (name.clone(), schema))
                .map_err(|e| {
                    schema_error(
                        &api.source,
                        &format!("/$defs/{name}"),
                        format!("not a schema typify reads: {e}"),
                    )
                })
        })
        .collect::<Result<Vec<_>>>()?;
    type_space.add_ref_types(defs).map_err(|e| {
        schema_error(
            &api.source,
            "",
            format!("typify cannot generate types: {e}"),
        )
    })?;
    let tokens = type_space.to_stream();
    let mut file: syn::File = syn::parse2(quote! { #tokens }).map_err(|e| {
        schema_error(
            &api.source,
            "",
            format!("typify produced code that does not parse: {e}"),
        )
    })?;
    let mut rewrite = Rewrite {
        tri_state: tri_state_fields(api),
    };
    rewrite.visit_file_mut(&mut file);
    file.items.retain(|item| !is_clone_from_ref(item));
    Ok(file)
}

/// The definition as typify should see it: shapes, documentation, no assertions.
fn types_view(schema: &Value) -> Value {
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    let mut view = Map::new();
    let mut default_doc = None;
    for (key, value) in object {
        let value = match key.as_str() {
            k if VALIDATION_ONLY.contains(&k) || k.starts_with("x-") => continue,
            // A default would make typify fill the field in, and the round trip would
            // then write a field the payload never had: it is documented instead.
            "default" => {
                if !value.is_null() {
                    default_doc = Some(format!("Default: `{value}`."));
                }
                continue;
            }
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), types_view(property)))
                    .collect(),
            ),
            "items" | "not" | "additionalProperties" => types_view(value),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(types_view)
                    .collect(),
            ),
            _ => value.clone(),
        };
        view.insert(key.clone(), value);
    }
    if let Some(doc) = default_doc {
        let description = match view.get("description").and_then(Value::as_str) {
            Some(description) => format!("{description}\n\n{doc}"),
            None => doc,
        };
        view.insert("description".into(), Value::String(description));
    }
    Value::Object(view)
}

/// `(struct, JSON property)` pairs whose field must keep absent and `null` apart.
fn tri_state_fields(api: &Api) -> BTreeSet<(String, String)> {
    let mut fields = BTreeSet::new();
    for (name, def) in &api.defs {
        let required: BTreeSet<&str> = def
            .schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let Some(properties) = def.schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (property, schema) in properties {
            if !required.contains(property.as_str()) && is_nullable(schema) {
                fields.insert((rust_type_name(name), property.clone()));
            }
        }
    }
    fields
}

/// How typify names the type of a definition.
pub fn rust_type_name(def_name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in def_name.chars() {
        if c.is_alphanumeric() {
            out.extend(if upper {
                c.to_uppercase().collect::<Vec<_>>()
            } else {
                vec![c]
            });
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

struct Rewrite {
    tri_state: BTreeSet<(String, String)>,
}

impl VisitMut for Rewrite {
    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        split_docs(&mut item.attrs);
        syn::visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        split_docs(&mut variant.attrs);
        syn::visit_mut::visit_variant_mut(self, variant);
    }

    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        split_docs(&mut field.attrs);
        syn::visit_mut::visit_field_mut(self, field);
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        split_docs(&mut item.attrs);
        syn::visit_mut::visit_item_struct_mut(self, item);
        let struct_name = item.ident.to_string();
        for field in item.fields.iter_mut() {
            let json_name = serde_rename(field).unwrap_or_else(|| {
                field
                    .ident
                    .as_ref()
                    .map(|i| i.to_string().trim_start_matches("r#").to_owned())
                    .unwrap_or_default()
            });
            if self.tri_state.contains(&(struct_name.clone(), json_name)) {
                make_nullable(field);
            }
        }
    }
}

/// typify writes each description as one `#[doc]` holding every line, without the
/// space after `///`; one attribute per line, spaced, prints as hand-written docs.
fn split_docs(attrs: &mut Vec<syn::Attribute>) {
    let mut out = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let text = match &attr.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value()),
                _ => None,
            },
            _ => None,
        };
        let Some(text) = text else {
            out.push(attr);
            continue;
        };
        for line in doc_lines(&text) {
            out.push(syn::parse_quote! { #[doc = #line] });
        }
    }
    *attrs = out;
}

/// A description as rustdoc lines, each led by a space. Continuation lines of a list
/// item are indented under the item's text, as Markdown (and clippy's
/// `doc_lazy_continuation`) expects; descriptions often leave them flush.
fn doc_lines(text: &str) -> Vec<String> {
    let mut item_indent = None;
    text.lines()
        .map(|line| {
            let line = line.trim_end();
            let content = line.trim_start();
            if content.is_empty() {
                item_indent = None;
                return String::new();
            }
            let leading = line.len() - content.len();
            if let Some(marker) = ["- ", "* ", "+ "].iter().find(|m| content.starts_with(**m)) {
                item_indent = Some(leading + marker.len());
                return format!(" {line}");
            }
            match item_indent {
                Some(indent) if leading < indent => format!(" {}{content}", " ".repeat(indent)),
                _ => format!(" {line}"),
            }
        })
        .collect()
}

/// The `rename = "..."` of a field's `#[serde(...)]` attribute.
fn serde_rename(field: &syn::Field) -> Option<String> {
    let mut rename = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// `Option<T>` with `skip_serializing_if = "Option::is_none"` into `Nullable<T>`.
fn make_nullable(field: &mut syn::Field) {
    let syn::Type::Path(path) = &field.ty else {
        return;
    };
    let Some(last) = path.path.segments.last() else {
        return;
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return;
    };
    if last.ident != "Option" {
        return;
    }
    let inner = &args.args;
    field.ty = syn::parse_quote! { ::bankschema_runtime::Nullable<#inner> };
    let serde: syn::Attribute = match serde_rename(field) {
        Some(name) => syn::parse_quote! {
            #[serde(rename = #name, default, skip_serializing_if = "::bankschema_runtime::Nullable::is_absent")]
        },
        None => syn::parse_quote! {
            #[serde(default, skip_serializing_if = "::bankschema_runtime::Nullable::is_absent")]
        },
    };
    field.attrs.retain(|a| !a.path().is_ident("serde"));
    field.attrs.push(serde);
}

/// typify's `impl From<&T> for T { fn from(value: &T) -> Self { value.clone() } }`.
fn is_clone_from_ref(item: &syn::Item) -> bool {
    let syn::Item::Impl(imp) = item else {
        return false;
    };
    let Some((_, trait_path, _)) = &imp.trait_ else {
        return false;
    };
    let Some(last) = trait_path.segments.last() else {
        return false;
    };
    if last.ident != "From" {
        return false;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(syn::Type::Reference(from))) => {
            same_type(&from.elem, &imp.self_ty)
        }
        _ => false,
    }
}

/// Token equality, which is all that is needed here (syn's `PartialEq` would need its
/// `extra-traits` feature).
fn same_type(a: &syn::Type, b: &syn::Type) -> bool {
    quote!(#a).to_string() == quote!(#b).to_string()
}

#[cfg(test)]
mod tests {
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
            }],
        }
    }

    fn rendered(api: &Api) -> String {
        prettyplease::unparse(&emit(api).unwrap())
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
                && text.contains(
                    "skip_serializing_if = \"::bankschema_runtime::Nullable::is_absent\""
                ),
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
        let view = types_view(&json!({
            "type": "string", "format": "date", "pattern": "^x", "maxLength": 3,
            "description": "A day.", "default": "2024-01-01", "x-bankschema-rule": "r"
        }));
        assert_eq!(
            view,
            json!({"type": "string", "description": "A day.\n\nDefault: `\"2024-01-01\"`."})
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
}
