//! The rules as a markdown table: `bankschema rules --format markdown` prints it and
//! `cargo xtask codegen` keeps the copy in README.md, so both come from one place.

use crate::{Rule, CATALOGUE};
use std::fmt::Write;

/// One attachment of a rule, in one schema id.
pub struct Governed<'a> {
    pub schema_id: &'a str,
    /// The pointer template of the site.
    pub at: &'a str,
    pub rule: Rule,
}

/// Every rule of the catalogue with its severity, sentence, source and the fields
/// it governs.
pub fn markdown_table(governed: &[Governed<'_>]) -> String {
    let mut table =
        String::from("| Rule | Severity | Sentence | Source | Governs |\n|---|---|---|---|---|\n");
    for info in CATALOGUE {
        let fields: Vec<String> = governed
            .iter()
            .filter(|g| g.rule.info().id == info.id)
            .map(|g| {
                let at = if g.at.is_empty() { "(root)" } else { g.at };
                format!("`{}` `{at}`", g.schema_id)
            })
            .collect();
        let fields = if fields.is_empty() {
            "(nothing yet)".to_owned()
        } else {
            fields.join("<br>")
        };
        let _ = writeln!(
            table,
            "| `{}` | {} | {} | {} | {} |",
            info.id,
            info.level.severity(),
            cell(info.sentence),
            cell(info.source),
            fields
        );
    }
    table
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn every_rule_has_a_row_with_what_it_governs() {
        let table = markdown_table(&[Governed {
            schema_id: "a.b",
            at: "/items/*/iban",
            rule: Rule::Iban,
        }]);
        assert_eq!(table.lines().count(), 2 + CATALOGUE.len());
        assert!(table.contains("| `iso13616.iban` | error |"));
        assert!(table.contains("`a.b` `/items/*/iban` |"));
        assert!(table.contains("| `bank2ai.single-default` | warning |"));
    }
}
