//! What losslessness costs: parsing get-accounts outputs into the generated types
//! (exact `Money` amounts, `Nullable`, `DateTime`, unknown properties kept) against
//! the anchor, a plain `#[derive(Deserialize)]` struct with `Option` fields and `f64`
//! amounts, on the same bytes in the same run. Report the ratio, not the times.
//!
//! `cargo bench -p bankschema-tests --bench types`

use bankschema_types::get_accounts::AccountList;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::Deserialize;

/// The anchor: what a service would write by hand, losing what the generated types keep.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainAccount {
    id: String,
    account_number: String,
    balance: f64,
    currency: String,
    available_balance: Option<f64>,
    account_type: Option<String>,
    balance_updated_at: Option<String>,
    balances: Option<Vec<PlainBalance>>,
    bban: Option<String>,
    bic: Option<String>,
    iban: Option<String>,
    is_default_account: Option<bool>,
    is_withdrawal_account: Option<bool>,
    masked_pan: Option<String>,
    minimum_payment_due: Option<f64>,
    name: Option<String>,
    opened_date: Option<String>,
    overdraft_limit: Option<f64>,
    owner_name: Option<String>,
    payment_due_date: Option<String>,
    product: Option<String>,
    statement_balance: Option<f64>,
    statement_closing_date: Option<String>,
    status: Option<String>,
    usage: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainBalance {
    amount: f64,
    currency: String,
    #[serde(rename = "type")]
    kind: String,
    as_of: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainAccountList {
    items: Vec<PlainAccount>,
}

/// `n` accounts of a realistic mix: a current account with typed balances, a credit
/// card with its statement fields, a savings account with nulls.
fn payload(n: usize) -> Vec<u8> {
    let accounts: Vec<serde_json::Value> = (0..n)
        .map(|i| match i % 3 {
            0 => serde_json::json!({
                "id": format!("acc-{i}"), "accountNumber": "GB29NWBK60161331926819", "name": "Main Current",
                "balance": 1250.75, "availableBalance": 1750.75, "overdraftLimit": 500, "currency": "GBP",
                "balanceUpdatedAt": "2024-03-01T10:30:00.500+01:00", "accountType": "Current", "status": "Enabled",
                "usage": "Private", "iban": "GB29NWBK60161331926819", "bic": "NWBKGB2L", "ownerName": "Jane Doe",
                "product": "Premium Current", "isDefaultAccount": true, "isWithdrawalAccount": true,
                "openedDate": "2019-06-15",
                "balances": [
                    {"type": "ClosingBooked", "amount": 1250.75, "currency": "GBP", "asOf": "2024-03-01T00:00:00Z"},
                    {"type": "InterimAvailable", "amount": 1750.75, "currency": "GBP", "asOf": "2024-03-01T10:30:00.500+01:00"}
                ]
            }),
            1 => serde_json::json!({
                "id": format!("acc-{i}"), "accountNumber": "****-****-****-1234", "name": "Visa Credit Card",
                "balance": -432.10, "availableBalance": 2567.90, "overdraftLimit": 3000, "currency": "GBP",
                "accountType": "Credit", "maskedPan": "411111xxxxxx1111", "statementBalance": -398.55,
                "minimumPaymentDue": 25.00, "paymentDueDate": "2024-03-20", "statementClosingDate": "2024-03-28",
                "isWithdrawalAccount": false
            }),
            _ => serde_json::json!({
                "id": format!("acc-{i}"), "accountNumber": "DE89370400440532013000", "name": null,
                "balance": 10000, "availableBalance": null, "currency": "EUR", "accountType": "Savings",
                "iban": "DE89370400440532013000", "bban": null, "bic": "DEUTDEFF", "usage": "Business"
            }),
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "items": accounts })).unwrap()
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("get-accounts.output parse");
    for n in [1, 10, 100] {
        let bytes = payload(n);
        // Both sides must read the same payload successfully.
        serde_json::from_slice::<AccountList>(&bytes).expect("generated types read the payload");
        serde_json::from_slice::<PlainAccountList>(&bytes).expect("the anchor reads the payload");
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("plain_f64_option", n),
            &bytes,
            |b, bytes| b.iter(|| serde_json::from_slice::<PlainAccountList>(bytes).unwrap()),
        );
        group.bench_with_input(
            BenchmarkId::new("generated_lossless", n),
            &bytes,
            |b, bytes| b.iter(|| serde_json::from_slice::<AccountList>(bytes).unwrap()),
        );
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
