//! The readers compared, each reading the generated types, and the validated path
//! through each: the typed read, the generated `*_holds` check, and `parse` (the
//! full report) for whatever the check or the reader refuses.

use crate::adapter;
use bankschema_types::{connected_accounts, get_accounts, linked_accounts};
use bankschema_validator::{
    connected_accounts as ca, get_accounts as ga, linked_accounts as la, Options, Report, SchemaId,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A reader of the generated types.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reader {
    /// `serde_json::from_slice`: what bankschema reads with today.
    SerdeJson,
    /// `sonic_rs::from_slice`, as it is.
    Sonic,
    /// `sonic_rs::from_slice` through [`adapter`]: the runtime gets its texts.
    SonicAdapted,
    /// `simd_json::serde::from_slice` (on a copy: it reads in place).
    SimdJson,
}

impl Reader {
    pub const ALL: [Reader; 4] = [
        Reader::SerdeJson,
        Reader::Sonic,
        Reader::SonicAdapted,
        Reader::SimdJson,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Reader::SerdeJson => "serde_json",
            Reader::Sonic => "sonic-rs",
            Reader::SonicAdapted => "sonic-rs + adapter",
            Reader::SimdJson => "simd-json",
        }
    }
}

/// Why a reader refused, with the place it gives.
pub struct Refusal {
    pub message: String,
    /// Line and column (from 1), when the reader gives them.
    pub line_column: Option<(usize, usize)>,
    /// The byte offset, when the reader gives it.
    pub offset: Option<usize>,
}

/// `bytes` read as `T` by `reader`, unvalidated.
pub fn read<T: DeserializeOwned>(reader: Reader, bytes: &[u8]) -> Result<T, Refusal> {
    match reader {
        Reader::SerdeJson => serde_json::from_slice(bytes).map_err(|e| Refusal {
            message: e.to_string(),
            line_column: Some((e.line(), e.column())),
            offset: None,
        }),
        Reader::Sonic => sonic_rs::from_slice(bytes).map_err(sonic_refusal),
        Reader::SonicAdapted => adapter::from_slice(bytes).map_err(sonic_refusal),
        Reader::SimdJson => {
            let mut copy = bytes.to_vec();
            simd_json::serde::from_slice(&mut copy).map_err(|e| Refusal {
                message: e.to_string(),
                line_column: None,
                offset: Some(e.index()),
            })
        }
    }
}

fn sonic_refusal(e: sonic_rs::Error) -> Refusal {
    Refusal {
        message: e.to_string(),
        line_column: Some((e.line(), e.column())),
        offset: Some(e.offset()),
    }
}

/// The typed levels of the schemas read here are fewer than this: a text read as
/// any JSON nesting less deep than `128 - TYPED_LEVELS` cannot reach the reports'
/// limit, and the bytes need no scan.
const TYPED_LEVELS: usize = 16;

/// The validated path's fast half: `T` read by `reader` and held by `holds`; `None`
/// sends the payload to `parse`, whose verdict and report are then the answer.
#[inline]
pub fn fast<T: DeserializeOwned>(
    reader: Reader,
    bytes: &[u8],
    holds: fn(&T, &Options) -> bool,
) -> Option<T> {
    adapter::deepest_text();
    let value: T = read(reader, bytes).ok()?;
    let deepest = adapter::deepest_text();
    if deepest > 0
        && deepest + TYPED_LEVELS >= 128
        && adapter::nesting(bytes) >= bankschema_runtime::text::MAX_DEPTH
    {
        return None;
    }
    holds(&value, &Options::default()).then_some(value)
}

fn text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

macro_rules! validated {
    ($($id:ident => $ty:ty, $holds:path;)*) => {
        /// The validated path through `reader`: the payload written back as JSON
        /// (what the typed value kept), or the report of why it is not valid.
        /// Through serde_json it is `parse` itself, the reference.
        pub fn validated(reader: Reader, id: SchemaId, bytes: &[u8]) -> Result<String, Report> {
            let fast = match id {
                _ if reader == Reader::SerdeJson => None,
                $(SchemaId::$id => fast::<$ty>(reader, bytes, $holds).map(|v| text(&v)),)*
            };
            match fast {
                Some(written) => Ok(written),
                None => bankschema_validator::parse(id, bytes).map(|payload| text(&payload)),
            }
        }
    };
}

validated! {
    ConnectedAccountsResponse => connected_accounts::ConnectedAccountList, ca::response_holds;
    GetAccountsInput => get_accounts::GetAccountsInput, ga::input_holds;
    GetAccountsOutput => get_accounts::AccountList, ga::output_holds;
    LinkedAccountsResponse => linked_accounts::LinkedAccountList, la::response_holds;
    LinkedAccountsError400 => linked_accounts::BadRequestError, la::error_400_holds;
    LinkedAccountsError403 => linked_accounts::ForbiddenError, la::error_403_holds;
    LinkedAccountsErrorDefault => linked_accounts::DefaultError, la::error_default_holds;
}

/// The validated, lossless parse of a get-accounts output through sonic-rs and the
/// adapter, as a service would call it: 1 when it accepts.
#[inline]
pub fn sonic_parse(bytes: &[u8]) -> usize {
    checked(Reader::SonicAdapted, bytes)
}

/// The same through simd-json: validated but lossy (amounts through `f64`), so
/// only a bound on what a simd-json that kept numbers' text could give.
#[inline]
pub fn simd_json_checked(bytes: &[u8]) -> usize {
    checked(Reader::SimdJson, bytes)
}

#[inline]
fn checked(reader: Reader, bytes: &[u8]) -> usize {
    let accepted = match fast(reader, bytes, ga::output_holds) {
        Some(value) => Some(value),
        None => ga::parse_output(bytes).ok(),
    };
    usize::from(std::hint::black_box(accepted).is_some())
}
