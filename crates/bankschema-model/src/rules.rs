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
use bankschema_rules::{Governed, Rule};
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
    fn schema(&mut self, schema: &'a Value, pointer: &str, at: &str) -> Result<()> {
        let Value::Object(schema) = schema else {
            return Ok(());
        };
        if let Some(entries) = schema.get(RULES) {
            self.attach(entries, &format!("{pointer}/{RULES}"), at)?;
        }
        if let Some(Value::String(reference)) = schema.get("$ref") {
            let name = reference.strip_prefix("#/$defs/").unwrap_or(reference);
            if let Some(def) = self.defs.and_then(|defs| defs.get(name)) {
                if !self.stack.contains(&name) {
                    self.stack.push(name);
                    self.schema(def, &format!("/$defs/{}", escape(name)), at)?;
                    self.stack.pop();
                }
            }
        }
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (name, property) in properties {
                let here = format!("{pointer}/properties/{}", escape(name));
                self.schema(property, &here, &format!("{at}/{}", escape(name)))?;
            }
        }
        for (keyword, step) in [("items", "/*"), ("additionalProperties", "/*")] {
            if let Some(inner) = schema.get(keyword) {
                self.schema(
                    inner,
                    &format!("{pointer}/{keyword}"),
                    &format!("{at}{step}"),
                )?;
            }
        }
        for keyword in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(branches)) = schema.get(keyword) {
                for (i, branch) in branches.iter().enumerate() {
                    self.schema(branch, &format!("{pointer}/{keyword}/{i}"), at)?;
                }
            }
        }
        Ok(())
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
                        Some(Value::String(p)) if p.is_empty() || p.starts_with('/') => p.as_str(),
                        Some(other) => {
                            return Err(self.error(
                                &keyword,
                                format!(
                                    "`at` must be a JSON pointer such as \"/iban\", found {other}"
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
                        "currency": {"x-bankschema-rules": [{"rule": "iso4217.currency", "multiCurrency": true}]},
                        "next": {"$ref": "#/$defs/Account"}
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
