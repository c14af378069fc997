//! The one internal form every source is normalised into.
//!
//! An [`Api`] is one source file: a namespace of named JSON Schema 2020-12
//! definitions (which become one Rust module of types) and the messages (schema ids)
//! whose roots are among them. Everything downstream of loading reads only this.

use indexmap::IndexMap;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Api {
    /// The file stem before the dialect suffix, such as `connected-accounts`.
    pub name: String,
    /// The source file, relative to the schemas directory's parent (`schemas/...`).
    pub source: PathBuf,
    /// One line about the API, for module docs.
    pub title: String,
    /// Named definitions, already in JSON Schema 2020-12 with `#/$defs/...` refs.
    pub defs: IndexMap<String, Definition>,
    pub messages: Vec<Message>,
    /// What reading the source noticed without refusing it (a format asserted by no
    /// one, kept as an annotation), for `bankschema check`.
    pub warnings: Vec<Warning>,
}

/// A located note about a source that does not stop codegen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Where in the source, as a JSON pointer.
    pub pointer: String,
    pub message: String,
}

/// Who writes a message and who reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Written by callers, read by the API: a request body, a tool's input.
    Request,
    /// Written by the API, read by clients: a response, a tool's output.
    Response,
}

#[derive(Clone, Debug)]
pub struct Definition {
    pub schema: Value,
    /// Names of the definitions this one refers to directly.
    pub refs: BTreeSet<String>,
}

#[derive(Clone, Debug)]
pub struct Message {
    /// The stable schema id, such as `connected-accounts.response`.
    pub id: String,
    /// The definition the message's payload is an instance of.
    pub root: String,
    /// One line saying what the message is.
    pub summary: String,
    /// The schema id of the request this message answers, when the source has one
    /// (a tool's output answers its input): rules such as `bank2ai.filters` read it.
    pub answers: Option<String>,
    pub direction: Direction,
    /// The publisher's own examples of the payload, where the source gives them.
    pub examples: Vec<Example>,
}

/// One example payload a source gives for a message.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Its name in the source (`example` for a lone `example`).
    pub name: String,
    /// Where its value stands in the source.
    pub pointer: String,
    pub value: Value,
}

pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Words Rust reserves: an API whose module would be one is refused.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `name` may name an API (a file stem, a module once `-` is `_`) or the
/// message part of a schema id (a part of function names): lowercase words of
/// letters and digits joined by `-`, starting with a letter, such as `error-400`.
pub fn is_valid_name(name: &str, as_module: bool) -> bool {
    let mut words = name.split('-');
    let well_formed = words.next().is_some_and(|first| {
        first.starts_with(|c: char| c.is_ascii_lowercase())
            && first
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    }) && words.all(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    });
    well_formed && !(as_module && KEYWORDS.contains(&name.replace('-', "_").as_str()))
}

/// What [`is_valid_name`] asks, for messages.
pub const NAME_RULE: &str =
    "lowercase letters and digits in words joined by `-`, starting with a letter (`error-400`)";

impl Api {
    /// Rust module name of the API: `connected-accounts` gives `connected_accounts`.
    pub fn module(&self) -> String {
        self.name.replace('-', "_")
    }

    /// The definition `schema` is a `$ref` to, if it is one.
    pub fn referred(&self, schema: &Value) -> Option<&Definition> {
        let name = schema.get("$ref")?.as_str()?.strip_prefix("#/$defs/")?;
        self.defs.get(&*crate::normalise::unescape(name))
    }

    /// Where definition `name` stands in the source, as a JSON pointer.
    pub fn definition_pointer(&self, name: &str) -> String {
        let name = crate::normalise::escape(name);
        let is_openapi = self
            .source
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains(".openapi."));
        if is_openapi {
            format!("/components/schemas/{name}")
        } else {
            format!("/$defs/{name}")
        }
    }

    /// The self-contained JSON Schema of one message: a `$ref` to its root and the
    /// definitions reachable from there, in the order the source declares them.
    pub fn message_schema(&self, message: &Message) -> Value {
        let reachable = self.reachable_from(&message.root);
        let defs: serde_json::Map<String, Value> = self
            .defs
            .iter()
            .filter(|(name, _)| reachable.contains(name.as_str()))
            .map(|(name, def)| (name.clone(), def.schema.clone()))
            .collect();
        serde_json::json!({
            "$schema": DRAFT_2020_12,
            "$ref": format!("#/$defs/{}", crate::normalise::escape(&message.root)),
            "$defs": defs,
        })
    }

    fn reachable_from<'a>(&'a self, root: &'a str) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![root];
        while let Some(name) = stack.pop() {
            if seen.insert(name) {
                if let Some(def) = self.defs.get(name) {
                    stack.extend(def.refs.iter().map(String::as_str));
                }
            }
        }
        seen
    }
}

/// A schema id's name in Rust, in UpperCamelCase: the `SchemaId` variant, and the
/// base of a message's root type name. `linked-accounts.error-400` gives
/// `LinkedAccountsError400`.
pub fn variant_name(def_name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in def_name.chars() {
        if c.is_alphanumeric() {
            out.extend(if upper {
                c.to_uppercase().collect::<Vec<_>>()
            } else {
                vec![c]
            });
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}
