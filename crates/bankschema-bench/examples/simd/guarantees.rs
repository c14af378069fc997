//! Guarantees (a) to (d), each on concrete payloads, read by every reader into the
//! generated `AccountList`, unvalidated: what the reader itself keeps.

use crate::readers::{read, Reader};
use bankschema_types::get_accounts::AccountList;

/// One reader's outcome on one guarantee.
pub struct Row {
    pub guarantee: &'static str,
    pub reader: Reader,
    pub held: bool,
    pub figure: String,
}

/// An account with the required members and `more`.
fn account(more: &str) -> String {
    format!(r#"{{"items":[{{"id":"a","accountNumber":"1","currency":"GBP",{more}}}]}}"#)
}

/// Every reader on guarantees (a) to (d).
pub fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for reader in Reader::ALL {
        rows.push(money(reader));
        rows.push(unknown_members(reader));
        rows.push(duplicates(reader));
        rows.push(located(reader));
    }
    rows.sort_by_key(|row| row.guarantee);
    rows
}

/// (a) Amounts come back with their text; a string amount is refused.
fn money(reader: Reader) -> Row {
    let amounts = [
        ("balance", "0.10"),
        ("availableBalance", "12345678901234567.89"),
        ("overdraftLimit", "1e2"),
        ("statementBalance", "-0.00"),
    ];
    let members: Vec<String> = amounts
        .iter()
        .map(|(k, v)| format!("\"{k}\":{v}"))
        .collect();
    let mut wrong = Vec::new();
    match read::<AccountList>(reader, account(&members.join(",")).as_bytes()) {
        Ok(list) => {
            let item = &list.items[0];
            let got = [
                Some(item.balance.to_string()),
                item.available_balance.as_option().map(ToString::to_string),
                item.overdraft_limit.as_option().map(ToString::to_string),
                item.statement_balance.as_option().map(ToString::to_string),
            ];
            for ((_, sent), got) in amounts.iter().zip(got) {
                let got = got.unwrap_or_else(|| "absent".into());
                if got != *sent {
                    wrong.push(format!("{sent} came back {got}"));
                }
            }
        }
        Err(e) => wrong.push(format!("refused: {}", e.message)),
    }
    if read::<AccountList>(reader, account(r#""balance":"0.10""#).as_bytes()).is_ok() {
        wrong.push("the string \"0.10\" read as an amount".into());
    }
    let held = wrong.is_empty();
    let figure = if held {
        "0.10, 12345678901234567.89, 1e2, -0.00 kept; \"0.10\" refused".into()
    } else {
        wrong.join("; ")
    };
    Row {
        guarantee: "(a) exact money text",
        reader,
        held,
        figure,
    }
}

/// (b) Unknown members kept in order, with their text, written back as they came.
fn unknown_members(reader: Reader) -> Row {
    let extra = r#""zeta":1.50,"alpha":{"b":[1e2,0.10,-0],"a":null},"mid":"x\u00e9\n""#;
    let payload = account(&format!(r#""balance":1,{extra}"#));
    let (held, figure) = match read::<AccountList>(reader, payload.as_bytes()) {
        Ok(list) => {
            let item = &list.items[0];
            let keys: Vec<&str> = item.extra.keys().collect();
            let written = serde_json::to_string(&item.extra).unwrap_or_default();
            let expected = r#"{"zeta":1.50,"alpha":{"b":[1e2,0.10,-0],"a":null},"mid":"xé\n"}"#;
            (
                keys == ["zeta", "alpha", "mid"] && written == expected,
                format!("written back {written}"),
            )
        }
        Err(e) => (false, format!("refused: {}", e.message)),
    };
    Row {
        guarantee: "(b) unknown members kept",
        reader,
        held,
        figure,
    }
}

/// (c) A key repeated in one object is refused: a named member, an unknown one,
/// and one inside an unknown member.
fn duplicates(reader: Reader) -> Row {
    let cases = [
        ("named", r#""balance":1,"balance":2"#),
        ("unknown", r#""balance":1,"zeta":1,"zeta":2"#),
        ("nested in unknown", r#""balance":1,"zeta":{"b":1,"b":2}"#),
    ];
    let accepted: Vec<&str> = cases
        .iter()
        .filter(|(_, members)| read::<AccountList>(reader, account(members).as_bytes()).is_ok())
        .map(|(name, _)| *name)
        .collect();
    Row {
        guarantee: "(c) duplicate keys refused",
        reader,
        held: accepted.is_empty(),
        figure: if accepted.is_empty() {
            "3 of 3 refused".into()
        } else {
            format!("accepted: {}", accepted.join(", "))
        },
    }
}

/// Payloads that fail at a known place: a missing comma (syntax) on line 5, and a
/// string where an amount goes (type) on line 6.
const BROKEN: [(&str, &str, usize, usize); 2] = [
    (
        "syntax",
        "{\n  \"items\": [\n    {\n      \"id\": \"a\",\n      \"accountNumber\": \"1\"\n      \"currency\": \"GBP\",\n      \"balance\": 1\n    }\n  ]\n}\n",
        6,
        7,
    ),
    (
        "type",
        "{\n  \"items\": [\n    {\n      \"id\": \"a\",\n      \"accountNumber\": \"1\",\n      \"balance\": \"x\",\n      \"currency\": \"GBP\"\n    }\n  ]\n}\n",
        6,
        18,
    ),
];

/// (d) A refusal says where: line and column, or a byte offset that gives them.
fn located(reader: Reader) -> Row {
    let mut figures = Vec::new();
    let mut held = true;
    for (kind, payload, line, column) in BROKEN {
        let Err(refusal) = read::<AccountList>(reader, payload.as_bytes()) else {
            held = false;
            figures.push(format!("{kind}: accepted"));
            continue;
        };
        let at = refusal.line_column.or_else(|| {
            let offset = refusal.offset?.min(payload.len());
            let before = &payload[..offset];
            let line = before.matches('\n').count() + 1;
            Some((line, offset - before.rfind('\n').map_or(0, |i| i + 1) + 1))
        });
        // Within the token that failed: a reader may point at its start or end.
        let near = at.is_some_and(|(l, c)| l == line && c.abs_diff(column) <= 4);
        held &= near;
        let place = match at {
            Some((l, c)) => format!("{l}:{c}"),
            None => "no place".into(),
        };
        let how = if refusal.line_column.is_some() {
            ""
        } else {
            " from offset"
        };
        figures.push(format!("{kind} at {place}{how} (true {line}:{column})"));
    }
    Row {
        guarantee: "(d) located errors",
        reader,
        held,
        figure: figures.join("; "),
    }
}
