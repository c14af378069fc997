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

/// A scratch repository that uses this repository, at its committed HEAD, as a hook
/// repository, with the real `pre-commit` installed beside it.
struct Scratch {
    /// This repository's root.
    root: PathBuf,
    dir: tempfile::TempDir,
    venv: PathBuf,
    repo: PathBuf,
    /// `PATH` with the `bankschema` binary under test first.
    path: String,
}

impl Scratch {
    fn new() -> Scratch {
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
        let bin: PathBuf = Path::new(env!("CARGO_BIN_EXE_bankschema"))
            .parent()
            .unwrap()
            .to_owned();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Scratch {
            root,
            dir: scratch,
            venv,
            repo,
            path,
        }
    }

    /// An example of the repository's, of `verdict` (`valid` or `invalid`).
    fn example(&self, verdict: &str, name: &str) -> PathBuf {
        self.root
            .join("schemas/examples/get-accounts.output")
            .join(verdict)
            .join(name)
    }

    /// `pre-commit run --all-files` in the scratch repository.
    fn pre_commit(&self) -> Command {
        let mut command = Command::new(self.venv.join("bin/pre-commit"));
        command
            .current_dir(&self.repo)
            .env("PATH", &self.path)
            .env("PRE_COMMIT_HOME", self.dir.path().join("cache"))
            // A target directory of its own: the scratch workspace's crates have the
            // same names and hashes as this one's, and building them into this
            // build's directory would overwrite artifacts other crates were built
            // against. Kept under target/, so later runs build nothing again.
            .env("CARGO_TARGET_DIR", self.root.join("target/pre-commit"))
            .args(["run", "--all-files", "--color", "never"]);
        command
    }

    /// `git add <args>` in the scratch repository.
    fn add(&self, args: &str) {
        ok(Command::new("git")
            .current_dir(&self.repo)
            .args(["add", args]));
    }
}

#[test]
fn validate_hook_passes_good_fixtures_and_fails_bad_ones() {
    let scratch = Scratch::new();
    good_fixtures_pass(&scratch);
    a_bad_fixture_fails(&scratch);
    let source = scratch.repo.join("schemas/connected-accounts.openapi.yaml");
    let text = std::fs::read_to_string(&source).unwrap();
    a_stale_schema_fails_the_codegen_hook(&scratch, &source, &text);
    a_broken_schema_fails_the_check_hook(&scratch, &source, &text);
}

/// A valid fixture: every hook runs, none fails.
fn good_fixtures_pass(scratch: &Scratch) {
    std::fs::copy(
        scratch.example("valid", "full-credit-card-account.json"),
        scratch.repo.join("fixtures/good.json"),
    )
    .unwrap();
    scratch.add(".");
    let passed = run(&mut scratch.pre_commit());
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
}

/// An invalid fixture fails the validate hook, located.
fn a_bad_fixture_fails(scratch: &Scratch) {
    std::fs::copy(
        scratch.example("invalid", "currency-lowercase-fails-pattern.json"),
        scratch.repo.join("fixtures/bad.json"),
    )
    .unwrap();
    scratch.add(".");
    let failed = run(&mut scratch.pre_commit());
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("Failed"), "{stdout}");
    assert!(stdout.contains("--> fixtures/bad.json:"), "{stdout}");
    assert!(stdout.contains("does not match \"^[A-Z]{3}$\""), "{stdout}");
}

/// A schema edited without regenerating fails the codegen hook, naming the file.
fn a_stale_schema_fails_the_codegen_hook(scratch: &Scratch, source: &Path, text: &str) {
    std::fs::remove_file(scratch.repo.join("fixtures/bad.json")).unwrap();
    std::fs::write(
        source,
        text.replacen("The BIC associated", "The BIC (ISO 9362) associated", 1),
    )
    .unwrap();
    scratch.add("-A");
    let stale = run(&mut scratch.pre_commit());
    let stdout = String::from_utf8_lossy(&stale.stdout);
    assert_eq!(stale.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("stale: generated/bankschema-types/src/connected_accounts.rs"),
        "{stdout}"
    );
}

/// A schema broken outright fails the check hook, located.
fn a_broken_schema_fails_the_check_hook(scratch: &Scratch, source: &Path, text: &str) {
    std::fs::write(
        source,
        text.replacen(
            "#/components/schemas/Pagination",
            "#/components/schemas/Paging",
            1,
        ),
    )
    .unwrap();
    scratch.add("-A");
    let failed = run(&mut scratch.pre_commit());
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("--> schemas/connected-accounts.openapi.yaml:77:11"),
        "{stdout}"
    );
    assert!(stdout.contains("dangling $ref"), "{stdout}");
}
