//! Hand-written support that the generated `bankschema-types` and
//! `bankschema-validator` crates build on.
//!
//! It holds what generated code should not spell out again for every schema: the
//! validation [`Report`] and its [`Diagnostic`]s, the [`EmbeddedSchema`] that compiles
//! an embedded JSON Schema once and checks payloads against it, and [`Nullable`],
//! the tri-state value of an optional, nullable field, [`DateTime`], which keeps a
//! timestamp's text, and [`Money`], an exact decimal read only from JSON numbers. It is not the place for
//! anything specific to one API: that lives in `schemas/` and reaches Rust through
//! the generator.
//!
//! ```
//! use bankschema_runtime::{Money, Nullable};
//!
//! // Money keeps the digits it was sent with.
//! let amount: Money = serde_json::from_str("0.10").unwrap();
//! assert_eq!(serde_json::to_string(&amount).unwrap(), "0.10");
//! // Absent and `null` stay apart.
//! let absent: Nullable<Money> = Nullable::Absent;
//! assert!(absent.as_option().is_none() && absent.is_absent());
//! ```

// Payloads are hostile: nothing they hold may stop a service short.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![deny(missing_docs)]

// What generated code calls: public for it, not part of the documented surface.
#[doc(hidden)]
pub mod checks;
mod date_time;
#[doc(hidden)]
pub mod de;
mod integer;
mod json;
mod keywords;
mod mcp;
mod money;
mod nullable;
mod number;
mod numeral;
#[doc(hidden)]
pub mod raw;
mod reader;
mod report;
mod schema;
#[doc(hidden)]
pub mod text;
#[doc(hidden)]
pub mod typed;

pub use bankschema_derive::DeserializeObject;
pub use bankschema_rules::{Options, Rule, Site, UnknownRule};
pub use date_time::DateTime;
pub use integer::Integer;
pub use json::{Json, UnknownProperties};
pub use keywords::Amounts;
pub use mcp::check_exchange as check_mcp_exchange;
pub use money::{Money, MoneyText};
pub use nullable::Nullable;
pub use number::Number;
pub use reader::read_payload;
pub use report::{Diagnostic, Kind, Report, Severity};
/// The decimal inside [`Money`].
pub use rust_decimal::Decimal;
pub use schema::{compile, EmbeddedSchema};
