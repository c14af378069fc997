//! Bytes into bankschema's JSON readers: the scanner behind every line and column
//! (`bankschema_runtime::text`) and the reader of reports (`bankschema_runtime::raw`).
//! No panic; the reader reads what serde_json reads (and, leniently, numbers out of
//! range), the same value; for JSON that serde reads, every value's pointer is
//! located inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

use bankschema_runtime::raw::{Policy, Raw};
use bankschema_runtime::text;

#[path = "../../tests/support/pointers.rs"]
mod pointers;

fuzz_target!(|bytes: &[u8]| {
    let _ = text::inspect(bytes, 128);
    let _ = text::positions(bytes, &[0, bytes.len() / 2, bytes.len(), bytes.len() + 1]);
    let ours = Raw::read_as(bytes, Policy::Lenient);
    let theirs = serde_json::from_slice::<Value>(bytes);
    match (&ours, &theirs) {
        (Ok(raw), Ok(value)) => assert_eq!(&raw.to_value(), value),
        (Ok(_), Err(e)) => assert!(e.to_string().contains("number out of range"), "{e}"),
        (Err(_), Ok(_)) => panic!("serde_json reads it, the reader does not"),
        (Err(_), Err(_)) => {}
    }
    let Ok(value) = theirs else {
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
