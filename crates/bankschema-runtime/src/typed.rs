//! Generated values seen as JSON, without building a `serde_json::Value`.
//!
//! `parse` and `validate` read a payload once, into its generated type. When the
//! check generated for the schema refuses it (or there is none), the same JSON
//! Schema (through the jsonschema crate's support for other JSON representations)
//! and the same prose rules judge that value through this view, and so they do JSON
//! read as [`Raw`] when the type cannot hold it. The generator gives
//! every generated type an [`AsNode`] impl (and objects a [`TypedObject`] one); this
//! module holds the rest: the node, and the impls for the types generated code
//! uses (strings, numbers, [`Money`], [`Nullable`], `Option`, `Vec`...).
//!
//! The view is faithful only because the generated types keep what they read (no
//! `null` read as absent, no string read as a number, unknown properties kept):
//! the differential tests check that property.

use crate::raw::Raw;
use crate::{DateTime, Json as AnyJson, Money, Nullable, UnknownProperties};
use jsonschema::json::{Array, Json, JsonNumber, Node, NodeIdentity, Object};
use jsonschema::JsonType;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// One value of a generated type, as the JSON it stands for.
#[derive(Clone, Copy)]
pub enum TypedNode<'a> {
    Null,
    Bool(bool),
    Str(&'a str),
    Money(&'a Money),
    /// A number as written.
    Number(&'a str),
    Integer(i64),
    Unsigned(u64),
    Object(&'a dyn TypedObject),
    Array(&'a dyn TypedArray),
    /// JSON kept as it came: unknown properties, any-JSON fields.
    Value(&'a Value),
}

/// A generated value as a node; `None` when it stands for an absent property.
pub trait AsNode {
    fn as_node(&self) -> Option<TypedNode<'_>>;
}

/// A generated struct (or struct variant) as a JSON object.
pub trait TypedObject: Sync {
    /// The member `key`, if present.
    fn get(&self, key: &str) -> Option<TypedNode<'_>>;
    /// Every present member, named properties first, then unknown ones.
    fn members(&self) -> Vec<(&str, TypedNode<'_>)>;
    /// How many members are present.
    fn member_count(&self) -> usize {
        self.members().len()
    }
    /// The members when the object keeps them in a list (JSON read as [`Raw`]):
    /// walked in place, without collecting them.
    fn member_slice(&self) -> Option<&[(Cow<'_, str>, Raw<'_>)]> {
        None
    }
    /// For cold paths (error messages): the object as a `Value`.
    fn to_value(&self) -> Value;
}

/// A generated list as a JSON array.
pub trait TypedArray: Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn elements(&self) -> Vec<TypedNode<'_>>;
    /// The element `index`.
    fn element(&self, index: usize) -> Option<TypedNode<'_>>;
    fn to_value(&self) -> Value;
    /// The elements when the array keeps them as [`Raw`] JSON: walked in place.
    fn element_slice(&self) -> Option<&[Raw<'_>]> {
        None
    }
}

impl AsNode for String {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Str(self))
    }
}

/// typify's type for a schema that admits only `null`.
impl AsNode for () {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Null)
    }
}

impl AsNode for bool {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Bool(*self))
    }
}

impl AsNode for Money {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Money(self))
    }
}

impl AsNode for crate::Integer {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(match (self.written(), self.as_i64()) {
            (Some(number), _) => TypedNode::Number(number),
            (None, Some(value)) => TypedNode::Integer(value),
            (None, None) => TypedNode::Null,
        })
    }
}

impl AsNode for crate::Number {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Number(self.as_str()))
    }
}

/// Every integer type typify picks from a schema's bounds (`i32` for `format:
/// int32`, `u8` for `0..=255`, `NonZeroU64` for `minimum: 1`) reads as the integer it
/// holds.
macro_rules! integer_nodes {
    ($variant:ident as $wide:ty: $($ty:ty),*) => {$(
        impl AsNode for $ty {
            fn as_node(&self) -> Option<TypedNode<'_>> {
                Some(TypedNode::$variant(<$wide>::from(*self)))
            }
        }
    )*};
    ($variant:ident as $wide:ty, non-zero: $($ty:ty),*) => {$(
        impl AsNode for $ty {
            fn as_node(&self) -> Option<TypedNode<'_>> {
                Some(TypedNode::$variant(<$wide>::from(self.get())))
            }
        }
    )*};
}

integer_nodes!(Integer as i64: i8, i16, i32, i64);
integer_nodes!(Unsigned as u64: u8, u16, u32, u64);
integer_nodes!(Integer as i64, non-zero: std::num::NonZeroI8, std::num::NonZeroI16, std::num::NonZeroI32, std::num::NonZeroI64);
integer_nodes!(Unsigned as u64, non-zero: std::num::NonZeroU8, std::num::NonZeroU16, std::num::NonZeroU32, std::num::NonZeroU64);

impl AsNode for crate::MoneyText {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Str(self.as_str()))
    }
}

impl AsNode for DateTime {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Str(self.as_str()))
    }
}

impl AsNode for AnyJson {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        self.0.as_node()
    }
}

impl AsNode for Value {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Value(self))
    }
}

impl<T: AsNode> AsNode for Option<T> {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        self.as_ref().and_then(AsNode::as_node)
    }
}

impl<T: AsNode> AsNode for Box<T> {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        (**self).as_node()
    }
}

impl<T: AsNode> AsNode for Nullable<T> {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(TypedNode::Null),
            Nullable::Value(value) => value.as_node(),
        }
    }
}

impl<T: AsNode + serde::Serialize + Sync> AsNode for Vec<T> {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Array(self))
    }
}

impl<T: AsNode + serde::Serialize + Sync> TypedArray for Vec<T> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn elements(&self) -> Vec<TypedNode<'_>> {
        // An element is never absent; `Null` stands in should a type say so.
        self.iter()
            .map(|item| item.as_node().unwrap_or(TypedNode::Null))
            .collect()
    }

    fn element(&self, index: usize) -> Option<TypedNode<'_>> {
        // An element is never absent; `Null` stands in should a type say so.
        Some(self.get(index)?.as_node().unwrap_or(TypedNode::Null))
    }

    fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// typify's type for an object schema that names no property.
impl AsNode for serde_json::Map<String, Value> {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Object(self))
    }
}

impl TypedObject for serde_json::Map<String, Value> {
    fn get(&self, key: &str) -> Option<TypedNode<'_>> {
        self.get(key).map(TypedNode::Value)
    }

    fn members(&self) -> Vec<(&str, TypedNode<'_>)> {
        self.iter()
            .map(|(k, v)| (k.as_str(), TypedNode::Value(v)))
            .collect()
    }

    fn to_value(&self) -> Value {
        Value::Object(self.clone())
    }
}

/// An object of any members (a schema that names none): an object node.
impl AsNode for UnknownProperties {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(TypedNode::Object(&self.0))
    }
}

impl UnknownProperties {
    /// The unknown property `key`, as a node.
    pub fn node(&self, key: &str) -> Option<TypedNode<'_>> {
        self.0.get(key)
    }

    /// Every unknown property, as nodes, after the named ones in `members`.
    pub fn push_members<'a>(&'a self, members: &mut Vec<(&'a str, TypedNode<'a>)>) {
        members.extend(self.0.iter().filter_map(|(k, v)| Some((k, v.as_node()?))));
    }
}

/// The jsonschema crate's name for this representation.
pub struct Typed;

impl Json for Typed {
    type Node<'a> = TypedNode<'a>;
    type PreparedKey = String;
    type StringBuffer = String;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(
        buffer: &mut String,
        string: &str,
        f: impl FnOnce(TypedNode<'_>) -> T,
    ) -> T {
        buffer.clear();
        buffer.push_str(string);
        f(TypedNode::Str(buffer))
    }
}

/// A number of any kind, as the jsonschema crate reads numbers. An amount or an
/// integer is asked only what a keyword needs: no `serde_json::Number` is built
/// for it unless a message quotes it.
#[derive(Clone, Copy)]
pub enum TypedNumber<'a> {
    /// A number as written.
    Text(&'a str),
    /// A number as a `serde_json::Value` holds it.
    Json(&'a serde_json::Number),
    Money(&'a Money),
    Integer(i64),
    Unsigned(u64),
}

impl TypedNumber<'_> {
    /// An amount written as a plain integer (`12`, not `12.00` or `1e+1`), as an
    /// `i128`: what `serde_json` would read from its text.
    fn money_integer(money: &Money) -> Option<i128> {
        match money.written() {
            Some(text) => (!text.contains(['.', 'e', 'E']))
                .then(|| text.parse().ok())
                .flatten(),
            None => (money.scale() == 0).then(|| money.mantissa()),
        }
    }
}

impl JsonNumber for TypedNumber<'_> {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            TypedNumber::Text(text) => plain(text),
            TypedNumber::Json(n) => n.as_u64(),
            TypedNumber::Money(m) => Self::money_integer(m).and_then(|n| u64::try_from(n).ok()),
            TypedNumber::Integer(n) => u64::try_from(n).ok(),
            TypedNumber::Unsigned(n) => Some(n),
        }
    }
    fn as_i64(&self) -> Option<i64> {
        match *self {
            TypedNumber::Text(text) => plain(text),
            TypedNumber::Json(n) => n.as_i64(),
            TypedNumber::Money(m) => Self::money_integer(m).and_then(|n| i64::try_from(n).ok()),
            TypedNumber::Integer(n) => Some(n),
            TypedNumber::Unsigned(n) => i64::try_from(n).ok(),
        }
    }
    fn as_f64(&self) -> Option<f64> {
        match *self {
            TypedNumber::Text(text) => text.parse().ok().filter(|f: &f64| f.is_finite()),
            TypedNumber::Json(n) => n.as_f64(),
            TypedNumber::Money(m) => m.to_string().parse().ok(),
            // As serde_json converts them.
            #[allow(clippy::cast_precision_loss)]
            TypedNumber::Integer(n) => Some(n as f64),
            #[allow(clippy::cast_precision_loss)]
            TypedNumber::Unsigned(n) => Some(n as f64),
        }
    }
    fn as_str(&self) -> Cow<'_, str> {
        match *self {
            TypedNumber::Text(text) => Cow::Borrowed(text),
            TypedNumber::Json(n) => Cow::Owned(n.to_string()),
            TypedNumber::Money(m) => Cow::Owned(m.to_string()),
            TypedNumber::Integer(n) => Cow::Owned(n.to_string()),
            TypedNumber::Unsigned(n) => Cow::Owned(n.to_string()),
        }
    }
    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        match *self {
            TypedNumber::Text(text) => Cow::Owned(json_number(text)),
            TypedNumber::Json(n) => Cow::Borrowed(n),
            TypedNumber::Money(m) => Cow::Owned(json_number(&m.to_string())),
            TypedNumber::Integer(n) => Cow::Owned(n.into()),
            TypedNumber::Unsigned(n) => Cow::Owned(n.into()),
        }
    }
    /// On the number's text: `12345678901234567.89` is no integer, though its
    /// nearest `f64` is.
    fn is_integer(&self) -> bool {
        match *self {
            TypedNumber::Integer(_) | TypedNumber::Unsigned(_) => true,
            _ => {
                self.as_i64().is_some()
                    || self.as_u64().is_some()
                    || bankschema_rules::decimal::Exact::parse(&self.as_str())
                        .is_some_and(|n| n.is_integer())
            }
        }
    }
}

/// A number's text as serde_json reads it (for messages: a `Value` holds no more).
fn json_number(text: &str) -> serde_json::Number {
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Number::from(0))
}

/// The integer `text` states, when it is written as a plain integer (`12`, not
/// `12.0` or `1e1`), as serde_json would read it.
fn plain<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.contains(['.', 'e', 'E']) {
        None
    } else {
        text.parse().ok()
    }
}

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

#[cfg(test)]
mod integer_tests {
    use super::*;
    use std::num::{NonZeroI32, NonZeroU64};

    /// typify picks `i32` for `format: int32` and `NonZeroU64` for `minimum: 1`:
    /// each reads as the integer it holds.
    #[test]
    fn every_integer_type_typify_picks_is_a_node() {
        assert!(matches!((-7i32).as_node(), Some(TypedNode::Integer(-7))));
        let (nine, minus_three) = (NonZeroU64::new(9).unwrap(), NonZeroI32::new(-3).unwrap());
        assert!(matches!(nine.as_node(), Some(TypedNode::Unsigned(9))));
        assert!(matches!(
            minus_three.as_node(),
            Some(TypedNode::Integer(-3))
        ));
        assert!(matches!(200u8.as_node(), Some(TypedNode::Unsigned(200))));
    }
}
