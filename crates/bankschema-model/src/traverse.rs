//! The one traversal of a schema: each subschema, with the keyword that holds it,
//! its step in the schema and the place in an instance it applies to.
//!
//! Every stage that walks a schema asks [`subschemas`] for the children of a schema
//! object, so the list of keywords that hold subschemas, and what each means for the
//! instance, is written here once. A stage decides what it does at each [`Place`]
//! (the rules stage, for one, runs a rule only where it applies unconditionally);
//! it never keeps a keyword list of its own.

use bankschema_rules::pointer::escape;
use serde_json::{Map, Value};

/// How a keyword holds its subschemas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One schema: `items`, `not`.
    One,
    /// An array of schemas: `allOf`, `prefixItems`.
    List,
    /// An object of schemas, by name or pattern: `properties`, `$defs`.
    Map,
}

/// Where a subschema applies, relative to the value its parent schema judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The same value, always (`allOf`).
    Always,
    /// The same value, as one of the alternatives (`anyOf`, `oneOf`).
    Alternative,
    /// The same value, as a condition (`if`) or under one (`then`, `else`, and
    /// `dependentSchemas` when the member it names is present).
    Conditional,
    /// The same value, which must fail the subschema (`not`).
    Inverted,
    /// The member named by [`Subschema::key`] (`properties`).
    Member,
    /// The element at the index in [`Subschema::key`] (`prefixItems`, the tuple form
    /// of draft-07's `items`).
    Element,
    /// Every element, or every one after the tuple (`items`, `additionalItems`,
    /// `unevaluatedItems`).
    Elements,
    /// The members no `properties` entry names and no pattern matches
    /// (`additionalProperties`, `unevaluatedProperties`).
    OtherMembers,
    /// The members whose names match the pattern in [`Subschema::key`]
    /// (`patternProperties`).
    MatchingMembers,
    /// Some elements: those that match (`contains`).
    SomeElements,
    /// The names of the members, as strings (`propertyNames`).
    MemberNames,
    /// No value of its own: a definition, applied where a `$ref` names it.
    Definition,
}

/// Every keyword that holds subschemas, in any dialect the sources are written in
/// (JSON Schema 2020-12 and draft-07, OpenAPI 3.0 and 3.1).
pub const APPLICATORS: &[(&str, Shape, Place)] = &[
    ("allOf", Shape::List, Place::Always),
    ("anyOf", Shape::List, Place::Alternative),
    ("oneOf", Shape::List, Place::Alternative),
    ("not", Shape::One, Place::Inverted),
    ("if", Shape::One, Place::Conditional),
    ("then", Shape::One, Place::Conditional),
    ("else", Shape::One, Place::Conditional),
    ("dependentSchemas", Shape::Map, Place::Conditional),
    // Draft-07: name -> schema, or name -> list of names (not a subschema).
    ("dependencies", Shape::Map, Place::Conditional),
    ("properties", Shape::Map, Place::Member),
    ("patternProperties", Shape::Map, Place::MatchingMembers),
    ("additionalProperties", Shape::One, Place::OtherMembers),
    ("unevaluatedProperties", Shape::One, Place::OtherMembers),
    ("propertyNames", Shape::One, Place::MemberNames),
    ("prefixItems", Shape::List, Place::Element),
    // One schema for every element, or (draft-07) a tuple: see `subschemas`.
    ("items", Shape::One, Place::Elements),
    ("additionalItems", Shape::One, Place::Elements),
    ("unevaluatedItems", Shape::One, Place::Elements),
    ("contains", Shape::One, Place::SomeElements),
    ("$defs", Shape::Map, Place::Definition),
    ("definitions", Shape::Map, Place::Definition),
];

/// The shape and place of `keyword`, if it holds subschemas.
pub fn applicator(keyword: &str) -> Option<(Shape, Place)> {
    APPLICATORS
        .iter()
        .find(|(k, ..)| *k == keyword)
        .map(|&(_, shape, place)| (shape, place))
}

/// One subschema of a schema object.
#[derive(Clone, Copy, Debug)]
pub struct Subschema<'a> {
    /// The keyword that holds it.
    pub keyword: &'static str,
    /// The member name, pattern or definition name of a [`Shape::Map`] keyword,
    /// the index of a [`Shape::List`] one; `None` for [`Shape::One`].
    pub key: Option<Key<'a>>,
    /// Where it applies.
    pub place: Place,
    /// The subschema: an object or (in JSON Schema) a boolean.
    pub schema: &'a Value,
}

/// The key of a subschema inside its keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key<'a> {
    Name(&'a str),
    Index(usize),
}

impl Subschema<'_> {
    /// Its step in the schema, as pointer segments: `/properties/a~1b`, `/anyOf/0`.
    pub fn step(&self) -> String {
        match self.key {
            None => format!("/{}", self.keyword),
            Some(Key::Name(name)) => format!("/{}/{}", self.keyword, escape(name)),
            Some(Key::Index(i)) => format!("/{}/{i}", self.keyword),
        }
    }

    /// Its step in an instance, as a pointer template (`*` for every element or
    /// member), where it applies to the same values every time: `Some("")` for the
    /// same value always, `Some("/iban")` for a member, `Some("/*")` for every
    /// element. `None` where it applies under a condition, to some members or
    /// elements, or to none; `parent` is the schema object holding it.
    pub fn instance_step(&self, parent: &Map<String, Value>) -> Option<String> {
        match (self.place, self.key) {
            (Place::Always | Place::Alternative, _) => Some(String::new()),
            (Place::Member, Some(Key::Name(name))) => Some(format!("/{}", escape(name))),
            (Place::Element, Some(Key::Index(i))) => Some(format!("/{i}")),
            // Every element, when no tuple comes first.
            (Place::Elements, None)
                if self.keyword == "items"
                    && !parent.contains_key("prefixItems")
                    && !parent.get("items").is_some_and(Value::is_array) =>
            {
                Some("/*".to_owned())
            }
            // Every member, when no other keyword names some of them.
            (Place::OtherMembers, None)
                if self.keyword == "additionalProperties"
                    && !parent.contains_key("properties")
                    && !parent.contains_key("patternProperties") =>
            {
                Some("/*".to_owned())
            }
            _ => None,
        }
    }
}

/// The subschemas of `object`, keyword by keyword in the object's order.
pub fn subschemas(object: &Map<String, Value>) -> Vec<Subschema<'_>> {
    let mut found = Vec::new();
    for (keyword, value) in object {
        let Some(&(keyword, shape, place)) = APPLICATORS.iter().find(|(k, ..)| k == keyword) else {
            continue;
        };
        match (shape, value) {
            // Draft-07's tuple form of `items`.
            (Shape::One, Value::Array(schemas)) if keyword == "items" => {
                found.extend(schemas.iter().enumerate().map(|(i, schema)| Subschema {
                    keyword,
                    key: Some(Key::Index(i)),
                    place: Place::Element,
                    schema,
                }));
            }
            (Shape::One, schema @ (Value::Object(_) | Value::Bool(_))) => {
                found.push(Subschema {
                    keyword,
                    key: None,
                    place,
                    schema,
                });
            }
            (Shape::List, Value::Array(schemas)) => {
                found.extend(schemas.iter().enumerate().map(|(i, schema)| Subschema {
                    keyword,
                    key: Some(Key::Index(i)),
                    place,
                    schema,
                }));
            }
            (Shape::Map, Value::Object(schemas)) => {
                found.extend(
                    schemas
                        .iter()
                        // Draft-07 `dependencies` also holds lists of names.
                        .filter(|(_, schema)| schema.is_object() || schema.is_boolean())
                        .map(|(name, schema)| Subschema {
                            keyword,
                            key: Some(Key::Name(name)),
                            place,
                            schema,
                        }),
                );
            }
            // A keyword of the wrong form holds no subschema; normalising refuses it.
            _ => {}
        }
    }
    found
}

/// Every schema object in `schema` (itself first, then depth first in the order of
/// its keywords), with its pointer, `pointer` being `schema`'s own. `$ref`s are
/// not followed: a definition is visited where it is written (under `$defs`).
pub fn each<'a>(
    schema: &'a Value,
    pointer: &str,
    visit: &mut dyn FnMut(&'a Map<String, Value>, &str),
) {
    // Depth first with an explicit stack: a schema nests as deep as its source,
    // which a hostile source may make deep.
    let mut pending = vec![(schema, pointer.to_owned())];
    while let Some((schema, pointer)) = pending.pop() {
        let Value::Object(object) = schema else {
            continue;
        };
        visit(object, &pointer);
        let children = subschemas(object);
        pending.extend(
            children
                .iter()
                .rev()
                .map(|sub| (sub.schema, format!("{pointer}{}", sub.step()))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn steps(schema: Value) -> Vec<(String, Option<String>)> {
        let object = schema.as_object().unwrap();
        subschemas(object)
            .iter()
            .map(|sub| (sub.step(), sub.instance_step(object)))
            .collect()
    }

    #[test]
    fn each_keyword_says_where_its_subschemas_apply() {
        let found = steps(json!({
            "properties": {"a/b": {}, "c": true},
            "items": {"type": "string"},
            "allOf": [{}, {}],
            "anyOf": [{}],
            "not": {},
            "if": {}, "then": {}, "else": {},
            "dependentSchemas": {"x": {}},
            "contains": {},
            "propertyNames": {},
            "$defs": {"D": {}},
            "type": "object",
            "x-bankschema-rules": ["iso13616.iban"]
        }));
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            found,
            [
                ("/properties/a~1b".to_owned(), some("/a~1b")),
                ("/properties/c".to_owned(), some("/c")),
                ("/items".to_owned(), some("/*")),
                ("/allOf/0".to_owned(), some("")),
                ("/allOf/1".to_owned(), some("")),
                ("/anyOf/0".to_owned(), some("")),
                ("/not".to_owned(), None),
                ("/if".to_owned(), None),
                ("/then".to_owned(), None),
                ("/else".to_owned(), None),
                ("/dependentSchemas/x".to_owned(), None),
                ("/contains".to_owned(), None),
                ("/propertyNames".to_owned(), None),
                ("/$defs/D".to_owned(), None),
            ]
        );
    }

    #[test]
    fn a_keyword_that_names_some_members_or_elements_has_no_template() {
        // `additionalProperties` beside `properties` applies to the other members
        // only; `items` after a tuple to the elements after it.
        assert_eq!(
            steps(json!({"properties": {"a": {}}, "additionalProperties": {}}))[1].1,
            None
        );
        assert_eq!(
            steps(json!({"additionalProperties": {}}))[0].1,
            Some("/*".to_owned())
        );
        assert_eq!(
            steps(json!({"patternProperties": {"^x": {}}}))[0],
            ("/patternProperties/^x".to_owned(), None)
        );
        assert_eq!(
            steps(json!({"prefixItems": [{}], "items": {}})),
            [
                ("/prefixItems/0".to_owned(), Some("/0".to_owned())),
                ("/items".to_owned(), None)
            ]
        );
        // Draft-07's tuple form.
        assert_eq!(
            steps(json!({"items": [{}, {}]}))[1],
            ("/items/1".to_owned(), Some("/1".to_owned()))
        );
    }

    #[test]
    fn values_of_the_wrong_form_hold_no_subschema() {
        assert!(steps(json!({"properties": [], "allOf": {}, "not": 3})).is_empty());
        // Draft-07 `dependencies`: a list of names is no subschema.
        assert_eq!(
            steps(json!({"dependencies": {"a": ["b"], "c": {}}})),
            [("/dependencies/c".to_owned(), None)]
        );
    }

    #[test]
    fn each_visits_every_schema_object_once_in_order() {
        let schema = json!({
            "properties": {"a": {"items": {"not": {}}}},
            "if": {"properties": {"b": true}},
            "$defs": {"D": {"anyOf": [{}]}}
        });
        let mut seen = Vec::new();
        each(&schema, "", &mut |_, pointer| seen.push(pointer.to_owned()));
        assert_eq!(
            seen,
            [
                "",
                "/properties/a",
                "/properties/a/items",
                "/properties/a/items/not",
                "/if",
                "/$defs/D",
                "/$defs/D/anyOf/0"
            ]
        );
    }

    #[test]
    fn every_applicator_is_found_by_name() {
        for (keyword, shape, place) in APPLICATORS {
            assert_eq!(applicator(keyword), Some((*shape, *place)));
        }
        assert_eq!(applicator("type"), None);
        assert_eq!(applicator("x-bankschema-rules"), None);
    }
}
