//! The suite's reading, module names and summary of refusals.

use super::suite::slug;
use super::table::refusal_kind;
use super::*;

#[test]
fn keyword_files_become_module_names() {
    assert_eq!(
        slug("optional/format/date-time"),
        "optional-format-date-time"
    );
    assert_eq!(slug("additionalProperties"), "additionalproperties");
    assert_eq!(slug("if-then-else"), "if-then-else");
}

#[test]
fn refusals_are_summed_up_by_the_keyword_they_name() {
    let at = |message: &str| refusal_kind(&format!("draft7/ref.json#3: at /items: {message}"));
    assert_eq!(at("unsupported keyword `$id`: not part of ..."), "`$id`");
    assert_eq!(
        at("unsupported format \"idn-email\": the validator asserts ..."),
        "`format: \"idn-email\"`"
    );
    assert_eq!(
        at("`maxItems` beside `$ref` is not supported; wrap ..."),
        "`maxItems` beside `$ref`"
    );
    assert_eq!(
        at("unsupported $ref `#`: only references ..."),
        "`$ref` outside `$defs`"
    );
    assert_eq!(
        at("typify cannot generate types: typify 0.8 does not ..."),
        "types typify 0.8 cannot make"
    );
}

#[test]
fn the_known_failures_list_names_file_group_and_reason() {
    let dir = std::env::temp_dir().join(format!("bankschema-known-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("known.tsv");
    std::fs::write(
        &path,
        "# comment\n\ndraft7/type.json\tinteger type\twhy not\n",
    )
    .unwrap();
    let known = read_known_failures(&path).unwrap();
    assert_eq!(
        known
            .get("draft7/type.json\tinteger type")
            .map(String::as_str),
        Some("why not")
    );
    std::fs::write(&path, "draft7/type.json\tinteger type\n").unwrap();
    let error = read_known_failures(&path).unwrap_err().to_string();
    assert!(error.ends_with("known.tsv:1: expected three tab-separated fields (file, group description, reason), found 2"), "{error}");
    std::fs::write(&path, "draft7/type.json\tinteger type\t \n").unwrap();
    let error = read_known_failures(&path).unwrap_err().to_string();
    assert!(
        error.ends_with("known.tsv:1: a known failure needs its reason"),
        "{error}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_directory_that_is_not_the_suite_is_named() {
    let error = read_suite(Path::new("/nonexistent-suite"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.starts_with("/nonexistent-suite/tests/draft2020-12: no such directory"),
        "{error}"
    );
}
