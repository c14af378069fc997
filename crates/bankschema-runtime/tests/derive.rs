//! `#[derive(DeserializeObject)]` on hand-written structs: what the generated types
//! rely on, and names chosen to clash with the impl's own.

use bankschema_runtime::{DeserializeObject, UnknownProperties};
use serde::Serialize;

#[derive(Serialize, DeserializeObject, Debug, PartialEq)]
struct Account {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nick: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    /// Required, and may be `null`.
    closed: Option<bool>,
    #[serde(flatten)]
    extra: UnknownProperties,
}

/// Field names the impl also uses for its locals.
#[derive(DeserializeObject, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Clash {
    key: u8,
    map: u8,
    other: u8,
    field_key: u8,
    deserializer: u8,
}

/// A type named as the impl's type parameters would be.
#[derive(DeserializeObject, Debug, PartialEq)]
struct D {
    a: u8,
}

/// No `flatten` field and no `deny_unknown_fields`: unknown members are skipped.
#[derive(DeserializeObject, Debug, PartialEq)]
struct Lenient {
    a: u8,
}

fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[test]
fn an_object_is_read_with_its_unknown_members_kept_in_order() {
    let text = r#"{"z":1,"id":"a","type":"current","closed":null,"y":[true]}"#;
    let account: Account = read(text).unwrap();
    assert_eq!(account.id, "a");
    assert_eq!(account.kind, "current");
    assert_eq!(account.nick, None);
    assert!(account.tags.is_empty());
    assert_eq!(account.closed, None);
    assert_eq!(
        serde_json::to_string(&account.extra).unwrap(),
        r#"{"z":1,"y":[true]}"#
    );
}

#[test]
fn what_the_schema_refuses_is_refused() {
    for (text, expected) in [
        // serde's derive would read an array of the field values.
        (r#"["a","current",null]"#, "an object for `Account`"),
        (r#"{"id":"a","closed":null}"#, "missing field `type`"),
        (r#"{"type":"x","closed":null}"#, "missing field `id`"),
        (r#"{"id":"a","type":"x"}"#, "missing field `closed`"),
        // An optional member may be absent, not `null`.
        (
            r#"{"id":"a","type":"x","closed":null,"nick":null}"#,
            "invalid type: null",
        ),
        (
            r#"{"id":"a","id":"b","type":"x","closed":null}"#,
            "duplicate field `id`",
        ),
        (
            r#"{"id":"a","type":"x","closed":null,"u":1,"u":2}"#,
            "duplicate key `u`",
        ),
    ] {
        let error = read::<Account>(text).unwrap_err();
        assert!(error.contains(expected), "{text}: {error}");
    }
}

#[test]
fn field_names_never_clash_with_the_impls_own() {
    let clash: Clash =
        read(r#"{"key":1,"map":2,"other":3,"field_key":4,"deserializer":5}"#).unwrap();
    assert_eq!(
        clash,
        Clash {
            key: 1,
            map: 2,
            other: 3,
            field_key: 4,
            deserializer: 5
        }
    );
    let error =
        read::<Clash>(r#"{"key":1,"map":2,"other":3,"field_key":4,"deserializer":5,"x":0}"#)
            .unwrap_err();
    assert!(
        error.contains("unknown field `x`, expected one of `key`, `map`"),
        "{error}"
    );
    assert_eq!(read::<D>(r#"{"a":7}"#).unwrap(), D { a: 7 });
}

#[test]
fn without_a_place_for_them_unknown_members_are_skipped() {
    assert_eq!(
        read::<Lenient>(r#"{"b":{"c":[1]},"a":1}"#).unwrap(),
        Lenient { a: 1 }
    );
}
