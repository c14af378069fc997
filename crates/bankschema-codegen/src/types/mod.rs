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
use quote::quote;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use syn::visit_mut::VisitMut;
use typify::{TypeSpace, TypeSpaceSettings};

mod reading;
mod rewrite;
mod view;

use reading::{
    conversion_of, derive_deserialize_object, read_through_buffer, tolerate, unhonoured_tolerance,
};
use rewrite::{
    is_clone_from_ref, open_variants, serde_rename, tri_state_fields, type_schemas, Rewrite,
};
use view::View;
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
    let (mut file, names) = typify_file(api)?;
    let schemas = type_schemas(api, &names, &file);
    let mut rewrite = Rewrite {
        tri_state: tri_state_fields(api, &schemas),
        open_variants: open_variants(api, &schemas, &file),
    };
    rewrite.visit_file_mut(&mut file);
    check_distinct_fields(api, &names, &file)?;
    file.items.retain(|item| !is_clone_from_ref(item));
    unhonoured_tolerance(api, &schemas)?;
    reading_impls(api, &schemas, &mut file)?;
    let nodes = crate::nodes::impls(&file);
    file.items.extend(nodes);
    Ok(Types { file, names })
}

/// What typify makes of the API's definitions (their types view), and the Rust
/// name of each definition.
fn typify_file(api: &Api) -> Result<(syn::File, BTreeMap<String, String>)> {
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
    let file: syn::File = syn::parse2(quote! { #tokens }).map_err(|e| {
        schema_error(
            &api.source,
            "",
            format!("typify produced code that does not parse: {e}"),
        )
    })?;
    Ok((file, names))
}

/// How each item of `file` is read (see [`reading`]): the derive on structs, the
/// impls of tolerant and buffered enums. `schemas` are the types' schemas.
fn reading_impls(
    api: &Api,
    schemas: &BTreeMap<String, &Value>,
    file: &mut syn::File,
) -> Result<()> {
    let tolerant: BTreeSet<String> = schemas
        .iter()
        .filter(|(_, schema)| schema.get(TOLERANT) == Some(&Value::Bool(true)))
        .map(|(name, _)| name.clone())
        .collect();
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
    Ok(())
}

pub use bankschema_rules::vocabulary::{MONEY, TOLERANT};

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

/// Where the runtime types that generated code names live.
pub(super) const RUNTIME_CRATE: &str = "bankschema-runtime";

#[cfg(test)]
mod tests;
