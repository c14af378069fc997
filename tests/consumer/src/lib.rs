//! A stand-in for a service's crate: see `tests/`.
