//! Payloads read as their generated type: [`EmbeddedSchema`]'s `parse` family, its
//! fast paths on the typed value and its fall back to the full report.

use super::{rule_diagnostic, EmbeddedSchema};
use crate::typed::AsNode;
use crate::{Kind, Report};
use bankschema_rules::{Finding, Level, Options};
use serde::de::DeserializeOwned;
use serde_json::Value;

impl EmbeddedSchema {
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
                    && !self
                        .plan()
                        .check(node, options)
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
        match self.report_typed(&typed, options, rules) {
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
        let report = self.report_bytes(bytes, options);
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
        Report::refusing(
            Kind::Schema,
            format!(
                "payload is valid against {} but does not fit its generated type: {why}",
                self.id
            ),
        )
        .of(self.id)
    }

    /// `bytes` as `T` for a fast path, or `None` when `T` does not read them or
    /// they nest deeper than the reports read.
    pub(super) fn read_typed<T: DeserializeOwned>(&self, bytes: &[u8]) -> Option<T> {
        self.deserialize(bytes).ok()
    }
}
