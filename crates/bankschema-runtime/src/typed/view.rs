//! The jsonschema crate's view of generated values: the [`Node`], [`Object`] and
//! [`Array`] impls of [`TypedNode`] and its object and array references.

use super::number::json_number;
use super::{AsNode, Typed, TypedArray, TypedNode, TypedNumber, TypedObject};
use crate::raw::Raw;
use jsonschema::json::{Array, Node, NodeIdentity, Object};
use jsonschema::JsonType;
use serde_json::{Map, Value};
use std::borrow::Cow;

#[derive(Clone, Copy)]
pub enum TypedObjectRef<'a> {
    Typed(&'a dyn TypedObject),
    Map(&'a Map<String, Value>),
}

#[derive(Clone, Copy)]
pub enum TypedArrayRef<'a> {
    Typed(&'a dyn TypedArray),
    Values(&'a [Value]),
}

impl<'a> Node<'a, Typed> for TypedNode<'a> {
    type Object = TypedObjectRef<'a>;
    type Array = TypedArrayRef<'a>;
    type Number = TypedNumber<'a>;

    fn as_object(&self) -> Option<TypedObjectRef<'a>> {
        match *self {
            TypedNode::Object(object) => Some(TypedObjectRef::Typed(object)),
            TypedNode::Value(Value::Object(map)) => Some(TypedObjectRef::Map(map)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<TypedArrayRef<'a>> {
        match *self {
            TypedNode::Array(array) => Some(TypedArrayRef::Typed(array)),
            TypedNode::Value(Value::Array(items)) => Some(TypedArrayRef::Values(items)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match *self {
            TypedNode::Str(text) => Some(Cow::Borrowed(text)),
            TypedNode::Value(Value::String(text)) => Some(Cow::Borrowed(text)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<TypedNumber<'a>> {
        match *self {
            TypedNode::Money(money) => Some(TypedNumber::Money(money)),
            TypedNode::Number(text) => Some(TypedNumber::Text(text)),
            TypedNode::Value(Value::Number(number)) => Some(TypedNumber::Json(number)),
            TypedNode::Integer(n) => Some(TypedNumber::Integer(n)),
            TypedNode::Unsigned(n) => Some(TypedNumber::Unsigned(n)),
            _ => None,
        }
    }

    fn is_number(&self) -> bool {
        matches!(
            self,
            TypedNode::Money(_)
                | TypedNode::Number(_)
                | TypedNode::Integer(_)
                | TypedNode::Unsigned(_)
                | TypedNode::Value(Value::Number(_))
        )
    }

    fn as_boolean(&self) -> Option<bool> {
        match *self {
            TypedNode::Bool(value) | TypedNode::Value(&Value::Bool(value)) => Some(value),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, TypedNode::Null | TypedNode::Value(Value::Null))
    }

    fn json_type(&self) -> JsonType {
        match *self {
            TypedNode::Null | TypedNode::Value(Value::Null) => JsonType::Null,
            TypedNode::Bool(_) | TypedNode::Value(Value::Bool(_)) => JsonType::Boolean,
            TypedNode::Money(_)
            | TypedNode::Number(_)
            | TypedNode::Integer(_)
            | TypedNode::Unsigned(_)
            | TypedNode::Value(Value::Number(_)) => JsonType::Number,
            TypedNode::Str(_) | TypedNode::Value(Value::String(_)) => JsonType::String,
            TypedNode::Array(_) | TypedNode::Value(Value::Array(_)) => JsonType::Array,
            TypedNode::Object(_) | TypedNode::Value(Value::Object(_)) => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &Value) -> bool {
        equals(*self, expected)
    }

    fn to_value(&self) -> Cow<'a, Value> {
        match *self {
            TypedNode::Null => Cow::Owned(Value::Null),
            TypedNode::Bool(value) => Cow::Owned(Value::Bool(value)),
            TypedNode::Str(text) => Cow::Owned(Value::String(text.to_owned())),
            TypedNode::Money(money) => Cow::Owned(Value::Number(json_number(&money.to_string()))),
            TypedNode::Number(text) => Cow::Owned(Value::Number(json_number(text))),
            TypedNode::Integer(n) => Cow::Owned(Value::from(n)),
            TypedNode::Unsigned(n) => Cow::Owned(Value::from(n)),
            TypedNode::Object(object) => Cow::Owned(object.to_value()),
            TypedNode::Array(array) => Cow::Owned(array.to_value()),
            TypedNode::Value(value) => Cow::Borrowed(value),
        }
    }

    fn identity(&self) -> Option<NodeIdentity> {
        // The schemas here are not recursive: no `$ref` cycle to detect.
        None
    }
}

/// Whether `node` is the JSON `expected` is (`enum`, `const`), numbers compared by
/// value on their text: no number goes through a float.
fn equals(node: TypedNode<'_>, expected: &Value) -> bool {
    use bankschema_rules::Node as _;
    match (node, expected) {
        (TypedNode::Value(value), _) => bankschema_rules::decimal::same_json(value, expected),
        (_, Value::Number(number)) => node
            .number_text()
            .is_some_and(|text| bankschema_rules::numbers_equal(&text, &number.to_string())),
        (TypedNode::Str(text), Value::String(other)) => text == other,
        (TypedNode::Bool(value), Value::Bool(other)) => value == *other,
        (TypedNode::Null, Value::Null) => true,
        (TypedNode::Array(array), Value::Array(items)) => {
            array.len() == items.len()
                && array
                    .elements()
                    .into_iter()
                    .zip(items)
                    .all(|(node, item)| equals(node, item))
        }
        (TypedNode::Object(object), Value::Object(map)) => {
            object.member_count() == map.len()
                && map
                    .iter()
                    .all(|(key, item)| object.get(key).is_some_and(|node| equals(node, item)))
        }
        _ => false,
    }
}

impl<'a> Object<'a, Typed> for TypedObjectRef<'a> {
    type Node = TypedNode<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        match self {
            TypedObjectRef::Typed(object) => object.member_count(),
            TypedObjectRef::Map(map) => map.len(),
        }
    }

    fn get(&self, key: &String) -> Option<TypedNode<'a>> {
        match *self {
            TypedObjectRef::Typed(object) => object.get(key),
            TypedObjectRef::Map(map) => map.get(key).map(TypedNode::Value),
        }
    }

    fn members(&self) -> Members<'a> {
        match *self {
            TypedObjectRef::Typed(object) => match object.member_slice() {
                Some(members) => Members::Raw(members.iter()),
                None => Members::Listed(object.members().into_iter()),
            },
            TypedObjectRef::Map(map) => Members::Map(map.iter()),
        }
    }
}

/// An object's members, walked where they are kept when they can be.
pub enum Members<'a> {
    Listed(std::vec::IntoIter<(&'a str, TypedNode<'a>)>),
    Map(serde_json::map::Iter<'a>),
    Raw(std::slice::Iter<'a, (Cow<'a, str>, Raw<'a>)>),
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, TypedNode<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Members::Listed(members) => members.next(),
            Members::Map(members) => members
                .next()
                .map(|(k, v)| (k.as_str(), TypedNode::Value(v))),
            Members::Raw(members) => members
                .next()
                .map(|(k, v)| (k.as_ref(), v.as_node().unwrap_or(TypedNode::Null))),
        }
    }
}

impl<'a> Array<'a, Typed> for TypedArrayRef<'a> {
    type Node = TypedNode<'a>;
    type ElementsIter = Elements<'a>;

    fn len(&self) -> usize {
        match self {
            TypedArrayRef::Typed(array) => array.len(),
            TypedArrayRef::Values(items) => items.len(),
        }
    }

    fn elements(&self) -> Elements<'a> {
        match *self {
            TypedArrayRef::Typed(array) => match array.element_slice() {
                Some(items) => Elements::Raw(items.iter()),
                None => Elements::Listed(array.elements().into_iter()),
            },
            TypedArrayRef::Values(items) => Elements::Values(items.iter()),
        }
    }
}

/// An array's elements, walked where they are kept when they can be.
pub enum Elements<'a> {
    Listed(std::vec::IntoIter<TypedNode<'a>>),
    Values(std::slice::Iter<'a, Value>),
    Raw(std::slice::Iter<'a, Raw<'a>>),
}

impl<'a> Iterator for Elements<'a> {
    type Item = TypedNode<'a>;

    fn next(&mut self) -> Option<TypedNode<'a>> {
        match self {
            Elements::Listed(items) => items.next(),
            Elements::Values(items) => items.next().map(TypedNode::Value),
            Elements::Raw(items) => items.next().map(|v| v.as_node().unwrap_or(TypedNode::Null)),
        }
    }
}
