//! The plan file: export as the canonical JSON of a plan file, import through the loader (which checks it), and
//! secrets left out unless the user asks.

use crate::model::secrets::redact;
use crate::model::Plan;
use crate::{load_plan, LoadError};

/// The plan as a plan file. Without `include_secrets` every pre-shared key is removed (written as `null`).
pub fn export_plan(plan: &Plan, include_secrets: bool) -> String {
    if include_secrets || !has_secrets(plan) {
        // Nothing to remove: serialise the plan as it is (a 1,000-network plan is not worth a copy).
        plan.to_json()
    } else {
        let mut redacted = plan.clone();
        redact(&mut redacted.design);
        redacted.to_json()
    }
}

/// Writes the bytes [`export_plan`] returns to `out`, without holding them (the plan's fingerprint hashes them
/// as they come).
pub fn write_plan(plan: &Plan, include_secrets: bool, out: &mut impl std::io::Write) {
    // Serialising plain structs of strings, numbers and vectors into a writer that cannot fail cannot fail.
    if include_secrets || !has_secrets(plan) {
        let _ = write_json(plan, out);
    } else {
        let mut redacted = plan.clone();
        redact(&mut redacted.design);
        let _ = write_json(&redacted, out);
    }
}

/// What `Plan::to_json` returns, written to `out`: the same pretty printer, then the trailing newline.
fn write_json(plan: &Plan, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, plan)?;
    out.write_all(b"\n")
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
