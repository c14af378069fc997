//! Where a rule's findings go: [`Out`], which writes a finding's message only when
//! the report keeps it.

use crate::redact::{self, Quoting};
use crate::{Finding, Level, Options, Site};

/// Where a rule's findings go, stamped with the site that found them.
pub(crate) struct Out<'a> {
    pub(crate) site: &'a Site,
    /// The sites of the schema, and the options: how messages show the values they
    /// quote, worked out only when a message is written.
    pub(crate) sites: &'a [Site],
    pub(crate) options: &'a Options,
    /// The index of `site` among `sites`, which each finding goes with.
    pub(crate) index: usize,
    pub(crate) findings: &'a mut Vec<(usize, Finding)>,
    /// Whether the report already rejects the value at a pointer: a finding there,
    /// or one whose verdict read a value there, is not written at all.
    pub(crate) rejected: Rejected<'a>,
}

/// Whether a report already rejects the value at a pointer (see [`crate::Plan::check_except`]).
pub(crate) type Rejected<'a> = &'a dyn Fn(&str) -> bool;

/// Rejects nothing.
pub(crate) fn nothing_rejected(_: &str) -> bool {
    false
}

impl Out<'_> {
    fn quoting(&self) -> Quoting {
        Quoting::new(self.sites, self.site, self.options)
    }

    /// `"text"`, a value of the site, quoted as a message may show it.
    pub(crate) fn quote(&self, text: &str) -> String {
        redact::quote(&self.quoting().site_value(text))
    }

    /// `text`, a value of the site, unquoted (a number) as a message may show it.
    pub(crate) fn site_value<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        self.quoting().site_value(text)
    }

    /// `text`, another value of the payload, as a message may show it.
    pub(crate) fn other_value<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        self.quoting().other_value(text)
    }

    /// A finding at `pointer`; `what` writes its message (only when it is kept).
    pub(crate) fn report(&mut self, pointer: &str, what: impl FnOnce(&Self) -> String) {
        self.report_reading(pointer, Vec::new(), what);
    }

    /// A finding whose verdict also read the values at `premises`.
    pub(crate) fn report_reading(
        &mut self,
        pointer: &str,
        premises: Vec<String>,
        what: impl FnOnce(&Self) -> String,
    ) {
        let level = self.site.rule.info().level;
        self.push(level, pointer, premises, what);
    }

    pub(crate) fn report_as(
        &mut self,
        level: Level,
        pointer: &str,
        what: impl FnOnce(&Self) -> String,
    ) {
        self.push(level, pointer, Vec::new(), what);
    }

    fn push(
        &mut self,
        level: Level,
        pointer: &str,
        premises: Vec<String>,
        what: impl FnOnce(&Self) -> String,
    ) {
        if (self.rejected)(pointer) || premises.iter().any(|p| (self.rejected)(p)) {
            return;
        }
        let what = what(self);
        let info = self.site.rule.info();
        self.findings.push((
            self.index,
            Finding {
                rule: info,
                level,
                pointer: pointer.to_owned(),
                keyword: self.site.keyword,
                message: format!("{what}: \"{}\"", info.sentence),
                premises,
            },
        ));
    }
}
