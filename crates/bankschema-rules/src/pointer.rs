//! RFC 6901 JSON Pointer tokens: the one place a key becomes a pointer segment and
//! back, for the generator, the runtime, the rules and the command line.

use std::borrow::Cow;

/// `token` as a pointer segment: `~` written `~0`, `/` written `~1`.
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// The token a pointer segment stands for (`~1` back to `/`, then `~0` to `~`).
pub fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~").into()
    } else {
        segment.into()
    }
}

/// Whether `text` is a pointer written as RFC 6901 writes one: empty, or `/`
/// segments each of whose `~` is `~0` or `~1`. Pointers are compared as text (a
/// rule's finding against the schema's error at the same value), so a name has
/// one spelling.
pub fn is_canonical(text: &str) -> bool {
    text.is_empty()
        || (text.starts_with('/')
            && text
                .split('/')
                .skip(1)
                .all(|segment| escape(&unescape(segment)) == segment))
}

/// `pointer` followed by the segment of `token`.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_unescapes_in_rfc_6901_order() {
        for (token, segment) in [
            ("a", "a"),
            ("a/b", "a~1b"),
            ("m~n", "m~0n"),
            ("~1", "~01"),
            ("", ""),
        ] {
            assert_eq!(escape(token), segment);
            assert_eq!(unescape(segment), token);
        }
        assert_eq!(join("/items/0", "a/b"), "/items/0/a~1b");
        for canonical in ["", "/", "/a~0b/~1/*", "/items/0"] {
            assert!(is_canonical(canonical), "{canonical}");
        }
        for other in ["a", "/~", "/a~2", "/~~"] {
            assert!(!is_canonical(other), "{other}");
        }
    }
}
