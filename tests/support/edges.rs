//! Payloads at the edges of the text: every number of a valid example written in
//! each form JSON allows for it (and some no float holds), a key repeated, a lone
//! surrogate. The library's tests and the command line's read the same ones.

use serde_json::Value;

/// How a number may be written, and numbers no `f64` reads exactly.
pub const NUMBER_FORMS: &[&str] = &[
    "1.0",
    "-0",
    "0.1e1",
    "1e2",
    "1E+2",
    "2.5e-1",
    "1e-400",
    "-1e-400",
    "0.30000000000000004",
    "12345678901234567.89",
    "7776000.000000000000001",
    "123456789012345678901234567890",
    "-123456789012345678901234567890",
    "123456789012345678901234567890.123",
    "1e400",
    "-1e400",
];

/// One edge payload.
pub struct Candidate {
    /// What was changed, for messages.
    pub what: String,
    pub bytes: Vec<u8>,
    /// Whether the text alone is refused (a number out of range, a repeated key,
    /// a lone surrogate), whatever the schema says.
    pub text_refused: bool,
}

const PLACEHOLDER: &str = "@@edge@@";

/// `example` with the value at `pointer` written as `text`, verbatim.
fn with_text(example: &Value, pointer: &str, text: &str) -> Vec<u8> {
    let mut copy = example.clone();
    if let Some(slot) = copy.pointer_mut(pointer) {
        *slot = Value::String(PLACEHOLDER.to_owned());
    }
    let json = serde_json::to_string_pretty(&copy).unwrap_or_default();
    json.replacen(&format!("\"{PLACEHOLDER}\""), text, 1)
        .into_bytes()
}

/// Every edge payload of `example`: each number in each of [`NUMBER_FORMS`];
/// the root's first member repeated; the first string with a lone surrogate.
pub fn candidates(example: &Value) -> Vec<Candidate> {
    let pointers = super::pointers::pointers(example);
    let mut found = Vec::new();
    for pointer in &pointers {
        if let Some(Value::Number(_)) = example.pointer(pointer) {
            for form in NUMBER_FORMS {
                found.push(Candidate {
                    what: format!("{form} at {pointer}"),
                    bytes: with_text(example, pointer, form),
                    text_refused: form.ends_with("e400"),
                });
            }
        }
    }
    if let Some((key, value)) = example.as_object().and_then(|o| o.iter().next()) {
        let rest = serde_json::to_string(example).unwrap_or_default();
        let repeated = format!(
            "{{{}: {},{}",
            Value::from(key.as_str()),
            value,
            rest.strip_prefix('{').unwrap_or_default()
        );
        found.push(Candidate {
            what: format!("`{key}` repeated"),
            bytes: repeated.into_bytes(),
            text_refused: true,
        });
    }
    if let Some(pointer) = pointers
        .iter()
        .find(|p| matches!(example.pointer(p), Some(Value::String(_))))
    {
        found.push(Candidate {
            what: format!("a lone surrogate at {pointer}"),
            bytes: with_text(example, pointer, r#""\ud800x""#),
            text_refused: true,
        });
    }
    found
}
