//! `bankschema serve`: the validation service, for a stack that is not Rust.
//!
//! The accept loop is written here rather than taken from `axum::serve`, which sets
//! no limit on how long a client may take to send a request's head: a client that
//! connects and sends nothing (or a byte a minute) would hold its connection for
//! ever. hyper's own HTTP/1 server has that limit once it is given a timer.

use crate::io::note;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;
use tokio::net::TcpListener;

/// Serves [`bankschema_axum::router`] on `listen` until SIGTERM or SIGINT, then
/// lets the requests in flight finish. Logs one line per request on stderr. A
/// client has `head_timeout` to send each request's line and headers; hyper starts
/// it again after each response, so it also closes a keep-alive connection left
/// idle that long.
pub fn serve(listen: SocketAddr, max_bytes: usize, head_timeout: Duration) -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            note(&format!("error: cannot start the async runtime: {error}"));
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async move {
        let listener = match TcpListener::bind(listen).await {
            Ok(listener) => listener,
            Err(error) => {
                note(&format!("error: cannot listen on {listen}: {error}"));
                return ExitCode::from(2);
            }
        };
        match listener.local_addr() {
            Ok(address) => note(&format!("bankschema serve: listening on http://{address}")),
            Err(error) => note(&format!("error: no local address: {error}")),
        }
        let app = bankschema_axum::router(max_bytes);
        let connections = GracefulShutdown::new();
        accept(&listener, &app, &connections, head_timeout).await;
        // New connections are refused at once; those in flight get `GRACE` to
        // finish (a body that never ends is cut by `bankschema_axum::BODY_TIMEOUT`
        // before).
        drop(listener);
        if tokio::time::timeout(GRACE, connections.shutdown())
            .await
            .is_err()
        {
            note(&format!(
                "bankschema serve: requests still in flight after {} s: stopped",
                GRACE.as_secs()
            ));
        } else {
            note("bankschema serve: stopped");
        }
        ExitCode::SUCCESS
    })
}

/// Accepts connections until a stop is asked for, each served on a task of its own,
/// watched by `connections` for the graceful stop.
async fn accept(
    listener: &TcpListener,
    app: &axum::Router,
    connections: &GracefulShutdown,
    head_timeout: Duration,
) {
    let mut stop = std::pin::pin!(stopped());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // One client gone before it was accepted: the next one at once.
                Err(error) if is_connection_error(&error) => continue,
                // Out of file descriptors, say: wait for some to close, and go on.
                Err(error) => {
                    tracing::error!("cannot accept a connection: {error}; trying again in 1 s");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = &mut stop => return,
        };
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(head_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = connections.watch(connection);
        tokio::spawn(async move {
            // A client that went away, or sent no head in time: nothing to tell.
            if let Err(error) = connection.await {
                tracing::debug!("connection closed: {error}");
            }
        });
    }
}

/// Whether `error` concerns one connection only, not the listener (as `axum::serve`
/// tells them apart).
fn is_connection_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// How long the requests in flight get to finish once a stop is asked for.
const GRACE: Duration = Duration::from_secs(35);

/// Resolves at SIGTERM or SIGINT (Ctrl-C).
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut term), Ok(mut interrupt)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            return std::future::pending().await;
        };
        std::future::poll_fn(|cx| {
            if term.poll_recv(cx).is_ready() || interrupt.poll_recv(cx).is_ready() {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
