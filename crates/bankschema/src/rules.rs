//! `bankschema rules`: the prose rules, and what each governs in which schema.

use crate::RulesFormat;
use bankschema_validator::SchemaId;

/// `bankschema rules` in `format`: every rule and what it governs in which schema.
pub(crate) fn rules(format: RulesFormat) -> String {
    use bankschema_rules::{Governed, CATALOGUE};
    let governed: Vec<Governed> = SchemaId::ALL
        .iter()
        .flat_map(|id| {
            id.rules().iter().map(|site| Governed {
                schema_id: id.as_str(),
                at: site.at,
                rule: site.rule,
            })
        })
        .collect();
    let governs = |rule: &str| -> Vec<String> {
        governed
            .iter()
            .filter(|g| g.rule.info().id == rule)
            .map(|g| {
                format!(
                    "{} {}",
                    g.schema_id,
                    if g.at.is_empty() { "(root)" } else { g.at }
                )
            })
            .collect()
    };
    match format {
        RulesFormat::Markdown => bankschema_rules::markdown_table(&governed),
        RulesFormat::Json => {
            let rules: Vec<serde_json::Value> = CATALOGUE
                .iter()
                .map(|info| {
                    serde_json::json!({
                        "id": info.id,
                        "severity": info.level.severity(),
                        "sentence": info.sentence,
                        "source": info.source,
                        "governs": governs(info.id),
                    })
                })
                .collect();
            format!("{}\n", serde_json::json!({ "rules": rules }))
        }
        RulesFormat::Human => {
            let mut out = String::new();
            for info in CATALOGUE {
                out += &format!("{} ({})\n", info.id, info.level.severity());
                out += &format!("    {}\n", info.sentence);
                out += &format!("    source: {}\n", info.source);
                for field in governs(info.id) {
                    out += &format!("    governs: {field}\n");
                }
                out.push('\n');
            }
            out
        }
    }
}
