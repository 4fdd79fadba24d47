//! How messages show what a user typed: between typographic quotes, as written, with only what cannot be seen
//! made visible. Rust's `{:?}` escapes quotes, backslashes and non-printing characters in Rust's own syntax
//! (`"a\"b"`, `'\u{a0}'`), which reads as code rather than as the name the user typed.

/// `text` between “ and ”, each control or invisible character written as `[U+XXXX]`.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    out.push('“');
    push_visible(&mut out, text, invisible);
    out.push('”');
    out
}

/// `text` to be shown on a terminal or in a log: each control or invisible character but the line break written
/// as `[U+XXXX]`, so a name or a key holding an escape sequence is read, not obeyed. Borrowed when there is none.
pub fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c != '\n' && invisible(c);
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    push_visible(&mut out, text, hidden);
    std::borrow::Cow::Owned(out)
}

/// Appends `text`, each character `hidden` holds for written as `[U+XXXX]`.
fn push_visible(out: &mut String, text: &str, hidden: impl Fn(char) -> bool) {
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("[U+{:04X}]", c as u32));
        } else {
            out.push(c);
        }
    }
}

/// One character as a message names it: “x”, or in words when it cannot be seen.
pub fn character(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        c if invisible(c) => format!("the invisible character U+{:04X}", c as u32),
        c => format!("“{c}”"),
    }
}

/// Control characters, and the format and default-ignorable characters that change how text around them reads
/// without being seen themselves (bidirectional marks and isolates reorder a name on screen).
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{a0}'
                | '\u{ad}'
                | '\u{61c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_typed_and_invisible_characters_are_shown() {
        assert_eq!(quoted("app \"web\" \\1"), "“app \"web\" \\1”");
        assert_eq!(quoted("a\nb\u{200b}"), "“a[U+000A]b[U+200B]”");
        assert_eq!(quoted("Zürich-🙂"), "“Zürich-🙂”");
        assert_eq!(character('é'), "“é”");
        assert_eq!(character(' '), "a space");
        assert_eq!(character('\u{a0}'), "the invisible character U+00A0");
        assert_eq!(quoted("a\u{2067}b"), "“a[U+2067]b”");
    }
}
