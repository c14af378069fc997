//! `bankschema diff`: breaking changes by direction, safe additions, git revisions.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{bankschema, root};

/// Writes `schemas/<file>` edited by `edit` into a scratch `new/` directory.
fn edited(dir: &Path, file: &str, edit: impl FnOnce(&str) -> String) -> String {
    let text = std::fs::read_to_string(root().join("schemas").join(file)).unwrap();
    let path = dir.join("new").join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, edit(&text)).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn tool_changes_are_judged_by_direction() {
    let dir = tempfile::tempdir().unwrap();
    let new = edited(dir.path(), "get-accounts.tool.json", |text| {
        let mut tool: Value = serde_json::from_str(text).unwrap();
        let output = &mut tool["outputSchema"]["$defs"];
        output["Account"]["properties"]
            .as_object_mut()
            .unwrap()
            .remove("bic");
        output["Account"]["properties"]["nickname"] =
            serde_json::json!({"type": "string", "description": "A nickname."});
        output["Account"]["required"]
            .as_array_mut()
            .unwrap()
            .retain(|r| r != "balance");
        for schema in ["outputSchema", "inputSchema"] {
            tool[schema]["$defs"]["AccountStatus"]["enum"]
                .as_array_mut()
                .unwrap()
                .push("Pending".into());
        }
        tool["inputSchema"]["required"] = serde_json::json!(["account_type"]);
        serde_json::to_string_pretty(&tool).unwrap()
    });
    let output = bankschema(&["diff", "schemas/get-accounts.tool.json", &new]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "6 change(s): 4 breaking, 0 warning(s), 2 info\n"
    );
}

#[test]
fn response_changes_in_openapi() {
    let dir = tempfile::tempdir().unwrap();
    let new = edited(dir.path(), "connected-accounts.openapi.yaml", |text| {
        text.replacen(
            "enum: [current, savings]",
            "enum: [current, savings, business_current]",
            1,
        )
        .replacen(
            "description: The BIC associated with the account.",
            "description: The BIC associated with the account.\n          nullable: true",
            1,
        )
    });
    let output = bankschema(&[
        "diff",
        "--format",
        "json",
        "schemas/connected-accounts.openapi.yaml",
        &new,
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["breaking"], true);
    let changes: Vec<(&str, &str, &str)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["rule"].as_str().unwrap(),
                c["severity"].as_str().unwrap(),
                c["pointer"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                "response-property-enum-value-added",
                "breaking",
                "/items/*/account_type"
            ),
            (
                "response-property-became-nullable",
                "breaking",
                "/items/*/bic"
            ),
        ]
    );
    assert!(report["changes"][0]["message"]
        .as_str()
        .unwrap()
        .contains("enums are closed"));
}

#[test]
fn unchanged_and_git_revisions() {
    let output = bankschema(&[
        "diff",
        "HEAD:schemas/linked-accounts.openapi.yaml",
        "schemas/linked-accounts.openapi.yaml",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    let missing = bankschema(&[
        "diff",
        "no-such-rev-xyz:schemas/a.tool.json",
        "schemas/get-accounts.tool.json",
    ]);
    assert_eq!(missing.status.code(), Some(2), "an error is not a verdict");
    assert!(String::from_utf8_lossy(&missing.stderr)
        .starts_with("error: no-such-rev-xyz:schemas/a.tool.json: "));
}

/// A request body's direction is its kind's, whatever its id says: adding an enum
/// value to what callers send breaks no one; to what a response sends, clients.
#[test]
fn request_bodies_are_judged_as_requests() {
    let dir = tempfile::tempdir().unwrap();
    let spec = |values: &str| {
        format!(
            "openapi: 3.0.3
info: {{title: Bank, version: '1'}}
paths:
  /accounts:
    post:
      requestBody:
        x-bankschema-id: bank.output
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Filter'}}
      responses:
        '200':
          description: OK
          x-bankschema-id: bank.accounts
          content:
            application/json; charset=utf-8:
              schema: {{$ref: '#/components/schemas/Kind'}}
components:
  schemas:
    Filter:
      type: object
      properties:
        kind: {{$ref: '#/components/schemas/Kind'}}
    Kind: {{type: string, enum: [{values}]}}
"
        )
    };
    for (side, values) in [("old", "a, b"), ("new", "a, b, c")] {
        std::fs::create_dir_all(dir.path().join(side)).unwrap();
        std::fs::write(
            dir.path().join(side).join("bank.openapi.yaml"),
            spec(values),
        )
        .unwrap();
    }
    let old = dir.path().join("old/bank.openapi.yaml");
    let new = dir.path().join("new/bank.openapi.yaml");
    let output = bankschema(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let verdict = |id: &str| {
        report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["schemaId"] == id)
            .map(|c| (c["direction"].clone(), c["severity"].clone()))
    };
    assert_eq!(
        verdict("bank.output"),
        Some(("request".into(), "info".into())),
        "{report}"
    );
    assert_eq!(
        verdict("bank.accounts"),
        Some(("response".into(), "breaking".into())),
        "{report}"
    );
    assert_eq!(output.status.code(), Some(1));
}

/// A published spec is diffed with its overlay, at each revision; a revision is
/// never taken for one of git's options.
#[test]
fn a_spec_and_its_overlay_are_read_at_a_revision() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .current_dir(dir.path())
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
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
      required: [total]
      properties:
        total: {type: integer}
";
    let overlay = |optional: bool| {
        format!(
            "overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nextends: bank.openapi.yaml\nactions:\n  - target: $.paths['/accounts'].get.responses['200']\n    update: {{x-bankschema-id: bank.accounts}}\n{}",
            if optional {
                "  - target: $.components.schemas.List.required\n    remove: true\n"
            } else {
                ""
            }
        )
    };
    std::fs::write(dir.path().join("bank.openapi.yaml"), spec).unwrap();
    std::fs::write(dir.path().join("bank.overlay.yaml"), overlay(false)).unwrap();
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "spec"]);
    // The overlay now drops `required`: `total` may be absent, which breaks clients.
    std::fs::write(dir.path().join("bank.overlay.yaml"), overlay(true)).unwrap();
    let run = |old: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_bankschema"))
            .current_dir(dir.path())
            .args(["diff", "--format", "json", "--", old, "bank.openapi.yaml"])
            .output()
            .unwrap()
    };
    let output = run("HEAD:bank.openapi.yaml");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!("{}", String::from_utf8_lossy(&output.stderr));
    });
    assert_eq!(report["breaking"], true, "{report}");
    assert_eq!(
        report["changes"][0]["schemaId"], "bank.accounts",
        "{report}"
    );
    assert_eq!(output.status.code(), Some(1));
    // An option where a revision goes is refused, and git writes nothing.
    let injected = run("--output=written:bank.openapi.yaml");
    assert!(
        String::from_utf8_lossy(&injected.stderr).contains("is not a revision"),
        "{injected:?}"
    );
    assert!(!dir.path().join("written").exists());
}

/// Two copies of a tool under any names are diffed as the tool they hold.
#[test]
fn any_two_files_of_one_kind_whatever_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("schemas/get-accounts.tool.json")).unwrap();
    std::fs::write(dir.path().join("a.json"), &text).unwrap();
    // The input's enum alone gains a value: its callers break no one.
    std::fs::write(
        dir.path().join("b.json"),
        text.replacen("\"Current\",", "\"Current\", \"Mortgage\",", 1),
    )
    .unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    let output = bankschema(&[
        "diff",
        "--format",
        "json",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(report["breaking"], false, "{report}");
    let changes = report["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["schemaId"] == "get-accounts.input"
            && c["message"].as_str().unwrap().contains("Mortgage")),
        "{report}"
    );
    assert_eq!(output.status.code(), Some(0));
}

/// Writes two versions of the tool, the second edited by `edit` on its output's
/// `Account` properties, and returns their paths.
fn two_versions(
    dir: &Path,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> (String, String) {
    let text = std::fs::read_to_string(root().join("schemas/get-accounts.tool.json")).unwrap();
    let mut tool: Value = serde_json::from_str(&text).unwrap();
    edit(
        tool["outputSchema"]["$defs"]["Account"]["properties"]
            .as_object_mut()
            .unwrap(),
    );
    let (old, new) = (dir.join("old.json"), dir.join("new.json"));
    std::fs::write(&old, &text).unwrap();
    std::fs::write(&new, serde_json::to_string_pretty(&tool).unwrap()).unwrap();
    (
        old.to_str().unwrap().to_owned(),
        new.to_str().unwrap().to_owned(),
    )
}

/// A property name can hold anything: no format lets it move the terminal, start a
/// workflow command, or make a link, an image or HTML in a pull request comment.
#[test]
fn every_format_escapes_what_a_schema_smuggles_in() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x\u{1b}[31m\n::error::pwned\r[a](https://e.test/p.png) |b| <img src=x> \u{202e}";
    let (old, new) = two_versions(dir.path(), |properties| {
        properties.insert(name.into(), serde_json::json!({"type": "string"}));
    });
    for format in ["human", "github", "markdown", "json"] {
        let output = bankschema(&["diff", "--format", format, &old, &new]);
        assert_eq!(output.status.code(), Some(0), "{format}: {output:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            !stdout.contains(['\u{1b}', '\r', '\u{202e}']),
            "{format}: {stdout:?}"
        );
        assert!(!stdout.contains("\n::error"), "{format}: {stdout}");
        match format {
            "human" | "github" => assert_eq!(stdout.lines().count(), 1, "{format}: {stdout}"),
            "markdown" => {
                for markup in ["[a](", "<img", "|b|"] {
                    assert!(!stdout.contains(markup), "{markup} in {stdout}");
                }
            }
            _ => {
                let report: Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(
                    report["changes"][0]["pointer"],
                    format!("/items/*/{}", bankschema_rules::pointer::escape(name))
                );
            }
        }
    }
}

/// `--fail-on` decides what fails; warnings alone pass by default.
#[test]
fn fail_on_sets_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = two_versions(dir.path(), |properties| {
        properties["overdraftLimit"]["anyOf"][0]["x-bankschema-money"] = Value::Bool(false);
    });
    // Money marked or not changes the generated type, not the JSON: a warning.
    let output = bankschema(&["diff", "--format", "json", &new, &old]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["changes"][0]["rule"], "response-property-money-added",
        "{report}"
    );
    assert_eq!(report["changes"][0]["severity"], "warning");
    assert_eq!(report["failed"], false);
    assert_eq!(output.status.code(), Some(0));
    let strict = bankschema(&[
        "diff",
        "--fail-on",
        "warning",
        "--format",
        "json",
        &new,
        &old,
    ]);
    let report: Value = serde_json::from_slice(&strict.stdout).unwrap();
    assert_eq!(report["failed"], true);
    assert_eq!(strict.status.code(), Some(1));
    let unknown = bankschema(&["diff", "--fail-on", "info", &new, &old]);
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "a usage error is not a verdict"
    );
}

/// The pull request comment: a summary, then a section per message.
#[test]
fn markdown_is_a_changelog_per_message() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = two_versions(dir.path(), |properties| {
        properties.remove("bic");
        properties.insert(
            "nickname".into(),
            serde_json::json!({"type": "string", "maxLength": 40}),
        );
    });
    let output = bankschema(&["diff", "--format", "markdown", &old, &new]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

/// A version codegen refuses is no version to diff: exit 2 with codegen's reason,
/// never a verdict (with the default `codegen` feature, which these tests build).
#[test]
fn a_version_codegen_refuses_is_an_error_not_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let new = edited(dir.path(), "get-accounts.tool.json", |text| {
        let mut tool: Value = serde_json::from_str(text).unwrap();
        // `account` and `Account` both become the Rust type `Account`.
        let account = tool["outputSchema"]["$defs"]["Account"].clone();
        tool["outputSchema"]["$defs"]["account"] = account;
        serde_json::to_string_pretty(&tool).unwrap()
    });
    let output = bankschema(&["diff", "schemas/get-accounts.tool.json", &new]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("both become the Rust type `Account`"),
        "{stderr}"
    );
}
