//! Structs and the objects they hold: members proven by fields, each member's
//! schema in turn.

use super::stage::{shape, Cursor, Field, Shape, Stage};
use super::Unchecked;
use crate::nodes::has_flag;
use crate::normalise::escape;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// An object as a type holds it.
pub(super) struct Object<'f, 't> {
    /// Each member the type names, with the expression that reads it.
    pub fields: &'f [Field<'t>],
    /// The unknown members, when the type keeps them.
    pub extra: Option<TokenStream>,
    /// The type refuses unknown members itself.
    pub deny_unknown: bool,
    /// A struct variant's tag member, proven by the variant.
    pub tag: Option<&'f str>,
}

impl<'a> Stage<'a> {
    /// A generated struct: an object, or a newtype read as what it wraps.
    pub(super) fn structure(
        &mut self,
        cursor: &Cursor,
        item: &syn::ItemStruct,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        match &item.fields {
            syn::Fields::Named(fields) => {
                let (fields, extra) = struct_fields(&cursor.expr, fields);
                let object = Object {
                    fields: &fields,
                    extra,
                    deny_unknown: has_flag(&item.attrs, "deny_unknown_fields"),
                    tag: None,
                };
                self.object(cursor, &object, schema, out)
            }
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                let ty = &fields.unnamed[0].ty;
                let expr = &cursor.expr;
                // `expr` may be a reference itself: `&(&v.field).0`, never `&&v.field.0`.
                self.value_in(&cursor.read_as(quote! { &(#expr).0 }), ty, schema, out)
            }
            _ => Err(self.unchecked(
                &cursor.pointer,
                &format!("`{}` is a unit struct", item.ident),
            )),
        }
    }

    /// An object at `cursor` (the object itself), held as `object`, and its schema.
    pub(super) fn object(
        &mut self,
        cursor: &Cursor,
        object: &Object<'_, '_>,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let pointer = &cursor.pointer;
        self.keywords(
            schema,
            pointer,
            &["type", "properties", "required", "additionalProperties"],
        )?;
        self.expect_type(schema, pointer, "object")?;
        let properties: Option<&'a Map<String, Value>> = match schema.get("properties") {
            Some(Value::Object(properties)) => Some(properties),
            None => None,
            Some(_) => return Err(self.unchecked(pointer, "`properties` is not an object")),
        };
        let has_field =
            |name: &str| object.fields.iter().any(|f| f.json == name) || Some(name) == object.tag;
        if let Some(name) = properties
            .into_iter()
            .flat_map(Map::keys)
            .find(|name| !has_field(name))
        {
            return Err(self.unchecked(pointer, &format!("property `{name}` has no field")));
        }
        self.unknown_members(cursor, object, schema, out)?;
        let required: BTreeSet<&str> = match schema.get("required") {
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            None => BTreeSet::new(),
            Some(_) => return Err(self.unchecked(pointer, "`required` is not a list")),
        };
        if let Some(name) = required.iter().find(|name| !has_field(name)) {
            return Err(self.unchecked(pointer, &format!("required `{name}` has no field")));
        }
        for field in object.fields {
            let Some(property) = properties.and_then(|p| p.get(&field.json)) else {
                return Err(
                    self.unchecked(pointer, &format!("member `{}` has no property", field.json))
                );
            };
            if required.contains(field.json.as_str()) {
                self.present(field, out);
            }
            let json = escape(&field.json);
            let member = cursor.inside(
                field.expr.clone(),
                &format!("/{json}"),
                &format!("/properties/{json}"),
            );
            self.location(&member, field.ty, property, out)?;
        }
        Ok(())
    }

    /// `additionalProperties`, as far as the type holds it.
    fn unknown_members(
        &mut self,
        cursor: &Cursor,
        object: &Object<'_, '_>,
        schema: &Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        match (schema.get("additionalProperties"), &object.extra) {
            (None | Some(Value::Bool(true)), _) => Ok(()),
            (Some(Value::Bool(false)), _) if object.deny_unknown => Ok(()),
            (Some(Value::Bool(false)), Some(extra)) => {
                self.assert(
                    out,
                    quote! {
                        if !#extra.is_empty() {
                            return false;
                        }
                    },
                );
                Ok(())
            }
            _ => Err(self.unchecked(
                &cursor.pointer,
                "`additionalProperties` the type does not hold",
            )),
        }
    }

    /// A required member whose type also holds its absence is present.
    fn present(&mut self, field: &Field<'_>, out: &mut Vec<TokenStream>) {
        let expr = &field.expr;
        match shape(field.ty) {
            Shape::Nullable(_) => self.assert(
                out,
                quote! {
                    if #expr.is_absent() {
                        return false;
                    }
                },
            ),
            Shape::Option(_) => self.assert(
                out,
                quote! {
                    if #expr.is_none() {
                        return false;
                    }
                },
            ),
            _ => {}
        }
    }
}

/// A struct's fields, read through `expr`, and its unknown members.
fn struct_fields<'t>(
    expr: &TokenStream,
    fields: &'t syn::FieldsNamed,
) -> (Vec<Field<'t>>, Option<TokenStream>) {
    let mut found = Vec::new();
    let mut extra = None;
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        if ident == "extra" {
            extra = Some(quote! { &#expr.extra });
            continue;
        }
        found.push(Field {
            json: super::stage::json_name(field, ident),
            ty: &field.ty,
            expr: quote! { &#expr.#ident },
        });
    }
    (found, extra)
}
