//! Rules of the bank2ai `get-accounts` tool that span fields or accounts, and the
//! identifier-uniqueness rule all three APIs state.

use crate::decimal;
use crate::identifiers::quote;
use crate::walk::{escape, Match};
use crate::{Level, Out};
use serde_json::{Map, Value};
use std::collections::HashMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `statementBalance` and the other credit-only fields carry a value only when the
/// account's `accountType` is `Credit`. An explicit `null` is the documented default
/// ("Default: null"), so it carries no value and does not break this rule.
pub fn credit_only(matches: &[Match<'_>], out: &mut Out<'_>) {
    for found in matches {
        let Some(Value::Object(account)) = found.parent else {
            continue;
        };
        let account_type = account.get("accountType").and_then(Value::as_str);
        if found.value.is_null() || account_type == Some("Credit") {
            continue;
        }
        let field = found.pointer.rsplit('/').next().unwrap_or("");
        let account = match account_type {
            Some(kind) => format!("a `{kind}` account"),
            None => "an account without accountType".to_owned(),
        };
        out.report(
            &found.pointer,
            format!("`{field}` is set on {account}; only `Credit` accounts carry it"),
        );
    }
}

/// `balance` equals the amount of the most recent `ClosingBooked` entry of
/// `balances`, `availableBalance` that of the most recent `InterimAvailable` one.
///
/// Most recent is by `asOf` as an instant (offsets count). Entries without a
/// readable `asOf` count only when no entry of that type has one. Entries in another
/// currency than the account's are left out: the scalars are "in `currency`". When
/// several entries tie for most recent, the scalar must equal one of them.
pub fn balances_consistent(matches: &[Match<'_>], out: &mut Out<'_>) {
    for found in matches {
        let (Value::Array(entries), Some(Value::Object(account))) = (found.value, found.parent)
        else {
            continue;
        };
        let account_pointer = found.pointer.rsplit_once('/').map_or("", |(up, _)| up);
        let currency = account.get("currency").and_then(Value::as_str);
        for (kind, scalar) in [
            ("ClosingBooked", "balance"),
            ("InterimAvailable", "availableBalance"),
        ] {
            let latest = most_recent(entries, kind, currency);
            if latest.is_empty() {
                continue;
            }
            let pointer = format!("{account_pointer}/{}", escape(scalar));
            let amounts: Vec<String> = latest.iter().map(|(_, n)| n.to_string()).collect();
            let expected = amounts.join(" or ");
            let entries: Vec<String> = latest
                .iter()
                .map(|(i, _)| format!("{}/{i}", found.pointer))
                .collect();
            let entries = entries.join(", ");
            match account.get(scalar) {
                Some(Value::Number(value)) => {
                    if !latest.iter().any(|(_, amount)| decimal::equal(value, amount)) {
                        out.report(
                            &pointer,
                            format!("`{scalar}` is {value}, but the most recent `{kind}` entry ({entries}) has amount {expected}"),
                        );
                    }
                }
                None | Some(Value::Null) => out.report(
                    &pointer,
                    format!("`{scalar}` is missing, but the most recent `{kind}` entry ({entries}) has amount {expected}"),
                ),
                Some(_) => {}
            }
        }
    }
}

/// The entries of `kind` (in `currency`) that are most recent, with their index.
fn most_recent<'v>(
    entries: &'v [Value],
    kind: &str,
    currency: Option<&str>,
) -> Vec<(usize, &'v serde_json::Number)> {
    let candidates: Vec<(usize, Option<OffsetDateTime>, &serde_json::Number)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let entry = entry.as_object()?;
            if entry.get("type").and_then(Value::as_str) != Some(kind) {
                return None;
            }
            let entry_currency = entry.get("currency").and_then(Value::as_str);
            if currency.is_some() && entry_currency.is_some() && entry_currency != currency {
                return None;
            }
            let amount = match entry.get("amount")? {
                Value::Number(amount) => amount,
                _ => return None,
            };
            let as_of = entry
                .get("asOf")
                .and_then(Value::as_str)
                .and_then(|text| OffsetDateTime::parse(text, &Rfc3339).ok());
            Some((i, as_of, amount))
        })
        .collect();
    let newest = candidates.iter().filter_map(|(_, at, _)| *at).max();
    candidates
        .into_iter()
        .filter(|(_, at, _)| newest.is_none() || *at == newest)
        .map(|(i, _, amount)| (i, amount))
        .collect()
}

/// At most one `isDefaultAccount: true`: every one after the first is reported.
pub fn single_default(matches: &[Match<'_>], out: &mut Out<'_>) {
    let mut defaults = matches.iter().filter(|m| m.value == &Value::Bool(true));
    let Some(first) = defaults.next() else {
        return;
    };
    for other in defaults {
        out.report(
            &other.pointer,
            format!(
                "another account is marked default too (first at {})",
                first.pointer
            ),
        );
    }
}

/// One of `accountNumber`, `iban`, `bban`, `maskedPan` is a non-empty string.
pub fn identifier_present(matches: &[Match<'_>], out: &mut Out<'_>) {
    const FIELDS: [&str; 4] = ["accountNumber", "iban", "bban", "maskedPan"];
    for found in matches {
        let Value::Object(account) = found.value else {
            continue;
        };
        let populated = FIELDS.iter().any(|field| {
            account
                .get(*field)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
        });
        if !populated {
            out.report(
                &found.pointer,
                "the account has none of `accountNumber`, `iban`, `bban`, `maskedPan` with a value"
                    .into(),
            );
        }
    }
}

/// Every returned account matches the filters of the call's arguments. An account
/// without `status` counts as `Enabled` ("If omitted, clients SHOULD treat the
/// account as `Enabled`"). `usage` mismatches are warnings: servers MAY ignore it.
pub fn filters(matches: &[Match<'_>], input: &Value, out: &mut Out<'_>) {
    let Value::Object(input) = input else {
        return;
    };
    let wanted = |key: &str| input.get(key).and_then(Value::as_str);
    let filters = [
        ("account_type", "accountType", None, Level::Must),
        ("status", "status", Some("Enabled"), Level::Must),
        ("usage", "usage", None, Level::Should),
    ];
    let withdrawal_only = input.get("only_withdrawal_accounts") == Some(&Value::Bool(true));
    for found in matches {
        let Value::Object(account) = found.value else {
            continue;
        };
        for (argument, field, absent_means, level) in filters {
            let Some(wanted) = wanted(argument) else {
                continue;
            };
            let sent = account.get(field).and_then(Value::as_str);
            let actual = sent.or(absent_means);
            if actual != Some(wanted) {
                let pointer = member_pointer(&found.pointer, account, field);
                let actual = match (sent, actual) {
                    (Some(sent), _) => format!("`{sent}`"),
                    (None, Some(default)) => format!("absent, which counts as `{default}`"),
                    (None, None) => "absent".to_owned(),
                };
                out.report_as(
                    level,
                    &pointer,
                    format!("the call asked for {argument} `{wanted}`, but this account's {field} is {actual}"),
                );
            }
        }
        if withdrawal_only && account.get("isWithdrawalAccount") != Some(&Value::Bool(true)) {
            let pointer = member_pointer(&found.pointer, account, "isWithdrawalAccount");
            out.report(
                &pointer,
                "the call asked for only_withdrawal_accounts, but this account's isWithdrawalAccount is not true".into(),
            );
        }
    }
}

/// The pointer of `field` in the account when it is there, else of the account.
fn member_pointer(account_pointer: &str, account: &Map<String, Value>, field: &str) -> String {
    if account.contains_key(field) {
        format!("{account_pointer}/{}", escape(field))
    } else {
        account_pointer.to_owned()
    }
}

/// No identifier repeats within one payload: every repeat is reported.
pub fn unique_id(matches: &[Match<'_>], out: &mut Out<'_>) {
    let mut first: HashMap<String, &str> = HashMap::new();
    for found in matches {
        if found.value.is_null() {
            continue;
        }
        let key = found.value.to_string();
        match first.get(&key) {
            Some(earlier) => out.report(
                &found.pointer,
                format!(
                    "{} is already the id at {earlier}",
                    found.value.as_str().map_or(found.value.to_string(), quote)
                ),
            ),
            None => {
                first.insert(key, &found.pointer);
            }
        }
    }
}
