//! An NDJSON input read in blocks of whole lines, and the lines of a block.

use crate::io::Unread;
use std::io::Read;

/// The blocks of whole lines of a reader: about `block` bytes each, more when one
/// line is longer. A line longer than `max_line` bytes (before its newline), or a
/// read that fails, ends the input: it is given after the lines before it, and
/// nothing after it is read. No more than `max_line + 1` bytes of one line are
/// ever read: a line may never end (`/dev/zero` has no newline).
pub(super) struct Blocks<R> {
    reader: R,
    max_line: u64,
    block: usize,
    /// The start of a line the last block did not hold all of.
    carry: Vec<u8>,
    done: bool,
}

impl<R: Read> Blocks<R> {
    pub(super) fn new(reader: R, max_line: u64, block: usize) -> Self {
        Blocks {
            reader,
            max_line,
            block: block.max(1),
            carry: Vec::new(),
            done: false,
        }
    }

    /// The next block, read into `buffer` (whatever it held is dropped): whole
    /// lines, and what ended the input after them, if anything. `None` at the end.
    pub(super) fn next(&mut self, mut buffer: Vec<u8>) -> Option<(Vec<u8>, Option<Unread>)> {
        if self.done {
            return None;
        }
        buffer.clear();
        buffer.append(&mut self.carry);
        // The bytes of the line being read: those after the last newline.
        let mut open = buffer.len();
        let end = loop {
            let whole = buffer.len() - open;
            if whole > 0 && buffer.len() >= self.block {
                break None;
            }
            let open_bytes = u64::try_from(open).unwrap_or(u64::MAX);
            if open_bytes > self.max_line {
                break Some(Unread::limit(format!(
                    "the line is longer than the limit of {} bytes (--max-bytes): the rest of the file is not read",
                    self.max_line
                )));
            }
            // Up to the end of the block, and never past the limit of the open line.
            let block_room = match whole {
                0 => self.block,
                _ => self.block - buffer.len(),
            };
            let want = (self.max_line.saturating_add(1) - open_bytes)
                .min(u64::try_from(block_room).unwrap_or(u64::MAX));
            let start = buffer.len();
            buffer.reserve(usize::try_from(want).unwrap_or(block_room));
            let read = (&mut self.reader).take(want).read_to_end(&mut buffer);
            let new = buffer.get(start..).unwrap_or_default();
            open = match memchr::memrchr(b'\n', new) {
                Some(at) => new.len() - at - 1,
                None => open + new.len(),
            };
            match read {
                // Less than asked: the reader is at its end.
                Ok(n) if (n as u64) < want => {
                    self.done = true;
                    break None;
                }
                Ok(_) => {}
                Err(e) => break Some(Unread::failed(format!("cannot read the line: {e}"))),
            }
        };
        let whole = buffer.len() - open;
        if end.is_some() {
            // The line that ends the input is reported, not judged.
            self.done = true;
            buffer.truncate(whole);
        } else if !self.done {
            self.carry
                .extend_from_slice(buffer.get(whole..).unwrap_or_default());
            buffer.truncate(whole);
        }
        if buffer.is_empty() && end.is_none() {
            return None;
        }
        Some((buffer, end))
    }
}

/// The lines of a block, each without its newline and a carriage return before it.
pub(super) fn lines(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = block;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let line = match memchr::memchr(b'\n', rest) {
            Some(at) => {
                let (line, after) = rest.split_at(at);
                rest = after.get(1..).unwrap_or_default();
                line
            }
            None => std::mem::take(&mut rest),
        };
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bankschema_validator::Kind;

    /// Every block of `blocks`: its lines, and what ended the input.
    fn read_all<R: Read>(mut blocks: Blocks<R>) -> Vec<(Vec<String>, Option<Unread>)> {
        let mut read = Vec::new();
        while let Some((bytes, end)) = blocks.next(Vec::new()) {
            let lines = lines(&bytes)
                .map(|l| String::from_utf8_lossy(l).into_owned())
                .collect();
            read.push((lines, end));
        }
        read
    }

    fn strings(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn lines_drop_their_newline_and_one_carriage_return() {
        fn split(text: &[u8]) -> Vec<&[u8]> {
            lines(text).collect()
        }
        assert_eq!(
            split(b"a\r\nb\n\n\r\nc\r\r"),
            [&b"a"[..], b"b", b"", b"", b"c\r"]
        );
        assert_eq!(split(b"a\n"), [b"a"]);
        assert!(split(b"").is_empty());
    }

    #[test]
    fn blocks_hold_whole_lines_whatever_their_size() {
        let text = "ab\ncdefgh\ng\r\n\nlong line across blocks\nz";
        for block in [1, 2, 4, 7, 100] {
            let read = read_all(Blocks::new(text.as_bytes(), 30, block));
            assert!(read
                .iter()
                .all(|(lines, end)| !lines.is_empty() && end.is_none()));
            let all: Vec<String> = read.into_iter().flat_map(|(lines, _)| lines).collect();
            let expected = ["ab", "cdefgh", "g", "", "long line across blocks", "z"];
            assert_eq!(all, strings(&expected), "blocks of {block}");
        }
        assert!(read_all(Blocks::new(&b""[..], 30, 4)).is_empty());
    }

    /// Bytes given after `start`: newlines never, for ever; how many were read.
    struct Endless {
        start: &'static [u8],
        given: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len();
            for (i, byte) in buf.iter_mut().enumerate() {
                *byte = self.start.get(self.given + i).copied().unwrap_or(b' ');
            }
            self.given += n;
            Ok(n)
        }
    }

    #[test]
    fn a_line_past_the_limit_ends_the_input_unread() {
        for block in [2, 5, 1 << 20] {
            let mut blocks = Blocks::new(
                Endless {
                    start: b"ab\ncd\n",
                    given: 0,
                },
                5,
                block,
            );
            let mut lines_read = Vec::new();
            let mut ends = Vec::new();
            while let Some((bytes, end)) = blocks.next(Vec::new()) {
                lines_read.extend(lines(&bytes).map(|l| l.to_vec()));
                ends.extend(end);
            }
            assert_eq!(lines_read, [b"ab", b"cd"]);
            assert_eq!(ends.len(), 1);
            assert_eq!(ends[0].kind, Kind::Limit);
            assert!(ends[0].message.contains("longer than the limit of 5 bytes"));
            // The two lines, and the limit and one byte of the endless one.
            assert!(
                blocks.reader.given <= 6 + 6,
                "{} bytes read",
                blocks.reader.given
            );
        }
        // At the limit, a line is read whole: with or without a newline after it.
        let read = read_all(Blocks::new(&b"abcde\nfghij"[..], 5, 2));
        let all: Vec<String> = read.into_iter().flat_map(|(lines, _)| lines).collect();
        assert_eq!(all, strings(&["abcde", "fghij"]));
    }

    /// `text`, then a failure.
    struct Failing(&'static [u8]);

    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::other("the disk is gone"));
            }
            let n = self.0.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_read_that_fails_ends_the_input_after_the_lines_before_it() {
        let read = read_all(Blocks::new(Failing(b"ab\ncd\nhalf a li"), 100, 1 << 20));
        assert_eq!(read.len(), 1);
        let (lines, end) = &read[0];
        assert_eq!(*lines, strings(&["ab", "cd"]));
        let end = end.as_ref().map(|e| (e.kind, e.message.as_str()));
        assert_eq!(
            end,
            Some((Kind::Malformed, "cannot read the line: the disk is gone"))
        );
    }
}
