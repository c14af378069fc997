//! How the generated types are read: every struct of an object derives
//! `DeserializeObject`, a tolerant string enum reads the values it does not list,
//! and an untagged or internally tagged enum is read through a buffer that keeps
//! numbers exact.

use super::TOLERANT;
use crate::error::{schema_error, Result};
use crate::model::Api;
use crate::traverse;
use bankschema_rules::pointer::escape;
use serde_json::Value;
use std::collections::BTreeMap;

/// Takes `name` out of the `#[derive(...)]` lists of `attrs`.
pub(super) fn drop_derive(attrs: &mut [syn::Attribute], name: &str) {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        if let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) {
            let kept = paths
                .iter()
                .filter(|p| p.segments.last().is_none_or(|s| s.ident != name));
            *attr = syn::parse_quote! { #[derive(#(#kept),*)] };
        }
    }
}

/// Refuses a `x-bankschema-tolerant` no generated enum honours: an enum typify
/// writes inside another type's variant, not as a type of its own.
pub(super) fn unhonoured_tolerance(api: &Api, honoured: &BTreeMap<String, &Value>) -> Result<()> {
    let mut found = Vec::new();
    for (name, def) in &api.defs {
        let pointer = format!("/$defs/{}", escape(name));
        traverse::each(&def.schema, &pointer, &mut |object, here| {
            if object.get(TOLERANT) == Some(&Value::Bool(true)) {
                found.push((here.to_owned(), object));
            }
        });
    }
    match found
        .iter()
        .find(|(_, mark)| {
            !honoured
                .values()
                .any(|schema| schema.as_object().is_some_and(|o| std::ptr::eq(o, *mark)))
        })
    {
        Some((pointer, _)) => Err(schema_error(
            &api.source,
            &format!("{pointer}/{TOLERANT}"),
            "no generated enum would honour it: this enum is written inside a branch of another type; give it a definition of its own and refer to it",
        )),
        None => Ok(()),
    }
}

/// The type typify's string conversions (`Display`, `FromStr`, `TryFrom`) of
/// `item` are for, when it is one.
pub(super) fn conversion_of(item: &syn::Item) -> Option<String> {
    let syn::Item::Impl(imp) = item else {
        return None;
    };
    let (_, path, _) = imp.trait_.as_ref()?;
    let trait_name = path.segments.last()?.ident.to_string();
    if !matches!(trait_name.as_str(), "Display" | "FromStr" | "TryFrom") {
        return None;
    }
    match &*imp.self_ty {
        syn::Type::Path(ty) => Some(ty.path.segments.last()?.ident.to_string()),
        _ => None,
    }
}

/// A string enum that reads values it does not list: an `Unknown` variant keeps
/// them (serde tries it last, `untagged`), and the conversions take them.
pub(super) fn tolerate(item: &mut syn::ItemEnum) -> Vec<syn::Item> {
    drop_derive(&mut item.attrs, "Copy");
    let listed: Vec<(syn::Ident, String)> = item
        .variants
        .iter()
        .map(|v| {
            let json = crate::nodes::serde_string(&v.attrs, "rename")
                .unwrap_or_else(|| v.ident.to_string());
            (v.ident.clone(), json)
        })
        .collect();
    item.variants.push(syn::parse_quote! {
        /// A value the schema does not list, kept as it was sent.
        #[serde(untagged)]
        Unknown(::std::string::String)
    });
    let name = &item.ident;
    let (variants, values): (Vec<_>, Vec<_>) = listed.into_iter().unzip();
    vec![
        syn::parse_quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(match self {
                        #(Self::#variants => #values,)*
                        Self::Unknown(value) => value,
                    })
                }
            }
        },
        syn::parse_quote! {
            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                    Ok(Self::from(value))
                }
            }
        },
        syn::parse_quote! {
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#values => Self::#variants,)*
                        _ => Self::Unknown(value.to_owned()),
                    }
                }
            }
        },
        syn::parse_quote! {
            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    Self::from(value.as_str())
                }
            }
        },
    ]
}

/// serde reads an internally tagged or untagged enum through a buffer of its own,
/// which holds numbers as floats. The derived code is kept (`remote = "Self"` makes
/// it inherent functions) and the trait impls hand it the value read exactly
/// (`bankschema_runtime::de::buffered`).
pub(super) fn read_through_buffer(item: &mut syn::ItemEnum) -> Vec<syn::Item> {
    item.attrs
        .push(syn::parse_quote! { #[serde(remote = "Self")] });
    let name = &item.ident;
    vec![
        syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    ::bankschema_runtime::de::buffered(deserializer, |raw| #name::deserialize(raw))
                }
            }
        },
        syn::parse_quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(
                    &self,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    #name::serialize(self, serializer)
                }
            }
        },
    ]
}

/// Every struct of a JSON object derives `bankschema_runtime::DeserializeObject`
/// instead of serde's `Deserialize`: it reads only objects (serde's derive also
/// takes an array of the field values, which the schema refuses), and a struct
/// keeping unknown properties reads them as they come, without serde's `flatten`,
/// which buffers the whole object.
pub(super) fn derive_deserialize_object(item: &mut syn::ItemStruct) {
    drop_derive(&mut item.attrs, "Deserialize");
    for attr in item
        .attrs
        .iter_mut()
        .filter(|a| a.path().is_ident("derive"))
    {
        if let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) {
            let (serialize, rest): (Vec<_>, Vec<_>) = paths
                .into_iter()
                .partition(|p| p.segments.last().is_some_and(|s| s.ident == "Serialize"));
            *attr = syn::parse_quote! {
                #[derive(#(#serialize,)* ::bankschema_runtime::DeserializeObject, #(#rest),*)]
            };
            return;
        }
    }
}
