//! A JSON Schema embedded in the binary, compiled on first use, with the prose
//! rules attached to it.
//!
//! Every report it gives shows values as `bankschema_rules::redact` does: the card
//! numbers and IBANs the rules govern masked, long values shortened, in the rules'
//! messages and in the schema's alike, unless `Options::show_values`.

use crate::keywords::Amounts;
use crate::raw::Raw;
use crate::text;
use crate::typed::{AsNode, Typed};
use crate::{Diagnostic, Kind, Report, Severity};
use bankschema_rules::{pointer, Finding, Level, Options, Redaction, Site};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One schema id's JSON Schema, held as text in the binary: validating reads no file
/// and opens no connection (`jsonschema` is built without its resolvers). The
/// [`Site`]s are the prose rules (`bankschema_rules`) attached in `schemas/`; a
/// report holds their breaches beside the schema's.
pub struct EmbeddedSchema {
    id: &'static str,
    json: &'static str,
    rules: &'static [Site],
    compiled: OnceLock<Result<jsonschema::Validator, String>>,
    /// The same schema, compiled for generated typed values (`parse`'s fast path).
    typed: OnceLock<Option<jsonschema::Validator<Typed>>>,
    /// How deep in a payload a value read as any JSON can start, at most (see
    /// [`outer_depth`]).
    outer: OnceLock<Option<usize>>,
}

impl EmbeddedSchema {
    /// The schema of schema id `id`: its JSON Schema text and its rule sites, as
    /// the generator embeds them (compiled on first use).
    pub const fn new(id: &'static str, json: &'static str, rules: &'static [Site]) -> Self {
        EmbeddedSchema {
            id,
            json,
            rules,
            compiled: OnceLock::new(),
            typed: OnceLock::new(),
            outer: OnceLock::new(),
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

    /// The rules attached to the schema, where they apply.
    pub fn rules(&self) -> &'static [Site] {
        self.rules
    }

    /// Every violation in `bytes`, or a single diagnostic when they are not JSON.
    pub fn validate(&self, bytes: &[u8]) -> Report {
        self.validate_with(bytes, &Options::default())
    }

    /// [`validate`](Self::validate), with rules turned off or the call's input given.
    pub fn validate_with(&self, bytes: &[u8], options: &Options) -> Report {
        self.report_bytes(bytes, options, false)
    }

    /// The full report on `bytes`, read as [`Raw`] JSON (cheaper than a `Value`,
    /// the same report); `likely_invalid` as for [`report`](Self::report).
    fn report_bytes(&self, bytes: &[u8], options: &Options, likely_invalid: bool) -> Report {
        match Raw::read(bytes) {
            Ok(raw) => self.report_raw(&raw, options, likely_invalid),
            Err(_) => self.report_refused(bytes, options),
        }
    }

    /// The report on `raw`; `likely_invalid` as for [`report`](Self::report).
    fn report_raw(&self, raw: &Raw<'_>, options: &Options, likely_invalid: bool) -> Report {
        let (Some(node), Some(validator)) = (raw.as_node(), self.typed_validator()) else {
            return self.report(&raw.to_value(), options, likely_invalid);
        };
        self.report_on(validator, node, options, likely_invalid, || {
            bankschema_rules::check(self.rules, node, options)
        })
    }

    /// The report on bytes the strict reader refused: the text policy's
    /// diagnostics ([`text`]), then the report on what serde_json reads of them
    /// (a repeated key's last value), values refused for their text left unjudged;
    /// or serde_json's own error when they are not JSON.
    fn report_refused(&self, bytes: &[u8], options: &Options) -> Report {
        let findings = text::inspect(bytes, text::MAX_DEPTH);
        let mut diagnostics: Vec<Diagnostic> =
            findings.iter().map(text::Finding::diagnostic).collect();
        if findings.iter().any(text::Finding::stops) {
            return Report::new(diagnostics).of(self.id);
        }
        let raw = match Raw::read_as(bytes, crate::raw::Policy::Lenient) {
            Ok(raw) => raw,
            Err(_) => {
                if let Err(report) = read_json(bytes) {
                    diagnostics.extend(report.diagnostics);
                }
                return Report::new(diagnostics).of(self.id);
            }
        };
        let refused: std::collections::HashSet<&str> =
            findings.iter().filter_map(text::Finding::refused).collect();
        let judged = self.report_raw(&raw, options, true).diagnostics;
        diagnostics.extend(
            judged
                .into_iter()
                .filter(|d| !refused.contains(d.instance_path.as_str())),
        );
        Report::new(diagnostics).of(self.id)
    }

    /// Every violation in an already parsed payload.
    pub fn validate_value(&self, value: &Value) -> Report {
        self.validate_value_with(value, &Options::default())
    }

    /// Every schema violation, then every rule breach, in an already parsed payload.
    pub fn validate_value_with(&self, value: &Value, options: &Options) -> Report {
        self.report(value, options, false)
    }

    /// The report on `value`; `likely_invalid` when the caller has seen it fail
    /// already (`parse`'s fallback): the schema's quick verdict is skipped then, and
    /// the errors are listed straight away (none, should it be valid after all).
    /// Judged through the typed view, whose numbers compare exactly: each number as
    /// the `Value` holds it.
    fn report(&self, value: &Value, options: &Options, likely_invalid: bool) -> Report {
        if let Some(validator) = self.typed_validator() {
            let node = crate::typed::TypedNode::Value(value);
            return self.report_on(validator, node, options, likely_invalid, || {
                bankschema_rules::check(self.rules, node, options)
            });
        }
        match self.validator() {
            Ok(validator) => self.report_on(validator, value, options, likely_invalid, || {
                bankschema_rules::check(self.rules, value, options)
            }),
            Err(report) => report,
        }
    }

    /// The report on `node`, a `Value` or a generated typed value (the two give the
    /// same report for the same payload: the differential tests hold them to it).
    /// The rules' findings come from `rules`; messages show values as `options` say.
    fn report_on<'i, F>(
        &self,
        validator: &'i jsonschema::Validator<F>,
        node: F::Node<'i>,
        options: &Options,
        likely_invalid: bool,
        rules: impl FnOnce() -> Vec<Finding>,
    ) -> Report
    where
        F: jsonschema::json::Json,
        F::Node<'i>: bankschema_rules::Node<'i>,
    {
        let mut diagnostics = Vec::new();
        let number_at = |at: &str| number_at(node, at);
        let shown = Shown {
            redaction: Redaction::new(self.rules, options),
            number_at: &number_at,
        };
        // One verdict per value: a value the schema already rejects (`"gbp"` against
        // `^[A-Z]{3}$`) or reports missing is not judged again by a rule, nor is a
        // value whose rule read one the schema rejects (a credit-only field of an
        // account whose `accountType` is not one of the enum).
        let mut missing = Vec::new();
        // `is_valid` stops at nothing to explain: most payloads are valid, and
        // collecting errors costs several times more.
        let errors = if !likely_invalid && validator.is_valid(node) {
            None
        } else {
            Some(validator.iter_errors(node))
        };
        for error in errors.into_iter().flatten() {
            if let jsonschema::error::ValidationErrorKind::Required { property } = error.kind() {
                let name = property.as_str().unwrap_or_default();
                missing.push(pointer::join(error.instance_path().as_str(), name));
            }
            push_diagnostics(&error, &shown, &mut diagnostics);
        }
        let findings = rules();
        if findings.is_empty() {
            return Report::new(diagnostics).of(self.id);
        }
        // Looked up once per finding: a report may hold tens of thousands of errors.
        // A warning (a value a tolerant enum does not list) rejects nothing.
        let rejected: std::collections::HashSet<&str> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.instance_path.as_str())
            .chain(missing.iter().map(String::as_str))
            .collect();
        let kept: Vec<Finding> = findings
            .into_iter()
            .filter(|finding| {
                !rejected.contains(finding.pointer.as_str())
                    && !finding
                        .premises
                        .iter()
                        .any(|p| rejected.contains(p.as_str()))
            })
            .collect();
        diagnostics.extend(kept.into_iter().map(rule_diagnostic));
        Report::new(diagnostics).of(self.id)
    }

    /// [`validate_with`](Self::validate_with) through the generated type `T` and the
    /// check the generator wrote for it (see [`parse_checked`](Self::parse_checked)):
    /// the payload is read once, into `T`, which is cheaper than a `Value`. A value
    /// the check accepts has no error, so only the rules' warnings are left to
    /// find; one it refuses gets the schema's errors and the rules' findings on the
    /// typed value. Bytes `T` cannot hold take the `Value` path.
    pub fn validate_checked<T: DeserializeOwned + AsNode>(
        &self,
        bytes: &[u8],
        options: &Options,
        holds: fn(&T, &Options) -> bool,
        rules: fn(&T, &Options) -> Vec<Finding>,
    ) -> Report {
        let Some(typed) = self.read_typed::<T>(bytes) else {
            // Most bytes the type refuses are invalid: no quick verdict first.
            return self.report_bytes(bytes, options, true);
        };
        let holds = holds(&typed, options);
        match self.report_typed(&typed, options, holds, rules) {
            Some(report) => report,
            None => self.validate_with(bytes, options),
        }
    }

    /// The full report on a typed value; `holds` when its generated check accepted
    /// it, `rules` its generated rule walk. `None` when the typed view cannot be
    /// judged (the bytes' path then is).
    fn report_typed<T: AsNode>(
        &self,
        typed: &T,
        options: &Options,
        holds: bool,
        rules: fn(&T, &Options) -> Vec<Finding>,
    ) -> Option<Report> {
        if holds {
            // No schema error, no rule error: the rules' warnings are the report.
            let diagnostics = rules(typed, options)
                .into_iter()
                .map(rule_diagnostic)
                .collect();
            return Some(Report::new(diagnostics).of(self.id));
        }
        let node = typed.as_node()?;
        let validator = self.typed_validator()?;
        Some(self.report_on(validator, node, options, true, || rules(typed, options)))
    }

    /// `bytes` read into `T`, the generated type of this schema, by serde alone,
    /// unvalidated, under the limit on nesting the reports keep
    /// ([`text::MAX_DEPTH`]).
    ///
    /// serde_json refuses typed levels past its limit, but a value read as any JSON
    /// (`Json`, unknown members, an enum read through a buffer) is read from its
    /// text and counted from 1 again. When the deepest such text plus the deepest
    /// place this schema lets it start could reach the limit, the bytes are scanned
    /// (a count of brackets): a document the reports refuse as too deep is refused
    /// here too. The bound is the schema's, so `T` must be its generated type. A
    /// recursive schema has no bound: its payloads are scanned whenever they hold
    /// such a value (an object in a buffered enum, say), a second pass over the bytes.
    pub fn deserialize<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, serde_json::Error> {
        let (typed, nested) = crate::json::nesting_read(|| serde_json::from_slice::<T>(bytes));
        let typed = typed?;
        let outer = *self.outer.get_or_init(|| {
            let schema: Value = serde_json::from_str(self.json).ok()?;
            outer_depth(&schema, &schema, &mut HashMap::new())
        });
        let could_reach = outer.is_none_or(|outer| outer + nested >= text::MAX_DEPTH);
        if nested > 0 && could_reach && crate::raw::read::nesting(bytes) >= text::MAX_DEPTH {
            return Err(serde::de::Error::custom(format_args!(
                "arrays and objects are nested deeper than {}",
                text::MAX_DEPTH - 1
            )));
        }
        Ok(typed)
    }

    /// The payload as the generated type `T`, or the full report when it is not
    /// valid (schema errors or rule errors; warnings alone do not stop it).
    pub fn parse<T: DeserializeOwned + AsNode>(&self, bytes: &[u8]) -> Result<T, Report> {
        self.parse_with(bytes, &Options::default())
    }

    /// [`parse`](Self::parse), with rules turned off or the call's input given.
    ///
    /// One pass: the bytes are read into `T`, and the schema and the rules judge
    /// that typed value itself (the generated types keep everything they read, so
    /// it stands for the payload exactly). Only a payload that fails there, or that
    /// `T` cannot hold, takes the full report's path, whose report is returned: the
    /// verdict is the report's either way.
    pub fn parse_with<T: DeserializeOwned + AsNode>(
        &self,
        bytes: &[u8],
        options: &Options,
    ) -> Result<T, Report> {
        if let Some(typed) = self.read_typed::<T>(bytes) {
            if let (Some(node), Some(validator)) = (typed.as_node(), self.typed_validator()) {
                if validator.is_valid(node)
                    && !bankschema_rules::check(self.rules, node, options)
                        .iter()
                        .any(|finding| finding.level == Level::Must)
                {
                    return Ok(typed);
                }
            }
        }
        self.parse_failed(bytes, options).map(|(typed, _)| typed)
    }

    /// [`parse_with`](Self::parse_with) with the check the generator wrote for this
    /// schema id: `holds` reads the typed value's fields and says whether it holds
    /// everything the schema asserts beyond what `T` proves, and the rules. It may
    /// refuse more than the schema (the full report then decides) but never
    /// accept less: the differential tests and the conformance run hold it to that.
    pub fn parse_checked<T: DeserializeOwned + AsNode>(
        &self,
        bytes: &[u8],
        options: &Options,
        holds: fn(&T, &Options) -> bool,
        rules: fn(&T, &Options) -> Vec<Finding>,
    ) -> Result<T, Report> {
        self.parse_checked_inner(bytes, options, holds, rules, false)
            .map(|(typed, _)| typed)
    }

    /// [`parse_checked`](Self::parse_checked), with the rules' warnings beside the
    /// value: a SHOULD rule broken leaves the payload valid, and is reported here
    /// rather than dropped. Finding them costs a walk of the rules on a valid
    /// payload, which `parse_checked` skips.
    pub fn parse_checked_with_warnings<T: DeserializeOwned + AsNode>(
        &self,
        bytes: &[u8],
        options: &Options,
        holds: fn(&T, &Options) -> bool,
        rules: fn(&T, &Options) -> Vec<Finding>,
    ) -> Result<(T, Report), Report> {
        self.parse_checked_inner(bytes, options, holds, rules, true)
    }

    fn parse_checked_inner<T: DeserializeOwned + AsNode>(
        &self,
        bytes: &[u8],
        options: &Options,
        holds: fn(&T, &Options) -> bool,
        rules: fn(&T, &Options) -> Vec<Finding>,
        warnings: bool,
    ) -> Result<(T, Report), Report> {
        let Some(typed) = self.read_typed::<T>(bytes) else {
            return self.parse_failed(bytes, options);
        };
        if holds(&typed, options) {
            let found = if warnings {
                rules(&typed, options)
                    .into_iter()
                    .map(rule_diagnostic)
                    .collect()
            } else {
                Vec::new()
            };
            return Ok((typed, Report::new(found).of(self.id)));
        }
        // Refused by the check: the full report on the value already read.
        match self.report_typed(&typed, options, false, rules) {
            Some(report) if report.is_valid() => Ok((typed, report)),
            Some(report) => Err(report),
            None => self.parse_failed(bytes, options),
        }
    }

    /// [`parse_with`](Self::parse_with), with the rules' warnings beside the value.
    pub fn parse_with_warnings<T: DeserializeOwned + AsNode>(
        &self,
        bytes: &[u8],
        options: &Options,
    ) -> Result<(T, Report), Report> {
        let report = self.validate_with(bytes, options);
        self.typed_if_valid(report, || serde_json::from_slice(bytes), options)
    }

    /// An already parsed payload (a `serde_json::Value`, such as MCP's
    /// `structuredContent`) as the generated type `T`, with the rules' warnings; or
    /// the report of why it is not valid. Pointers are into `value`.
    pub fn parse_value_with<T: DeserializeOwned>(
        &self,
        value: &Value,
        options: &Options,
    ) -> Result<(T, Report), Report> {
        let report = self.validate_value_with(value, options);
        self.typed_if_valid(report, || T::deserialize(value), options)
    }

    /// `report` when it is not valid; else the value `read` gives (a schema
    /// accepting what the type refuses is reported, see [`misfit`](Self::misfit)).
    fn typed_if_valid<T>(
        &self,
        report: Report,
        read: impl FnOnce() -> Result<T, serde_json::Error>,
        options: &Options,
    ) -> Result<(T, Report), Report> {
        if !report.is_valid() {
            return Err(report);
        }
        read()
            .map(|typed| (typed, report))
            .map_err(|error| self.misfit(&error, options))
    }

    /// `parse`'s slow path, for a payload its fast path did not accept: the full
    /// report, and the typed value only should the report find nothing.
    fn parse_failed<T: DeserializeOwned>(
        &self,
        bytes: &[u8],
        options: &Options,
    ) -> Result<(T, Report), Report> {
        let report = self.report_bytes(bytes, options, true);
        // Should the report find nothing, `T` did not read the bytes or its check
        // refused them (a leap second...): read again, and `T` decides.
        self.typed_if_valid(report, || serde_json::from_slice(bytes), options)
    }

    /// The schema accepted the payload but the generated type did not: a generator
    /// bug, reported rather than hidden or panicked on. serde's message may quote
    /// the value it refused: only its place, unless the values may show.
    fn misfit(&self, error: &serde_json::Error, options: &Options) -> Report {
        let why = match (options.shows_values(), error.line()) {
            (true, _) => error.to_string(),
            // Read from a `Value`: no place to give.
            (false, 0) => "`show_values` gives serde's message".to_owned(),
            (false, line) => format!(
                "at line {line} column {} (`show_values` gives serde's message)",
                error.column()
            ),
        };
        Report::single(Diagnostic {
            severity: Severity::Error,
            kind: Kind::Schema,
            instance_path: String::new(),
            schema_path: String::new(),
            rule: None,
            message: format!(
                "payload is valid against {} but does not fit its generated type: {why}",
                self.id
            ),
        })
        .of(self.id)
    }

    /// `bytes` as `T` for a fast path, or `None` when `T` does not read them or
    /// they nest deeper than the reports read.
    fn read_typed<T: DeserializeOwned>(&self, bytes: &[u8]) -> Option<T> {
        self.deserialize(bytes).ok()
    }

    /// The schema compiled for typed values; `None` (the full path every time)
    /// should the jsonschema crate refuse it for them.
    fn typed_validator(&self) -> Option<&jsonschema::Validator<Typed>> {
        self.typed
            .get_or_init(|| {
                let schema: Value = serde_json::from_str(self.json).ok()?;
                compile::<Typed>(&schema).ok()
            })
            .as_ref()
    }

    fn validator(&self) -> Result<&jsonschema::Validator, Report> {
        let compiled = self.compiled.get_or_init(|| {
            let schema: Value = serde_json::from_str(self.json).map_err(|e| e.to_string())?;
            compile(&schema)
        });
        compiled.as_ref().map_err(|error| {
            // The generator compiles every schema before embedding it, so this means
            // the generated crate was edited by hand.
            Report::single(Diagnostic {
                severity: Severity::Error,
                kind: Kind::Schema,
                instance_path: String::new(),
                schema_path: String::new(),
                rule: None,
                message: format!("embedded schema {} does not compile: {error}", self.id),
            })
            .of(self.id)
        })
    }
}

/// Compiles `schema` as bankschema does everywhere (codegen checks each schema this
/// way before embedding it): formats asserted, and patterns run by the `regex`
/// engine, whose matching time is linear in the input: no pattern can make
/// validation backtrack for ever on a hostile payload. Its price: look-around and
/// backreferences are refused, here and so at codegen, naming the pattern.
/// The crate is built without resolvers: a `$ref` that leaves the schema fails
/// here rather than reading a file or opening a connection.
pub fn compile<F: Amounts>(schema: &Value) -> Result<jsonschema::Validator<F>, String> {
    let options = jsonschema::options_for::<F>()
        .should_validate_formats(true)
        .with_pattern_options(jsonschema::PatternOptions::regex());
    crate::keywords::register(options)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// One diagnostic per violation. An `anyOf`/`oneOf` where every branch but one
/// fails only because the value has another type (typically `T or null`) is
/// reported as the errors of that one branch: "does not match the pattern" at
/// `/items/0/bic` says more than "not valid under any of the schemas".
/// Messages show values as `redaction` says (whole when `None`).
fn push_diagnostics(
    error: &jsonschema::ValidationError<'_>,
    shown: &Shown<'_>,
    out: &mut Vec<Diagnostic>,
) {
    use jsonschema::error::ValidationErrorKind;
    let branches = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            Some(context)
        }
        _ => None,
    };
    if let Some(branches) = branches {
        // A branch that fails only for values a tolerant enum does not list holds,
        // with those warnings: the value is read.
        if let Some(branch) = branches.iter().find(|branch| branch.iter().all(warns_only)) {
            for inner in branch {
                push_diagnostics(inner, shown, out);
            }
            return;
        }
        let wrong_type = |branch: &Vec<jsonschema::ValidationError<'static>>| {
            matches!(branch.as_slice(), [only] if matches!(only.kind(), ValidationErrorKind::Type { .. })
                && only.instance_path() == error.instance_path())
        };
        let mut relevant = branches.iter().filter(|branch| !wrong_type(branch));
        if let (Some(branch), None) = (relevant.next(), relevant.next()) {
            for inner in branch {
                push_diagnostics(inner, shown, out);
            }
            return;
        }
    }
    let severity = match error.kind() {
        ValidationErrorKind::Custom { keyword, .. } if crate::keywords::warns(keyword) => {
            Severity::Warning
        }
        _ => Severity::Error,
    };
    out.push(Diagnostic {
        severity,
        kind: Kind::Schema,
        instance_path: error.instance_path().as_str().to_owned(),
        schema_path: error.schema_path().as_str().to_owned(),
        rule: None,
        message: shown.message(error),
    });
}

/// The text of the number at `pointer` below `root`, as written.
fn number_at<'i, N: bankschema_rules::Node<'i>>(root: N, pointer: &str) -> Option<String> {
    let mut node = root;
    for segment in pointer.split('/').skip(1) {
        let key = pointer::unescape(segment);
        node = if node.is_object() {
            node.get(&key)?
        } else {
            node.element(key.parse().ok()?)?
        };
    }
    node.number_text().map(std::borrow::Cow::into_owned)
}

/// Whether `error` is only warnings: a tolerant enum's unlisted value, or an
/// `anyOf`/`oneOf` one of whose branches fails only so.
fn warns_only(error: &jsonschema::ValidationError<'_>) -> bool {
    use jsonschema::error::ValidationErrorKind;
    match error.kind() {
        ValidationErrorKind::Custom { keyword, .. } => crate::keywords::warns(keyword),
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            context.iter().any(|branch| branch.iter().all(warns_only))
        }
        _ => false,
    }
}

/// How a report shows the values its messages quote.
struct Shown<'r> {
    redaction: Option<Redaction<'r>>,
    /// The text of the number at a pointer of the payload, as written: the
    /// jsonschema crate quotes a `Value`, which holds the nearest float.
    number_at: &'r dyn Fn(&str) -> Option<String>,
}

impl Shown<'_> {
    /// The message for `error`: a number quoted as written, every value as the
    /// redaction says.
    fn message(&self, error: &jsonschema::ValidationError<'_>) -> String {
        use jsonschema::error::ValidationErrorKind;
        let pointer = error.instance_path().as_str();
        let written = match &**error.instance() {
            Value::Number(number) => {
                (self.number_at)(pointer).filter(|text| *text != number.to_string())
            }
            _ => None,
        };
        let Some(written) = written else {
            return message(error, self.redaction.as_ref());
        };
        let shown = self
            .redaction
            .as_ref()
            .and_then(|r| r.number(pointer, &written))
            .unwrap_or(written);
        match error.kind() {
            ValidationErrorKind::Custom { keyword, message }
                if crate::keywords::judges(keyword) =>
            {
                format!("{shown} {message}")
            }
            _ => error.masked_with(shown).to_string(),
        }
    }
}

/// The jsonschema crate's message for `error`, its value shown as `redaction` says:
/// the crate writes the text it is given in the value's place.
fn message(error: &jsonschema::ValidationError<'_>, redaction: Option<&Redaction<'_>>) -> String {
    use jsonschema::error::ValidationErrorKind;
    if let ValidationErrorKind::Custom { keyword, message } = error.kind() {
        if crate::keywords::judges(keyword) {
            // The keywords judged here leave the value out of their message.
            let shown =
                redaction.and_then(|r| r.value(error.instance_path().as_str(), error.instance()));
            let value = shown.unwrap_or_else(|| error.instance().to_string());
            return format!("{value} {message}");
        }
    }
    let Some(redaction) = redaction else {
        return error.to_string();
    };
    if let ValidationErrorKind::PropertyNames { error } = error.kind() {
        // The message of the name's own error, which the crate writes whole.
        return message(error, Some(redaction));
    }
    let message = match redaction.value(error.instance_path().as_str(), error.instance()) {
        Some(shown) => error.masked_with(shown).to_string(),
        None => error.to_string(),
    };
    // Names of unexpected members are quoted whatever the placeholder: a long one
    // is shortened as a long value is.
    let names = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => unexpected.as_slice(),
        _ => &[],
    };
    names.iter().fold(
        message,
        |message, name| match bankschema_rules::redact::shorten(name) {
            std::borrow::Cow::Owned(short) => {
                message.replace(&format!("'{name}'"), &format!("'{short}'"))
            }
            std::borrow::Cow::Borrowed(_) => message,
        },
    )
}

fn rule_diagnostic(finding: Finding) -> Diagnostic {
    Diagnostic {
        severity: match finding.level {
            Level::Must => Severity::Error,
            Level::Should => Severity::Warning,
        },
        kind: Kind::Rule,
        instance_path: finding.pointer,
        schema_path: finding.keyword.to_owned(),
        rule: Some(finding.rule.id.to_owned()),
        message: finding.message,
    }
}

fn read_json(bytes: &[u8]) -> Result<Value, Report> {
    serde_json::from_slice(bytes).map_err(|error| {
        Report::single(Diagnostic {
            severity: Severity::Error,
            kind: Kind::Malformed,
            instance_path: String::new(),
            schema_path: String::new(),
            rule: None,
            message: format!("malformed JSON: {error}"),
        })
    })
}

/// An upper bound on the depth of the places in a payload that `schema` describes:
/// its own nesting as a JSON document, `$ref`s followed (each level of a payload
/// takes at least one level of its schema). `None` when a `$ref` recurses or points
/// outside `root`: no bound then. `refs` holds the bound of each `$ref` seen, `None`
/// while it is being measured.
fn outer_depth(
    schema: &Value,
    root: &Value,
    refs: &mut HashMap<String, Option<usize>>,
) -> Option<usize> {
    let children = match schema {
        Value::Object(members) => {
            let mut deepest = 0;
            for (key, member) in members {
                let depth = match (key.as_str(), member) {
                    ("$ref", Value::String(target)) => {
                        if let Some(known) = refs.get(target) {
                            *known
                        } else {
                            refs.insert(target.clone(), None);
                            let referred = target.strip_prefix('#').and_then(|p| root.pointer(p));
                            let depth = outer_depth(referred?, root, refs);
                            refs.insert(target.clone(), depth);
                            depth
                        }
                    }
                    _ => outer_depth(member, root, refs),
                }?;
                deepest = deepest.max(depth);
            }
            deepest
        }
        Value::Array(items) => {
            let mut deepest = 0;
            for item in items {
                deepest = deepest.max(outer_depth(item, root, refs)?);
            }
            deepest
        }
        _ => return Some(0),
    };
    Some(children + 1)
}

#[cfg(test)]
mod tests {
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
}
