//! (e) The verdict: the validated path through each reader against
//! `bankschema_validator::validate` on the repository's examples, on thousands of
//! mutants of them, and on payloads chosen where JSON readers are known to differ;
//! and what an accepted payload is written back as, against `parse`'s value.

use crate::readers::{validated, Reader};
use bankschema_validator::{validate, SchemaId};
use std::path::Path;

/// One payload to judge.
pub struct Payload {
    pub id: SchemaId,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// How one reader's validated path fared.
#[derive(Default)]
pub struct Tally {
    pub payloads: usize,
    /// Accepted where the report refuses, or refused where it accepts.
    pub verdicts_differ: Vec<String>,
    /// Accepted by both, written back otherwise than `parse`'s value.
    pub values_differ: Vec<String>,
}

/// Every example under `schemas/examples/<id>/{valid,invalid}`.
pub fn examples() -> Result<Vec<Payload>, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/examples");
    let mut payloads = Vec::new();
    for id in SchemaId::ALL {
        for kind in ["valid", "invalid"] {
            let dir = root.join(id.as_str()).join(kind);
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|e| e == "json"))
                .collect();
            files.sort();
            for path in files {
                let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let stem = path.file_stem().unwrap_or_default().to_string_lossy();
                payloads.push(Payload {
                    id,
                    name: format!("{id}/{kind}/{stem}"),
                    bytes,
                });
            }
        }
    }
    Ok(payloads)
}

/// Bytes a mutation inserts or puts in place: JSON's own, and bytes readers are
/// known to treat differently (form feed, DEL, a BOM's first byte, UTF-8 cut short).
const BYTES: &[u8] = b"\"\\,:{}[]0-.eE+ \n\t\x0c\x7f\xef\xc3\xff\x00nu/";

/// `count` mutants of each example: a byte removed, put in place or inserted, a
/// line doubled (a repeated key, in pretty-printed JSON) or removed.
pub fn mutants(examples: &[Payload], count: usize) -> Vec<Payload> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    let mut out = Vec::new();
    for example in examples {
        for n in 0..count {
            let mut bytes = example.bytes.clone();
            let at = next(bytes.len());
            match next(5) {
                0 => {
                    bytes.remove(at);
                }
                1 => bytes[at] = BYTES[next(BYTES.len())],
                2 => bytes.insert(at, BYTES[next(BYTES.len())]),
                3 | 4 => {
                    let start = bytes[..at]
                        .iter()
                        .rposition(|b| *b == b'\n')
                        .map_or(0, |i| i + 1);
                    let end = bytes[at..]
                        .iter()
                        .position(|b| *b == b'\n')
                        .map_or(bytes.len(), |i| at + i + 1);
                    let line: Vec<u8> = bytes[start..end].to_vec();
                    if next(2) == 0 {
                        bytes.splice(start..start, line);
                    } else {
                        bytes.drain(start..end);
                    }
                }
                _ => {}
            }
            out.push(Payload {
                id: example.id,
                name: format!("{} mutant {n}", example.name),
                bytes,
            });
        }
    }
    out
}

/// An account list of one account with the required members and `more`.
fn account(more: &str) -> Vec<u8> {
    format!(r#"{{"items":[{{"id":"a","accountNumber":"1","currency":"GBP","balance":1{more}}}]}}"#)
        .into_bytes()
}

/// Members added to one account where JSON readers are known to differ.
const MEMBERS: [(&str, &str); 24] = [
    ("lone surrogate in a name", r#","name":"\ud800""#),
    (
        "lone surrogate in an unknown member",
        r#","zeta":"\udc00x""#,
    ),
    ("surrogate pair", r#","name":"\ud83d\ude00""#),
    ("escaped member name", r#","n\u0061me":"x""#),
    (
        "escaped name repeating a member",
        r#","name":"x","n\u0061me":"y""#,
    ),
    ("NUL escaped", r#","name":"\u0000""#),
    ("raw control character", ",\"name\":\"a\x01b\""),
    ("form feed as space", ",\x0c\"name\":\"x\""),
    ("leading zero amount", r#","overdraftLimit":01"#),
    ("amount 1.", r#","overdraftLimit":1."#),
    ("amount -", r#","overdraftLimit":-"#),
    ("amount 1e400", r#","overdraftLimit":1e400"#),
    (
        "amount 29 digits",
        r#","overdraftLimit":1234567890123456789012345678.9"#,
    ),
    ("unknown 1e400", r#","zeta":1e400"#),
    ("unknown 2^64", r#","zeta":18446744073709551616"#),
    ("trailing comma", ","),
    ("comment", "/* c */"),
    ("single quotes", ",'name':'x'"),
    ("NaN", r#","zeta":NaN"#),
    ("escaped slash and unicode", r#","name":"a\/b\u00e9""#),
    ("invalid escape", r#","name":"\x""#),
    ("bool as string", r#","isDefaultAccount":"true""#),
    ("null where not nullable", r#","accountNumber":null"#),
    ("string amount", r#","overdraftLimit":"1""#),
];

/// Payloads where JSON readers are known to differ.
pub fn edge_cases() -> Vec<Payload> {
    let mut cases: Vec<(String, Vec<u8>)> = MEMBERS
        .iter()
        .map(|(name, members)| (name.to_string(), account(members)))
        .collect();
    let invalid_utf8 = account(",\"name\":\"\u{1}\"")
        .into_iter()
        .map(|b| if b == 1 { 0xff } else { b })
        .collect();
    cases.extend([
        ("invalid UTF-8".into(), invalid_utf8),
        ("BOM".into(), [&b"\xef\xbb\xbf"[..], &account("")].concat()),
        (
            "trailing bytes".into(),
            [account(""), b" x".to_vec()].concat(),
        ),
        ("two documents".into(), [account(""), account("")].concat()),
        ("empty".into(), Vec::new()),
    ]);
    // An unknown member of an account, nested so that the document is 127 to 131
    // deep: the reports refuse 128 and deeper.
    for depth in 124..=128 {
        let nested = format!(",\"zeta\":{}{}", "[".repeat(depth), "]".repeat(depth));
        cases.push((format!("unknown member {depth} deep"), account(&nested)));
    }
    cases
        .into_iter()
        .map(|(name, bytes)| Payload {
            id: SchemaId::GetAccountsOutput,
            name,
            bytes,
        })
        .collect()
}

/// The validated path through `reader` on every payload, against the report's
/// verdict and `parse`'s value.
pub fn tally(reader: Reader, payloads: &[Payload]) -> Tally {
    let mut tally = Tally::default();
    for payload in payloads {
        tally.payloads += 1;
        let report = validate(payload.id, &payload.bytes);
        let ours = validated(reader, payload.id, &payload.bytes);
        if ours.is_ok() != report.is_valid() {
            let said = if ours.is_ok() { "accepted" } else { "refused" };
            tally
                .verdicts_differ
                .push(format!("{} ({said})", payload.name));
            continue;
        }
        if let (Ok(written), Ok(reference)) = (
            &ours,
            bankschema_validator::parse(payload.id, &payload.bytes),
        ) {
            if *written != serde_json::to_string(&reference).unwrap_or_default() {
                tally.values_differ.push(payload.name.clone());
            }
        }
    }
    tally
}
