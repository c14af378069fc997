//! Any JSON, kept as it came: [`Json`] for a field of any type, and
//! [`UnknownProperties`] for the members of an object its schema does not name.
//!
//! Both keep numbers as written (`1.50` stays `1.50`, 30 digits keep their
//! digits) and members in order, without turning on any feature of serde_json:
//! serde_json hands over each value's text (its `raw_value` feature), which
//! [`Raw::read`] reads under the text policy (a repeated key, a number out of
//! range or a lone surrogate is refused).

use crate::raw::{Raw, RawObject, Refusal};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// A field the schema allows to hold any JSON value, kept as it came.
///
/// ```
/// use bankschema_runtime::Json;
///
/// let any: Json = serde_json::from_str(r#"{"rate": 1.50, "b": [1e2]}"#).unwrap();
/// assert_eq!(any.to_string(), r#"{"rate":1.50,"b":[1e2]}"#);
/// assert_eq!(any.to_value()["rate"], 1.5);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Json(pub(crate) Raw<'static>);

impl Json {
    /// The value as a `serde_json::Value`: numbers as serde_json holds them.
    pub fn to_value(&self) -> Value {
        self.0.to_value()
    }
}

impl From<Value> for Json {
    fn from(value: Value) -> Json {
        Json(Raw::from_value(&value))
    }
}

impl From<&Value> for Json {
    fn from(value: &Value) -> Json {
        Json(Raw::from_value(value))
    }
}

/// The JSON text, compact, numbers as written.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// JSON text read under the text policy.
impl std::str::FromStr for Json {
    type Err = String;

    fn from_str(text: &str) -> Result<Json, String> {
        from_text::<serde_json::Error, _>(text, |raw| Ok(Json(raw.into_owned())))
            .map_err(|e| e.to_string())
    }
}

/// The properties of an object that its schema does not name, in order.
#[derive(Clone, Debug, Default)]
pub struct UnknownProperties(pub(crate) RawObject<'static>, Names);

/// The names of an object's properties, once there are more than a few: a hostile
/// object of a million unknown properties is read in linear time.
#[derive(Clone, Debug, Default)]
struct Names(Option<std::collections::HashSet<String>>);

/// Properties compared one by one for a repeated name; past them, a set.
const SCANNED: usize = 16;

impl PartialEq for UnknownProperties {
    fn eq(&self, other: &UnknownProperties) -> bool {
        self.0 == other.0
    }
}

impl Eq for UnknownProperties {}

impl UnknownProperties {
    /// Whether the object had no property its schema does not name.
    pub fn is_empty(&self) -> bool {
        self.0 .0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0 .0.len()
    }

    /// The unknown property `key`, as a `serde_json::Value`.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.0
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.to_value())
    }

    /// The names of the unknown properties, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(name, _)| name)
    }

    /// Adds the property `key`, or replaces its value.
    pub fn insert(&mut self, key: impl Into<String>, value: Json) {
        let key = key.into();
        if !self.contains(&key) {
            self.push(key, value.0);
        } else if let Some(slot) = self.0 .0.iter_mut().find(|(name, _)| *name == key) {
            slot.1 = value.0;
        }
    }

    /// Whether `key` is among them.
    pub(crate) fn contains(&self, key: &str) -> bool {
        match &self.1 .0 {
            Some(names) => names.contains(key),
            None => self.0.iter().any(|(name, _)| name == key),
        }
    }

    /// Adds the property `key`, which is not among them.
    pub(crate) fn push(&mut self, key: String, value: Raw<'static>) {
        let members = &mut self.0 .0;
        match &mut self.1 .0 {
            Some(names) => {
                names.insert(key.clone());
            }
            None if members.len() >= SCANNED => {
                let mut names: std::collections::HashSet<String> =
                    members.iter().map(|(name, _)| name.to_string()).collect();
                names.insert(key.clone());
                self.1 .0 = Some(names);
            }
            None => {}
        }
        members.push((Cow::Owned(key), value));
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl Serialize for UnknownProperties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        with_tree(deserializer, |raw| Ok(Json(raw.into_owned())))
    }
}

/// `use_tree`'s answer on the value `deserializer` holds, read as a tree under the
/// text policy: from its text when serde_json gives it (numbers as written), from
/// what serde's data model shows of it otherwise.
pub(crate) fn with_tree<'de, D, T>(
    deserializer: D,
    use_tree: impl FnOnce(Raw<'_>) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_newtype_struct(RAW_TOKEN, TreeVisitor(use_tree))
}

impl<'de> Deserialize<'de> for UnknownProperties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Json::deserialize(deserializer)?.0 {
            Raw::Object(object) => Ok(UnknownProperties(object, Names::default())),
            _ => Err(de::Error::custom(
                "expected the unknown properties of an object",
            )),
        }
    }
}

/// serde_json's name for a value read as its text (`raw_value`).
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

thread_local! {
    /// The deepest nesting of the texts [`from_text`] read on this thread while
    /// [`nesting_read`] watches.
    static NESTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `read`'s answer, with the depth of the deepest text it read as any JSON
/// (`Json`, unknown members, enums read through a buffer).
///
/// serde_json counts the typed levels of a document against its recursion limit,
/// but a value read from its text starts counting again: the two added up tell
/// whether the document is deeper than the reports allow (see
/// `EmbeddedSchema::deserialize`).
pub(crate) fn nesting_read<T>(read: impl FnOnce() -> T) -> (T, usize) {
    let outer = NESTED.with(|n| n.replace(0));
    let value = read();
    let nested = NESTED.with(|n| n.replace(outer.max(n.get())));
    (value, nested)
}

/// `text`, one JSON value, read under the text policy, to `use_tree`.
fn from_text<E: de::Error, T>(
    text: &str,
    use_tree: impl FnOnce(Raw<'_>) -> Result<T, String>,
) -> Result<T, E> {
    match crate::raw::read::read_nested(text, crate::raw::Policy::Strict) {
        Ok((raw, nested)) => {
            NESTED.with(|n| n.set(n.get().max(nested)));
            use_tree(raw).map_err(E::custom)
        }
        Err(Refusal::Duplicate(key)) => Err(duplicate(&key)),
        Err(Refusal::OutOfRange(number)) => Err(E::custom(format_args!(
            "number {} is out of range: no 64-bit float or decimal holds it",
            bankschema_rules::redact::shorten(&number)
        ))),
        Err(Refusal::TooDeep) => Err(E::custom(
            "a value read as any JSON is nested deeper than 127 arrays and objects",
        )),
        // serde_json read the text already: what is left is a lone surrogate.
        Err(Refusal::Syntax) => Err(match serde_json::from_str::<de::IgnoredAny>(text) {
            Err(e) => E::custom(e),
            Ok(_) => E::custom("a string holds a lone surrogate"),
        }),
    }
}

struct TreeVisitor<F>(F);

impl<'de, T, F: FnOnce(Raw<'_>) -> Result<T, String>> Visitor<'de> for TreeVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// serde_json's answer: one entry, its token and the text. Any other map is
    /// an object of another format.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        match map.next_key::<crate::de::Key<'de>>()? {
            Some(key) if key.as_str() == RAW_TOKEN => {
                let text: crate::de::Key<'de> = map.next_value()?;
                from_text(text.as_str(), self.0)
            }
            first => {
                let raw = crate::raw::object_from(first.map(|k| k.0), map)?;
                (self.0)(raw).map_err(de::Error::custom)
            }
        }
    }

    /// Any other format: what serde's data model shows of the value.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let raw = Raw::deserialize(deserializer)?;
        (self.0)(raw).map_err(de::Error::custom)
    }

    // A format that shows the value itself (serde's own value deserializers).
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        (self.0)(Raw::Bool(v)).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.number(crate::raw::RawVisitor.visit_i64(v)?)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.number(crate::raw::RawVisitor.visit_u64(v)?)
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        self.number(crate::raw::RawVisitor.visit_i128(v)?)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
        self.number(crate::raw::RawVisitor.visit_u128(v)?)
    }
    fn visit_f32<E: de::Error>(self, v: f32) -> Result<T, E> {
        self.number(crate::raw::RawVisitor.visit_f32(v)?)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.number(crate::raw::RawVisitor.visit_f64(v)?)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(Raw::Str(Cow::Borrowed(v))).map_err(E::custom)
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<T, E> {
        self.number(crate::raw::RawVisitor.visit_bytes(v)?)
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        (self.0)(Raw::Null).map_err(E::custom)
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        (self.0)(Raw::Null).map_err(E::custom)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let raw = Raw::deserialize(deserializer)?;
        (self.0)(raw).map_err(de::Error::custom)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let raw = crate::raw::RawVisitor.visit_seq(seq)?;
        (self.0)(raw).map_err(de::Error::custom)
    }
}

impl<T, F: FnOnce(Raw<'_>) -> Result<T, String>> TreeVisitor<F> {
    fn number<E: de::Error>(self, raw: Raw<'_>) -> Result<T, E> {
        (self.0)(raw).map_err(E::custom)
    }
}

/// The error for a key repeated in one object, which the text policy refuses.
pub(crate) fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!(
        "duplicate key `{}`",
        bankschema_rules::redact::shorten(key)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Serialize, PartialEq, Debug)]
    struct Holder {
        any: Json,
        #[serde(default)]
        extra: UnknownProperties,
    }

    #[test]
    fn numbers_and_order_survive_as_written() {
        let text = r#"{"any":[20000000000000000000,-1.50,{"n":-170141183460469231731687303715884105729,"a":1e2}],"extra":{"z":1,"big":20000000000000000000,"x":0.10}}"#;
        let value: Holder = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
        assert_eq!(value.extra.keys().collect::<Vec<_>>(), ["z", "big", "x"]);
        let reader: Holder = serde_json::from_reader(text.as_bytes()).unwrap();
        assert_eq!(reader, value);
    }

    #[test]
    fn the_text_policy_holds_inside_any_json() {
        for (text, why) in [
            (r#"{"any": {"a": 1, "a": 2}}"#, "duplicate key `a`"),
            (r#"{"any": [1e400]}"#, "out of range"),
            (r#"{"any": "\ud800"}"#, "lone"),
        ] {
            let error = serde_json::from_str::<Holder>(text)
                .unwrap_err()
                .to_string();
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn serde_s_own_value_deserializers_give_any_json_too() {
        use serde::de::value::{Error, F32Deserializer, I64Deserializer, MapDeserializer};
        use serde::de::IntoDeserializer;
        let map = MapDeserializer::<_, Error>::new(vec![("a", 1i64), ("b", 2)].into_iter());
        assert_eq!(
            Json::deserialize(map).unwrap().to_string(),
            r#"{"a":1,"b":2}"#
        );
        let five = I64Deserializer::<Error>::new(5);
        assert_eq!(Json::deserialize(five).unwrap().to_string(), "5");
        // A 32-bit float by its own shortest text, not its 64-bit widening.
        let tenth = F32Deserializer::<Error>::new(0.1);
        assert_eq!(Json::deserialize(tenth).unwrap().to_string(), "0.1");
        let text: serde::de::value::StrDeserializer<'_, Error> = "x".into_deserializer();
        assert_eq!(Json::deserialize(text).unwrap().to_string(), r#""x""#);
    }

    #[test]
    fn a_member_named_as_serde_json_names_a_number_stays_a_member() {
        for text in [
            r#"{"$serde_json::private::Number": "0.10"}"#,
            r#"{"$serde_json::private::Number": "abc"}"#,
            r#"{"$serde_json::private::Number": 1, "b": 2}"#,
        ] {
            let json: Json = serde_json::from_str(text).unwrap();
            assert_eq!(
                json.to_string(),
                text.replace(": ", ":").replace(", ", ","),
                "{text}"
            );
        }
    }

    #[test]
    fn any_json_nested_too_deep_says_so() {
        let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        let error = format!("{}", serde_json::from_str::<Json>(&deep).unwrap_err());
        assert!(error.contains("nested deeper than 127"), "{error}");
    }

    #[test]
    fn a_million_unknown_properties_are_read_in_linear_time() {
        let members: Vec<String> = (0..300_000).map(|i| format!("\"k{i}\":{i}")).collect();
        let text = format!(r#"{{"any": null, "extra": {{{}}}}}"#, members.join(","));
        let mut holder: Holder = serde_json::from_str(&text).unwrap();
        assert_eq!(holder.extra.len(), 300_000);
        let started = std::time::Instant::now();
        for i in 0..300_000 {
            holder.extra.insert(format!("n{i}"), Json::default());
        }
        assert_eq!(holder.extra.len(), 600_000);
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
    }

    #[test]
    fn other_formats_and_values_read_through_serde() {
        let value = serde_json::json!({"any": {"b": 2.5, "a": [true, null]}});
        let holder: Holder = serde_json::from_value(value).unwrap();
        assert_eq!(holder.any.to_value()["b"], 2.5);
        assert_eq!("[1.0]".parse::<Json>().unwrap().to_string(), "[1.0]");
    }
}
