//! How a report shows the values it quotes: a card number or an IBAN masked, a long
//! value shortened. Reports land in CI logs, pull-request annotations and HTTP
//! responses; the diagnostic's pointer says where the value is, so its message need
//! not hold the value whole. [`crate::Options::show_values`] turns this off.
//!
//! It is not for payloads themselves: what a service returns is its own business.

use crate::walk::Walker;
use crate::{Options, Rule, Site};
use serde_json::Value;
use std::borrow::Cow;

/// The longest value a report shows whole, in characters: a string's own, or the
/// JSON text of any other value.
pub const LONGEST_SHOWN: usize = 64;

/// How many characters of a longer string a report keeps before `…`.
const KEPT: usize = 24;

/// A value some rule makes secret: reports show it masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secret {
    /// A card number (`bank2ai.masked-pan`): at most its first six and last four
    /// digits show (PCI DSS), `475129******4821`.
    Pan,
    /// An IBAN (`iso13616.iban`): its first four and last four characters show,
    /// `GB29…6819`.
    Iban,
}

impl Rule {
    /// The secret the values this rule governs hold, if any.
    pub const fn secret(self) -> Option<Secret> {
        match self {
            Rule::MaskedPan => Some(Secret::Pan),
            Rule::Iban => Some(Secret::Iban),
            _ => None,
        }
    }
}

impl Secret {
    /// `text` masked. Spaces (and, in a card number, hyphens) only group
    /// characters: they are dropped first, so every spelling of one number gives
    /// one mask. What shows is bounded whatever the input's length: a short value
    /// shows less, never more.
    pub fn mask(self, text: &str) -> String {
        let kept: Vec<char> = text
            .chars()
            .filter(|c| !(c.is_whitespace() || self == Secret::Pan && *c == '-'))
            .collect();
        let n = kept.len();
        let (head, tail) = match self {
            // PCI DSS allows the first six and the last four. A value too short to
            // hide three between them shows only its last four, and one too short
            // to hide four besides those shows none.
            Secret::Pan => (if n >= 13 { 6 } else { 0 }, if n >= 8 { 4 } else { 0 }),
            // The country and check digits, then the last four when four or more
            // characters hide between (every IBAN has 15 or more).
            Secret::Iban => (n.min(4), if n >= 12 { 4 } else { 0 }),
        };
        let mut out: String = kept[..head].iter().collect();
        match self {
            Secret::Pan => {
                // One `*` a digit, as PANs are printed; a longer middle than any
                // PAN has (19 digits) ends with `…`.
                let hidden = n - head - tail;
                out.extend(std::iter::repeat_n('*', hidden.min(9)));
                if hidden > 9 {
                    out.push('…');
                }
            }
            Secret::Iban => out.push('…'),
        }
        out.extend(&kept[n - tail..]);
        out
    }
}

/// `text`, or its first characters then `…` when it is longer than
/// [`LONGEST_SHOWN`].
pub fn shorten(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(LONGEST_SHOWN) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let end = text.char_indices().nth(KEPT).map_or(text.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..end]))
        }
    }
}

/// `text` with every control character, and every character that reorders or hides
/// text on a terminal (bidirectional overrides, zero-width marks), written as a
/// `\u{..}` escape: text from a schema or payload cannot move the cursor, colour the
/// terminal or show other than it holds.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `c` is a control character or one that reorders or hides text.
pub fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// What `value` is, for a message: `a string`, `null`...
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `"text"`, as JSON writes it.
pub fn quote(text: &str) -> String {
    Value::from(text).to_string()
}

/// How the messages of one site's rule show the values they quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quoting {
    /// In full: [`Options::show_values`].
    Whole,
    /// Shortened when long.
    Short,
    /// Masked: the site's values are secret.
    Masked(Secret),
}

impl Quoting {
    /// For the values of `site`, one of `sites`: secret when any rule at the same
    /// place makes them so (a second rule there must not quote what the first masks).
    pub(crate) fn new(sites: &[Site], site: &Site, options: &Options) -> Quoting {
        if options.shows_values() {
            return Quoting::Whole;
        }
        let secret = site.rule.secret().or_else(|| {
            sites
                .iter()
                .filter(|other| other.at == site.at)
                .find_map(|other| other.rule.secret())
        });
        secret.map_or(Quoting::Short, Quoting::Masked)
    }

    /// `text`, a value of the site, as a message shows it.
    pub(crate) fn site_value<'t>(self, text: &'t str) -> Cow<'t, str> {
        match self {
            Quoting::Masked(secret) => Cow::Owned(secret.mask(text)),
            other => other.other_value(text),
        }
    }

    /// `text`, any other text of the payload, as a message shows it.
    pub(crate) fn other_value<'t>(self, text: &'t str) -> Cow<'t, str> {
        match self {
            Quoting::Whole => Cow::Borrowed(text),
            _ => shorten(text),
        }
    }
}

/// What the reports on one schema's payloads mask: the values of every site whose
/// rule makes them secret. `None` from [`new`](Self::new) when values show whole.
pub struct Redaction<'s> {
    sites: &'s [Site],
}

/// How a pointer stands to a site's template.
enum Relation<'t> {
    /// At the value the template names, or inside it.
    Within,
    /// Above it: the rest of the template, to walk from the pointer's value.
    Above(&'t str),
    Apart,
}

impl<'s> Redaction<'s> {
    /// The redaction of a schema with these rule sites, or `None` under
    /// [`Options::show_values`].
    pub fn new(sites: &'s [Site], options: &Options) -> Option<Redaction<'s>> {
        (!options.shows_values()).then_some(Redaction { sites })
    }

    /// `value`, found at `pointer` in a payload, as a report shows it (JSON text):
    /// secrets within masked, and shortened to `"…"`, `{…}` or `[…]` when longer
    /// than [`LONGEST_SHOWN`]. `None` when it shows as it is.
    pub fn value<'v>(&self, pointer: &str, value: &'v Value) -> Option<String>
    where
        's: 'v,
    {
        let mut masked: Option<Value> = None;
        let secrets = self
            .sites
            .iter()
            .filter_map(|site| Some((site.at, site.rule.secret()?)));
        for (at, secret) in secrets {
            let rest = match relation(at, pointer) {
                Relation::Apart => continue,
                Relation::Within => return Some(whole_secret(secret, value)),
                Relation::Above(rest) => rest,
            };
            for found in Walker::new(value).matches(rest) {
                let text = match found.value {
                    Value::String(text) => Cow::Borrowed(text.as_str()),
                    Value::Number(number) => Cow::Owned(number.to_string()),
                    Value::Null | Value::Bool(_) => continue,
                    // A secret that is an object or an array: nothing of it shows.
                    Value::Object(_) | Value::Array(_) => return Some(brief(value)),
                };
                let copy = masked.get_or_insert_with(|| value.clone());
                if let Some(slot) = copy.pointer_mut(&found.pointer()) {
                    *slot = Value::String(secret.mask(&text));
                }
            }
        }
        match masked {
            Some(copy) if is_long(&copy) => Some(brief(&copy)),
            Some(copy) => Some(copy.to_string()),
            None if is_long(value) => Some(brief(value)),
            None => None,
        }
    }

    /// The number written `text`, found at `pointer` in a payload, as a report shows
    /// it: masked when it is (within) a secret, shortened when longer than
    /// [`LONGEST_SHOWN`]. `None` when it shows as it is.
    pub fn number(&self, pointer: &str, text: &str) -> Option<String> {
        let secret = self
            .sites
            .iter()
            .filter_map(|site| Some((site.at, site.rule.secret()?)))
            .find(|(at, _)| matches!(relation(at, pointer), Relation::Within));
        match secret {
            Some((_, secret)) => Some(secret.mask(text)),
            None => match shorten(text) {
                Cow::Owned(short) => Some(short),
                Cow::Borrowed(_) => None,
            },
        }
    }

    /// Every secret value of `payload` (a whole payload), by pointer, with the
    /// text a report shows in its place: for whatever quotes the payload's own
    /// text beside a report, such as a line of the file.
    pub fn secrets<'v>(&self, payload: &'v Value) -> Vec<(String, String)>
    where
        's: 'v,
    {
        let mut walker = Walker::new(payload);
        let mut found = Vec::new();
        for site in self.sites {
            let Some(secret) = site.rule.secret() else {
                continue;
            };
            for value in walker.matches(site.at) {
                if !(value.value.is_null() || value.value.is_boolean()) {
                    found.push((value.pointer(), whole_secret(secret, value.value)));
                }
            }
        }
        found
    }
}

/// How `pointer` stands to `template` (`*` standing for any one token).
fn relation<'t>(template: &'t str, pointer: &str) -> Relation<'t> {
    let mut rest = template;
    for token in pointer.split('/').skip(1) {
        let Some(after) = rest.strip_prefix('/') else {
            return Relation::Within;
        };
        let (first, remaining) = after.split_at(after.find('/').unwrap_or(after.len()));
        if first != "*" && first != token {
            return Relation::Apart;
        }
        rest = remaining;
    }
    if rest.is_empty() {
        Relation::Within
    } else {
        Relation::Above(rest)
    }
}

/// A secret value (or a value inside one), masked.
fn whole_secret(secret: Secret, value: &Value) -> String {
    match value {
        Value::String(text) => quote(&secret.mask(text)),
        Value::Number(number) => secret.mask(&number.to_string()),
        Value::Object(_) | Value::Array(_) => brief(value),
        Value::Null | Value::Bool(_) => value.to_string(),
    }
}

/// `value` in at most [`LONGEST_SHOWN`] characters or so: a long string's start,
/// a long number's first digits, `{…}` for an object, `[…]` for an array.
fn brief(value: &Value) -> String {
    match value {
        Value::String(text) => quote(&shorten(text)),
        Value::Number(number) => shorten(&number.to_string()).into_owned(),
        Value::Object(_) => "{…}".to_owned(),
        Value::Array(_) => "[…]".to_owned(),
        Value::Null | Value::Bool(_) => value.to_string(),
    }
}

/// Whether `value` is longer than a report shows whole: a string by its own
/// characters, anything else by its JSON text (written only as far as the limit).
fn is_long(value: &Value) -> bool {
    match value {
        Value::String(text) => text.chars().nth(LONGEST_SHOWN).is_some(),
        other => {
            let mut counter = Counter {
                left: LONGEST_SHOWN,
            };
            serde_json::to_writer(&mut counter, other).is_err()
        }
    }
}

/// Counts the characters written to it, and fails past its allowance.
struct Counter {
    left: usize,
}

impl std::io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        // Every byte of UTF-8 but a continuation byte starts a character.
        let chars = bytes.iter().filter(|b| **b & 0xC0 != 0x80).count();
        self.left = self
            .left
            .checked_sub(chars)
            .ok_or_else(|| std::io::Error::other("longer than shown"))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn digits(text: &str) -> usize {
        text.chars().filter(char::is_ascii_digit).count()
    }

    #[test]
    fn a_card_number_shows_at_most_its_first_six_and_last_four_digits() {
        for (pan, masked) in [
            ("4751291234564821", "475129******4821"),
            ("4751 2912 3456 4821", "475129******4821"),
            ("4751-2912-3456-4821", "475129******4821"),
            ("4751291xxxxx4821", "475129******4821"),
            ("4751291234564821123", "475129*********1123"),
            ("1234567890123", "123456***0123"),
            ("123456789012", "********9012"),
            ("12345678", "****5678"),
            ("1234", "****"),
            ("", ""),
        ] {
            assert_eq!(Secret::Pan.mask(pan), masked, "{pan}");
        }
        // However long, a bounded mask, and never more than 6 + 4 digits.
        let long = "1".repeat(10_000);
        let masked = Secret::Pan.mask(&long);
        assert_eq!(masked, "111111*********…1111");
        for n in 0..40 {
            let pan = "9".repeat(n);
            let shown = digits(&Secret::Pan.mask(&pan));
            assert!(shown <= 10, "{n}: {shown}");
            // Three digits or more always hide; a PAN of fewer than 8 shows none.
            assert!(
                if n < 8 { shown == 0 } else { shown + 3 <= n },
                "{n}: {shown}"
            );
        }
    }

    #[test]
    fn an_iban_shows_its_first_four_and_last_four_characters() {
        for (iban, masked) in [
            ("GB29NWBK60161331926819", "GB29…6819"),
            ("GB29 NWBK 6016 1331 9268 19", "GB29…6819"),
            ("NO9386011117947", "NO93…7947"),
            ("GB00NWBK", "GB00…"),
            ("GB", "GB…"),
        ] {
            assert_eq!(Secret::Iban.mask(iban), masked, "{iban}");
        }
        assert_eq!(Secret::Iban.mask(&"A".repeat(10_000)), "AAAA…AAAA");
    }

    #[test]
    fn long_text_keeps_its_start() {
        assert_eq!(shorten(&"a".repeat(64)), "a".repeat(64));
        assert_eq!(shorten(&"é".repeat(65)), format!("{}…", "é".repeat(24)));
    }

    const SITES: [Site; 3] = [
        Site::new("/items/*/iban", "/k/0", Rule::Iban),
        Site::new("/items/*/maskedPan", "/k/1", Rule::MaskedPan),
        Site::new("/items/*/bic", "/k/2", Rule::Bic),
    ];

    fn shown(pointer: &str, value: &Value) -> Option<String> {
        Redaction::new(&SITES, &Options::default())
            .unwrap()
            .value(pointer, value)
    }

    #[test]
    fn values_show_as_they_are_unless_secret_or_long() {
        let account = json!({"bic": "NWBKGB2L", "name": "Main"});
        assert_eq!(shown("/items/0", &account), None);
        assert_eq!(shown("/items/0/bic", &json!("NWBKGB2L")), None);
        assert_eq!(
            shown("/items/0/iban", &json!("GB29NWBK60161331926819")).as_deref(),
            Some("\"GB29…6819\"")
        );
        assert_eq!(
            shown("/items/3/maskedPan", &json!(4751291234564821u64)).as_deref(),
            Some("475129******4821")
        );
        // Inside a secret: masked as the secret is.
        assert_eq!(
            shown("/items/0/maskedPan/0", &json!("4751291234564821")).as_deref(),
            Some("\"475129******4821\"")
        );
        // Above secrets: each masked where it stands.
        let account = json!({"iban": "GB29NWBK60161331926819", "maskedPan": null});
        assert_eq!(
            shown("/items/1", &account).as_deref(),
            Some(r#"{"iban":"GB29…6819","maskedPan":null}"#)
        );
        let list = json!({"items": [{"maskedPan": "4751291234564821"}]});
        assert_eq!(
            shown("", &list).as_deref(),
            Some(r#"{"items":[{"maskedPan":"475129******4821"}]}"#)
        );
        // A secret that is an object hides its container.
        assert_eq!(
            shown("/items/0", &json!({"iban": {"x": 1}})).as_deref(),
            Some("{…}")
        );
        // Long values, secret or not.
        let long = "x".repeat(65);
        assert_eq!(
            shown("/items/0/bic", &json!(long)).as_deref(),
            Some(format!("\"{}…\"", "x".repeat(24)).as_str())
        );
        let account = json!({"bic": "NWBKGB2L", "name": "x".repeat(50)});
        assert_eq!(shown("/items/0", &account).as_deref(), Some("{…}"));
        assert_eq!(shown("/items", &json!([account])).as_deref(), Some("[…]"));
        // Other paths are apart from every site.
        assert_eq!(shown("/other/iban", &json!("GB29NWBK60161331926819")), None);
    }

    #[test]
    fn the_secrets_of_a_payload_are_listed_with_their_masks() {
        let payload = json!({"items": [
            {"iban": "GB29NWBK60161331926819", "maskedPan": null, "bic": "NWBKGB2L"},
            {"maskedPan": "4751 2912 3456 4821"}
        ]});
        let redaction = Redaction::new(&SITES, &Options::default()).unwrap();
        assert_eq!(
            redaction.secrets(&payload),
            [
                ("/items/0/iban".to_owned(), "\"GB29…6819\"".to_owned()),
                (
                    "/items/1/maskedPan".to_owned(),
                    "\"475129******4821\"".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn show_values_turns_redaction_off() {
        assert!(Redaction::new(&SITES, &Options::default().show_values()).is_none());
        let site = &SITES[0];
        assert_eq!(
            Quoting::new(&SITES, site, &Options::default().show_values()),
            Quoting::Whole
        );
        // A second rule at a secret's place masks it too.
        let bic_there = Site::new("/items/*/iban", "/k/3", Rule::Bic);
        let sites = [SITES[0], bic_there];
        assert_eq!(
            Quoting::new(&sites, &bic_there, &Options::default()),
            Quoting::Masked(Secret::Iban)
        );
    }
}
