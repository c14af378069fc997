//! Rules stage: the `x-bankschema-rules` attachments of a message, as [`Site`](bankschema_rules::Site)s.
//!
//! An attachment sits on the schema of the field (or object) a prose rule governs:
//! `"x-bankschema-rules": ["iso13616.iban"]`. An entry may be an object, to set the
//! rule's options or to reach into a value the schema leaves open:
//! `{"rule": "iso4217.currency", "multiCurrency": true}`,
//! `{"rule": "iso13616.iban", "at": "/iban"}`. Walking the message's schema from its
//! root turns each attachment into a pointer template into the payload (`*` for
//! every array element or object member) and the [`Rule`] to run there: a
//! `bankschema_rules::Site` in the generated validator.

use crate::error::{schema_error, Result};
use crate::model::{Api, Message};
use crate::normalise::escape;
use crate::traverse::{self, Place};
use bankschema_rules::{pointer, Governed, Rule};
use serde_json::{Map, Value};

pub use bankschema_rules::vocabulary::RULES;

/// One attachment, found in a message's JSON Schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Where it applies in a payload: a pointer with `*` for every element or member.
    pub at: String,
    /// The pointer of the `x-bankschema-rules` entry in the message's JSON Schema.
    pub keyword: String,
    pub rule: Rule,
}

/// Every rule attachment of `message`, in schema order, each place once.
pub fn attachments(api: &Api, message: &Message) -> Result<Vec<Attachment>> {
    let schema = api.message_schema(message);
    let mut walk = Walk {
        api,
        defs: schema.get("$defs").and_then(Value::as_object),
        stack: Vec::new(),
        found: Vec::new(),
    };
    walk.schema(&schema, "", "")?;
    Ok(walk.found)
}

/// The README's rules table for `apis`: the same table `bankschema rules --format
/// markdown` prints from the generated validator.
pub fn table(apis: &[Api]) -> Result<String> {
    let mut all = Vec::new();
    for api in apis {
        for message in &api.messages {
            for found in attachments(api, message)? {
                all.push((message.id.as_str(), found));
            }
        }
    }
    let governed: Vec<Governed<'_>> = all
        .iter()
        .map(|(schema_id, found)| Governed {
            schema_id,
            at: &found.at,
            rule: found.rule,
        })
        .collect();
    Ok(bankschema_rules::markdown_table(&governed))
}

struct Walk<'a> {
    api: &'a Api,
    defs: Option<&'a Map<String, Value>>,
    /// Definitions being walked, so that a recursive one is walked once.
    stack: Vec<&'a str>,
    found: Vec<Attachment>,
}

impl<'a> Walk<'a> {
    /// The attachments of `schema`, at `pointer` in the message's schema, which
    /// applies at `at` in the payload.
    fn schema(&mut self, schema: &'a Value, pointer: &str, at: &str) -> Result<()> {
        let Value::Object(object) = schema else {
            return Ok(());
        };
        if let Some(entries) = object.get(RULES) {
            self.attach(entries, &format!("{pointer}/{RULES}"), at)?;
        }
        if let Some((name, def)) = self.reference(object) {
            let here = format!("/$defs/{}", escape(name));
            if self.stack.contains(&name) {
                // A template reaches a fixed depth: the rules of a definition that
                // holds itself would run at its first level only.
                if let Some(found) = self.first_attachment(def, &here) {
                    return Err(self.error(
                        &found,
                        format!(
                            "this rule is inside `{name}`, which holds itself (again at {pointer}): a rule runs at fixed places in a payload, so it would run at the first level only; attach it where the recursion ends, or remove the recursion"
                        ),
                    ));
                }
            } else {
                self.stack.push(name);
                self.schema(def, &here, at)?;
                self.stack.pop();
            }
        }
        for sub in traverse::subschemas(object) {
            let here = format!("{pointer}{}", sub.step());
            match sub.instance_step(object) {
                Some(step) => self.schema(sub.schema, &here, &format!("{at}{step}"))?,
                // Definitions are walked where a `$ref` applies them.
                None if sub.place == Place::Definition => {}
                None => {
                    if let Some(found) = self.first_attachment(sub.schema, &here) {
                        return Err(self.error(
                            &found,
                            format!(
                                "a rule under `{}` (at {here}) applies to {}: a rule runs at fixed places in a payload, on every value there, so no stage would run this one as written; attach it to the property it governs",
                                sub.keyword,
                                place_name(sub.place),
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The definition a `$ref` of `object` names, if it names one.
    fn reference(&self, object: &Map<String, Value>) -> Option<(&'a str, &'a Value)> {
        let Some(Value::String(reference)) = object.get("$ref") else {
            return None;
        };
        let name = reference.strip_prefix("#/$defs/").unwrap_or(reference);
        self.defs
            .and_then(|defs| defs.get_key_value(name))
            .map(|(n, d)| (n.as_str(), d))
    }

    /// The pointer of the first `x-bankschema-rules` in `schema` (at `pointer`) or in
    /// a definition it refers to.
    fn first_attachment(&self, schema: &'a Value, pointer: &str) -> Option<String> {
        let mut seen = Vec::new();
        let mut pending = vec![(schema, pointer.to_owned())];
        while let Some((schema, pointer)) = pending.pop() {
            let mut found = None;
            traverse::each(schema, &pointer, &mut |object, here| {
                if found.is_none() && object.contains_key(RULES) {
                    found = Some(format!("{here}/{RULES}"));
                }
                if let Some((name, def)) = self.reference(object) {
                    if !seen.contains(&name) {
                        seen.push(name);
                        pending.push((def, format!("/$defs/{}", escape(name))));
                    }
                }
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn attach(&mut self, entries: &Value, pointer: &str, at: &str) -> Result<()> {
        let Value::Array(entries) = entries else {
            return Err(self.error(
                pointer,
                format!("`{RULES}` must be an array of rule ids, found {entries}"),
            ));
        };
        for (i, entry) in entries.iter().enumerate() {
            let keyword = format!("{pointer}/{i}");
            let (id, options, relative) = match entry {
                Value::String(id) => (id.as_str(), Map::new(), ""),
                Value::Object(object) => {
                    let Some(Value::String(id)) = object.get("rule") else {
                        return Err(
                            self.error(&keyword, "an attachment object needs `rule`, a rule id")
                        );
                    };
                    let relative = match object.get("at") {
                        None => "",
                        Some(Value::String(p)) if pointer::is_canonical(p) => p.as_str(),
                        Some(other) => {
                            return Err(self.error(
                                &keyword,
                                format!(
                                    "`at` must be a JSON pointer such as \"/iban\" (`~` written `~0`, a `/` in a name `~1`), found {other}"
                                ),
                            ));
                        }
                    };
                    let mut options = object.clone();
                    options.remove("rule");
                    options.remove("at");
                    (id.as_str(), options, relative)
                }
                other => {
                    return Err(self.error(
                        &keyword,
                        format!("expected a rule id or an object with `rule`, found {other}"),
                    ));
                }
            };
            let rule = Rule::from_attachment(id, &options).map_err(|e| self.error(&keyword, e))?;
            let at = format!("{at}{relative}");
            if !self.found.iter().any(|f| f.at == at && f.rule == rule) {
                self.found.push(Attachment { at, keyword, rule });
            }
        }
        Ok(())
    }

    fn error(&self, pointer: &str, message: impl Into<String>) -> crate::Error {
        schema_error(&self.api.source, pointer, message)
    }
}

/// What a place in a payload is, for a message.
fn place_name(place: Place) -> &'static str {
    match place {
        Place::Always | Place::Alternative => "the value itself",
        Place::Conditional => "the value only under a condition",
        Place::Inverted => "values the schema refuses",
        Place::Member | Place::Element => "one member or element",
        Place::Elements => "the elements after a tuple",
        Place::OtherMembers => "the members no other keyword names",
        Place::MatchingMembers => "the members whose names match a pattern",
        Place::SomeElements => "some elements only",
        Place::MemberNames => "the names of members, not their values",
        Place::Definition => "no value until a `$ref` names it",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Definition;
    use serde_json::json;

    fn api(root: Value, defs: &[(&str, Value)]) -> (Api, Message) {
        let mut all = indexmap::IndexMap::new();
        all.insert(
            "Root".to_owned(),
            Definition {
                schema: root,
                refs: defs.iter().map(|(n, _)| n.to_string()).collect(),
            },
        );
        for (name, schema) in defs {
            all.insert(
                name.to_string(),
                Definition {
                    schema: schema.clone(),
                    refs: Default::default(),
                },
            );
        }
        let message = Message {
            id: "t.out".into(),
            root: "Root".into(),
            summary: String::new(),
            answers: None,
            direction: crate::model::Direction::Response,
            examples: Vec::new(),
        };
        let api = Api {
            name: "t".into(),
            source: "schemas/t.json".into(),
            title: String::new(),
            defs: all,
            messages: vec![message.clone()],
            warnings: Vec::new(),
        };
        (api, message)
    }

    #[test]
    fn attachments_become_templates_through_refs_items_and_branches() {
        let (api, message) = api(
            json!({"properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/Account"}},
                                  "any": {"x-bankschema-rules": [{"rule": "iso13616.iban", "at": "/iban"}]}}}),
            &[(
                "Account",
                json!({
                    "x-bankschema-rules": ["bank2ai.identifier-present"],
                    "properties": {
                        "iban": {"anyOf": [{"type": "string", "x-bankschema-rules": ["iso13616.iban"]}, {"type": "null"}]},
                        "currency": {"x-bankschema-rules": [{"rule": "iso4217.currency", "multiCurrency": true}]}
                    }
                }),
            )],
        );
        let found: Vec<(String, Rule)> = attachments(&api, &message)
            .unwrap()
            .into_iter()
            .map(|a| (a.at, a.rule))
            .collect();
        assert_eq!(
            found,
            [
                ("/items/*".to_owned(), Rule::IdentifierPresent),
                ("/items/*/iban".to_owned(), Rule::Iban),
                (
                    "/items/*/currency".to_owned(),
                    Rule::Currency {
                        multi_currency: true
                    }
                ),
                ("/any/iban".to_owned(), Rule::Iban),
            ]
        );
        let keyword = &attachments(&api, &message).unwrap()[1].keyword;
        assert_eq!(
            keyword,
            "/$defs/Account/properties/iban/anyOf/0/x-bankschema-rules/0"
        );
    }

    #[test]
    fn a_rule_no_stage_would_run_is_refused_where_it_is_written() {
        // Each place a rule cannot run at every value of: under a condition, on
        // some members or elements only, or on names.
        for (root, pointer, keyword) in [
            (
                json!({"if": {"properties": {"kind": {"const": "iban"}}},
                       "then": {"properties": {"id": {"x-bankschema-rules": ["iso13616.iban"]}}}}),
                "/$defs/Root/then/properties/id/x-bankschema-rules",
                "`then`",
            ),
            (
                json!({"not": {"x-bankschema-rules": ["iso13616.iban"]}}),
                "/$defs/Root/not/x-bankschema-rules",
                "`not`",
            ),
            (
                json!({"patternProperties": {"^iban": {"x-bankschema-rules": ["iso13616.iban"]}}}),
                "/$defs/Root/patternProperties/^iban/x-bankschema-rules",
                "`patternProperties`",
            ),
            (
                json!({"properties": {"a": {}},
                       "additionalProperties": {"x-bankschema-rules": ["iso13616.iban"]}}),
                "/$defs/Root/additionalProperties/x-bankschema-rules",
                "`additionalProperties`",
            ),
            (
                json!({"contains": {"$ref": "#/$defs/Iban"}}),
                "/$defs/Iban/x-bankschema-rules",
                "`contains`",
            ),
            (
                json!({"dependentSchemas": {"a": {"properties": {"b": {"$ref": "#/$defs/Iban"}}}}}),
                "/$defs/Iban/x-bankschema-rules",
                "`dependentSchemas`",
            ),
            (
                json!({"propertyNames": {"x-bankschema-rules": ["iso13616.iban"]}}),
                "/$defs/Root/propertyNames/x-bankschema-rules",
                "`propertyNames`",
            ),
        ] {
            let (api, message) = api(
                root,
                &[("Iban", json!({"x-bankschema-rules": ["iso13616.iban"]}))],
            );
            let error = attachments(&api, &message).unwrap_err().to_string();
            assert!(error.contains(pointer), "{error}");
            assert!(error.contains(keyword), "{error}");
        }
    }

    #[test]
    fn a_rule_inside_a_definition_that_holds_itself_is_refused() {
        let (tree, message) = api(
            json!({"properties": {"tree": {"$ref": "#/$defs/Node"}}}),
            &[(
                "Node",
                json!({"properties": {
                    "iban": {"x-bankschema-rules": ["iso13616.iban"]},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}
                }}),
            )],
        );
        let error = attachments(&tree, &message).unwrap_err().to_string();
        assert!(
            error.contains("/$defs/Node/properties/iban/x-bankschema-rules"),
            "{error}"
        );
        assert!(error.contains("first level only"), "{error}");
        // A definition that holds itself and no rule is walked as before.
        let (tree, message) = api(
            json!({"properties": {"tree": {"$ref": "#/$defs/Node"},
                                  "iban": {"x-bankschema-rules": ["iso13616.iban"]}}}),
            &[(
                "Node",
                json!({"properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}),
            )],
        );
        assert_eq!(attachments(&tree, &message).unwrap().len(), 1);
    }

    #[test]
    fn bad_attachments_are_refused_with_their_pointer() {
        for (rules, expected) in [
            (json!("iso13616.iban"), "must be an array"),
            (json!(["iban"]), "unknown rule `iban`"),
            (json!([{"id": "x"}]), "needs `rule`"),
            (
                json!([{"rule": "iso13616.iban", "at": "iban"}]),
                "`at` must be a JSON pointer",
            ),
            (
                json!([{"rule": "iso13616.iban", "at": "/a~b"}]),
                "`at` must be a JSON pointer",
            ),
            (
                json!([{"rule": "iso13616.iban", "multiCurrency": true}]),
                "takes no option",
            ),
            (json!([3]), "expected a rule id"),
        ] {
            let (api, message) = api(
                json!({"properties": {"f": {"x-bankschema-rules": rules}}}),
                &[],
            );
            let error = attachments(&api, &message).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
            assert!(
                error.contains("/$defs/Root/properties/f/x-bankschema-rules"),
                "{error}"
            );
        }
    }
}
