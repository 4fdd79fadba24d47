//! Declared flows: the traffic a design must carry, traced by the review in both directions.

use super::common::{PortRange, Protocol};
use super::ids::{FlowId, SubnetId};
use super::inline::InlineStr;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub id: FlowId,
    pub name: InlineStr,
    pub source: FlowEndpoint,
    pub destination: FlowEndpoint,
    pub protocol: Protocol,
    /// Destination ports; empty for protocols without ports.
    #[serde(default)]
    pub ports: Vec<PortRange>,
}

/// A flow's end: a subnet of the plan, or any CIDR.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FlowEndpoint {
    Subnet(SubnetId),
    #[serde(serialize_with = "super::text::one")]
    Cidr(IpNet),
}
