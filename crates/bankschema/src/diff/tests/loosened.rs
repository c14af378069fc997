//! The diff as a property: a schema loosened breaks a response's clients and no
//! request's callers.

use super::{changes, Kind};
use crate::diff::Severity;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Reads choices from bytes, 0 once they run out: a schema built from them is
/// shrunk by proptest as the bytes are.
struct Choices<'a>(std::slice::Iter<'a, u8>);

impl Choices<'_> {
    fn next(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }

    fn pick(&mut self, n: u8) -> u8 {
        self.next() % n
    }

    fn flag(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

/// A schema and a loosened copy: every change from the first to the second lets
/// more values through (a bound relaxed or dropped, a type widened, null allowed,
/// an enum value or a branch added, a requirement dropped, a property dropped from
/// an open object, a definition renamed).
fn loosened(choices: &mut Choices, depth: u8) -> (Value, Value) {
    let kind = if depth == 0 {
        choices.pick(3)
    } else {
        choices.pick(8)
    };
    let (mut strict, mut loose) = match kind {
        0 => loosened_string(choices),
        1 => loosened_number(choices),
        2 => (json!({"type": "boolean"}), json!({"type": "boolean"})),
        3 => loosened_array(choices, depth),
        4 | 5 => loosened_object(choices, depth),
        6 => loosened_tagged(choices, depth),
        _ => loosened_combined(choices, depth),
    };
    if choices.pick(4) == 0 {
        let both = choices.flag();
        for (schema, nullable) in [(&mut strict, both), (&mut loose, true)] {
            if nullable {
                *schema = json!({"anyOf": [schema.clone(), {"type": "null"}]});
            }
        }
    }
    (strict, loose)
}

/// A string: a length bounded, a pattern, a format or an enum, each kept or dropped.
fn loosened_string(choices: &mut Choices) -> (Value, Value) {
    let (mut s, mut l) = (json!({"type": "string"}), json!({"type": "string"}));
    if choices.flag() {
        let n = choices.pick(9) + 1;
        s["maxLength"] = n.into();
        match choices.pick(3) {
            0 => l["maxLength"] = n.into(),
            1 => l["maxLength"] = (n + 1 + choices.pick(5)).into(),
            _ => {}
        }
    }
    if choices.flag() {
        s["pattern"] = "^[a-z]*$".into();
        if choices.flag() {
            l["pattern"] = "^[a-z]*$".into();
        }
    }
    if choices.flag() {
        s["format"] = "date".into();
        if choices.flag() {
            l["format"] = "date".into();
        }
    }
    if choices.flag() {
        s["enum"] = json!(["a", "b"]);
        match choices.pick(3) {
            0 => l["enum"] = json!(["a", "b"]),
            1 => l["enum"] = json!(["c", "a", "b"]),
            _ => {}
        }
    }
    (s, l)
}

/// A number or integer: bounds relaxed, a step made finer.
fn loosened_number(choices: &mut Choices) -> (Value, Value) {
    let integer = choices.flag();
    let mut s = json!({"type": if integer { "integer" } else { "number" }});
    let mut l = json!({"type": if integer && choices.flag() { "integer" } else { "number" }});
    if choices.flag() {
        let low = i64::from(choices.pick(10));
        s["minimum"] = low.into();
        match choices.pick(4) {
            0 => l["minimum"] = low.into(),
            1 => l["minimum"] = (low - 1 - i64::from(choices.pick(3))).into(),
            2 => l["exclusiveMinimum"] = (low - 1).into(),
            _ => {}
        }
    }
    if choices.flag() {
        s["exclusiveMaximum"] = 100.into();
        match choices.pick(3) {
            0 => l["exclusiveMaximum"] = 100.into(),
            1 => l["maximum"] = 100.into(),
            _ => {}
        }
    }
    if !integer && choices.flag() {
        s["multipleOf"] = json!(0.05);
        match choices.pick(3) {
            0 => l["multipleOf"] = json!(0.05),
            1 => l["multipleOf"] = json!(0.01),
            _ => {}
        }
    }
    (s, l)
}

/// An array: items loosened, bounds relaxed.
fn loosened_array(choices: &mut Choices, depth: u8) -> (Value, Value) {
    let (items, loose_items) = loosened(choices, depth - 1);
    let mut s = json!({"type": "array", "items": items});
    let mut l = json!({"type": "array", "items": loose_items});
    if choices.flag() {
        s["maxItems"] = 4.into();
        if choices.flag() {
            l["maxItems"] = (4 + choices.pick(3)).into();
        }
    }
    if choices.flag() {
        s["uniqueItems"] = true.into();
        if choices.flag() {
            l["uniqueItems"] = true.into();
        }
    }
    (s, l)
}

/// An object: properties loosened, requirements or properties dropped.
fn loosened_object(choices: &mut Choices, depth: u8) -> (Value, Value) {
    let closed = choices.flag();
    let stays_closed = closed && choices.flag();
    let (mut sp, mut lp) = (serde_json::Map::new(), serde_json::Map::new());
    let (mut sr, mut lr) = (Vec::new(), Vec::new());
    for name in ["a", "b", "c"]
        .into_iter()
        .take(usize::from(choices.pick(3)) + 1)
    {
        let (s, l) = loosened(choices, depth - 1);
        sp.insert(name.into(), s);
        // Dropping a property lets any value through only where unknown
        // properties are allowed.
        let dropped = !stays_closed && choices.pick(4) == 0;
        if !dropped {
            lp.insert(name.into(), l);
        }
        if choices.flag() {
            sr.push(name);
            if !dropped && choices.flag() {
                lr.push(name);
            }
        }
    }
    let mut s = json!({"type": "object", "properties": sp, "required": sr});
    let mut l = json!({"type": "object", "properties": lp, "required": lr});
    if closed {
        s["additionalProperties"] = false.into();
    }
    if stays_closed {
        l["additionalProperties"] = false.into();
    }
    (s, l)
}

/// A tagged union: branches may widen and new tags may appear.
fn loosened_tagged(choices: &mut Choices, depth: u8) -> (Value, Value) {
    let (mut sb, mut lb) = (Vec::new(), Vec::new());
    for tag in ["x", "y"] {
        let (s, l) = loosened(choices, depth - 1);
        let branch = |v: Value| json!({"type": "object", "required": ["kind"], "properties": {"kind": {"const": tag}, "v": v}});
        sb.push(branch(s));
        lb.push(branch(l));
    }
    if choices.flag() {
        lb.insert(
            usize::from(choices.pick(2)),
            json!({"type": "object", "required": ["kind"], "properties": {"kind": {"const": "z"}}}),
        );
    }
    if choices.flag() {
        lb.reverse();
    }
    (json!({"oneOf": sb}), json!({"oneOf": lb}))
}

/// Two schemas combined by `anyOf` or `allOf`: a branch may be added or dropped.
fn loosened_combined(choices: &mut Choices, depth: u8) -> (Value, Value) {
    let (a, la) = loosened(choices, depth - 1);
    let (b, lb) = loosened(choices, depth - 1);
    if choices.flag() {
        // anyOf may gain a branch (one no other branch allows all of: a
        // branch added where another allowed it all changes nothing);
        // allOf may lose one.
        let boolean = |s: &Value| s.to_string().contains("boolean");
        let mut loose = vec![la, lb];
        if choices.flag() && !boolean(&a) && !boolean(&b) {
            loose.push(json!({"type": "boolean"}));
        }
        (json!({"anyOf": [a, b]}), json!({"anyOf": loose}))
    } else if choices.flag() {
        (json!({"allOf": [a, b]}), json!({"allOf": [la]}))
    } else {
        (json!({"allOf": [a, b]}), json!({"allOf": [la, lb]}))
    }
}

/// The root of a message around `schema`, behind a definition named `name`.
fn behind(schema: Value, name: &str) -> Value {
    json!({"$defs": {name: schema}, "$ref": format!("#/$defs/{name}")})
}

/// `schema` with its branches in one order: reordering them is no change.
fn unordered(schema: &Value) -> Value {
    match schema {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| {
                    let mut v = unordered(v);
                    if let (true, Value::Array(items)) = (k == "oneOf" || k == "anyOf", &mut v) {
                        items.sort_by_key(Value::to_string);
                    }
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(unordered).collect()),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_loosened_schema_breaks_clients_and_no_caller(bytes in proptest::collection::vec(any::<u8>(), 0..160)) {
        let mut choices = Choices(bytes.iter());
        let (strict, loose) = loosened(&mut choices, 3);
        let (strict_copy, loose_copy) = (strict.clone(), loose.clone());
        let (old, new) = (behind(strict, "Old"), behind(loose, "Renamed"));
        let response = changes(&old, &new, Kind::Response);
        if unordered(&strict_copy) == unordered(&loose_copy) {
            prop_assert!(response.is_empty(), "nothing changed, yet: {response:#?}");
        } else {
            prop_assert!(
                response.iter().any(|c| c.severity == Severity::Breaking),
                "a response let more values through without breaking: {old:#}\n{new:#}\n{response:#?}"
            );
        }
        let request = changes(&old, &new, Kind::Request);
        prop_assert!(
            request.iter().all(|c| c.severity != Severity::Breaking),
            "a request let more values through and broke: {old:#}\n{new:#}\n{request:#?}"
        );
        prop_assert_eq!(response.len(), request.len(), "one change per place in either direction");
    }
}
