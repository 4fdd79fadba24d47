//! The plan file: export as the canonical JSON of a plan file, import through the loader (which checks it), and
//! secrets left out unless the user asks.

use crate::model::secrets::redact;
use crate::model::Plan;
use crate::{load_plan, LoadError};

/// The plan as a plan file. Without `include_secrets` every pre-shared key is removed (written as `null`).
pub fn export_plan(plan: &Plan, include_secrets: bool) -> String {
    if include_secrets {
        plan.to_json()
    } else {
        let mut redacted = plan.clone();
        redact(&mut redacted.design);
        redacted.to_json()
    }
}

/// Reads a plan file back, with every structural check of the loader.
pub fn import_plan(text: &str) -> Result<Plan, LoadError> {
    load_plan(text)
}
