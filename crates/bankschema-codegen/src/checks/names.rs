//! The names of a message's rule sites in the generated code: a static of the
//! rules and a module of each site's place in it,
//! `&RESPONSE_RULES[response_site::IBAN]`, not `RESPONSE_RULES[3]`.

use crate::rules::Attachment;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// A message's rule static and the name of each site's place in it, as the
/// generated code writes them: `RESPONSE_RULES[response_site::IBAN]`.
pub struct RuleTable {
    /// The static, `RESPONSE_RULES`.
    pub name: Ident,
    /// Each site's place, `response_site::IBAN`.
    pub(super) sites: Vec<TokenStream>,
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
    pub(super) fn collector(&self, site: usize) -> Ident {
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

#[cfg(test)]
mod tests {
    use super::*;
    use bankschema_rules::Rule;

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
}
