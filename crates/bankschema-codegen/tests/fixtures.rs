//! Whole-output tests in typify's style: each small source under `tests/fixtures/`
//! through the generator, its types module and its validator module as snapshots
//! (`tests/snapshots/`). A change to the generator shows here as a change of the
//! code it writes, read as code.
//!
//! The same sources are compiled once, with `-D warnings`, by the command line's
//! standalone codegen test (`crates/bankschema/tests/codegen.rs`), which builds them
//! into a repository of their own.

use std::path::{Path, PathBuf};

/// The fixture sources, in name order.
fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(Path::new("tests/fixtures"))
        .expect("tests/fixtures is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    paths.sort();
    paths
}

#[test]
fn each_fixture_renders_as_its_snapshot() {
    let paths = fixtures();
    assert_eq!(paths.len(), 3, "{paths:?}");
    for path in paths {
        let api = bankschema_codegen::read_api(&path).expect("the fixture is read");
        let types = bankschema_codegen::types::emit(&api).expect("the fixture is typed");
        insta::assert_snapshot!(
            format!("{}.types", api.name),
            prettyplease::unparse(&types.file)
        );
        let module = bankschema_codegen::validator::api_module(&api, &types)
            .expect("the fixture's validator module is written");
        let module: syn::File = syn::parse2(module).expect("the validator module parses");
        insta::assert_snapshot!(
            format!("{}.validator", api.name),
            prettyplease::unparse(&module)
        );
    }
}
