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
        without_secrets(plan).to_json()
    }
}

/// The plan with every pre-shared key removed: the plan itself when it has none (a 1,000-network plan is not
/// worth a copy).
pub(crate) fn without_secrets(plan: &Plan) -> std::borrow::Cow<'_, Plan> {
    if has_secrets(plan) {
        let mut redacted = plan.clone();
        redact(&mut redacted.design);
        std::borrow::Cow::Owned(redacted)
    } else {
        std::borrow::Cow::Borrowed(plan)
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
