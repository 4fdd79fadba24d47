//! A tiny HCL writer: blocks and attributes rendered the way `terraform fmt` lays them out (two-space indents,
//! `=` aligned within a run of attributes). Values are expressions the caller built with the helpers below;
//! every user string goes through [`quote`].

use super::escape::{comment_into, hcl_string, hcl_string_into, push_net};
use ipnet::IpNet;
use std::borrow::Cow;
use std::fmt::Write;

/// A body of attributes, nested blocks and comments. Everything is kept flat: one list of entries (a nested
/// block is an `Open`, its entries, a `Close`) whose text lives in one buffer, so an attribute costs no
/// allocation of its own.
#[derive(Default)]
pub struct Body {
    entries: Vec<Entry>,
    /// The text of every entry: attribute values, block headers, comments.
    text: String,
    /// A file's top level: each block is rendered as soon as it is pushed, so a 1,000-network plan never holds
    /// its whole tree in memory.
    rendered: Option<String>,
    /// Bytes of `rendered` that are the file's header comment, written first ([`Body::file_headed`]).
    headed: usize,
    /// A file's scratch body for the blocks built in place, reused from block to block.
    scratch: Option<Box<Body>>,
    /// Where a block header is put together, reused.
    header: String,
}

/// An expression an attribute takes: text, or something that writes itself (a reference) without a string
/// of its own.
pub trait Expr {
    fn write_expr(&self, out: &mut String);
}

impl<T: AsRef<str>> Expr for T {
    fn write_expr(&self, out: &mut String) {
        out.push_str(self.as_ref());
    }
}

thread_local! {
    static SPARE: std::cell::RefCell<Vec<Body>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[derive(Clone)]
enum Entry {
    Attr(Cow<'static, str>, usize, usize),
    Open(usize, usize),
    Close,
    Comment(usize, usize),
}

impl Body {
    /// An empty body, reusing one a file has rendered when there is one (a 1,000-network plan has 100,000
    /// resources: their buffers are allocated once, not once each).
    pub fn new() -> Self {
        SPARE
            .with(|spare| spare.borrow_mut().pop())
            .unwrap_or_else(|| Body {
                entries: Vec::with_capacity(16),
                text: String::with_capacity(256),
                rendered: None,
                headed: 0,
                scratch: None,
                header: String::new(),
            })
    }

    /// Gives a rendered nested body's buffers back for [`Body::new`].
    fn recycle(mut self) {
        if self.rendered.is_none() && self.text.capacity() <= 1 << 16 {
            self.clear();
            SPARE.with(|spare| {
                let mut spare = spare.borrow_mut();
                if spare.len() < 8 {
                    spare.push(self);
                }
            });
        }
    }

    /// The top level of a file: blocks and comments are rendered as they come, separated by blank lines.
    pub fn file() -> Self {
        Body {
            rendered: Some(String::new()),
            ..Body::default()
        }
    }

    /// [`Body::file`] with its header comment written first (what [`Body::render_file`] would put in front) and
    /// room for about `capacity` bytes. A 14 MB `azure.tf` is then written once: no header moved in front of
    /// it, and no growing buffer copied along the way.
    pub fn file_headed(header_comment: &[&str], capacity: usize) -> Self {
        let mut text = String::with_capacity(capacity);
        for line in header_comment {
            text.push_str("# ");
            comment_into(&mut text, line);
            text.push('\n');
        }
        if !header_comment.is_empty() {
            // The blank line before the blocks (taken back if none come).
            text.push('\n');
        }
        Body {
            headed: text.len(),
            rendered: Some(text),
            ..Body::default()
        }
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.text.clear();
    }

    /// An attribute whose value the caller writes at the end of the buffer it is given.
    pub fn attr_with(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        write: impl FnOnce(&mut String),
    ) -> &mut Self {
        let start = self.text.len();
        write(&mut self.text);
        let end = self.text.len();
        self.push(Entry::Attr(key.into(), start, end));
        self
    }

    pub fn attr(&mut self, key: impl Into<Cow<'static, str>>, expr: impl Expr) -> &mut Self {
        self.attr_with(key, |out| expr.write_expr(out))
    }

    /// `key = "text"`, quoted and escaped.
    pub fn attr_quoted(&mut self, key: impl Into<Cow<'static, str>>, text: &str) -> &mut Self {
        self.attr_with(key, |out| hcl_string_into(out, text))
    }

    /// `key = 123`: a whole number, written without the formatter.
    pub fn attr_int(&mut self, key: impl Into<Cow<'static, str>>, value: u64) -> &mut Self {
        self.attr_with(key, |out| push_u64(out, value))
    }

    /// `key = true` or `key = false`.
    pub fn attr_bool(&mut self, key: impl Into<Cow<'static, str>>, value: bool) -> &mut Self {
        self.attr(key, if value { "true" } else { "false" })
    }

    /// `key = "value"`: the value's `Display` (an address, a prefix), quoted and escaped.
    pub fn attr_quoted_display(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl std::fmt::Display,
    ) -> &mut Self {
        self.attr_with(key, |out| quote_display_into(out, value))
    }

    /// `key = "10.0.0.0/16"`: a prefix, quoted (its text never needs escapes).
    pub fn attr_quoted_net(&mut self, key: impl Into<Cow<'static, str>>, net: &IpNet) -> &mut Self {
        self.attr_with(key, |out| {
            out.push('"');
            push_net(out, net);
            out.push('"');
        })
    }

    fn push(&mut self, entry: Entry) {
        if self.rendered.is_some() {
            let mut one = Body::new();
            one.text = std::mem::take(&mut self.text);
            one.entries.push(entry);
            self.render_top(&one);
            self.text = one.text;
            self.text.clear();
        } else {
            self.entries.push(entry);
        }
    }

    /// Renders a top-level body's entries into the file's text, after a blank line when the file has some.
    fn render_top(&mut self, body: &Body) {
        let headed = self.headed;
        let out = self.rendered.as_mut().expect("a file body");
        if out.len() > headed {
            out.push('\n');
        }
        render(&body.entries, &body.text, 0, out);
    }

    fn open(&mut self, header: &str) {
        let start = self.text.len();
        self.text.push_str(header);
        let end = self.text.len();
        self.entries.push(Entry::Open(start, end));
    }

    /// A nested block: `header { ... }`, where header is a block type and its labels (already quoted).
    pub fn block(&mut self, header: impl AsRef<str>, build: impl FnOnce(&mut Body)) -> &mut Self {
        if self.rendered.is_some() {
            let mut scratch = self.scratch.take().unwrap_or_default();
            scratch.clear();
            scratch.open(header.as_ref());
            build(&mut scratch);
            scratch.entries.push(Entry::Close);
            self.render_top(&scratch);
            self.scratch = Some(scratch);
        } else {
            self.open(header.as_ref());
            build(self);
            self.entries.push(Entry::Close);
        }
        self
    }

    /// `resource "kind" "name" { ... }` built in place: [`Body::block`] with the header put together in a
    /// buffer kept from block to block (a 1,000-network plan has 100,000 resources; a header string each was
    /// an allocation each).
    pub fn resource(&mut self, kind: &str, name: &str, build: impl FnOnce(&mut Body)) -> &mut Self {
        self.with_resource_header(kind, name, |this, header| {
            this.block(header, build);
        })
    }

    /// `resource "kind" "name" { ... }` with a body built beforehand.
    pub fn push_resource(&mut self, kind: &str, name: &str, body: Body) -> &mut Self {
        self.with_resource_header(kind, name, |this, header| {
            this.push_block(header, body);
        })
    }

    /// Writes `resource "kind" "name"` into the reused header buffer and hands it to `then`.
    fn with_resource_header(
        &mut self,
        kind: &str,
        name: &str,
        then: impl FnOnce(&mut Self, &str),
    ) -> &mut Self {
        let mut header = std::mem::take(&mut self.header);
        header.clear();
        header.push_str("resource \"");
        header.push_str(kind);
        header.push_str("\" \"");
        header.push_str(name);
        header.push('"');
        then(self, &header);
        self.header = header;
        self
    }

    /// A block whose body was built beforehand.
    pub fn push_block(&mut self, header: impl AsRef<str>, body: Body) -> &mut Self {
        let headed = self.headed;
        match &mut self.rendered {
            // At a file's top level, rendered from the body as it is.
            Some(out) => {
                if out.len() > headed {
                    out.push('\n');
                }
                out.push_str(header.as_ref());
                if body.entries.is_empty() {
                    out.push_str(" {}\n");
                } else {
                    out.push_str(" {\n");
                    render(&body.entries, &body.text, 1, out);
                    out.push_str("}\n");
                }
                body.recycle();
                self
            }
            None => {
                self.block(header, |b| b.append(&body));
                body.recycle();
                self
            }
        }
    }

    /// Appends another (nested) body's entries to this one.
    fn append(&mut self, body: &Body) {
        let offset = self.text.len();
        self.text.push_str(&body.text);
        self.entries
            .extend(body.entries.iter().map(|entry| match entry {
                Entry::Attr(key, start, end) => {
                    Entry::Attr(key.clone(), start + offset, end + offset)
                }
                Entry::Open(start, end) => Entry::Open(start + offset, end + offset),
                Entry::Close => Entry::Close,
                Entry::Comment(start, end) => Entry::Comment(start + offset, end + offset),
            }));
    }

    /// Puts a file-level body's blocks before this file-level body's (after its header comment, if written).
    pub fn prepend(&mut self, first: Body) {
        let headed = self.headed;
        if let (Some(before), Some(after)) = (first.rendered, &mut self.rendered) {
            let mut text = String::with_capacity(after.len() + before.len() + 1);
            text.push_str(&after[..headed]);
            text.push_str(&before);
            if after.len() > headed {
                text.push('\n');
            }
            text.push_str(&after[headed..]);
            *after = text;
        }
    }

    pub fn comment(&mut self, text: &str) -> &mut Self {
        let start = self.text.len();
        comment_into(&mut self.text, text);
        let end = self.text.len();
        self.push(Entry::Comment(start, end));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
            && self
                .rendered
                .as_ref()
                .is_none_or(|r| r.len() <= self.headed)
    }

    /// The file: the header comment lines, a blank line, then the top-level blocks.
    pub fn render_file(self, header_comment: &[String]) -> String {
        if self.headed > 0 {
            // Written with its header from the start; without blocks, no blank line after the comment.
            let mut text = self.rendered.unwrap_or_default();
            if text.len() == self.headed {
                text.pop();
            }
            debug_assert!(header_comment.is_empty(), "a headed file has its header");
            return text;
        }
        let body = match self.rendered {
            Some(text) => text,
            None => {
                // Not a file body: its items at the top level, each after a blank line.
                let mut text = String::new();
                let mut i = 0;
                while i < self.entries.len() {
                    let end = match self.entries[i] {
                        Entry::Open(..) => {
                            let mut depth = 0;
                            let mut j = i;
                            loop {
                                match self.entries[j] {
                                    Entry::Open(..) => depth += 1,
                                    Entry::Close => depth -= 1,
                                    _ => {}
                                }
                                j += 1;
                                if depth == 0 {
                                    break j;
                                }
                            }
                        }
                        _ => i + 1,
                    };
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    render(&self.entries[i..end], &self.text, 0, &mut text);
                    i = end;
                }
                text
            }
        };
        let mut header = String::new();
        for line in header_comment {
            header.push_str("# ");
            comment_into(&mut header, line);
            header.push('\n');
        }
        if !header_comment.is_empty() && !body.is_empty() {
            header.push('\n');
        }
        // The header goes in front of the body in its own buffer: copying a 10 MB body into a new string
        // touched 10 MB of fresh pages.
        let mut out = body;
        if !header.is_empty() {
            out.insert_str(0, &header);
        }
        out
    }
}

const PADDING: &str =
    "                                                                                ";

/// PADDING, then ` = `: the end of it is an attribute's padding and its equals sign in one piece.
const PADDING_EQUALS: &str = concat!(
    "                                                                                ",
    " = "
);

fn indent(depth: usize) -> &'static str {
    &PADDING[..(2 * depth).min(PADDING.len())]
}

/// Writes entries the way `terraform fmt` lays them out: `=` aligned within each run of attributes.
fn render(entries: &[Entry], text: &str, mut depth: usize, out: &mut String) {
    let mut i = 0;
    while i < entries.len() {
        match &entries[i] {
            Entry::Attr(..) => {
                let run_end = entries[i..]
                    .iter()
                    .position(|entry| !matches!(entry, Entry::Attr(..)))
                    .map_or(entries.len(), |p| i + p);
                let width = entries[i..run_end]
                    .iter()
                    .map(|entry| match entry {
                        Entry::Attr(key, ..) => key.len(),
                        _ => 0,
                    })
                    .max()
                    .unwrap_or(0);
                for entry in &entries[i..run_end] {
                    if let Entry::Attr(key, start, end) = entry {
                        out.push_str(indent(depth));
                        out.push_str(key);
                        let pad = width.saturating_sub(key.len()).min(PADDING.len());
                        out.push_str(&PADDING_EQUALS[PADDING.len() - pad..]);
                        out.push_str(&text[*start..*end]);
                        out.push('\n');
                    }
                }
                i = run_end;
                continue;
            }
            Entry::Open(start, end) => {
                out.push_str(indent(depth));
                out.push_str(&text[*start..*end]);
                if matches!(entries.get(i + 1), Some(Entry::Close)) {
                    out.push_str(" {}\n");
                    i += 2;
                    continue;
                }
                out.push_str(" {\n");
                depth += 1;
            }
            Entry::Close => {
                depth -= 1;
                out.push_str(indent(depth));
                out.push_str("}\n");
            }
            Entry::Comment(start, end) => {
                out.push_str(indent(depth));
                out.push_str("# ");
                out.push_str(&text[*start..*end]);
                out.push('\n');
            }
        }
        i += 1;
    }
}

/// A whole number's digits, as `Display` writes them.
pub fn push_u64(out: &mut String, value: u64) {
    out.push_str(crate::model::text::decimal(value, &mut [0; 20]));
}

/// A value's `Display`, quoted and escaped, at the end of `out`.
pub fn quote_display_into(out: &mut String, value: impl std::fmt::Display) {
    let start = out.len();
    let _ = write!(out, "{value}");
    if !out[start..]
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'\\' | b'"' | b'$' | b'%'))
    {
        let shown = out.split_off(start);
        hcl_string_into(out, &shown);
    } else {
        out.insert(start, '"');
        out.push('"');
    }
}

/// A quoted, escaped string literal.
pub fn quote(text: &str) -> String {
    hcl_string(text)
}

/// A list of quoted strings.
pub fn quote_list<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        hcl_string_into(&mut out, item.as_ref());
    }
    out.push(']');
    out
}

/// A list of quoted values, each by its `Display`.
pub fn quote_display_list<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: std::fmt::Display,
{
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        quote_display_into(&mut out, item);
    }
    out.push(']');
    out
}

/// A list of quoted prefixes.
pub fn quote_net_list<'a>(items: impl IntoIterator<Item = &'a IpNet>) -> String {
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('"');
        push_net(&mut out, item);
        out.push('"');
    }
    out.push(']');
    out
}

/// A list of expressions.
pub fn list<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item.as_ref());
    }
    out.push(']');
    out
}

/// `{ Name = "..." }`: the tags map every AWS resource gets, so the console shows the plan's name.
pub fn name_tag(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 13);
    out.push_str("{ Name = ");
    hcl_string_into(&mut out, name);
    out.push_str(" }");
    out
}
