//! The exporters (Terraform, CloudFormation, Mermaid, the IKE/IPsec sheet, the review pack) as their own wasm
//! module. They are a tenth of the app's first download and only the export panel needs them, so the app fetches
//! this module the first time the panel opens (or its button is pointed at) instead of on every page load
//! (docs/benchmarks.md, session 12).
//!
//! The app hands over the plan as its plan-file JSON, keys included only when the user ticked the box: the two
//! modules share no memory, and the plan file is the one format both already read and write.

use vpn_designer_core::export::{export, Format, Options};
use vpn_designer_core::Plan;
use wasm_bindgen::prelude::*;

/// Seeds the id indexes' hashes (crates/core/src/hash.rs) from the page's cryptographic random source, once, before
/// the first export: plans can come from share links, whose authors must not know the seed. The app's loader
/// calls it (src/exporter.rs).
#[wasm_bindgen]
pub fn seed(low: u32, high: u32) {
    vpn_designer_core::hash::seed_hashes(u64::from(high) << 32 | u64::from(low));
}

/// Runs one export of the plan given as plan-file JSON. Returns the files as `[name, contents, name, contents…]`,
/// or an error message.
#[wasm_bindgen]
pub fn export_files(
    plan: &str,
    format: &str,
    include_secrets: bool,
) -> Result<js_sys::Array, JsError> {
    let files = files(plan, format, include_secrets).map_err(|message| JsError::new(&message))?;
    let out = js_sys::Array::new();
    for (name, contents) in files {
        out.push(&JsValue::from_str(&name));
        out.push(&JsValue::from_str(&contents));
    }
    Ok(out)
}

/// The export itself, apart from the JavaScript types, so native tests run it.
fn files(plan: &str, format: &str, include_secrets: bool) -> Result<Vec<(String, String)>, String> {
    let format =
        Format::from_name(format).ok_or_else(|| format!("no export format named {format:?}"))?;
    // The typed read only: the app wrote this text from a plan it holds, so the loader's path-by-path diagnosis
    // (and its code) is not needed here.
    let plan: Plan = serde_json::from_str(plan)
        .map_err(|e| format!("the exporter could not read the plan: {e}"))?;
    let files = export(&plan, format, &Options { include_secrets });
    Ok(files.into_iter().map(|f| (f.name, f.contents)).collect())
}

fn main() {}

#[cfg(test)]
mod tests {
    use super::*;
    use vpn_designer_core::model::Secret;
    use vpn_designer_core::templates;

    #[test]
    fn every_format_matches_the_core_export_of_the_same_plan() {
        // Keys that disagree between the two ends (TUN-006) and one reused (TUN-007): the review pack and the
        // sheet must say so whether or not the keys are written out, as the command line's exports do.
        let mut plan = templates::reference();
        plan.design.azure.connections[0].shared_key =
            Some(Secret::new("Azure-side-key-0123456789"));
        plan.design.azure.connections[1].shared_key =
            Some(Secret::new("Azure-side-key-0123456789"));
        plan.design.aws.vpn_connections[0].tunnels[0].pre_shared_key =
            Some(Secret::new("Aws_side_key_0123456789"));
        let review = export(
            &plan,
            Format::ReviewMarkdown,
            &Options {
                include_secrets: false,
            },
        );
        assert!(
            review[0].contents.contains("TUN-006"),
            "the fixture has disagreeing keys"
        );
        for include_secrets in [false, true] {
            // What the app sends: the whole plan, keys included.
            let text = plan.to_json();
            for &format in Format::ALL {
                let expected: Vec<(String, String)> =
                    export(&plan, format, &Options { include_secrets })
                        .into_iter()
                        .map(|f| (f.name, f.contents))
                        .collect();
                assert_eq!(
                    files(&text, format.name(), include_secrets).unwrap(),
                    expected,
                    "{}",
                    format.name()
                );
            }
        }
    }

    #[test]
    fn the_keys_reach_the_output_only_when_asked() {
        // The templates carry no keys (the app generates them when it connects two gateways): give one.
        let key = "Example-only-key-0123456789";
        let mut plan = templates::reference();
        plan.design.azure.connections[0].shared_key =
            Some(vpn_designer_core::model::Secret::new(key));
        let text = plan.to_json();
        let terraform = |secrets| {
            files(&text, "terraform", secrets)
                .unwrap()
                .into_iter()
                .map(|(_, contents)| contents)
                .collect::<String>()
        };
        assert!(terraform(true).contains(key));
        assert!(!terraform(false).contains(key));
    }

    #[test]
    fn a_bad_format_or_plan_is_an_error_not_a_panic() {
        let text = templates::reference().to_json();
        assert!(files(&text, "visio", false).unwrap_err().contains("visio"));
        assert!(files("{\"schema_version\":", "terraform", false)
            .unwrap_err()
            .contains("could not read the plan"));
    }
}
