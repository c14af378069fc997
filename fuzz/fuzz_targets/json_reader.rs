//! Bytes into the command line's JSON reader (`crates/bankschema/src/text.rs`, the
//! scanner behind every line and column): no panic, and for JSON that serde reads,
//! every value's pointer is located inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../crates/bankschema/src/text.rs"]
#[allow(dead_code)]
mod text;

fuzz_target!(|bytes: &[u8]| {
    let _ = text::inspect(bytes, 128);
    let _ = text::line_column(bytes, bytes.len());
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    let mut pointers = vec![String::new()];
    collect(&value, String::new(), &mut pointers);
    for pointer in pointers.iter().take(256) {
        if let Some(range) = text::locate(bytes, pointer) {
            assert!(
                range.start <= range.end && range.end <= bytes.len(),
                "{pointer}: {range:?}"
            );
        }
    }
});

fn collect(value: &Value, here: String, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let pointer = format!("{here}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(pointer.clone());
                collect(child, pointer, out);
            }
        }
        Value::Array(array) => {
            for (i, child) in array.iter().enumerate() {
                let pointer = format!("{here}/{i}");
                out.push(pointer.clone());
                collect(child, pointer, out);
            }
        }
        _ => {}
    }
}
