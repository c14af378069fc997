//! What a validation found: every violation, each located by a JSON pointer.

use serde::Serialize;
use std::fmt;

/// How much a diagnostic matters: an error makes a payload invalid, a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The payload is not valid.
    Error,
    /// Worth a look (a SHOULD rule broken); the payload stays valid.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// What a diagnostic is about, so that a service can answer each as it should (a
/// malformed body with 400, a violation with 422) without reading messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Kind {
    /// The bytes are not the JSON a payload may be: not JSON at all, or text JSON
    /// readers disagree on (a duplicate key, a lone surrogate, a number out of
    /// range, a byte-order mark).
    Malformed,
    /// The payload breaks its schema.
    Schema,
    /// The payload breaks a prose rule (`rule` names it).
    Rule,
    /// The payload is beyond a limit of the reader (size, nesting).
    Limit,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Malformed => "malformed",
            Kind::Schema => "schema",
            Kind::Rule => "rule",
            Kind::Limit => "limit",
        })
    }
}

/// One violation found in a payload.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Whether it makes the payload invalid.
    pub severity: Severity,
    /// What the diagnostic is about.
    pub kind: Kind,
    /// RFC 6901 pointer to the offending value in the payload (`""` for the root).
    pub instance_path: String,
    /// RFC 6901 pointer to the keyword of the schema that the value breaks.
    pub schema_path: String,
    /// The id of the domain rule that reported this, or `None` for a schema violation.
    pub rule: Option<String>,
    /// What is wrong, in a sentence; card numbers, IBANs and long values are masked
    /// unless [`crate::Options::show_values`] says otherwise.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.instance_path.is_empty() {
            "(root)"
        } else {
            &self.instance_path
        };
        write!(f, "{}: {at}: {}", self.severity, self.message)
    }
}

/// Every diagnostic found in one payload, in the order the payload is read.
///
/// Its `Display` is a header (`get-accounts.output: invalid (1 error, 1 warning)`)
/// and one line per diagnostic, control characters escaped: fit for a log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Report {
    /// The schema id the payload was judged against (`None` for a report made by
    /// hand).
    pub schema_id: Option<&'static str>,
    /// Errors and warnings, in the order the payload is read.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// A report of `diagnostics`, against no schema id.
    pub fn new(diagnostics: Vec<Diagnostic>) -> Self {
        Report {
            schema_id: None,
            diagnostics,
        }
    }

    /// The report, judged against schema id `id`.
    pub fn of(mut self, id: &'static str) -> Self {
        self.schema_id = Some(id);
        self
    }

    /// A payload is valid when no diagnostic is an error; warnings alone leave it valid.
    pub fn is_valid(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The diagnostics that make the payload invalid.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// The diagnostics that leave the payload valid (SHOULD rules broken).
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    /// The report of an error about the whole payload (it cannot be read, or
    /// does not fit): one diagnostic of `kind`, at the root.
    pub(crate) fn refusing(kind: Kind, message: String) -> Self {
        Report::new(vec![Diagnostic {
            severity: Severity::Error,
            kind,
            instance_path: String::new(),
            schema_path: String::new(),
            rule: None,
            message,
        }])
    }
}

impl From<Vec<Diagnostic>> for Report {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Report::new(diagnostics)
    }
}

impl Report {
    /// The first line of the report's `Display`: `get-accounts.output: invalid (2
    /// errors, 1 warning)`.
    pub fn summary(&self) -> String {
        let errors = self.errors().count();
        let warnings = self.diagnostics.len() - errors;
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let verdict = match (errors, warnings) {
            (0, 0) => "valid".to_owned(),
            (0, w) => format!("valid ({})", plural(w, "warning")),
            (e, 0) => format!("invalid ({})", plural(e, "error")),
            (e, w) => format!("invalid ({}, {})", plural(e, "error"), plural(w, "warning")),
        };
        format!("{}: {verdict}", self.schema_id.unwrap_or("payload"))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())?;
        for diagnostic in &self.diagnostics {
            let line = diagnostic.to_string();
            write!(f, "\n  {}", bankschema_rules::redact::printable(&line))?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}
