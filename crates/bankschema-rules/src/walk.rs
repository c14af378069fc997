//! Finding the values a site's pointer template names in a payload.

use crate::Node;
use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

/// One value a template matched. Its pointer is built only when asked for: most
/// matches break no rule and are never reported.
pub struct Match<'a, N> {
    /// The pointer of the object or array holding it.
    container: Rc<str>,
    /// Its name in that container (unescaped), `None` at the root.
    key: Option<Cow<'a, str>>,
    pub value: N,
    /// The object or array it is a member of (`None` at the root).
    pub parent: Option<N>,
}

impl<N> Match<'_, N> {
    /// Its RFC 6901 pointer.
    pub fn pointer(&self) -> String {
        match &self.key {
            Some(key) => format!("{}/{}", self.container, escape(key)),
            None => String::new(),
        }
    }

    /// The pointer of the object or array holding it.
    pub fn container(&self) -> &str {
        &self.container
    }

    /// Its name in its container (`""` at the root).
    pub fn key(&self) -> &str {
        self.key.as_deref().unwrap_or_default()
    }
}

/// The values a template prefix names, each with its pointer.
type Containers<N> = Rc<Vec<(Rc<str>, N)>>;

/// Finds the values of templates in one payload, expanding each template prefix
/// once however many sites share it (every site of get-accounts starts `/items/*`).
pub struct Walker<'a, N> {
    payload: N,
    /// The containers a template prefix names, with their pointers.
    prefixes: HashMap<String, Containers<N>>,
    _payload: std::marker::PhantomData<&'a ()>,
}

impl<'a, N: Node<'a>> Walker<'a, N> {
    pub fn new(payload: N) -> Self {
        Walker {
            payload,
            prefixes: HashMap::new(),
            _payload: std::marker::PhantomData,
        }
    }

    /// Every value at `template`, in payload order. `*` stands for every element of
    /// an array and every member of an object; other tokens are RFC 6901 reference
    /// tokens (`~1` for `/`, `~0` for `~`). A token that names nothing (a missing
    /// member, a string where an object was expected) matches nothing.
    pub fn matches(&mut self, template: &'a str) -> Vec<Match<'a, N>> {
        let Some((prefix, last)) = template.rsplit_once('/') else {
            return vec![Match {
                container: Rc::from(""),
                key: None,
                value: self.payload,
                parent: None,
            }];
        };
        let containers = self.containers(prefix);
        let mut found = Vec::with_capacity(containers.len());
        for (pointer, container) in containers.iter() {
            step(*container, last, |key, value| {
                found.push(Match {
                    container: Rc::clone(pointer),
                    key: Some(key),
                    value,
                    parent: Some(*container),
                });
            });
        }
        found
    }

    /// The values `prefix` names, each with its pointer; computed once per prefix.
    fn containers(&mut self, prefix: &'a str) -> Containers<N> {
        if let Some(found) = self.prefixes.get(prefix) {
            return Rc::clone(found);
        }
        let found = match prefix.rsplit_once('/') {
            None => vec![(Rc::from(""), self.payload)],
            Some((up, last)) => {
                let above = self.containers(up);
                let mut found = Vec::new();
                for (pointer, container) in above.iter() {
                    step(*container, last, |key, value| {
                        found.push((Rc::from(format!("{pointer}/{}", escape(&key))), value));
                    });
                }
                found
            }
        };
        let found = Rc::new(found);
        self.prefixes.insert(prefix.to_owned(), Rc::clone(&found));
        found
    }
}

/// Each member of `container` that `token` names, with its name.
fn step<'a, N: Node<'a>>(container: N, token: &'a str, mut each: impl FnMut(Cow<'a, str>, N)) {
    if token == "*" {
        for (key, child) in container.children() {
            each(key, child);
        }
    } else {
        let key = unescape(token);
        if let Some(child) = container.get(&key) {
            each(key, child);
        }
    }
}

pub fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn pointers(payload: &Value, template: &str) -> Vec<String> {
        Walker::new(payload)
            .matches(template)
            .iter()
            .map(Match::pointer)
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
        assert_eq!(
            pointers(&payload, "/items/*"),
            ["/items/0", "/items/1", "/items/2"]
        );
        assert!(pointers(&json!({"items": "no"}), "/items/*/iban").is_empty());
    }

    #[test]
    fn a_match_knows_its_parent_and_shared_prefixes_are_walked_once() {
        let payload = json!({"items": [{"iban": "A", "bic": "B"}]});
        let mut walker = Walker::new(&payload);
        let found = walker.matches("/items/*/iban");
        assert_eq!(found[0].parent.unwrap()["bic"], "B");
        assert_eq!(found[0].value.as_str(), Some("A"));
        assert_eq!((found[0].container(), found[0].key()), ("/items/0", "iban"));
        assert_eq!(walker.matches("/items/*/bic")[0].pointer(), "/items/0/bic");
        assert_eq!(
            walker.prefixes.len(),
            3,
            "``, `/items` and `/items/*` once each"
        );
        assert!(walker.matches("")[0].parent.is_none());
    }
}
