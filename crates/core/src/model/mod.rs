//! The plan model, schema version 1: plain, serde-serialisable data with stable ids and references by id.
//!
//! A plan file is `{ "schema_version": 1, "design": {...}, "layout": {...} }`. The design is what the clouds will
//! run (networks, gateways, tunnels, rules, flows); the layout is where the canvas draws it. They are kept apart
//! so that moving a node on the canvas never changes the design, and never re-runs the review.
//!
//! Field names and enumeration values follow each cloud's own vocabulary (Azure `DHGroup14`, AWS `SHA2-256`), so
//! an engineer who knows the portal or the API reads the plan without a glossary.

pub mod aws;
pub mod azure;
pub mod common;
pub mod flow;
pub mod ids;
pub mod inline;
pub mod json;
pub mod layout;
pub mod secrets;
pub(crate) mod text;

use serde::{Deserialize, Serialize};

pub use aws::AwsSide;
pub use azure::AzureSide;
pub use common::{AddressPrefix, Asn, Endpoint, PortRange, Protocol};
pub use flow::{Flow, FlowEndpoint};
pub use ids::ObjectId;
pub use layout::{Layout, Rect};
pub use secrets::Secret;

/// The schema version this build reads and writes. Older versions are migrated on load (see `load::migrate`).
pub const SCHEMA_VERSION: u32 = 1;

/// A whole plan file: the design and its layout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub schema_version: u32,
    pub design: Design,
    #[serde(default)]
    pub layout: Layout,
}

/// The longest name a plan may have: long enough for any real name, short enough for the toolbar and the plan
/// list.
pub const MAX_PLAN_NAME: usize = 120;

/// Everything that will be deployed, and the traffic it must carry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// At most [`MAX_PLAN_NAME`] characters, no control characters (the loader refuses others).
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub azure: AzureSide,
    #[serde(default)]
    pub aws: AwsSide,
    #[serde(default)]
    pub flows: Vec<Flow>,
}

impl Design {
    /// Objects on each side (Azure, AWS) that an export writes a block or more for: networks, subnets,
    /// gateways, connections (an AWS VPN connection counts three: itself and its two tunnels), rules, routes.
    /// Writers size their buffers from it.
    pub fn object_counts(&self) -> (usize, usize) {
        let (a, w) = (&self.azure, &self.aws);
        let azure = a.vnets.iter().map(|v| 1 + v.subnets.len()).sum::<usize>()
            + a.public_ips.len()
            + a.vpn_gateways.len()
            + a.local_network_gateways.len()
            + a.connections.len()
            + a.nsgs.iter().map(|n| 1 + n.rules.len()).sum::<usize>()
            + a.route_tables
                .iter()
                .map(|r| 1 + r.routes.len())
                .sum::<usize>();
        let aws = w.vpcs.iter().map(|v| 1 + v.subnets.len()).sum::<usize>()
            + w.vpn_gateways.len()
            + w.customer_gateways.len()
            + w.vpn_connections.len() * 3
            + w.route_tables
                .iter()
                .map(|r| 1 + r.routes.len())
                .sum::<usize>()
            + w.security_groups
                .iter()
                .map(|g| 1 + g.ingress.len() + g.egress.len())
                .sum::<usize>()
            + w.network_acls
                .iter()
                .map(|n| 1 + n.ingress.len() + n.egress.len())
                .sum::<usize>();
        (azure, aws)
    }
}

impl Plan {
    pub fn new(design: Design, layout: Layout) -> Self {
        Plan {
            schema_version: SCHEMA_VERSION,
            design,
            layout,
        }
    }

    /// The plan as the canonical, pretty-printed JSON of a plan file (stable field order, trailing newline).
    pub fn to_json(&self) -> String {
        json::pretty(self)
    }
}
