//! `bankschema codegen`: the generated crates in a repository of the user's own,
//! outside this workspace, built and used there.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn bankschema(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

const APP: &str = r#"
fn main() {
    let path = std::env::args().nth(1).expect("a payload");
    let body = std::fs::read(path).expect("the payload");
    let id = "get-accounts.output".parse().expect("a schema id");
    println!("valid: {}", bankschema_validator::validate(id, &body).is_valid());
}
"#;

#[test]
fn generates_into_a_repository_of_ones_own_whose_crates_build() {
    let dir = tempfile::tempdir().unwrap();
    let specs = write_specs(dir.path());
    generate(dir.path());
    write_workspace(dir.path());
    run_app(dir.path());
    stale_after_a_change(dir.path(), &specs);
}

/// The sources to generate from, in `specs/`: returns that directory.
fn write_specs(dir: &Path) -> std::path::PathBuf {
    let specs = dir.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    // This workspace's sources, and the generator's fixtures (whose output
    // `crates/bankschema-codegen/tests/fixtures.rs` snapshots): compiled here, once.
    for sources in ["schemas", "crates/bankschema-codegen/tests/fixtures"] {
        for entry in std::fs::read_dir(root().join(sources)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, specs.join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    // Types named like the runtime's traits and types, which the generated impls use.
    std::fs::write(
        specs.join("names.tool.json"),
        r##"{"name": "names", "description": "Types named like the runtime's own.",
            "outputSchema": {"title": "TypedNode", "type": "object", "properties": {
                "a": {"$ref": "#/$defs/AsNode"}, "b": {"$ref": "#/$defs/TypedObject"}},
              "$defs": {
                "AsNode": {"type": "object", "properties": {"x": {"type": "string"}}},
                "TypedObject": {"type": "string", "enum": ["a", "b"]}}}}"##,
    )
    .unwrap();
    specs
}

/// `bankschema codegen` into `gen/`, fresh by its own `--check`.
fn generate(dir: &Path) {
    let out = bankschema(dir, &["codegen", "--schemas", "specs", "--out", "gen"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let manifest =
        std::fs::read_to_string(dir.join("gen/bankschema-validator/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("bankschema-runtime = { path = \"../"),
        "{manifest}"
    );
    assert!(!manifest.contains("workspace = true"), "{manifest}");
    let fresh = bankschema(
        dir,
        &["codegen", "--schemas", "specs", "--out", "gen", "--check"],
    );
    assert_eq!(fresh.status.code(), Some(0), "{fresh:?}");
}

/// The user's workspace around `gen/`.
fn write_workspace(dir: &Path) {
    // The user's workspace: the generated crates and an app using them, with this
    // workspace's lockfile and dependency profile so that nothing resolves anew.
    let ours = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let profile = &ours[ours.find("[profile.dev.package").unwrap()..];
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\"gen/bankschema-types\", \"gen/bankschema-validator\", \"app\"]\n\n{profile}"),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::create_dir_all(dir.join("app/src")).unwrap();
    std::fs::write(
        dir.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nbankschema-validator = { path = \"../gen/bankschema-validator\" }\n",
    )
    .unwrap();
    std::fs::write(dir.join("app/src/main.rs"), APP).unwrap();
}

/// The app built (warnings denied) and run on an example payload.
fn run_app(dir: &Path) {
    let example = std::fs::read_dir(root().join("schemas/examples/get-accounts.output/valid"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root().join("target/standalone");
    let built = Command::new(&cargo)
        .current_dir(dir)
        .args(["run", "--quiet", "-p", "app", "--"])
        .arg(example)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&built.stdout), "valid: true\n");
}

/// A changed source: --check names what is stale and exits 1.
fn stale_after_a_change(dir: &Path, specs: &Path) {
    let tool = specs.join("get-accounts.tool.json");
    let text = std::fs::read_to_string(&tool).unwrap();
    std::fs::write(
        &tool,
        text.replacen("\"Current\",", "\"Current\", \"Mortgage\",", 1),
    )
    .unwrap();
    let stale = bankschema(
        dir,
        &["codegen", "--schemas", "specs", "--out", "gen", "--check"],
    );
    assert_eq!(stale.status.code(), Some(1), "{stale:?}");
    assert!(String::from_utf8_lossy(&stale.stdout)
        .contains("stale: gen/bankschema-types/src/get_accounts.rs"));
}
