//! A payload read from a stream, within a size limit.

use crate::{Kind, Report};
use std::io::Read;

/// Every byte of `reader`, or a report when there are more than `max_bytes` (kind
/// [`Kind::Limit`]: read no further than one byte past the limit, so a stream
/// that never ends is refused too) or the stream fails (kind [`Kind::Malformed`]).
///
/// ```
/// let bytes = bankschema_runtime::read_payload(&b"{}"[..], 1024).unwrap();
/// assert_eq!(bytes, b"{}");
/// let refused = bankschema_runtime::read_payload(std::io::repeat(b' '), 1024).unwrap_err();
/// assert_eq!(refused.diagnostics[0].kind, bankschema_runtime::Kind::Limit);
/// ```
pub fn read_payload(reader: impl Read, max_bytes: u64) -> Result<Vec<u8>, Report> {
    let mut bytes = Vec::new();
    match reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        Err(error) => Err(Report::refusing(
            Kind::Malformed,
            format!("the payload cannot be read: {error}"),
        )),
        Ok(_) if bytes.len() as u64 > max_bytes => Err(Report::refusing(
            Kind::Limit,
            format!("the payload is larger than {max_bytes} bytes"),
        )),
        Ok(_) => Ok(bytes),
    }
}
