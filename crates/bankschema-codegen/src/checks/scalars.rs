//! Strings, timestamps, money and integers: the checks their types do not prove
//! (patterns, formats, lengths, bounds).

use super::stage::{Cursor, Stage};
use super::Unchecked;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

impl Stage<'_> {
    /// A string (or a value that keeps its text), read as `text`: its pattern,
    /// format and length.
    pub(super) fn text(
        &mut self,
        cursor: &Cursor,
        text: &TokenStream,
        schema: &Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let pointer = &cursor.pointer;
        self.keywords(
            schema,
            pointer,
            &["type", "pattern", "format", "minLength", "maxLength"],
        )?;
        self.expect_type(schema, pointer, "string")?;
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
                let bound = self.count(bound, keyword, pointer)?;
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

    /// An exact amount: its inclusive bounds.
    pub(super) fn money(
        &mut self,
        cursor: &Cursor,
        schema: &Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let (expr, pointer) = (&cursor.expr, &cursor.pointer);
        self.keywords(schema, pointer, &["type", "minimum", "maximum"])?;
        self.expect_type(schema, pointer, "number")?;
        for (keyword, breach) in [("minimum", quote! { < }), ("maximum", quote! { > })] {
            if let Some(bound) = schema.get(keyword) {
                // Inclusive bounds only: the crate may compare as `f64`, which
                // keeps `<=` between exact decimals but not `<`.
                let text = bound.to_string();
                let Ok(bound) = rust_decimal::Decimal::from_str_exact(&text) else {
                    return Err(self.unchecked(
                        pointer,
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

    /// An integer: its bounds, inclusive and exclusive.
    pub(super) fn integer(
        &mut self,
        cursor: &Cursor,
        schema: &Map<String, Value>,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), Unchecked> {
        let (expr, pointer) = (&cursor.expr, &cursor.pointer);
        let bounds = [
            ("minimum", quote! { < }),
            ("maximum", quote! { > }),
            ("exclusiveMinimum", quote! { <= }),
            ("exclusiveMaximum", quote! { >= }),
        ];
        let mut known = vec!["type"];
        known.extend(bounds.iter().map(|(keyword, _)| *keyword));
        self.keywords(schema, pointer, &known)?;
        self.expect_type(schema, pointer, "integer")?;
        for (keyword, breach) in bounds {
            if let Some(bound) = schema.get(keyword) {
                let Some(bound) = bound.as_i64() else {
                    return Err(self.unchecked(pointer, &format!("`{keyword}` is not an integer")));
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

    /// The value of a length or size keyword (`minLength`, `maxItems`), a count.
    pub(super) fn count(
        &self,
        bound: &Value,
        keyword: &str,
        pointer: &str,
    ) -> Result<Literal, Unchecked> {
        match bound.as_u64().and_then(|b| usize::try_from(b).ok()) {
            Some(bound) => Ok(Literal::usize_unsuffixed(bound)),
            None => Err(self.unchecked(pointer, &format!("`{keyword}` is not a count"))),
        }
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
