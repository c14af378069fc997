//! What the rules read of a payload: a JSON value seen through a few accessors, so
//! that the same rule code judges a `serde_json::Value` (the full report) and a
//! generated typed value (`parse`'s fast path, through `bankschema-runtime`).

use serde_json::Value;
use std::borrow::Cow;

/// A JSON value the rules can read; cheap to copy.
pub trait Node<'a>: Copy + 'a {
    /// The member `key` of an object.
    fn get(self, key: &str) -> Option<Self>;
    /// The members of an object, or the elements of an array named by their index;
    /// nothing for a scalar.
    fn children(self) -> Vec<(Cow<'a, str>, Self)>;
    /// The elements of an array.
    fn elements(self) -> Option<Vec<Self>>;
    /// The element `index` of an array.
    fn element(self, index: usize) -> Option<Self> {
        self.elements()?.into_iter().nth(index)
    }
    fn is_object(self) -> bool;
    fn as_str(self) -> Option<&'a str>;
    fn as_bool(self) -> Option<bool>;
    fn is_null(self) -> bool;
    /// A number's text, exactly as written.
    fn number_text(self) -> Option<Cow<'a, str>>;
    fn is_number(self) -> bool;
    /// Whether two numbers are the same value (`1.10` and `1.1` are); `false`
    /// when either is not a number. By their text ([`crate::numbers_equal`]),
    /// unless the node knows better.
    fn same_number(self, other: Self) -> bool {
        match (self.number_text(), other.number_text()) {
            (Some(a), Some(b)) => crate::numbers_equal(&a, &b),
            _ => false,
        }
    }
}

impl<'a> Node<'a> for &'a Value {
    fn get(self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }

    fn element(self, index: usize) -> Option<Self> {
        self.as_array()?.get(index)
    }

    fn children(self) -> Vec<(Cow<'a, str>, Self)> {
        match self {
            Value::Object(members) => members
                .iter()
                .map(|(key, value)| (Cow::Borrowed(key.as_str()), value))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| (Cow::Owned(i.to_string()), item))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn elements(self) -> Option<Vec<Self>> {
        Some(self.as_array()?.iter().collect())
    }

    fn is_object(self) -> bool {
        Value::is_object(self)
    }

    fn as_str(self) -> Option<&'a str> {
        Value::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn is_null(self) -> bool {
        Value::is_null(self)
    }

    fn number_text(self) -> Option<Cow<'a, str>> {
        match self {
            // As serde_json writes it: the value the `Value` holds.
            Value::Number(number) => Some(Cow::Owned(number.to_string())),
            _ => None,
        }
    }

    fn is_number(self) -> bool {
        Value::is_number(self)
    }
}
