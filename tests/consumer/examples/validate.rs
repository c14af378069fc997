//! The smallest service-like program: a get-accounts output on stdin, its report
//! on stdout. Its clean release build time and binary size are the README's
//! figures for what depending on the validator costs.

use bankschema_validator::{read_payload, validate, SchemaId};

fn main() {
    let report = match read_payload(std::io::stdin().lock(), 64 << 20) {
        Ok(bytes) => validate(SchemaId::GetAccountsOutput, &bytes),
        Err(report) => report,
    };
    println!("{report}");
    std::process::exit(i32::from(!report.is_valid()));
}
