//! Bytes into the command line's JSON reader (`crates/bankschema/src/text.rs`, the
//! scanner behind every line and column): no panic, and for JSON that serde reads,
//! every value's pointer is located inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../crates/bankschema/src/text.rs"]
#[allow(dead_code)]
mod text;

#[path = "../../tests/support/pointers.rs"]
mod pointers;

fuzz_target!(|bytes: &[u8]| {
    let _ = text::inspect(bytes, 128);
    let _ = text::line_column(bytes, bytes.len());
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    for pointer in pointers::pointers(&value).iter().take(256) {
        if let Some(range) = text::locate(bytes, pointer) {
            assert!(
                range.start <= range.end && range.end <= bytes.len(),
                "{pointer}: {range:?}"
            );
        }
    }
});
