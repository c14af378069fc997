//! The cases' material: the valid examples they start from, the edits that make
//! a case's payload of one, and [`Case`] itself.

use crate::support::valid_example as example;
use bankschema_validator::{Options, SchemaId};
use serde_json::{json, Value};

/// One case: a payload, the options it is checked with, and the rule ids (with
/// their severity) the report must hold, in order.
pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) id: SchemaId,
    pub(crate) payload: Value,
    pub(crate) options: Options,
    pub(crate) expect: Vec<&'static str>,
}

pub(crate) fn accounts() -> Value {
    example(
        SchemaId::GetAccountsOutput,
        "full-current-account-with-debit-card",
    )
}

pub(crate) fn credit_card() -> Value {
    example(SchemaId::GetAccountsOutput, "full-credit-card-account")
}

pub(crate) fn connected() -> Value {
    example(
        SchemaId::ConnectedAccountsResponse,
        "seed-000-documented-example",
    )
}

pub(crate) fn linked() -> Value {
    example(SchemaId::LinkedAccountsResponse, "full-uk-linked-account")
}

/// `payload` with each pointer set to its value (`null` pointers removed instead
/// when the value is the `REMOVE` marker). Parents must exist.
pub(crate) fn edit(mut payload: Value, edits: &[(&str, Value)]) -> Value {
    for (pointer, value) in edits {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let parent = payload.pointer_mut(parent).unwrap();
        match parent {
            Value::Object(object) if *value == json!(REMOVE) => {
                object.remove(key);
            }
            Value::Object(object) => {
                object.insert(key.to_owned(), value.clone());
            }
            Value::Array(array) => {
                let index: usize = key.parse().unwrap();
                if index == array.len() {
                    array.push(value.clone());
                } else {
                    array[index] = value.clone();
                }
            }
            other => panic!("cannot edit {pointer} in {other}"),
        }
    }
    payload
}

pub(crate) const REMOVE: &str = "<remove>";

pub(crate) fn case(
    name: &'static str,
    id: SchemaId,
    payload: Value,
    expect: &[&'static str],
) -> Case {
    Case {
        name,
        id,
        payload,
        options: Options::default(),
        expect: expect.to_vec(),
    }
}
