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
use crate::traverse::{self, Place};
use bankschema_rules::pointer::escape;
use quote::quote;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use syn::parse::Parser;
use syn::visit_mut::VisitMut;
use typify::{TypeSpace, TypeSpaceSettings};

/// Keywords the validator asserts and the Rust types leave out, beside the
/// subschemas that apply under a condition or to some members only (see
/// [`validation_only`]).
const VALIDATION_ONLY: &[&str] = &[
    "minContains",
    "maxContains",
    "dependentRequired",
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "examples",
    "$comment",
];

/// Whether the types leave `keyword` to the validator: an assertion that leaves the
/// shape of values alone, or subschemas that apply under a condition (`if`,
/// `dependentSchemas`), to some members or elements (`patternProperties`,
/// `contains`) or to names (`propertyNames`). (`not` is read apart: alone it
/// leaves any JSON.)
fn validation_only(keyword: &str) -> bool {
    VALIDATION_ONLY.contains(&keyword)
        || matches!(
            traverse::applicator(keyword),
            Some((
                _,
                Place::Conditional
                    | Place::MatchingMembers
                    | Place::SomeElements
                    | Place::MemberNames
            ))
        )
}

/// One API's types module and the names typify gave its definitions.
pub struct Types {
    /// The module, before the file header.
    pub file: syn::File,
    /// Definition name -> the Rust type typify made of it (for definitions inlined
    /// as tagged `oneOf` branches, none). Every later stage takes names from here.
    pub names: BTreeMap<String, String>,
}

impl Types {
    /// The Rust type of definition `name`.
    pub fn name_of(&self, name: &str) -> Option<&str> {
        self.names.get(name).map(String::as_str)
    }
}

/// The Rust source of one API's types module, before the file header.
pub fn emit(api: &Api) -> Result<Types> {
    let mut settings = TypeSpaceSettings::default();
    settings.with_struct_builder(false);
    settings.with_derive("PartialEq".to_owned());
    settings.with_crate(RUNTIME_CRATE, typify::CrateVers::Any, None);
    settings.with_crate("serde_json", typify::CrateVers::Any, None);
    let mut type_space = TypeSpace::new(&settings);
    let view = View { api };
    let inlined = view.inlined_only();
    let defs = api
        .defs
        .iter()
        .filter(|(name, _)| !inlined.contains(name.as_str()))
        .map(|(name, def)| {
            let view = view.definition(&def.schema);
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
    let def_names: Vec<String> = defs.iter().map(|(name, _)| name.clone()).collect();
    let typify_error = |message: String| {
        schema_error(
            &api.source,
            "",
            format!("typify cannot generate types: {message}"),
        )
    };
    let (tokens, rust_names) = quietly(|| {
        type_space.add_ref_types(defs)?;
        // typify numbers the definitions of one `add_ref_types` call first, in the
        // order given, before any type it makes on the way; `iter_types` walks the
        // types by number. So the first names are the definitions', as typify
        // chose them (typify 0.8 offers no lookup by definition name).
        let names: Vec<String> = type_space
            .iter_types()
            .take(def_names.len())
            .map(|t| t.name())
            .collect();
        Ok((type_space.to_stream(), names))
    })
    .map_err(typify_error)?
    .map_err(|e: typify::Error| typify_error(e.to_string()))?;
    let names = definition_names(api, def_names, rust_names)?;
    let mut file: syn::File = syn::parse2(quote! { #tokens }).map_err(|e| {
        schema_error(
            &api.source,
            "",
            format!("typify produced code that does not parse: {e}"),
        )
    })?;
    let schemas = type_schemas(api, &names, &file);
    let mut rewrite = Rewrite {
        tri_state: tri_state_fields(api, &schemas),
        open_variants: open_variants(api, &schemas, &file),
    };
    rewrite.visit_file_mut(&mut file);
    check_distinct_fields(api, &names, &file)?;
    file.items.retain(|item| !is_clone_from_ref(item));
    let tolerant: BTreeSet<String> = schemas
        .iter()
        .filter(|(_, schema)| schema.get(TOLERANT) == Some(&Value::Bool(true)))
        .map(|(name, _)| name.clone())
        .collect();
    unhonoured_tolerance(api, &schemas)?;
    let items = std::mem::take(&mut file.items);
    for mut item in items {
        if conversion_of(&item).is_some_and(|name| tolerant.contains(&name)) {
            // Replaced below: an unknown value converts too.
            continue;
        }
        let impls = match &mut item {
            syn::Item::Enum(item) if tolerant.contains(&item.ident.to_string()) => {
                if item.variants.iter().any(|v| v.ident == "Unknown") {
                    return Err(schema_error(
                        &api.source,
                        "",
                        format!("`{}` lists a value whose variant is `Unknown`, the name `{TOLERANT}` gives values it does not list", item.ident),
                    ));
                }
                tolerate(item)
            }
            // A newtype (the schema became any JSON) reads as what it wraps.
            syn::Item::Struct(item) if !matches!(item.fields, syn::Fields::Named(_)) => Vec::new(),
            // typify closes a struct (`deny_unknown_fields`) exactly when its
            // schema refuses members it does not name.
            syn::Item::Struct(item) => {
                derive_deserialize_object(item);
                Vec::new()
            }
            syn::Item::Enum(item)
                if crate::nodes::has_flag(&item.attrs, "untagged")
                    || crate::nodes::serde_string(&item.attrs, "tag").is_some() =>
            {
                read_through_buffer(item)
            }
            _ => Vec::new(),
        };
        file.items.push(item);
        file.items.extend(impls);
    }
    let nodes = crate::nodes::impls(&file);
    file.items.extend(nodes);
    Ok(Types { file, names })
}

pub use bankschema_rules::vocabulary::{MONEY, TOLERANT};

/// Takes `name` out of the `#[derive(...)]` lists of `attrs`.
fn drop_derive(attrs: &mut [syn::Attribute], name: &str) {
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
fn unhonoured_tolerance(api: &Api, honoured: &BTreeMap<String, &Value>) -> Result<()> {
    fn marks<'v>(value: &'v Value, pointer: String, out: &mut Vec<(String, &'v Value)>) {
        match value {
            Value::Object(object) => {
                if object.get(TOLERANT) == Some(&Value::Bool(true)) {
                    out.push((pointer.clone(), value));
                }
                for (key, item) in object {
                    // Values, not schemas.
                    if !matches!(
                        key.as_str(),
                        "examples" | "example" | "const" | "default" | "enum"
                    ) {
                        marks(item, format!("{pointer}/{}", escape(key)), out);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    marks(item, format!("{pointer}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    for (name, def) in &api.defs {
        marks(&def.schema, format!("/$defs/{}", escape(name)), &mut found);
    }
    match found
        .iter()
        .find(|(_, mark)| !honoured.values().any(|schema| std::ptr::eq(*schema, *mark)))
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
fn conversion_of(item: &syn::Item) -> Option<String> {
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
fn tolerate(item: &mut syn::ItemEnum) -> Vec<syn::Item> {
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
fn read_through_buffer(item: &mut syn::ItemEnum) -> Vec<syn::Item> {
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

/// Definition name -> Rust name; two definitions typify would give one name (which
/// would not compile) are refused, naming both.
fn definition_names(
    api: &Api,
    defs: Vec<String>,
    rust: Vec<String>,
) -> Result<BTreeMap<String, String>> {
    if defs.len() != rust.len() {
        return Err(schema_error(
            &api.source,
            "",
            "typify made fewer types than there are definitions",
        ));
    }
    let mut by_rust: BTreeMap<&str, &str> = BTreeMap::new();
    for (def, rust) in defs.iter().zip(&rust) {
        if let Some(first) = by_rust.insert(rust, def) {
            return Err(schema_error(
                &api.source,
                &api.definition_pointer(def),
                format!(
                    "definitions `{first}` (at {}) and `{def}` both become the Rust type `{rust}`; rename one in an overlay",
                    api.definition_pointer(first)
                ),
            ));
        }
    }
    Ok(defs.into_iter().zip(rust).collect())
}

thread_local! {
    /// Whether this thread is running typify inside [`quietly`].
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs typify, whose 0.8 release stops with a panic (`todo!`, `unreachable!`, an
/// assertion) on some schemas it does not support, for instance `allOf` branches
/// holding only bounds. Such a panic becomes a refusal with typify's message, so
/// that no input makes the generator panic; the panic message is not printed, so
/// that the refusal is the only message.
///
/// The panic hook is wrapped once, for the whole process: the wrapper stays silent
/// on a thread inside `quietly` and hands every other panic to the hook it found.
/// Nothing swaps hooks back and forth, so threads generating at once (the test
/// suite's) cannot restore each other's hook.
fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static WRAPPED: std::sync::Once = std::sync::Once::new();
    WRAPPED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = QUIET.with(|quiet| quiet.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|quiet| quiet.set(outer));
    result.map_err(|panic| {
        let message = panic_message(panic.as_ref());
        // typify's message often holds the subschema it stopped at, over several
        // lines: one line of it names the keywords in question.
        let mut line = message.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some((cut, _)) = line.char_indices().nth(240) {
            line.truncate(cut);
            line.push_str("...");
        }
        format!("typify 0.8 does not support this schema (it stopped with \"{line}\")")
    })
}

/// The text a panic carried (`panic!` with a literal or a formatted message).
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)")
}

/// typify turns property names into identifiers by dropping what Rust does not
/// allow: `foo\tbar` and `foo\nbar` both become `foo_bar`, and a property named
/// `extra` meets the field keeping unknown properties. Two fields of one name do not
/// compile, so such a schema is refused, naming both properties.
fn check_distinct_fields(
    api: &Api,
    names: &BTreeMap<String, String>,
    file: &syn::File,
) -> Result<()> {
    for item in &file.items {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for field in &item.fields {
            let Some(ident) = &field.ident else { continue };
            let rust = ident.to_string();
            let json = serde_rename(field).unwrap_or_else(|| rust.clone());
            if let Some(first) = seen.insert(rust.clone(), json.clone()) {
                let pointer = names
                    .iter()
                    .find(|(_, rust)| item.ident == rust)
                    .map(|(name, _)| api.definition_pointer(name))
                    .unwrap_or_default();
                return Err(schema_error(
                    &api.source,
                    &pointer,
                    format!(
                        "unsupported property names: {first:?} and {json:?} of `{}` both become the Rust field `{rust}` (`extra` is also the field keeping unknown properties); rename one",
                        item.ident
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Every struct of a JSON object derives `bankschema_runtime::DeserializeObject`
/// instead of serde's `Deserialize`: it reads only objects (serde's derive also
/// takes an array of the field values, which the schema refuses), and a struct
/// keeping unknown properties reads them as they come, without serde's `flatten`,
/// which buffers the whole object.
fn derive_deserialize_object(item: &mut syn::ItemStruct) {
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

/// Where the runtime types that generated code names live.
const RUNTIME_CRATE: &str = "bankschema-runtime";

/// The definitions as typify should see them: shapes and documentation, no
/// assertions; money, other numbers and timestamps as lossless runtime types; and
/// `oneOf`s over tagged objects inlined, so that they become tagged enums.
struct View<'a> {
    api: &'a Api,
}

/// Keywords that say which JSON types a schema admits; without any, a schema admits
/// every type, whatever else it constrains.
const TYPE_DECIDING: &[&str] = &[
    "type", "$ref", "enum", "const", "allOf", "anyOf", "oneOf", "not",
];

/// Keywords that constrain only objects or only arrays: typify reads them as the
/// type, where JSON Schema lets every other type pass.
const SHAPE_ONLY: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// A schema that constrains some values without saying their type: `{"required":
/// ["a"]}` admits every string and number too.
fn untyped(object: &Map<String, Value>) -> bool {
    !TYPE_DECIDING.iter().any(|k| object.contains_key(*k))
}

fn any_json(object: &Map<String, Value>) -> Value {
    with_docs(rust_type("bankschema_runtime::Json"), object)
}

impl View<'_> {
    fn schema(&self, schema: &Value) -> Value {
        self.schema_in(schema, false)
    }

    /// A definition's view. A definition that is "its schema, or null" (OpenAPI
    /// 3.0's `nullable: true` on a definition) is typed once, as its schema; the
    /// places that refer to it say "or null" (see [`nullable_definition`]).
    fn definition(&self, schema: &Value) -> Value {
        match nullable_definition(schema) {
            Some(inner) => {
                let mut view = self.schema(inner);
                if let (Value::Object(view), Value::Object(outer)) = (&mut view, schema) {
                    for key in ["title", "description"] {
                        if let Some(text) = outer.get(key) {
                            view.insert(key.to_owned(), text.clone());
                        }
                    }
                }
                view
            }
            None => self.schema(schema),
        }
    }

    /// Whether `schema` is a `$ref` to a definition typed as its non-null schema.
    fn refers_to_nullable(&self, schema: &Value) -> bool {
        self.api
            .referred(schema)
            .is_some_and(|def| nullable_definition(&def.schema).is_some())
    }

    /// `in_all_of`: the schema is a branch of `allOf`, which typify merges with its
    /// siblings; there the branch's shape is the whole's.
    fn schema_in(&self, schema: &Value, in_all_of: bool) -> Value {
        let Value::Object(object) = schema else {
            return schema.clone();
        };
        if self.refers_to_nullable(schema) {
            return serde_json::json!({"anyOf": [schema, {"type": "null"}]});
        }
        if let Some(branches) = type_list(object) {
            return self.schema_in(&branches, in_all_of);
        }
        if let Some(native) = native_type(object) {
            return with_docs(native, object);
        }
        if !in_all_of && untyped(object) && SHAPE_ONLY.iter().any(|k| object.contains_key(*k)) {
            return any_json(object);
        }
        // `not` only refuses: alone, it leaves any JSON; beside what types the
        // value, it takes nothing from the type (the validator asserts it).
        let decides = |k: &&str| *k != "not" && object.contains_key(*k);
        if object.contains_key("not") && !TYPE_DECIDING.iter().any(decides) {
            return any_json(object);
        }
        // An `anyOf`/`oneOf` with a branch that does not say its type (`{}`,
        // `true`, `{"minLength": 4}`) only constrains: typify would make a struct
        // of it. The type is the outer schema's, or any JSON when it has none.
        let loose = ["anyOf", "oneOf"].iter().any(|k| {
            object
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(|b| b.as_object().is_none_or(untyped)))
        });
        if loose && !object.contains_key("type") {
            return any_json(object);
        }
        let mut view = Map::new();
        let mut default_doc = None;
        for (key, value) in object {
            let value = match key.as_str() {
                k if validation_only(k) || k.starts_with("x-") => continue,
                // A default would make typify fill the field in, and the round trip
                // would then write a field the payload never had: it is documented.
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
                        .map(|(name, property)| (name.clone(), self.schema(property)))
                        .collect(),
                ),
                // Members the schema does not name are kept as they came (JSON, in
                // their order), whatever schema they answer to: the validator
                // asserts it, the types only keep them.
                "additionalProperties"
                    if !value.is_boolean() || object.contains_key("patternProperties") =>
                {
                    Value::Bool(true)
                }
                "not" => continue,
                "items" | "additionalProperties" => self.schema(value),
                "oneOf" if self.tagged_branches(value).is_some() => Value::Array(
                    self.tagged_branches(value)
                        .into_iter()
                        .flatten()
                        .map(|def| self.schema(def))
                        .collect(),
                ),
                "anyOf" | "oneOf" if loose => continue,
                "allOf" | "anyOf" | "oneOf" => Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|s| self.schema_in(s, key == "allOf"))
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

    /// The definitions a `oneOf` of `$ref`s names, when each is an object whose
    /// required property `tag` (the same in all) holds one constant: such a `oneOf`
    /// reads best as an internally tagged enum, and typify makes one when the
    /// branches are inline.
    fn tagged_branches<'v>(&'v self, one_of: &Value) -> Option<Vec<&'v Value>> {
        let branches: Vec<&Value> = one_of
            .as_array()?
            .iter()
            .map(|branch| {
                let name = branch.get("$ref")?.as_str()?.strip_prefix("#/$defs/")?;
                self.api.defs.get(name).map(|def| &def.schema)
            })
            .collect::<Option<_>>()?;
        let tags: Vec<&str> = branches
            .iter()
            .map(|b| constant_property(b))
            .collect::<Option<_>>()?;
        (tags.len() > 1 && tags.iter().all(|t| *t == tags[0])).then_some(branches)
    }

    /// Definitions that are only ever inlined as tagged branches: typify would make
    /// unused types of them.
    fn inlined_only(&self) -> BTreeSet<&str> {
        let mut inlined = BTreeSet::new();
        let mut elsewhere: BTreeSet<&str> =
            self.api.messages.iter().map(|m| m.root.as_str()).collect();
        for (name, def) in &self.api.defs {
            let branches: BTreeSet<&str> = match def.schema.get("oneOf") {
                Some(one_of) if self.tagged_branches(one_of).is_some() => one_of
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|b| b.get("$ref")?.as_str()?.strip_prefix("#/$defs/"))
                    .collect(),
                _ => BTreeSet::new(),
            };
            for referred in &def.refs {
                if !branches.contains(referred.as_str()) || referred == name {
                    elsewhere.insert(referred.as_str());
                }
            }
            inlined.extend(branches);
        }
        inlined.retain(|name| !elsewhere.contains(name));
        inlined
    }
}

/// The non-null branch of a definition of the form `anyOf: [<schema>, {type:
/// null}]` with only annotations beside it, as normalising `nullable: true` writes it.
fn nullable_definition(schema: &Value) -> Option<&Value> {
    let object = schema.as_object()?;
    if object
        .keys()
        .any(|k| k != "anyOf" && !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"))
    {
        return None;
    }
    match object.get("anyOf")?.as_array()?.as_slice() {
        [inner, null] if *null == serde_json::json!({"type": "null"}) => Some(inner),
        _ => None,
    }
}

/// The required property of an object schema that holds a single constant.
fn constant_property(schema: &Value) -> Option<&str> {
    let required = schema.get("required")?.as_array()?;
    schema
        .get("properties")?
        .as_object()?
        .iter()
        .find_map(|(name, property)| {
            let single = property.get("const").is_some()
                || property
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.len() == 1);
            (single && required.iter().any(|r| r == name)).then_some(name.as_str())
        })
}

/// Keywords that say nothing about which values a schema accepts.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// A schema of several types (`"type": ["integer", "null"]`) as a `oneOf` of one
/// schema per type, so that each gets its lossless runtime type (typify would read
/// the list itself as `i64` and `f64`); `None` for any other schema, and where a
/// composition beside the list would make the rewrite ambiguous.
fn type_list(object: &Map<String, Value>) -> Option<Value> {
    let Some(Value::Array(types)) = object.get("type") else {
        return None;
    };
    if ["anyOf", "oneOf", "allOf"]
        .iter()
        .any(|k| object.contains_key(*k))
    {
        return None;
    }
    let branches: Vec<Value> = types
        .iter()
        .map(|t| {
            let mut branch = object.clone();
            branch.insert("type".to_owned(), t.clone());
            for key in ["title", "description"] {
                branch.remove(key);
            }
            Value::Object(branch)
        })
        .collect();
    let mut outer: Map<String, Value> = ["title", "description"]
        .iter()
        .filter_map(|key| Some((key.to_string(), object.get(*key)?.clone())))
        .collect();
    outer.insert("oneOf".to_owned(), Value::Array(branches));
    Some(Value::Object(outer))
}

/// The lossless runtime type a scalar schema maps to, as typify's `x-rust-type`.
fn native_type(object: &Map<String, Value>) -> Option<Value> {
    let path = match (
        object.get("type").and_then(Value::as_str),
        object.get("format").and_then(Value::as_str),
    ) {
        (Some("string"), _) if object.get(MONEY) == Some(&Value::Bool(true)) => {
            "bankschema_runtime::MoneyText"
        }
        _ if object.get(MONEY) == Some(&Value::Bool(true)) => "bankschema_runtime::Money",
        (Some("number"), _) => "bankschema_runtime::Number",
        // typify's `i64` (or `i32`, `NonZeroU64`... from the bounds) would refuse
        // `1.0` and integers beyond 64 bits, which the schema accepts.
        (Some("integer"), _) => "bankschema_runtime::Integer",
        // Any JSON: typify would say `serde_json::Value`, which refuses big integers
        // inside the structs serde buffers (those keeping unknown properties).
        (None, _)
            if object
                .keys()
                .all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")) =>
        {
            "bankschema_runtime::Json"
        }
        (Some("string"), Some("date-time")) => "bankschema_runtime::DateTime",
        // typify makes no sound type of an `enum` or `const` that is not all strings
        // (`[6, null]` gives two items of one name); the schema still checks the
        // value, and the type keeps it as it came.
        _ if object.get("enum").is_some_and(|e| {
            !e.as_array()
                .is_some_and(|values| values.iter().all(Value::is_string))
        }) || object.get("const").is_some_and(|c| !c.is_string()) =>
        {
            "bankschema_runtime::Json"
        }
        _ => return None,
    };
    Some(rust_type(path))
}

/// typify's `x-rust-type` for the type at `path` (in serde_json or the runtime).
fn rust_type(path: &str) -> Value {
    let crate_name = if path.starts_with("serde_json") {
        "serde_json"
    } else {
        RUNTIME_CRATE
    };
    serde_json::json!({"x-rust-type": {"crate": crate_name, "version": "*", "path": path}})
}

fn with_docs(mut native: Value, object: &Map<String, Value>) -> Value {
    for key in ["title", "description"] {
        if let Some(text) = object.get(key) {
            native[key] = text.clone();
        }
    }
    native
}

/// `(enum, variant)` pairs of the struct variants of tagged enums whose branch
/// definition admits properties it does not name: those variants keep them in an
/// `extra` map. typify writes one variant per `oneOf` branch, in order, so each
/// variant is read beside its branch (never named by a guess).
fn open_variants(
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
fn tri_state_fields(api: &Api, schemas: &BTreeMap<String, &Value>) -> BTreeSet<(String, String)> {
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
fn type_schemas<'a>(
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
fn held_struct<'a>(ty: &syn::Type, schema: &'a Value) -> Option<(String, &'a Value)> {
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
fn merged_object<'a>(
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

struct Rewrite {
    tri_state: BTreeSet<(String, String)>,
    /// `(enum, variant)`: struct variants that keep unknown properties.
    open_variants: BTreeSet<(String, String)>,
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
fn add_extra(fields: &mut syn::Fields, public: bool) {
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
                // Already spaced, as docs written with `///` are.
                _ if leading == 1 => line.to_owned(),
                _ => format!(" {line}"),
            }
        })
        .collect()
}

/// The `rename = "..."` of a field's `#[serde(...)]` attribute.
/// Whether `attrs` hold a doc comment.
fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("doc"))
}

fn serde_rename(field: &syn::Field) -> Option<String> {
    crate::nodes::serde_string(&field.attrs, "rename")
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
    let ty = syn::parse_quote! { ::bankschema_runtime::Nullable<#inner> };
    retype(field, ty, "::bankschema_runtime::Nullable::is_absent");
}

/// Gives `field` the type `ty`, defaulted when absent and skipped when `skip` says.
fn retype(field: &mut syn::Field, ty: syn::Type, skip: &str) {
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
fn skips_empty(field: &syn::Field) -> bool {
    crate::nodes::serde_string(&field.attrs, "skip_serializing_if")
        .is_some_and(|skip| skip.ends_with("is_empty"))
}

/// `T` skipped when empty into `Option<T>` skipped when absent.
fn keep_empty(field: &mut syn::Field) {
    let ty = &field.ty;
    let ty = syn::parse_quote! { ::std::option::Option<#ty> };
    retype(field, ty, "::std::option::Option::is_none");
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
        assert!(
            !derives("HolderKind").contains("Copy") && derives("HolderClosed").contains("Copy")
        );
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
}
