//! A JSON Schema embedded in the binary, compiled on first use.

use crate::{Diagnostic, Report, Severity};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::OnceLock;

/// One schema id's JSON Schema, held as text in the binary: validating reads no file
/// and opens no connection (`jsonschema` is built without its resolvers).
pub struct EmbeddedSchema {
    id: &'static str,
    json: &'static str,
    compiled: OnceLock<Result<jsonschema::Validator, String>>,
}

impl EmbeddedSchema {
    pub const fn new(id: &'static str, json: &'static str) -> Self {
        EmbeddedSchema {
            id,
            json,
            compiled: OnceLock::new(),
        }
    }

    /// The stable schema id, such as `get-accounts.output`.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The JSON Schema text as embedded.
    pub fn json(&self) -> &'static str {
        self.json
    }

    /// Every violation in `bytes`, or a single diagnostic when they are not JSON.
    pub fn validate(&self, bytes: &[u8]) -> Report {
        match read_json(bytes) {
            Ok(value) => self.validate_value(&value),
            Err(report) => report,
        }
    }

    /// Every violation in an already parsed payload.
    pub fn validate_value(&self, value: &Value) -> Report {
        let validator = match self.validator() {
            Ok(validator) => validator,
            Err(report) => return report,
        };
        let mut diagnostics = Vec::new();
        for error in validator.iter_errors(value) {
            push_diagnostics(&error, &mut diagnostics);
        }
        Report { diagnostics }
    }

    /// The payload as the generated type `T`, or the full report when it is not valid.
    pub fn parse<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, Report> {
        let value = read_json(bytes)?;
        let report = self.validate_value(&value);
        if !report.is_valid() {
            return Err(report);
        }
        // From the bytes, not from `value`: serde's buffering (flattened unknown
        // properties, tagged enums) cannot hold the 128-bit integers a `Value`
        // hands on, while the text parser passes big numbers as text.
        serde_json::from_slice(bytes).map_err(|error| {
            // The schema accepted the payload but the generated type did not: a
            // generator bug, reported rather than hidden or panicked on.
            Report::single(Diagnostic {
                severity: Severity::Error,
                instance_path: String::new(),
                schema_path: String::new(),
                rule: None,
                message: format!(
                    "payload is valid against {} but does not fit its generated type: {error}",
                    self.id
                ),
            })
        })
    }

    fn validator(&self) -> Result<&jsonschema::Validator, Report> {
        let compiled = self.compiled.get_or_init(|| {
            let schema: Value = serde_json::from_str(self.json).map_err(|e| e.to_string())?;
            jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .map_err(|e| e.to_string())
        });
        compiled.as_ref().map_err(|error| {
            // The generator compiles every schema before embedding it, so this means
            // the generated crate was edited by hand.
            Report::single(Diagnostic {
                severity: Severity::Error,
                instance_path: String::new(),
                schema_path: String::new(),
                rule: None,
                message: format!("embedded schema {} does not compile: {error}", self.id),
            })
        })
    }
}

/// One diagnostic per violation. An `anyOf`/`oneOf` where every branch but one
/// fails only because the value has another type (typically `T or null`) is
/// reported as the errors of that one branch: "does not match the pattern" at
/// `/items/0/bic` says more than "not valid under any of the schemas".
fn push_diagnostics(error: &jsonschema::ValidationError<'_>, out: &mut Vec<Diagnostic>) {
    use jsonschema::error::ValidationErrorKind;
    let branches = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            Some(context)
        }
        _ => None,
    };
    if let Some(branches) = branches {
        let wrong_type = |branch: &Vec<jsonschema::ValidationError<'static>>| {
            matches!(branch.as_slice(), [only] if matches!(only.kind(), ValidationErrorKind::Type { .. })
                && only.instance_path() == error.instance_path())
        };
        let mut relevant = branches.iter().filter(|branch| !wrong_type(branch));
        if let (Some(branch), None) = (relevant.next(), relevant.next()) {
            for inner in branch {
                push_diagnostics(inner, out);
            }
            return;
        }
    }
    out.push(Diagnostic {
        severity: Severity::Error,
        instance_path: error.instance_path().as_str().to_owned(),
        schema_path: error.schema_path().as_str().to_owned(),
        rule: None,
        message: error.to_string(),
    });
}

fn read_json(bytes: &[u8]) -> Result<Value, Report> {
    serde_json::from_slice(bytes).map_err(|error| {
        Report::single(Diagnostic {
            severity: Severity::Error,
            instance_path: String::new(),
            schema_path: String::new(),
            rule: None,
            message: format!("malformed JSON: {error}"),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    static NAMED: EmbeddedSchema = EmbeddedSchema::new(
        "test.named",
        r#"{"$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object", "required": ["name"],
            "properties": {"name": {"type": "string"}, "on": {"format": "date", "type": "string"}}}"#,
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
    fn malformed_json_is_one_error_at_the_root() {
        let report = NAMED.validate(b"{\"name\": ");
        assert_eq!(report.diagnostics.len(), 1);
        assert!(report.diagnostics[0].message.contains("line 1 column 9"));
    }

    #[test]
    fn parse_succeeds_only_for_valid_payloads() {
        #[derive(serde::Deserialize)]
        struct Named {
            name: String,
        }
        let named: Named = NAMED.parse(br#"{"name": "x"}"#).unwrap();
        assert_eq!(named.name, "x");
        assert!(NAMED.parse::<Named>(br#"{"name": 1}"#).is_err());
    }
}
