//! The walk: a message's schema and typify's types side by side, from the root
//! type down, writing the statements of the check (or of the rule walk) as it goes.

use super::sink::{Sink, Site};
use super::{receiver, RuleTable, Unchecked, ANNOTATIONS, STARS};
use crate::rules::Attachment;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

pub(super) struct Stage<'a> {
    pub root: &'a Value,
    pub items: BTreeMap<String, &'a syn::Item>,
    pub sites: &'a [Attachment],
    pub reached: Vec<bool>,
    pub rules: &'a RuleTable,
    /// Each pattern's index in the message's pattern static.
    pub patterns: BTreeMap<String, usize>,
    pub patterns_static: Ident,
    /// The named types being expanded: one met again is recursive.
    pub expanding: Vec<String>,
    /// Bindings in use.
    pub names: BTreeSet<String>,
    /// The API's module in the types crate.
    pub module: Ident,
    /// What the statements become: the check's or the rule walk's.
    pub sink: &'a dyn Sink,
    /// The index of each array loop around the code being written.
    pub stars: Vec<Ident>,
}

/// Where the walk stands.
#[derive(Clone)]
pub(super) struct Cursor {
    /// A reference to the value.
    pub expr: TokenStream,
    /// Its template in the payload: `/items/*/iban`.
    pub at: String,
    /// Where its schema is in the message's schema, for messages.
    pub pointer: String,
    /// An `Option<TypedNode>` expression: the value holding it.
    pub parent: TokenStream,
}

impl Cursor {
    /// The message's root, bound to `value`.
    pub fn root() -> Cursor {
        Cursor {
            expr: quote! { value },
            at: String::new(),
            pointer: String::new(),
            parent: quote! { None },
        }
    }

    /// The same value, read through `expr`.
    pub fn read_as(&self, expr: TokenStream) -> Cursor {
        Cursor {
            expr,
            ..self.clone()
        }
    }

    /// The same value, its schema at `pointer`.
    pub fn schema_at(&self, pointer: String) -> Cursor {
        Cursor {
            pointer,
            ..self.clone()
        }
    }

    /// A value inside this one: `expr`, at `step` in the payload (`/iban`, `/*`)
    /// and `schema_step` in the schema (`/properties/iban`, `/items`).
    pub fn inside(&self, expr: TokenStream, step: &str, schema_step: &str) -> Cursor {
        let node = &self.expr;
        Cursor {
            expr,
            at: format!("{}{step}", self.at),
            pointer: format!("{}{schema_step}", self.pointer),
            parent: quote! { checks::AsNode::as_node(#node) },
        }
    }
}

/// A member of an object as the generated code reads it.
pub(super) struct Field<'t> {
    pub json: String,
    pub ty: &'t syn::Type,
    /// A reference to the field's value.
    pub expr: TokenStream,
}

/// The JSON name of a field: its `rename`, else its identifier.
pub(super) fn json_name(field: &syn::Field, ident: &Ident) -> String {
    crate::nodes::serde_string(&field.attrs, "rename")
        .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned())
}

/// How typify holds a value.
pub(super) enum Shape<'t> {
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

pub(super) fn shape(ty: &syn::Type) -> Shape<'_> {
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
    /// The statements that return `false` unless the value at `cursor` (a
    /// reference to a `ty`) holds `schema`, with the rule sites there.
    pub fn location(
        &mut self,
        cursor: &Cursor,
        ty: &syn::Type,
        schema: &'a Value,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        self.sites_at(cursor, out);
        self.value(cursor, ty, schema, out)
    }

    /// The rule sites whose template is the cursor's, called on the value there.
    fn sites_at(&mut self, cursor: &Cursor, out: &mut Vec<TokenStream>) {
        for (i, site) in self.sites.iter().enumerate() {
            if site.at != cursor.at {
                continue;
            }
            self.reached[i] = true;
            let call = self.sink.site(&Site {
                rules: &self.rules.name,
                index: &self.rules.sites[i],
                collector: site.rule.compares_values().then(|| self.rules.collector(i)),
                parent: &cursor.parent,
                stars: &self.stars,
            });
            let expr = &cursor.expr;
            out.push(quote! {
                if let Some(node) = checks::AsNode::as_node(#expr) {
                    #call
                }
            });
        }
    }

    /// The schema's own checks on the value at `cursor`, by the shape of its type.
    pub fn value(
        &mut self,
        cursor: &Cursor,
        ty: &syn::Type,
        schema: &'a Value,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let (schema, pointer) = self.resolve(schema, &cursor.pointer)?;
        self.value_in(&cursor.schema_at(pointer), ty, schema, out)
    }

    /// [`value`](Self::value) with the schema resolved already.
    pub fn value_in(
        &mut self,
        cursor: &Cursor,
        ty: &syn::Type,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let pointer = &cursor.pointer;
        match shape(ty) {
            Shape::Nullable(inner) => self.nullable(cursor, inner, schema, out),
            Shape::Option(inner) => self.optional(cursor, inner, schema, out),
            Shape::Box(inner) => self.boxed(cursor, inner, schema, out),
            Shape::String => self.text(cursor, &cursor.expr, schema, out),
            Shape::DateTime => {
                let expr = &cursor.expr;
                self.text(cursor, &quote! { #expr.as_str() }, schema, out)
            }
            Shape::Money => self.money(cursor, schema, out),
            Shape::Integer => self.integer(cursor, schema, out),
            Shape::Bool => {
                self.keywords(schema, pointer, &["type"])?;
                self.expect_type(schema, pointer, "boolean")
            }
            Shape::Unit => {
                self.keywords(schema, pointer, &["type"])?;
                self.expect_type(schema, pointer, "null")
            }
            Shape::Vec(inner) => self.array(cursor, inner, schema, out),
            Shape::Json => self.any_json(cursor, schema, out),
            Shape::Named(name) => self.named(cursor, &name, schema, out),
            Shape::Other => {
                Err(self.unchecked(pointer, &format!("a value held as `{}`", quote! { #ty })))
            }
        }
    }

    /// An `Option<T>`: an optional member, absent or a `T`.
    fn optional(
        &mut self,
        cursor: &Cursor,
        inner: &syn::Type,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let inner_out = self.unwrapped(cursor, inner, schema)?;
        if let Some((binding, inner_out)) = inner_out {
            let expr = &cursor.expr;
            out.push(quote! { if let Some(#binding) = #expr { #(#inner_out)* } });
        }
        Ok(())
    }

    /// A `Box<T>`: a `T` (typify boxes a type that holds itself).
    fn boxed(
        &mut self,
        cursor: &Cursor,
        inner: &syn::Type,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let inner_out = self.unwrapped(cursor, inner, schema)?;
        if let Some((binding, inner_out)) = inner_out {
            let expr = &cursor.expr;
            out.push(quote! { { let #binding: &_ = &**#expr; #(#inner_out)* } });
        }
        Ok(())
    }

    /// The statements on the `inner` value of an `Option` or a `Box`, under the
    /// binding they read it as; none when there are none.
    fn unwrapped(
        &mut self,
        cursor: &Cursor,
        inner: &syn::Type,
        schema: &'a Map<String, Value>,
    ) -> Result<Option<(Ident, Vec<TokenStream>)>, Unchecked> {
        if self.nullable_branch(schema, &cursor.pointer)?.is_some() {
            return Err(self.unchecked(
                &cursor.pointer,
                "`null` held by a type that reads it as absent",
            ));
        }
        let binding = self.binding(&cursor.at);
        let mut inner_out = Vec::new();
        let result = self.value_in(
            &cursor.read_as(quote! { #binding }),
            inner,
            schema,
            &mut inner_out,
        );
        self.names.remove(&binding.to_string());
        result?;
        Ok((!inner_out.is_empty()).then_some((binding, inner_out)))
    }

    /// An array, its bounds and each element.
    fn array(
        &mut self,
        cursor: &Cursor,
        inner: &syn::Type,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let (expr, pointer) = (&cursor.expr, &cursor.pointer);
        self.keywords(schema, pointer, &["type", "items", "minItems", "maxItems"])?;
        self.expect_type(schema, pointer, "array")?;
        let receiver = receiver(expr);
        for (keyword, breach) in [("minItems", quote! { < }), ("maxItems", quote! { > })] {
            if let Some(bound) = schema.get(keyword) {
                let bound = self.count(bound, keyword, pointer)?;
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
            return Err(self.unchecked(pointer, "an array without `items`"));
        };
        let Some(&star) = STARS.get(self.stars.len()) else {
            return Err(self.unchecked(pointer, "arrays nested deeper than rule sites are placed"));
        };
        let element = cursor.inside(TokenStream::new(), "/*", "/items");
        let binding = self.binding(&element.at);
        let star = Ident::new(star, Span::call_site());
        self.stars.push(star.clone());
        let mut inner_out = Vec::new();
        let result = self.location(
            &element.read_as(quote! { #binding }),
            inner,
            items,
            &mut inner_out,
        );
        self.stars.pop();
        self.names.remove(&binding.to_string());
        result?;
        if !inner_out.is_empty() {
            out.push(self.sink.each(&star, &binding, expr, &inner_out));
        }
        Ok(())
    }

    /// Any JSON: only a schema that asserts nothing is proven, and the sites inside
    /// the value are walked from it as `check` walks them.
    fn any_json(
        &mut self,
        cursor: &Cursor,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let (expr, pointer) = (&cursor.expr, &cursor.pointer);
        self.keywords(schema, pointer, &[])?;
        let inside = format!("{}/", cursor.at);
        for (i, site) in self.sites.iter().enumerate() {
            let Some(rest) = site.at.strip_prefix(&inside) else {
                continue;
            };
            if site.rule.compares_values() {
                return Err(self.unchecked(
                    pointer,
                    &format!("the rule site {} compares values inside any-JSON", site.at),
                ));
            }
            self.reached[i] = true;
            let site = Site {
                rules: &self.rules.name,
                index: &self.rules.sites[i],
                collector: None,
                parent: &cursor.parent,
                stars: &self.stars,
            };
            let call = self.sink.within(&site, &format!("/{rest}"));
            out.push(quote! {
                if let Some(node) = checks::AsNode::as_node(#expr) {
                    #call
                }
            });
        }
        Ok(())
    }

    /// A generated struct or enum.
    fn named(
        &mut self,
        cursor: &Cursor,
        name: &str,
        schema: &'a Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let pointer = &cursor.pointer;
        let Some(&item) = self.items.get(name) else {
            return Err(self.unchecked(pointer, &format!("`{name}` is not a generated type")));
        };
        if self.expanding.iter().any(|n| n == name) {
            return Err(self.unchecked(pointer, &format!("`{name}` is recursive")));
        }
        self.expanding.push(name.to_owned());
        let result = match item {
            syn::Item::Struct(item) => self.structure(cursor, item, schema, out),
            syn::Item::Enum(item) => self.enumeration(cursor, item, schema, out),
            _ => Err(self.unchecked(pointer, &format!("`{name}` is not a struct or enum"))),
        };
        self.expanding.pop();
        result
    }

    /// A binding name for the value at template `at`, not yet in use: the
    /// member's name in snake case, an element's its array's in the singular.
    pub fn binding(&mut self, at: &str) -> Ident {
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
            match base.strip_suffix("ies") {
                Some(stem) if stem.len() > 1 => base = format!("{stem}y"),
                _ => match base.strip_suffix('s') {
                    Some(singular) if singular.len() > 1 && !singular.ends_with('s') => {
                        base = singular.to_owned()
                    }
                    _ => base.push_str("_item"),
                },
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

    /// A statement of the check (`return false` unless...), where the sink keeps it.
    pub fn assert(&self, out: &mut Vec<TokenStream>, check: TokenStream) {
        out.extend(self.sink.assert(check));
    }

    pub fn unchecked(&self, pointer: &str, what: &str) -> Unchecked {
        let pointer = if pointer.is_empty() {
            "the root"
        } else {
            pointer
        };
        Unchecked(format!("{what} (at {pointer})"))
    }

    /// `schema` with its `$ref` followed (and its pointer), after checking the `$ref`
    /// stands alone.
    pub fn resolve(
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

    /// Every keyword of `schema` is an annotation or one of `known`.
    pub fn keywords(
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
    pub fn expect_type(
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
}
