//! The rules the API specifications write in prose, which JSON Schema cannot say.
//!
//! "The middle digits MUST be obscured", "servers MUST keep them consistent": those
//! sentences are the contract too. Each [`Rule`] here has an id, a [`Level`] taken
//! from its RFC 2119 word and the sentence it comes from ([`Info`]). Rules are
//! attached to the fields they govern in `schemas/` with the `x-bankschema-rules`
//! keyword; the generator turns every attachment into a [`Site`] (a pointer template
//! into the payload and the rule to run there), and the generated validator calls
//! [`check`] with the sites of its schema id (the runtime keeps their [`Plan`], built
//! once, and calls [`Plan::check_except`]).
//!
//! The logic of every rule is written once, here, and reads payloads through
//! [`Node`] (a `serde_json::Value`, or a generated typed value): it runs on payloads
//! that break the schema too, skipping values whose type the schema already reports.
//!
//! Its messages quote the values they judge as [`redact`] shows them: a card number
//! or an IBAN masked, a long value shortened, unless [`Options::show_values`].

mod bank2ai;
mod data;
pub mod decimal;
mod identifiers;
mod node;
mod out;
mod plan;
pub mod pointer;
pub mod redact;
mod table;
pub mod vocabulary;
mod walk;

pub use decimal::same_number as numbers_equal;
pub use node::Node;
pub use plan::Plan;
pub use redact::{Redaction, Secret};
pub use table::{markdown_table, Governed};
pub use walk::{Indices, MAX_STARS};

use out::{nothing_rejected, Out, Rejected};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::fmt;

/// The RFC 2119 word a rule is written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// MUST, or a standard's definition: breaking it is an error.
    Must,
    /// SHOULD: breaking it is a warning.
    Should,
}

impl Level {
    /// `error` for MUST, `warning` for SHOULD, as reports spell severities.
    pub const fn severity(self) -> &'static str {
        match self {
            Level::Must => "error",
            Level::Should => "warning",
        }
    }
}

/// What a rule is: its id, its level and the sentence it comes from.
#[derive(Debug, PartialEq, Eq)]
pub struct Info {
    /// Stable id, used in reports, `--allow` and `x-bankschema-rules`.
    pub id: &'static str,
    pub level: Level,
    /// The sentence of the specification or standard the rule checks, quoted.
    pub sentence: &'static str,
    /// Where the sentence is written.
    pub source: &'static str,
}

/// Every rule, as it is attached in `schemas/`. Variants carry the options an
/// attachment may set (`{"rule": "iso4217.currency", "multiCurrency": true}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Iban,
    Bic,
    Currency {
        /// `XXX` is allowed: the field may describe a multi-currency account.
        multi_currency: bool,
    },
    SortCode,
    AccountNumber,
    MaskedPan,
    CreditOnly,
    BalancesConsistent,
    SingleDefault,
    IdentifierPresent,
    Filters,
    UniqueId,
}

/// Every rule's [`Info`], in the order `bankschema rules` lists them.
pub const CATALOGUE: [&Info; 12] = [
    &IBAN,
    &BIC,
    &CURRENCY,
    &SORT_CODE,
    &ACCOUNT_NUMBER,
    &MASKED_PAN,
    &CREDIT_ONLY,
    &BALANCES,
    &SINGLE_DEFAULT,
    &IDENTIFIER,
    &FILTERS,
    &UNIQUE_ID,
];

const IBAN: Info = Info {
    id: "iso13616.iban",
    level: Level::Must,
    sentence: "IBAN (ISO 13616): a two-letter country code, two check digits and a fixed length per country; the remainder of the rearranged number modulo 97 is 1.",
    source: "ISO 13616 and the SWIFT IBAN Registry",
};
const BIC: Info = Info {
    id: "iso9362.bic",
    level: Level::Must,
    sentence:
        "BIC: ISO 9362, 8 or 11 characters; characters 5-6 are an ISO 3166-1 alpha-2 country.",
    source: "ISO 9362 and ISO 3166-1",
};
const CURRENCY: Info = Info {
    id: "iso4217.currency",
    level: Level::Must,
    sentence: "ISO 4217 currency code of the account. For multi-currency accounts (per PSD2 convention) use `XXX`.",
    source: "ISO 4217; bank2ai get-accounts, `currency`",
};
const SORT_CODE: Info = Info {
    id: "uk.sort-code",
    level: Level::Must,
    sentence: "`sort_code`, six digits.",
    source: "TrueLayer Data API v3, `account_identifiers`",
};
const ACCOUNT_NUMBER: Info = Info {
    id: "uk.account-number",
    level: Level::Must,
    sentence: "`account_number`, eight digits.",
    source: "TrueLayer Data API v3, `account_identifiers`",
};
const MASKED_PAN: Info = Info {
    id: "bank2ai.masked-pan",
    level: Level::Must,
    sentence: "Masked Primary Account Number for card accounts. The middle digits MUST be obscured.",
    source: "bank2ai get-accounts, `maskedPan`; PCI DSS: at most the first six and last four digits may show",
};
const CREDIT_ONLY: Info = Info {
    id: "bank2ai.credit-only",
    level: Level::Must,
    sentence: "Credit accounts only. [...] Servers MUST omit on non-credit accounts.",
    source: "bank2ai get-accounts, `statementBalance`, `minimumPaymentDue`, `paymentDueDate`, `statementClosingDate`",
};
const BALANCES: Info = Info {
    id: "bank2ai.balances-consistent",
    level: Level::Must,
    sentence: "When populated, the top-level `balance` and `availableBalance` scalars are derived shortcuts for the most-recent `ClosingBooked` and `InterimAvailable` entries; servers MUST keep them consistent.",
    source: "bank2ai get-accounts, `balances`",
};
const SINGLE_DEFAULT: Info = Info {
    id: "bank2ai.single-default",
    level: Level::Should,
    sentence: "At most one account per response SHOULD have this set to true.",
    source: "bank2ai get-accounts, `isDefaultAccount`",
};
const IDENTIFIER: Info = Info {
    id: "bank2ai.identifier-present",
    level: Level::Should,
    sentence:
        "Servers SHOULD populate at least one of `accountNumber`, `iban`, `bban`, or `maskedPan`.",
    source: "bank2ai get-accounts, `Account`",
};
const FILTERS: Info = Info {
    id: "bank2ai.filters",
    level: Level::Must,
    sentence: "Filter by account type [...] by lifecycle status [...] If true, return only accounts usable as the source of an outgoing transfer or withdrawal. [...] Filter by usage [...] Servers MAY ignore this if they do not track usage.",
    source: "bank2ai get-accounts, the tool's input; a `usage` mismatch is a warning, since servers MAY ignore it",
};
const UNIQUE_ID: Info = Info {
    id: "unique-id",
    level: Level::Must,
    sentence: "Unique account identifier (server-scoped).",
    source: "bank2ai `id`; TrueLayer `id`; Weavr \"the unique identifier of the linked account\" (no RFC 2119 word: an identifier that repeats identifies nothing, so an error)",
};

impl Rule {
    pub const fn info(self) -> &'static Info {
        match self {
            Rule::Iban => &IBAN,
            Rule::Bic => &BIC,
            Rule::Currency { .. } => &CURRENCY,
            Rule::SortCode => &SORT_CODE,
            Rule::AccountNumber => &ACCOUNT_NUMBER,
            Rule::MaskedPan => &MASKED_PAN,
            Rule::CreditOnly => &CREDIT_ONLY,
            Rule::BalancesConsistent => &BALANCES,
            Rule::SingleDefault => &SINGLE_DEFAULT,
            Rule::IdentifierPresent => &IDENTIFIER,
            Rule::Filters => &FILTERS,
            Rule::UniqueId => &UNIQUE_ID,
        }
    }

    /// The rule an `x-bankschema-rules` entry names, with the options it sets
    /// (every key of `options` but `rule` and `at`).
    pub fn from_attachment(id: &str, options: &Map<String, Value>) -> Result<Rule, String> {
        let rule = match id {
            "iso13616.iban" => Rule::Iban,
            "iso9362.bic" => Rule::Bic,
            "iso4217.currency" => Rule::Currency {
                multi_currency: false,
            },
            "uk.sort-code" => Rule::SortCode,
            "uk.account-number" => Rule::AccountNumber,
            "bank2ai.masked-pan" => Rule::MaskedPan,
            "bank2ai.credit-only" => Rule::CreditOnly,
            "bank2ai.balances-consistent" => Rule::BalancesConsistent,
            "bank2ai.single-default" => Rule::SingleDefault,
            "bank2ai.identifier-present" => Rule::IdentifierPresent,
            "bank2ai.filters" => Rule::Filters,
            "unique-id" => Rule::UniqueId,
            other => return Err(UnknownRule(other.to_owned()).to_string()),
        };
        let mut rule = rule;
        for (key, value) in options {
            match (&mut rule, key.as_str(), value) {
                (Rule::Currency { multi_currency }, "multiCurrency", Value::Bool(allowed)) => {
                    *multi_currency = *allowed;
                }
                (Rule::Currency { .. }, "multiCurrency", other) => {
                    return Err(format!("`multiCurrency` must be a boolean, found {other}"));
                }
                (_, key, _) => {
                    return Err(format!("rule `{id}` takes no option `{key}`"));
                }
            }
        }
        Ok(rule)
    }
}

/// One attachment of a rule: where in a payload it applies, and where in the schema
/// it was attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    /// A JSON pointer into the payload where `*` stands for every element of an
    /// array or member of an object: `/items/*/iban`.
    pub at: &'static str,
    /// The pointer of the `x-bankschema-rules` entry in the message's JSON Schema.
    pub keyword: &'static str,
    pub rule: Rule,
}

impl Site {
    pub const fn new(at: &'static str, keyword: &'static str, rule: Rule) -> Site {
        Site { at, keyword, rule }
    }
}

/// What a check is asked to do beyond the defaults.
#[derive(Clone, Debug, Default)]
pub struct Options {
    allowed: BTreeSet<&'static str>,
    input: Option<Value>,
    show_values: bool,
}

impl Options {
    /// Turns off the rule with this id.
    pub fn allow(mut self, id: &str) -> Result<Options, UnknownRule> {
        let info = info(id).ok_or_else(|| UnknownRule(id.to_owned()))?;
        self.allowed.insert(info.id);
        Ok(self)
    }

    /// Every rule turned off: the schema alone decides.
    pub fn schema_only() -> Options {
        Options {
            allowed: CATALOGUE.iter().map(|info| info.id).collect(),
            ..Options::default()
        }
    }

    /// The arguments of the tool call a payload answers, for `bank2ai.filters`.
    pub fn with_input(mut self, input: Value) -> Options {
        self.input = Some(input);
        self
    }

    /// Reports quote values whole: card numbers, IBANs, values of any length
    /// (by default they are masked or shortened, see [`redact`]).
    ///
    /// For debugging on your own machine only: reports land in CI logs, pull
    /// requests and HTTP responses, where a card number or an IBAN must not.
    pub fn show_values(mut self) -> Options {
        self.show_values = true;
        self
    }

    /// Whether reports quote values whole ([`show_values`](Self::show_values)).
    pub fn shows_values(&self) -> bool {
        self.show_values
    }

    pub fn is_allowed(&self, id: &str) -> bool {
        self.allowed.contains(id)
    }

    pub fn input(&self) -> Option<&Value> {
        self.input.as_ref()
    }
}

/// A rule id that is not in the [`CATALOGUE`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown rule `{}`; expected one of: ", self.0)?;
        for (i, info) in CATALOGUE.iter().enumerate() {
            let separator = if i == 0 { "" } else { ", " };
            write!(f, "{separator}{}", info.id)?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownRule {}

/// The rule with this id.
pub fn info(id: &str) -> Option<&'static Info> {
    CATALOGUE.into_iter().find(|info| info.id == id)
}

/// One place where a payload breaks a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Info,
    /// Usually the rule's level; a rule may report a lesser breach as a warning
    /// (`bank2ai.filters` on `usage`, which servers MAY ignore).
    pub level: Level,
    /// RFC 6901 pointer to the offending value.
    pub pointer: String,
    /// Where the rule is attached in the schema.
    pub keyword: &'static str,
    /// What is wrong with this value, then the sentence the rule comes from.
    pub message: String,
    /// Pointers of the other values the verdict rests on (an account's
    /// `accountType` for a credit-only field): where the schema rejects one, the
    /// finding judged a value that is not what the rule assumes, and is dropped.
    pub premises: Vec<String>,
}

/// Every rule breach in `payload`, site by site, in payload order within a site.
///
/// Builds the sites' [`Plan`] for this one call: a caller that checks many payloads
/// against the same sites keeps a plan and calls [`Plan::check`].
pub fn check<'a, N: Node<'a>>(sites: &[Site], payload: N, options: &Options) -> Vec<Finding> {
    Plan::new(sites).check(payload, options)
}

/// Whether `site`'s rule holds at `value` (held by `parent`): no MUST breach.
///
/// For the checks the generator writes per schema (`parse`'s fast path): they
/// reach the values of a site by reading fields, not by walking its template, and
/// ask here with each one. The logic is [`check`]'s; only the pointers are missing,
/// which a verdict does not need. Rules that compare the values of a site with one
/// another (`unique-id`, `bank2ai.single-default`) take them all: [`holds_all`].
pub fn holds<'a, N: Node<'a>>(site: &Site, value: N, parent: Option<N>, options: &Options) -> bool {
    holds_in(site, &[walk::Match::unplaced(value, parent)], options)
}

/// Whether `site`'s rule holds over every value of the site, each with its parent.
pub fn holds_all<'a, N: Node<'a>>(
    site: &Site,
    found: &[(N, Option<N>)],
    options: &Options,
) -> bool {
    let matches: Vec<_> = found
        .iter()
        .map(|&(value, parent)| walk::Match::unplaced(value, parent))
        .collect();
    holds_in(site, &matches, options)
}

/// Whether `site`'s rule holds at the values below `node` that the rest of its
/// template, `rest` (`/iban`), names: for a site inside a value the types keep as
/// any JSON, walked from there as [`check`] walks it from the root.
pub fn holds_within<'a, N: Node<'a>>(
    site: &Site,
    rest: &'a str,
    node: N,
    options: &Options,
) -> bool {
    let matches = walk::Walker::new(node).matches(rest);
    holds_in(site, &matches, options)
}

fn holds_in<'a, N: Node<'a>>(
    site: &Site,
    matches: &[walk::Match<'a, N>],
    options: &Options,
) -> bool {
    let mut found = Vec::new();
    let sites = std::slice::from_ref(site);
    run(sites, 0, matches, options, &nothing_rejected, &mut found);
    found
        .iter()
        .all(|(_, finding)| finding.level != Level::Must)
}

/// Runs the rule of `sites[index]` (the sites say what its values are) on the
/// values its template matched, unless it is turned off: its findings go to
/// `findings`, each with `index`.
fn run<'a, N: Node<'a>>(
    sites: &[Site],
    index: usize,
    matches: &[walk::Match<'a, N>],
    options: &Options,
    rejected: Rejected<'_>,
    findings: &mut Vec<(usize, Finding)>,
) {
    let site = &sites[index];
    if options.is_allowed(site.rule.info().id) {
        return;
    }
    let mut out = Out {
        site,
        index,
        sites,
        options,
        findings,
        rejected,
    };
    let out = &mut out;
    match site.rule {
        Rule::Iban => identifiers::iban(matches, out),
        Rule::Bic => identifiers::bic(matches, out),
        Rule::Currency { multi_currency } => identifiers::currency(matches, multi_currency, out),
        Rule::SortCode => identifiers::digits(matches, 6, "a sort code", out),
        Rule::AccountNumber => identifiers::digits(matches, 8, "an account number", out),
        Rule::MaskedPan => identifiers::masked_pan(matches, out),
        Rule::CreditOnly => bank2ai::credit_only(matches, out),
        Rule::BalancesConsistent => bank2ai::balances_consistent(matches, out),
        Rule::SingleDefault => bank2ai::single_default(matches, out),
        Rule::IdentifierPresent => bank2ai::identifier_present(matches, out),
        Rule::Filters => {
            if let Some(input) = options.input() {
                bank2ai::filters(matches, input, out);
            }
        }
        Rule::UniqueId => bank2ai::unique_id(matches, out),
    }
}

/// The findings of a rule walk that places each value by the index each `*` of its
/// site's template stood for: the walk the generator writes for one schema (reading
/// fields), or a [`Plan`]'s. [`into_findings`](Findings::into_findings) gives
/// them in [`check`]'s order: site by site, in payload order within a site.
#[derive(Default)]
pub struct Findings {
    found: Vec<(usize, Finding)>,
}

impl Findings {
    /// The rule of `sites[site]` on one value, placed by `indices`.
    pub fn at<'a, N: Node<'a>>(
        &mut self,
        sites: &'a [Site],
        site: usize,
        value: N,
        parent: Option<N>,
        indices: Indices,
        options: &Options,
    ) {
        let placed = [walk::Match::placed(sites[site].at, indices, value, parent)];
        self.run(sites, site, &placed, options, &nothing_rejected);
    }

    /// The rule of `sites[site]` on every value of the site at once (for rules
    /// that compare them: [`Rule::compares_values`]).
    pub fn all<'a, N: Node<'a>>(
        &mut self,
        sites: &'a [Site],
        site: usize,
        found: &[(N, Option<N>, Indices)],
        options: &Options,
    ) {
        let at = sites[site].at;
        let placed: Vec<_> = found
            .iter()
            .map(|&(value, parent, indices)| walk::Match::placed(at, indices, value, parent))
            .collect();
        self.run(sites, site, &placed, options, &nothing_rejected);
    }

    /// The rule of `sites[site]` at the values below `node` (a value the types
    /// keep as any JSON) that `rest`, the end of the site's template, names; `node`
    /// is placed by `indices`.
    pub fn within<'a, N: Node<'a>>(
        &mut self,
        sites: &'a [Site],
        site: usize,
        rest: &'a str,
        node: N,
        indices: Indices,
        options: &Options,
    ) {
        let at = sites[site].at;
        let above = at.strip_suffix(rest).unwrap_or_default();
        let matches = walk::Walker::below(node, above, &indices).matches(rest);
        self.run(sites, site, &matches, options, &nothing_rejected);
    }

    fn run<'a, N: Node<'a>>(
        &mut self,
        sites: &[Site],
        site: usize,
        placed: &[walk::Match<'a, N>],
        options: &Options,
        rejected: Rejected<'_>,
    ) {
        run(sites, site, placed, options, rejected, &mut self.found);
    }

    /// Every finding, site by site.
    pub fn into_findings(mut self) -> Vec<Finding> {
        self.found.sort_by_key(|(site, _)| *site);
        self.found.into_iter().map(|(_, finding)| finding).collect()
    }
}

/// The indices of a template's `*`s, padded: `indices(&[i, j])`.
pub const fn indices(given: &[usize]) -> Indices {
    let mut all = [0; MAX_STARS];
    let mut i = 0;
    while i < given.len() && i < MAX_STARS {
        all[i] = given[i];
        i += 1;
    }
    all
}

impl Rule {
    /// Whether the rule judges the values of a site together (a repeat, a second
    /// default) rather than each on its own: see [`holds_all`].
    pub const fn compares_values(self) -> bool {
        matches!(self, Rule::UniqueId | Rule::SingleDefault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_in_the_catalogue_once_and_round_trips_through_its_id() {
        let ids: BTreeSet<_> = CATALOGUE.iter().map(|info| info.id).collect();
        assert_eq!(ids.len(), CATALOGUE.len());
        for info in CATALOGUE {
            let rule = Rule::from_attachment(info.id, &Map::new()).unwrap();
            assert_eq!(rule.info(), info);
        }
    }

    #[test]
    fn attachments_with_unknown_ids_or_options_are_refused() {
        assert!(Rule::from_attachment("iban", &Map::new())
            .unwrap_err()
            .contains("unknown rule `iban`"));
        let mut options = Map::new();
        options.insert("multiCurrency".into(), Value::Bool(true));
        assert_eq!(
            Rule::from_attachment("iso4217.currency", &options),
            Ok(Rule::Currency {
                multi_currency: true
            })
        );
        assert_eq!(
            Rule::from_attachment("iso13616.iban", &options).unwrap_err(),
            "rule `iso13616.iban` takes no option `multiCurrency`"
        );
    }

    #[test]
    fn allowed_rules_are_skipped_and_unknown_ones_refused() {
        let sites = [Site::new("/iban", "/x", Rule::Iban)];
        let payload = serde_json::json!({"iban": "GB00NWBK60161331926819"});
        assert_eq!(check(&sites, &payload, &Options::default()).len(), 1);
        let options = Options::default().allow("iso13616.iban").unwrap();
        assert!(check(&sites, &payload, &options).is_empty());
        assert!(Options::default().allow("nope").is_err());
    }

    #[test]
    fn messages_mask_secrets_and_shorten_long_values_unless_values_show() {
        let sites = [
            Site::new("/iban", "/x", Rule::Iban),
            Site::new("/pan", "/y", Rule::MaskedPan),
            Site::new("/*/id", "/z", Rule::UniqueId),
        ];
        let long = "i".repeat(65);
        let payload = serde_json::json!({
            "iban": "GB28NWBK60161331926819",
            "pan": "4751 2912 3456 4821",
            "a": {"id": long}, "b": {"id": long},
        });
        let messages = |options: &Options| -> Vec<String> {
            check(&sites, &payload, options)
                .into_iter()
                .map(|finding| finding.message)
                .collect()
        };
        let masked = messages(&Options::default());
        assert!(masked[0].starts_with("\"GB28…6819\" is not a valid IBAN"));
        assert!(masked[1].starts_with("\"475129******4821\": all 16 digits show"));
        let short = format!("\"{}…\" is already the id at /a/id", "i".repeat(24));
        assert!(masked[2].starts_with(&short), "{}", masked[2]);
        let whole = messages(&Options::default().show_values());
        assert!(whole[0].starts_with("\"GB28NWBK60161331926819\" is not"));
        assert!(whole[1].starts_with("\"4751 2912 3456 4821\": all 16"));
        assert!(whole[2].starts_with(&format!("\"{long}\" is already")));
    }
}
