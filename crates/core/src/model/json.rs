//! The one writer that turns a plan into JSON: the plan file, autosave, share links and the review pack's
//! fingerprint all go through it. Each serialiser type (serde_json's pretty and compact printers, each writer
//! type) gets its own copy of the whole model's serialisation code in the wasm bundle, so every caller shares this
//! one: a `Vec<u8>` written through [`Layout`], which prints either way.

use super::Plan;
use serde::Serialize;
use std::io::Write;

/// The plan file: serde_json's pretty printer's bytes (two-space indents), then a newline.
pub fn pretty(plan: &Plan) -> String {
    let mut out = Vec::with_capacity(size_hint(plan, 512));
    write(plan, false, &mut out);
    out.push(b'\n');
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's compact printer's bytes (share links).
pub fn compact(plan: &Plan) -> String {
    let mut out = Vec::with_capacity(size_hint(plan, 256));
    write(plan, true, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// About the length of the plan's JSON at `per_object` bytes per object (subnet, rule, route, gateway…; a
/// generated plan's objects average 210 bytes compact and 410 pretty), so an 18 MB plan file is written into one
/// buffer instead of one that doubles, and is copied, on the way.
fn size_hint(plan: &Plan, per_object: usize) -> usize {
    let (azure, aws) = plan.design.object_counts();
    let objects = azure + aws + plan.design.flows.len() + plan.layout.nodes.len();
    4096 + objects * per_object
}

fn write(plan: &Plan, compact: bool, out: &mut Vec<u8>) {
    let mut serializer = serde_json::Serializer::with_formatter(
        out,
        Layout {
            compact,
            ..Layout::default()
        },
    );
    // Serialising plain structs of strings, numbers and vectors into memory cannot fail.
    let _ = plan.serialize(&mut serializer);
}

/// serde_json's `PrettyFormatter` with two-space indents, byte for byte, except that an indentation is one write
/// instead of one per level (a plan file has 600,000 lines, each indented six to ten levels deep); or, when
/// `compact`, its `CompactFormatter`, byte for byte.
#[derive(Default)]
struct Layout {
    depth: usize,
    has_value: bool,
    compact: bool,
}

/// A line break, then room for 64 levels of indentation; and the same after a comma.
const BREAK: &[u8; 129] = b"\n                                                                                                                                ";
const COMMA_BREAK: &[u8; 130] = b",\n                                                                                                                                ";

impl Layout {
    fn newline_indent<W: ?Sized + Write>(&self, out: &mut W, comma: bool) -> std::io::Result<()> {
        if self.compact {
            return if comma { out.write_all(b",") } else { Ok(()) };
        }
        let prefix: &[u8] = if comma { COMMA_BREAK } else { BREAK };
        let start = prefix.len() - 128;
        let width = 2 * self.depth;
        if width <= 128 {
            // One piece: the line break and the spaces together.
            return out.write_all(&prefix[..start + width]);
        }
        out.write_all(&prefix[..start])?;
        let mut left = width;
        while left > 0 {
            let n = left.min(128);
            out.write_all(&BREAK[1..1 + n])?;
            left -= n;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Layout {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline_indent(out, false)?;
        }
        out.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline_indent(out, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline_indent(out, false)?;
        }
        out.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline_indent(out, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(if self.compact { b":" } else { b": " })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_layouts_are_serde_json_s_own_bytes() {
        let mut plans = vec![
            crate::templates::reference(),
            crate::templates::template("static").unwrap(),
            crate::templates::template("blank").unwrap(),
            crate::review::generate::plan(8, 2),
        ];
        let mut empty = crate::templates::reference();
        empty.design.azure.vnets.clear();
        empty.design.flows.clear();
        empty.layout.nodes.clear();
        plans.push(empty);
        for plan in &plans {
            let mut expected = serde_json::to_string_pretty(plan).unwrap();
            expected.push('\n');
            assert_eq!(pretty(plan), expected);
            assert_eq!(compact(plan), serde_json::to_string(plan).unwrap());
        }
    }
}
