//! Where values stand in JSON text: the byte ranges of the values at given
//! pointers ([`locate_all`]), and the line and column of byte offsets ([`positions`]).

use super::lexer::{Lexer, Token};
use bankschema_rules::pointer::unescape;
use std::ops::Range;

/// The byte ranges of the values at each of `pointers` (RFC 6901), in one pass
/// over the text however many there are: the pointers make a tree, and only the
/// members on its paths are looked at.
pub fn locate_all(bytes: &[u8], pointers: &[&str]) -> Vec<Option<Range<usize>>> {
    let tree = Tree::new(pointers);
    let mut found: Vec<Option<Range<usize>>> = vec![None; pointers.len()];
    let mut lexer = Lexer { bytes, pos: 0 };
    let mut open: Vec<Open> = Vec::new();
    let mut expect_key = false;
    while let Some((token, range)) = lexer.next() {
        let value_start = matches!(
            token,
            Token::ObjectStart | Token::ArrayStart | Token::Number | Token::Literal
        ) || (token == Token::String && !expect_key);
        if value_start {
            let node = match open.last() {
                None => Some(0),
                Some(parent) => parent
                    .node
                    .and_then(|n| tree.child(n, parent.segment(bytes)?)),
            };
            if matches!(token, Token::ObjectStart | Token::ArrayStart) {
                open.push(Open {
                    node,
                    key: None,
                    index: 0,
                    object: token == Token::ObjectStart,
                    start: range.start,
                });
                expect_key = token == Token::ObjectStart;
                continue;
            }
            for &i in tree.wanted(node) {
                found[i].get_or_insert(range.clone());
            }
        }
        match token {
            Token::ObjectEnd | Token::ArrayEnd => {
                if let Some(closed) = open.pop() {
                    for &i in tree.wanted(closed.node) {
                        found[i].get_or_insert(closed.start..range.end);
                    }
                }
                expect_key = false;
            }
            Token::Comma => match open.last_mut() {
                Some(Open {
                    object: false,
                    index,
                    ..
                }) => *index += 1,
                Some(Open { object: true, .. }) => expect_key = true,
                None => {}
            },
            Token::String if expect_key => {
                if let Some(parent) = open.last_mut() {
                    parent.key = Some(range);
                }
                expect_key = false;
            }
            _ => {}
        }
    }
    // A container the text never closes runs to its end.
    for closed in open {
        for &i in tree.wanted(closed.node) {
            found[i].get_or_insert(closed.start..bytes.len());
        }
    }
    found
}

/// Pointers as a tree of their segments: node 0 is the root.
struct Tree {
    children: Vec<std::collections::HashMap<String, usize>>,
    /// The pointers (by index) ending at each node.
    wanted: Vec<Vec<usize>>,
}

impl Tree {
    fn new(pointers: &[&str]) -> Tree {
        let mut tree = Tree {
            children: vec![Default::default()],
            wanted: vec![Vec::new()],
        };
        for (i, pointer) in pointers.iter().enumerate() {
            let segments = match pointer.strip_prefix('/') {
                Some(rest) => rest.split('/').collect(),
                None if pointer.is_empty() => Vec::new(),
                // Not a pointer: found nowhere.
                None => continue,
            };
            let mut node = 0;
            for segment in segments {
                let segment = unescape(segment).into_owned();
                node = match tree.children[node].get(&segment) {
                    Some(&child) => child,
                    None => {
                        tree.children.push(Default::default());
                        tree.wanted.push(Vec::new());
                        let child = tree.children.len() - 1;
                        tree.children[node].insert(segment, child);
                        child
                    }
                };
            }
            tree.wanted[node].push(i);
        }
        tree
    }

    fn child(&self, node: usize, segment: String) -> Option<usize> {
        self.children[node].get(&segment).copied()
    }

    fn wanted(&self, node: Option<usize>) -> &[usize] {
        node.map_or(&[], |n| self.wanted[n].as_slice())
    }
}

/// A container [`locate_all`] is inside.
struct Open {
    /// Its node in the tree, when it is on the path of a pointer.
    node: Option<usize>,
    /// The key of the member being read, in an object.
    key: Option<Range<usize>>,
    /// The index of the item being read, in an array.
    index: usize,
    object: bool,
    start: usize,
}

impl Open {
    /// The segment naming the member being read.
    fn segment(&self, bytes: &[u8]) -> Option<String> {
        if !self.object {
            return Some(self.index.to_string());
        }
        let key = bytes.get(self.key.clone()?)?;
        Some(
            serde_json::from_slice::<String>(key)
                .unwrap_or_else(|_| String::from_utf8_lossy(key).into_owned()),
        )
    }
}

/// Line and column (1-based; the column counts characters) of each of `offsets`,
/// in one pass over the text whatever their number and order.
pub fn positions(bytes: &[u8], offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut found = vec![(1, 1); offsets.len()];
    let (mut at, mut line, mut column) = (0usize, 1usize, 1usize);
    for i in order {
        let offset = offsets[i].min(bytes.len());
        for &byte in &bytes[at..offset.max(at)] {
            if byte == b'\n' {
                line += 1;
                column = 1;
            } else if byte & 0xC0 != 0x80 {
                // A character is counted at its first byte.
                column += 1;
            }
        }
        at = at.max(offset);
        found[i] = (line, column);
    }
    found
}
