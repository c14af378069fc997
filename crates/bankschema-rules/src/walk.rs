//! Finding the values a site's pointer template names in a payload.

use crate::Node;
use std::borrow::Cow;
use std::rc::Rc;

/// Where a value sits: its container's path and its name there. Built as a chain
/// while walking and written out as a pointer only when a rule reports: most
/// values break no rule, and formatting every container's pointer cost more than
/// the rules themselves.
pub struct Path<'a> {
    parent: Option<Rc<Path<'a>>>,
    key: Key<'a>,
}

#[derive(Clone)]
enum Key<'a> {
    Name(Cow<'a, str>),
    Index(usize),
}

impl Key<'_> {
    fn write(&self, out: &mut String) {
        out.push('/');
        match self {
            Key::Name(name) => out.push_str(&escape(name)),
            Key::Index(i) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{i}");
            }
        }
    }

    fn text(&self) -> Cow<'_, str> {
        match self {
            Key::Name(name) => Cow::Borrowed(name),
            Key::Index(i) => Cow::Owned(i.to_string()),
        }
    }
}

/// The RFC 6901 pointer of `path` (`""` for the root).
fn pointer_of(path: Option<&Path<'_>>) -> String {
    let mut keys = Vec::new();
    let mut at = path;
    while let Some(path) = at {
        keys.push(&path.key);
        at = path.parent.as_deref();
    }
    let mut out = String::new();
    for key in keys.iter().rev() {
        key.write(&mut out);
    }
    out
}

/// One value a template matched. Its pointer is built only when asked for.
pub struct Match<'a, N> {
    location: Location<'a>,
    pub value: N,
    /// The object or array it is a member of (`None` at the root).
    pub parent: Option<N>,
}

/// Where a matched value sits, as cheaply as it was known.
enum Location<'a> {
    /// Found by the walker: the path of the object or array holding it (`None`:
    /// the root holds it, or it is the root), and its name there (`None` at the root).
    Walked {
        container: Option<Rc<Path<'a>>>,
        key: Option<Key<'a>>,
    },
    /// Found by reading fields (generated code) or along a [`crate::Plan`]: the
    /// site's template and the index each of its `*`s stood for.
    Placed { at: &'a str, indices: Indices },
    /// Found where only a verdict is wanted ([`crate::holds`]): no pointer.
    Unplaced,
}

/// The most `*`s a template may have for its values to be placed by indices (by
/// generated code or a [`crate::Plan`]).
pub const MAX_STARS: usize = 4;

/// The index each `*` of a template stood for, in order.
pub type Indices = [usize; MAX_STARS];

impl<'a, N> Match<'a, N> {
    /// A value found by other means than a template (generated code reading fields,
    /// see [`crate::holds`]): it carries no path, and its pointer is the root's.
    pub(crate) fn unplaced(value: N, parent: Option<N>) -> Self {
        Match {
            location: Location::Unplaced,
            value,
            parent,
        }
    }

    /// A value found at template `at` (by generated code or a plan), its `*`s
    /// standing for `indices`.
    pub(crate) fn placed(at: &'a str, indices: Indices, value: N, parent: Option<N>) -> Self {
        Match {
            location: Location::Placed { at, indices },
            value,
            parent,
        }
    }

    /// Its RFC 6901 pointer.
    pub fn pointer(&self) -> String {
        match &self.location {
            Location::Walked { key, .. } => {
                let mut out = self.container();
                if let Some(key) = key {
                    key.write(&mut out);
                }
                out
            }
            Location::Placed { at, indices } => fill(at, indices),
            Location::Unplaced => String::new(),
        }
    }

    /// The pointer of the object or array holding it.
    pub fn container(&self) -> String {
        match &self.location {
            Location::Walked { container, .. } => pointer_of(container.as_deref()),
            Location::Placed { .. } => {
                let mut pointer = self.pointer();
                pointer.truncate(pointer.rfind('/').unwrap_or(0));
                pointer
            }
            Location::Unplaced => String::new(),
        }
    }

    /// Its name in its container (`""` at the root).
    pub fn key(&self) -> Cow<'_, str> {
        match &self.location {
            Location::Walked { key, .. } => key.as_ref().map_or(Cow::Borrowed(""), Key::text),
            Location::Placed { at, indices } => match at.rsplit_once('/') {
                Some((up, "*")) => {
                    let star = up.split('/').filter(|token| *token == "*").count();
                    Cow::Owned(indices.get(star).copied().unwrap_or_default().to_string())
                }
                Some((_, last)) => unescape(last),
                None => Cow::Borrowed(""),
            },
            Location::Unplaced => Cow::Borrowed(""),
        }
    }
}

/// `at` with its `*`s replaced by `indices`, in order.
fn fill(at: &str, indices: &Indices) -> String {
    let mut out = String::with_capacity(at.len() + 8);
    let mut stars = indices.iter();
    for token in at.split('/').skip(1) {
        out.push('/');
        match (token, token == "*" && stars.len() > 0) {
            ("*", true) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{}", stars.next().copied().unwrap_or_default());
            }
            _ => out.push_str(token),
        }
    }
    out
}

/// The values a template prefix names, each with its path.
type Containers<'a, N> = Rc<Vec<(Option<Rc<Path<'a>>>, N)>>;

/// Finds the values of templates in one payload, expanding each template prefix
/// once however many sites share it (every site of get-accounts starts `/items/*`).
pub struct Walker<'a, N> {
    payload: N,
    /// Where `payload` sits in the whole payload (`None`: it is the root).
    base: Option<Rc<Path<'a>>>,
    /// The containers a template prefix names, with their paths. A list: a
    /// schema has a handful of prefixes, and hashing them cost more than looking.
    prefixes: Vec<(&'a str, Containers<'a, N>)>,
}

impl<'a, N: Node<'a>> Walker<'a, N> {
    pub fn new(payload: N) -> Self {
        Walker {
            payload,
            base: None,
            prefixes: Vec::new(),
        }
    }

    /// A walker from `node`, which sits at template `at` with its `*`s standing
    /// for `indices`: the pointers it gives are the whole payload's.
    pub fn below(node: N, at: &'a str, indices: &Indices) -> Self {
        let mut base = None;
        let mut stars = indices.iter();
        for token in at.split('/').skip(1) {
            let key = match token {
                "*" => Key::Index(stars.next().copied().unwrap_or_default()),
                name => Key::Name(unescape(name)),
            };
            base = Some(Rc::new(Path { parent: base, key }));
        }
        Walker {
            payload: node,
            base,
            prefixes: Vec::new(),
        }
    }

    /// Every value at `template`, in payload order. `*` stands for every element of
    /// an array and every member of an object; other tokens are RFC 6901 reference
    /// tokens (`~1` for `/`, `~0` for `~`). A token that names nothing (a missing
    /// member, a string where an object was expected) matches nothing.
    pub fn matches(&mut self, template: &'a str) -> Vec<Match<'a, N>> {
        let Some((prefix, last)) = template.rsplit_once('/') else {
            return vec![Match {
                location: Location::Walked {
                    container: None,
                    key: None,
                },
                value: self.payload,
                parent: None,
            }];
        };
        let containers = self.containers(prefix);
        let last = Token::new(last);
        let mut found = Vec::with_capacity(containers.len());
        for (path, container) in containers.iter() {
            step(*container, &last, |key, value| {
                found.push(Match {
                    location: Location::Walked {
                        container: path.clone(),
                        key: Some(key),
                    },
                    value,
                    parent: Some(*container),
                });
            });
        }
        found
    }

    /// The values `prefix` names, each with its path; computed once per prefix.
    fn containers(&mut self, prefix: &'a str) -> Containers<'a, N> {
        if let Some((_, found)) = self.prefixes.iter().find(|(known, _)| *known == prefix) {
            return Rc::clone(found);
        }
        let found = match prefix.rsplit_once('/') {
            None => vec![(self.base.clone(), self.payload)],
            Some((up, last)) => {
                let above = self.containers(up);
                let last = Token::new(last);
                let mut found = Vec::new();
                for (path, container) in above.iter() {
                    step(*container, &last, |key, value| {
                        let path = Path {
                            parent: path.clone(),
                            key,
                        };
                        found.push((Some(Rc::new(path)), value));
                    });
                }
                found
            }
        };
        let found = Rc::new(found);
        self.prefixes.push((prefix, Rc::clone(&found)));
        found
    }
}

/// One reference token of a template: every child, or the member of one name.
enum Token<'a> {
    Every,
    Member(Cow<'a, str>),
}

impl<'a> Token<'a> {
    fn new(token: &'a str) -> Self {
        if token == "*" {
            Token::Every
        } else {
            Token::Member(unescape(token))
        }
    }
}

/// Each member of `container` that `token` names, with its name.
fn step<'a, N: Node<'a>>(container: N, token: &Token<'a>, mut each: impl FnMut(Key<'a>, N)) {
    match token {
        Token::Every => {
            if let Some(elements) = container.elements() {
                for (i, element) in elements.into_iter().enumerate() {
                    each(Key::Index(i), element);
                }
            } else {
                for (key, child) in container.children() {
                    each(Key::Name(key), child);
                }
            }
        }
        Token::Member(key) => {
            if let Some(child) = container.get(key) {
                each(Key::Name(key.clone()), child);
            }
        }
    }
}

pub use crate::pointer::escape;
use crate::pointer::unescape;

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
        assert_eq!(
            (found[0].container().as_str(), found[0].key().as_ref()),
            ("/items/0", "iban")
        );
        assert_eq!(walker.matches("/items/*/bic")[0].pointer(), "/items/0/bic");
        assert_eq!(
            walker.prefixes.len(),
            3,
            "``, `/items` and `/items/*` once each"
        );
        assert!(walker.matches("")[0].parent.is_none());
    }

    #[test]
    fn values_placed_by_indices_or_walked_from_below_are_where_the_walker_finds_them() {
        let payload = json!({"a~b": [{"c/d": [1, 2, {"x": 3}]}, {"c/d": [4, {"x": 5}]}]});
        let template = "/a~0b/*/c~1d/*/x";
        let walked = Walker::new(&payload).matches(template);
        let placed = [[0, 2, 0, 0], [1, 1, 0, 0]];
        assert_eq!(walked.len(), 2);
        for (found, indices) in walked.iter().zip(placed) {
            let at = Match::placed(template, indices, found.value, found.parent);
            assert_eq!(at.pointer(), found.pointer());
            assert_eq!(at.container(), found.container());
            assert_eq!(at.key(), found.key());
        }
        let star = Match::placed("/a~0b/*", [1, 0, 0, 0], &payload, None);
        assert_eq!(
            (star.pointer().as_str(), star.key().as_ref()),
            ("/a~0b/1", "1")
        );
        // From the second element's `c/d`, the rest of the template.
        let below = &payload["a~b"][1]["c/d"];
        let found = Walker::below(below, "/a~0b/*/c~1d", &[1, 0, 0, 0]).matches("/*/x");
        assert_eq!(found[0].pointer(), walked[1].pointer());
        assert_eq!(found[0].container(), walked[1].container());
    }
}
