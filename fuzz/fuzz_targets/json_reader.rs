//! Bytes into the command line's JSON reader (`bankschema_runtime::text`, the
//! scanner behind every line and column): no panic, and for JSON that serde reads,
//! every value's pointer is located inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

use bankschema_runtime::text;

#[path = "../../tests/support/pointers.rs"]
mod pointers;

fuzz_target!(|bytes: &[u8]| {
    let _ = text::inspect(bytes, 128);
    let _ = text::positions(bytes, &[0, bytes.len() / 2, bytes.len(), bytes.len() + 1]);
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    let pointers: Vec<String> = pointers::pointers(&value).into_iter().take(256).collect();
    let wanted: Vec<&str> = pointers.iter().map(String::as_str).collect();
    let found = text::locate_all(bytes, &wanted);
    let starts: Vec<usize> = found.iter().flatten().map(|r| r.start).collect();
    for (pointer, range) in wanted.iter().zip(&found) {
        let Some(range) = range else { continue };
        assert!(
            range.start <= range.end && range.end <= bytes.len(),
            "{pointer}: {range:?}"
        );
    }
    for (line, column) in text::positions(bytes, &starts) {
        assert!(line >= 1 && column >= 1);
    }
});
