//! Nodes stage: every generated type seen as the JSON it stands for.
//!
//! For each struct (and struct variant) of typify's output, an impl of
//! `bankschema_runtime::typed::TypedObject` (its members by JSON name) and of
//! `AsNode`; for each string enum, `AsNode` giving the JSON string. With them,
//! `parse` has the JSON Schema and the prose rules judge the typed value itself,
//! without building a `serde_json::Value`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The impls for every type in `file`, in one module (`mod nodes`).
pub fn impls(file: &syn::File) -> Vec<syn::Item> {
    let mut items = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(item) => match &item.fields {
                syn::Fields::Named(fields) => items.extend(struct_impls(&item.ident, fields)),
                // typify's newtypes (`pub struct Name(pub String)`) are what they wrap.
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    let name = &item.ident;
                    items.push(syn::parse_quote! {
                        impl AsNode for super::#name {
                            fn as_node(&self) -> Option<TypedNode<'_>> {
                                AsNode::as_node(&self.0)
                            }
                        }
                    });
                }
                _ => {}
            },
            syn::Item::Enum(item) => items.extend(enum_impls(item)),
            _ => {}
        }
    }
    if items.is_empty() {
        return Vec::new();
    }
    // In a module of their own, which names the types through `super`: a schema's
    // type named like a trait of the runtime (`TypedNode`) stays apart.
    let objects = items.iter().any(|item| {
        matches!(item, syn::Item::Impl(i) if i.trait_.as_ref().is_some_and(|(_, path, _)| {
            path.is_ident("TypedObject")
        }))
    });
    let import: syn::Item = if objects {
        syn::parse_quote! { use ::bankschema_runtime::typed::{AsNode, TypedNode, TypedObject}; }
    } else {
        syn::parse_quote! { use ::bankschema_runtime::typed::{AsNode, TypedNode}; }
    };
    vec![syn::parse_quote! {
        /// Each type above as the JSON it stands for: what the schema and the rules
        /// judge on a parsed value.
        mod nodes {
            #import
            #(#items)*
        }
    }]
}

/// A named field's JSON name and its identifier, `extra` (unknown properties) apart.
fn members(fields: &syn::FieldsNamed) -> (Vec<Member>, bool) {
    let mut named = Vec::new();
    let mut open = false;
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        if ident == "extra" {
            open = true;
            continue;
        }
        let json = serde_string(&field.attrs, "rename")
            .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned());
        // A field named like a local of the impls (`key`, `members`, `node`) is
        // bound under another name: `key: key_`.
        let binding = if LOCALS.contains(&ident.to_string().as_str()) {
            format_ident!("{ident}_")
        } else {
            ident.clone()
        };
        named.push(Member {
            json,
            field: ident.clone(),
            binding,
        });
    }
    (named, open)
}

/// One named field of a struct or struct variant.
struct Member {
    json: String,
    field: syn::Ident,
    /// The local it is bound to in the impls' patterns.
    binding: syn::Ident,
}

/// The names the impls' bodies use for their own locals and parameters.
const LOCALS: [&str; 4] = ["key", "members", "node", "value"];

/// `get` and `members` bodies over bindings named like the fields.
fn object_bodies(
    named: &[Member],
    open: bool,
    tag: Option<(&str, &str)>,
) -> (TokenStream, TokenStream) {
    let names: Vec<&String> = named.iter().map(|m| &m.json).collect();
    let idents: Vec<&syn::Ident> = named.iter().map(|m| &m.binding).collect();
    let (tag_arm, tag_member) = match tag {
        Some((name, value)) => (
            quote! { #name => Some(TypedNode::Str(#value)), },
            quote! { members.push((#name, TypedNode::Str(#value))); },
        ),
        None => (quote! {}, quote! {}),
    };
    let (unknown, unknown_members) = if open {
        (
            quote! { _ => extra.node(key), },
            quote! { extra.push_members(&mut members); },
        )
    } else {
        (quote! { _ => None, }, quote! {})
    };
    let count = proc_macro2::Literal::usize_unsuffixed(named.len() + usize::from(tag.is_some()));
    let get = quote! {
        match key {
            #tag_arm
            #(#names => AsNode::as_node(#idents),)*
            #unknown
        }
    };
    let list = quote! {
        let mut members = Vec::with_capacity(#count);
        #tag_member
        #(if let Some(node) = AsNode::as_node(#idents) { members.push((#names, node)); })*
        #unknown_members
        members
    };
    (get, list)
}

/// The field bindings of a destructuring pattern: the named fields, and `extra`.
fn bindings(named: &[Member], open: bool) -> Vec<TokenStream> {
    let mut bindings: Vec<TokenStream> = named
        .iter()
        .map(|m| {
            let (field, binding) = (&m.field, &m.binding);
            if field == binding {
                quote! { #field }
            } else {
                quote! { #field: #binding }
            }
        })
        .collect();
    if open {
        bindings.push(quote! { extra });
    }
    bindings
}

fn struct_impls(name: &syn::Ident, fields: &syn::FieldsNamed) -> Vec<syn::Item> {
    let (named, open) = members(fields);
    let (get, list) = object_bodies(&named, open, None);
    let bindings = bindings(&named, open);
    object_impls(
        name,
        quote! { let Self { #(#bindings),* } = self; #get },
        quote! { let Self { #(#bindings),* } = self; #list },
    )
}

/// `AsNode` and `TypedObject` for a type read as a JSON object, given the bodies of
/// `get` and `members`.
fn object_impls(name: &syn::Ident, get: TokenStream, members: TokenStream) -> Vec<syn::Item> {
    vec![
        syn::parse_quote! {
            impl AsNode for super::#name {
                fn as_node(&self) -> Option<TypedNode<'_>> {
                    Some(TypedNode::Object(self))
                }
            }
        },
        typed_object_impl(name, get, members),
    ]
}

/// `TypedObject` alone, for an enum whose `AsNode` says which variants are objects.
fn typed_object_impl(name: &syn::Ident, get: TokenStream, members: TokenStream) -> syn::Item {
    syn::parse_quote! {
        impl TypedObject for super::#name {
            fn get(&self, key: &str) -> Option<TypedNode<'_>> {
                #get
            }

            fn members(&self) -> Vec<(&str, TypedNode<'_>)> {
                #members
            }

            fn to_value(&self) -> ::serde_json::Value {
                ::serde_json::to_value(self).unwrap_or_default()
            }
        }
    }
}

/// Whether `item` is a string enum that reads values it does not list: its last
/// variant `Unknown(String)`, tried last (`#[serde(untagged)]`).
pub fn is_tolerant(item: &syn::ItemEnum) -> bool {
    item.variants.last().is_some_and(|v| {
        v.ident == "Unknown"
            && has_flag(&v.attrs, "untagged")
            && matches!(&v.fields, syn::Fields::Unnamed(f) if f.unnamed.len() == 1)
    })
}

fn enum_impls(item: &syn::ItemEnum) -> Vec<syn::Item> {
    let name = &item.ident;
    let variant_json = |variant: &syn::Variant| {
        serde_string(&variant.attrs, "rename").unwrap_or_else(|| variant.ident.to_string())
    };
    if item.variants.is_empty() {
        // A schema no value satisfies (`false`, `not: {}`): typify's empty enum.
        return vec![syn::parse_quote! {
            impl AsNode for super::#name {
                fn as_node(&self) -> Option<TypedNode<'_>> {
                    match *self {}
                }
            }
        }];
    }
    if has_flag(&item.attrs, "untagged") {
        return untagged_impls(item);
    }
    let tolerant = is_tolerant(item);
    let units: Vec<&syn::Variant> = item
        .variants
        .iter()
        .filter(|v| matches!(v.fields, syn::Fields::Unit))
        .collect();
    if units.len() + usize::from(tolerant) == item.variants.len() {
        let variants = units.iter().map(|v| &v.ident);
        let strings = units.iter().map(|v| variant_json(v));
        let unknown = tolerant.then(|| quote! { Self::Unknown(value) => value, });
        return vec![syn::parse_quote! {
            impl AsNode for super::#name {
                fn as_node(&self) -> Option<TypedNode<'_>> {
                    Some(TypedNode::Str(match self {
                        #(Self::#variants => #strings,)*
                        #unknown
                    }))
                }
            }
        }];
    }
    // An internally tagged enum: each variant an object with the tag member.
    let Some(tag) = serde_string(&item.attrs, "tag") else {
        return externally_tagged_impls(item);
    };
    let mut get_arms = Vec::new();
    let mut member_arms = Vec::new();
    for variant in &item.variants {
        let syn::Fields::Named(fields) = &variant.fields else {
            return Vec::new();
        };
        let (named, open) = members(fields);
        let value = variant_json(variant);
        let (get, list) = object_bodies(&named, open, Some((&tag, &value)));
        let ident = &variant.ident;
        let bindings = bindings(&named, open);
        get_arms.push(quote! { Self::#ident { #(#bindings),* } => #get, });
        member_arms.push(quote! { Self::#ident { #(#bindings),* } => { #list } });
    }
    object_impls(
        name,
        quote! { match self { #(#get_arms)* } },
        quote! { match self { #(#member_arms)* } },
    )
}

/// An untagged enum (typify's `anyOf`, `oneOf` or `type` list) is whichever variant
/// it holds: a newtype variant its value, a unit variant `null`, a struct variant
/// an object of its fields.
fn untagged_impls(item: &syn::ItemEnum) -> Vec<syn::Item> {
    let name = &item.ident;
    let mut node_arms = Vec::new();
    let mut get_arms = Vec::new();
    let mut member_arms = Vec::new();
    for variant in &item.variants {
        let ident = &variant.ident;
        match &variant.fields {
            syn::Fields::Unit => node_arms.push(quote! { Self::#ident => Some(TypedNode::Null), }),
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                node_arms.push(quote! { Self::#ident(value) => AsNode::as_node(value), });
            }
            syn::Fields::Named(fields) => {
                let (named, open) = members(fields);
                let (get, list) = object_bodies(&named, open, None);
                let bindings = bindings(&named, open);
                node_arms.push(quote! { Self::#ident { .. } => Some(TypedNode::Object(self)), });
                get_arms.push(quote! { Self::#ident { #(#bindings),* } => #get, });
                member_arms.push(quote! { Self::#ident { #(#bindings),* } => { #list } });
            }
            // typify writes no tuple variant of several fields for JSON Schema.
            syn::Fields::Unnamed(_) => return Vec::new(),
        }
    }
    enum_object_impls(
        name,
        &node_arms,
        &get_arms,
        &member_arms,
        item.variants.len(),
        false,
    )
}

/// An externally tagged enum (typify's `oneOf` of objects with one required
/// property each): a unit variant is its name, any other an object of one member,
/// the variant's name holding its value.
fn externally_tagged_impls(item: &syn::ItemEnum) -> Vec<syn::Item> {
    let name = &item.ident;
    let mut node_arms = Vec::new();
    let mut get_arms = Vec::new();
    let mut member_arms = Vec::new();
    for variant in &item.variants {
        let ident = &variant.ident;
        let json = serde_string(&variant.attrs, "rename").unwrap_or_else(|| ident.to_string());
        match &variant.fields {
            syn::Fields::Unit => {
                node_arms.push(quote! { Self::#ident => Some(TypedNode::Str(#json)), })
            }
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                node_arms.push(quote! { Self::#ident(_) => Some(TypedNode::Object(self)), });
                get_arms.push(
                    quote! { Self::#ident(value) if key == #json => AsNode::as_node(value), },
                );
                member_arms.push(quote! {
                    Self::#ident(value) => AsNode::as_node(value).map(|node| (#json, node)).into_iter().collect(),
                });
            }
            // typify writes other variants only for the enums handled above.
            _ => return Vec::new(),
        }
    }
    enum_object_impls(
        name,
        &node_arms,
        &get_arms,
        &member_arms,
        item.variants.len(),
        true,
    )
}

/// `AsNode` for an enum from one arm per variant, and `TypedObject` over the
/// variants that are objects (one `get` and `members` arm each). `guarded`: the `get`
/// arms hold guards, so their match always needs a last arm.
fn enum_object_impls(
    name: &syn::Ident,
    node_arms: &[TokenStream],
    get_arms: &[TokenStream],
    member_arms: &[TokenStream],
    variants: usize,
    guarded: bool,
) -> Vec<syn::Item> {
    let mut items = vec![syn::parse_quote! {
        impl AsNode for super::#name {
            fn as_node(&self) -> Option<TypedNode<'_>> {
                match self {
                    #(#node_arms)*
                }
            }
        }
    }];
    if !get_arms.is_empty() {
        let some_not_objects = member_arms.len() < variants;
        let no_member = (guarded || some_not_objects).then(|| quote! { _ => None, });
        let no_members = some_not_objects.then(|| quote! { _ => Vec::new(), });
        items.push(typed_object_impl(
            name,
            quote! { match self { #(#get_arms)* #no_member } },
            quote! { match self { #(#member_arms)* #no_members } },
        ));
    }
    items
}

/// Whether `#[serde(flag)]` is among `attrs`.
pub fn has_flag(attrs: &[syn::Attribute], flag: &str) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(flag) {
                found = true;
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// The string value of `#[serde(key = "...")]` among `attrs`.
pub fn serde_string(attrs: &[syn::Attribute], key: &str) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                let value: syn::LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}
