//! The workspace's hand-written Rust stays in pieces a newcomer can read: no file
//! over 700 lines, no function over 80 lines, not counting the code templates
//! (`quote!`, `parse_quote!`, `json!`) a generator function holds.
//!
//! Written by hand: the lines a function spans are not in `syn`'s tree unless
//! proc-macro2's `span-locations` feature is on, which would change how every
//! proc macro of the workspace is built. A scan of Rust's tokens (comments,
//! strings, raw strings, characters, lifetimes) is all it takes to match braces.

use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 700;
const MAX_FUNCTION_LINES: usize = 80;

/// Macros whose body is a template of generated code, not code that runs.
const TEMPLATES: [&str; 3] = ["quote", "parse_quote", "json"];

/// One token of the scan: an identifier, or punctuation, with its line.
#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    Punct(char),
}

/// The tokens of `text` that matter to the scan, each with its line (from 1).
/// Comments and literals are skipped; an unterminated one ends the scan.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    let newlines = |from: usize, to: usize| chars[from..to].iter().filter(|c| **c == '\n').count();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let end = match c {
            '/' if next == Some('/') => skip_line(&chars, i),
            '/' if next == Some('*') => skip_block_comment(&chars, i),
            '"' => skip_string(&chars, i + 1),
            'r' | 'b' if raw_string_start(&chars, i).is_some() => {
                let (hashes, quote) = raw_string_start(&chars, i).unwrap_or((0, i));
                skip_raw_string(&chars, quote + 1, hashes)
            }
            'b' if next == Some('"') => skip_string(&chars, i + 2),
            'b' if next == Some('\'') => skip_char(&chars, i + 1),
            '\'' => skip_char(&chars, i),
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                let mut j = i;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                out.push((Token::Ident(chars[start..j].iter().collect()), line));
                j
            }
            c if c.is_whitespace() || c.is_ascii_digit() => i + 1,
            c => {
                out.push((Token::Punct(c), line));
                i + 1
            }
        };
        let end = end.min(chars.len()).max(i + 1);
        line += newlines(i, end);
        i = end;
    }
    out
}

fn skip_line(chars: &[char], from: usize) -> usize {
    chars[from..]
        .iter()
        .position(|c| *c == '\n')
        .map_or(chars.len(), |n| from + n)
}

/// Past a block comment (they nest).
fn skip_block_comment(chars: &[char], from: usize) -> usize {
    let (mut depth, mut i) = (0usize, from);
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => {
                depth += 1;
                i += 2;
            }
            ('*', '/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    chars.len()
}

/// Past a string whose text starts at `from`.
fn skip_string(chars: &[char], from: usize) -> usize {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// `r"`, `r#"`, `br##"`...: the number of `#`s and where the quote is.
fn raw_string_start(chars: &[char], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    if chars.get(i) == Some(&'b') {
        i += 1;
    }
    if chars.get(i) != Some(&'r') {
        return None;
    }
    // An identifier ending in `r` (`for`, `iter`) is no raw string.
    if from > 0 && (chars[from - 1].is_alphanumeric() || chars[from - 1] == '_') {
        return None;
    }
    i += 1;
    let hashes = chars[i..].iter().take_while(|c| **c == '#').count();
    (chars.get(i + hashes) == Some(&'"')).then_some((hashes, i + hashes))
}

fn skip_raw_string(chars: &[char], from: usize, hashes: usize) -> usize {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '"' && chars[i + 1..].iter().take(hashes).all(|c| *c == '#') {
            let closed = chars.len() >= i + 1 + hashes;
            if closed {
                return i + 1 + hashes;
            }
        }
        i += 1;
    }
    chars.len()
}

/// Past a character literal at `from` (`'a'`, `'\n'`, `'\u{1F600}'`), or past the
/// quote of a lifetime (`'a`), which is read on as an identifier.
fn skip_char(chars: &[char], from: usize) -> usize {
    match (chars.get(from + 1), chars.get(from + 2)) {
        // Past the escaped character, which may be a quote itself (`'\''`).
        (Some('\\'), _) => {
            let close = chars
                .get(from + 3..)
                .and_then(|rest| rest.iter().position(|c| *c == '\''));
            close.map_or(chars.len(), |n| from + 3 + n + 1)
        }
        (Some(_), Some('\'')) => from + 3,
        _ => from + 1,
    }
}

/// Each function of `text` (its name and first line) spanning more than
/// [`MAX_FUNCTION_LINES`] lines outside templates, with that count.
fn long_functions(text: &str) -> Vec<(String, usize, usize)> {
    let tokens = tokens(text);
    let mut found = Vec::new();
    for (at, (token, line)) in tokens.iter().enumerate() {
        let (Token::Ident(keyword), Some((Token::Ident(name), _))) = (token, tokens.get(at + 1))
        else {
            continue;
        };
        if keyword != "fn" {
            continue;
        }
        // The body: the first `{` before any `;` (a declaration has none).
        let body = tokens[at..]
            .iter()
            .position(|(t, _)| matches!(t, Token::Punct('{' | ';')))
            .map(|n| at + n)
            .filter(|n| tokens[*n].0 == Token::Punct('{'));
        let Some(open) = body else { continue };
        let Some(close) = matching(&tokens, open) else {
            continue;
        };
        let spanned = tokens[close].1 - line + 1;
        let templates = template_lines(&tokens[open..=close]);
        let counted = spanned - templates.min(spanned);
        if counted > MAX_FUNCTION_LINES {
            found.push((name.clone(), *line, counted));
        }
    }
    found
}

/// The index of the bracket closing the one at `open`.
fn matching(tokens: &[(Token, usize)], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, (token, _)) in tokens.iter().enumerate().skip(open) {
        match token {
            Token::Punct('{' | '(' | '[') => depth += 1,
            Token::Punct('}' | ')' | ']') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The lines inside the outermost template macros of `tokens`, the lines of their
/// delimiters aside.
fn template_lines(tokens: &[(Token, usize)]) -> usize {
    let mut lines = 0;
    let mut i = 0;
    while i + 2 < tokens.len() {
        let template = matches!(&tokens[i].0, Token::Ident(name) if TEMPLATES.contains(&name.as_str()))
            && tokens[i + 1].0 == Token::Punct('!')
            && matches!(tokens[i + 2].0, Token::Punct('{' | '(' | '['));
        if template {
            if let Some(close) = matching(tokens, i + 2) {
                lines += (tokens[close].1 - tokens[i + 2].1).saturating_sub(1);
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
    lines
}

/// The hand-written Rust files of the workspace: not `generated/`, not build
/// output, not the fuzzers' corpus.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let skipped = ["target", "generated", "corpus", "artifacts", ".git"]
            .iter()
            .any(|s| name == *s);
        if path.is_dir() && !skipped {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_hand_written_file_or_function_is_too_long_to_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["crates", "xtask", "tests", "fuzz"] {
        sources(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() > 50, "{files:?}");
    let mut too_long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let shown = file.strip_prefix(&root).unwrap_or(file).display();
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            too_long.push(format!("{shown}: {lines} lines"));
        }
        for (name, line, counted) in long_functions(&text) {
            too_long.push(format!("{shown}:{line}: fn {name} spans {counted} lines"));
        }
    }
    assert!(
        too_long.is_empty(),
        "split these (files at most {MAX_FILE_LINES} lines, functions at most {MAX_FUNCTION_LINES} outside templates):\n{}",
        too_long.join("\n")
    );
}

#[test]
fn the_scan_sees_through_comments_strings_and_templates() {
    let body = "        x();\n".repeat(MAX_FUNCTION_LINES);
    let long = format!("fn long() {{\n{body}}}\n");
    assert_eq!(long_functions(&long).len(), 1);
    assert_eq!(long_functions(&long)[0].0, "long");
    // Braces inside literals and comments, and a template's lines, do not count.
    let tricky = format!(
        "fn short() {{\n    let a = \"}}\"; let b = r#\"\"}}\"#; let c = '}}'; // }}\n    /* }} */ let d: &'static str = \"\";\n    quote! {{\n{body}    }};\n}}\n{long}"
    );
    let found = long_functions(&tricky);
    let line = tricky
        .lines()
        .position(|l| l == "fn long() {")
        .map(|n| n + 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), Some(found[0].1)), ("long", line));
    // A declaration without a body is no function to measure.
    assert!(long_functions("trait T { fn f(&self); }\nfn g() {}\n").is_empty());
}
