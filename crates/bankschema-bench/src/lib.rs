//! The payloads the benchmark and its `stages` profile measure, built from the
//! repository's own valid examples.

use bankschema_validator::SchemaId;
use serde_json::{json, Value};
use std::path::Path;

/// A valid example of `id`, by file stem.
pub fn example(id: SchemaId, name: &str) -> Result<Value, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas/examples")
        .join(id.as_str())
        .join("valid")
        .join(format!("{name}.json"));
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// A valid get-accounts output of `count` accounts: the accounts of every kind the
/// examples show, round-robin, each with its own id and only the first the default.
pub fn accounts(count: usize) -> Result<Value, String> {
    let mut pool = Vec::new();
    for name in [
        "full-current-account-with-debit-card",
        "full-credit-card-account",
        "business-savings-account-eur",
        "mortgage-loan-account",
    ] {
        let list = example(SchemaId::GetAccountsOutput, name)?;
        pool.extend(list["items"].as_array().cloned().unwrap_or_default());
    }
    if pool.is_empty() {
        return Err("the get-accounts examples hold no account".into());
    }
    let items: Vec<Value> = (0..count)
        .map(|i| {
            let mut account = pool[i % pool.len()].clone();
            account["id"] = json!(format!("acc_{i:05}"));
            account["isDefaultAccount"] = json!(i == 0);
            account
        })
        .collect();
    Ok(json!({ "items": items }))
}
