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
use jsonschema::json::Json;
use serde_json::Value;
use std::borrow::Cow;

mod number;
mod rules;
mod view;

pub use number::TypedNumber;
pub use view::{Elements, Members, TypedArrayRef, TypedObjectRef};

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
