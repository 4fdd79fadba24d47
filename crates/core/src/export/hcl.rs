//! A tiny HCL writer: blocks and attributes rendered the way `terraform fmt` lays them out (two-space indents,
//! `=` aligned within a run of attributes). Values are expressions the caller built with the helpers below;
//! every user string goes through [`quote`].

use super::escape::{comment, hcl_string};
use std::fmt::Write;

#[derive(Default)]
pub struct Body {
    items: Vec<Item>,
}

enum Item {
    Attr(String, String),
    Block(String, Body),
    Comment(String),
}

impl Body {
    pub fn new() -> Self {
        Body::default()
    }

    pub fn attr(&mut self, key: &str, expr: impl Into<String>) -> &mut Self {
        self.items.push(Item::Attr(key.to_string(), expr.into()));
        self
    }

    /// A nested block: `header { ... }`, where header is a block type and its labels (already quoted).
    pub fn block(&mut self, header: impl Into<String>, build: impl FnOnce(&mut Body)) -> &mut Self {
        let mut body = Body::new();
        build(&mut body);
        self.items.push(Item::Block(header.into(), body));
        self
    }

    /// A block whose body was built beforehand.
    pub fn push_block(&mut self, header: impl Into<String>, body: Body) -> &mut Self {
        self.items.push(Item::Block(header.into(), body));
        self
    }

    /// Puts `first`'s items before this body's.
    pub fn prepend(&mut self, mut first: Body) {
        first.items.append(&mut self.items);
        self.items = first.items;
    }

    pub fn comment(&mut self, text: &str) -> &mut Self {
        self.items.push(Item::Comment(comment(text)));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Renders top-level items, separating blocks by one blank line.
    pub fn render_file(&self, header_comment: &[String]) -> String {
        let mut out = String::new();
        for line in header_comment {
            let _ = writeln!(out, "# {}", comment(line));
        }
        let mut first = header_comment.is_empty();
        for item in &self.items {
            if !first {
                out.push('\n');
            }
            first = false;
            render_items(std::slice::from_ref(item), 0, &mut out);
        }
        out
    }
}

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
                        let _ = writeln!(out, "{indent}{key:width$} = {value}");
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
