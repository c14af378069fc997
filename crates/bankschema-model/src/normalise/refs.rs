//! References: a `$ref` into the source's definitions becomes one into `$defs`,
//! recorded; once every definition is read, they are resolved together, and a
//! definition that applies itself without descending is refused.

use super::{
    escape, kind_of, unescape, Dialect, Normalised, Normaliser, EXTENSION_PREFIX, OUTER_ANNOTATIONS,
};
use crate::error::{schema_error, Result};
use crate::model::Definition;
use crate::traverse::Place;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

impl Normaliser<'_> {
    pub(super) fn reference(
        &mut self,
        object: &Map<String, Value>,
        reference: &Value,
        pointer: &str,
    ) -> Result<Value> {
        let here = format!("{pointer}/$ref");
        let Value::String(target) = reference else {
            return Err(self.error(
                &here,
                format!("expected a string, found {}", kind_of(reference)),
            ));
        };
        if let Some(key) = object.keys().find(|k| k.starts_with(EXTENSION_PREFIX)) {
            return Err(self.error(
                &format!("{pointer}/{}", escape(key)),
                format!("`{key}` beside `$ref` would be ignored: put it on the definition the `$ref` names, or wrap the reference in `allOf`"),
            ));
        }
        let siblings: Vec<&str> = object
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "$ref" && !k.starts_with("x-"))
            .collect();
        let mut out = Map::new();
        match self.dialect {
            Dialect::OpenApi30 if !siblings.is_empty() => {
                return Err(self.error(
                    pointer,
                    format!(
                        "OpenAPI 3.0 ignores keywords beside `$ref` ({}); wrap the reference in `allOf` to combine them",
                        siblings.join(", ")
                    ),
                ));
            }
            Dialect::OpenApi30 => {}
            Dialect::JsonSchema | Dialect::Draft7 | Dialect::OpenApi31 => {
                // 2020-12 applies `$ref` beside other keywords; only annotations are
                // supported there, which keeps the generated types simple.
                for key in siblings {
                    if !OUTER_ANNOTATIONS.contains(&key) && key != "$comment" {
                        return Err(self.error(
                            &format!("{pointer}/{}", escape(key)),
                            format!("`{key}` beside `$ref` is not supported; wrap the reference in `allOf`"),
                        ));
                    }
                    out.insert(key.to_owned(), object[key].clone());
                }
            }
        }
        let name = self.definition_name(target, &here)?;
        out.insert(
            "$ref".into(),
            Value::String(format!("#/$defs/{}", escape(&name))),
        );
        Ok(Value::Object(out))
    }

    /// The definition a local `$ref` names, recorded so it can be checked to exist.
    pub(super) fn definition_name(&mut self, target: &str, here: &str) -> Result<String> {
        let prefix = self.dialect.ref_prefix();
        match target.strip_prefix(prefix).map(|t| unescape(t).into_owned()) {
            Some(name) if !name.is_empty() => {
                self.refs.entry(name.clone()).or_insert_with(|| here.to_owned());
                Ok(name)
            }
            _ => Err(self.error(
                here,
                format!("unsupported $ref `{target}`: only references to `{prefix}<name>` in the same file are resolved"),
            )),
        }
    }
}

/// Collects normalised definitions into one namespace, refusing a `$ref` to a
/// definition that does not exist (named at the pointer of the reference).
pub fn resolve_definitions(
    path: &Path,
    normalised: Vec<Normalised>,
) -> Result<IndexMap<String, Definition>> {
    let names: BTreeSet<&str> = normalised.iter().map(|d| d.name.as_str()).collect();
    for Normalised { refs, .. } in &normalised {
        if let Some((missing, pointer)) =
            refs.iter().find(|(name, _)| !names.contains(name.as_str()))
        {
            return Err(schema_error(
                path,
                pointer,
                format!("dangling $ref: there is no definition named `{missing}`"),
            ));
        }
    }
    let first_reference: BTreeMap<String, String> = normalised
        .iter()
        .flat_map(|d| d.refs.iter().map(|(n, p)| (n.clone(), p.clone())))
        .collect();
    let defs: IndexMap<String, Definition> = normalised
        .into_iter()
        .map(|d| {
            let refs = d.refs.into_keys().collect();
            (
                d.name,
                Definition {
                    schema: d.schema,
                    refs,
                },
            )
        })
        .collect();
    if let Some(cycle) = in_place_cycle(&defs) {
        let closing = cycle.last().cloned().unwrap_or_default();
        let pointer = first_reference.get(&closing).cloned().unwrap_or_default();
        return Err(schema_error(
            path,
            &pointer,
            format!(
                "unsupported recursion: {} refer to each other without descending into a property or an item, so validating a value would never end",
                cycle.join(" -> ")
            ),
        ));
    }
    Ok(defs)
}

/// A chain of definitions that applies itself to the same value (`A` is `allOf:
/// [B]`, `B` is `anyOf: [A, ...]`), as names from the first back to it; `None`
/// when every recursion descends into a member or an element. typify recurses on
/// such a chain until the stack runs out, and a validator would too.
pub(super) fn in_place_cycle(defs: &IndexMap<String, Definition>) -> Option<Vec<String>> {
    let edges: BTreeMap<&str, BTreeSet<String>> = defs
        .iter()
        .map(|(name, def)| {
            let mut refs = BTreeSet::new();
            in_place_refs(&def.schema, &mut refs);
            (name.as_str(), refs)
        })
        .collect();
    // Depth-first, with the path kept: a name met again on the path closes a cycle.
    fn visit<'a>(
        name: &'a str,
        edges: &'a BTreeMap<&str, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| *n == name) {
            let mut cycle: Vec<String> = path[at..].iter().map(|n| (*n).to_owned()).collect();
            cycle.push(name.to_owned());
            return Some(cycle);
        }
        if !done.insert(name) {
            return None;
        }
        path.push(name);
        for next in edges.get(name).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    defs.keys()
        .find_map(|name| visit(name, &edges, &mut Vec::new(), &mut done))
}

/// The definitions `schema` applies to the value it judges itself: through `$ref`
/// and the in-place applicators, not into members or elements.
pub(super) fn in_place_refs(schema: &Value, out: &mut BTreeSet<String>) {
    let Value::Object(object) = schema else {
        return;
    };
    if let Some(name) = object
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        out.insert(unescape(name).into_owned());
    }
    for sub in crate::traverse::subschemas(object) {
        let in_place = matches!(
            sub.place,
            Place::Always | Place::Alternative | Place::Conditional | Place::Inverted
        );
        if in_place {
            in_place_refs(sub.schema, out);
        }
    }
}
