//! The hooks in `.pre-commit-hooks.yaml`, run by the real `pre-commit` tool
//! (installed from PyPI into a scratch virtual environment) in a scratch repository
//! that uses this repository, at its committed HEAD, as a hook repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"))
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

fn ok(command: &mut Command) -> Output {
    let output = run(command);
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn validate_hook_passes_good_fixtures_and_fails_bad_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap();
    let head = ok(Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["rev-parse", "HEAD"]));
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    let scratch = tempfile::tempdir().unwrap();
    let venv = scratch.path().join("venv");
    ok(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    ok(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "pre-commit>=3,<5",
    ]));

    let repo = scratch.path().join("repo");
    std::fs::create_dir_all(repo.join("fixtures")).unwrap();
    ok(Command::new("git").arg("init").arg("--quiet").arg(&repo));
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: bankschema-validate\n        args: [--schema, get-accounts.output]\n        files: ^fixtures/\n      - id: bankschema-check\n      - id: bankschema-codegen-check\n",
            root.display()
        ),
    )
    .unwrap();
    // The scratch repository is a bankschema workspace too, for the codegen hook.
    for part in ["schemas", "generated", "crates", "xtask", "tests", ".cargo"] {
        copy_dir(&root.join(part), &repo.join(part));
    }
    for file in ["Cargo.toml", "Cargo.lock", "README.md"] {
        std::fs::copy(root.join(file), repo.join(file)).unwrap();
    }
    let example = |verdict: &str, name: &str| {
        root.join("schemas/examples/get-accounts.output")
            .join(verdict)
            .join(name)
    };
    std::fs::copy(
        example("valid", "full-credit-card-account.json"),
        repo.join("fixtures/good.json"),
    )
    .unwrap();
    let bin: PathBuf = Path::new(env!("CARGO_BIN_EXE_bankschema"))
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let pre_commit = || {
        let mut command = Command::new(venv.join("bin/pre-commit"));
        command
            .current_dir(&repo)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", scratch.path().join("cache"))
            // A target directory of its own: the scratch workspace's crates have the
            // same names and hashes as this one's, and building them into this
            // build's directory would overwrite artifacts other crates were built
            // against. Kept under target/, so later runs build nothing again.
            .env("CARGO_TARGET_DIR", root.join("target/pre-commit"))
            .args(["run", "--all-files", "--color", "never"]);
        command
    };
    ok(Command::new("git").current_dir(&repo).args(["add", "."]));
    let passed = run(&mut pre_commit());
    let stdout = String::from_utf8_lossy(&passed.stdout);
    assert!(
        passed.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&passed.stderr)
    );
    for hook in [
        "bankschema validate",
        "bankschema check",
        "bankschema codegen --check",
    ] {
        assert!(stdout.contains(hook), "{hook} did not run:\n{stdout}");
    }
    assert!(!stdout.contains("Failed"), "{stdout}");

    std::fs::copy(
        example("invalid", "currency-lowercase-fails-pattern.json"),
        repo.join("fixtures/bad.json"),
    )
    .unwrap();
    ok(Command::new("git").current_dir(&repo).args(["add", "."]));
    let failed = run(&mut pre_commit());
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("Failed"), "{stdout}");
    assert!(stdout.contains("--> fixtures/bad.json:"), "{stdout}");
    assert!(stdout.contains("does not match \"^[A-Z]{3}$\""), "{stdout}");

    // A schema edited without regenerating fails the codegen hook, naming the file.
    std::fs::remove_file(repo.join("fixtures/bad.json")).unwrap();
    let source = repo.join("schemas/connected-accounts.openapi.yaml");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(
        &source,
        text.replacen("The BIC associated", "The BIC (ISO 9362) associated", 1),
    )
    .unwrap();
    ok(Command::new("git").current_dir(&repo).args(["add", "-A"]));
    let stale = run(&mut pre_commit());
    let stdout = String::from_utf8_lossy(&stale.stdout);
    assert_eq!(stale.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("stale: generated/bankschema-types/src/connected_accounts.rs"),
        "{stdout}"
    );

    // A schema broken outright fails the check hook, located.
    std::fs::write(
        &source,
        text.replacen(
            "#/components/schemas/Pagination",
            "#/components/schemas/Paging",
            1,
        ),
    )
    .unwrap();
    ok(Command::new("git").current_dir(&repo).args(["add", "-A"]));
    let failed = run(&mut pre_commit());
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("--> schemas/connected-accounts.openapi.yaml:77:11"),
        "{stdout}"
    );
    assert!(stdout.contains("dangling $ref"), "{stdout}");
}
