//! `bankschema serve` over real HTTP on loopback: every example of every schema
//! id, the problems (400, 404, 413, 422), the warnings header, 100 requests at once,
//! and a graceful stop on SIGTERM.

mod support;

#[path = "../../bankschema-axum/tests/support/http.rs"]
mod http;

use bankschema_validator::{validate, Kind, SchemaId};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::root;

/// The server, stopped (SIGKILL) if a test ends without stopping it itself.
struct Server {
    child: Child,
    address: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(root())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bankschema binary runs");
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut lines = BufReader::new(stderr).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let address = first
        .rsplit("http://")
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    // Keep reading the log, so that the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, address }
}

#[test]
fn every_example_of_every_schema_id_gets_the_library_s_verdict() {
    let server = start(&[]);
    let mut checked = 0;
    for id in SchemaId::ALL {
        for verdict in ["valid", "invalid"] {
            let dir = root()
                .join("schemas/examples")
                .join(id.as_str())
                .join(verdict);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let what = path.display();
                let bytes = std::fs::read(&path).unwrap();
                let report = validate(id, &bytes);
                let reply = http::post(server.address, &format!("/validate/{id}"), &bytes);
                if report.is_valid() {
                    assert_eq!(reply.status, 200, "{what}");
                    assert_eq!(reply.header("content-type"), Some("application/json"));
                    let sent: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    assert_eq!(reply.json(), sent, "{what}: written back as it came");
                    let warnings = reply.header("bankschema-warnings").map_or(0, |listed| {
                        serde_json::from_str::<serde_json::Value>(listed)
                            .unwrap()
                            .as_array()
                            .unwrap()
                            .len()
                    });
                    assert_eq!(warnings, report.diagnostics.len(), "{what}");
                } else {
                    let malformed = report.errors().any(|d| d.kind == Kind::Malformed);
                    let status = if malformed { 400 } else { 422 };
                    assert_eq!(reply.status, status, "{what}");
                    assert_eq!(
                        reply.header("content-type"),
                        Some("application/problem+json")
                    );
                    let problem = reply.json();
                    let details: Vec<&str> = problem["errors"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|e| e["detail"].as_str().unwrap())
                        .collect();
                    let expected: Vec<&str> = report.errors().map(|d| d.message.as_str()).collect();
                    assert_eq!(details, expected, "{what}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 100, "only {checked} examples");
}

#[test]
fn problems_name_what_is_wrong() {
    let server = start(&["--max-bytes", "2048"]);
    let reply = http::post(server.address, "/validate/no-such-id", b"{}");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.json()["type"],
        "urn:bankschema:problem:unknown-schema-id"
    );
    let reply = http::post(
        server.address,
        "/validate/get-accounts.output",
        b"{\"items\": [1,",
    );
    assert_eq!(reply.status, 400);
    let reply = http::post(
        server.address,
        "/validate/get-accounts.output",
        br#"{"items": [], "items": []}"#,
    );
    assert_eq!(reply.status, 400, "a duplicate key is malformed");
    assert_eq!(reply.json()["errors"][0]["pointer"], "/items");
    let big = format!("{{\"items\": [], \"pad\": \"{}\"}}", "x".repeat(4096));
    let reply = http::post(
        server.address,
        "/validate/get-accounts.output",
        big.as_bytes(),
    );
    assert_eq!(reply.status, 413);
    let reply = http::request(server.address, "GET", "/healthz", b"");
    assert_eq!((reply.status, reply.body.as_slice()), (200, &b"ok\n"[..]));
    let reply = http::request(server.address, "GET", "/elsewhere", b"");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    let reply = http::post(server.address, "/validate/%ff%fe", b"{}");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.json()["type"],
        "urn:bankschema:problem:unknown-schema-id"
    );
    let reply = http::request(
        server.address,
        "PUT",
        "/validate/get-accounts.output",
        b"{}",
    );
    assert_eq!(reply.status, 405);
    assert_eq!(
        reply.json()["type"],
        "urn:bankschema:problem:method-not-allowed"
    );
    // Nesting beyond the reader's limit: a bad request, however small.
    let deep = format!(
        "{{\"items\": [], \"x\": {}{}}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    let reply = http::post(
        server.address,
        "/validate/get-accounts.output",
        deep.as_bytes(),
    );
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["type"],
        "urn:bankschema:problem:beyond-reader-limit"
    );
}

#[test]
fn large_reports_give_bounded_responses() {
    let server = start(&[]);
    // 5,000 accounts with nothing but an id: every one breaks the schema.
    let items: Vec<String> = (0..5_000)
        .map(|i| format!("{{\"id\": \"a{i}\"}}"))
        .collect();
    let body = format!("{{\"items\": [{}]}}", items.join(","));
    let reply = http::post(
        server.address,
        "/validate/get-accounts.output",
        body.as_bytes(),
    );
    assert_eq!(reply.status, 422);
    let problem = reply.json();
    assert_eq!(
        problem["errors"].as_array().unwrap().len(),
        bankschema_axum::MAX_ERRORS
    );
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("the first 100 errors are listed"),
        "{detail}"
    );
}

#[test]
fn a_hundred_requests_at_once_and_a_graceful_stop() {
    let mut server = start(&[]);
    let address = server.address;
    let body = std::fs::read(root().join(
        "schemas/examples/get-accounts.output/valid/full-current-account-with-debit-card.json",
    ))
    .unwrap();
    let threads: Vec<_> = (0..100)
        .map(|_| {
            let body = body.clone();
            std::thread::spawn(move || {
                http::post(address, "/validate/get-accounts.output", &body).status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    // SIGTERM: the server stops, exit 0.
    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A client that connects and never finishes a request's head (no bytes, or a
/// head without its blank line) is closed after `--head-timeout`, while a prompt
/// client is served meanwhile.
#[test]
fn a_client_slow_to_send_its_head_is_closed() {
    use std::io::{Read, Write};
    let server = start(&["--head-timeout", "1"]);
    let silent = std::net::TcpStream::connect(server.address).unwrap();
    let mut partial = std::net::TcpStream::connect(server.address).unwrap();
    partial
        .write_all(b"POST /validate/get-accounts.output HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = Instant::now();
    let body = std::fs::read(root().join(
        "schemas/examples/get-accounts.output/valid/full-current-account-with-debit-card.json",
    ))
    .unwrap();
    assert_eq!(
        http::post(server.address, "/validate/get-accounts.output", &body).status,
        200
    );
    for (what, mut stream) in [("silent", silent), ("partial", partial)] {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut answer = Vec::new();
        // The server closes the connection: the read ends (or the peer resets it).
        let _ = stream.read_to_end(&mut answer);
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(900) && waited < Duration::from_secs(15),
            "{what}: closed after {waited:?}"
        );
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{what}: {answer}"
        );
    }
}
