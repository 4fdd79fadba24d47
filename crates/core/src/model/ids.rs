//! Typed ids. Every object in a design has an id unique across the whole plan; references name ids, so renaming
//! an object never breaks a link, and a wrong-kind reference is a type error in Rust and a load error in JSON.

use super::inline::InlineStr;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The untyped view of any id, used where objects of every kind are handled alike (selection, the canvas).
pub type ObjectId = String;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub InlineStr);

        impl $name {
            pub fn new(id: impl Into<InlineStr>) -> Self {
                Self(id.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(InlineStr::new(id))
            }
        }
    )*};
}

typed_id!(
    /// An Azure virtual network.
    VnetId,
    /// A subnet of either cloud (Azure VNet subnet or AWS VPC subnet).
    SubnetId,
    /// An Azure public IP address resource.
    PublicIpId,
    /// An Azure virtual network gateway of type VPN.
    VpnGatewayId,
    /// An Azure local network gateway (the peer device as Azure sees it).
    LocalNetworkGatewayId,
    /// An Azure virtual network gateway connection (type IPsec).
    ConnectionId,
    /// An Azure network security group.
    NsgId,
    /// A route table of either cloud.
    RouteTableId,
    /// An AWS VPC.
    VpcId,
    /// An AWS virtual private gateway.
    VgwId,
    /// An AWS customer gateway (the peer device as AWS sees it).
    CustomerGatewayId,
    /// An AWS Site-to-Site VPN connection (always two tunnels).
    VpnConnectionId,
    /// An AWS security group.
    SecurityGroupId,
    /// An AWS network ACL.
    NetworkAclId,
    /// A rule of an NSG or a security group.
    RuleId,
    /// A declared flow.
    FlowId,
);
