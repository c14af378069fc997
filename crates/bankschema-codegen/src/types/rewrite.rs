//! Rewrites of typify's output, on the syntax tree: `Nullable<T>` for an optional
//! property that may be `null`, an empty list kept apart from an absent one, the
//! `extra` map of unknown members, and documentation split into lines.

use super::view::{nullable_definition, View};
use crate::model::Api;
use crate::normalise::is_nullable;
use quote::quote;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use syn::parse::Parser;
use syn::visit_mut::VisitMut;

/// `(enum, variant)` pairs of the struct variants of tagged enums whose branch
/// definition admits properties it does not name: those variants keep them in an
/// `extra` map. typify writes one variant per `oneOf` branch, in order, so each
/// variant is read beside its branch (never named by a guess).
pub(super) fn open_variants(
    api: &Api,
    schemas: &BTreeMap<String, &Value>,
    file: &syn::File,
) -> BTreeSet<(String, String)> {
    let view = View { api };
    let mut open = BTreeSet::new();
    for item in &file.items {
        let syn::Item::Enum(item) = item else {
            continue;
        };
        let name = item.ident.to_string();
        let Some(branches) = schemas
            .get(&name)
            .and_then(|schema| schema.get("oneOf"))
            .and_then(|one_of| view.tagged_branches(one_of))
        else {
            continue;
        };
        if branches.len() != item.variants.len() {
            continue;
        }
        for (variant, branch) in item.variants.iter().zip(branches) {
            let closed = matches!(branch.get("additionalProperties"), Some(Value::Bool(false)))
                && branch.get("patternProperties").is_none();
            if branch.get("properties").is_some() && !closed {
                open.insert((name.clone(), variant.ident.to_string()));
            }
        }
    }
    open
}

/// `(struct, JSON property)` pairs whose field must keep absent and `null` apart:
/// optional properties that may be `null`, in every struct typify made from an
/// object schema (see [`type_schemas`]).
pub(super) fn tri_state_fields(
    api: &Api,
    schemas: &BTreeMap<String, &Value>,
) -> BTreeSet<(String, String)> {
    let view = View { api };
    let mut fields = BTreeSet::new();
    for (rust, schema) in schemas {
        let (required, properties) = merged_object(api, schema);
        for (property, schema) in properties {
            let nullable = is_nullable(schema) || view.refers_to_nullable(schema);
            if !required.contains(property) && nullable {
                fields.insert((rust.clone(), property.to_owned()));
            }
        }
    }
    fields
}

/// Type name -> the schema typify made it from: the definitions, by typify's names,
/// then the types written in place that struct fields hold, found by reading each
/// struct's fields beside its schema's properties (so inline objects and enums are
/// named as typify named them, never by a guess).
pub(super) fn type_schemas<'a>(
    api: &'a Api,
    names: &BTreeMap<String, String>,
    file: &syn::File,
) -> BTreeMap<String, &'a Value> {
    let structs: BTreeMap<String, &syn::FieldsNamed> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => match &s.fields {
                syn::Fields::Named(fields) => Some((s.ident.to_string(), fields)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut found: BTreeMap<String, &Value> = names
        .iter()
        .filter_map(|(def, rust)| {
            let schema = &api.defs.get(def)?.schema;
            Some((rust.clone(), nullable_definition(schema).unwrap_or(schema)))
        })
        .collect();
    let mut queue: Vec<String> = found.keys().cloned().collect();
    while let Some(name) = queue.pop() {
        let (Some(fields), Some(schema)) = (structs.get(&name), found.get(&name).copied()) else {
            continue;
        };
        let (_, properties) = merged_object(api, schema);
        // By name: a struct may have tens of thousands of fields.
        let properties: std::collections::HashMap<&str, &Value> =
            properties.iter().rev().map(|(p, s)| (*p, *s)).collect();
        for field in &fields.named {
            let Some(ident) = &field.ident else { continue };
            let json = serde_rename(field)
                .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned());
            let Some(&property) = properties.get(json.as_str()) else {
                continue;
            };
            if let Some((held, schema)) = held_struct(&field.ty, property) {
                if schema.get("$ref").is_none() && !found.contains_key(&held) {
                    found.insert(held.clone(), schema);
                    queue.push(held);
                }
            }
        }
    }
    found
}

/// The generated struct a field of type `ty` holds (through `Option`, `Box` and
/// `Vec`), with the schema it stands for inside `schema` (through `null` branches
/// and `items`).
pub(super) fn held_struct<'a>(ty: &syn::Type, schema: &'a Value) -> Option<(String, &'a Value)> {
    let (mut ty, mut schema) = (ty, schema);
    for _ in 0..16 {
        schema = nullable_definition(schema).unwrap_or(schema);
        let syn::Type::Path(path) = ty else {
            return None;
        };
        let last = path.path.segments.last()?;
        let inner = match &last.arguments {
            syn::PathArguments::AngleBracketed(args) => match args.args.first() {
                Some(syn::GenericArgument::Type(inner)) => Some(inner),
                _ => None,
            },
            _ => None,
        };
        match (last.ident.to_string().as_str(), inner) {
            ("Option" | "Box", Some(inner)) => ty = inner,
            ("Vec", Some(inner)) => {
                ty = inner;
                schema = schema.get("items")?;
            }
            (name, None) if path.path.segments.len() == 1 => {
                return Some((name.to_owned(), schema))
            }
            _ => return None,
        }
    }
    None
}

/// The members of an object schema as typify merges them: its own `required` and
/// `properties`, and those of its `allOf` branches (through their `$ref`s).
pub(super) fn merged_object<'a>(
    api: &'a Api,
    schema: &'a Value,
) -> (BTreeSet<&'a str>, Vec<(&'a str, &'a Value)>) {
    let mut required = BTreeSet::new();
    let mut properties = Vec::new();
    let mut stack = vec![(schema, 0)];
    // Each definition once: `allOf` branches may name one many times.
    let mut seen: BTreeSet<*const Value> = BTreeSet::new();
    while let Some((schema, depth)) = stack.pop() {
        if depth > 32 || !seen.insert(schema as *const Value) {
            continue;
        }
        required.extend(
            schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str),
        );
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            properties.push((name.as_str(), property));
        }
        for branch in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let target = api.referred(branch).map(|def| &def.schema);
            stack.push((target.unwrap_or(branch), depth + 1));
        }
    }
    (required, properties)
}

pub(super) struct Rewrite {
    pub tri_state: BTreeSet<(String, String)>,
    /// `(enum, variant)`: struct variants that keep unknown properties.
    pub open_variants: BTreeSet<(String, String)>,
}

impl VisitMut for Rewrite {
    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        split_docs(&mut item.attrs);
        let untagged = crate::nodes::has_flag(&item.attrs, "untagged");
        let name = item.ident.to_string();
        for variant in &mut item.variants {
            // Struct variants of a tagged enum are the inlined branch definitions;
            // those of an untagged enum (an `anyOf` of objects) keep what they do
            // not name too, or a member another branch forbids would go unseen.
            let has_extra = variant
                .fields
                .iter()
                .any(|f| f.ident.as_ref().is_some_and(|i| i == "extra"));
            let open = self
                .open_variants
                .contains(&(name.clone(), variant.ident.to_string()));
            if !has_extra && (untagged || open) {
                add_extra(&mut variant.fields, false);
            }
        }
        syn::visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        split_docs(&mut variant.attrs);
        // Every public item is documented: an enum value the schema does not
        // describe says which JSON value it is.
        if !has_doc(&variant.attrs) {
            let doc = match crate::nodes::serde_string(&variant.attrs, "rename") {
                Some(json) => format!(" The value `{}`.", Value::from(json)),
                None => format!(" The `{}` variant.", variant.ident),
            };
            variant.attrs.insert(0, syn::parse_quote! { #[doc = #doc] });
        }
        syn::visit_mut::visit_variant_mut(self, variant);
    }

    /// typify's `serde_json` types hold a number as the nearest float and sort or
    /// order members by a feature of serde_json: the runtime's own keep both as sent.
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        let text = quote! { #ty }.to_string().replace(' ', "");
        if text == "::serde_json::Map<::std::string::String,::serde_json::Value>" {
            *ty = syn::parse_quote! { ::bankschema_runtime::UnknownProperties };
            return;
        }
        if text == "::serde_json::Value" {
            *ty = syn::parse_quote! { ::bankschema_runtime::Json };
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        split_docs(&mut field.attrs);
        // A member whose schema is a bare `$ref` has its description on the type.
        if !has_doc(&field.attrs) {
            if let Some(ident) = &field.ident {
                let json = serde_rename(field)
                    .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned());
                let doc = format!(" The `{json}` member.");
                field.attrs.insert(0, syn::parse_quote! { #[doc = #doc] });
            }
        }
        syn::visit_mut::visit_field_mut(self, field);
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        split_docs(&mut item.attrs);
        if !crate::nodes::has_flag(&item.attrs, "deny_unknown_fields") {
            add_extra(&mut item.fields, true);
        }
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
            } else if skips_empty(field) {
                keep_empty(field);
            }
        }
    }
}

/// Adds `extra`, the properties the schema does not name, to named fields.
pub(super) fn add_extra(fields: &mut syn::Fields, public: bool) {
    let syn::Fields::Named(named) = fields else {
        return;
    };
    let visibility: syn::Visibility = if public {
        syn::parse_quote!(pub)
    } else {
        syn::Visibility::Inherited
    };
    let field: syn::Field = syn::Field::parse_named
        .parse2(quote! {
            /// Properties the schema does not name, kept so that the payload is written back as it came.
            #[serde(flatten)]
            #visibility extra: ::bankschema_runtime::UnknownProperties
        })
        .expect("a literal field parses");
    named.named.push(field);
}

/// typify writes each description as one `#[doc]` holding every line, without the
/// space after `///`; one attribute per line, spaced, prints as hand-written docs.
pub(super) fn split_docs(attrs: &mut Vec<syn::Attribute>) {
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
pub(super) fn doc_lines(text: &str) -> Vec<String> {
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
                // Already spaced, as docs written with `///` are.
                _ if leading == 1 => line.to_owned(),
                _ => format!(" {line}"),
            }
        })
        .collect()
}

/// The `rename = "..."` of a field's `#[serde(...)]` attribute.
/// Whether `attrs` hold a doc comment.
pub(super) fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("doc"))
}

pub(super) fn serde_rename(field: &syn::Field) -> Option<String> {
    crate::nodes::serde_string(&field.attrs, "rename")
}

/// `Option<T>` with `skip_serializing_if = "Option::is_none"` into `Nullable<T>`.
pub(super) fn make_nullable(field: &mut syn::Field) {
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
    let ty = syn::parse_quote! { ::bankschema_runtime::Nullable<#inner> };
    retype(field, ty, "::bankschema_runtime::Nullable::is_absent");
}

/// Gives `field` the type `ty`, defaulted when absent and skipped when `skip` says.
pub(super) fn retype(field: &mut syn::Field, ty: syn::Type, skip: &str) {
    field.ty = ty;
    let serde: syn::Attribute = match serde_rename(field) {
        Some(name) => {
            syn::parse_quote! { #[serde(rename = #name, default, skip_serializing_if = #skip)] }
        }
        None => syn::parse_quote! { #[serde(default, skip_serializing_if = #skip)] },
    };
    field.attrs.retain(|a| !a.path().is_ident("serde"));
    field.attrs.push(serde);
}

/// typify writes an optional array or map as the bare collection, skipped when
/// empty: an empty one sent explicitly would vanish on the way back.
pub(super) fn skips_empty(field: &syn::Field) -> bool {
    crate::nodes::serde_string(&field.attrs, "skip_serializing_if")
        .is_some_and(|skip| skip.ends_with("is_empty"))
}

/// `T` skipped when empty into `Option<T>` skipped when absent.
pub(super) fn keep_empty(field: &mut syn::Field) {
    let ty = &field.ty;
    let ty = syn::parse_quote! { ::std::option::Option<#ty> };
    retype(field, ty, "::std::option::Option::is_none");
}

/// typify's `impl From<&T> for T { fn from(value: &T) -> Self { value.clone() } }`.
pub(super) fn is_clone_from_ref(item: &syn::Item) -> bool {
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
pub(super) fn same_type(a: &syn::Type, b: &syn::Type) -> bool {
    quote!(#a).to_string() == quote!(#b).to_string()
}
