//! Finding the values a site's pointer template names in a payload.

use crate::Node;

/// One value a template matched.
pub struct Match<'a, N> {
    /// Its RFC 6901 pointer.
    pub pointer: String,
    pub value: N,
    /// The object or array it is a member of (`None` at the root).
    pub parent: Option<N>,
    _payload: std::marker::PhantomData<&'a ()>,
}

/// Every value at `template` in `payload`, in payload order. `*` stands for every
/// element of an array and every member of an object; other tokens are RFC 6901
/// reference tokens (`~1` for `/`, `~0` for `~`). A token that names nothing (a
/// missing member, a string where an object was expected) matches nothing.
pub fn matches<'a, N: Node<'a>>(payload: N, template: &str) -> Vec<Match<'a, N>> {
    let mut found = vec![Match {
        pointer: String::new(),
        value: payload,
        parent: None,
        _payload: std::marker::PhantomData,
    }];
    for token in template.split('/').skip(1) {
        let mut next = Vec::new();
        for here in found {
            let parent = here.value;
            let children = if token == "*" {
                parent.children()
            } else {
                let key = unescape(token);
                parent
                    .get(&key)
                    .map(|child| vec![(key.into(), child)])
                    .unwrap_or_default()
            };
            for (key, child) in children {
                next.push(Match {
                    pointer: format!("{}/{}", here.pointer, escape(&key)),
                    value: child,
                    parent: Some(parent),
                    _payload: std::marker::PhantomData,
                });
            }
        }
        found = next;
    }
    found
}

pub fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

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
        assert_eq!(found[0].value.as_str(), Some("A"));
        assert!(matches(&payload, "")[0].parent.is_none());
    }
}
