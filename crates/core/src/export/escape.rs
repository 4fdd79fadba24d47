//! Escaping of user-written strings for every target language the exports write. Each function returns text
//! that, placed where its doc comment says, the target's parser reads back as exactly the input string, and
//! that cannot end the surrounding construct or start a new one. The `_into` forms write at the end of a
//! buffer instead of returning a new string; plain printable ASCII is copied in runs, without a per-character
//! path.

use std::fmt::Write;

/// The bytes of `special` as a table, for [`scan`].
const fn mask(special: &[u8]) -> Special {
    let mut table = [false; 128];
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
}

type Special = [bool; 128];

/// Whether a byte can be copied as it is: printable ASCII and not in `special`.
#[inline(always)]
fn plain_byte(b: u8, special: &Special) -> bool {
    (0x20..0x7f).contains(&b) && !special[b as usize]
}

/// Copies `text` to `out`, handing every character that is not printable ASCII outside `special` to `careful`
/// with the text after it (for look-ahead); runs of plain bytes are copied in one piece.
#[inline(always)]
fn scan(
    text: &str,
    out: &mut String,
    special: &Special,
    mut careful: impl FnMut(char, &str, &mut String),
) {
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if plain_byte(bytes[i], special) {
            i += 1;
            continue;
        }
        out.push_str(&text[run..i]);
        let c = text[i..].chars().next().expect("a character starts here");
        i += c.len_utf8();
        careful(c, &text[i..], out);
        run = i;
    }
    out.push_str(&text[run..]);
}

fn is_plain_mask(text: &str, special: &Special) -> bool {
    text.bytes().all(|b| plain_byte(b, special))
}

const HCL_SPECIAL: Special = mask(b"\\\"$%");

/// An HCL quoted-string literal, quotes included. Terraform reads `${` and `%{` as the start of an interpolation
/// or a directive even in a plain string, so they are written as the literal escapes `$${` and `%%{`.
pub fn hcl_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    hcl_string_into(&mut out, text);
    out
}

/// [`hcl_string`], written at the end of `out`.
pub fn hcl_string_into(out: &mut String, text: &str) {
    out.push('"');
    scan(text, out, &HCL_SPECIAL, |c, rest, out| {
        let next = rest.chars().next();
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if next == Some('{') => {
                out.push(c);
                out.push(c);
            }
            // A run like `$${` must not end up as `$$${`, whose reading depends on the scanner: a `$` or `%`
            // before another one is written as a Unicode escape, which can never start a sequence.
            '$' | '%' if next == Some(c) => push_unicode_escape(out, c),
            c if c.is_control() || is_invisible_separator(c) => {
                push_unicode_escape(out, c);
            }
            c => out.push(c),
        }
    });
    out.push('"');
}

const YAML_SPECIAL: Special = mask(b"\\\"");

/// A YAML double-quoted scalar, quotes included. Only `\`, `"` and non-printable characters need escapes there;
/// the quotes keep `: `, `#`, `{`, `[`, `&`, `*`, `!`, `|`, `>` and a leading `-` or `?` from meaning anything.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    yaml_string_into(&mut out, text);
    out
}

/// [`yaml_string`], written at the end of `out`.
pub fn yaml_string_into(out: &mut String, text: &str) {
    out.push('"');
    scan(text, out, &YAML_SPECIAL, |c, _, out| match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() || is_invisible_separator(c) || c == '\u{feff}' => {
            push_unicode_escape(out, c);
        }
        c => out.push(c),
    });
    out.push('"');
}

const HTML_SPECIAL: Special = mask(b"&<>\"'");

/// Text for HTML element content or a double- or single-quoted attribute value.
pub fn html(text: &str) -> String {
    if is_plain_mask(text, &HTML_SPECIAL) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    html_into(&mut out, text);
    out
}

/// [`html`], written at the end of `out`.
pub fn html_into(out: &mut String, text: &str) {
    scan(text, out, &HTML_SPECIAL, |c, _, out| match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c if c.is_control() && c != '\n' && c != '\t' => {
            if c == '\0' {
                out.push_str("&#xFFFD;");
            } else {
                let _ = write!(out, "&#x{:X};", c as u32);
            }
        }
        c => out.push(c),
    });
}

const MARKDOWN_SPECIAL: Special = mask(b"&<>\\`*_[]|~");

/// Text for a Markdown table cell or the end of a heading: shown literally, never as markup, HTML or a table delimiter.
/// Newlines become `<br>` so that a cell stays on its row.
pub fn markdown(text: &str) -> String {
    if is_plain_mask(text, &MARKDOWN_SPECIAL) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    markdown_into(&mut out, text);
    out
}

/// [`markdown`], written at the end of `out`.
pub fn markdown_into(out: &mut String, text: &str) {
    scan(text, out, &MARKDOWN_SPECIAL, |c, _, out| match c {
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
    });
}

/// One CSV field as RFC 4180 writes it, with the spreadsheet formula-injection guard: a field a spreadsheet
/// would evaluate (starting with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'`.
pub fn csv_field(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    csv_field_into(&mut out, text);
    out
}

/// [`csv_field`], written at the end of `out`.
pub fn csv_field_into(out: &mut String, text: &str) {
    let guard = matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    // A guarded field starts with `'`, which is quoted too.
    let quoted = guard
        || text.starts_with('\'')
        || text
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if quoted {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quoted {
        let mut run = 0;
        for (i, b) in text.bytes().enumerate() {
            if b == b'"' {
                out.push_str(&text[run..=i]);
                out.push('"');
                run = i + 1;
            }
        }
        out.push_str(&text[run..]);
        out.push('"');
    } else {
        out.push_str(text);
    }
}

const MERMAID_SPECIAL: Special = mask(b"\"#<>&`|[]{}\\%~-=");

/// Text inside a Mermaid double-quoted label (`id["..."]`, `-->|"..."|`, `subgraph id ["..."]`). Mermaid has no
/// backslash escapes: characters that could end the label or be read as markup are written as its entity codes
/// (`#quot;`, `#35;` …), which it renders as the character itself. Newlines become `<br/>` line breaks.
pub fn mermaid_label(text: &str) -> String {
    if is_plain_mask(text, &MERMAID_SPECIAL) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    mermaid_label_into(&mut out, text);
    out
}

/// [`mermaid_label`], written at the end of `out`.
pub fn mermaid_label_into(out: &mut String, text: &str) {
    scan(text, out, &MERMAID_SPECIAL, |c, rest, out| {
        let next = rest.as_bytes().first().copied();
        match c {
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            '"' => out.push_str("#quot;"),
            // `#` starts an entity code; `%` could form a `%%{init}%%` directive, which Mermaid looks for anywhere.
            '#' | '<' | '>' | '&' | '`' | '|' | '[' | ']' | '{' | '}' | '\\' | '%' | '~' => {
                let _ = write!(out, "#{};", c as u32);
            }
            // The pieces of a link (`-->`, `-.->`, `==>`), in case a label is ever read outside its quotes.
            '-' if matches!(next, Some(b'-' | b'>' | b'.')) => out.push_str("#45;"),
            '=' if matches!(next, Some(b'=' | b'>')) => out.push_str("#61;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    });
}

/// A comment line's text: no newline can end the comment and start code. Used for ids and names in comments.
pub fn comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    comment_into(&mut out, text);
    out
}

/// [`comment`], written at the end of `out`.
pub fn comment_into(out: &mut String, text: &str) {
    scan(text, out, &[false; 128], |c, _, out| {
        out.push(if c.is_control() || is_invisible_separator(c) {
            ' '
        } else {
            c
        })
    });
}

/// Unicode line and paragraph separators: some parsers treat them as line breaks.
fn is_invisible_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

fn push_unicode_escape(out: &mut String, c: char) {
    let code = c as u32;
    if code <= 0xFFFF {
        let _ = write!(out, "\\u{code:04X}");
    } else {
        let _ = write!(out, "\\U{code:08X}");
    }
}

/// Turns any text into an identifier made of `[A-Za-z0-9_]`, starting with a letter or `_`, never empty.
/// Not injective on its own: callers make names unique with a [`Namer`](super::naming::Namer).
pub fn identifier(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    // Every other first character becomes `_` below, which is a valid start.
    if text.as_bytes().first().is_none_or(|b| b.is_ascii_digit()) {
        out.push('_');
    }
    if text.is_ascii() {
        // One byte per character: copy, then replace in place.
        let mut bytes = text.as_bytes().to_vec();
        for b in bytes.iter_mut() {
            if !(b.is_ascii_alphanumeric() || *b == b'_') {
                *b = b'_';
            }
        }
        out.push_str(std::str::from_utf8(&bytes).unwrap_or_default());
        return out;
    }
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}

/// Writes an IPv4 address as `Display` does (`10.0.0.1`), without the formatting machinery.
pub fn push_ipv4(out: &mut String, ip: std::net::Ipv4Addr) {
    let mut text = [0u8; 15];
    let mut len = 0;
    for (i, octet) in ip.octets().into_iter().enumerate() {
        if i > 0 {
            text[len] = b'.';
            len += 1;
        }
        len += push_u8_digits(&mut text[len..], octet);
    }
    out.push_str(std::str::from_utf8(&text[..len]).unwrap_or_default());
}

fn push_u8_digits(out: &mut [u8], n: u8) -> usize {
    if n >= 100 {
        out[0] = b'0' + n / 100;
        out[1] = b'0' + n / 10 % 10;
        out[2] = b'0' + n % 10;
        3
    } else if n >= 10 {
        out[0] = b'0' + n / 10;
        out[1] = b'0' + n % 10;
        2
    } else {
        out[0] = b'0' + n;
        1
    }
}

/// Writes a prefix as `Display` does (`10.0.0.0/16`); IPv6 through `Display` itself.
pub fn push_net(out: &mut String, net: &ipnet::IpNet) {
    match net {
        ipnet::IpNet::V4(v4) => {
            push_ipv4(out, v4.addr());
            out.push('/');
            let mut digits = [0u8; 3];
            let n = push_u8_digits(&mut digits, v4.prefix_len());
            out.push_str(std::str::from_utf8(&digits[..n]).unwrap_or_default());
        }
        ipnet::IpNet::V6(v6) => {
            let _ = write!(out, "{v6}");
        }
    }
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

    /// The escapers before their fast paths, kept to check that the fast paths write the same bytes.
    #[allow(clippy::all)]
    mod before {
        pub(super) fn hcl_string(text: &str) -> String {
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
        pub(super) fn yaml_string(text: &str) -> String {
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
        pub(super) fn html(text: &str) -> String {
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
        pub(super) fn markdown(text: &str) -> String {
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
        pub(super) fn csv_field(text: &str) -> String {
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
        pub(super) fn mermaid_label(text: &str) -> String {
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
                    '#' | '<' | '>' | '&' | '`' | '|' | '[' | ']' | '{' | '}' | '\\' | '%'
                    | '~' => out.push_str(&format!("#{};", c as u32)),
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
        pub(super) fn comment(text: &str) -> String {
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
        pub(super) fn is_plain(text: &str, special: &[u8]) -> bool {
            text.bytes()
                .all(|b| (0x20..0x7f).contains(&b) && !special.contains(&b))
        }

        /// Unicode line and paragraph separators: some parsers treat them as line breaks.
        pub(super) fn is_invisible_separator(c: char) -> bool {
            matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
        }

        pub(super) fn push_unicode_escape(out: &mut String, c: char) {
            let code = c as u32;
            if code <= 0xFFFF {
                out.push_str(&format!("\\u{code:04X}"));
            } else {
                out.push_str(&format!("\\U{code:08X}"));
            }
        }

        /// Turns any text into an identifier made of `[A-Za-z0-9_]`, starting with a letter or `_`, never empty.
        /// Not injective on its own: callers make names unique with a [`Namer`](super::naming::Namer).
        pub(super) fn identifier(text: &str) -> String {
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
    }

    #[test]
    fn addresses_are_written_as_display_writes_them() {
        for text in [
            "0.0.0.0/0",
            "10.0.0.0/16",
            "192.168.255.1/32",
            "1.22.133.4/8",
            "fd00::/8",
            "::1/128",
        ] {
            let net: ipnet::IpNet = text.parse().unwrap();
            let mut out = String::new();
            push_net(&mut out, &net);
            assert_eq!(out, net.to_string());
            if let ipnet::IpNet::V4(v4) = net {
                let mut out = String::new();
                push_ipv4(&mut out, v4.addr());
                assert_eq!(out, v4.addr().to_string());
            }
        }
    }

    #[test]
    fn fast_paths_write_what_the_careful_paths_wrote() {
        let pieces = [
            "",
            "a",
            "az-vnet-0001",
            "9",
            "_x",
            "é",
            "⇄",
            "雲",
            "\u{0}",
            "\0",
            "\n",
            "\r",
            "\t",
            "\u{7}",
            "\u{85}",
            "\u{2028}",
            "\u{feff}",
            "\u{9f}",
            "\u{1F600}",
            "$",
            "%",
            "{",
            "}",
            "$$",
            "%%",
            "${",
            "%{",
            "\"",
            "'",
            "\\",
            "<",
            ">",
            "&",
            "`",
            "*",
            "_",
            "[",
            "]",
            "|",
            "~",
            "-",
            "--",
            "->",
            "-.",
            "=",
            "==",
            "=>",
            "#",
            ",",
            "@",
            "+",
            ".",
            " ",
            "end",
        ];
        let mut texts: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
        for a in pieces {
            for b in pieces {
                texts.push(format!("{a}{b}"));
                texts.push(format!("{a}x{b}y"));
                for c in ["", "-", "$", "é", "\n"] {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        for text in &texts {
            let t = text.as_str();
            assert_eq!(hcl_string(t), before::hcl_string(t), "{t:?}");
            assert_eq!(yaml_string(t), before::yaml_string(t), "{t:?}");
            assert_eq!(html(t), before::html(t), "{t:?}");
            assert_eq!(markdown(t), before::markdown(t), "{t:?}");
            assert_eq!(csv_field(t), before::csv_field(t), "{t:?}");
            assert_eq!(mermaid_label(t), before::mermaid_label(t), "{t:?}");
            assert_eq!(comment(t), before::comment(t), "{t:?}");
            assert_eq!(identifier(t), before::identifier(t), "{t:?}");
        }
    }
}
