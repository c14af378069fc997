//! One verdict on numbers and on the text itself: every number of every valid
//! example, written in each form JSON allows (`1.0`, `-0`, `1e-400`, 30 digits,
//! `1e400`...), and each example with a key repeated and with a lone surrogate, is
//! judged the same by `validate`, `parse`, `deserialize` (written back) and
//! `validate_value`; and the cases the JSON Schema specification decides are
//! judged as it says, exactly.

mod support;

use bankschema_validator::{
    deserialize, parse, validate, validate_value, Integer, Kind, Report, SchemaId,
};
use serde_json::{json, Value};
use support::edges;

fn valid_examples(id: SchemaId) -> Vec<(String, Value)> {
    let dir = support::workspace_root()
        .join("schemas/examples")
        .join(id.as_str())
        .join("valid");
    let mut found: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|entry| {
                    let path = entry.unwrap().path();
                    let value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                    (path.display().to_string(), value)
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// Asserts that every path gives `candidate` one verdict; whether it is valid.
fn one_verdict(id: SchemaId, candidate: &edges::Candidate, origin: &str) -> bool {
    let what = format!("{id}: {} in {origin}", candidate.what);
    let bytes = &candidate.bytes;
    let report = validate(id, bytes);
    match parse(id, bytes) {
        Ok(_) => assert!(
            report.is_valid(),
            "{what}: parse accepted, the report says\n{report}"
        ),
        Err(refusal) => assert_eq!(refusal, report, "{what}"),
    }
    match deserialize(id, bytes) {
        Ok(typed) => {
            assert!(
                !candidate.text_refused,
                "{what}: deserialize accepted text the policy refuses"
            );
            // Written back, the same JSON: numbers compared by their text.
            let written = serde_json::to_vec(&typed).unwrap();
            assert!(
                support::same_text(&written, bytes),
                "{what}: the types changed the payload: {}",
                String::from_utf8_lossy(&written)
            );
        }
        Err(_) => assert!(
            !report.is_valid(),
            "{what}: valid, yet the types refuse it\n{report}"
        ),
    }
    if candidate.text_refused {
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.kind == Kind::Malformed && !d.instance_path.is_empty()),
            "{what}: no located refusal of the text\n{report}"
        );
    }
    // A `Value` holds each number as the nearest float (and cannot hold a repeated
    // key or a lone surrogate): it is judged as the JSON it writes.
    if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        let written = serde_json::to_vec(&value).unwrap();
        assert_eq!(validate_value(id, &value), validate(id, &written), "{what}");
    }
    report.is_valid()
}

#[test]
fn every_path_gives_one_verdict_on_every_edge_of_every_example() {
    let (mut checked, mut valid, mut refused) = (0, 0, 0);
    for id in SchemaId::ALL {
        for (path, example) in valid_examples(id) {
            for candidate in edges::candidates(&example) {
                valid += usize::from(one_verdict(id, &candidate, &path));
                checked += 1;
                refused += usize::from(candidate.text_refused);
            }
        }
    }
    // Both verdicts are reached often, or the test proves little.
    assert!(checked >= 800, "only {checked} payloads");
    assert!(
        valid * 5 >= checked && (checked - valid) * 5 >= checked,
        "{valid} of {checked} valid"
    );
    assert!(refused >= 50, "only {refused} refused for their text");
}

/// The same on payloads generated from each schema: every number of each in every
/// form, so that numeric fields no example holds are reached too.
#[test]
fn every_path_gives_one_verdict_on_every_edge_of_generated_payloads() {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut numbers = 0;
    for id in SchemaId::ALL {
        let root: Value = serde_json::from_str(id.json_schema()).unwrap();
        let strategy = support::payloads::Payloads {
            root: root.clone(),
            as_written: false,
        }
        .strategy(&root);
        // A fixed seed: CI gives the same verdict on every run.
        let mut runner = TestRunner::new_with_rng(
            Config {
                cases: 40,
                failure_persistence: None,
                ..Config::default()
            },
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        );
        let seen = std::cell::Cell::new(0);
        runner
            .run(&strategy, |payload| {
                for candidate in edges::candidates(&payload) {
                    one_verdict(id, &candidate, "a generated payload");
                    seen.set(seen.get() + 1);
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        numbers += seen.get();
    }
    assert!(numbers >= 2000, "only {numbers} payloads");
}

/// A consent of linked-accounts whose `expiresIn` (`integer`) is written `text`.
fn with_expires_in(text: &str) -> Vec<u8> {
    let example =
        support::valid_example(SchemaId::LinkedAccountsResponse, "full-uk-linked-account");
    let mut found = None;
    for pointer in support::pointers::pointers(&example) {
        if pointer.ends_with("/expiresIn") {
            found = Some(pointer);
            break;
        }
    }
    let pointer = found.expect("the example has a consent");
    let mut copy = example.clone();
    *copy.pointer_mut(&pointer).unwrap() = json!("@@");
    serde_json::to_string(&copy)
        .unwrap()
        .replacen("\"@@\"", text, 1)
        .into_bytes()
}

fn messages(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}\n", d.instance_path, d.message))
        .collect()
}

#[test]
fn integers_are_judged_on_their_text_and_read_whatever_their_form() {
    let id = SchemaId::LinkedAccountsResponse;
    for fraction in [
        "12345678901234567.89",
        "7776000.000000000000001",
        "0.5",
        "1e-400",
    ] {
        let report = validate(id, &with_expires_in(fraction));
        assert!(
            messages(&report).contains(&format!("{fraction} is not of type \"integer\"")),
            "{fraction}:\n{}",
            messages(&report)
        );
        assert!(parse(id, &with_expires_in(fraction)).is_err());
    }
    for integer in [
        "1.0",
        "-0",
        "1e2",
        "0.1e1",
        "123456789012345678901234567890",
    ] {
        let bytes = with_expires_in(integer);
        assert!(
            validate(id, &bytes).is_valid(),
            "{integer}: {}",
            messages(&validate(id, &bytes))
        );
        let payload = parse(id, &bytes).unwrap_or_else(|r| panic!("{integer}: {r}"));
        let written = serde_json::to_string(&payload).unwrap();
        assert!(
            written.contains(&format!("\"expiresIn\":{integer}")),
            "{integer}: {written}"
        );
    }
    let big: Integer = serde_json::from_str("123456789012345678901234567890").unwrap();
    assert_eq!(big.as_i64(), None);
}

/// A get-accounts output whose first account's `overdraftLimit` (money, `minimum:
/// 0`) is written `text`.
fn with_overdraft(text: &str) -> Vec<u8> {
    let mut example =
        support::valid_example(SchemaId::GetAccountsOutput, "business-savings-account-eur");
    example["items"][0]["overdraftLimit"] = json!("@@");
    serde_json::to_string(&example)
        .unwrap()
        .replacen("\"@@\"", text, 1)
        .into_bytes()
}

#[test]
fn bounds_and_money_are_judged_exactly_and_the_same_on_every_path() {
    let id = SchemaId::GetAccountsOutput;
    let report = validate(id, &with_overdraft("-1e-400"));
    assert!(
        messages(&report).contains("-1e-400 is less than the minimum of 0"),
        "{}",
        messages(&report)
    );
    // More digits than an exact amount holds: refused by the report and by `parse`
    // alike, never valid to one and refused by the other.
    for text in [
        "123456789012345678901234567890.123",
        "1e-400",
        "0.00000000000000000000000000001",
    ] {
        let report = validate(id, &with_overdraft(text));
        assert!(
            messages(&report).contains(&format!(
                "/items/0/overdraftLimit: {text} has more digits than an exact amount holds"
            )),
            "{text}:\n{}",
            messages(&report)
        );
        assert_eq!(parse(id, &with_overdraft(text)).unwrap_err(), report);
    }
    for fits in ["0", "-0", "0.0", "1e2", "1234567890123456789012345678"] {
        assert!(validate(id, &with_overdraft(fits)).is_valid(), "{fits}");
        assert!(parse(id, &with_overdraft(fits)).is_ok(), "{fits}");
    }
}

#[test]
fn the_text_policy_is_the_library_s_too_with_located_diagnostics() {
    let id = SchemaId::GetAccountsOutput;
    let repeated = br#"{"items": [], "items": [{"id": 1}]}"#;
    let report = validate(id, repeated);
    assert_eq!(report.diagnostics[0].instance_path, "/items");
    assert_eq!(report.diagnostics[0].kind, Kind::Malformed);
    assert!(
        report.diagnostics[0]
            .message
            .starts_with("duplicate key `items`"),
        "{report}"
    );
    assert_eq!(parse(id, repeated).unwrap_err(), report);
    assert!(deserialize(id, repeated).is_err());

    let surrogate = br#"{"items": [{"id": "\udc00"}]}"#;
    let report = validate(id, surrogate);
    assert_eq!(messages(&report), "/items/0/id: lone surrogate `\\udc00`: half of a UTF-16 pair, which no Unicode text holds\n");

    let huge = with_overdraft("1e400");
    let report = validate(id, &huge);
    assert_eq!(
        messages(&report),
        "/items/0/overdraftLimit: number 1e400 is out of range: no 64-bit float or decimal holds it\n",
        "judged once: no schema error, no rule, beside the refusal"
    );
    // A `Value` cannot hold it: serde_json refuses the text.
    assert!(serde_json::from_slice::<Value>(&huge).is_err());
    // A long key above a long array of refused numbers: a bounded report, at once.
    let key = "k".repeat(100_000);
    let many = vec!["1e400"; 50_000].join(",");
    let hostile = format!("{{\"items\": [], \"{key}\": [{many}]}}");
    let started = std::time::Instant::now();
    let report = validate(id, hostile.as_bytes());
    // Each pointer holds the 100 kB key: the 1 MiB budget lists about ten.
    assert!(
        report.diagnostics.len() <= 20,
        "{}",
        report.diagnostics.len()
    );
    assert!(!report.is_valid());
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    // Nor does `bank2ai.balances-consistent` compare a refused amount, whether it
    // is the balance it judges or an entry it reads.
    for pointer in ["/items/0/balance", "/items/0/balances/0/amount"] {
        let mut example = support::valid_example(id, "full-current-account-with-debit-card");
        *example.pointer_mut(pointer).unwrap() = json!("@@");
        let bytes = serde_json::to_string(&example)
            .unwrap()
            .replacen("\"@@\"", "1e400", 1);
        assert_eq!(
            messages(&validate(id, bytes.as_bytes())),
            format!(
                "{pointer}: number 1e400 is out of range: no 64-bit float or decimal holds it\n"
            )
        );
    }
}

/// Many unknown members, or many errors about numbers: each costs the same, however
/// many came before it.
#[test]
fn many_unknown_members_or_number_errors_cost_linear_time() {
    let id = SchemaId::GetAccountsOutput;
    let members: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\":{i}.5")).collect();
    let wide = format!("{{\"items\":[],{}}}", members.join(","));
    let started = std::time::Instant::now();
    let typed = deserialize(id, wide.as_bytes()).unwrap();
    let written = serde_json::to_vec(&typed).unwrap();
    assert!(support::same_text(&written, wide.as_bytes()));
    assert_eq!(
        validate(id, wide.as_bytes()).is_valid(),
        parse(id, wide.as_bytes()).is_ok()
    );
    let numbers = format!("{{\"items\":[{}]}}", vec!["1.50"; 80_000].join(","));
    let report = validate(id, numbers.as_bytes());
    assert!(
        report.diagnostics.len() >= 80_000,
        "{}",
        report.diagnostics.len()
    );
    assert!(
        report.diagnostics[0].message.starts_with("1.50 "),
        "{}",
        report.diagnostics[0].message
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

/// A member named as serde_json names a number, inside an enum serde reads through
/// a buffer: an object, whatever it holds, on every path.
#[test]
fn a_member_named_like_serde_json_s_number_is_an_object_in_a_buffered_enum() {
    let id = SchemaId::ConnectedAccountsResponse;
    let example = support::valid_example(id, "several-accounts-with-next-cursor");
    let text = serde_json::to_string(&example).unwrap();
    let marker = "\"type\":\"iban\"";
    assert!(text.contains(marker));
    // A number where a string belongs is refused, on every path.
    let number_as_iban = text.replacen(marker, &format!("{marker},\"iban\":1.5"), 1);
    let bytes = number_as_iban.replacen("\"iban\":\"", "\"was\":\"", 1);
    assert!(!validate(id, bytes.as_bytes()).is_valid());
    assert!(parse(id, bytes.as_bytes()).is_err());
    assert!(deserialize(id, bytes.as_bytes()).is_err());
    for member in [
        r#"{"$serde_json::private::Number":"1e400"}"#,
        r#"{"$serde_json::private::Number":1}"#,
        r#"{"$serde_json::private::Number":"1","b":2}"#,
        r#"{"$serde_json::private::Number":"abc"}"#,
        r#"{"$serde_json::private::Number":"0.10"}"#,
    ] {
        let bytes = text.replacen(marker, &format!("{marker},\"x\":{member}"), 1);
        let report = validate(id, bytes.as_bytes());
        let what = format!("{member}: {report}");
        assert_eq!(
            report.is_valid(),
            parse(id, bytes.as_bytes()).is_ok(),
            "{what}"
        );
        let typed = deserialize(id, bytes.as_bytes());
        assert_eq!(report.is_valid(), typed.is_ok(), "{what}");
        if let Ok(typed) = typed {
            let written = serde_json::to_vec(&typed).unwrap();
            assert!(support::same_text(&written, bytes.as_bytes()), "{what}");
        }
    }
}

/// A document nested deeper than the reports read (127 arrays and objects), its
/// depth inside what the types read as any JSON (unknown members, enums read
/// through a buffer): refused by every path, and one level less accepted by every
/// path.
#[test]
fn nesting_past_the_limit_inside_any_json_is_refused_on_every_path() {
    let nest = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    let id = SchemaId::ConnectedAccountsResponse;
    let text = serde_json::to_string(&support::valid_example(
        id,
        "several-accounts-with-next-cursor",
    ))
    .unwrap();
    let marker = "\"type\":\"iban\"";
    // Where `deep` goes: an unknown member of the root object, and one of an account
    // identifier, which serde reads through a buffer; each as the text it replaces
    // and what comes before and after it.
    let places = [
        (
            "an unknown member of the root",
            "{",
            "{\"deep\":".to_owned(),
            ",",
        ),
        (
            "an unknown member of a buffered enum",
            marker,
            format!("{marker},\"deep\":"),
            "",
        ),
    ];
    for (place, anchor, before, after) in places {
        let at =
            |levels: usize| text.replacen(anchor, &format!("{before}{}{after}", nest(levels)), 1);
        let deepest_accepted = (1..=127)
            .rev()
            .find(|&levels| validate(id, at(levels).as_bytes()).is_valid())
            .unwrap_or_else(|| panic!("{place}: no depth accepted"));
        assert!(deepest_accepted < 127, "{place}: nothing refused");
        for levels in [deepest_accepted, deepest_accepted + 1, 127] {
            let bytes = at(levels);
            let nested = bytes.find("[[[").map(|at| {
                let before = &bytes[..at];
                before.matches(['{', '[']).count() - before.matches(['}', ']']).count()
            });
            let total = nested.unwrap() + levels;
            let report = validate(id, bytes.as_bytes());
            let what = format!("{place}, {levels} levels ({total} in all): {report}");
            assert_eq!(report.is_valid(), total <= 127, "{what}");
            assert_eq!(parse(id, bytes.as_bytes()).is_ok(), total <= 127, "{what}");
            assert_eq!(
                deserialize(id, bytes.as_bytes()).is_ok(),
                total <= 127,
                "{what}"
            );
        }
    }
}
