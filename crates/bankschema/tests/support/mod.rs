//! What the command-line tests share: the workspace root, and the binary run there.

// Each test target compiles this module and uses a different part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The workspace root, where `schemas/` is.
pub fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// `bankschema <args>`, run in the workspace root, its output collected.
pub fn bankschema(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("the bankschema binary runs")
}
