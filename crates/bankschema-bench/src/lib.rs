//! The payloads the benchmark and its `stages` profile measure, built from the
//! repository's own valid examples.

use bankschema_validator::SchemaId;
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

/// The lines of the NDJSON file of the `--ndjson` figures: about 222 MB.
pub const NDJSON_LINES: usize = 31_933;

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

/// Writes `lines` get-accounts outputs of ten accounts each ([`accounts`], the ids
/// unique per line), one per line, to `path`: through a file beside it, renamed
/// once whole, so that no reader sees half of it. The bytes written.
pub fn write_ndjson(path: &Path, lines: usize) -> Result<u64, String> {
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let payload = accounts(10)?;
    let partial = path.with_extension("partial");
    let file = std::fs::File::create(&partial).map_err(|e| failed(&e))?;
    let mut out = std::io::BufWriter::new(file);
    for line in 0..lines {
        let mut payload = payload.clone();
        if let Some(items) = payload["items"].as_array_mut() {
            for (i, account) in items.iter_mut().enumerate() {
                account["id"] = format!("acc_{line}_{i}").into();
            }
        }
        serde_json::to_writer(&mut out, &payload).map_err(|e| failed(&e))?;
        out.write_all(b"\n").map_err(|e| failed(&e))?;
    }
    out.flush().map_err(|e| failed(&e))?;
    drop(out);
    std::fs::rename(&partial, path).map_err(|e| failed(&e))?;
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| failed(&e))
}
