//! [`Problem`]: a report as an RFC 9457 problem response.

use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bankschema_rules::redact::printable;
use bankschema_validator::{Kind, Report, SchemaId, Severity};
use serde_json::{json, Value};

/// The most errors a problem lists: a body of millions of broken items answers
/// with a bounded response (its `detail` says how many are listed).
pub const MAX_ERRORS: usize = 100;

/// Why a request was refused, as `application/problem+json` (RFC 9457): `type`,
/// `title`, `status`, `detail`, the `schemaId` judged against, and `errors`, one
/// `{pointer, detail, kind, rule}` per error of the report. Every text is escaped
/// as reports are (no control character reaches a client or a log), and values are
/// masked as the report masked them.
#[derive(Clone, Debug)]
pub struct Problem {
    status: StatusCode,
    slug: &'static str,
    title: &'static str,
    detail: String,
    schema_id: Option<String>,
    errors: Vec<Value>,
}

impl Problem {
    /// The problem of an invalid `report`: 413 when a limit was reached, 400 when
    /// the body is not JSON a payload may be, 422 when it breaks its contract.
    pub fn from_report(report: &Report) -> Problem {
        let kinds: Vec<Kind> = report.errors().map(|d| d.kind).collect();
        // A body over the size limit never reaches a report (axum refuses it, 413);
        // a limit in a report is the reader's (nesting): a bad request.
        let (status, slug, title) = if kinds.contains(&Kind::Limit) {
            (
                StatusCode::BAD_REQUEST,
                "beyond-reader-limit",
                "The payload is beyond a limit of the reader",
            )
        } else if kinds.contains(&Kind::Malformed) {
            (
                StatusCode::BAD_REQUEST,
                "malformed-payload",
                "The payload is not JSON a payload may be",
            )
        } else {
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "contract-violation",
                "The payload breaks its contract",
            )
        };
        let mut detail = report.summary();
        let count = report.errors().count();
        if count > MAX_ERRORS {
            detail.push_str(&format!("; the first {MAX_ERRORS} errors are listed"));
        }
        // Pointers stay exact (JSON escapes their control characters); messages are
        // escaped as every report's.
        let errors = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .take(MAX_ERRORS)
            .map(|d| {
                json!({
                    "pointer": d.instance_path,
                    "detail": printable(&d.message),
                    "kind": d.kind.to_string(),
                    "rule": d.rule,
                })
            })
            .collect();
        Problem {
            status,
            slug,
            title,
            detail,
            schema_id: report.schema_id.map(str::to_owned),
            errors,
        }
    }

    /// The status the response carries.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The problem as its JSON body.
    pub fn to_json(&self) -> Value {
        json!({
            "type": format!("urn:bankschema:problem:{}", self.slug),
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": printable(&self.detail),
            "schemaId": self.schema_id,
            "errors": self.errors,
        })
    }

    /// A body that could not be read: over the limit (413) or cut short (400).
    pub(crate) fn unreadable(rejection: &BytesRejection, schema: Option<SchemaId>) -> Problem {
        let status = rejection.status();
        let (slug, title) = if status == StatusCode::PAYLOAD_TOO_LARGE {
            ("payload-too-large", "The payload is too large")
        } else {
            ("unreadable-body", "The request body cannot be read")
        };
        Problem {
            status,
            slug,
            title,
            detail: rejection.body_text(),
            schema_id: schema.map(|id| id.as_str().to_owned()),
            errors: Vec::new(),
        }
    }

    /// A body not sent within `limit` (408).
    pub(crate) fn slow_body(limit: std::time::Duration) -> Problem {
        Problem {
            status: StatusCode::REQUEST_TIMEOUT,
            slug: "slow-body",
            title: "The request body came too slowly",
            detail: format!("the body was not sent within {} s", limit.as_secs()),
            schema_id: None,
            errors: Vec::new(),
        }
    }

    /// No schema id of that name (404).
    pub(crate) fn unknown_schema(id: &str) -> Problem {
        let known: Vec<&str> = SchemaId::ALL.iter().map(|id| id.as_str()).collect();
        Problem {
            status: StatusCode::NOT_FOUND,
            slug: "unknown-schema-id",
            title: "No schema has this id",
            detail: format!(
                "unknown schema id `{}`; expected one of: {}",
                bankschema_rules::redact::shorten(id),
                known.join(", ")
            ),
            schema_id: None,
            errors: Vec::new(),
        }
    }

    /// A route that takes another method (405).
    pub(crate) fn wrong_method() -> Problem {
        Problem {
            status: StatusCode::METHOD_NOT_ALLOWED,
            slug: "method-not-allowed",
            title: "This route takes another method",
            detail: "routes: POST /validate/{schema-id}, GET /healthz".to_owned(),
            schema_id: None,
            errors: Vec::new(),
        }
    }

    /// No route of that path (404).
    pub(crate) fn not_found() -> Problem {
        Problem {
            status: StatusCode::NOT_FOUND,
            slug: "not-found",
            title: "No such route",
            detail: "routes: POST /validate/{schema-id}, GET /healthz".to_owned(),
            schema_id: None,
            errors: Vec::new(),
        }
    }

    /// The parse itself failed to run (500).
    pub(crate) fn internal() -> Problem {
        Problem {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            slug: "internal-error",
            title: "The payload could not be judged",
            detail: "the parse did not complete".to_owned(),
            schema_id: None,
            errors: Vec::new(),
        }
    }
}

impl From<Report> for Problem {
    fn from(report: Report) -> Problem {
        Problem::from_report(&report)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = self.to_json().to_string();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
