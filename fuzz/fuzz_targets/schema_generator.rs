//! Random schemas into the generator. The schemas come from a small grammar of the
//! keywords the generator supports, mixed with ones it refuses (look-around patterns,
//! unknown formats, tuple `items`, property names Rust cannot tell apart, dangling
//! references), nested up to a fixed depth, in both dialects.
//!
//! Property: every stage (normalise, check, types, validator, rendering) either
//! gives code that parses as Rust or refuses with a message naming the source and
//! a pointer; nothing panics or hangs.

#![no_main]

use bankschema_codegen::normalise::Dialect;
use bankschema_codegen::{document, output, types, validator};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};
use std::path::Path;

const NAMES: &[&str] = &[
    "id", "a", "b", "amount", "extra", "type", "$ref", "foo bar", "foo\tbar", "foo\nbar", "A",
    "a-b", "a_b", "self", "r#",
];
const PATTERNS: &[&str] = &[
    "^[a-z]+$",
    "^[A-Z]{2}[0-9]{2}",
    "(?=a)b",
    "^(a+)+$",
    "[",
    "\\d",
];
const FORMATS: &[&str] = &[
    "date",
    "date-time",
    "email",
    "uuid",
    "idn-email",
    "bogus",
    "uri",
];
const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "null", "object", "array",
];
const MAX_DEPTH: u32 = 4;

fn name(u: &mut Unstructured) -> Result<String> {
    Ok((*u.choose(NAMES)?).to_owned())
}

fn literal(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=4)? {
        0 => json!(name(u)?),
        1 => json!(u.int_in_range(-5i64..=5)?),
        2 => json!(u.arbitrary::<bool>()?),
        3 => Value::Null,
        _ => json!(1.5),
    })
}

/// One schema of the grammar; `defs` is how many definitions `$ref` may name.
fn schema(u: &mut Unstructured, depth: u32, defs: usize) -> Result<Value> {
    let leaf = depth >= MAX_DEPTH;
    let choice: u8 = if leaf {
        u.int_in_range(0..=6)?
    } else {
        u.int_in_range(0..=14)?
    };
    let mut out = Map::new();
    match choice {
        0 => return Ok(Value::Bool(u.arbitrary()?)),
        1 => string(u, &mut out)?,
        2 => number(u, &mut out)?,
        3 => {
            out.insert("type".into(), json!(*u.choose(TYPES)?));
        }
        4 => {
            let n = u.int_in_range(1..=3)?;
            let values = (0..n).map(|_| literal(u)).collect::<Result<Vec<_>>>()?;
            out.insert("enum".into(), Value::Array(values));
        }
        5 => {
            out.insert("const".into(), literal(u)?);
        }
        6 if defs > 0 => {
            let target = u.int_in_range(0..=defs)?;
            out.insert("$ref".into(), json!(format!("#/$defs/d{target}")));
            if u.arbitrary()? {
                out.insert("description".into(), json!("a reference"));
            }
        }
        6 => {
            let types: Vec<&str> = (0..u.int_in_range(1..=3)?)
                .map(|_| u.choose(TYPES).copied())
                .collect::<Result<_>>()?;
            out.insert("type".into(), json!(types));
        }
        7 | 8 => object(u, depth, defs, &mut out)?,
        9 => array(u, depth, defs, &mut out)?,
        10..=12 => {
            let keyword = ["allOf", "anyOf", "oneOf"][usize::from(choice - 10)];
            let branches = (0..u.int_in_range(1..=3)?)
                .map(|_| schema(u, depth + 1, defs))
                .collect::<Result<Vec<_>>>()?;
            out.insert(keyword.into(), Value::Array(branches));
            if u.arbitrary()? {
                out.insert("type".into(), json!(*u.choose(TYPES)?));
            }
        }
        13 => {
            out.insert("not".into(), schema(u, depth + 1, defs)?);
        }
        _ => other(u, depth, defs, &mut out)?,
    }
    if u.ratio(1, 4)? {
        out.insert("title".into(), json!(name(u)?));
    }
    Ok(Value::Object(out))
}

/// A string schema's keywords.
fn string(u: &mut Unstructured, out: &mut Map<String, Value>) -> Result<()> {
    out.insert("type".into(), json!("string"));
    if u.arbitrary()? {
        out.insert("minLength".into(), json!(u.int_in_range(0..=3)?));
    }
    if u.arbitrary()? {
        out.insert("pattern".into(), json!(*u.choose(PATTERNS)?));
    }
    if u.arbitrary()? {
        out.insert("format".into(), json!(*u.choose(FORMATS)?));
    }
    Ok(())
}

/// A number or integer schema's keywords, money among them.
fn number(u: &mut Unstructured, out: &mut Map<String, Value>) -> Result<()> {
    out.insert("type".into(), json!(*u.choose(&["integer", "number"])?));
    if u.arbitrary()? {
        out.insert("minimum".into(), json!(u.int_in_range(-3i64..=3)?));
    }
    if u.arbitrary()? {
        out.insert("exclusiveMaximum".into(), json!(u.int_in_range(-3i64..=9)?));
    }
    if u.arbitrary()? {
        out.insert("multipleOf".into(), json!(u.int_in_range(1..=4)?));
    }
    if u.arbitrary()? {
        out.insert("x-bankschema-money".into(), json!(true));
    }
    Ok(())
}

/// An object schema: properties, some required, and what other members may be.
fn object(
    u: &mut Unstructured,
    depth: u32,
    defs: usize,
    out: &mut Map<String, Value>,
) -> Result<()> {
    if u.arbitrary()? {
        out.insert("type".into(), json!("object"));
    }
    let mut properties = Map::new();
    for _ in 0..u.int_in_range(0..=4)? {
        properties.insert(name(u)?, schema(u, depth + 1, defs)?);
    }
    let required: Vec<String> = properties
        .keys()
        .filter(|_| u.arbitrary().unwrap_or(false))
        .cloned()
        .collect();
    out.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".into(), json!(required));
    }
    match u.int_in_range(0..=3)? {
        0 => {
            out.insert("additionalProperties".into(), json!(false));
        }
        1 => {
            out.insert("additionalProperties".into(), schema(u, depth + 1, defs)?);
        }
        _ => {}
    }
    Ok(())
}

/// An array schema: its items (one schema, or the tuple form), and its bounds.
fn array(
    u: &mut Unstructured,
    depth: u32,
    defs: usize,
    out: &mut Map<String, Value>,
) -> Result<()> {
    if u.arbitrary()? {
        out.insert("type".into(), json!("array"));
    }
    let items = if u.ratio(1, 6)? {
        json!([schema(u, depth + 1, defs)?])
    } else {
        schema(u, depth + 1, defs)?
    };
    out.insert("items".into(), items);
    if u.arbitrary()? {
        out.insert("minItems".into(), json!(u.int_in_range(0..=2)?));
    }
    if u.arbitrary()? {
        out.insert("uniqueItems".into(), json!(true));
    }
    Ok(())
}

/// Assertions kept for the validator only, keywords the generator refuses, and
/// the nullable spelling it reads.
fn other(
    u: &mut Unstructured,
    depth: u32,
    defs: usize,
    out: &mut Map<String, Value>,
) -> Result<()> {
    match u.int_in_range(0..=6)? {
        0 => out.insert("patternProperties".into(), json!({"^a": {}})),
        1 => out.insert("$id".into(), json!("https://example.com/s")),
        2 => out.insert("if".into(), json!({"type": "string"})),
        3 => out.insert("then".into(), schema(u, depth + 1, defs)?),
        4 => out.insert("contains".into(), schema(u, depth + 1, defs)?),
        5 => out.insert("dependentRequired".into(), json!({"a": ["b"]})),
        _ => out.insert("type".into(), json!(["string", "null"])),
    };
    Ok(())
}

fn document_of(u: &mut Unstructured) -> Result<(Dialect, Value)> {
    let dialect = if u.arbitrary()? {
        Dialect::JsonSchema
    } else {
        Dialect::Draft7
    };
    let count = u.int_in_range(0..=3)?;
    let mut defs = Map::new();
    for i in 0..count {
        defs.insert(format!("d{i}"), schema(u, 1, count)?);
    }
    let mut root = schema(u, 0, count)?;
    if let (Value::Object(object), false) = (&mut root, defs.is_empty()) {
        let keyword = dialect.definitions_keyword();
        object.insert(keyword.into(), Value::Object(defs));
    }
    Ok((dialect, root))
}

fuzz_target!(|bytes: &[u8]| {
    let mut u = Unstructured::new(bytes);
    let Ok((dialect, schema)) = document_of(&mut u) else {
        return;
    };
    // Draft-07 documents name their definitions `definitions`.
    let text = schema.to_string();
    let schema: Value = if dialect == Dialect::Draft7 {
        serde_json::from_str(&text.replace("#/$defs/", "#/definitions/")).unwrap()
    } else {
        schema
    };
    let source = Path::new("fuzz/schema.json");
    let generated = document::api("fuzzed", source, dialect, &schema, "Instance").and_then(|api| {
        bankschema_codegen::check(&api)?;
        let types = types::emit(&api)?;
        validator::api_module(&api, &types)?;
        output::render(std::slice::from_ref(&api))
    });
    match generated {
        Ok(files) => assert!(files.iter().all(|f| !f.contents.is_empty())),
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.starts_with("fuzz/schema.json: "),
                "a refusal names the source: {message}"
            );
        }
    }
});
