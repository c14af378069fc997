//! Every RFC 6901 pointer in a JSON value, shared by the tests and the fuzz targets
//! (which include this file by path).

use serde_json::Value;

/// The pointer of every value in `value`, the root (`""`) first, then depth first
/// in document order.
pub fn pointers(value: &Value) -> Vec<String> {
    let mut out = vec![String::new()];
    collect(value, "", &mut out);
    out
}

fn collect(value: &Value, here: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(object) => object
            .iter()
            .map(|(key, child)| (key.replace('~', "~0").replace('/', "~1"), child))
            .collect(),
        Value::Array(array) => array
            .iter()
            .enumerate()
            .map(|(i, child)| (i.to_string(), child))
            .collect(),
        _ => return,
    };
    for (token, child) in children {
        let pointer = format!("{here}/{token}");
        out.push(pointer.clone());
        collect(child, &pointer, out);
    }
}
