//! JSON numbers judged on their text, exactly: `12345678901234567.89` is not an
//! integer, `-1e-400` is below `0`, and `0.3` is a multiple of `0.1`, where `f64`
//! says otherwise.
//!
//! Written by hand: the crates that hold any decimal exactly (`bigdecimal` on
//! `num-bigint`) parse in time quadratic in the digits, which a hostile payload of a
//! million digits turns into minutes. Everything here reads each digit a bounded
//! number of times and allocates nothing.

use std::cmp::Ordering;

/// A JSON number as `±0.D × 10^point`: `D` its significant digits, without leading
/// or trailing zeros (spread over two slices of the text: before and after the
/// decimal point). Zero has no digits.
#[derive(Clone, Copy, Debug)]
pub struct Exact<'a> {
    negative: bool,
    head: &'a [u8],
    tail: &'a [u8],
    point: i64,
}

/// Exponents beyond this (2^60, about 10^18) are held at it. A number so written
/// still compares rightly with every number whose exponent is within it (`1e-10^20`
/// is above zero and below every other positive number here); two numbers both
/// beyond it compare by their digits alone. `1e+10^20` is refused before any
/// comparison (no float holds it); only such tiny numbers reach here.
const EXPONENT_LIMIT: i64 = 1 << 60;

impl<'a> Exact<'a> {
    /// `text` as a number, or `None` when it is not a JSON number.
    pub fn parse(text: &'a str) -> Option<Exact<'a>> {
        let bytes = text.as_bytes();
        let (negative, bytes) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        let (mantissa, exponent) = match bytes.iter().position(|b| matches!(b, b'e' | b'E')) {
            Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
            None => (bytes, None),
        };
        let (int, frac) = match mantissa.iter().position(|&b| b == b'.') {
            Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
            None => (mantissa, &[][..]),
        };
        let digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
        if int.is_empty()
            || !digits(int)
            || !digits(frac)
            || (mantissa.len() > int.len() && frac.is_empty())
        {
            return None;
        }
        let exponent = match exponent {
            None => 0,
            Some(text) => {
                let (sign, digits_part) = match text.split_first() {
                    Some((b'-', rest)) => (-1, rest),
                    Some((b'+', rest)) => (1, rest),
                    _ => (1, text),
                };
                if digits_part.is_empty() || !digits(digits_part) {
                    return None;
                }
                let magnitude = digits_part.iter().fold(0i64, |n, d| {
                    n.saturating_mul(10)
                        .saturating_add(i64::from(d - b'0'))
                        .min(EXPONENT_LIMIT)
                });
                sign * magnitude
            }
        };
        // Leading zeros move the point; trailing zeros only end the digits.
        let lead_int = int.iter().take_while(|&&b| b == b'0').count();
        let (head, tail, shift) = if lead_int < int.len() {
            (&int[lead_int..], frac, len(int) - len(&int[..lead_int]))
        } else {
            let lead_frac = frac.iter().take_while(|&&b| b == b'0').count();
            (&frac[lead_frac..], &[][..], -len(&frac[..lead_frac]))
        };
        let (head, tail) = match tail.iter().rposition(|&b| b != b'0') {
            Some(last) => (head, &tail[..=last]),
            None => (trim_end(head), &[][..]),
        };
        let point = if head.is_empty() {
            0
        } else {
            exponent
                .saturating_add(shift)
                .clamp(-EXPONENT_LIMIT, EXPONENT_LIMIT)
        };
        Some(Exact {
            negative: negative && !head.is_empty(),
            head,
            tail,
            point,
        })
    }

    /// Whether the number is zero (`0`, `-0.0`, `0e5`).
    pub fn is_zero(&self) -> bool {
        self.head.is_empty()
    }

    fn digit_count(&self) -> i64 {
        len(self.head) + len(self.tail)
    }

    fn digits(&self) -> impl Iterator<Item = u8> + 'a {
        self.head.iter().chain(self.tail).map(|d| d - b'0')
    }

    /// Whether the number has no fractional part (`1.0`, `1e2`, `0.1e1` do not).
    pub fn is_integer(&self) -> bool {
        self.is_zero() || self.point >= self.digit_count()
    }

    /// The number as an `i64`, when it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        if !self.is_integer() || self.point > 19 {
            return None;
        }
        let mut value: i128 = 0;
        for digit in self.digits() {
            value = value * 10 + i128::from(digit);
        }
        for _ in self.digit_count()..self.point {
            value *= 10;
        }
        i64::try_from(if self.negative { -value } else { value }).ok()
    }

    /// The number in one spelling per value: plain digits (`100`, `0.5`, `-0.001`)
    /// unless that takes more than 40 zeros, then `1e+400` as serde_json writes it.
    pub fn normalized(&self) -> String {
        if self.is_zero() {
            return "0".to_owned();
        }
        let digits: String = self.digits().map(|d| char::from(b'0' + d)).collect();
        let count = self.digit_count();
        let sign = if self.negative { "-" } else { "" };
        if self.point > count && self.point - count <= 40 {
            let zeros = "0".repeat(usize::try_from(self.point - count).unwrap_or(0));
            format!("{sign}{digits}{zeros}")
        } else if self.point > 0 && self.point <= count {
            let (whole, fraction) = digits.split_at(usize::try_from(self.point).unwrap_or(0));
            match fraction {
                "" => format!("{sign}{whole}"),
                _ => format!("{sign}{whole}.{fraction}"),
            }
        } else if self.point <= 0 && -self.point <= 40 {
            let zeros = "0".repeat(usize::try_from(-self.point).unwrap_or(0));
            format!("{sign}0.{zeros}{digits}")
        } else {
            let (first, rest) = digits.split_at(1);
            let dot = if rest.is_empty() { "" } else { "." };
            let exponent = self.point - 1;
            let plus = if exponent >= 0 { "+" } else { "" };
            format!("{sign}{first}{dot}{rest}e{plus}{exponent}")
        }
    }

    /// Whether the number is a multiple of `step` (positive, at most 19
    /// significant digits: see [`Step`]).
    pub fn is_multiple_of(&self, step: &Step) -> bool {
        if self.is_zero() {
            return true;
        }
        // self = X × 10^a, step = S × 10^b with X and S free of trailing zeros:
        // self / step = (X / S) × 10^(a - b). With a < b, S × 10^(b - a) ends in a
        // zero that X does not: not a multiple.
        let a = self.point.saturating_sub(self.digit_count());
        let Some(shift) = a.checked_sub(step.exponent).filter(|k| *k >= 0) else {
            return false;
        };
        let modulus = u128::from(step.digits);
        let remainder = self
            .digits()
            .fold(0u128, |r, d| (r * 10 + u128::from(d)) % modulus);
        (remainder * pow_mod(10, shift, modulus)).is_multiple_of(modulus)
    }
}

/// A `multipleOf` as `digits × 10^exponent`.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    digits: u64,
    exponent: i64,
}

impl Step {
    /// `number` as a step: positive, with at most 19 significant digits (every
    /// `multipleOf` a real schema writes). `None` otherwise.
    pub fn new(number: &Exact<'_>) -> Option<Step> {
        if number.negative || number.is_zero() || number.digit_count() > 19 {
            return None;
        }
        let digits = number
            .digits()
            .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d)))?;
        Some(Step {
            digits,
            exponent: number.point.saturating_sub(number.digit_count()),
        })
    }

    /// The step as an `i64`, when it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        let mut value = i64::try_from(self.digits).ok()?;
        if self.exponent < 0 {
            return None;
        }
        for _ in 0..self.exponent {
            value = value.checked_mul(10)?;
        }
        Some(value)
    }
}

/// `base^exponent mod modulus` (`modulus` below 2^64, so products fit a `u128`).
fn pow_mod(base: u128, mut exponent: i64, modulus: u128) -> u128 {
    let mut result = 1 % modulus;
    let mut base = base % modulus;
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = result * base % modulus;
        }
        base = base * base % modulus;
        exponent >>= 1;
    }
    result
}

impl PartialEq for Exact<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Exact<'_> {}

impl PartialOrd for Exact<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |n: &Exact<'_>| match (n.is_zero(), n.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let (a, b) = (sign(self), sign(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let magnitude = self
            .point
            .cmp(&other.point)
            .then_with(|| self.digits().cmp(other.digits()));
        if self.negative {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

fn len(part: &[u8]) -> i64 {
    i64::try_from(part.len()).unwrap_or(i64::MAX)
}

fn trim_end(part: &[u8]) -> &[u8] {
    match part.iter().rposition(|&b| b != b'0') {
        Some(last) => &part[..=last],
        None => &[],
    }
}

/// Whether the JSON texts `a` and `b` are the same number (`1.0` and `1` are).
/// Texts that are not numbers are equal only as text.
pub fn same_number(a: &str, b: &str) -> bool {
    match (Exact::parse(a), Exact::parse(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// Whether two JSON values are equal as JSON Schema's `enum` and `const` count it:
/// numbers by the exact value of the number each `Value` holds (`1.0` is `1`),
/// objects whatever their members' order.
pub fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => same_number(&a.to_string(), &b.to_string()),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| same_json(a, b)))
        }
        _ => a == b,
    }
}

/// Whether `text` is a number no 64-bit float holds, as `1e400`: it overflows to
/// infinity. (`1e-400` is in range: it is judged exactly, as a tiny number.)
pub fn out_of_range(text: &str) -> bool {
    // Only an exponent or more than 308 digits can reach `f64::MAX`.
    (text.len() > 308 || text.contains(['e', 'E']))
        && text.parse::<f64>().is_ok_and(f64::is_infinite)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> Exact<'_> {
        Exact::parse(text).unwrap_or_else(|| panic!("{text} is a number"))
    }

    #[test]
    fn orders_numbers_by_their_exact_value() {
        let ascending = [
            "-1e400",
            "-12345678901234567.89",
            "-12345678901234567.8",
            "-1",
            "-0.10000000000000000001",
            "-0.1",
            "-1e-400",
            "0",
            "1e-400",
            "0.0999999999999999999999",
            "0.1",
            "1",
            "7776000",
            "7776000.000000000000001",
            "12345678901234567.89",
            "123456789012345678901234567890",
            "1e400",
        ];
        for (i, a) in ascending.iter().enumerate() {
            for (j, b) in ascending.iter().enumerate() {
                assert_eq!(exact(a).cmp(&exact(b)), i.cmp(&j), "{a} against {b}");
            }
        }
        for same in [
            ["0", "-0"],
            ["0", "0e10"],
            ["1", "1.000"],
            ["100", "1e2"],
            ["1", "0.1e1"],
            ["-0.5", "-5E-1"],
            ["120", "1.2e+2"],
        ] {
            assert!(same_number(same[0], same[1]), "{same:?}");
        }
    }

    #[test]
    fn writes_each_value_one_way() {
        for (text, normalized) in [
            ("1.0", "1"),
            ("1e2", "100"),
            ("-0.0", "0"),
            ("0.10", "0.1"),
            ("-12.50e-3", "-0.0125"),
            ("123.45", "123.45"),
            ("1e400", "1e+400"),
            ("-2.5e-400", "-2.5e-400"),
        ] {
            assert_eq!(exact(text).normalized(), normalized, "{text}");
        }
    }

    #[test]
    fn says_which_numbers_are_integers() {
        for integer in [
            "0",
            "-0",
            "1.0",
            "1e2",
            "0.1e1",
            "-7776000.000",
            "123456789012345678901234567890",
            "1e400",
            "1.5e1",
        ] {
            assert!(exact(integer).is_integer(), "{integer}");
        }
        for fraction in [
            "0.5",
            "12345678901234567.89",
            "7776000.000000000000001",
            "1e-400",
            "-1e-400",
            "1.55e1",
            "15e-1",
        ] {
            assert!(!exact(fraction).is_integer(), "{fraction}");
        }
        assert_eq!(exact("1.0").as_i64(), Some(1));
        assert_eq!(exact("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(exact("9223372036854775808").as_i64(), None);
        assert_eq!(exact("1e18").as_i64(), Some(1_000_000_000_000_000_000));
        assert_eq!(exact("1e19").as_i64(), None);
        assert_eq!(exact("0.5").as_i64(), None);
    }

    #[test]
    fn judges_multiples_exactly() {
        let step = |text| Step::new(&exact(text)).unwrap();
        let cases = [
            ("0.3", "0.1", true),
            ("0.30000000000000004", "0.1", false),
            ("1e308", "0.5", true),
            ("4.5", "1.5", true),
            ("4.6", "1.5", false),
            ("12345678901234567890", "10", true),
            ("12345678901234567891", "10", false),
            ("0", "0.0001", true),
            ("-0.0003", "0.0001", true),
            ("0.00001", "0.0001", false),
            ("1e-400", "0.01", false),
            ("1e99999999999999999999", "7", false),
            ("7e99999", "7", true),
            ("0.0075", "0.0025", true),
        ];
        for (number, by, multiple) in cases {
            assert_eq!(
                exact(number).is_multiple_of(&step(by)),
                multiple,
                "{number} by {by}"
            );
        }
        assert!(same_json(
            &serde_json::json!({"a": [1, 2.50]}),
            &serde_json::from_str(r#"{"a": [1.0, 2.5]}"#).unwrap()
        ));
        // Written, the two differ; a `Value` holds both as the same float.
        assert!(!same_number("12345678901234567.89", "12345678901234568"));
        assert!(Step::new(&exact("0")).is_none());
        assert!(Step::new(&exact("-2")).is_none());
        assert!(Step::new(&exact("12345678901234567890123")).is_none());
        assert_eq!(step("2").as_i64(), Some(2));
        assert_eq!(step("2e3").as_i64(), Some(2000));
        assert_eq!(step("0.5").as_i64(), None);
    }

    #[test]
    fn refuses_what_is_not_a_number_and_reads_long_ones_in_linear_time() {
        for text in [
            "", "-", "1.", ".5", "1e", "1e+", "a", "1.2.3", "--1", "1ee2",
        ] {
            assert!(Exact::parse(text).is_none(), "{text:?}");
        }
        let long = format!("0.{}1", "0".repeat(1_000_000));
        let tiny = exact(&long);
        assert!(tiny > exact("0") && tiny < exact("1e-999999") && !tiny.is_integer());
        assert!(out_of_range("1e400") && out_of_range("-1e400"));
        assert!(!out_of_range("1e-400") && !out_of_range("1e308") && !out_of_range("12"));
    }

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
            assert!(same_number(a, b), "{a} = {b}");
        }
        for (a, b) in [("1.1", "1.01"), ("-1", "1"), ("0.1", "0.10000000000000001")] {
            assert!(!same_number(a, b), "{a} != {b}");
        }
    }
}
