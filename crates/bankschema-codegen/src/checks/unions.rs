//! Values of more than one kind: string enums, internally tagged enums of structs
//! (`oneOf`/`anyOf` of objects told apart by their tag) and nullable values.

use super::objects::Object;
use super::stage::{json_name, Cursor, Field, Stage};
use super::{mentions, Unchecked, ANNOTATIONS};
use crate::nodes::{has_flag, serde_string};
use crate::normalise::escape;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A tagged union's branches by their tag's value: each resolved, with its pointer.
type Branches<'a> = BTreeMap<String, (&'a Map<String, Value>, String)>;

/// The JSON value a variant stands for: its `rename`, else its name.
fn variant_json(variant: &syn::Variant) -> String {
    serde_string(&variant.attrs, "rename").unwrap_or_else(|| variant.ident.to_string())
}

impl<'a> Stage<'a> {
    /// A `Nullable<T>`: absent, `null` or a `T`, for a schema that is `anyOf` of a
    /// schema and `null`.
    pub(super) fn nullable(
        &mut self,
        cursor: &Cursor,
        inner: &syn::Type,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let Some((branch, branch_pointer)) = self.nullable_branch(schema, &cursor.pointer)? else {
            return Err(self.unchecked(
                &cursor.pointer,
                "a nullable type for a schema that is not `anyOf` of a schema and `null`",
            ));
        };
        let binding = self.binding(&cursor.at);
        let mut inner_out = Vec::new();
        let inner_cursor = Cursor {
            expr: quote! { #binding },
            pointer: branch_pointer,
            ..cursor.clone()
        };
        let result = self.value(&inner_cursor, inner, branch, &mut inner_out);
        self.names.remove(&binding.to_string());
        result?;
        if !inner_out.is_empty() {
            let expr = &cursor.expr;
            out.push(quote! {
                if let checks::Nullable::Value(#binding) = #expr {
                    #(#inner_out)*
                }
            });
        }
        Ok(())
    }

    /// The non-null branch when `schema` is `anyOf` (or `oneOf`) of it and `null`.
    pub(super) fn nullable_branch(
        &self,
        schema: &'a Map<String, Value>,
        pointer: &str,
    ) -> Result<Option<(&'a Value, String)>, Unchecked> {
        for keyword in ["anyOf", "oneOf"] {
            let Some(Value::Array(branches)) = schema.get(keyword) else {
                continue;
            };
            if branches.len() != 2 {
                return Ok(None);
            }
            self.keywords(schema, pointer, &[keyword])?;
            let is_null = |branch: &'a Value, at: &str| -> Result<bool, Unchecked> {
                let (map, _) = self.resolve(branch, at)?;
                Ok(map.get("type") == Some(&Value::from("null"))
                    && map
                        .keys()
                        .all(|k| k == "type" || ANNOTATIONS.contains(&k.as_str())))
            };
            for (value, null) in [(0, 1), (1, 0)] {
                if is_null(&branches[null], pointer)? && !is_null(&branches[value], pointer)? {
                    return Ok(Some((
                        &branches[value],
                        format!("{pointer}/{keyword}/{value}"),
                    )));
                }
            }
            return Ok(None);
        }
        Ok(None)
    }

    /// A string enum (its values proven by the type) or an internally tagged
    /// enum of structs.
    pub(super) fn enumeration(
        &mut self,
        cursor: &Cursor,
        item: &syn::ItemEnum,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        // A tolerant enum's `Unknown` holds what the schema does not list: the check
        // refuses it, and the full report gives its warning.
        let tolerant = crate::nodes::is_tolerant(item);
        let listed: Vec<&syn::Variant> = item
            .variants
            .iter()
            .take(item.variants.len() - usize::from(tolerant))
            .collect();
        let units = listed.iter().all(|v| matches!(v.fields, syn::Fields::Unit));
        if !listed.is_empty() && units && !has_flag(&item.attrs, "untagged") {
            return self.string_enum(cursor, item, &listed, tolerant, schema, out);
        }
        let Some(tag) = serde_string(&item.attrs, "tag") else {
            return Err(self.unchecked(
                &cursor.pointer,
                &format!(
                    "`{}` is neither a string enum nor internally tagged",
                    item.ident
                ),
            ));
        };
        let by_tag = self.branches_by_tag(&cursor.pointer, &tag, schema)?;
        if by_tag.len() != item.variants.len() {
            return Err(self.unchecked(
                &cursor.pointer,
                "branches the variants do not match one to one",
            ));
        }
        let mut arms = Vec::new();
        for variant in &item.variants {
            let syn::Fields::Named(named) = &variant.fields else {
                return Err(
                    self.unchecked(&cursor.pointer, "a tagged variant that is not a struct")
                );
            };
            let Some((branch, branch_pointer)) = by_tag.get(&variant_json(variant)) else {
                return Err(self.unchecked(
                    &cursor.pointer,
                    &format!("variant `{}` has no branch", variant.ident),
                ));
            };
            let branch_cursor = cursor.schema_at(branch_pointer.clone());
            arms.push(self.variant(&branch_cursor, item, variant, named, &tag, branch)?);
        }
        let expr = &cursor.expr;
        out.push(quote! {
            match #expr {
                #(#arms)*
            }
        });
        Ok(())
    }

    /// A string enum whose `listed` variants are its values.
    fn string_enum(
        &mut self,
        cursor: &Cursor,
        item: &syn::ItemEnum,
        listed: &[&syn::Variant],
        tolerant: bool,
        schema: &Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let pointer = &cursor.pointer;
        self.keywords(
            schema,
            pointer,
            &["type", "enum", crate::normalise::TOLERANT],
        )?;
        self.expect_type(schema, pointer, "string")?;
        let values: BTreeSet<&str> = match schema.get("enum") {
            Some(Value::Array(values)) => values.iter().filter_map(Value::as_str).collect(),
            _ => {
                return Err(
                    self.unchecked(pointer, "a string enum type for a schema without `enum`")
                )
            }
        };
        let variants: Vec<String> = listed.iter().map(|v| variant_json(v)).collect();
        let same =
            variants.len() == values.len() && variants.iter().all(|v| values.contains(v.as_str()));
        if !same {
            return Err(self.unchecked(pointer, "enum values the type does not list"));
        }
        if tolerant {
            let (name, module, expr) = (&item.ident, &self.module, &cursor.expr);
            let refused = quote! {
                if matches!(#expr, bankschema_types::#module::#name::Unknown(_)) {
                    return false;
                }
            };
            self.assert(out, refused);
        }
        Ok(())
    }

    /// The branches of a tagged union, by the one value each admits for its `tag`
    /// member, resolved, with their pointers: with distinct tags at most one branch
    /// matches, so `oneOf` is `anyOf`, and the variant read is it.
    fn branches_by_tag(
        &self,
        pointer: &str,
        tag: &str,
        schema: &'a Map<String, Value>,
    ) -> Result<Branches<'a>, Unchecked> {
        let keyword = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| schema.contains_key(*k))
            .ok_or_else(|| {
                self.unchecked(
                    pointer,
                    "a tagged enum for a schema without `oneOf` or `anyOf`",
                )
            })?;
        self.keywords(schema, pointer, &[keyword])?;
        let Some(Value::Array(branches)) = schema.get(keyword) else {
            return Err(self.unchecked(pointer, &format!("`{keyword}` is not a list")));
        };
        let mut by_tag = BTreeMap::new();
        for (i, branch) in branches.iter().enumerate() {
            let branch_pointer = format!("{pointer}/{keyword}/{i}");
            let (resolved, resolved_pointer) = self.resolve(branch, &branch_pointer)?;
            let tag_value = self.tag_value(resolved, &resolved_pointer, tag)?;
            if by_tag
                .insert(tag_value.to_owned(), (resolved, resolved_pointer))
                .is_some()
            {
                return Err(self.unchecked(
                    &branch_pointer,
                    &format!("two branches with `{tag}` {tag_value}"),
                ));
            }
        }
        Ok(by_tag)
    }

    /// The one value a branch (`resolved`, at `pointer`) requires of its `tag`.
    fn tag_value(
        &self,
        resolved: &'a Map<String, Value>,
        pointer: &str,
        tag: &str,
    ) -> Result<&'a str, Unchecked> {
        let tag_schema = match resolved.get("properties").and_then(|p| p.get(tag)) {
            Some(tag_schema) => self.resolve(tag_schema, pointer)?.0,
            None => return Err(self.unchecked(pointer, &format!("a branch without `{tag}`"))),
        };
        let tag_value = match (tag_schema.get("enum"), tag_schema.get("const")) {
            (Some(Value::Array(values)), None) if values.len() == 1 => values[0].as_str(),
            (None, Some(Value::String(value))) => Some(value.as_str()),
            _ => None,
        };
        let required = resolved
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(tag)));
        let Some(tag_value) = tag_value.filter(|_| required) else {
            return Err(self.unchecked(pointer, &format!("`{tag}` is not one required value")));
        };
        // What the tag asserts beside its value, the variant proves too.
        self.keywords(tag_schema, pointer, &["type", "enum", "const"])?;
        self.expect_type(tag_schema, pointer, "string")?;
        Ok(tag_value)
    }

    /// The match arm of one struct variant of a tagged enum: its branch's checks
    /// on its fields, bound by the arm under fresh names.
    fn variant(
        &mut self,
        cursor: &Cursor,
        item: &syn::ItemEnum,
        variant: &syn::Variant,
        named: &syn::FieldsNamed,
        tag: &str,
        branch: &'a Map<String, Value>,
    ) -> Result<TokenStream, Unchecked> {
        let mut fields = Vec::new();
        let mut bound = Vec::new();
        let mut extra = None;
        for field in &named.named {
            let Some(ident) = &field.ident else { continue };
            let json = json_name(field, ident);
            let binding = self.binding(&format!("{}/{}", cursor.at, escape(&json)));
            bound.push((ident.clone(), binding.clone()));
            if ident == "extra" {
                extra = Some(quote! { #binding });
            } else {
                fields.push(Field {
                    json,
                    ty: &field.ty,
                    expr: quote! { #binding },
                });
            }
        }
        let object = Object {
            fields: &fields,
            extra,
            deny_unknown: false,
            tag: Some(tag),
        };
        let mut inner_out = Vec::new();
        let result = self.object(cursor, &object, branch, &mut inner_out);
        for (_, binding) in &bound {
            self.names.remove(&binding.to_string());
        }
        result?;
        // Only the fields the checks read are bound.
        let checks_read = quote! { #(#inner_out)* };
        let bound = bound
            .iter()
            .filter(|(_, binding)| mentions(&checks_read, binding))
            .map(|(field, binding)| {
                if field == binding {
                    quote! { #field }
                } else {
                    quote! { #field: #binding }
                }
            });
        let (name, module, ident) = (&item.ident, &self.module, &variant.ident);
        let pattern = quote! { bankschema_types::#module::#name::#ident { #(#bound,)* .. } };
        Ok(quote! { #pattern => { #(#inner_out)* } })
    }
}
