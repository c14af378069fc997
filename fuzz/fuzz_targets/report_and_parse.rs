//! Bytes into every schema id's full report and `parse`: no panic, and `parse`
//! accepts exactly what the report accepts, refusing with that same report.

#![no_main]

use bankschema_validator::{parse, validate, SchemaId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for id in SchemaId::ALL {
        let report = validate(id, bytes);
        match parse(id, bytes) {
            Ok(_) => assert!(
                report.is_valid(),
                "{id}: parse accepted what the report refuses:\n{report}"
            ),
            Err(refused) => assert_eq!(refused, report, "{id}: parse's report differs"),
        }
    }
});
