//! What the checks generated per schema call: patterns and formats on the fields of
//! a typed value.
//!
//! The generator writes, for each message, a function that reads a typed value
//! field by field and says whether it holds everything its schema asserts beyond
//! what the type proves already (and the prose rules). It is `parse`'s fast path,
//! so it may refuse more than the schema does (the full report then decides, and
//! it is only slower) but never accept less: every function here accepts a subset
//! of what the jsonschema crate accepts for the same keyword.

use std::sync::OnceLock;

// What else generated checks read, in one place.
pub use crate::typed::AsNode;
pub use crate::Nullable;
pub use bankschema_rules::{holds, holds_all, holds_within, indices, Finding, Findings};
pub use rust_decimal::Decimal;

/// A `pattern` of a schema, compiled on first use exactly as the jsonschema crate
/// compiles it with the `regex` engine: the ECMA 262 pattern translated by
/// `jsonschema-regex`, then an anchored sequence of classes matched without an
/// engine where it is one, else the `regex` crate (linear time).
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Compiled>>,
}

struct Compiled {
    /// The pattern as anchored sequences of classes, any of which may match
    /// (`^AB(C)?$` is `^AB$` or `^ABC$`); empty when it is not one.
    sequences: Vec<jsonschema_regex::Sequence>,
    regex: regex::Regex,
}

/// `translated` as the anchored sequences it is the union of: itself, or, when it
/// ends with one optional group (`^AB(C)?$`), the sequence without the group and
/// the one with it. Empty when any is not a sequence the crate matches without an
/// engine.
fn sequences(translated: &str) -> Vec<jsonschema_regex::Sequence> {
    let alternatives = match optional_tail(translated) {
        Some((head, group)) => vec![format!("{head}$"), format!("{head}{group}$")],
        None => vec![translated.to_owned()],
    };
    alternatives
        .iter()
        .map(|pattern| jsonschema_regex::Sequence::compile(pattern))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

/// `^AB(C)?$` as `("^AB", "C")`: a last group, optional, holding no group and no
/// alternation, right before the final anchor.
fn optional_tail(translated: &str) -> Option<(&str, &str)> {
    let body = translated.strip_suffix(")?$")?;
    let open = body.rfind('(')?;
    let (head, group) = (&body[..open], &body[open + 1..]);
    let plain = !group.contains(['(', ')', '|', '\\']) && !head.ends_with('\\');
    (plain && head.starts_with('^')).then_some((head, group))
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the schema writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether the pattern is found in `text` (JSON Schema patterns are not
    /// anchored unless they say so). `false` for a pattern that does not compile:
    /// the full report then says why (codegen compiles every schema, so only a
    /// hand-edited crate gets there).
    pub fn is_match(&self, text: &str) -> bool {
        let compiled = self.compiled.get_or_init(|| {
            let translated = jsonschema_regex::to_rust_regex(self.source).ok()?;
            let regex = regex::Regex::new(&translated).ok()?;
            Some(Compiled {
                sequences: sequences(&translated),
                regex,
            })
        });
        let Some(compiled) = compiled else {
            return false;
        };
        // Each sequence answers for ASCII text; anything else goes to the engine.
        let mut answers = compiled
            .sequences
            .iter()
            .map(|sequence| sequence.is_match(text.as_bytes()));
        match answers.try_fold(false, |any, answer| answer.map(|matched| any || matched)) {
            Some(matched) if !compiled.sequences.is_empty() => matched,
            _ => compiled.regex.is_match(text),
        }
    }
}

/// `format: date`: an RFC 3339 `full-date`, `2024-02-29`.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..]))
    else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `format: date-time`: an RFC 3339 `date-time`, `2024-03-01T09:30:00.5+01:00`.
///
/// Stricter than the format in one place only: a leap second (`:60`), valid only
/// at 23:59 UTC, is refused here and left to the full report.
pub fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') || !is_date(&text[..10]) {
        return false;
    }
    let time = &b[11..];
    if time[2] != b':' || time[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(&time[..2]), digits(&time[3..5]), digits(&time[6..8]))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            matches!((digits(&[*h1, *h2]), digits(&[*m1, *m2])), (Some(h), Some(m)) if h <= 23 && m <= 59)
        }
        _ => false,
    }
}

/// The number written by ASCII digits alone.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `minLength`/`maxLength` count characters (code points), not bytes.
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_searched_as_the_jsonschema_crate_searches_them() {
        let currency = Pattern::new("^[A-Z]{3}$");
        assert!(currency.is_match("GBP"));
        assert!(!currency.is_match("GBPX"));
        assert!(!currency.is_match("gbp"));
        // Not anchored: found anywhere.
        let digit = Pattern::new("[0-9]");
        assert!(digit.is_match("ab1"));
        assert!(!digit.is_match("abc"));
        // ECMA 262 `\d` is ASCII only, as the crate translates it.
        let ecma = Pattern::new(r"^\d+$");
        assert!(ecma.is_match("123"));
        assert!(!ecma.is_match("١٢٣"));
        let bic = Pattern::new("^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$");
        assert!(bic.is_match("NWBKGB2L"));
        assert!(bic.is_match("DEUTDEFF500"));
        assert!(!bic.is_match("NWBKGB2O"));
        assert!(
            !Pattern::new("(?<=a)b").is_match("ab"),
            "look-behind does not compile: refused"
        );
    }

    #[test]
    fn an_optional_last_group_is_matched_as_two_sequences_exactly_as_the_engine_would() {
        let translated = "^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$";
        assert_eq!(
            optional_tail(translated),
            Some(("^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]", "[A-Z0-9]{3}"))
        );
        assert_eq!(sequences(translated).len(), 2);
        for not_a_tail in ["^a(b|c)?$", "^a((b))?$", r"^a\(b)?$", "a(b)?$", "^(a)?b$"] {
            assert_eq!(optional_tail(not_a_tail), None, "{not_a_tail}");
        }
        // Strings over a small alphabet, short ones all and long ones from a
        // valid start: the same answer as the regex engine alone.
        let bic = Pattern::new(translated);
        let engine = regex::Regex::new(translated).unwrap();
        let alphabet = ['A', 'Z', '2', '0', 'O', 'a', 'é'];
        let mut texts = vec![String::new(), "AZAZAZ".to_owned()];
        for _ in 0..6 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.chars().count() < 12)
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .filter(|t| t.chars().count() < 4 || t.starts_with("AZAZAZ"))
                .collect();
            texts.extend(longer);
            texts.sort();
            texts.dedup();
        }
        assert!(texts.len() > 10_000, "{}", texts.len());
        for text in ["NWBKGB2L", "DEUTDEFF500", "NWBKGB2LXX", "NWBKGB2L0000"]
            .iter()
            .map(|t| t.to_string())
            .chain(texts)
        {
            assert_eq!(bic.is_match(&text), engine.is_match(&text), "{text}");
        }
    }

    #[test]
    fn dates_and_date_times_follow_rfc_3339_and_refuse_what_the_format_refuses() {
        for good in ["2024-02-29", "2023-12-31", "0001-01-01"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "2024-1-01",
            "2024/01/01",
            "２０２４-01-01",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        for good in [
            "2024-03-01T09:30:00Z",
            "2024-03-01t09:30:00z",
            "2024-03-01T10:30:00.500+01:00",
            "2024-03-01T09:30:00.123456789-05:30",
        ] {
            assert!(is_date_time(good), "{good}");
        }
        for bad in [
            "2024-03-01T09:30:00",
            "2024-03-01 09:30:00Z",
            "2024-03-01T24:00:00Z",
            "2024-03-01T09:60:00Z",
            "2024-03-01T09:30:00.Z",
            "2024-03-01T09:30:00+0100",
            "2024-03-01T09:30:00+24:00",
            "2024-02-30T09:30:00Z",
            // A leap second: left to the full report.
            "2016-12-31T23:59:60Z",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn every_date_time_accepted_here_is_accepted_by_the_jsonschema_crate() {
        let schema = serde_json::json!({"format": "date-time"});
        let validator: jsonschema::Validator = crate::compile(&schema).unwrap();
        let date = serde_json::json!({"format": "date"});
        let date_validator: jsonschema::Validator = crate::compile(&date).unwrap();
        // Every variation of a few seeds, one byte at a time.
        let seeds = [
            "2024-02-29T23:59:59.9+23:59",
            "1999-12-31T00:00:00Z",
            "2000-02-29",
        ];
        let alphabet = b"0123456789-:+.TtZz x";
        for seed in seeds {
            for i in 0..seed.len() {
                for &c in alphabet {
                    let mut bytes = seed.as_bytes().to_vec();
                    bytes[i] = c;
                    let text = String::from_utf8(bytes).unwrap();
                    let value = serde_json::Value::String(text.clone());
                    if is_date_time(&text) {
                        assert!(validator.is_valid(&value), "{text}");
                    }
                    if is_date(&text) {
                        assert!(date_validator.is_valid(&value), "{text}");
                    }
                }
            }
        }
    }
}
