//! The routes of `bankschema serve`.

use crate::{parse, Problem};
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bankschema_validator::{parse_with_warnings, Options, Report, SchemaId};
use std::time::{Duration, Instant};

/// The header of a 200 response that lists the rules' warnings, as a JSON array of
/// `{pointer, detail, rule}` with every character beyond printable ASCII escaped
/// (as many as fit in 8 KiB).
pub const WARNINGS_HEADER: &str = "bankschema-warnings";

/// The header of a 200 response that counts the rules' warnings (all of them).
pub const WARNINGS_COUNT_HEADER: &str = "bankschema-warnings-count";

/// The longest warnings header written.
const MAX_HEADER_BYTES: usize = 8 * 1024;

/// `POST /validate/{schema-id}`: 200 with the payload written back by its
/// generated type (the same JSON) and the warnings in [`WARNINGS_HEADER`]; a
/// [`Problem`] otherwise (400, 413, 422, and 404 for an unknown schema id).
/// `GET /healthz`: 200. Bodies are read up to `max_bytes`; each request is logged
/// with `tracing` (method, path, status, microseconds).
pub fn router(max_bytes: usize) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/validate/{id}", post(validate))
        .fallback(|| async { Problem::not_found() })
        .method_not_allowed_fallback(|| async { Problem::wrong_method() })
        .layer(DefaultBodyLimit::max(max_bytes))
        .layer(middleware::from_fn(log))
}

/// How long a client may take to send its body: a client that sends one byte a
/// minute holds a connection (and delays a graceful stop) no longer than this.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

async fn validate(id: Result<Path<String>, PathRejection>, request: Request) -> Response {
    // An id that is no UTF-8 once decoded (`%ff`) names no schema either.
    let id = id.map_or_else(|_| String::from("\u{fffd}"), |Path(id)| id);
    let Ok(schema) = id.parse::<SchemaId>() else {
        return Problem::unknown_schema(&id).into_response();
    };
    let body = tokio::time::timeout(BODY_TIMEOUT, Bytes::from_request(request, &())).await;
    let bytes = match body {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(rejection)) => return Problem::unreadable(&rejection, Some(schema)).into_response(),
        Err(_) => return Problem::slow_body(BODY_TIMEOUT).into_response(),
    };
    let parsed = parse(bytes, move |bytes| {
        let (payload, warnings) = parse_with_warnings(schema, bytes, &Options::default())?;
        Ok((serde_json::to_vec(&payload), warnings))
    })
    .await;
    match parsed {
        Ok((Ok(body), warnings)) => written(body, &warnings),
        Ok((Err(_), _)) => Problem::internal().into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// 200: the payload as its type writes it, and its warnings in a header.
fn written(body: Vec<u8>, warnings: &Report) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if warnings.diagnostics.is_empty() {
        return response;
    }
    // As many as fit in a header proxies pass (8 KiB); the count says how many
    // there are.
    let mut listed = Vec::new();
    let mut text = "[]".to_owned();
    for d in &warnings.diagnostics {
        listed.push(serde_json::json!({
            "pointer": d.instance_path,
            "detail": d.message,
            "rule": d.rule,
        }));
        let longer = ascii(&serde_json::Value::from(listed.clone()).to_string());
        if longer.len() > MAX_HEADER_BYTES {
            break;
        }
        text = longer;
    }
    if let Ok(value) = HeaderValue::from_str(&text) {
        headers.insert(WARNINGS_HEADER, value);
    }
    headers.insert(
        WARNINGS_COUNT_HEADER,
        HeaderValue::from(warnings.diagnostics.len()),
    );
    response
}

/// JSON text with every character outside printable ASCII written as `\uXXXX`
/// (a header value holds nothing else); still the same JSON.
fn ascii(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        path = %bankschema_rules::redact::printable(&path),
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warnings_header_holds_what_fits_and_the_count_all() {
        let warning = |i: usize| bankschema_validator::Diagnostic {
            severity: bankschema_validator::Severity::Warning,
            kind: bankschema_validator::Kind::Rule,
            instance_path: format!("/items/{i}"),
            schema_path: String::new(),
            rule: Some("bank2ai.identifier-present".to_owned()),
            message: "Servers SHOULD populate at least one identifier \u{7}".to_owned(),
        };
        let report = Report::new((0..2_000).map(warning).collect());
        let response = written(b"{}".to_vec(), &report);
        let headers = response.headers();
        let listed = headers[WARNINGS_HEADER].to_str().unwrap();
        assert!(listed.len() <= MAX_HEADER_BYTES, "{}", listed.len());
        let listed: serde_json::Value = serde_json::from_str(listed).unwrap();
        let shown = listed.as_array().unwrap().len();
        assert!((1..2_000).contains(&shown), "{shown}");
        assert_eq!(headers[WARNINGS_COUNT_HEADER], "2000");
        assert!(written(b"{}".to_vec(), &Report::default())
            .headers()
            .get(WARNINGS_HEADER)
            .is_none());
    }

    #[test]
    fn header_json_is_printable_ascii_and_the_same_json() {
        let json = serde_json::json!({"detail": "caf\u{e9} \u{1f4b6} \u{7}\u{7f}"}).to_string();
        let escaped = ascii(&json);
        assert!(
            escaped.chars().all(|c| (' '..='~').contains(&c)),
            "{escaped}"
        );
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back.to_string(), json);
    }
}
