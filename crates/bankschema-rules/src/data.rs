//! The code lists the rules check against, kept as data files beside this crate
//! (`data/*.tsv`), each headed by its source and the date it was read.

use std::sync::OnceLock;

const IBAN_LENGTHS: &str = include_str!("../data/iban-lengths.tsv");
const COUNTRIES: &str = include_str!("../data/countries.tsv");
const CURRENCIES: &str = include_str!("../data/currencies.tsv");

/// The length of an IBAN of `country`, when the IBAN registry knows the country.
pub fn iban_length(country: &str) -> Option<usize> {
    static TABLE: Table = OnceLock::new();
    index(&TABLE, IBAN_LENGTHS, 2).get(country)?.parse().ok()
}

/// Whether `code` is an ISO 3166-1 alpha-2 code.
pub fn is_country(code: &str) -> bool {
    static TABLE: Table = OnceLock::new();
    index(&TABLE, COUNTRIES, 2).get(code).is_some()
}

/// The name of the ISO 4217 currency `code`.
pub fn currency_name(code: &str) -> Option<&'static str> {
    static TABLE: Table = OnceLock::new();
    index(&TABLE, CURRENCIES, 3).get(code)
}

type Table = OnceLock<Codes>;

/// A table's rows by code. Codes are two or three capital letters: a slot per
/// possible code makes a lookup one index, where the rules look codes up for every
/// account and balance of a payload.
struct Codes {
    width: usize,
    slots: Vec<Option<&'static str>>,
}

impl Codes {
    fn slot(width: usize, code: &str) -> Option<usize> {
        let bytes = code.as_bytes();
        if bytes.len() != width || !bytes.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        Some(
            bytes
                .iter()
                .fold(0, |at, b| at * 26 + usize::from(b - b'A')),
        )
    }

    fn get(&self, code: &str) -> Option<&'static str> {
        self.slots
            .get(Self::slot(self.width, code)?)
            .copied()
            .flatten()
    }
}

/// A table's rows by code, read once.
fn index(table: &'static Table, text: &'static str, width: usize) -> &'static Codes {
    table.get_or_init(|| {
        let mut slots = vec![None; 26usize.pow(width as u32)];
        for (code, rest) in rows(text) {
            if let Some(slot) = Codes::slot(width, code) {
                slots[slot] = Some(rest);
            }
        }
        Codes { width, slots }
    })
}

/// `code<TAB>rest` rows, without `#` comments.
fn rows(table: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    table
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| line.split_once('\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_hold_what_the_rules_lean_on() {
        assert_eq!(iban_length("GB"), Some(22));
        assert_eq!(iban_length("DE"), Some(22));
        assert_eq!(iban_length("NO"), Some(15));
        assert_eq!(iban_length("US"), None);
        assert!(is_country("GB") && is_country("DE") && !is_country("UK"));
        assert_eq!(
            currency_name("XXX").map(|n| n.contains("no currency")),
            Some(true)
        );
        assert!(currency_name("GBP").is_some() && currency_name("ABC").is_none());
        // Every row parses: no table has a malformed line.
        for table in [IBAN_LENGTHS, COUNTRIES, CURRENCIES] {
            let data = table
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty());
            assert_eq!(data.clone().count(), rows(table).count());
        }
        assert_eq!(rows(IBAN_LENGTHS).count(), 105);
        assert_eq!(rows(COUNTRIES).count(), 249);
        assert_eq!(rows(CURRENCIES).count(), 178);
        // Every code is two or three capitals, so each has its slot.
        for (table, width) in [(IBAN_LENGTHS, 2), (COUNTRIES, 2), (CURRENCIES, 3)] {
            assert!(rows(table).all(|(code, _)| Codes::slot(width, code).is_some()));
        }
        assert!(!is_country("gb") && !is_country("G") && currency_name("GBPX").is_none());
    }
}
