//! [axum](https://docs.rs/axum) 0.8 integration for bankschema: what every service
//! that validates provider payloads otherwise writes by hand.
//!
//! - [`Validated<T>`]: an extractor for any generated message type (one that
//!   implements [`Message`]): the body is parsed once into `T`, with the rules'
//!   warnings, or the request is refused with a [`Problem`];
//! - [`Problem`]: an RFC 9457 `application/problem+json` response made from a
//!   [`Report`]: 400 for a body that is not JSON a payload may be (kind
//!   `Malformed`, or `Limit`: nested too deep), 413 over axum's body limit, 422 for
//!   a contract violation (`Schema`, `Rule`), each error with its pointer, message
//!   and rule;
//! - [`router`]: the routes of `bankschema serve`, `POST /validate/{schema-id}`.
//!
//! Bodies above 64 KiB are parsed on tokio's blocking pool, off the async runtime.
//!
//! ```no_run
//! use axum::{routing::post, Router};
//! use bankschema_axum::Validated;
//! use bankschema_validator::types::get_accounts::AccountList;
//!
//! async fn accounts(Validated(list, warnings): Validated<AccountList>) -> String {
//!     format!("{} accounts, {} warnings", list.items.len(), warnings.diagnostics.len())
//! }
//!
//! let app: Router = Router::new().route("/accounts", post(accounts));
//! ```

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod problem;
mod service;

pub use bankschema_validator::{Message, Report};
pub use problem::{Problem, MAX_ERRORS};
pub use service::{router, BODY_TIMEOUT, WARNINGS_COUNT_HEADER, WARNINGS_HEADER};

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use bankschema_validator::Options;

/// A request body that is a valid payload of `T`'s schema id, read into `T`, and
/// the report of the rules' warnings (SHOULD rules broken, which leave it valid).
/// Refused with a [`Problem`] otherwise.
#[derive(Debug)]
pub struct Validated<T>(pub T, pub Report);

impl<S, T> FromRequest<S> for Validated<T>
where
    S: Send + Sync,
    T: Message + Send + 'static,
{
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| Problem::unreadable(&rejection, Some(T::SCHEMA_ID)))?;
        let (value, warnings) = parse(bytes, |bytes| {
            T::parse_with_warnings(bytes, &Options::default())
        })
        .await?;
        Ok(Validated(value, warnings))
    }
}

/// Bodies larger than this are parsed on the blocking pool: a parse of a few
/// megabytes would hold an async worker for milliseconds.
const OFF_RUNTIME: usize = 64 * 1024;

/// `bytes` through `parse`, off the async runtime when they are large.
pub(crate) async fn parse<U: Send + 'static>(
    bytes: Bytes,
    parse: impl FnOnce(&[u8]) -> Result<U, Report> + Send + 'static,
) -> Result<U, Problem> {
    if bytes.len() <= OFF_RUNTIME {
        return parse(&bytes).map_err(Problem::from);
    }
    match tokio::task::spawn_blocking(move || parse(&bytes)).await {
        Ok(parsed) => parsed.map_err(Problem::from),
        Err(_) => Err(Problem::internal()),
    }
}
