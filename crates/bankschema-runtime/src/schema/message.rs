//! The schema's diagnostics: one per violation (a nullable value reported by its
//! non-null branch), their messages quoting numbers as written and values as the
//! redaction says.

use crate::{Diagnostic, Kind, Severity};
use bankschema_rules::{pointer, Redaction};
use serde_json::Value;

/// One diagnostic per violation. An `anyOf`/`oneOf` where every branch but one
/// fails only because the value has another type (typically `T or null`) is
/// reported as the errors of that one branch: "does not match the pattern" at
/// `/items/0/bic` says more than "not valid under any of the schemas".
/// Messages show values as `redaction` says (whole when `None`).
pub(super) fn push_diagnostics(
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
pub(super) fn number_at<'i, N: bankschema_rules::Node<'i>>(
    root: N,
    pointer: &str,
) -> Option<String> {
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
pub(super) struct Shown<'r> {
    pub(super) redaction: Option<Redaction<'r>>,
    /// The text of the number at a pointer of the payload, as written: the
    /// jsonschema crate quotes a `Value`, which holds the nearest float.
    pub(super) number_at: &'r dyn Fn(&str) -> Option<String>,
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
