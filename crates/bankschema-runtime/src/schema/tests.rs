//! The schema's reports and parses on small embedded schemas.

use super::*;

static NAMED: EmbeddedSchema = EmbeddedSchema::new(
    "test.named",
    r#"{"$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object", "required": ["name"],
        "properties": {"name": {"type": "string"}, "on": {"format": "date", "type": "string"},
                       "iban": {"type": "string"}, "code": {"type": "string", "maxLength": 3}}}"#,
    &[
        Site::new(
            "/iban",
            "/properties/iban/x-bankschema-rules/0",
            bankschema_rules::Rule::Iban,
        ),
        Site::new(
            "/*",
            "/x-bankschema-rules/0",
            bankschema_rules::Rule::SingleDefault,
        ),
        // A value the schema rejects is not judged again.
        Site::new(
            "/code",
            "/properties/code/x-bankschema-rules/0",
            bankschema_rules::Rule::Currency {
                multi_currency: false,
            },
        ),
    ],
);

#[test]
fn reports_every_violation_with_its_pointer() {
    let report = NAMED.validate(br#"{"on": "2024-02-30"}"#);
    let paths: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.instance_path.as_str(), d.schema_path.as_str()))
        .collect();
    assert_eq!(paths, [("", "/required"), ("/on", "/properties/on/format")]);
    assert!(!report.is_valid());
}

static NULLABLE: EmbeddedSchema = EmbeddedSchema::new(
    "test.nullable",
    r#"{"$schema": "https://json-schema.org/draft/2020-12/schema",
        "properties": {"bic": {"anyOf": [{"type": "string", "pattern": "^[A-Z]{6}"}, {"type": "null"}]},
                       "n": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}"#,
    &[],
);

#[test]
fn a_nullable_value_is_reported_by_its_non_null_branch() {
    let report = NULLABLE.validate(br#"{"bic": "nwbkgb2l", "n": 1.5}"#);
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.instance_path.as_str(), d.schema_path.as_str()))
        .collect();
    // Two branches fail on type alone for `n`: no single branch to blame.
    assert_eq!(
        found,
        [
            ("/bic", "/properties/bic/anyOf/0/pattern"),
            ("/n", "/properties/n/anyOf")
        ]
    );
}

#[test]
fn rule_breaches_follow_schema_violations_with_their_rule_id() {
    let report =
        NAMED.validate(br#"{"name": 1, "iban": "GB00NWBK60161331926819", "code": "ABCD"}"#);
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.severity,
                d.instance_path.as_str(),
                d.schema_path.as_str(),
                d.rule.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (Severity::Error, "/name", "/properties/name/type", None),
            (Severity::Error, "/code", "/properties/code/maxLength", None),
            (
                Severity::Error,
                "/iban",
                "/properties/iban/x-bankschema-rules/0",
                Some("iso13616.iban")
            ),
        ]
    );
    assert!(report.diagnostics[2].message.contains("ISO 13616"));
    // At most one member SHOULD be true: a warning leaves the payload valid.
    let report = NAMED.validate(br#"{"name": "n", "a": true, "b": true}"#);
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].instance_path, "/b");
    assert_eq!(report.diagnostics[0].severity, Severity::Warning);
    assert!(report.is_valid());
    type Named = crate::Json;
    assert!(NAMED.parse::<Named>(br#"{"name": "n"}"#).is_ok());
    assert!(NAMED
        .parse::<Named>(br#"{"name": "n", "iban": "GB00"}"#)
        .is_err());
    let allowed = Options::default().allow("iso13616.iban").unwrap();
    assert!(NAMED
        .parse_with::<Named>(br#"{"name": "n", "iban": "GB00"}"#, &allowed)
        .is_ok());
}

#[test]
fn schema_messages_mask_secrets_and_shorten_long_values_and_names() {
    static CLOSED: EmbeddedSchema = EmbeddedSchema::new(
        "test.closed",
        r#"{"type": "object", "additionalProperties": false,
            "properties": {"iban": {"type": "string"}, "pan": {"type": "string"},
                           "kids": {"type": "object", "propertyNames": {"maxLength": 3}}}}"#,
        &[
            Site::new(
                "/iban",
                "/properties/iban/x-bankschema-rules/0",
                crate::Rule::Iban,
            ),
            Site::new(
                "/pan",
                "/properties/pan/x-bankschema-rules/0",
                crate::Rule::MaskedPan,
            ),
        ],
    );
    let name = "n".repeat(70);
    let payload = format!(
        r#"{{"iban": 29123456789012345678, "pan": ["4751291234564821"],
             "kids": {{"{name}": 1}}, "{name}": 2}}"#
    );
    let messages = |options: &Options| -> Vec<String> {
        let report = CLOSED.validate_with(payload.as_bytes(), options);
        report.diagnostics.into_iter().map(|d| d.message).collect()
    };
    let short = format!("{}…", "n".repeat(24));
    assert_eq!(
        messages(&Options::default()),
        [
            "2912…5678 is not of type \"string\"".to_owned(),
            "[…] is not of type \"string\"".to_owned(),
            format!("\"{short}\" is longer than 3 characters"),
            format!("Additional properties are not allowed ('{short}' was unexpected)"),
        ]
    );
    let whole = messages(&Options::default().show_values());
    assert_eq!(whole[0], "29123456789012345678 is not of type \"string\"");
    assert_eq!(whole[1], "[\"4751291234564821\"] is not of type \"string\"");
    assert!(whole[2].contains(&name), "{}", whole[2]);
    assert!(whole[3].contains(&name), "{}", whole[3]);
}

#[test]
fn a_pathological_pattern_cannot_stall_validation() {
    static NESTED: EmbeddedSchema = EmbeddedSchema::new(
        "test.nested",
        r#"{"type": "string", "pattern": "^(a+)+$"}"#,
        &[],
    );
    // A backtracking engine takes 2^n steps on n `a`s and a `!`; this one a few.
    let payload = format!("\"{}!\"", "a".repeat(50_000));
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(NESTED.validate(payload.as_bytes()));
    });
    let report = receiver
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("validation finished");
    assert_eq!(report.diagnostics.len(), 1);
    assert!(report.diagnostics[0].schema_path.ends_with("/pattern"));
    // A pattern the linear engine cannot run is refused, not run slowly.
    let lookahead = serde_json::json!({"pattern": "^(?=(a+)+$)a"});
    let error = compile::<jsonschema::json::SerdeJson>(&lookahead).unwrap_err();
    assert!(error.contains("(?=(a+)+$)"), "{error}");
}

#[test]
fn a_reference_out_of_the_schema_is_refused_without_fetching_it() {
    static REMOTE: EmbeddedSchema = EmbeddedSchema::new(
        "test.remote",
        r#"{"$ref": "https://example.com/account.json"}"#,
        &[],
    );
    let report = REMOTE.validate(b"{}");
    assert_eq!(report.diagnostics.len(), 1);
    assert!(
        report.diagnostics[0].message.contains("does not compile"),
        "{report}"
    );
    let file = serde_json::json!({"$ref": "file:///etc/passwd"});
    assert!(compile::<jsonschema::json::SerdeJson>(&file).is_err());
}

#[test]
fn a_value_a_tolerant_enum_does_not_list_is_a_warning() {
    static KIND: EmbeddedSchema = EmbeddedSchema::new(
        "test.kind",
        r#"{"type": "object", "properties": {
            "kind": {"type": "string", "x-bankschema-tolerant": ["current", "savings"]}}}"#,
        &[],
    );
    assert!(KIND
        .validate(br#"{"kind": "savings"}"#)
        .diagnostics
        .is_empty());
    let report = KIND.validate(br#"{"kind": "pension"}"#);
    assert!(report.is_valid(), "{report}");
    assert_eq!(report.diagnostics.len(), 1, "{report}");
    let warning = &report.diagnostics[0];
    assert_eq!(
        (warning.severity, warning.instance_path.as_str()),
        (Severity::Warning, "/kind")
    );
    assert_eq!(
        warning.message,
        r#""pension" is not a value the schema lists ("current", "savings"): read as `Unknown` (`x-bankschema-tolerant`)"#
    );
    // Only the values are tolerated: the type still judges.
    assert!(!KIND.validate(br#"{"kind": 7}"#).is_valid());
    let (_, warnings) = KIND
        .parse_checked_with_warnings::<crate::Json>(
            br#"{"kind": "pension"}"#,
            &Options::default(),
            |_, _| false,
            |_, _| Vec::new(),
        )
        .unwrap();
    assert_eq!(warnings.diagnostics.len(), 1);
}

#[test]
fn a_tolerated_value_holds_in_a_branch_and_leaves_the_rules_on() {
    static BRANCHED: EmbeddedSchema = EmbeddedSchema::new(
        "test.branched",
        r#"{"oneOf": [
            {"type": "object", "required": ["type"], "properties": {
                "type": {"const": "a"},
                "code": {"type": "string", "x-bankschema-tolerant": ["GBP", "EUR"]}}},
            {"type": "object", "required": ["type"], "properties": {"type": {"const": "b"}}}]}"#,
        &[Site::new(
            "/code",
            "/oneOf/0/properties/code/x-bankschema-rules/0",
            bankschema_rules::Rule::Currency {
                multi_currency: false,
            },
        )],
    );
    let report = BRANCHED.validate(br#"{"type": "a", "code": "USD"}"#);
    assert!(report.is_valid(), "{report}");
    assert_eq!(report.diagnostics.len(), 1, "{report}");
    assert_eq!(report.diagnostics[0].severity, Severity::Warning);
    // The warning leaves the rule to judge the value.
    let report = BRANCHED.validate(br#"{"type": "a", "code": "ZZZ"}"#);
    assert!(!report.is_valid(), "{report}");
    assert!(
        report
            .errors()
            .any(|d| d.rule.as_deref() == Some("iso4217.currency")),
        "{report}"
    );
    // A branch that fails otherwise is still an error.
    assert!(!BRANCHED
        .validate(br#"{"type": "c", "code": "USD"}"#)
        .is_valid());
}

#[test]
fn malformed_json_is_one_error_at_the_root() {
    let report = NAMED.validate(b"{\"name\": ");
    assert_eq!(report.diagnostics.len(), 1);
    assert!(report.diagnostics[0].message.contains("line 1 column 9"));
}

#[test]
fn parse_succeeds_only_for_valid_payloads() {
    // `Json` keeps any JSON: the typed route judges it as the report would.
    let named: crate::Json = NAMED.parse(br#"{"name": "x"}"#).unwrap();
    assert_eq!(named.to_value()["name"], "x");
    let refused = NAMED.parse::<crate::Json>(br#"{"name": 1, "on": "2024-02-30"}"#);
    assert_eq!(
        refused.unwrap_err(),
        NAMED.validate(br#"{"name": 1, "on": "2024-02-30"}"#)
    );
    // A rule error stops it too; a warning does not.
    assert!(NAMED
        .parse::<crate::Json>(br#"{"name": "x", "iban": "GB00NWBK60161331926819"}"#)
        .is_err());
    assert!(NAMED
        .parse::<crate::Json>(br#"{"name": "x", "a": true, "b": true}"#)
        .is_ok());
}
