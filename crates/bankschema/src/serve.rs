//! `bankschema serve`: the validation service, for a stack that is not Rust.

use crate::io::note;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::process::ExitCode;

/// Serves [`bankschema_axum::router`] on `listen` until SIGTERM or SIGINT, then
/// lets the requests in flight finish. Logs one line per request on stderr.
pub fn serve(listen: SocketAddr, max_bytes: usize) -> ExitCode {
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
        let listener = match tokio::net::TcpListener::bind(listen).await {
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
        let stop = std::sync::Arc::new(tokio::sync::Notify::new());
        let wait = stop.clone();
        let mut server = tokio::spawn(
            axum::serve(listener, app)
                .with_graceful_shutdown(async move { wait.notified().await })
                .into_future(),
        );
        let served = tokio::select! {
            served = &mut server => served,
            () = stopped() => {
                // New connections are refused at once; those in flight get
                // `GRACE` to finish (a body that never ends is cut by
                // `bankschema_axum::BODY_TIMEOUT` before).
                stop.notify_one();
                match tokio::time::timeout(GRACE, &mut server).await {
                    Ok(served) => served,
                    Err(_) => {
                        note(&format!("bankschema serve: requests still in flight after {} s: stopped", GRACE.as_secs()));
                        return ExitCode::SUCCESS;
                    }
                }
            }
        };
        match served {
            Ok(Ok(())) => {
                note("bankschema serve: stopped");
                ExitCode::SUCCESS
            }
            Ok(Err(error)) => {
                note(&format!("error: serving: {error}"));
                ExitCode::FAILURE
            }
            Err(error) => {
                note(&format!("error: the server task failed: {error}"));
                ExitCode::FAILURE
            }
        }
    })
}

/// How long the requests in flight get to finish once a stop is asked for.
const GRACE: std::time::Duration = std::time::Duration::from_secs(35);

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
