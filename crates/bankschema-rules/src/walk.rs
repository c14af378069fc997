//! Finding the values a site's pointer template names in a payload.

use serde_json::Value;

/// One value a template matched.
pub struct Match<'v> {
    /// Its RFC 6901 pointer.
    pub pointer: String,
    pub value: &'v Value,
    /// The object or array it is a member of (`None` at the root).
    pub parent: Option<&'v Value>,
}

/// Every value at `template` in `payload`, in payload order. `*` stands for every
/// element of an array and every member of an object; other tokens are RFC 6901
/// reference tokens (`~1` for `/`, `~0` for `~`). A token that names nothing (a
/// missing member, a string where an object was expected) matches nothing.
pub fn matches<'v>(payload: &'v Value, template: &str) -> Vec<Match<'v>> {
    let mut found = vec![Match {
        pointer: String::new(),
        value: payload,
        parent: None,
    }];
    let tokens = template.split('/').skip(1);
    for token in tokens {
        let mut next = Vec::new();
        for here in found {
            let parent = here.value;
            let mut push = |key: &str, value: &'v Value| {
                next.push(Match {
                    pointer: format!("{}/{}", here.pointer, escape(key)),
                    value,
                    parent: Some(parent),
                });
            };
            match (token, parent) {
                ("*", Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        push(&i.to_string(), item);
                    }
                }
                ("*", Value::Object(members)) => {
                    for (key, member) in members {
                        push(key, member);
                    }
                }
                (token, Value::Object(members)) => {
                    let key = unescape(token);
                    if let Some(member) = members.get(&key) {
                        push(&key, member);
                    }
                }
                _ => {}
            }
        }
        found = next;
    }
    found
}

pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(payload: &Value, template: &str) -> Vec<String> {
        matches(payload, template)
            .into_iter()
            .map(|m| m.pointer)
            .collect()
    }

    #[test]
    fn stars_expand_arrays_and_objects_and_missing_members_match_nothing() {
        let payload = json!({"items": [{"iban": "A"}, {}, {"iban": null}], "m": {"a/b": {"x": 1}}});
        assert_eq!(
            pointers(&payload, "/items/*/iban"),
            ["/items/0/iban", "/items/2/iban"]
        );
        assert_eq!(pointers(&payload, "/m/*/x"), ["/m/a~1b/x"]);
        assert_eq!(pointers(&payload, "/m/a~1b"), ["/m/a~1b"]);
        assert_eq!(pointers(&payload, ""), [""]);
        assert!(pointers(&json!({"items": "no"}), "/items/*/iban").is_empty());
    }

    #[test]
    fn a_match_knows_its_parent() {
        let payload = json!({"items": [{"iban": "A", "bic": "B"}]});
        let found = matches(&payload, "/items/*/iban");
        assert_eq!(found[0].parent.unwrap()["bic"], "B");
        assert!(matches(&payload, "")[0].parent.is_none());
    }
}
