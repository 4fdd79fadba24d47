//! The plan file: export as the canonical JSON of a plan file, import through the loader (which checks it), and
//! secrets left out unless the user asks.

use crate::model::secrets::redact;
use crate::model::Plan;
use crate::{load_plan, LoadError};
use serde::Serialize;
use std::io::Write;

/// The plan as a plan file. Without `include_secrets` every pre-shared key is removed (written as `null`).
pub fn export_plan(plan: &Plan, include_secrets: bool) -> String {
    let mut out = Vec::with_capacity(1 << 16);
    write_plan(plan, include_secrets, &mut out);
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the bytes [`export_plan`] returns to `out`, without holding them (the plan's fingerprint hashes them
/// as they come).
pub fn write_plan(plan: &Plan, include_secrets: bool, out: &mut impl std::io::Write) {
    // Serialising plain structs of strings, numbers and vectors into a writer that cannot fail cannot fail.
    if include_secrets || !has_secrets(plan) {
        // Nothing to remove: serialise the plan as it is (a 1,000-network plan is not worth a copy).
        let _ = write_json(plan, out);
    } else {
        let mut redacted = plan.clone();
        redact(&mut redacted.design);
        let _ = write_json(&redacted, out);
    }
}

/// What `Plan::to_json` returns (serde_json's pretty printer, two-space indents, then a newline), written to
/// `out` by [`Pretty`].
fn write_json(plan: &Plan, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, Pretty::default());
    plan.serialize(&mut serializer)?;
    out.write_all(b"\n")
}

/// serde_json's `PrettyFormatter` with two-space indents, byte for byte, except that an indentation is one write
/// instead of one per level (a plan file has 600,000 lines, each indented six to ten levels deep).
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// A line break, then room for 64 levels of indentation; and the same after a comma.
const BREAK: &[u8; 129] = b"\n                                                                                                                                ";
const COMMA_BREAK: &[u8; 130] = b",\n                                                                                                                                ";

impl Pretty {
    fn newline_indent<W: ?Sized + Write>(&self, out: &mut W, comma: bool) -> std::io::Result<()> {
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

impl serde_json::ser::Formatter for Pretty {
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
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

fn has_secrets(plan: &Plan) -> bool {
    plan.design
        .azure
        .connections
        .iter()
        .any(|c| c.shared_key.is_some())
        || plan
            .design
            .aws
            .vpn_connections
            .iter()
            .any(|c| c.tunnels.iter().any(|t| t.pre_shared_key.is_some()))
}

/// Reads a plan file back, with every structural check of the loader.
pub fn import_plan(text: &str) -> Result<Plan, LoadError> {
    load_plan(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_file_is_what_to_json_writes() {
        let mut plans = vec![
            crate::templates::reference(),
            crate::templates::template("static").unwrap(),
            crate::review::generate::plan(8, 2),
        ];
        let mut empty = crate::templates::reference();
        empty.design.azure.vnets.clear();
        empty.design.flows.clear();
        plans.push(empty);
        for plan in &plans {
            assert_eq!(export_plan(plan, true), plan.to_json());
        }
    }
}
