//! Rules on one identifier at a time: IBAN, BIC, currency code, UK sort code and
//! account number, masked card number. Values that are not strings are left to the
//! schema, which reports their type.

use crate::data;
use crate::walk::Match;
use crate::{Node, Out};

/// ISO 13616: known country, that country's length, mod-97 check digits. Written by
/// hand rather than with an IBAN crate so that each breach says what was expected
/// (the country's length) and so the registry is a data file we can date.
pub fn iban<'a, N: Node<'a>>(matches: &[Match<'a, N>], out: &mut Out<'_>) {
    for (found, iban) in strings(matches) {
        if let Err(what) = check_iban(iban) {
            out.report(&found.pointer(), |out| {
                format!("{} is not a valid IBAN: {what}", out.quote(iban))
            });
        }
    }
}

fn check_iban(iban: &str) -> Result<(), String> {
    if let Some(c) = iban
        .chars()
        .find(|c| !c.is_ascii_uppercase() && !c.is_ascii_digit())
    {
        return Err(format!(
            "found {c:?}; an IBAN in electronic format holds only upper-case letters and digits"
        ));
    }
    let country = iban.get(..2).unwrap_or(iban);
    if country.len() < 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err("it does not start with a two-letter country code".into());
    }
    let expected = data::iban_length(country)
        .ok_or_else(|| format!("`{country}` is not a country of the SWIFT IBAN registry"))?;
    if iban.len() != expected {
        return Err(format!(
            "a {country} IBAN has {expected} characters, this one has {}",
            iban.len()
        ));
    }
    if !iban[2..4].bytes().all(|b| b.is_ascii_digit()) {
        return Err("characters 3-4 are not check digits".into());
    }
    let remainder = mod_97(&iban[4..], &iban[..4]);
    if remainder != 1 {
        return Err(format!(
            "the check digits do not match: the mod-97 remainder is {remainder}, not 1"
        ));
    }
    Ok(())
}

/// The remainder modulo 97 of `rest` then `head`, letters counted as 10 to 35,
/// computed digit by digit so that no number grows past `u32`.
fn mod_97(rest: &str, head: &str) -> u32 {
    // Reduced only when the sum nears `u64`'s limit: the remainder is the same.
    let mut acc: u64 = 0;
    for c in rest.chars().chain(head.chars()) {
        let value = u64::from(c.to_digit(36).unwrap_or(0));
        acc = acc * if value >= 10 { 100 } else { 10 } + value;
        if acc >= 1 << 56 {
            acc %= 97;
        }
    }
    (acc % 97) as u32
}

/// ISO 9362: 8 or 11 characters, characters 5-6 an ISO 3166-1 country. `XK`
/// (Kosovo) is accepted too: it is not assigned in ISO 3166-1, but SWIFT, the ISO
/// 9362 registration authority, issues BICs with it.
pub fn bic<'a, N: Node<'a>>(matches: &[Match<'a, N>], out: &mut Out<'_>) {
    for (found, bic) in strings(matches) {
        let chars = bic.chars().count();
        if chars != 8 && chars != 11 {
            out.report(&found.pointer(), |out| {
                format!(
                    "{} has {chars} characters; a BIC has 8 or 11",
                    out.quote(bic)
                )
            });
            continue;
        }
        let country = bic.get(4..6).unwrap_or("");
        if country != "XK" && !data::is_country(country) {
            out.report(&found.pointer(), |out| {
                format!(
                    "{}: characters 5-6 `{country}` are not an ISO 3166-1 country code",
                    out.quote(bic)
                )
            });
        }
    }
}

/// ISO 4217: an assigned alphabetic code; `XXX` (no currency) only where the field
/// may describe a multi-currency account.
pub fn currency<'a, N: Node<'a>>(
    matches: &[Match<'a, N>],
    multi_currency: bool,
    out: &mut Out<'_>,
) {
    for (found, code) in strings(matches) {
        match data::currency_name(code) {
            None => out.report(
                &found.pointer(),
                |out| format!("{} is not an assigned ISO 4217 currency code", out.quote(code)),
            ),
            Some(_) if code == "XXX" && !multi_currency => out.report(
                &found.pointer(),
                |_| "`XXX` (no currency) is allowed only for multi-currency accounts, and this field is not one".into(),
            ),
            Some(_) => {}
        }
    }
}

/// Exactly `count` ASCII digits.
pub fn digits<'a, N: Node<'a>>(
    matches: &[Match<'a, N>],
    count: usize,
    what: &str,
    out: &mut Out<'_>,
) {
    for (found, text) in strings(matches) {
        if text.len() != count || !text.bytes().all(|b| b.is_ascii_digit()) {
            out.report(&found.pointer(), |out| {
                format!("{} is not {what}: expected {count} digits", out.quote(text))
            });
        }
    }
}

/// PCI DSS: no more than the first six and the last four digits may show. Spaces
/// and hyphens separate groups; any other character that is not a digit masks one.
pub fn masked_pan<'a, N: Node<'a>>(matches: &[Match<'a, N>], out: &mut Out<'_>) {
    for (found, pan) in strings(matches) {
        if let Err(what) = check_masked_pan(pan) {
            out.report(&found.pointer(), |out| {
                format!("{}: {what}", out.quote(pan))
            });
        }
    }
}

fn check_masked_pan(pan: &str) -> Result<(), String> {
    let shown: Vec<bool> = pan
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .map(|c| c.is_ascii_digit())
        .collect();
    let leading = shown.iter().take_while(|digit| **digit).count();
    if leading == shown.len() {
        // Nothing masked: only a last-four on its own can be shown whole.
        return if leading <= 4 {
            Ok(())
        } else {
            Err(format!("all {leading} digits show, none is obscured"))
        };
    }
    let trailing = shown.iter().rev().take_while(|digit| **digit).count();
    let middle = shown.len() - leading - trailing;
    let in_middle = shown[leading..leading + middle]
        .iter()
        .filter(|d| **d)
        .count();
    if in_middle > 0 {
        return Err(format!(
            "{in_middle} digit(s) show between the masked ones; only the first six and last four may"
        ));
    }
    if leading > 6 {
        return Err(format!("the first {leading} digits show; at most six may"));
    }
    if trailing > 4 {
        return Err(format!("the last {trailing} digits show; at most four may"));
    }
    Ok(())
}

/// The matches that are strings, with their pointers.
fn strings<'m, 'a: 'm, N: Node<'a>>(
    matches: &'m [Match<'a, N>],
) -> impl Iterator<Item = (&'m Match<'a, N>, &'a str)> {
    matches.iter().filter_map(|m| Some((m, m.value.as_str()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_are_checked_for_country_length_and_check_digits() {
        assert_eq!(check_iban("GB29NWBK60161331926819"), Ok(()));
        assert_eq!(check_iban("DE89370400440532013000"), Ok(()));
        assert_eq!(check_iban("NO9386011117947"), Ok(()));
        assert!(check_iban("GB28NWBK60161331926819")
            .unwrap_err()
            .contains("remainder is"));
        assert_eq!(
            check_iban("GB29NWBK6016133192681").unwrap_err(),
            "a GB IBAN has 22 characters, this one has 21"
        );
        assert!(check_iban("US29NWBK60161331926819")
            .unwrap_err()
            .contains("`US`"));
        assert!(check_iban("GB29 NWBK").unwrap_err().contains("' '"));
        assert!(check_iban("gb29nwbk60161331926819").is_err());
        assert!(check_iban("").is_err() && check_iban("G").is_err());
        assert!(check_iban("GBXXNWBK60161331926819")
            .unwrap_err()
            .contains("check digits"));
    }

    #[test]
    fn masked_pans_show_at_most_six_then_four() {
        for ok in [
            "411111xxxxxx1111",
            "****-****-****-1234",
            "1234",
            "411111******",
            "xxxx",
        ] {
            assert_eq!(check_masked_pan(ok), Ok(()), "{ok}");
        }
        for (bad, what) in [
            ("4111111xxxxx1111", "first 7"),
            ("411111xxxxx11111", "last 5"),
            ("4111xx1xxxxx1111", "between"),
            ("4111111111111111", "none is obscured"),
        ] {
            assert!(check_masked_pan(bad).unwrap_err().contains(what), "{bad}");
        }
    }

    #[test]
    fn mod_97_handles_letters_and_long_numbers() {
        assert_eq!(mod_97("NWBK60161331926819", "GB29"), 1);
        assert_eq!(mod_97("", "00"), 0);
    }
}
