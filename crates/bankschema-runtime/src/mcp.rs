//! A whole MCP exchange, a `tools/call` request and its response, checked as a
//! bank2ai server author needs (and as `bankschema validate --mcp` does).
//!
//! The file holds one JSON object with both messages as they went over the wire:
//!
//! ```json
//! {"request":  {"jsonrpc": "2.0", "id": 7, "method": "tools/call",
//!               "params": {"name": "get-accounts", "arguments": {...}}},
//!  "response": {"jsonrpc": "2.0", "id": 7,
//!               "result": {"content": [...], "structuredContent": {...}}}}
//! ```
//!
//! The arguments are validated against `<tool>.input`, the `structuredContent`
//! against `<tool>.output` with the arguments as the call's input (so the filter
//! rule compares them), and the envelope against what JSON-RPC 2.0 and MCP require.
//! Every pointer is into this document.

use crate::{Diagnostic, EmbeddedSchema, Kind, Options, Report, Severity};
use serde_json::Value;

/// Every problem of the exchange `document`, with `options` (allowed rules) applied.
/// `tool` gives a tool's input and output schemas by its name (the generated
/// validator's `validate_mcp_exchange` passes every tool it knows).
pub fn check_exchange<'s>(
    document: &Value,
    options: &Options,
    tool: impl Fn(&str) -> Option<(&'s EmbeddedSchema, &'s EmbeddedSchema)>,
) -> Report {
    let mut report = Report::default();
    let (Some(request), Some(response)) = (document.get("request"), document.get("response"))
    else {
        push_error(
            &mut report,
            "",
            "expected an object with `request` (the `tools/call` request) and `response` (its JSON-RPC response)".into(),
        );
        return report;
    };
    check_envelope(&mut report, request, response);
    let name = request.pointer("/params/name").and_then(Value::as_str);
    let Some((input, output)) = name.and_then(tool) else {
        push_error(
            &mut report,
            "/request/params/name",
            format!(
                "expected the name of a tool bankschema knows (such as `get-accounts`), found {}",
                shown(request.pointer("/params/name"))
            ),
        );
        return report;
    };
    // MCP: `arguments` may be left out when there are none.
    let empty = Value::Object(Default::default());
    let arguments = request.pointer("/params/arguments").unwrap_or(&empty);
    let at = "/request/params/arguments";
    extend(
        &mut report,
        at,
        input.validate_value_with(arguments, options),
    );
    check_output(&mut report, response, output, arguments, options);
    report
}

/// The envelope's problems: the method, both messages' `jsonrpc`, and the ids.
fn check_envelope(report: &mut Report, request: &Value, response: &Value) {
    if request.get("method") != Some(&Value::from("tools/call")) {
        push_error(
            report,
            "/request/method",
            format!(
                "expected `\"tools/call\"`, found {}",
                shown(request.get("method"))
            ),
        );
    }
    for (at, message) in [("/request", request), ("/response", response)] {
        if message.get("jsonrpc") != Some(&Value::from("2.0")) {
            push_error(
                report,
                &format!("{at}/jsonrpc"),
                format!(
                    "JSON-RPC 2.0 messages carry `\"jsonrpc\": \"2.0\"`, found {}",
                    shown(message.get("jsonrpc"))
                ),
            );
        }
    }
    if response.get("id") != request.get("id") {
        push_error(
            report,
            "/response/id",
            format!(
                "the response id {} is not the request id {}: JSON-RPC 2.0 says it MUST be the same",
                shown(response.get("id")),
                shown(request.get("id"))
            ),
        );
    }
}

/// The response's problems: its `result`, then its `structuredContent` against
/// `output`, with `arguments` as the call's input.
fn check_output(
    report: &mut Report,
    response: &Value,
    output: &EmbeddedSchema,
    arguments: &Value,
    options: &Options,
) {
    let Some(result) = response.get("result") else {
        let found = match response.get("error") {
            Some(failure) => format!("a JSON-RPC error: {failure}"),
            None => "neither `result` nor `error`".to_owned(),
        };
        push_error(
            report,
            "/response",
            format!("expected the tool's `result`, found {found}"),
        );
        return;
    };
    if result.get("isError") == Some(&Value::Bool(true)) {
        push_error(
            report,
            "/response/result/isError",
            "the tool reports an error (`isError: true`): there is no output to check".into(),
        );
        return;
    }
    let Some(content) = result.get("structuredContent") else {
        push_error(
            report,
            "/response/result",
            format!("no `structuredContent`: MCP says a tool with an output schema MUST return structured results that conform to it (`{}`)", output.id()),
        );
        return;
    };
    let options = options.clone().with_input(arguments.clone());
    let at = "/response/result/structuredContent";
    extend(report, at, output.validate_value_with(content, &options));
}

/// Adds `found`, its pointers moved under `at`.
fn extend(report: &mut Report, at: &str, found: Report) {
    report
        .diagnostics
        .extend(found.diagnostics.into_iter().map(|mut d| {
            d.instance_path = format!("{at}{}", d.instance_path);
            d
        }));
}

fn push_error(report: &mut Report, at: &str, message: String) {
    report.diagnostics.push(Diagnostic {
        severity: Severity::Error,
        kind: Kind::Schema,
        instance_path: at.to_owned(),
        schema_path: String::new(),
        rule: None,
        message,
    });
}

fn shown(value: Option<&Value>) -> String {
    value.map_or("nothing".to_owned(), Value::to_string)
}
