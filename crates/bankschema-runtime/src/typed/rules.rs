//! The prose rules' view of generated values: [`TypedNode`] as a
//! [`bankschema_rules::Node`].

use super::TypedNode;
use jsonschema::json::Node;
use jsonschema::JsonType;
use serde_json::Value;
use std::borrow::Cow;

impl<'a> bankschema_rules::Node<'a> for TypedNode<'a> {
    fn get(self, key: &str) -> Option<Self> {
        match self {
            TypedNode::Object(object) => object.get(key),
            TypedNode::Value(value) => value.as_object()?.get(key).map(TypedNode::Value),
            _ => None,
        }
    }

    fn children(self) -> Vec<(Cow<'a, str>, Self)> {
        match self {
            TypedNode::Object(object) => object
                .members()
                .into_iter()
                .map(|(key, node)| (Cow::Borrowed(key), node))
                .collect(),
            TypedNode::Array(array) => array
                .elements()
                .into_iter()
                .enumerate()
                .map(|(i, node)| (Cow::Owned(i.to_string()), node))
                .collect(),
            TypedNode::Value(value) => bankschema_rules::Node::children(value)
                .into_iter()
                .map(|(key, child)| (key, TypedNode::Value(child)))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn element(self, index: usize) -> Option<Self> {
        match self {
            TypedNode::Array(array) => array.element(index),
            TypedNode::Value(Value::Array(items)) => items.get(index).map(TypedNode::Value),
            _ => None,
        }
    }

    fn elements(self) -> Option<Vec<Self>> {
        match self {
            TypedNode::Array(array) => Some(array.elements()),
            TypedNode::Value(Value::Array(items)) => {
                Some(items.iter().map(TypedNode::Value).collect())
            }
            _ => None,
        }
    }

    fn is_object(self) -> bool {
        matches!(
            self,
            TypedNode::Object(_) | TypedNode::Value(Value::Object(_))
        )
    }

    fn as_str(self) -> Option<&'a str> {
        match self {
            TypedNode::Str(text) => Some(text),
            TypedNode::Value(Value::String(text)) => Some(text),
            _ => None,
        }
    }

    fn as_bool(self) -> Option<bool> {
        match self {
            TypedNode::Bool(value) | TypedNode::Value(&Value::Bool(value)) => Some(value),
            _ => None,
        }
    }

    fn is_null(self) -> bool {
        matches!(self, TypedNode::Null | TypedNode::Value(Value::Null))
    }

    fn number_text(self) -> Option<Cow<'a, str>> {
        match self {
            TypedNode::Money(money) => Some(Cow::Owned(money.to_string())),
            TypedNode::Number(text) => Some(Cow::Borrowed(text)),
            TypedNode::Value(Value::Number(number)) => Some(Cow::Owned(number.to_string())),
            TypedNode::Integer(n) => Some(Cow::Owned(n.to_string())),
            TypedNode::Unsigned(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        }
    }

    fn is_number(self) -> bool {
        matches!(self.json_type(), JsonType::Number)
    }

    fn same_number(self, other: Self) -> bool {
        match (self, other) {
            // Exact decimals, compared as values: no text written.
            (TypedNode::Money(a), TypedNode::Money(b)) => a == b,
            (a, b) => match (a.number_text(), b.number_text()) {
                (Some(a), Some(b)) => bankschema_rules::numbers_equal(&a, &b),
                _ => false,
            },
        }
    }
}
