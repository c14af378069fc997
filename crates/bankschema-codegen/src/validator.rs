//! Validator stage: the `bankschema-validator` crate, as syntax trees.
//!
//! For every schema id there is a static [`EmbeddedSchema`] holding the message's
//! JSON Schema as text and the sites of the prose rules attached to it (found by the
//! [`rules`](crate::rules) stage), and two functions in the API's module: `validate_<message>`
//! (bytes to a report of every violation) and `parse_<message>` (bytes to the
//! generated type, only when valid). The crate root adds the [`SchemaId`] enum and
//! `validate`/`parse` by id, for callers that pick the schema at run time.
//!
//! [`EmbeddedSchema`]: https://docs.rs/bankschema-runtime
//! [`SchemaId`]: https://docs.rs/bankschema-validator

use crate::error::{schema_error, Result};
use crate::model::{variant_name, Api, Message};
use crate::rules::{attachments, Attachment};
use crate::types::Types;
use bankschema_rules::Rule;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// The Rust type typify made of a message's root.
fn root_name<'t>(api: &Api, types: &'t Types, message: &Message) -> Result<&'t str> {
    types
        .name_of(&message.root)
        .ok_or_else(|| crate::Error::Schema {
            path: api.source.clone(),
            pointer: api.definition_pointer(&message.root),
            message: format!(
                "`{}` (the body of `{}`) is inlined into another type and has no type of its own",
                message.root, message.id
            ),
        })
}

/// The module of one API in the validator crate; `types` is the API's types
/// module as the types stage wrote it.
pub fn api_module(api: &Api, types: &Types) -> Result<TokenStream> {
    let module = format_ident!("{}", api.module());
    let (mut any_rules, mut any_check) = (false, false);
    let mut items = Vec::new();
    for message in &api.messages {
        let sites = attachments(api, message)?;
        any_rules |= !sites.is_empty();
        let (message_items, checked) = message_items(api, &module, message, &sites, types)?;
        any_check |= checked;
        items.push(message_items);
    }
    let mut names = vec![
        quote! { EmbeddedSchema },
        quote! { Options },
        quote! { Report },
    ];
    if any_rules {
        names.extend([quote! { Rule }, quote! { Site }]);
    }
    // A generated check's functions name `checks::Finding`, at least.
    if any_check {
        names.insert(0, quote! { checks });
    }
    Ok(quote! {
        use bankschema_runtime::{#(#names),*};
        #(#items)*
    })
}

/// The items of one message, and whether a check was generated for it (which
/// uses the runtime's `checks`).
fn message_items(
    api: &Api,
    module: &Ident,
    message: &Message,
    sites: &[Attachment],
    types: &Types,
) -> Result<(TokenStream, bool)> {
    let id = &message.id;
    let suffix = message_suffix(api, message);
    let schema = static_name(&suffix);
    let rules_name = format_ident!("{}_RULES", suffix.to_uppercase());
    let site_module = format_ident!("{suffix}_site");
    let table = crate::checks::RuleTable::new(rules_name, &site_module, sites);
    let (rules_static, places, rules) = if sites.is_empty() {
        (quote! {}, quote! {}, quote! { &[] })
    } else {
        let name = &table.name;
        let count = Literal::usize_unsuffixed(sites.len());
        let sites = sites.iter().map(|site| {
            let (at, keyword, rule) = (&site.at, &site.keyword, rule_tokens(site.rule));
            quote! { Site::new(#at, #keyword, #rule) }
        });
        let rules_doc = doc(&format!(
            "The prose rules `{id}` carries besides its JSON Schema, and where they apply."
        ));
        let (constants, places) = table.constants().unzip::<_, _, Vec<_>, Vec<_>>();
        let module_doc = doc(&format!("The place of each rule site in [`{name}`]."));
        (
            quote! {
                #rules_doc
                #[doc(hidden)]
                pub static #name: [Site; #count] = [#(#sites),*];
            },
            quote! {
                #module_doc
                mod #site_module {
                    #(pub(super) const #constants: usize = #places;)*
                }
            },
            quote! { &#name },
        )
    };
    let validate = format_ident!("validate_{}", suffix);
    let validate_with = with_options_name("validate", api, message);
    let parse = format_ident!("parse_{}", suffix);
    let parse_with = with_options_name("parse", api, message);
    let parse_warned = warnings_name(api, message);
    let check = crate::checks::message_check(api, message, types, sites, &table, &suffix);
    let root = syn::Ident::new(root_name(api, types, message)?, Span::call_site());
    // The schema text sits beside the code (`schemas/<id>.json`, see
    // [`schema_file`]): readable on its own, and usable by other tools.
    let json_path = format!("../schemas/{id}.json");
    let json = quote! { include_str!(#json_path) };
    let schema_doc = doc(&format!("The JSON Schema of `{id}`: {}.", message.summary));
    let validate_doc = doc(&format!(
        "Every violation in a `{id}` payload, and the rules' warnings: it is valid when no diagnostic is an error ([`Report::is_valid`]); warnings alone leave it valid."
    ));
    let parse_doc = doc(&format!(
        "A `{id}` payload as [`{root}`](bankschema_types::{module}::{root}), or the report of why it is not valid."
    ));
    let parse_with_doc = doc(&format!(
        "[`{parse}`], with rules turned off or the call's input given."
    ));
    let validate_with_doc = doc(&format!(
        "[`{validate}`], with rules turned off or the call's input given."
    ));
    let parse_warned_doc = doc(&format!(
        "[`{parse_with}`], with the rules' warnings beside the value: a SHOULD rule broken leaves the payload valid, and is reported here rather than dropped."
    ));
    let checked = check.is_ok();
    // The generated check and rule walk name the sites; the interpreted path does not.
    let places = if checked {
        places
    } else {
        quote! {}
    };
    let (check_items, validate_body, parse_body, parse_warned_body, how) = match check {
        Ok(check) => {
            let (function, findings) = (check.function, check.findings);
            (
                check.items,
                quote! { #schema.validate_checked(bytes, options, #function, #findings) },
                quote! { #schema.parse_checked(bytes, options, #function, #findings) },
                quote! { #schema.parse_checked_with_warnings(bytes, options, #function, #findings) },
                doc(&format!("The payload is read into its type and judged by [`{function}`]; only what it refuses gets the schema's errors listed.")),
            )
        }
        Err(unchecked) => (
            quote! {},
            quote! { #schema.validate_with(bytes, options) },
            quote! { #schema.parse_with(bytes, options) },
            quote! { #schema.parse_with_warnings(bytes, options) },
            doc(&format!(
                "The schema is interpreted by the jsonschema crate: no check is generated for {}.",
                unchecked.0
            )),
        ),
    };
    let items = quote! {
        #rules_static

        #places

        #schema_doc
        #[doc(hidden)]
        pub static #schema: EmbeddedSchema = EmbeddedSchema::new(#id, #json, #rules);

        #validate_doc
        pub fn #validate(bytes: &[u8]) -> Report {
            #validate_with(bytes, &Options::default())
        }

        #validate_with_doc
        ///
        #how
        pub fn #validate_with(bytes: &[u8], options: &Options) -> Report {
            #validate_body
        }

        #parse_doc
        pub fn #parse(bytes: &[u8]) -> Result<bankschema_types::#module::#root, Report> {
            #parse_with(bytes, &Options::default())
        }

        #parse_with_doc
        ///
        #how
        pub fn #parse_with(bytes: &[u8], options: &Options) -> Result<bankschema_types::#module::#root, Report> {
            #parse_body
        }

        #parse_warned_doc
        pub fn #parse_warned(bytes: &[u8], options: &Options) -> Result<(bankschema_types::#module::#root, Report), Report> {
            #parse_warned_body
        }

        #check_items
    };
    Ok((items, checked))
}

/// A rule as the expression that builds it.
fn rule_tokens(rule: Rule) -> TokenStream {
    match rule {
        Rule::Iban => quote! { Rule::Iban },
        Rule::Bic => quote! { Rule::Bic },
        Rule::Currency { multi_currency } => {
            quote! { Rule::Currency { multi_currency: #multi_currency } }
        }
        Rule::SortCode => quote! { Rule::SortCode },
        Rule::AccountNumber => quote! { Rule::AccountNumber },
        Rule::MaskedPan => quote! { Rule::MaskedPan },
        Rule::CreditOnly => quote! { Rule::CreditOnly },
        Rule::BalancesConsistent => quote! { Rule::BalancesConsistent },
        Rule::SingleDefault => quote! { Rule::SingleDefault },
        Rule::IdentifierPresent => quote! { Rule::IdentifierPresent },
        Rule::Filters => quote! { Rule::Filters },
        Rule::UniqueId => quote! { Rule::UniqueId },
    }
}

/// The crate root: schema ids, and validation and parsing by id.
pub fn crate_root(apis: &[Api], types: &[Types]) -> Result<TokenStream> {
    let messages: Vec<(&Api, &Types, &Message)> = apis
        .iter()
        .zip(types)
        .flat_map(|(api, types)| api.messages.iter().map(move |m| (api, types, m)))
        .collect();
    let modules = apis.iter().map(|api| format_ident!("{}", api.module()));
    // Each API behind its feature (the crate's `[features]`), and so each of its
    // messages wherever the root names them.
    let api_cfgs: Vec<TokenStream> = apis
        .iter()
        .map(|api| {
            let feature = &api.name;
            quote! { #[cfg(feature = #feature)] }
        })
        .collect();
    let cfgs: Vec<TokenStream> = messages
        .iter()
        .map(|(api, _, _)| {
            let feature = &api.name;
            quote! { #[cfg(feature = #feature)] }
        })
        .collect();
    let features = messages.iter().map(|(api, _, _)| api.name.as_str());
    let all_features: Vec<&str> = apis.iter().map(|api| api.name.as_str()).collect();
    let no_feature = format!(
        "bankschema-validator: turn on the feature of at least one API ({})",
        all_features.join(", ")
    );
    let count = if messages.is_empty() {
        quote! { 0 }
    } else {
        quote! { #(cfg!(feature = #features) as usize)+* }
    };
    let variants: Vec<Ident> = messages
        .iter()
        .map(|(_, _, m)| format_ident!("{}", variant_name(&m.id)))
        .collect();
    let ids: Vec<&str> = messages.iter().map(|(_, _, m)| m.id.as_str()).collect();
    let summaries: Vec<&str> = messages
        .iter()
        .map(|(_, _, m)| m.summary.as_str())
        .collect();
    let statics: Vec<TokenStream> = messages
        .iter()
        .map(|(api, _, m)| {
            let module = format_ident!("{}", api.module());
            let schema = static_name(&message_suffix(api, m));
            quote! { #module::#schema }
        })
        .collect();
    let variant_docs = messages
        .iter()
        .map(|(_, _, m)| doc(&format!("`{}`: {}.", m.id, m.summary)));
    let payload_types: Vec<TokenStream> = messages
        .iter()
        .map(|(api, types, m)| {
            let module = format_ident!("{}", api.module());
            let root = format_ident!("{}", root_name(api, types, m)?);
            Ok(quote! { bankschema_types::#module::#root })
        })
        .collect::<Result<_>>()?;
    let by_message = |verb: &str| -> Vec<TokenStream> {
        messages
            .iter()
            .map(|(api, _, m)| {
                let module = format_ident!("{}", api.module());
                let function = with_options_name(verb, api, m);
                quote! { #module::#function }
            })
            .collect()
    };
    let parsers = by_message("parse");
    let warned: Vec<TokenStream> = messages
        .iter()
        .map(|(api, _, m)| {
            let module = format_ident!("{}", api.module());
            let function = warnings_name(api, m);
            quote! { #module::#function }
        })
        .collect();
    let validators = by_message("validate");
    // A type several messages share (one error schema for two statuses) has no
    // single schema id: it gets no `Message` impl.
    let shared = |ty: &TokenStream| {
        payload_types
            .iter()
            .filter(|t| t.to_string() == ty.to_string())
            .count()
            > 1
    };
    let message_impls: Vec<TokenStream> = payload_types
        .iter()
        .zip(&variants)
        .zip(&warned)
        .zip(&cfgs)
        .filter(|(((ty, _), _), _)| !shared(ty))
        .map(|(((ty, variant), warned), cfg)| {
            quote! {
                #cfg
                impl Message for #ty {
                    const SCHEMA_ID: SchemaId = SchemaId::#variant;
                    fn parse_with_warnings(bytes: &[u8], options: &Options) -> Result<(Self, Report), Report> {
                        #warned(bytes, options)
                    }
                }
            }
        })
        .collect();
    let answers = messages.iter().map(|(_, _, m)| match &m.answers {
        Some(request) => {
            let request = format_ident!("{}", variant_name(request));
            quote! { Some(SchemaId::#request) }
        }
        None => quote! { None },
    });
    let payload_docs = messages
        .iter()
        .map(|(_, _, m)| doc(&format!("A valid `{}` payload.", m.id)));
    Ok(quote! {
        pub use bankschema_runtime::{read_payload, Diagnostic, Kind, Options, Report, Rule, Severity, Site, UnknownRule};
        /// What the generated types hold, so that this crate is the one dependency a
        /// service needs.
        pub use bankschema_runtime::{DateTime, Decimal, Integer, Json, Money, MoneyText, Nullable, Number};
        /// The generated types, one module per API (`types::<api>::<Type>`).
        pub use bankschema_types as types;

        #(#api_cfgs pub mod #modules;)*

        #[cfg(not(any(#(feature = #all_features),*)))]
        compile_error!(#no_feature);

        /// The stable name of one message of one API, such as `get-accounts.output`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum SchemaId {
            #(#variant_docs #cfgs #variants,)*
        }

        impl SchemaId {
            /// Every schema id, in the order of `schemas/`.
            pub const ALL: [SchemaId; Self::COUNT] = [#(#cfgs SchemaId::#variants),*];

            /// How many schema ids the features turned on give.
            const COUNT: usize = #count;

            /// The id as written in `schemas/`, in reports and on the command line.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(#cfgs SchemaId::#variants => #ids,)*
                }
            }

            /// One line saying which message of which API the id names.
            pub const fn summary(self) -> &'static str {
                match self {
                    #(#cfgs SchemaId::#variants => #summaries,)*
                }
            }

            /// The JSON Schema (2020-12) that payloads of this id are checked against.
            pub fn json_schema(self) -> &'static str {
                self.schema().json()
            }

            /// The prose rules attached to this id's schema, and where they apply.
            pub fn rules(self) -> &'static [Site] {
                self.schema().rules()
            }

            /// The id of the request a payload of this id answers (a tool's output
            /// answers its input), for [`Options::with_input`].
            pub const fn answers(self) -> Option<SchemaId> {
                match self {
                    #(#cfgs SchemaId::#variants => #answers,)*
                }
            }

            fn schema(self) -> &'static bankschema_runtime::EmbeddedSchema {
                match self {
                    #(#cfgs SchemaId::#variants => &#statics,)*
                }
            }
        }

        impl std::fmt::Display for SchemaId {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for SchemaId {
            type Err = UnknownSchemaId;

            fn from_str(id: &str) -> Result<Self, Self::Err> {
                SchemaId::ALL
                    .into_iter()
                    .find(|known| known.as_str() == id)
                    .ok_or_else(|| UnknownSchemaId(id.to_owned()))
            }
        }

        /// A name that is not one of [`SchemaId::ALL`].
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct UnknownSchemaId(pub String);

        impl std::fmt::Display for UnknownSchemaId {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "unknown schema id `{}`; expected one of: ", self.0)?;
                for (i, id) in SchemaId::ALL.iter().enumerate() {
                    let separator = if i == 0 { "" } else { ", " };
                    write!(f, "{separator}{id}")?;
                }
                Ok(())
            }
        }

        impl std::error::Error for UnknownSchemaId {}

        /// A valid payload of any schema id, as its generated type.
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum Payload {
            #(#payload_docs #cfgs #variants(#payload_types),)*
        }

        impl Payload {
            /// The schema id the payload was parsed as.
            pub fn schema_id(&self) -> SchemaId {
                match self {
                    #(#cfgs Payload::#variants(_) => SchemaId::#variants,)*
                }
            }
        }

        /// Every violation in a payload of schema `id` (schema and prose rules); no
        /// error in the report means it is valid.
        pub fn validate(id: SchemaId, bytes: &[u8]) -> Report {
            validate_with(id, bytes, &Options::default())
        }

        /// [`validate`], with rules turned off or the call's input given.
        pub fn validate_with(id: SchemaId, bytes: &[u8], options: &Options) -> Report {
            match id {
                #(#cfgs SchemaId::#variants => #validators(bytes, options),)*
            }
        }

        /// Every violation in an already parsed payload of schema `id`.
        pub fn validate_value(id: SchemaId, value: &serde_json::Value) -> Report {
            id.schema().validate_value(value)
        }

        /// [`validate_value`], with rules turned off or the call's input given.
        pub fn validate_value_with(id: SchemaId, value: &serde_json::Value, options: &Options) -> Report {
            id.schema().validate_value_with(value, options)
        }

        /// A payload of schema `id` as its generated type, or the report of why it is
        /// not valid.
        pub fn parse(id: SchemaId, bytes: &[u8]) -> Result<Payload, Report> {
            parse_with(id, bytes, &Options::default())
        }

        /// The bytes read into the generated type of `id` by serde alone, unvalidated:
        /// the types check shapes, not patterns, formats or rules. What they accept
        /// they keep exactly: `null` and numbers-as-strings where the schema refuses
        /// them are errors, so the value written back equals what was read. Nesting
        /// is limited as in [`validate`].
        pub fn deserialize(id: SchemaId, bytes: &[u8]) -> Result<Payload, serde_json::Error> {
            let schema = id.schema();
            Ok(match id {
                #(#cfgs SchemaId::#variants => Payload::#variants(schema.deserialize(bytes)?),)*
            })
        }

        /// [`parse`], with rules turned off or the call's input given.
        pub fn parse_with(id: SchemaId, bytes: &[u8], options: &Options) -> Result<Payload, Report> {
            match id {
                #(#cfgs SchemaId::#variants => #parsers(bytes, options).map(Payload::#variants),)*
            }
        }

        /// A generated type that is the payload of one schema id: for code generic
        /// over messages, such as an extractor per type (`bankschema-axum`'s
        /// `Validated<T>`). A type several schema ids share has no impl.
        pub trait Message: Sized + serde::Serialize {
            /// The schema id this type is the payload of.
            const SCHEMA_ID: SchemaId;
            /// `bytes` as this type, with the rules' warnings; or the report of why
            /// they are not a valid payload ([`parse_with_warnings`]).
            fn parse_with_warnings(bytes: &[u8], options: &Options) -> Result<(Self, Report), Report>;
        }

        #(#message_impls)*

        /// [`parse_with`], with the rules' warnings beside the value: a SHOULD rule
        /// broken leaves the payload valid, and is reported here rather than dropped.
        pub fn parse_with_warnings(id: SchemaId, bytes: &[u8], options: &Options) -> Result<(Payload, Report), Report> {
            match id {
                #(#cfgs SchemaId::#variants => #warned(bytes, options).map(|(value, report)| (Payload::#variants(value), report)),)*
            }
        }

        /// An already parsed payload of schema `id` (a `serde_json::Value`, such as
        /// MCP's `structuredContent`) as its generated type, with the rules' warnings;
        /// or the report of why it is not valid, its pointers into `value`.
        pub fn parse_value(id: SchemaId, value: &serde_json::Value, options: &Options) -> Result<(Payload, Report), Report> {
            match id {
                #(#cfgs SchemaId::#variants => #statics.parse_value_with(value, options).map(|(value, report)| (Payload::#variants(value), report)),)*
            }
        }

        /// The payload `reader` holds, read to its end (at most `max_bytes`: more is
        /// a report of kind [`Kind::Limit`]), then validated as [`validate_with`] does.
        pub fn validate_reader(id: SchemaId, reader: impl std::io::Read, max_bytes: u64, options: &Options) -> Report {
            match bankschema_runtime::read_payload(reader, max_bytes) {
                Ok(bytes) => validate_with(id, &bytes, options),
                Err(report) => report.of(id.as_str()),
            }
        }

        /// The payload `reader` holds, read to its end (at most `max_bytes`), then
        /// parsed as [`parse_with`] does.
        pub fn parse_reader(id: SchemaId, reader: impl std::io::Read, max_bytes: u64, options: &Options) -> Result<Payload, Report> {
            let bytes = bankschema_runtime::read_payload(reader, max_bytes).map_err(|report| report.of(id.as_str()))?;
            parse_with(id, &bytes, options)
        }

        /// Every problem of an MCP exchange, `{"request": <tools/call request>,
        /// "response": <its JSON-RPC response>}`: the envelope as JSON-RPC 2.0 and
        /// MCP require it, the arguments against `<tool>.input`, the
        /// `structuredContent` against `<tool>.output` with the arguments as the
        /// call's input. Every pointer is into `document`.
        pub fn validate_mcp_exchange(document: &serde_json::Value, options: &Options) -> Report {
            bankschema_runtime::check_mcp_exchange(document, options, |tool| {
                let input: SchemaId = format!("{tool}.input").parse().ok()?;
                let output: SchemaId = format!("{tool}.output").parse().ok()?;
                Some((input.schema(), output.schema()))
            })
        }
    })
}

/// The message part of its id, as a Rust identifier: `error-400` gives `error_400`.
fn message_suffix(api: &Api, message: &Message) -> String {
    let rest = message.id.strip_prefix(&api.name).unwrap_or(&message.id);
    rest.trim_start_matches('.').replace(['-', '.'], "_")
}

/// `parse_<message>_with_warnings`.
fn warnings_name(api: &Api, message: &Message) -> Ident {
    format_ident!("parse_{}_with_warnings", message_suffix(api, message))
}

/// `parse_<message>_with` (or `validate_...`): one message's function, with options.
fn with_options_name(verb: &str, api: &Api, message: &Message) -> Ident {
    format_ident!("{verb}_{}_with", message_suffix(api, message))
}

fn static_name(suffix: &str) -> Ident {
    format_ident!("{}", suffix.to_uppercase())
}

/// A `///` line; prettyplease prints `#[doc = " text"]` as one.
fn doc(text: &str) -> TokenStream {
    let text = format!(" {text}");
    quote! { #[doc = #text] }
}

/// The JSON Schema of one message as the file the validator embeds:
/// `schemas/<schema-id>.json` in the validator crate, pretty-printed.
pub fn schema_file(api: &Api, message: &Message) -> Result<(String, String)> {
    let mut schema = api.message_schema(message);
    tolerate_unlisted(&mut schema);
    if let Some(object) = schema.as_object_mut() {
        let comment = format!(
            "Generated by `cargo xtask codegen` from {}; do not edit by hand.",
            api.source.display()
        );
        // After `$schema`, where a reader looks first.
        object.shift_insert(1, "$comment".to_owned(), comment.into());
    }
    let json = serde_json::to_string_pretty(&schema).map_err(|e| {
        schema_error(
            &api.source,
            "",
            format!("cannot serialise `{}`: {e}", message.id),
        )
    })?;
    Ok((format!("schemas/{}.json", message.id), format!("{json}\n")))
}

/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];

/// Keywords whose value is one schema.
const SCHEMAS: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
];

/// Keywords whose value is a map of names to schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// In the schema the validator embeds, a tolerant enum's values move from `enum`
/// (an error when missed) into `x-bankschema-tolerant` (the runtime's keyword, a
/// warning when missed): the type reads an unknown value, and so does the report.
fn tolerate_unlisted(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    if object.get(crate::normalise::TOLERANT) == Some(&Value::Bool(true)) {
        if let Some(values) = object.shift_remove("enum") {
            object.insert(crate::normalise::TOLERANT.to_owned(), values);
        }
    }
    for (key, value) in object.iter_mut() {
        match value {
            Value::Object(map) if SCHEMA_MAPS.contains(&key.as_str()) => {
                map.values_mut().for_each(tolerate_unlisted);
            }
            Value::Array(items) if SCHEMA_LISTS.contains(&key.as_str()) => {
                items.iter_mut().for_each(tolerate_unlisted);
            }
            Value::Object(_) if SCHEMAS.contains(&key.as_str()) => tolerate_unlisted(value),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_tolerant_enum_s_values_move_to_the_runtime_keyword_wherever_it_stands() {
        let mut schema = json!({
            "$defs": {"Kind": {"type": "string", "enum": ["a"], "x-bankschema-tolerant": true}},
            "properties": {
                "list": {"items": {"anyOf": [{"type": "null"}, {"enum": ["b"], "x-bankschema-tolerant": true}]}},
                "closed": {"enum": ["c"]},
                "off": {"enum": ["d"], "x-bankschema-tolerant": false},
                "examples": {"enum": ["e"], "x-bankschema-tolerant": true}
            },
            "examples": [{"enum": ["f"], "x-bankschema-tolerant": true}]
        });
        tolerate_unlisted(&mut schema);
        assert_eq!(
            schema,
            json!({
                "$defs": {"Kind": {"type": "string", "x-bankschema-tolerant": ["a"]}},
                "properties": {
                    "list": {"items": {"anyOf": [{"type": "null"}, {"x-bankschema-tolerant": ["b"]}]}},
                    "closed": {"enum": ["c"]},
                    "off": {"enum": ["d"], "x-bankschema-tolerant": false},
                    "examples": {"x-bankschema-tolerant": ["e"]}
                },
                "examples": [{"enum": ["f"], "x-bankschema-tolerant": true}]
            })
        );
    }
}
