//! A tiny HCL writer: blocks and attributes rendered the way `terraform fmt` lays them out (two-space indents,
//! `=` aligned within a run of attributes). Values are expressions the caller built with the helpers below;
//! every user string goes through [`quote`].

use super::escape::{comment, hcl_string};
use std::borrow::Cow;
use std::fmt::Write;

#[derive(Default)]
pub struct Body {
    items: Vec<Item>,
    /// A file's top level: each block is rendered as soon as it is pushed, so a 1,000-network plan never holds
    /// its whole tree in memory.
    rendered: Option<String>,
}

enum Item {
    Attr(Cow<'static, str>, String),
    Block(String, Body),
    Comment(String),
}

impl Body {
    pub fn new() -> Self {
        Body {
            items: Vec::with_capacity(16),
            rendered: None,
        }
    }

    /// The top level of a file: blocks and comments are rendered as they come, separated by blank lines.
    pub fn file() -> Self {
        Body {
            items: Vec::new(),
            rendered: Some(String::new()),
        }
    }

    pub fn attr(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        expr: impl Into<String>,
    ) -> &mut Self {
        self.push(Item::Attr(key.into(), expr.into()));
        self
    }

    fn push(&mut self, item: Item) {
        match &mut self.rendered {
            Some(out) => {
                if !out.is_empty() {
                    out.push('\n');
                }
                render_items(std::slice::from_ref(&item), 0, out);
            }
            None => self.items.push(item),
        }
    }

    /// A nested block: `header { ... }`, where header is a block type and its labels (already quoted).
    pub fn block(&mut self, header: impl Into<String>, build: impl FnOnce(&mut Body)) -> &mut Self {
        let mut body = Body::new();
        build(&mut body);
        self.push(Item::Block(header.into(), body));
        self
    }

    /// A block whose body was built beforehand.
    pub fn push_block(&mut self, header: impl Into<String>, body: Body) -> &mut Self {
        self.push(Item::Block(header.into(), body));
        self
    }

    /// Puts a file-level body's blocks before this file-level body's.
    pub fn prepend(&mut self, first: Body) {
        if let (Some(before), Some(after)) = (first.rendered, &mut self.rendered) {
            let mut text = before;
            if !after.is_empty() {
                text.push('\n');
            }
            text.push_str(after);
            *after = text;
        }
    }

    pub fn comment(&mut self, text: &str) -> &mut Self {
        self.push(Item::Comment(comment(text)));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.rendered.as_ref().is_none_or(|r| r.is_empty())
    }

    /// The file: the header comment lines, a blank line, then the top-level blocks.
    pub fn render_file(self, header_comment: &[String]) -> String {
        let mut out = String::new();
        for line in header_comment {
            let _ = writeln!(out, "# {}", comment(line));
        }
        let body = match self.rendered {
            Some(text) => text,
            None => {
                let mut text = String::new();
                for item in &self.items {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    render_items(std::slice::from_ref(item), 0, &mut text);
                }
                text
            }
        };
        if !header_comment.is_empty() && !body.is_empty() {
            out.push('\n');
        }
        out.push_str(&body);
        out
    }
}

const PADDING: &str =
    "                                                                                ";

fn render_items(items: &[Item], depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Item::Attr(..) => {
                let run_end = items[i..]
                    .iter()
                    .position(|item| !matches!(item, Item::Attr(..)))
                    .map_or(items.len(), |p| i + p);
                let width = items[i..run_end]
                    .iter()
                    .map(|item| match item {
                        Item::Attr(key, _) => key.len(),
                        _ => 0,
                    })
                    .max()
                    .unwrap_or(0);
                for item in &items[i..run_end] {
                    if let Item::Attr(key, value) = item {
                        out.push_str(&indent);
                        out.push_str(key);
                        out.push_str(
                            &PADDING[..width.saturating_sub(key.len()).min(PADDING.len())],
                        );
                        out.push_str(" = ");
                        out.push_str(value);
                        out.push('\n');
                    }
                }
                i = run_end;
                continue;
            }
            Item::Block(header, body) if body.items.is_empty() => {
                let _ = writeln!(out, "{indent}{header} {{}}");
            }
            Item::Block(header, body) => {
                let _ = writeln!(out, "{indent}{header} {{");
                render_items(&body.items, depth + 1, out);
                let _ = writeln!(out, "{indent}}}");
            }
            Item::Comment(text) => {
                let _ = writeln!(out, "{indent}# {text}");
            }
        }
        i += 1;
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
    list(items.into_iter().map(|s| quote(s.as_ref())))
}

/// A list of expressions.
pub fn list<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let parts: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    format!("[{}]", parts.join(", "))
}

/// `{ Name = "..." }`: the tags map every AWS resource gets, so the console shows the plan's name.
pub fn name_tag(name: &str) -> String {
    format!("{{ Name = {} }}", quote(name))
}
