//! Writes the NDJSON file of the `--ndjson` figures (`cargo xtask bench` writes and
//! measures it): `LINES` get-accounts outputs of ten accounts each, one per line,
//! to the path given. For profiling `bankschema validate --ndjson` on its own.

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: ndjson OUT.ndjson [LINES]")?;
    let lines: usize = match args.next() {
        Some(text) => text.parse().map_err(|e| format!("LINES `{text}`: {e}"))?,
        None => bankschema_bench::NDJSON_LINES,
    };
    bankschema_bench::write_ndjson(std::path::Path::new(&path), lines).map(drop)
}
