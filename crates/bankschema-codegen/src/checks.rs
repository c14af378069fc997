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
//! by walking templates. The full report on a typed value uses it.

use crate::model::{Api, Message};
use crate::nodes::{has_flag, serde_string};
use crate::normalise::escape;
use crate::rules::Attachment;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

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
    let walk = |findings: bool| walk(api, message, types, sites, rules, suffix, &schema, findings);
    let (check_body, patterns) = walk(false)?;
    let (findings_body, _) = walk(true)?;
    let root_name = root_type(types, message)?;
    let module = format_ident!("{}", api.module());
    let root = format_ident!("{root_name}");
    let root = quote! { bankschema_types::#module::#root };
    // Parameters a body does not read are named `_value`, `_options`.
    let parameter = |body: &TokenStream, name: &str| {
        let ident = format_ident!("{name}");
        if mentions(body, &ident) {
            quote! { #ident }
        } else {
            let unused = format_ident!("_{name}");
            quote! { #unused }
        }
    };
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
    let patterns = if patterns.is_empty() {
        quote! {}
    } else {
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
    };
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

fn patterns_static(suffix: &str) -> Ident {
    format_ident!("{}_PATTERNS", suffix.to_uppercase())
}

/// The statements of the check (or of the rule walk, `findings`) of `message`,
/// and the patterns they use.
#[allow(clippy::too_many_arguments)]
fn walk(
    api: &Api,
    message: &Message,
    types: &crate::types::Types,
    sites: &[Attachment],
    rules: &RuleTable,
    suffix: &str,
    schema: &Value,
    findings: bool,
) -> Result<(Vec<TokenStream>, BTreeMap<String, usize>), Unchecked> {
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
    let mut stage = Stage {
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
        findings,
        stars: Vec::new(),
    };
    let root_name = root_type(types, message)?;
    let root_ty: syn::Type = syn::parse_str(root_name)
        .map_err(|e| Unchecked(format!("root type `{root_name}`: {e}")))?;
    let mut body = Vec::new();
    stage.location(
        &quote! { value },
        &root_ty,
        schema,
        "",
        "",
        &quote! { None },
        &mut body,
    )?;
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

/// A message's rule static and the name of each site's place in it, as the
/// generated code writes them: `RESPONSE_RULES[response_site::IBAN]`.
pub struct RuleTable {
    /// The static, `RESPONSE_RULES`.
    pub name: Ident,
    /// Each site's place, `response_site::IBAN`.
    pub sites: Vec<TokenStream>,
    /// Each site's name, `IBAN`.
    names: Vec<String>,
}

impl RuleTable {
    /// The table of `sites` in the static `name`, their places named in the module
    /// `module`.
    pub fn new(name: Ident, module: &Ident, sites: &[Attachment]) -> RuleTable {
        let names = site_names(sites);
        let sites = names
            .iter()
            .map(|site| {
                let site = format_ident!("{site}");
                quote! { #module::#site }
            })
            .collect();
        RuleTable { name, sites, names }
    }

    /// The site names, each with its place: the constants of the module.
    pub fn constants(&self) -> impl Iterator<Item = (Ident, Literal)> + '_ {
        self.names
            .iter()
            .enumerate()
            .map(|(i, name)| (format_ident!("{name}"), Literal::usize_unsuffixed(i)))
    }

    /// The local that gathers the values of site `site`, for the rules that
    /// compare them (`unique_id_values`).
    fn collector(&self, site: usize) -> Ident {
        format_ident!("{}_values", self.names[site].to_lowercase())
    }
}

/// A name for each of `sites`: its rule's (`IBAN`), with the members above it
/// where one rule stands at several places (`ACCOUNT_IBAN`), and its index last
/// where even the whole place repeats.
fn site_names(sites: &[Attachment]) -> Vec<String> {
    let words: Vec<(Vec<String>, String)> = sites
        .iter()
        .map(|site| {
            let members = site
                .at
                .split('/')
                .filter(|s| !s.is_empty() && *s != "*")
                .map(|s| constant_case(&crate::normalise::unescape(s)))
                .collect();
            let id = site.rule.info().id;
            (members, constant_case(id.rsplit('.').next().unwrap_or(id)))
        })
        .collect();
    let name = |(members, rule): &(Vec<String>, String), depth: usize| {
        let above = &members[members.len().saturating_sub(depth)..];
        let mut parts: Vec<&str> = above.iter().map(String::as_str).collect();
        if parts.last() != Some(&rule.as_str()) {
            parts.push(rule);
        }
        parts.join("_")
    };
    let mut depths = vec![0; sites.len()];
    loop {
        let names: Vec<String> = words
            .iter()
            .zip(&depths)
            .map(|(w, &d)| name(w, d))
            .collect();
        let mut grown = false;
        for (i, (members, _)) in words.iter().enumerate() {
            let repeated = names.iter().filter(|n| **n == names[i]).count() > 1;
            if repeated && depths[i] < members.len() {
                depths[i] += 1;
                grown = true;
            }
        }
        if !grown {
            return names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    if names.iter().filter(|m| *m == n).count() > 1 {
                        format!("{n}_{i}")
                    } else {
                        n.clone()
                    }
                })
                .collect();
        }
    }
}

/// `text` as a Rust constant's name: letters and digits upper-cased, words
/// (`camelCase` too) apart by one `_`, never empty nor starting with a digit.
fn constant_case(text: &str) -> String {
    let mut out = String::new();
    let mut lower = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && lower {
                out.push('_');
            }
            lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_uppercase());
        } else {
            lower = false;
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
    }
    let out = out.trim_end_matches('_');
    match out.chars().next() {
        None => "ROOT".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("N{out}"),
        Some(_) => out.to_owned(),
    }
}

struct Stage<'a> {
    root: &'a Value,
    items: BTreeMap<String, &'a syn::Item>,
    sites: &'a [Attachment],
    reached: Vec<bool>,
    rules: &'a RuleTable,
    /// Each pattern's index in the message's pattern static.
    patterns: BTreeMap<String, usize>,
    patterns_static: Ident,
    /// The named types being expanded: one met again is recursive.
    expanding: Vec<String>,
    /// Bindings in use.
    names: BTreeSet<String>,
    /// The API's module in the types crate.
    module: Ident,
    /// Writing the rule walk (`<message>_findings`) rather than the check: rule
    /// sites report their findings, placed by the loop indices in `stars`, and the
    /// schema's own checks are left out (the report lists those).
    findings: bool,
    /// The index of each array loop around the code being written.
    stars: Vec<Ident>,
}

/// A member of an object as the generated code reads it.
struct Field<'t> {
    json: String,
    ty: &'t syn::Type,
    /// A reference to the field's value.
    expr: TokenStream,
}

/// The JSON name of a field: its `rename`, else its identifier.
fn json_name(field: &syn::Field, ident: &Ident) -> String {
    serde_string(&field.attrs, "rename")
        .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned())
}

/// How typify holds a value.
enum Shape<'t> {
    String,
    DateTime,
    Money,
    Bool,
    Integer,
    Unit,
    Nullable(&'t syn::Type),
    Option(&'t syn::Type),
    Vec(&'t syn::Type),
    Box(&'t syn::Type),
    /// Any JSON, kept as it came.
    Json,
    Named(String),
    Other,
}

fn shape(ty: &syn::Type) -> Shape<'_> {
    match ty {
        syn::Type::Tuple(tuple) if tuple.elems.is_empty() => Shape::Unit,
        syn::Type::Path(path) if path.qself.is_none() => {
            let segments = &path.path.segments;
            let Some(last) = segments.last() else {
                return Shape::Other;
            };
            let argument = match &last.arguments {
                syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => {
                    match &args.args[0] {
                        syn::GenericArgument::Type(inner) => Some(inner),
                        _ => None,
                    }
                }
                _ => None,
            };
            let path_text: Vec<String> = segments.iter().map(|s| s.ident.to_string()).collect();
            let path_text = path_text.join("::");
            match (path_text.as_str(), argument) {
                ("std::string::String" | "String", None) => Shape::String,
                // Both keep their text, read with `as_str()`.
                ("bankschema_runtime::DateTime" | "bankschema_runtime::MoneyText", None) => {
                    Shape::DateTime
                }
                ("bankschema_runtime::Money", None) => Shape::Money,
                ("bool", None) => Shape::Bool,
                ("bankschema_runtime::Json" | "serde_json::Value", None) => Shape::Json,
                ("bankschema_runtime::Integer", None) => Shape::Integer,
                ("bankschema_runtime::Nullable", Some(inner)) => Shape::Nullable(inner),
                ("std::option::Option" | "Option", Some(inner)) => Shape::Option(inner),
                ("std::vec::Vec" | "Vec", Some(inner)) => Shape::Vec(inner),
                ("std::boxed::Box" | "Box", Some(inner)) => Shape::Box(inner),
                (name, None) if segments.len() == 1 && path.path.leading_colon.is_none() => {
                    Shape::Named(name.to_owned())
                }
                _ => Shape::Other,
            }
        }
        _ => Shape::Other,
    }
}

impl<'a> Stage<'a> {
    /// The statements that return `false` unless the value `expr` (a reference to
    /// a `ty`) holds `schema`, at template `at`, held by `parent` (an
    /// `Option<TypedNode>` expression). `pointer` is where `schema` is, for messages.
    #[allow(clippy::too_many_arguments)]
    fn location(
        &mut self,
        expr: &TokenStream,
        ty: &syn::Type,
        schema: &'a Value,
        at: &str,
        pointer: &str,
        parent: &TokenStream,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        self.sites_at(expr, at, parent, out);
        self.value(expr, ty, schema, at, pointer, out)
    }

    /// The rule sites whose template is `at`, called on the value there.
    fn sites_at(
        &mut self,
        expr: &TokenStream,
        at: &str,
        parent: &TokenStream,
        out: &mut Vec<TokenStream>,
    ) {
        let (rules, table) = (&self.rules.name, self.rules);
        for (i, site) in self.sites.iter().enumerate() {
            if site.at != at {
                continue;
            }
            self.reached[i] = true;
            let index = &table.sites[i];
            let stars = &self.stars;
            let placed = quote! { checks::indices(&[#(#stars),*]) };
            let call = match (site.rule.compares_values(), self.findings) {
                (true, false) => {
                    let name = table.collector(i);
                    quote! { #name.push((node, #parent)); }
                }
                (true, true) => {
                    let name = table.collector(i);
                    quote! { #name.push((node, #parent, #placed)); }
                }
                (false, false) => quote! {
                    if !checks::holds(&#rules[#index], node, #parent, options) {
                        return false;
                    }
                },
                (false, true) => quote! {
                    findings.at(&#rules, #index, node, #parent, #placed, options);
                },
            };
            out.push(quote! {
                if let Some(node) = checks::AsNode::as_node(#expr) {
                    #call
                }
            });
        }
    }

    /// The schema's own checks on `expr`, by the shape of its type.
    fn value(
        &mut self,
        expr: &TokenStream,
        ty: &syn::Type,
        schema: &'a Value,
        at: &str,
        pointer: &str,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let (schema, pointer) = self.resolve(schema, pointer)?;
        self.value_in(expr, ty, schema, at, &pointer, out)
    }

    /// [`value`](Self::value) with the schema resolved already.
    fn value_in(
        &mut self,
        expr: &TokenStream,
        ty: &syn::Type,
        schema: &'a Map<String, Value>,
        at: &str,
        pointer: &str,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let pointer = pointer.to_owned();
        match shape(ty) {
            Shape::Nullable(inner) => {
                let Some((branch, branch_pointer)) = self.nullable_branch(schema, &pointer)? else {
                    return Err(self.unchecked(
                        &pointer,
                        "a nullable type for a schema that is not `anyOf` of a schema and `null`",
                    ));
                };
                let binding = self.binding(at);
                let mut inner_out = Vec::new();
                self.value(
                    &quote! { #binding },
                    inner,
                    branch,
                    at,
                    &branch_pointer,
                    &mut inner_out,
                )?;
                if !inner_out.is_empty() {
                    out.push(quote! {
                        if let checks::Nullable::Value(#binding) = #expr {
                            #(#inner_out)*
                        }
                    });
                }
                self.names.remove(&binding.to_string());
                Ok(())
            }
            Shape::Option(inner) | Shape::Box(inner) => {
                if self.nullable_branch(schema, &pointer)?.is_some() {
                    return Err(
                        self.unchecked(&pointer, "`null` held by a type that reads it as absent")
                    );
                }
                let binding = self.binding(at);
                let mut inner_out = Vec::new();
                self.value_in(
                    &quote! { #binding },
                    inner,
                    schema,
                    at,
                    &pointer,
                    &mut inner_out,
                )?;
                if !inner_out.is_empty() {
                    let unwrap = if matches!(shape(ty), Shape::Option(_)) {
                        quote! { if let Some(#binding) = #expr { #(#inner_out)* } }
                    } else {
                        quote! { { let #binding: &_ = &**#expr; #(#inner_out)* } }
                    };
                    out.push(unwrap);
                }
                self.names.remove(&binding.to_string());
                Ok(())
            }
            Shape::String | Shape::DateTime => {
                self.keywords(
                    schema,
                    &pointer,
                    &["type", "pattern", "format", "minLength", "maxLength"],
                )?;
                self.expect_type(schema, &pointer, "string")?;
                let text = if matches!(shape(ty), Shape::DateTime) {
                    quote! { #expr.as_str() }
                } else {
                    quote! { #expr }
                };
                self.string(schema, &pointer, &text, out)
            }
            Shape::Money => {
                self.keywords(schema, &pointer, &["type", "minimum", "maximum"])?;
                self.expect_type(schema, &pointer, "number")?;
                for (keyword, breach) in [("minimum", quote! { < }), ("maximum", quote! { > })] {
                    if let Some(bound) = schema.get(keyword) {
                        // Inclusive bounds only: the crate may compare as `f64`, which
                        // keeps `<=` between exact decimals but not `<`.
                        let text = bound.to_string();
                        let Ok(bound) = rust_decimal::Decimal::from_str_exact(&text) else {
                            return Err(self.unchecked(
                                &pointer,
                                &format!("`{keyword}` {text} is not an exact decimal"),
                            ));
                        };
                        let bound = decimal_tokens(bound);
                        self.assert(
                            out,
                            quote! {
                                if (#expr).amount() #breach #bound {
                                    return false;
                                }
                            },
                        );
                    }
                }
                Ok(())
            }
            Shape::Integer => {
                self.keywords(
                    schema,
                    &pointer,
                    &[
                        "type",
                        "minimum",
                        "maximum",
                        "exclusiveMinimum",
                        "exclusiveMaximum",
                    ],
                )?;
                self.expect_type(schema, &pointer, "integer")?;
                for (keyword, breach) in [
                    ("minimum", quote! { < }),
                    ("maximum", quote! { > }),
                    ("exclusiveMinimum", quote! { <= }),
                    ("exclusiveMaximum", quote! { >= }),
                ] {
                    if let Some(bound) = schema.get(keyword) {
                        let Some(bound) = bound.as_i64() else {
                            return Err(
                                self.unchecked(&pointer, &format!("`{keyword}` is not an integer"))
                            );
                        };
                        let bound = Literal::i64_unsuffixed(bound);
                        // An integer beyond `i64` is left to the full report.
                        self.assert(
                            out,
                            quote! {
                                if (#expr).as_i64().is_none_or(|n| n #breach #bound) {
                                    return false;
                                }
                            },
                        );
                    }
                }
                Ok(())
            }
            Shape::Bool => {
                self.keywords(schema, &pointer, &["type"])?;
                self.expect_type(schema, &pointer, "boolean")
            }
            Shape::Unit => {
                self.keywords(schema, &pointer, &["type"])?;
                self.expect_type(schema, &pointer, "null")
            }
            Shape::Vec(inner) => {
                self.keywords(schema, &pointer, &["type", "items", "minItems", "maxItems"])?;
                self.expect_type(schema, &pointer, "array")?;
                let receiver = receiver(expr);
                for (keyword, breach) in [("minItems", quote! { < }), ("maxItems", quote! { > })] {
                    if let Some(bound) = schema.get(keyword) {
                        let Some(bound) = bound.as_u64().and_then(|b| usize::try_from(b).ok())
                        else {
                            return Err(
                                self.unchecked(&pointer, &format!("`{keyword}` is not a count"))
                            );
                        };
                        let bound = Literal::usize_unsuffixed(bound);
                        self.assert(
                            out,
                            quote! {
                                if #receiver.len() #breach #bound {
                                    return false;
                                }
                            },
                        );
                    }
                }
                let Some(items) = schema.get("items") else {
                    return Err(self.unchecked(&pointer, "an array without `items`"));
                };
                let element_at = format!("{at}/*");
                let binding = self.binding(&element_at);
                let parent = quote! { checks::AsNode::as_node(#expr) };
                let Some(&star) = STARS.get(self.stars.len()) else {
                    return Err(
                        self.unchecked(&pointer, "arrays nested deeper than rule sites are placed")
                    );
                };
                let star = Ident::new(star, Span::call_site());
                self.stars.push(star.clone());
                let mut inner_out = Vec::new();
                let result = self.location(
                    &quote! { #binding },
                    inner,
                    items,
                    &element_at,
                    &format!("{pointer}/items"),
                    &parent,
                    &mut inner_out,
                );
                self.stars.pop();
                result?;
                if !inner_out.is_empty() {
                    out.push(if self.findings {
                        quote! {
                            for (#star, #binding) in (0..).zip(#expr) {
                                #(#inner_out)*
                            }
                        }
                    } else {
                        quote! {
                            for #binding in #expr {
                                #(#inner_out)*
                            }
                        }
                    });
                }
                self.names.remove(&binding.to_string());
                Ok(())
            }
            Shape::Json => {
                // Any JSON: only a schema that asserts nothing is proven, and the
                // sites inside the value are walked from it as `check` walks them.
                self.keywords(schema, &pointer, &[])?;
                let inside = format!("{at}/");
                let (rules, table) = (&self.rules.name, self.rules);
                for (i, site) in self.sites.iter().enumerate() {
                    let Some(rest) = site.at.strip_prefix(&inside) else {
                        continue;
                    };
                    if site.rule.compares_values() {
                        return Err(self.unchecked(
                            &pointer,
                            &format!("the rule site {} compares values inside any-JSON", site.at),
                        ));
                    }
                    self.reached[i] = true;
                    let rest = format!("/{rest}");
                    let i = &table.sites[i];
                    let stars = &self.stars;
                    out.push(if self.findings {
                        quote! {
                            if let Some(node) = checks::AsNode::as_node(#expr) {
                                findings.within(&#rules, #i, #rest, node, checks::indices(&[#(#stars),*]), options);
                            }
                        }
                    } else {
                        quote! {
                            if let Some(node) = checks::AsNode::as_node(#expr) {
                                if !checks::holds_within(&#rules[#i], #rest, node, options) {
                                    return false;
                                }
                            }
                        }
                    });
                }
                Ok(())
            }
            Shape::Named(name) => self.named(expr, &name, schema, at, &pointer, out),
            Shape::Other => {
                Err(self.unchecked(&pointer, &format!("a value held as `{}`", quote! { #ty })))
            }
        }
    }

    /// A generated struct or enum.
    fn named(
        &mut self,
        expr: &TokenStream,
        name: &str,
        schema: &'a Map<String, Value>,
        at: &str,
        pointer: &str,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let Some(&item) = self.items.get(name) else {
            return Err(self.unchecked(pointer, &format!("`{name}` is not a generated type")));
        };
        if self.expanding.iter().any(|n| n == name) {
            return Err(self.unchecked(pointer, &format!("`{name}` is recursive")));
        }
        self.expanding.push(name.to_owned());
        let result = match item {
            syn::Item::Struct(item) => match &item.fields {
                syn::Fields::Named(fields) => {
                    let deny = has_flag(&item.attrs, "deny_unknown_fields");
                    let (fields, extra) = Self::struct_fields(expr, fields);
                    self.object(
                        expr,
                        &fields,
                        extra.as_ref(),
                        deny,
                        None,
                        schema,
                        at,
                        pointer,
                        out,
                    )
                }
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    let ty = &fields.unnamed[0].ty;
                    // `expr` may be a reference itself: `&(&v.field).0`, never `&&v.field.0`.
                    self.value_in(&quote! { &(#expr).0 }, ty, schema, at, pointer, out)
                }
                _ => Err(self.unchecked(pointer, &format!("`{name}` is a unit struct"))),
            },
            syn::Item::Enum(item) => self.enumeration(expr, item, schema, at, pointer, out),
            _ => Err(self.unchecked(pointer, &format!("`{name}` is not a struct or enum"))),
        };
        self.expanding.pop();
        result
    }

    /// A struct's fields, read through `expr`.
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
                json: json_name(field, ident),
                ty: &field.ty,
                expr: quote! { &#expr.#ident },
            });
        }
        (found, extra)
    }

    /// An object: `fields` (each with the expression that reads it), `extra` (the
    /// unknown members, when the type keeps them), `node` (the object itself), and
    /// its schema. A struct variant's `tag` member is proven by the variant.
    #[allow(clippy::too_many_arguments)]
    fn object(
        &mut self,
        node: &TokenStream,
        fields: &[Field<'_>],
        extra: Option<&TokenStream>,
        deny_unknown: bool,
        tag: Option<&str>,
        schema: &'a Map<String, Value>,
        at: &str,
        pointer: &str,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
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
        let has_field = |name: &str| fields.iter().any(|f| f.json == name) || Some(name) == tag;
        if let Some(name) = properties
            .into_iter()
            .flat_map(Map::keys)
            .find(|name| !has_field(name))
        {
            return Err(self.unchecked(pointer, &format!("property `{name}` has no field")));
        }
        match (schema.get("additionalProperties"), extra) {
            (None | Some(Value::Bool(true)), _) => {}
            (Some(Value::Bool(false)), _) if deny_unknown => {}
            (Some(Value::Bool(false)), Some(extra)) => self.assert(
                out,
                quote! {
                    if !#extra.is_empty() {
                        return false;
                    }
                },
            ),
            _ => {
                return Err(self.unchecked(pointer, "`additionalProperties` the type does not hold"))
            }
        }
        let required: BTreeSet<&str> = match schema.get("required") {
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            None => BTreeSet::new(),
            Some(_) => return Err(self.unchecked(pointer, "`required` is not a list")),
        };
        if let Some(name) = required.iter().find(|name| !has_field(name)) {
            return Err(self.unchecked(pointer, &format!("required `{name}` has no field")));
        }
        let parent = quote! { checks::AsNode::as_node(#node) };
        for field in fields {
            let Some(property) = properties.and_then(|p| p.get(&field.json)) else {
                return Err(
                    self.unchecked(pointer, &format!("member `{}` has no property", field.json))
                );
            };
            let expr = &field.expr;
            if required.contains(field.json.as_str()) {
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
            let field_at = format!("{at}/{}", escape(&field.json));
            let field_pointer = format!("{pointer}/properties/{}", escape(&field.json));
            self.location(
                expr,
                field.ty,
                property,
                &field_at,
                &field_pointer,
                &parent,
                out,
            )?;
        }
        Ok(())
    }

    /// A string enum (its values proven by the type) or an internally tagged
    /// enum of structs (`oneOf`/`anyOf` of objects told apart by their tag).
    fn enumeration(
        &mut self,
        expr: &TokenStream,
        item: &syn::ItemEnum,
        schema: &'a Map<String, Value>,
        at: &str,
        pointer: &str,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let variant_json = |variant: &syn::Variant| {
            serde_string(&variant.attrs, "rename").unwrap_or_else(|| variant.ident.to_string())
        };
        // A tolerant enum's `Unknown` holds what the schema does not list: the check
        // refuses it, and the full report gives its warning.
        let tolerant = crate::nodes::is_tolerant(item);
        let listed: Vec<&syn::Variant> = item
            .variants
            .iter()
            .take(item.variants.len() - usize::from(tolerant))
            .collect();
        let units = listed.iter().all(|v| matches!(v.fields, syn::Fields::Unit));
        if !listed.is_empty() && units && !has_flag(&item.attrs, "untagged") {
            self.keywords(
                schema,
                pointer,
                &["type", "enum", crate::normalise::TOLERANT],
            )?;
            self.expect_type(schema, pointer, "string")?;
            let values: BTreeSet<&str> = match schema.get("enum") {
                Some(Value::Array(values)) => values.iter().filter_map(Value::as_str).collect(),
                _ => {
                    return Err(
                        self.unchecked(pointer, "a string enum type for a schema without `enum`")
                    )
                }
            };
            let variants: Vec<String> = listed.iter().map(|v| variant_json(v)).collect();
            let same = variants.len() == values.len()
                && variants.iter().all(|v| values.contains(v.as_str()));
            if !same {
                return Err(self.unchecked(pointer, "enum values the type does not list"));
            }
            if tolerant && !self.findings {
                let name = &item.ident;
                let module = self.module.clone();
                out.push(quote! {
                    if matches!(#expr, bankschema_types::#module::#name::Unknown(_)) {
                        return false;
                    }
                });
            }
            return Ok(());
        }
        let Some(tag) = serde_string(&item.attrs, "tag") else {
            return Err(self.unchecked(
                pointer,
                &format!(
                    "`{}` is neither a string enum nor internally tagged",
                    item.ident
                ),
            ));
        };
        let keyword = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| schema.contains_key(*k))
            .ok_or_else(|| {
                self.unchecked(
                    pointer,
                    "a tagged enum for a schema without `oneOf` or `anyOf`",
                )
            })?;
        self.keywords(schema, pointer, &[keyword])?;
        let Some(Value::Array(branches)) = schema.get(keyword) else {
            return Err(self.unchecked(pointer, &format!("`{keyword}` is not a list")));
        };
        // Each branch by the one value its tag admits: with distinct tags at most
        // one branch matches, so `oneOf` is `anyOf`, and the variant read is it.
        let mut by_tag = BTreeMap::new();
        for (i, branch) in branches.iter().enumerate() {
            let branch_pointer = format!("{pointer}/{keyword}/{i}");
            let (resolved, resolved_pointer) = self.resolve(branch, &branch_pointer)?;
            let tag_schema = match resolved.get("properties").and_then(|p| p.get(&tag)) {
                Some(tag_schema) => self.resolve(tag_schema, &resolved_pointer)?.0,
                None => {
                    return Err(
                        self.unchecked(&resolved_pointer, &format!("a branch without `{tag}`"))
                    )
                }
            };
            let tag_value = match (tag_schema.get("enum"), tag_schema.get("const")) {
                (Some(Value::Array(values)), None) if values.len() == 1 => values[0].as_str(),
                (None, Some(Value::String(value))) => Some(value.as_str()),
                _ => None,
            };
            let required = resolved
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(tag.as_str())));
            let Some(tag_value) = tag_value.filter(|_| required) else {
                return Err(self.unchecked(
                    &resolved_pointer,
                    &format!("`{tag}` is not one required value"),
                ));
            };
            // What the tag asserts beside its value, the variant proves too.
            self.keywords(tag_schema, &resolved_pointer, &["type", "enum", "const"])?;
            self.expect_type(tag_schema, &resolved_pointer, "string")?;
            if by_tag
                .insert(tag_value.to_owned(), (resolved, resolved_pointer))
                .is_some()
            {
                return Err(self.unchecked(
                    &branch_pointer,
                    &format!("two branches with `{tag}` {tag_value}"),
                ));
            }
        }
        if by_tag.len() != item.variants.len() {
            return Err(self.unchecked(pointer, "branches the variants do not match one to one"));
        }
        let name = &item.ident;
        let module = self.module.clone();
        let mut arms = Vec::new();
        for variant in &item.variants {
            let syn::Fields::Named(named) = &variant.fields else {
                return Err(self.unchecked(pointer, "a tagged variant that is not a struct"));
            };
            let Some((branch, branch_pointer)) = by_tag.get(&variant_json(variant)) else {
                return Err(self.unchecked(
                    pointer,
                    &format!("variant `{}` has no branch", variant.ident),
                ));
            };
            // The variant's fields, bound by the arm under fresh names.
            let mut fields = Vec::new();
            let mut bound = Vec::new();
            let mut bindings = Vec::new();
            let mut extra = None;
            for field in &named.named {
                let Some(ident) = &field.ident else { continue };
                let json = json_name(field, ident);
                let binding = self.binding(&format!("{at}/{}", escape(&json)));
                bound.push((ident.clone(), binding.clone()));
                bindings.push(binding.to_string());
                if ident == "extra" {
                    extra = Some(quote! { #binding });
                } else {
                    fields.push(Field {
                        json,
                        ty: &field.ty,
                        expr: quote! { #binding },
                    });
                }
            }
            let mut inner_out = Vec::new();
            self.object(
                expr,
                &fields,
                extra.as_ref(),
                false,
                Some(&tag),
                branch,
                at,
                branch_pointer,
                &mut inner_out,
            )?;
            for binding in &bindings {
                self.names.remove(binding);
            }
            let ident = &variant.ident;
            // Only the fields the checks read are bound.
            let checks_read = quote! { #(#inner_out)* };
            let bound = bound
                .iter()
                .filter(|(_, binding)| mentions(&checks_read, binding))
                .map(|(field, binding)| {
                    if field == binding {
                        quote! { #field }
                    } else {
                        quote! { #field: #binding }
                    }
                });
            let pattern = quote! { bankschema_types::#module::#name::#ident { #(#bound,)* .. } };
            arms.push(quote! { #pattern => { #(#inner_out)* } });
        }
        out.push(quote! {
            match #expr {
                #(#arms)*
            }
        });
        Ok(())
    }

    /// `schema` with its `$ref` followed (and its pointer), after checking the `$ref`
    /// stands alone.
    fn resolve(
        &self,
        schema: &'a Value,
        pointer: &str,
    ) -> Result<(&'a Map<String, Value>, String), Unchecked> {
        let mut schema = schema;
        let mut pointer = pointer.to_owned();
        for _ in 0..64 {
            let Value::Object(map) = schema else {
                return Err(self.unchecked(&pointer, "a boolean schema"));
            };
            let Some(reference) = map.get("$ref") else {
                return Ok((map, pointer));
            };
            if let Some(other) = map
                .keys()
                .find(|k| *k != "$ref" && !ANNOTATIONS.contains(&k.as_str()))
            {
                return Err(self.unchecked(&pointer, &format!("`{other}` beside `$ref`")));
            }
            let target = reference
                .as_str()
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| self.root.pointer(p).map(|found| (p, found)));
            let Some((target_pointer, found)) = target else {
                return Err(self.unchecked(&pointer, "a `$ref` outside the message"));
            };
            schema = found;
            pointer = target_pointer.to_owned();
        }
        Err(self.unchecked(&pointer, "a `$ref` chain that does not end"))
    }

    /// The non-null branch when `schema` is `anyOf` (or `oneOf`) of it and `null`.
    fn nullable_branch(
        &self,
        schema: &'a Map<String, Value>,
        pointer: &str,
    ) -> Result<Option<(&'a Value, String)>, Unchecked> {
        for keyword in ["anyOf", "oneOf"] {
            let Some(Value::Array(branches)) = schema.get(keyword) else {
                continue;
            };
            if branches.len() != 2 {
                return Ok(None);
            }
            self.keywords(schema, pointer, &[keyword])?;
            let is_null = |branch: &'a Value, at: &str| -> Result<bool, Unchecked> {
                let (map, _) = self.resolve(branch, at)?;
                Ok(map.get("type") == Some(&Value::from("null"))
                    && map
                        .keys()
                        .all(|k| k == "type" || ANNOTATIONS.contains(&k.as_str())))
            };
            for (value, null) in [(0, 1), (1, 0)] {
                if is_null(&branches[null], pointer)? && !is_null(&branches[value], pointer)? {
                    return Ok(Some((
                        &branches[value],
                        format!("{pointer}/{keyword}/{value}"),
                    )));
                }
            }
            return Ok(None);
        }
        Ok(None)
    }

    /// Every keyword of `schema` is an annotation or one of `known`.
    fn keywords(
        &self,
        schema: &Map<String, Value>,
        pointer: &str,
        known: &[&str],
    ) -> Result<(), Unchecked> {
        match schema
            .keys()
            .find(|k| !known.contains(&k.as_str()) && !ANNOTATIONS.contains(&k.as_str()))
        {
            Some(keyword) => Err(self.unchecked(
                pointer,
                &format!("`{keyword}` on a value held as this type"),
            )),
            None => Ok(()),
        }
    }

    /// `type`, when given, is `expected` (which the type proves).
    fn expect_type(
        &self,
        schema: &Map<String, Value>,
        pointer: &str,
        expected: &str,
    ) -> Result<(), Unchecked> {
        match schema.get("type") {
            None => Ok(()),
            Some(Value::String(t)) if t == expected => Ok(()),
            Some(other) => {
                Err(self.unchecked(pointer, &format!("`type` {other} held as a {expected}")))
            }
        }
    }

    /// A string's pattern, format and length checks.
    fn string(
        &mut self,
        schema: &Map<String, Value>,
        pointer: &str,
        text: &TokenStream,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        if let Some(pattern) = schema.get("pattern") {
            let Some(pattern) = pattern.as_str() else {
                return Err(self.unchecked(pointer, "`pattern` is not a string"));
            };
            let next = self.patterns.len();
            let index = *self.patterns.entry(pattern.to_owned()).or_insert(next);
            let patterns = &self.patterns_static;
            let index = Literal::usize_unsuffixed(index);
            self.assert(
                out,
                quote! {
                    if !#patterns[#index].is_match(#text) {
                        return false;
                    }
                },
            );
        }
        if let Some(format) = schema.get("format") {
            let check = match format.as_str() {
                Some("date") => quote! { checks::is_date },
                Some("date-time") => quote! { checks::is_date_time },
                _ => return Err(self.unchecked(pointer, &format!("`format` {format}"))),
            };
            self.assert(
                out,
                quote! {
                    if !#check(#text) {
                        return false;
                    }
                },
            );
        }
        for (keyword, breach) in [("minLength", quote! { < }), ("maxLength", quote! { > })] {
            if let Some(bound) = schema.get(keyword) {
                let Some(bound) = bound.as_u64().and_then(|b| usize::try_from(b).ok()) else {
                    return Err(self.unchecked(pointer, &format!("`{keyword}` is not a count")));
                };
                let bound = Literal::usize_unsuffixed(bound);
                self.assert(
                    out,
                    quote! {
                        if checks::char_count(#text) #breach #bound {
                            return false;
                        }
                    },
                );
            }
        }
        Ok(())
    }

    /// A binding name for the value at template `at`, not yet in use: the
    /// member's name in snake case, an element's its array's in the singular.
    fn binding(&mut self, at: &str) -> Ident {
        let element = at.ends_with("/*");
        let last = at
            .rsplit('/')
            .find(|t| *t != "*" && !t.is_empty())
            .unwrap_or("value");
        let mut base = String::new();
        for c in last.chars() {
            if c.is_ascii_uppercase() && !base.is_empty() && !base.ends_with('_') {
                base.push('_');
            }
            base.push(if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            });
        }
        if element {
            match base.strip_suffix('s') {
                Some(singular) if singular.len() > 1 && !singular.ends_with('s') => {
                    base = singular.to_owned()
                }
                _ => base.push_str("_item"),
            }
        }
        if base.is_empty()
            || base.starts_with(|c: char| c.is_ascii_digit())
            || syn::parse_str::<Ident>(&base).is_err()
        {
            base = format!("v_{base}");
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.names.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.names.insert(name.clone());
        Ident::new(&name, Span::call_site())
    }

    /// A statement of the check (`return false` unless...): left out of the rule walk.
    fn assert(&self, out: &mut Vec<TokenStream>, check: TokenStream) {
        if !self.findings {
            out.push(check);
        }
    }

    fn unchecked(&self, pointer: &str, what: &str) -> Unchecked {
        let pointer = if pointer.is_empty() {
            "the root"
        } else {
            pointer
        };
        Unchecked(format!("{what} (at {pointer})"))
    }
}

/// A decimal as the expression that builds it: `Decimal::ZERO`, or its parts.
fn decimal_tokens(decimal: rust_decimal::Decimal) -> TokenStream {
    if decimal.is_zero() {
        return quote! { checks::Decimal::ZERO };
    }
    let parts = decimal.unpack();
    let (lo, mid, hi, negative, scale) = (
        parts.lo,
        parts.mid,
        parts.hi,
        parts.negative,
        decimal.scale(),
    );
    quote! { checks::Decimal::from_parts(#lo, #mid, #hi, #negative, #scale) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::api;
    use crate::normalise::Dialect;
    use bankschema_rules::Rule;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn rule_sites_are_named_by_rule_then_by_the_members_above_them() {
        let site = |at: &str, rule: Rule| Attachment {
            at: at.to_owned(),
            keyword: String::new(),
            rule,
        };
        let sites = [
            site("/items/*/iban", Rule::Iban),
            site("/owner/iban", Rule::Iban),
            site("/items/*/accountId", Rule::UniqueId),
            site("/items/*/account/bic", Rule::Bic),
            site("/other/account/bic", Rule::Bic),
            site("/x/1st~1name", Rule::MaskedPan),
            site("", Rule::SingleDefault),
            site(
                "/items/*/currency",
                Rule::Currency {
                    multi_currency: false,
                },
            ),
            site(
                "/items/*/currency",
                Rule::Currency {
                    multi_currency: true,
                },
            ),
        ];
        assert_eq!(
            site_names(&sites),
            [
                "ITEMS_IBAN",
                "OWNER_IBAN",
                "UNIQUE_ID",
                "ITEMS_ACCOUNT_BIC",
                "OTHER_ACCOUNT_BIC",
                "MASKED_PAN",
                "SINGLE_DEFAULT",
                "ITEMS_CURRENCY_7",
                "ITEMS_CURRENCY_8",
            ]
        );
        assert_eq!(constant_case("1st/name"), "N1ST_NAME");
        assert_eq!(constant_case("minimumPaymentDue"), "MINIMUM_PAYMENT_DUE");
        assert_eq!(constant_case("--"), "ROOT");
    }

    /// The check of a standalone schema's only message, as text, or why there is none.
    fn check_of(schema: Value) -> Result<String, Unchecked> {
        let api = api(
            "doc",
            Path::new("doc.json"),
            Dialect::JsonSchema,
            &schema,
            "Instance",
        )
        .unwrap();
        let types = crate::types::emit(&api).unwrap();
        let message = &api.messages[0];
        let sites = crate::rules::attachments(&api, message).unwrap();
        let rules = RuleTable::new(format_ident!("RULES"), &format_ident!("site"), &sites);
        let check = message_check(&api, message, &types, &sites, &rules, "instance")?;
        let file: syn::File = syn::parse2(check.items).unwrap();
        Ok(prettyplease::unparse(&file))
    }

    #[test]
    fn a_list_behind_a_named_type_is_walked_by_reference_and_a_field_named_options_is_no_parameter()
    {
        let code = check_of(json!({
            "type": "object",
            "required": ["balances"],
            "properties": {
                "balances": {"$ref": "#/$defs/BalanceList"},
                "options": {"type": "object", "properties": {"day": {"type": "string", "format": "date"}}}
            },
            "$defs": {"BalanceList": {"type": "array", "items": {"type": "string", "pattern": "^x"}}}
        }))
        .unwrap();
        assert!(code.contains("in &(&value.balances).0"), "{code}");
        assert!(!code.contains("&&"), "{code}");
        // The check reads `value.options`, never the `options` parameter.
        assert!(code.contains("_options: &Options"), "{code}");
    }

    #[test]
    fn a_value_a_tolerant_enum_does_not_list_leaves_the_verdict_to_the_report() {
        let code = check_of(json!({
            "type": "object",
            "required": ["kind"],
            "properties": {
                "kind": {"type": "string", "enum": ["a", "b"], "x-bankschema-tolerant": true}
            }
        }))
        .unwrap();
        assert!(
            code.contains("if matches!(& value.kind, bankschema_types::doc::InstanceKind::Unknown(_)) {\n        return false;"),
            "{code}"
        );
    }

    #[test]
    fn what_the_types_prove_is_not_checked_again_and_the_rest_is() {
        let code = check_of(json!({
            "type": "object",
            "required": ["code", "count"],
            "properties": {
                "code": {"type": "string", "pattern": "^[A-Z]{3}$", "maxLength": 3},
                "count": {"type": "integer", "minimum": 2, "maximum": 1000},
                "day": {"type": "string", "format": "date"},
                "kind": {"enum": ["a", "b"], "type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1}
            },
            "additionalProperties": false
        }))
        .unwrap();
        for expected in [
            "INSTANCE_PATTERNS[0].is_match(&value.code)",
            "checks::char_count(&value.code) > 3",
            "(&value.count).as_i64().is_none_or(|n| n < 2)",
            "checks::is_date(day)",
            "tags.len() < 1",
        ] {
            assert!(code.contains(expected), "{expected} missing from\n{code}");
        }
        // The enum, the required members and the closed object are the type's.
        assert!(!code.contains("kind"), "{code}");
    }

    #[test]
    fn a_keyword_the_stage_does_not_prove_leaves_the_message_to_the_interpreted_path() {
        for (schema, why) in [
            (
                json!({"type": "object", "properties": {"a": {"type": "string", "format": "email"}}}),
                "`format` \"email\" (at /$defs/Instance/properties/a)",
            ),
            (
                json!({"type": "object", "properties": {"a": {"type": "integer", "multipleOf": 2}}}),
                "`multipleOf`",
            ),
            (
                json!({"type": "array", "items": {"type": "integer"}, "uniqueItems": true}),
                "`uniqueItems`",
            ),
            (
                json!({"type": "object", "properties": {"a": {"type": "integer", "exclusiveMinimum": 0.5}}}),
                "`exclusiveMinimum` is not an integer",
            ),
        ] {
            let Err(Unchecked(message)) = check_of(schema.clone()) else {
                panic!("{schema} was checked");
            };
            assert!(message.contains(why), "{schema}: {message}");
        }
    }
}
