//! `Validated<T>` over real HTTP on loopback: one route per generated message type,
//! every example of every schema id posted to it. A valid payload reaches the
//! handler as its type (which writes it back: the same JSON); any other is refused
//! with the problem of the library's own report.

#[path = "support/http.rs"]
mod http;

use axum::routing::post;
use axum::Router;
use bankschema_axum::{Message, Validated};
use bankschema_validator::types::{connected_accounts, get_accounts, linked_accounts};
use bankschema_validator::{validate, SchemaId};
use std::net::SocketAddr;
use std::path::Path;

/// Writes the value back, its warnings counted in a header.
async fn echo<T: Message>(
    Validated(value, warnings): Validated<T>,
) -> ([(&'static str, String); 1], Vec<u8>) {
    let body = serde_json::to_vec(&value).unwrap_or_default();
    ([("warnings", warnings.diagnostics.len().to_string())], body)
}

fn route<T: Message + Send + 'static>(router: Router) -> Router {
    router.route(&format!("/{}", T::SCHEMA_ID), post(echo::<T>))
}

/// The app on a free port, served from a runtime of its own.
fn start() -> SocketAddr {
    let mut app = Router::new();
    app = route::<connected_accounts::ConnectedAccountList>(app);
    app = route::<get_accounts::GetAccountsInput>(app);
    app = route::<get_accounts::AccountList>(app);
    app = route::<linked_accounts::LinkedAccountList>(app);
    app = route::<linked_accounts::BadRequestError>(app);
    app = route::<linked_accounts::ForbiddenError>(app);
    app = route::<linked_accounts::DefaultError>(app);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        runtime.block_on(async move { axum::serve(listener, app).await.unwrap() })
    });
    address
}

#[test]
fn every_example_of_every_schema_id_through_the_extractor() {
    let address = start();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/examples");
    let mut checked = 0;
    for id in SchemaId::ALL {
        for verdict in ["valid", "invalid"] {
            let Ok(entries) = std::fs::read_dir(root.join(id.as_str()).join(verdict)) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                let report = validate(id, &bytes);
                let reply = http::post(address, &format!("/{id}"), &bytes);
                let what = path.display();
                if report.is_valid() {
                    assert_eq!(reply.status, 200, "{what}");
                    let sent: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    assert_eq!(reply.json(), sent, "{what}");
                    assert_eq!(
                        reply.header("warnings"),
                        Some(report.diagnostics.len().to_string().as_str())
                    );
                } else {
                    let kinds: Vec<_> = report.errors().map(|d| d.kind).collect();
                    let expected = if kinds.contains(&bankschema_validator::Kind::Malformed) {
                        400
                    } else {
                        422
                    };
                    assert_eq!(reply.status, expected, "{what}");
                    assert_eq!(
                        reply.header("content-type"),
                        Some("application/problem+json")
                    );
                    let problem = reply.json();
                    assert_eq!(problem["status"], expected, "{what}");
                    assert_eq!(problem["schemaId"], id.as_str());
                    let pointers: Vec<&str> = problem["errors"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|e| e["pointer"].as_str().unwrap())
                        .collect();
                    let expected: Vec<&str> =
                        report.errors().map(|d| d.instance_path.as_str()).collect();
                    assert_eq!(pointers, expected, "{what}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 100, "only {checked} examples");
    // Not JSON at all: 400.
    let reply = http::post(address, "/get-accounts.output", b"{\"items\": [");
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["type"],
        "urn:bankschema:problem:malformed-payload"
    );
}
