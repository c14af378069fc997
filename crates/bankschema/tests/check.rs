//! `bankschema check` on the repository's own sources (clean) and on a broken copy.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn the_repository_sources_are_clean() {
    let output = Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(root())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn broken_sources_and_misfiled_examples_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    copy_dir(&root().join("schemas"), &schemas);
    let edit = |file: &str, from: &str, to: &str| {
        let path = schemas.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "connected-accounts.openapi.yaml",
        "#/components/schemas/Pagination",
        "#/components/schemas/Paging",
    );
    edit(
        "get-accounts.tool.json",
        r#""description": "BIC / SWIFT code of the holding bank (ISO 9362).","#,
        "",
    );
    edit(
        "connected-accounts.openapi.yaml",
        "example: \"560029\"",
        "example: 560029",
    );
    edit(
        "linked-accounts.openapi.yaml",
        "openapi: 3.0.3",
        "openapi: 3.0.3\ninfo: [",
    );
    std::fs::copy(
        schemas.join("examples/get-accounts.input/valid/no-filters.json"),
        schemas.join("examples/get-accounts.input/invalid/no-filters.json"),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn an_example_its_own_schema_refuses_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    std::fs::create_dir_all(&schemas).unwrap();
    let source =
        std::fs::read_to_string(root().join("schemas/connected-accounts.openapi.yaml")).unwrap();
    let edited = source.replacen("example: \"560029\"", "example: 560029", 1);
    assert_ne!(source, edited);
    std::fs::write(schemas.join("connected-accounts.openapi.yaml"), edited).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(
        diagnostic["instancePath"],
        "/components/schemas/SortCodeAccountNumber"
    );
    assert_eq!(
        diagnostic["message"],
        "in `SortCodeAccountNumber` at /properties/sort_code: the example 560029 is refused by its own schema: 560029 is not of type \"string\""
    );
    assert!(diagnostic["line"].as_u64().unwrap() > 1);
}

#[test]
fn a_format_asserted_by_no_one_is_a_located_warning_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    copy_dir(&root().join("schemas"), &schemas);
    let path = schemas.join("get-accounts.tool.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let from = "\"pattern\": \"^[A-Z]{3}$\"";
    assert!(text.contains(from));
    std::fs::write(&path, text.replacen(from, "\"format\": \"url\"", 1)).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("warning: format \"url\" is asserted by no one here"),
        "{stdout}"
    );
    assert!(stdout.contains("get-accounts.tool.json:"), "{stdout}");
}

/// What an overlay wrote is reported in the overlay, at its line; an overlay with no
/// document beside it is reported as codegen reports it.
#[test]
fn an_overlay_s_mistakes_are_placed_in_the_overlay() {
    let dir = tempfile::tempdir().unwrap();
    let spec = "openapi: 3.0.3
info: {title: Bank, version: '1'}
paths:
  /accounts:
    get:
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/List'}
components:
  schemas:
    List:
      type: object
      properties:
        total:
          type: integer
          description: How many.
";
    let overlay = "overlay: 1.0.0
info: {title: t, version: '1'}
extends: bank.openapi.yaml
actions:
  - target: $.paths['/accounts'].get.responses['200']
    update:
      x-bankschema-id: bank.accounts
  - target: $.components.schemas.List
    update:
      x-bankschema-rules:
        - no.such.rule
";
    std::fs::write(dir.path().join("bank.openapi.yaml"), spec).unwrap();
    std::fs::write(dir.path().join("bank.overlay.yaml"), overlay).unwrap();
    std::fs::write(dir.path().join("orphan.overlay.yaml"), overlay).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("unknown rule `no.such.rule`"), "{stdout}");
    assert!(stdout.contains("bank.overlay.yaml:11:"), "{stdout}");
    assert!(
        stdout.contains("orphan.overlay.yaml")
            && stdout.contains("no OpenAPI document `orphan.openapi.yaml`"),
        "{stdout}"
    );
}
