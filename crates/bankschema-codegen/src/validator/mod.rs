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
use crate::model::{Api, Message};
use crate::rules::{attachments, Attachment};
use crate::traverse;
use crate::types::Types;
use bankschema_rules::vocabulary::TOLERANT;
use bankschema_rules::Rule;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

mod root;

pub use root::crate_root;

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
    let (rules_static, places, rules) = rule_items(id, &table, &site_module, sites);
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
    let (check_items, [parse_body, parse_warned_body], how) = bodies(&schema, check);
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
        /// The payload is read once, as JSON, and the schema and the rules judge it: [`EmbeddedSchema::validate_with`].
        pub fn #validate_with(bytes: &[u8], options: &Options) -> Report {
            #schema.validate_with(bytes, options)
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

/// A message's rule sites as the validator module writes them: the static of its
/// sites, the module naming each one's place, and the expression the schema's
/// static takes.
fn rule_items(
    id: &str,
    table: &crate::checks::RuleTable,
    site_module: &Ident,
    sites: &[Attachment],
) -> (TokenStream, TokenStream, TokenStream) {
    if sites.is_empty() {
        return (quote! {}, quote! {}, quote! { &[] });
    }
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
}

/// The message's generated check, and the bodies of `parse_with` and
/// `parse_with_warnings`: through the check where there is one, else through the
/// interpreted schema, with a doc line saying which.
fn bodies(
    schema: &Ident,
    check: std::result::Result<crate::checks::Check, crate::checks::Unchecked>,
) -> (TokenStream, [TokenStream; 2], TokenStream) {
    match check {
        Ok(check) => {
            let (function, findings) = (check.function, check.findings);
            (
                check.items,
                [
                    quote! { #schema.parse_checked(bytes, options, #function, #findings) },
                    quote! { #schema.parse_checked_with_warnings(bytes, options, #function, #findings) },
                ],
                doc(&format!("The payload is read into its type and judged by [`{function}`]; only what it refuses gets the schema's errors listed.")),
            )
        }
        Err(unchecked) => (
            quote! {},
            [
                quote! { #schema.parse_with(bytes, options) },
                quote! { #schema.parse_with_warnings(bytes, options) },
            ],
            doc(&format!(
                "The schema is interpreted by the jsonschema crate: no check is generated for {}.",
                unchecked.0
            )),
        ),
    }
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

/// In the schema the validator embeds, a tolerant enum's values move from `enum`
/// (an error when missed) into `x-bankschema-tolerant` (the runtime's keyword, a
/// warning when missed): the type reads an unknown value, and so does the report.
fn tolerate_unlisted(schema: &mut Value) {
    let mut tolerant = Vec::new();
    traverse::each(schema, "", &mut |object, pointer| {
        if object.get(TOLERANT) == Some(&Value::Bool(true)) && object.contains_key("enum") {
            tolerant.push(pointer.to_owned());
        }
    });
    for pointer in tolerant {
        if let Some(Value::Object(object)) = schema.pointer_mut(&pointer) {
            if let Some(values) = object.shift_remove("enum") {
                object.insert(TOLERANT.to_owned(), values);
            }
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
