//! The templates a new plan starts from: `reference` (the design the app opens on), `static` (the same with
//! static routing) and `blank`.
//!
//! The reference follows Microsoft's "connect AWS and Azure using a BGP-enabled VPN gateway" tutorial [AZ1]
//! (facts sheet 3.7): an active-active Azure gateway, one AWS customer gateway per Azure public IP, two AWS VPN
//! connections of two tunnels each, four local network gateways and four connections, AWS taking the first host
//! of each inside /30 and Azure the second. IKE/IPsec parameters are pinned on both sides to the set of facts
//! sheet 5.1 that both clouds accept.
//!
//! Pre-shared keys are left unset: a template's keys would be the same for every user. Unset keys are supplied
//! at deployment (exports make them sensitive variables); the editor can generate random ones.

mod reference;

pub(crate) use reference::{pinned_aws_tunnel, pinned_azure_policy};

use crate::layout::auto_layout;
use crate::model::{Design, Plan};

/// The names `vpn-designer template` and the app accept.
pub const TEMPLATE_NAMES: &[&str] = &["reference", "static", "blank"];

/// Returns a template by name, laid out, or `None` for an unknown name.
pub fn template(name: &str) -> Option<Plan> {
    let design = match name {
        "reference" => reference::design(reference::Routing::Bgp),
        "static" => reference::design(reference::Routing::Static),
        "blank" => Design {
            name: "Untitled design".into(),
            ..Design::default()
        },
        _ => return None,
    };
    let layout = auto_layout(&design);
    Some(Plan::new(design, layout))
}

/// The plan the app opens on.
pub fn reference() -> Plan {
    template("reference").expect("the reference template exists")
}

#[cfg(test)]
mod tests;
