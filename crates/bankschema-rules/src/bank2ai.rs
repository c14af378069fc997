//! Rules of the bank2ai `get-accounts` tool that span fields or accounts, and the
//! identifier-uniqueness rule all three APIs state.

use crate::walk::{escape, Match};
use crate::{Level, Node, Out};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `statementBalance` and the other credit-only fields carry a value only when the
/// account's `accountType` is `Credit`. An explicit `null` is the documented default
/// ("Default: null"), so it carries no value and does not break this rule.
pub fn credit_only<'a, N: Node<'a>>(matches: &[Match<'a, N>], out: &mut Out<'_>) {
    for found in matches {
        let Some(account) = found.parent else {
            continue;
        };
        let account_type = account.get("accountType").and_then(N::as_str);
        if found.value.is_null() || account_type == Some("Credit") {
            continue;
        }
        let field = found.key();
        let account = match account_type {
            Some(kind) => format!("a `{}` account", out.other_value(kind)),
            None => "an account without accountType".to_owned(),
        };
        out.report_reading(
            &found.pointer(),
            vec![format!("{}/accountType", found.container())],
            |_| format!("`{field}` is set on {account}; only `Credit` accounts carry it"),
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
pub fn balances_consistent<'a, N: Node<'a>>(matches: &[Match<'a, N>], out: &mut Out<'_>) {
    for found in matches {
        let (Some(entries), Some(account)) = (found.value.elements(), found.parent) else {
            continue;
        };
        let currency = account.get("currency").and_then(N::as_str);
        for (kind, scalar) in [
            ("ClosingBooked", "balance"),
            ("InterimAvailable", "availableBalance"),
        ] {
            let latest = most_recent(&entries, kind, currency);
            if latest.is_empty() {
                continue;
            }
            let value = account.get(scalar);
            let consistent = match value.filter(|v| v.is_number()) {
                Some(value) => latest.iter().any(|&(_, amount)| value.same_number(amount)),
                None => value.is_some_and(|v| !v.is_null()),
            };
            if consistent {
                continue;
            }
            // Only a breach pays for its message.
            let amounts: Vec<String> = latest
                .iter()
                .filter_map(|(_, n)| Some(out.other_value(&n.number_text()?).into_owned()))
                .collect();
            let expected = amounts.join(" or ");
            let entries: Vec<String> = latest
                .iter()
                .map(|(i, _)| format!("{}/{i}", found.pointer()))
                .collect();
            let entries = entries.join(", ");
            let is = match value.and_then(N::number_text) {
                Some(value) => format!("is {}", out.other_value(&value)),
                None => "is missing".to_owned(),
            };
            // The verdict read the account's currency and each latest entry.
            let mut premises = vec![format!("{}/currency", found.container())];
            for (i, _) in &latest {
                let entry = format!("{}/{i}", found.pointer());
                premises.extend(
                    ["amount", "asOf", "currency", "type"].map(|key| format!("{entry}/{key}")),
                );
                premises.push(entry);
            }
            out.report_reading(
                &format!("{}/{}", found.container(), escape(scalar)),
                premises,
                |_| format!("`{scalar}` {is}, but the most recent `{kind}` entry ({entries}) has amount {expected}"),
            );
        }
    }
}

/// The entries of `kind` (in `currency`) that are most recent, with their index
/// and amount.
fn most_recent<'a, N: Node<'a>>(
    entries: &[N],
    kind: &str,
    currency: Option<&str>,
) -> Vec<(usize, N)> {
    let candidates: Vec<(usize, Option<&'a str>, N)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            if entry.get("type").and_then(N::as_str) != Some(kind) {
                return None;
            }
            let entry_currency = entry.get("currency").and_then(N::as_str);
            if currency.is_some() && entry_currency.is_some() && entry_currency != currency {
                return None;
            }
            let amount = entry.get("amount").filter(|a| a.is_number())?;
            Some((i, entry.get("asOf").and_then(N::as_str), amount))
        })
        .collect();
    // A lone candidate is the most recent whatever its `asOf`: timestamps are read
    // only when there is something to compare.
    if candidates.len() < 2 {
        return candidates
            .into_iter()
            .map(|(i, _, amount)| (i, amount))
            .collect();
    }
    let instant = |text: Option<&str>| text.and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok());
    let candidates: Vec<(usize, Option<OffsetDateTime>, N)> = candidates
        .into_iter()
        .map(|(i, as_of, amount)| (i, instant(as_of), amount))
        .collect();
    let newest = candidates.iter().filter_map(|(_, at, _)| *at).max();
    candidates
        .into_iter()
        .filter(|(_, at, _)| newest.is_none() || *at == newest)
        .map(|(i, _, amount)| (i, amount))
        .collect()
}

/// At most one `isDefaultAccount: true`: every one after the first is reported.
pub fn single_default<'a, N: Node<'a>>(matches: &[Match<'a, N>], out: &mut Out<'_>) {
    let mut defaults = matches.iter().filter(|m| m.value.as_bool() == Some(true));
    let Some(first) = defaults.next() else {
        return;
    };
    for other in defaults {
        out.report(&other.pointer(), |_| {
            format!(
                "another account is marked default too (first at {})",
                first.pointer()
            )
        });
    }
}

/// One of `accountNumber`, `iban`, `bban`, `maskedPan` is a non-empty string.
pub fn identifier_present<'a, N: Node<'a>>(matches: &[Match<'a, N>], out: &mut Out<'_>) {
    const FIELDS: [&str; 4] = ["accountNumber", "iban", "bban", "maskedPan"];
    for found in matches {
        let account = found.value;
        // Only an object can hold the fields; the schema reports anything else.
        if !account.is_object() {
            continue;
        }
        let populated = FIELDS.iter().any(|field| {
            account
                .get(field)
                .and_then(N::as_str)
                .is_some_and(|s| !s.is_empty())
        });
        if !populated {
            out.report(&found.pointer(), |_| {
                "the account has none of `accountNumber`, `iban`, `bban`, `maskedPan` with a value"
                    .into()
            });
        }
    }
}

/// Every returned account matches the filters of the call's arguments. An account
/// without `status` counts as `Enabled` ("If omitted, clients SHOULD treat the
/// account as `Enabled`"). `usage` mismatches are warnings: servers MAY ignore it.
pub fn filters<'a, N: Node<'a>>(matches: &[Match<'a, N>], input: &Value, out: &mut Out<'_>) {
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
        let account = found.value;
        for (argument, field, absent_means, level) in filters {
            let Some(wanted) = wanted(argument) else {
                continue;
            };
            let sent = account.get(field).and_then(N::as_str);
            let actual = sent.or(absent_means);
            if actual != Some(wanted) {
                let pointer = member_pointer(&found.pointer(), account.get(field).is_some(), field);
                let actual = match (sent, actual) {
                    (Some(sent), _) => format!("`{}`", out.other_value(sent)),
                    (None, Some(default)) => format!("absent, which counts as `{default}`"),
                    (None, None) => "absent".to_owned(),
                };
                out.report_as(
                    level,
                    &pointer,
                    |out| format!(
                        "the call asked for {argument} `{}`, but this account's {field} is {actual}",
                        out.other_value(wanted)
                    ),
                );
            }
        }
        let withdrawal = account.get("isWithdrawalAccount");
        if withdrawal_only && withdrawal.and_then(N::as_bool) != Some(true) {
            let pointer = member_pointer(
                &found.pointer(),
                withdrawal.is_some(),
                "isWithdrawalAccount",
            );
            out.report(
                &pointer,
                |_| "the call asked for only_withdrawal_accounts, but this account's isWithdrawalAccount is not true".into(),
            );
        }
    }
}

/// The pointer of `field` in the account when it is there, else of the account.
fn member_pointer(account_pointer: &str, present: bool, field: &str) -> String {
    if present {
        format!("{account_pointer}/{}", escape(field))
    } else {
        account_pointer.to_owned()
    }
}

/// No identifier repeats within one payload: every repeat is reported.
pub fn unique_id<'a, N: Node<'a>>(matches: &[Match<'a, N>], out: &mut Out<'_>) {
    // Ids are strings (numbers would do too); the schema reports other types.
    let keys: Vec<(usize, Cow<'a, str>)> = matches
        .iter()
        .enumerate()
        .filter_map(|(i, found)| match found.value.as_str() {
            Some(text) => Some((i, Cow::Borrowed(text))),
            None => found.value.number_text().map(|number| (i, number)),
        })
        .collect();
    // A few ids are compared pairwise, which costs less than hashing them; most
    // payloads repeat none, and only a repeat pays for the map below.
    if keys.len() <= 16
        && keys
            .iter()
            .enumerate()
            .all(|(i, (_, key))| keys[..i].iter().all(|(_, other)| other != key))
    {
        return;
    }
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
    for (i, key) in &keys {
        match first.get(key.as_ref()) {
            Some(&earlier) => {
                let found = &matches[*i];
                let earlier = matches[earlier].pointer();
                let shown = match found.value.as_str() {
                    Some(text) => out.quote(text),
                    None => out.site_value(key).into_owned(),
                };
                out.report(&found.pointer(), |_| {
                    format!("{shown} is already the id at {earlier}")
                });
            }
            None => {
                first.insert(key, *i);
            }
        }
    }
}
