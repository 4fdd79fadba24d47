//! Escaping of user-written strings for every target language the exports write. Each function returns text
//! that, placed where its doc comment says, the target's parser reads back as exactly the input string, and
//! that cannot end the surrounding construct or start a new one.

/// An HCL quoted-string literal, quotes included. Terraform reads `${` and `%{` as the start of an interpolation
/// or a directive even in a plain string, so they are written as the literal escapes `$${` and `%%{`.
pub fn hcl_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    if is_plain(text, b"\\\"$%") {
        out.push_str(text);
        out.push('"');
        return out;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            // A run like `$${` must not end up as `$$${`, whose reading depends on the scanner: a `$` or `%`
            // before another one is written as a Unicode escape, which can never start a sequence.
            '$' | '%' if chars.peek() == Some(&c) => push_unicode_escape(&mut out, c),
            c if c.is_control() || is_invisible_separator(c) => {
                push_unicode_escape(&mut out, c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML double-quoted scalar, quotes included. Only `\`, `"` and non-printable characters need escapes there;
/// the quotes keep `: `, `#`, `{`, `[`, `&`, `*`, `!`, `|`, `>` and a leading `-` or `?` from meaning anything.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    if is_plain(text, b"\\\"") {
        out.push_str(text);
        out.push('"');
        return out;
    }
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_invisible_separator(c) || c == '\u{feff}' => {
                push_unicode_escape(&mut out, c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for HTML element content or a double- or single-quoted attribute value.
pub fn html(text: &str) -> String {
    if is_plain(text, b"&<>\"'") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                out.push_str(&format!("&#x{:X};", c as u32).replace("&#x0;", "&#xFFFD;"))
            }
            c => out.push(c),
        }
    }
    out
}

/// Text for a Markdown table cell or the end of a heading: shown literally, never as markup, HTML or a table delimiter.
/// Newlines become `<br>` so that a cell stays on its row.
pub fn markdown(text: &str) -> String {
    if is_plain(text, b"&<>\\`*_[]|~") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            // User text always sits mid-line (after `| ` or a heading's words), so only inline markup needs escapes.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One CSV field as RFC 4180 writes it, with the spreadsheet formula-injection guard: a field a spreadsheet
/// would evaluate (starting with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'`.
pub fn csv_field(text: &str) -> String {
    let guarded;
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{text}");
        guarded.as_str()
    } else {
        text
    };
    if text.contains([',', '"', '\n', '\r']) || text.starts_with('\'') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Text inside a Mermaid double-quoted label (`id["..."]`, `-->|"..."|`, `subgraph id ["..."]`). Mermaid has no
/// backslash escapes: characters that could end the label or be read as markup are written as its entity codes
/// (`#quot;`, `#35;` …), which it renders as the character itself. Newlines become `<br/>` line breaks.
pub fn mermaid_label(text: &str) -> String {
    if is_plain(text, b"\"#<>&`|[]{}\\%~-=") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            '"' => out.push_str("#quot;"),
            // `#` starts an entity code; `%` could form a `%%{init}%%` directive, which Mermaid looks for anywhere.
            '#' | '<' | '>' | '&' | '`' | '|' | '[' | ']' | '{' | '}' | '\\' | '%' | '~' => {
                out.push_str(&format!("#{};", c as u32))
            }
            // The pieces of a link (`-->`, `-.->`, `==>`), in case a label is ever read outside its quotes.
            '-' if matches!(next, Some('-' | '>' | '.')) => out.push_str("#45;"),
            '=' if matches!(next, Some('=' | '>')) => out.push_str("#61;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A comment line's text: no newline can end the comment and start code. Used for ids and names in comments.
pub fn comment(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_invisible_separator(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Whether `text` can be written as it is: printable ASCII without any of `special` (anything else, including
/// every non-ASCII character, takes the careful path, which keeps non-ASCII text as it is where that is safe).
fn is_plain(text: &str, special: &[u8]) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !special.contains(&b))
}

/// Unicode line and paragraph separators: some parsers treat them as line breaks.
fn is_invisible_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

fn push_unicode_escape(out: &mut String, c: char) {
    let code = c as u32;
    if code <= 0xFFFF {
        out.push_str(&format!("\\u{code:04X}"));
    } else {
        out.push_str(&format!("\\U{code:08X}"));
    }
}

/// Turns any text into an identifier made of `[A-Za-z0-9_]`, starting with a letter or `_`, never empty.
/// Not injective on its own: callers make names unique with a [`Namer`](super::naming::Namer).
pub fn identifier(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hcl_strings_escape_interpolation_quotes_and_newlines() {
        assert_eq!(hcl_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(hcl_string("${var.x} %{ if }"), r#""$${var.x} %%{ if }""#);
        assert_eq!(hcl_string("$x %d"), r#""$x %d""#);
        assert_eq!(hcl_string("$${x}"), r#""\u0024$${x}""#);
        assert_eq!(hcl_string("line\nbreak"), r#""line\nbreak""#);
        assert_eq!(hcl_string("é ⇄ 雲"), "\"é ⇄ 雲\"");
        assert_eq!(hcl_string("\u{7}"), r#""\u0007""#);
    }

    #[test]
    fn yaml_strings_escape_only_what_double_quotes_need() {
        assert_eq!(yaml_string("a: b # c"), "\"a: b # c\"");
        assert_eq!(yaml_string("q\"\\\n"), r#""q\"\\\n""#);
        assert_eq!(yaml_string("\u{2028}"), r#""\u2028""#);
    }

    #[test]
    fn csv_fields_quote_and_guard_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd|' /C calc'!A0"), "\"'=cmd|' /C calc'!A0\"");
        assert_eq!(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_field("-1+1"), "\"'-1+1\"");
    }

    #[test]
    fn html_and_markdown_never_emit_markup() {
        assert_eq!(html("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        let md = markdown("a|b <i> [x](y)\nz");
        assert!(!md.contains("<i>") && !md.contains('\n'));
        assert!(md.contains("a\\|b"));
    }

    #[test]
    fn mermaid_labels_contain_no_quote_bracket_or_arrow() {
        let label = mermaid_label("x\"] --> end [y");
        assert!(!label.contains('"') && !label.contains(']') && !label.contains("-->"));
    }

    #[test]
    fn identifiers_are_safe_and_never_empty() {
        assert_eq!(identifier("az-vnet.1"), "az_vnet_1");
        assert_eq!(identifier("1abc"), "_1abc");
        assert_eq!(identifier(""), "_");
        assert_eq!(identifier("é"), "_");
    }
}
