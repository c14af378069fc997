//! The validator crate's root: `SchemaId`, `Payload`, the `Message` impls, and
//! validation and parsing by schema id, each message behind its API's feature.

use super::{doc, message_suffix, root_name, static_name, warnings_name, with_options_name};
use crate::error::Result;
use crate::model::{variant_name, Api, Message};
use crate::types::Types;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// What the crate root says of each message, one list per column, in message
/// order.
struct Columns {
    /// Each message's API's feature, as an attribute.
    cfgs: Vec<TokenStream>,
    features: Vec<String>,
    variants: Vec<Ident>,
    ids: Vec<String>,
    summaries: Vec<String>,
    variant_docs: Vec<TokenStream>,
    /// The message's `EmbeddedSchema` static.
    statics: Vec<TokenStream>,
    payload_types: Vec<TokenStream>,
    payload_docs: Vec<TokenStream>,
    parsers: Vec<TokenStream>,
    validators: Vec<TokenStream>,
    warned: Vec<TokenStream>,
    /// The schema id of the request each answers, if any.
    answers: Vec<TokenStream>,
}

impl Columns {
    fn new(messages: &[(&Api, &Types, &Message)]) -> Result<Columns> {
        let each = |f: &dyn Fn(&Api, &Message) -> TokenStream| -> Vec<TokenStream> {
            messages.iter().map(|(api, _, m)| f(api, m)).collect()
        };
        let in_module = |api: &Api, function: Ident| {
            let module = format_ident!("{}", api.module());
            quote! { #module::#function }
        };
        let payload_types = messages
            .iter()
            .map(|(api, types, m)| {
                let module = format_ident!("{}", api.module());
                let root = format_ident!("{}", root_name(api, types, m)?);
                Ok(quote! { bankschema_types::#module::#root })
            })
            .collect::<Result<_>>()?;
        Ok(Columns {
            cfgs: each(&|api, _| {
                let feature = &api.name;
                quote! { #[cfg(feature = #feature)] }
            }),
            features: messages
                .iter()
                .map(|(api, _, _)| api.name.clone())
                .collect(),
            variants: messages
                .iter()
                .map(|(_, _, m)| format_ident!("{}", variant_name(&m.id)))
                .collect(),
            ids: messages.iter().map(|(_, _, m)| m.id.clone()).collect(),
            summaries: messages.iter().map(|(_, _, m)| m.summary.clone()).collect(),
            variant_docs: each(&|_, m| doc(&format!("`{}`: {}.", m.id, m.summary))),
            statics: each(&|api, m| in_module(api, static_name(&message_suffix(api, m)))),
            payload_types,
            payload_docs: each(&|_, m| doc(&format!("A valid `{}` payload.", m.id))),
            parsers: each(&|api, m| in_module(api, with_options_name("parse", api, m))),
            validators: each(&|api, m| in_module(api, with_options_name("validate", api, m))),
            warned: each(&|api, m| in_module(api, warnings_name(api, m))),
            answers: each(&|_, m| match &m.answers {
                Some(request) => {
                    let request = format_ident!("{}", variant_name(request));
                    quote! { Some(SchemaId::#request) }
                }
                None => quote! { None },
            }),
        })
    }

    /// The `Message` impls of the payload types; a type several messages share (one
    /// error schema for two statuses) has no single schema id, and gets none.
    fn message_impls(&self) -> Vec<TokenStream> {
        let shared = |ty: &TokenStream| {
            self.payload_types
                .iter()
                .filter(|t| t.to_string() == ty.to_string())
                .count()
                > 1
        };
        let rows = self.payload_types.iter().zip(&self.variants);
        rows.zip(&self.warned)
            .zip(&self.cfgs)
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
            .collect()
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
    let all_features: Vec<&str> = apis.iter().map(|api| api.name.as_str()).collect();
    let no_feature = format!(
        "bankschema-validator: turn on the feature of at least one API ({})",
        all_features.join(", ")
    );
    let columns = Columns::new(&messages)?;
    let message_impls = columns.message_impls();
    let Columns {
        cfgs,
        features,
        variants,
        ids,
        summaries,
        variant_docs,
        statics,
        payload_types,
        payload_docs,
        parsers,
        validators,
        answers,
        warned,
        ..
    } = columns;
    let count = if messages.is_empty() {
        quote! { 0 }
    } else {
        quote! { #(cfg!(feature = #features) as usize)+* }
    };
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
