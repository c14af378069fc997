//! `bankschema serve`: the validation service, for a stack that is not Rust.

use crate::io::note;
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
        match axum::serve(listener, app)
            .with_graceful_shutdown(stopped())
            .await
        {
            Ok(()) => {
                note("bankschema serve: stopped");
                ExitCode::SUCCESS
            }
            Err(error) => {
                note(&format!("error: serving: {error}"));
                ExitCode::FAILURE
            }
        }
    })
}

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
