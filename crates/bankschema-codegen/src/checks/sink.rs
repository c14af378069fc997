//! Where the check and the rule walk differ. One walk over the schema and the types
//! writes both functions; its sink says what an assertion, a rule site and a loop
//! over an array become in each.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A rule site met by the walk, on the value bound to `node`.
pub(super) struct Site<'s> {
    /// The message's rule static, `RESPONSE_RULES`.
    pub rules: &'s Ident,
    /// The site's place in it, `response_site::IBAN`.
    pub index: &'s TokenStream,
    /// For a rule that compares values across the payload: the local that gathers
    /// them.
    pub collector: Option<Ident>,
    /// An `Option<TypedNode>` expression: the value holding `node`.
    pub parent: &'s TokenStream,
    /// The index of each array loop around the site, outermost first.
    pub stars: &'s [Ident],
}

/// What one walk's statements become.
pub(super) trait Sink {
    /// A statement of the schema's checks (`if ... { return false; }`), where the
    /// function keeps it.
    fn assert(&self, check: TokenStream) -> Option<TokenStream>;
    /// The rule at `site` on `node`.
    fn site(&self, site: &Site<'_>) -> TokenStream;
    /// The rule at `site` on the values at `rest` below `node`, any JSON.
    fn within(&self, site: &Site<'_>, rest: &str) -> TokenStream;
    /// A loop binding each element of `expr` to `binding`, counted by `star`.
    fn each(
        &self,
        star: &Ident,
        binding: &Ident,
        expr: &TokenStream,
        body: &[TokenStream],
    ) -> TokenStream;
}

/// The check, `<message>_holds`: `false` at the first breach, of the schema or of
/// a rule.
pub(super) struct Verdict;

impl Sink for Verdict {
    fn assert(&self, check: TokenStream) -> Option<TokenStream> {
        Some(check)
    }

    fn site(&self, site: &Site<'_>) -> TokenStream {
        let Site {
            rules,
            index,
            parent,
            ..
        } = site;
        match &site.collector {
            Some(name) => quote! { #name.push((node, #parent)); },
            None => quote! {
                if !checks::holds(&#rules[#index], node, #parent, options) {
                    return false;
                }
            },
        }
    }

    fn within(&self, site: &Site<'_>, rest: &str) -> TokenStream {
        let Site { rules, index, .. } = site;
        quote! {
            if !checks::holds_within(&#rules[#index], #rest, node, options) {
                return false;
            }
        }
    }

    fn each(
        &self,
        _star: &Ident,
        binding: &Ident,
        expr: &TokenStream,
        body: &[TokenStream],
    ) -> TokenStream {
        quote! {
            for #binding in #expr {
                #(#body)*
            }
        }
    }
}

/// The rule walk, `<message>_findings`: every rule's findings, placed by the
/// indices of the loops around them. The schema's own checks are left out: the
/// report lists those.
pub(super) struct Findings;

impl Sink for Findings {
    fn assert(&self, _check: TokenStream) -> Option<TokenStream> {
        None
    }

    fn site(&self, site: &Site<'_>) -> TokenStream {
        let Site {
            rules,
            index,
            parent,
            stars,
            ..
        } = site;
        let placed = quote! { checks::indices(&[#(#stars),*]) };
        match &site.collector {
            Some(name) => quote! { #name.push((node, #parent, #placed)); },
            None => quote! {
                findings.at(&#rules, #index, node, #parent, #placed, options);
            },
        }
    }

    fn within(&self, site: &Site<'_>, rest: &str) -> TokenStream {
        let Site {
            rules,
            index,
            stars,
            ..
        } = site;
        quote! {
            findings.within(&#rules, #index, #rest, node, checks::indices(&[#(#stars),*]), options);
        }
    }

    fn each(
        &self,
        star: &Ident,
        binding: &Ident,
        expr: &TokenStream,
        body: &[TokenStream],
    ) -> TokenStream {
        quote! {
            for (#star, #binding) in (0..).zip(#expr) {
                #(#body)*
            }
        }
    }
}
