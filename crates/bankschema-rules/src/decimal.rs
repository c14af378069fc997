//! Exact equality of JSON numbers, for amounts of money.
//!
//! Written by hand: amounts arrive as JSON number text (`serde_json` keeps it with
//! `arbitrary_precision`), may exceed what `rust_decimal` holds (`1e400`), and the
//! rules only need equality, which a canonical form of the text gives exactly.

/// Sign, significant digits without leading or trailing zeros, and the power of ten
/// of the last digit. Zero is `(false, "", 0)` whatever its sign or spelling.
#[derive(Debug, PartialEq, Eq)]
struct Canonical {
    negative: bool,
    digits: String,
    exponent: i128,
}

/// Whether two JSON numbers, as written, are the same value: `1.10`, `1.1` and
/// `11e-1` are.
pub fn equal(a: &str, b: &str) -> bool {
    // The same text is the same number (callers pass the text of JSON numbers);
    // most amounts compared are written alike.
    if a == b && !a.is_empty() {
        return true;
    }
    match (canonical(a), canonical(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

fn canonical(text: &str) -> Option<Canonical> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i128>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{whole}{fraction}");
    if !all.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut exponent = exponent - fraction.len() as i128;
    let significant = all.trim_start_matches('0');
    let digits = significant.trim_end_matches('0');
    exponent += (significant.len() - digits.len()) as i128;
    if digits.is_empty() {
        return Some(Canonical {
            negative: false,
            digits: String::new(),
            exponent: 0,
        });
    }
    Some(Canonical {
        negative,
        digits: digits.to_owned(),
        exponent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_in_any_spelling_are_equal() {
        for (a, b) in [
            ("1.10", "1.1"),
            ("11e-1", "1.1"),
            ("100", "1E+2"),
            ("0", "-0.00"),
            ("12345678901234567.89", "1234567890123456789e-2"),
            ("1e400", "10e399"),
        ] {
            assert!(equal(a, b), "{a} = {b}");
        }
        for (a, b) in [("1.1", "1.01"), ("-1", "1"), ("0.1", "0.10000000000000001")] {
            assert!(!equal(a, b), "{a} != {b}");
        }
    }
}
