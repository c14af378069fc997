//! Writes the NDJSON file of the README's throughput figures: `LINES` get-accounts
//! outputs of ten accounts each (the benchmark's accounts, ids unique per line),
//! one per line, to the path given. `crates/bankschema-bench/ndjson.sh` runs it.

use std::io::Write;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: ndjson OUT.ndjson [LINES]")?;
    let lines: usize = match args.next() {
        Some(text) => text.parse().map_err(|e| format!("LINES `{text}`: {e}"))?,
        None => 31_933,
    };
    let payload = bankschema_bench::accounts(10)?;
    // Written beside the target and renamed: never a half-written file.
    let partial = format!("{path}.partial");
    let file = std::fs::File::create(&partial).map_err(|e| format!("{partial}: {e}"))?;
    let mut out = std::io::BufWriter::new(file);
    for line in 0..lines {
        let mut payload = payload.clone();
        if let Some(items) = payload["items"].as_array_mut() {
            for (i, account) in items.iter_mut().enumerate() {
                account["id"] = format!("acc_{line}_{i}").into();
            }
        }
        serde_json::to_writer(&mut out, &payload).map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    std::fs::rename(&partial, &path).map_err(|e| format!("{path}: {e}"))
}
