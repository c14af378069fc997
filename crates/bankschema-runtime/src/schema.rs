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
use bankschema_rules::{pointer, Finding, Level, Options, Plan, Redaction, Site};
use serde_json::Value;
use std::sync::OnceLock;

mod depth;
mod message;
mod parse;
#[cfg(test)]
mod tests;

use message::{number_at, push_diagnostics, Shown};

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
    /// [`outer_depth`](depth::outer_depth)).
    outer: OnceLock<Option<usize>>,
    /// The rules' sites as one walk, built on first use.
    plan: OnceLock<Plan<'static>>,
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
            plan: OnceLock::new(),
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
    ///
    /// One read: the bytes are read once, as [`Raw`] JSON (borrowing their text,
    /// cheaper than a `Value`), and the schema and the rules judge that. The
    /// generated type is not read: when it could not hold the payload (a value its
    /// enum does not list), the report would need the bytes read a second time,
    /// and `parse` is the way to the typed value. Every error is listed straight
    /// away, without a quick verdict first: on a valid payload listing none costs
    /// what the verdict does, and on an invalid one the verdict would be wasted.
    pub fn validate_with(&self, bytes: &[u8], options: &Options) -> Report {
        self.report_bytes(bytes, options)
    }

    /// The full report on `bytes`, read as [`Raw`] JSON (cheaper than a `Value`,
    /// the same report), every error listed.
    fn report_bytes(&self, bytes: &[u8], options: &Options) -> Report {
        match Raw::read(bytes) {
            Ok(raw) => self.report_raw(&raw, options),
            Err(_) => self.report_refused(bytes, options),
        }
    }

    /// The report on `raw`, every error listed.
    fn report_raw(&self, raw: &Raw<'_>, options: &Options) -> Report {
        let (Some(node), Some(validator)) = (raw.as_node(), self.typed_validator()) else {
            return self.report(&raw.to_value(), options, true);
        };
        self.report_on(validator, node, options, true, |rejected| {
            self.plan().check_except(node, options, rejected)
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
        let judged = self.report_raw(&raw, options).diagnostics;
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
            return self.report_on(validator, node, options, likely_invalid, |rejected| {
                self.plan().check_except(node, options, rejected)
            });
        }
        match self.validator() {
            Ok(validator) => {
                self.report_on(validator, value, options, likely_invalid, |rejected| {
                    self.plan().check_except(value, options, rejected)
                })
            }
            Err(report) => report,
        }
    }

    /// The report on `node`, a `Value` or a generated typed value (the two give the
    /// same report for the same payload: the differential tests hold them to it).
    /// The rules' findings come from `rules`, which leaves out those at values the
    /// schema already rejects (it is told which) or read from one; messages show
    /// values as `options` say.
    fn report_on<'i, F>(
        &self,
        validator: &'i jsonschema::Validator<F>,
        node: F::Node<'i>,
        options: &Options,
        likely_invalid: bool,
        rules: impl FnOnce(&dyn Fn(&str) -> bool) -> Vec<Finding>,
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
        // Built for the first finding that asks, if any: a report may hold tens of
        // thousands of errors, and most payloads break no rule.
        // A warning (a value a tolerant enum does not list) rejects nothing.
        let rejected = std::cell::OnceCell::new();
        let rejected = |pointer: &str| {
            let set: &std::collections::HashSet<&str> = rejected.get_or_init(|| {
                diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| d.instance_path.as_str())
                    .chain(missing.iter().map(String::as_str))
                    .collect()
            });
            set.contains(pointer)
        };
        let kept = rules(&rejected);
        diagnostics.extend(kept.into_iter().map(rule_diagnostic));
        Report::new(diagnostics).of(self.id)
    }

    /// The full report on a typed value its generated check refused; `rules` is its
    /// generated rule walk. `None` when the typed view cannot be judged (the bytes'
    /// path then is).
    fn report_typed<T: AsNode>(
        &self,
        typed: &T,
        options: &Options,
        rules: fn(&T, &Options) -> Vec<Finding>,
    ) -> Option<Report> {
        let node = typed.as_node()?;
        let validator = self.typed_validator()?;
        // The generated walk is not told what the schema rejects: its findings
        // there are dropped here.
        Some(self.report_on(validator, node, options, true, |rejected| {
            rules(typed, options)
                .into_iter()
                .filter(|f| !rejected(&f.pointer) && !f.premises.iter().any(|p| rejected(p)))
                .collect()
        }))
    }

    /// The rules' sites as one walk ([`Plan`]).
    fn plan(&self) -> &Plan<'static> {
        self.plan.get_or_init(|| Plan::new(self.rules))
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
            Report::refusing(
                Kind::Schema,
                format!("embedded schema {} does not compile: {error}", self.id),
            )
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
    serde_json::from_slice(bytes)
        .map_err(|error| Report::refusing(Kind::Malformed, format!("malformed JSON: {error}")))
}
