//! Checks stage: for each message, a function that reads the typed value field by
//! field and says whether it is valid: `parse`'s fast path.
//!
//! The generated types prove much of a schema already: a struct has its required
//! members, a string enum holds one of its values, a `Vec` is an array. What they
//! cannot prove (patterns, formats, bounds) and the prose rules are left, and this
//! stage writes them as plain code over the fields, walking the message's schema and
//! typify's types side by side. `parse` then costs the typed read and these
//! checks; only a payload they refuse takes the full report's path.
//!
//! The function may refuse more than the schema (a leap second), never accept
//! more. So the stage writes one only where it understands every keyword on the way
//! and how the type holds it; anything else (a keyword it does not know, a type it
//! cannot read, a recursive type, a rule site it does not reach) leaves the message
//! on the interpreted path, which judges the typed value with the jsonschema crate.
//! [`Unchecked`] says why.
//!
//! The same walk, with the schema's checks left out, is the message's rule walk
//! (`<message>_findings`): each rule site's findings, the values placed by the
//! indices of the loops around them, as `bankschema_rules::check` would find them
//! by walking templates. The full report on a typed value uses it. One walk writes
//! both; a `Sink` says what each becomes.
//!
//! - `stage`: the walk, the schema and typify's types side by side;
//! - `scalars`: strings, timestamps, money, integers;
//! - `objects`: structs and their members;
//! - `unions`: string enums, tagged enums and nullable values;
//! - `sink`: the check's verdict and the rule walk's findings;
//! - `names`: the rule sites' names in the generated code.

mod names;
mod objects;
mod scalars;
mod sink;
mod stage;
mod unions;

pub use names::RuleTable;

use crate::model::{Api, Message};
use crate::rules::Attachment;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeMap;

/// Why a message has no generated check: what the stage met that it does not
/// prove, and where in the message's schema.
#[derive(Debug, PartialEq, Eq)]
pub struct Unchecked(pub String);

/// The generated check of one message, and its rule walk.
pub struct Check {
    /// `fn <message>_holds(value: &Root, options: &Options) -> bool`, `fn
    /// <message>_findings(...) -> Vec<Finding>`, and the patterns they use.
    pub items: TokenStream,
    pub function: Ident,
    pub findings: Ident,
}

/// The index names of nested array loops, outermost first (at most
/// `bankschema_rules::MAX_STARS`).
const STARS: [&str; bankschema_rules::MAX_STARS] = ["i", "j", "k", "l"];

/// Names the generated functions use themselves: never a binding's.
const RESERVED: [&str; 8] = ["value", "options", "node", "findings", "i", "j", "k", "l"];

/// Keywords that assert nothing about an instance.
const ANNOTATIONS: [&str; 12] = [
    "description",
    "title",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "$schema",
    "$defs",
    crate::rules::RULES,
    "x-bankschema-money",
];

/// The check of `message`, whose rule sites are `sites` (in the static `rules`
/// names), over the types typify wrote in `types`, and its rule walk.
pub fn message_check(
    api: &Api,
    message: &Message,
    types: &crate::types::Types,
    sites: &[Attachment],
    rules: &RuleTable,
    suffix: &str,
) -> Result<Check, Unchecked> {
    let schema = api.message_schema(message);
    let inputs = Inputs {
        api,
        message,
        types,
        sites,
        rules,
        suffix,
        schema: &schema,
    };
    let (check_body, patterns) = walk(&inputs, &sink::Verdict)?;
    let (findings_body, _) = walk(&inputs, &sink::Findings)?;
    let root_name = root_type(types, message)?;
    let module = format_ident!("{}", api.module());
    let root = format_ident!("{root_name}");
    let root = quote! { bankschema_types::#module::#root };
    let collected: Vec<(&TokenStream, Ident)> = sites
        .iter()
        .enumerate()
        .filter(|(_, site)| site.rule.compares_values())
        .map(|(i, _)| (&rules.sites[i], rules.collector(i)))
        .collect();
    let (indices, names): (Vec<&TokenStream>, Vec<&Ident>) =
        collected.iter().map(|(i, n)| (*i, n)).unzip();
    let rules_static = &rules.name;

    let verdict = if collected.is_empty() {
        quote! { true }
    } else {
        quote! { #(checks::holds_all(&#rules_static[#indices], &#names, options))&&* }
    };
    let check_body = quote! {
        #(let mut #names = Vec::new();)*
        #(#check_body)*
        #verdict
    };
    let findings_body = if sites.is_empty() {
        quote! { Vec::new() }
    } else {
        quote! {
            let mut findings = checks::Findings::default();
            #(let mut #names = Vec::new();)*
            #(#findings_body)*
            #(findings.all(&#rules_static, #indices, &#names, options);)*
            findings.into_findings()
        }
    };
    let function = format_ident!("{suffix}_holds");
    let rule_walk = format_ident!("{suffix}_findings");
    let check_doc = format!(
        " Whether a `{}` value holds what its type does not prove (patterns, formats, bounds) and the prose rules: `parse`'s fast path. It may refuse a valid value (then `parse` asks the full report), never accept an invalid one.",
        message.id
    );
    let findings_doc = format!(
        " The prose rules' findings on a `{}` value, as `bankschema_rules::check` gives them, reading the fields the rules govern directly.",
        message.id
    );
    let patterns = patterns_item(message, suffix, &patterns);
    let (check_value, check_options) = (
        parameter(&check_body, "value"),
        parameter(&check_body, "options"),
    );
    let (walk_value, walk_options) = (
        parameter(&findings_body, "value"),
        parameter(&findings_body, "options"),
    );
    Ok(Check {
        items: quote! {
            #patterns

            #[doc = #check_doc]
            #[doc(hidden)]
            pub fn #function(#check_value: &#root, #check_options: &Options) -> bool {
                #check_body
            }

            #[doc = #findings_doc]
            #[doc(hidden)]
            pub fn #rule_walk(#walk_value: &#root, #walk_options: &Options) -> Vec<checks::Finding> {
                #findings_body
            }
        },
        function,
        findings: rule_walk,
    })
}

/// The static of the patterns the check uses, in the order of their indices.
fn patterns_item(
    message: &Message,
    suffix: &str,
    patterns: &BTreeMap<String, usize>,
) -> TokenStream {
    if patterns.is_empty() {
        return quote! {};
    }
    let name = patterns_static(suffix);
    let count = Literal::usize_unsuffixed(patterns.len());
    let mut sources: Vec<(usize, &String)> =
        patterns.iter().map(|(source, &i)| (i, source)).collect();
    sources.sort();
    let sources = sources.into_iter().map(|(_, source)| source);
    let doc = format!(" The patterns of `{}`, compiled on first use.", message.id);
    quote! {
        #[doc = #doc]
        static #name: [checks::Pattern; #count] = [#(checks::Pattern::new(#sources)),*];
    }
}

/// The parameter `name` of a generated function whose body is `body`: named
/// `_value`, `_options` where the body does not read it.
fn parameter(body: &TokenStream, name: &str) -> TokenStream {
    let ident = format_ident!("{name}");
    if mentions(body, &ident) {
        quote! { #ident }
    } else {
        let unused = format_ident!("_{name}");
        quote! { #unused }
    }
}

fn patterns_static(suffix: &str) -> Ident {
    format_ident!("{}_PATTERNS", suffix.to_uppercase())
}

/// What the walk of one message reads.
struct Inputs<'a> {
    api: &'a Api,
    message: &'a Message,
    types: &'a crate::types::Types,
    sites: &'a [Attachment],
    rules: &'a RuleTable,
    suffix: &'a str,
    /// The message's JSON Schema, its definitions under `$defs`.
    schema: &'a Value,
}

/// The statements of the check (or of the rule walk: `sink` says which) of a
/// message, and the patterns they use.
fn walk(
    inputs: &Inputs<'_>,
    sink: &dyn sink::Sink,
) -> Result<(Vec<TokenStream>, BTreeMap<String, usize>), Unchecked> {
    let Inputs {
        api,
        message,
        types,
        sites,
        rules,
        suffix,
        schema,
    } = *inputs;
    let items = types
        .file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), item)),
            syn::Item::Enum(e) => Some((e.ident.to_string(), item)),
            _ => None,
        })
        .collect();
    let mut stage = stage::Stage {
        root: schema,
        items,
        sites,
        reached: vec![false; sites.len()],
        rules,
        patterns: BTreeMap::new(),
        patterns_static: patterns_static(suffix),
        expanding: Vec::new(),
        names: RESERVED
            .iter()
            .map(|name| (*name).to_owned())
            .chain((0..sites.len()).map(|i| rules.collector(i).to_string()))
            .collect(),
        module: format_ident!("{}", api.module()),
        sink,
        stars: Vec::new(),
    };
    let root_name = root_type(types, message)?;
    let root_ty: syn::Type = syn::parse_str(root_name)
        .map_err(|e| Unchecked(format!("root type `{root_name}`: {e}")))?;
    let mut body = Vec::new();
    stage.location(&stage::Cursor::root(), &root_ty, schema, &mut body)?;
    if let Some(i) = stage.reached.iter().position(|reached| !reached) {
        return Err(Unchecked(format!(
            "the rule site {} is not reached through the types",
            sites[i].at
        )));
    }
    Ok((body, stage.patterns))
}

/// `expr` as the receiver of a method call: `&value.tags` as `value.tags` (the call
/// borrows it), since `&value.tags.len()` would borrow the length instead.
fn receiver(expr: &TokenStream) -> TokenStream {
    let mut tokens = expr.clone().into_iter().peekable();
    match tokens.peek() {
        Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '&' => {
            tokens.next();
            tokens.collect()
        }
        _ => expr.clone(),
    }
}

/// The Rust type typify made of the message's root.
fn root_type<'t>(types: &'t crate::types::Types, message: &Message) -> Result<&'t str, Unchecked> {
    types.name_of(&message.root).ok_or_else(|| {
        Unchecked(format!(
            "the root `{}` has no type of its own",
            message.root
        ))
    })
}

/// Whether `tokens` use the variable `ident` anywhere (a field of that name,
/// `x.ident`, is not the variable).
fn mentions(tokens: &TokenStream, ident: &Ident) -> bool {
    let mut after_dot = false;
    tokens.clone().into_iter().any(|tree| {
        let found = match &tree {
            proc_macro2::TokenTree::Ident(found) => !after_dot && found == ident,
            proc_macro2::TokenTree::Group(group) => mentions(&group.stream(), ident),
            _ => false,
        };
        after_dot = matches!(&tree, proc_macro2::TokenTree::Punct(p) if p.as_char() == '.');
        found
    })
}

#[cfg(test)]
mod tests;
