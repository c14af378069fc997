//! The example payloads under `schemas/examples/<schema-id>/{valid,invalid}/`.

// Each test target compiles this module and uses a different part of it.
#![allow(dead_code)]

pub mod edges;
pub mod payloads;
pub mod pointers;

use bankschema_runtime::raw::Raw;
use bankschema_runtime::typed::{TypedArray, TypedObject};
use bankschema_validator::SchemaId;
use std::path::{Path, PathBuf};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_owned()
}

/// The valid example `name` of `id`, as JSON.
pub fn valid_example(id: SchemaId, name: &str) -> serde_json::Value {
    let path = workspace_root()
        .join("schemas/examples")
        .join(id.as_str())
        .join("valid")
        .join(format!("{name}.json"));
    serde_json::from_slice(&std::fs::read(&path).expect("the example exists"))
        .expect("the example is JSON")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Invalid,
}

impl Verdict {
    pub fn dir(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
        }
    }
}

pub struct Example {
    pub id: SchemaId,
    pub verdict: Verdict,
    /// File stem: for invalid examples it says what is wrong.
    pub name: String,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Example {
    /// A snapshot name unique to this example.
    pub fn snapshot_name(&self, kind: &str) -> String {
        format!("{kind}@{}@{}@{}", self.id, self.verdict.dir(), self.name)
    }
}

/// Every example, sorted by schema id, verdict and name. A directory that is not a
/// schema id, or a file that is not `.json`, fails the test: examples must not be
/// silently skipped.
pub fn examples() -> Vec<Example> {
    let root = workspace_root().join("schemas/examples");
    let mut examples = Vec::new();
    for id_dir in sorted_entries(&root) {
        let id_name = id_dir.file_name().unwrap().to_string_lossy().into_owned();
        let id: SchemaId = id_name
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", id_dir.display()));
        for verdict_dir in sorted_entries(&id_dir) {
            let verdict = match verdict_dir.file_name().unwrap().to_str() {
                Some("valid") => Verdict::Valid,
                Some("invalid") => Verdict::Invalid,
                _ => panic!("{}: expected `valid/` or `invalid/`", verdict_dir.display()),
            };
            for path in sorted_entries(&verdict_dir) {
                assert_eq!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("json"),
                    "{}: examples are .json files",
                    path.display()
                );
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                let bytes =
                    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                examples.push(Example {
                    id,
                    verdict,
                    name,
                    path,
                    bytes,
                });
            }
        }
    }
    examples
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| !path.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    entries.sort();
    entries
}

/// Whether `a` and `b` are the same JSON text up to whitespace and the order of
/// members, numbers written alike (`0.10` is not `0.1`): what a `Value` cannot
/// tell apart.
pub fn same_text(a: &[u8], b: &[u8]) -> bool {
    fn same(a: &Raw<'_>, b: &Raw<'_>) -> bool {
        match (a, b) {
            (Raw::Array(a), Raw::Array(b)) => {
                let (a, b) = (a.element_slice().unwrap(), b.element_slice().unwrap());
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
            }
            (Raw::Object(a), Raw::Object(b)) => {
                let (a, b) = (a.member_slice().unwrap(), b.member_slice().unwrap());
                let by_name: std::collections::HashMap<&str, &Raw<'_>> =
                    b.iter().map(|(key, value)| (key.as_ref(), value)).collect();
                a.len() == b.len()
                    && a.iter()
                        .all(|(key, a)| by_name.get(key.as_ref()).is_some_and(|b| same(a, b)))
            }
            _ => a == b,
        }
    }
    match (Raw::read(a), Raw::read(b)) {
        (Ok(a), Ok(b)) => same(&a, &b),
        _ => false,
    }
}
