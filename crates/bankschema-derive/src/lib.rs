//! `#[derive(DeserializeObject)]`: the `Deserialize` impl of a struct read from a
//! JSON object, as the generated bankschema types need it. Use it through
//! `bankschema_runtime::DeserializeObject`.
//!
//! It reads the `#[serde(...)]` attributes serde's own derive reads for the same
//! struct, and differs from that derive in three ways:
//! - only an object is read: serde's derive also takes an array of the field
//!   values, which no JSON Schema of an object admits;
//! - the members the schema does not name go to the field marked
//!   `#[serde(flatten)]` (a `bankschema_runtime::UnknownProperties`) as they are
//!   read; serde's `flatten` buffers the whole object first, a third slower on a list
//!   of accounts. With `#[serde(deny_unknown_fields)]` they are refused;
//! - an optional `Option` field (`#[serde(default)]` or `skip_serializing_if`) may be
//!   absent but not `null`, as the schema makes it.
//!
//! A property repeated in one object is refused, as everywhere in bankschema.

#![deny(missing_docs)]

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{parse_macro_input, Attribute, Data, DeriveInput, Fields, Ident, LitStr, Type};

/// Derives `serde::Deserialize` for a struct with named fields, read from an object
/// only (see the crate's documentation).
#[proc_macro_derive(DeserializeObject, attributes(serde))]
pub fn deserialize_object(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// How a field is read.
enum Read {
    /// Must be present.
    Required,
    /// May be absent: its type's default then.
    Optional,
    /// An `Option` that may be absent, not `null`.
    Present,
    /// Keeps the members no other field names.
    Unknown,
}

/// One field of the struct.
struct Field<'a> {
    ident: &'a Ident,
    json: String,
    read: Read,
}

/// What the container's and the fields' `#[serde(...)]` attributes say, as far as
/// reading goes.
#[derive(Default)]
struct Serde {
    rename: Option<String>,
    default: bool,
    flatten: bool,
    deny_unknown_fields: bool,
}

fn serde_attributes(attrs: &[Attribute]) -> syn::Result<Serde> {
    let mut serde = Serde::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                serde.rename = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("default") || meta.path.is_ident("skip_serializing_if") {
                serde.default = true;
                if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<LitStr>()?;
                }
            } else if meta.path.is_ident("flatten") {
                serde.flatten = true;
            } else if meta.path.is_ident("deny_unknown_fields") {
                serde.deny_unknown_fields = true;
            } else if meta.input.peek(syn::Token![=]) {
                // Serialization only (`skip_serializing`, `serialize_with`): the
                // `Serialize` derive reads it.
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        })?;
    }
    Ok(serde)
}

fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn fields(input: &DeriveInput) -> syn::Result<Vec<Field<'_>>> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "DeserializeObject reads a struct with named fields",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "DeserializeObject reads a struct with named fields",
        ));
    };
    let mut fields = Vec::new();
    for field in &named.named {
        let Some(ident) = &field.ident else { continue };
        let serde = serde_attributes(&field.attrs)?;
        let read = match () {
            () if serde.flatten => Read::Unknown,
            () if serde.default && is_option(&field.ty) => Read::Present,
            () if serde.default => Read::Optional,
            () => Read::Required,
        };
        let json = serde.rename.unwrap_or_else(|| ident.unraw().to_string());
        fields.push(Field { ident, json, read });
    }
    if fields
        .iter()
        .filter(|f| matches!(f.read, Read::Unknown))
        .count()
        > 1
    {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "DeserializeObject keeps unknown members in one `#[serde(flatten)]` field",
        ));
    }
    Ok(fields)
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "DeserializeObject reads a struct without generic parameters",
        ));
    }
    let closed = serde_attributes(&input.attrs)?.deny_unknown_fields;
    let fields = fields(input)?;
    let name = &input.ident;
    let expecting = format!("an object for `{name}`");
    // Item and type-parameter names are not hygienic. The visitor's only shadows a
    // type the impl does not name; `__D` and `__A` are serde's own choice.
    let visitor = format_ident!("{name}Visitor");
    // The impl's own locals are hygienic (`mixed_site`) and the fields' slots start
    // with `field_`, so no field name can clash with either.
    let local = |name: &str| Ident::new(name, Span::mixed_site());
    let (key, map, other) = (local("key"), local("map"), local("other"));
    let slot =
        |field: &Field| format_ident!("field_{}", field.ident.unraw(), span = Span::mixed_site());
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut values = Vec::new();
    let mut names = Vec::new();
    let mut unknown = None;
    for field in &fields {
        let (ident, json, slot) = (field.ident, &field.json, slot(field));
        let read = match field.read {
            Read::Unknown => {
                slots.push(
                    quote! { let mut #slot = ::bankschema_runtime::UnknownProperties::default(); },
                );
                values.push(quote! { #ident: #slot });
                unknown = Some(slot);
                continue;
            }
            Read::Present => quote! { present },
            Read::Required | Read::Optional => quote! { field },
        };
        names.push(json);
        slots.push(quote! { let mut #slot = ::std::option::Option::None; });
        arms.push(
            quote! { #json => ::bankschema_runtime::de::#read(&mut #slot, &mut #map, #json)?, },
        );
        values.push(match field.read {
            Read::Required => quote! { #ident: ::bankschema_runtime::de::required(#slot, #json)? },
            _ => quote! { #ident: #slot.unwrap_or_default() },
        });
    }
    let rest = match (closed, unknown) {
        (true, _) => quote! {
            #other => return ::std::result::Result::Err(
                ::serde::de::Error::unknown_field(#other, &[#(#names),*])
            ),
        },
        (false, Some(unknown)) => quote! { _ => #unknown.insert_next(#key, &mut #map)?, },
        (false, None) => quote! {
            _ => { #map.next_value::<::serde::de::IgnoredAny>()?; }
        },
    };
    Ok(quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                struct #visitor;
                impl<'de> ::serde::de::Visitor<'de> for #visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut #map: __A,
                    ) -> ::std::result::Result<#name, __A::Error> {
                        #(#slots)*
                        while let ::std::option::Option::Some(#key) =
                            #map.next_key::<::bankschema_runtime::de::Key<'de>>()?
                        {
                            match #key.as_str() {
                                #(#arms)*
                                #rest
                            }
                        }
                        ::std::result::Result::Ok(#name { #(#values),* })
                    }
                }
                deserializer.deserialize_map(#visitor)
            }
        }
    })
}
