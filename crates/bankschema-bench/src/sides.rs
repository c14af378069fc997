//! The sides the benchmark compares, and one call of each on a case.

use crate::Case;
use bankschema_types::{connected_accounts, get_accounts, linked_accounts};
use bankschema_validator::{parse, validate, SchemaId};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::hint::black_box;

/// The sides, in the order of the table's columns.
pub const SIDES: [&str; COUNT] = [
    "bankschema",
    "serde_typed",
    "simd_json_typed",
    "jsonschema_runtime",
    "jsonschema_macro",
];

/// How many sides there are: the length of every row of medians.
pub const COUNT: usize = 5;

/// `parse` (valid payloads) or the full report (invalid ones).
pub const BANKSCHEMA: usize = 0;
/// serde_json into the generated type, unvalidated.
pub const SERDE_TYPED: usize = 1;
/// simd-json, the faster of the SIMD readers tried (`examples/simd`), into the
/// generated type, unvalidated, and lossy: it reads numbers as `f64`s and keeps no
/// text, so amounts and unknown numbers lose their digits.
pub const SIMD_TYPED: usize = 2;
/// The jsonschema crate's validator built at run time, then serde from the `Value`.
pub const JSONSCHEMA_RUNTIME: usize = 3;
/// The same with its compile-time `#[jsonschema::validator]`.
pub const JSONSCHEMA_MACRO: usize = 4;

/// The jsonschema crate's validators, compiled once, formats asserted.
pub struct Runtime {
    validators: Vec<(SchemaId, jsonschema::Validator)>,
}

impl Runtime {
    pub fn new() -> Result<Runtime, String> {
        let mut validators = Vec::new();
        for id in [
            SchemaId::GetAccountsOutput,
            SchemaId::ConnectedAccountsResponse,
            SchemaId::LinkedAccountsResponse,
        ] {
            let schema: Value =
                serde_json::from_str(id.json_schema()).map_err(|e| e.to_string())?;
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .map_err(|e| format!("{id}: {e}"))?;
            validators.push((id, validator));
        }
        Ok(Runtime { validators })
    }

    pub fn validator(&self, id: SchemaId) -> &jsonschema::Validator {
        &self
            .validators
            .iter()
            .find(|(known, _)| *known == id)
            .expect("a validator per case schema")
            .1
    }
}

/// One call of `side` on `case`; a number that depends on the outcome, so that the
/// work cannot be optimised away.
pub fn run(side: usize, case: &Case, runtime: &Runtime) -> usize {
    let bytes = black_box(case.bytes.as_slice());
    match (side, case.valid) {
        (BANKSCHEMA, true) => usize::from(parse(case.id, bytes).is_ok()),
        (BANKSCHEMA, false) => validate(case.id, bytes).diagnostics.len(),
        (SERDE_TYPED, _) => typed(case.id, Reader::SerdeJson, bytes),
        (SIMD_TYPED, _) => typed(case.id, Reader::SimdJson, bytes),
        (JSONSCHEMA_RUNTIME | JSONSCHEMA_MACRO, valid) => {
            let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
                return 0;
            };
            let id = case.id.as_str();
            match (side, valid) {
                (JSONSCHEMA_RUNTIME, true) if runtime.validator(case.id).is_valid(&value) => {
                    typed_value(case.id, value)
                }
                (JSONSCHEMA_MACRO, true)
                    if bankschema_bench_macro::is_valid(id, &value) == Some(true) =>
                {
                    typed_value(case.id, value)
                }
                (JSONSCHEMA_RUNTIME, false) => {
                    runtime.validator(case.id).iter_errors(&value).count()
                }
                (JSONSCHEMA_MACRO, false) => {
                    bankschema_bench_macro::error_count(id, &value).unwrap_or(0)
                }
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// The reader of an unvalidated typed side.
#[derive(Clone, Copy)]
pub enum Reader {
    SerdeJson,
    /// On a copy of the bytes: simd-json reads in place.
    SimdJson,
}

impl Reader {
    fn accepts<T: DeserializeOwned>(self, bytes: &[u8]) -> bool {
        match self {
            Reader::SerdeJson => serde_json::from_slice::<T>(bytes).is_ok(),
            Reader::SimdJson => {
                let mut copy = bytes.to_vec();
                simd_json::serde::from_slice::<T>(&mut copy).is_ok()
            }
        }
    }
}

/// `bytes` into the generated type of `id` by `reader`, unvalidated: 1 when it
/// accepts them.
pub fn typed(id: SchemaId, reader: Reader, bytes: &[u8]) -> usize {
    let ok = match id {
        SchemaId::GetAccountsOutput => reader.accepts::<get_accounts::AccountList>(bytes),
        SchemaId::ConnectedAccountsResponse => {
            reader.accepts::<connected_accounts::ConnectedAccountList>(bytes)
        }
        SchemaId::LinkedAccountsResponse => {
            reader.accepts::<linked_accounts::LinkedAccountList>(bytes)
        }
        _ => false,
    };
    usize::from(ok)
}

/// A parsed `Value` into the generated type of `id`: 1 when serde accepts it.
fn typed_value(id: SchemaId, value: Value) -> usize {
    let ok = match id {
        SchemaId::GetAccountsOutput => {
            serde_json::from_value::<get_accounts::AccountList>(value).is_ok()
        }
        SchemaId::ConnectedAccountsResponse => {
            serde_json::from_value::<connected_accounts::ConnectedAccountList>(value).is_ok()
        }
        SchemaId::LinkedAccountsResponse => {
            serde_json::from_value::<linked_accounts::LinkedAccountList>(value).is_ok()
        }
        _ => false,
    };
    usize::from(ok)
}
