//! Overlay stage: an OpenAPI Overlay 1.0.0 document applied to the publisher's file.
//!
//! A published spec stays byte-identical in `schemas/`; what bankschema needs of it
//! (`x-bankschema-id`, `x-bankschema-money`, `x-bankschema-rules`) is said in
//! `<api>.overlay.yaml` beside it. Each action selects nodes with an RFC 9535
//! JSONPath (`target`) and either merges `update` into them or removes them
//! (`remove: true`), in order.
//!
//! Every value an update writes is recorded with its place in the overlay, so that a
//! diagnostic about it points into the overlay file rather than at a place of the
//! vendor file where the text is not ([`Provenance::locate`]).

use crate::error::{schema_error, Result};
use crate::normalise::{escape, kind_of};
use serde_json::{Map, Value};
use serde_json_path::JsonPath;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The Overlay Specification versions this stage applies.
const VERSIONS: &[&str] = &["1.0.0"];

/// Limits on what an overlay may ask: the JSONPath parser recurses on nesting, and
/// repeated wildcard updates could grow the document without end.
const MAX_TARGET_CHARS: usize = 4096;
const MAX_TARGET_NESTING: usize = 32;
const MAX_SELECTED: usize = 100_000;
const MAX_DEPTH: usize = 256;

/// Where the values an overlay wrote came from.
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// The overlay file.
    pub path: PathBuf,
    /// Pointer in the overlaid document -> pointer in the overlay of the value
    /// written there (the last write wins, as it does in the document).
    written: BTreeMap<String, String>,
}

impl Provenance {
    /// The file and pointer holding the text of the value at `pointer` of the
    /// overlaid document: the overlay, when an update wrote it or one of its
    /// ancestors; `None` when it is the vendor file's own.
    pub fn locate(&self, pointer: &str) -> Option<(&Path, String)> {
        let mut prefix = pointer;
        loop {
            if let Some(at) = self.written.get(prefix) {
                let rest = &pointer[prefix.len()..];
                return Some((&self.path, format!("{at}{rest}")));
            }
            prefix = &prefix[..prefix.rfind('/')?];
        }
    }
}

/// Applies the overlay `overlay` (read from `path`) to `document`, whose file is
/// named `target_name`; refusals name the pointer in the overlay.
pub fn apply(
    document: &mut Value,
    overlay: &Value,
    path: &Path,
    target_name: &str,
) -> Result<Provenance> {
    let actions = actions(overlay, path, target_name)?;
    let mut provenance = Provenance {
        path: path.to_owned(),
        written: BTreeMap::new(),
    };
    for (i, action) in actions.iter().enumerate() {
        let at = format!("/actions/{i}");
        let action = Action::read(action, &at, path)?;
        let pointers = action.select(document, &at, path, target_name)?;
        action.apply(document, &pointers, &at, path, &mut provenance)?;
    }
    Ok(provenance)
}

/// The actions of `overlay`, once its header is checked: the version, `info`, and
/// `extends` naming the file it overlays, `target_name`.
fn actions<'o>(overlay: &'o Value, path: &Path, target_name: &str) -> Result<&'o Vec<Value>> {
    let error = |pointer: &str, message: String| schema_error(path, pointer, message);
    let Some(object) = overlay.as_object() else {
        return Err(error(
            "",
            format!("expected an overlay object, found {}", kind_of(overlay)),
        ));
    };
    match object.get("overlay") {
        Some(Value::String(version)) if VERSIONS.contains(&version.as_str()) => {}
        other => {
            return Err(error(
                "/overlay",
                format!(
                    "expected the Overlay Specification version {}, found {}",
                    VERSIONS.join(" or "),
                    found(other)
                ),
            ))
        }
    }
    let info = object.get("info").and_then(Value::as_object);
    let described = info.is_some_and(|i| {
        i.get("title").is_some_and(Value::is_string)
            && i.get("version").is_some_and(Value::is_string)
    });
    if !described {
        return Err(error(
            "/info",
            format!(
                "expected `info` with a `title` and a `version` (strings), as Overlay 1.0.0 requires, found {}",
                found(object.get("info"))
            ),
        ));
    }
    match object.get("extends") {
        Some(Value::String(extends)) if extends.rsplit(['/', '\\']).next() == Some(target_name) => {
        }
        other => {
            return Err(error(
                "/extends",
                format!(
                    "expected `extends` to name the file it overlays, `{target_name}`, found {}",
                    found(other)
                ),
            ))
        }
    }
    let Some(Value::Array(actions)) = object.get("actions") else {
        return Err(error(
            "/actions",
            format!(
                "expected an array of actions, found {}",
                found(object.get("actions"))
            ),
        ));
    };
    Ok(actions)
}

/// One action of an overlay, read and checked.
struct Action<'o> {
    target: &'o str,
    selector: JsonPath,
    /// What is merged into each place; `None` for `remove: true`.
    update: Option<&'o Value>,
}

impl<'o> Action<'o> {
    /// The action `action`, at `at` in the overlay.
    fn read(action: &'o Value, at: &str, path: &Path) -> Result<Action<'o>> {
        let error = |pointer: &str, message: String| schema_error(path, pointer, message);
        let Some(action) = action.as_object() else {
            return Err(error(
                at,
                format!("expected an action object, found {}", kind_of(action)),
            ));
        };
        if let Some(key) = action.keys().find(|k| {
            !["target", "description", "update", "remove"].contains(&k.as_str())
                && !k.starts_with("x-")
        }) {
            return Err(error(
                &format!("{at}/{}", escape(key)),
                format!("unknown action field `{key}`: an action has `target`, `description`, `update` and `remove`"),
            ));
        }
        let Some(Value::String(target)) = action.get("target") else {
            return Err(error(
                &format!("{at}/target"),
                format!(
                    "expected a JSONPath string, found {}",
                    found(action.get("target"))
                ),
            ));
        };
        if target.chars().count() > MAX_TARGET_CHARS || nesting(target) > MAX_TARGET_NESTING {
            return Err(error(
                &format!("{at}/target"),
                format!("a target longer than {MAX_TARGET_CHARS} characters or nested deeper than {MAX_TARGET_NESTING} brackets is refused"),
            ));
        }
        let selector = JsonPath::parse(target).map_err(|e| {
            error(
                &format!("{at}/target"),
                format!("`{target}` is not an RFC 9535 JSONPath: {e}"),
            )
        })?;
        let remove = match action.get("remove") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(other) => {
                return Err(error(
                    &format!("{at}/remove"),
                    format!("expected true or false, found {}", kind_of(other)),
                ))
            }
        };
        let update = action.get("update");
        if remove == update.is_some() {
            return Err(error(
                at,
                "an action either updates (`update`) or removes (`remove: true`) its target"
                    .to_owned(),
            ));
        }
        Ok(Action {
            target,
            selector,
            update,
        })
    }

    /// The places the target selects in `document`, in document order, each once
    /// (a union may name one twice).
    fn select(
        &self,
        document: &Value,
        at: &str,
        path: &Path,
        target_name: &str,
    ) -> Result<Vec<String>> {
        let (target, error) = (self.target, |pointer: &str, message: String| {
            schema_error(path, pointer, message)
        });
        let pointers: Vec<String> = self
            .selector
            .query_located(document)
            .dedup()
            .locations()
            .map(|location| location.to_json_pointer())
            .collect();
        if pointers.len() > MAX_SELECTED {
            return Err(error(
                &format!("{at}/target"),
                format!(
                    "`{target}` selects {} places; at most {MAX_SELECTED} are applied",
                    pointers.len()
                ),
            ));
        }
        if pointers.is_empty() {
            return Err(error(
                &format!("{at}/target"),
                format!("`{target}` selects nothing in {target_name}"),
            ));
        }
        Ok(pointers)
    }

    /// Merges the update into (or removes) each of `pointers`.
    fn apply(
        &self,
        document: &mut Value,
        pointers: &[String],
        at: &str,
        path: &Path,
        provenance: &mut Provenance,
    ) -> Result<()> {
        let error = |pointer: &str, message: String| schema_error(path, pointer, message);
        let update = self.update;
        // Later places first, so that removing an array element leaves the places
        // of the elements before it as they were.
        for pointer in pointers.iter().rev() {
            match update {
                None => remove_at(document, pointer),
                Some(update) => {
                    let Some(node) = document.pointer_mut(pointer) else {
                        continue;
                    };
                    merge(node, update, pointer, &format!("{at}/update"), provenance)
                        .map_err(|message| error(&format!("{at}/update"), message))?;
                }
            }
        }
        // An update nests no deeper than where it is written plus its own depth
        // (a merge keeps the deeper of the two): measured on the update, not the
        // whole document again after each action.
        let added = update.map_or(0, depth);
        let deepest = pointers
            .iter()
            .map(|p| p.matches('/').count() + added)
            .max();
        if deepest.is_some_and(|d| d > MAX_DEPTH) {
            return Err(error(
                at,
                format!("the document is nested deeper than {MAX_DEPTH} levels after this action"),
            ));
        }
        Ok(())
    }
}

/// How deeply brackets and parentheses nest in a JSONPath (quoted names aside).
fn nesting(target: &str) -> usize {
    let (mut depth, mut deepest, mut quote) = (0usize, 0usize, None);
    let mut chars = target.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ']' | ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The nesting depth of `value`, measured without recursion.
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 1usize)];
    while let Some((value, level)) = stack.pop() {
        deepest = deepest.max(level);
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, level + 1))),
            Value::Object(members) => stack.extend(members.values().map(|v| (v, level + 1))),
            _ => {}
        }
    }
    deepest
}

fn found(value: Option<&Value>) -> String {
    match value {
        None => "nothing".to_owned(),
        Some(Value::String(text)) => format!("{text:?}"),
        Some(other) => kind_of(other).to_owned(),
    }
}

/// Merges `update` into the selected `node` as the specification says: an object's
/// members replace the node's members of the same name, recursively, and new ones are
/// appended; an array's elements (or a single value) are appended to an array node.
fn merge(
    node: &mut Value,
    update: &Value,
    pointer: &str,
    source: &str,
    provenance: &mut Provenance,
) -> std::result::Result<(), String> {
    match (node, update) {
        (Value::Object(node), Value::Object(update)) => {
            merge_members(node, update, pointer, source, provenance);
            Ok(())
        }
        (Value::Array(node), Value::Array(update)) => {
            for (k, item) in update.iter().enumerate() {
                let place = format!("{pointer}/{}", node.len());
                provenance.written.insert(place, format!("{source}/{k}"));
                node.push(item.clone());
            }
            Ok(())
        }
        (Value::Array(node), item) => {
            let place = format!("{pointer}/{}", node.len());
            provenance.written.insert(place, source.to_owned());
            node.push(item.clone());
            Ok(())
        }
        (node, _) => Err(format!(
            "an update merges into an object or appends to an array; the target at {pointer} is {}",
            kind_of(node)
        )),
    }
}

fn merge_members(
    node: &mut Map<String, Value>,
    update: &Map<String, Value>,
    pointer: &str,
    source: &str,
    provenance: &mut Provenance,
) {
    for (key, value) in update {
        let place = format!("{pointer}/{}", escape(key));
        let from = format!("{source}/{}", escape(key));
        match (node.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(value)) => {
                merge_members(existing, value, &place, &from, provenance);
            }
            _ => {
                // What an earlier action wrote below is replaced.
                let below: Vec<String> = provenance
                    .written
                    .range(place.clone()..)
                    .take_while(|(p, _)| p.starts_with(&place))
                    .filter(|(p, _)| is_within(p, &place))
                    .map(|(p, _)| p.clone())
                    .collect();
                for p in below {
                    provenance.written.remove(&p);
                }
                provenance.written.insert(place, from);
                node.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Whether `pointer` is `prefix` or below it.
fn is_within(pointer: &str, prefix: &str) -> bool {
    pointer
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn remove_at(document: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        // The root itself: an overlay that removes everything leaves nothing.
        *document = Value::Null;
        return;
    };
    let key = crate::normalise::unescape(last);
    match document.pointer_mut(parent) {
        Some(Value::Object(object)) => {
            object.shift_remove(&*key);
        }
        Some(Value::Array(array)) => {
            if let Ok(index) = key.parse::<usize>() {
                if index < array.len() {
                    array.remove(index);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.1",
            "paths": {
                "/v1/accounts": {"get": {"responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/accountList"}}}},
                    "400": {"$ref": "#/components/responses/400_NG"}
                }}},
                "/v1/cards": {"get": {"responses": {"200": {"description": "OK"}}}}
            },
            "components": {"schemas": {
                "amount": {"type": "object", "properties": {"amount": {"type": "string"}}},
                "tags": {"type": "array", "items": {"type": "string"}, "example": ["a"]}
            }}
        })
    }

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "extends": "./bg.openapi.yaml", "actions": actions})
    }

    fn applied(actions: Value) -> Result<(Value, Provenance)> {
        let mut document = spec();
        let provenance = apply(
            &mut document,
            &overlay(actions),
            Path::new("schemas/bg.overlay.yaml"),
            "bg.openapi.yaml",
        )?;
        Ok((document, provenance))
    }

    #[test]
    fn updates_merge_by_name_index_wildcard_and_bracket_selectors() {
        let (document, _) = applied(json!([
            {"target": "$.paths['/v1/accounts'].get.responses['200']", "update": {"x-bankschema-id": "bg.accounts"}},
            {"target": "$.paths['/v1/accounts'].get.responses['400']", "update": {"x-bankschema-id": "bg.accounts-400"}},
            {"target": "$.components.schemas.amount.properties.amount", "update": {"x-bankschema-money": true}},
            {"target": "$.paths.*.get.responses.*", "update": {"x-seen": 1}},
            {"target": "$.components.schemas.tags.example", "update": "b"},
            {"target": "$.components.schemas.tags.example[0]", "remove": true}
        ]))
        .unwrap();
        let ok = &document["paths"]["/v1/accounts"]["get"]["responses"]["200"];
        assert_eq!(ok["x-bankschema-id"], "bg.accounts");
        assert_eq!(ok["description"], "OK", "an update keeps the other members");
        assert_eq!(
            document["paths"]["/v1/accounts"]["get"]["responses"]["400"],
            json!({"$ref": "#/components/responses/400_NG", "x-bankschema-id": "bg.accounts-400", "x-seen": 1})
        );
        assert_eq!(
            document["components"]["schemas"]["amount"]["properties"]["amount"],
            json!({"type": "string", "x-bankschema-money": true})
        );
        assert_eq!(
            document["paths"]["/v1/cards"]["get"]["responses"]["200"]["x-seen"],
            1
        );
        assert_eq!(
            document["components"]["schemas"]["tags"]["example"],
            json!(["b"])
        );
    }

    #[test]
    fn removals_of_several_places_in_one_array_remove_those_places() {
        let (document, _) = applied(json!([
            {"target": "$.components.schemas.tags.example", "update": ["b", "c", "d"]},
            {"target": "$.components.schemas.tags.example[2,0,0]", "remove": true}
        ]))
        .unwrap();
        assert_eq!(
            document["components"]["schemas"]["tags"]["example"],
            json!(["b", "d"])
        );
    }

    #[test]
    fn hostile_targets_are_refused_before_they_are_parsed() {
        let deep = format!("$[?{}@.a{}]", "(".repeat(5000), ")".repeat(5000));
        let error = applied(json!([{"target": deep, "update": {}}])).unwrap_err();
        assert!(
            error.to_string().contains("nested deeper than 32"),
            "{error}"
        );
    }

    #[test]
    fn updates_that_nest_the_document_too_deep_are_refused() {
        let mut nested = json!({});
        for _ in 0..200 {
            nested = json!({"a": nested});
        }
        // Each update alone fits; written inside the previous one, the second
        // goes past the limit.
        let error = applied(json!([
            {"target": "$.components.schemas.amount", "update": {"x": nested.clone()}},
            {"target": "$.components.schemas.amount.x.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a", "update": {"y": nested}}
        ]))
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("/actions/1: the document is nested deeper than 256"),
            "{error}"
        );
    }

    #[test]
    fn what_an_update_wrote_is_located_in_the_overlay() {
        let (_, provenance) = applied(json!([
            {"target": "$.components.schemas.amount", "update": {"properties": {"amount": {"x-bankschema-money": true}}, "x-bankschema-rules": [{"rule": "r"}]}}
        ]))
        .unwrap();
        let amount = "/components/schemas/amount/properties/amount";
        assert_eq!(
            provenance.locate(&format!("{amount}/x-bankschema-money")),
            Some((
                Path::new("schemas/bg.overlay.yaml"),
                "/actions/0/update/properties/amount/x-bankschema-money".to_owned()
            ))
        );
        assert_eq!(
            provenance
                .locate("/components/schemas/amount/x-bankschema-rules/0/rule")
                .map(|(_, p)| p),
            Some("/actions/0/update/x-bankschema-rules/0/rule".to_owned())
        );
        // The vendor's own text stays the vendor's.
        assert_eq!(provenance.locate(&format!("{amount}/type")), None);
        assert_eq!(provenance.locate("/components/schemas/amount"), None);
    }

    #[test]
    fn malformed_overlays_are_refused_at_their_pointer() {
        let cases = [
            (
                json!({"overlay": "2.0.0", "extends": "bg.openapi.yaml", "actions": []}),
                "/overlay",
                "version 1.0.0",
            ),
            (
                json!({"overlay": "1.0.0", "extends": "bg.openapi.yaml", "actions": []}),
                "/info",
                "a `title` and a `version`",
            ),
            (
                json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "extends": "other.yaml", "actions": []}),
                "/extends",
                "`bg.openapi.yaml`",
            ),
            (
                overlay(json!([{"target": "$.paths[", "update": {}}])),
                "/actions/0/target",
                "not an RFC 9535 JSONPath",
            ),
            (
                overlay(json!([{"target": "$.nothing", "update": {}}])),
                "/actions/0/target",
                "selects nothing",
            ),
            (
                overlay(json!([{"target": "$.openapi", "update": {"a": 1}}])),
                "/actions/0/update",
                "is a string",
            ),
            (
                overlay(json!([{"target": "$.paths", "update": {}, "remove": true}])),
                "/actions/0",
                "either updates",
            ),
            (
                overlay(json!([{"target": "$.paths", "updates": {}}])),
                "/actions/0/updates",
                "unknown action field",
            ),
        ];
        for (overlay, pointer, message) in cases {
            let error = apply(
                &mut spec(),
                &overlay,
                Path::new("o.yaml"),
                "bg.openapi.yaml",
            )
            .unwrap_err()
            .to_string();
            assert!(
                error.starts_with(&format!("o.yaml: at {pointer}: ")) && error.contains(message),
                "{overlay} gave {error}"
            );
        }
    }
}
