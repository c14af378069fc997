//! The benchmark's `jsonschema_macro` side: the jsonschema crate's validators
//! compiled from the JSON Schemas `cargo xtask codegen` writes beside the validator
//! crate, formats asserted, as the runtime side has them.

use serde_json::Value;

#[jsonschema::validator(
    path = "../../generated/bankschema-validator/schemas/get-accounts.output.json",
    validate_formats = true
)]
struct GetAccountsOutput;

#[jsonschema::validator(
    path = "../../generated/bankschema-validator/schemas/connected-accounts.response.json",
    validate_formats = true
)]
struct ConnectedAccountsResponse;

#[jsonschema::validator(
    path = "../../generated/bankschema-validator/schemas/linked-accounts.response.json",
    validate_formats = true
)]
struct LinkedAccountsResponse;

/// Whether `instance` is valid against the schema id; `None` for an id this crate
/// has no validator for.
pub fn is_valid(id: &str, instance: &Value) -> Option<bool> {
    Some(match id {
        "get-accounts.output" => GetAccountsOutput::is_valid(instance),
        "connected-accounts.response" => ConnectedAccountsResponse::is_valid(instance),
        "linked-accounts.response" => LinkedAccountsResponse::is_valid(instance),
        _ => return None,
    })
}

/// How many errors `instance` has against the schema id (all of them collected).
pub fn error_count(id: &str, instance: &Value) -> Option<usize> {
    Some(match id {
        "get-accounts.output" => GetAccountsOutput::iter_errors(instance).count(),
        "connected-accounts.response" => ConnectedAccountsResponse::iter_errors(instance).count(),
        "linked-accounts.response" => LinkedAccountsResponse::iter_errors(instance).count(),
        _ => return None,
    })
}
