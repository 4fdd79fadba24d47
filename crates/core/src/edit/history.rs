//! Undo and redo, one step per gesture.
//!
//! A step keeps only the parts of the plan the gesture changed (each top-level collection of each cloud, the
//! flows, the design's name and description, the layout), so a long history of a large plan stays small: renaming
//! a subnet keeps one copy of the VNet list, a drag keeps one copy of the layout. Undo swaps the kept parts with
//! the plan's, and the swapped-out parts become the redo step.

use crate::model::aws::AwsSide;
use crate::model::azure::AzureSide;
use crate::model::Plan;

/// The default depth: the editor promises at least 100 steps.
pub const DEFAULT_LIMIT: usize = 200;

macro_rules! parts {
    ($($variant:ident : $ty:ty => $($field:ident).+;)*) => {
        /// One part of a plan, as it was.
        #[derive(Clone, Debug, PartialEq)]
        enum Part {
            $($variant($ty),)*
        }

        /// The parts of `after` that differ from `before`, with `before`'s values.
        fn diff(before: &Plan, after: &Plan) -> Vec<Part> {
            let mut out = Vec::new();
            $(
                if before.$($field).+ != after.$($field).+ {
                    out.push(Part::$variant(before.$($field).+.clone()));
                }
            )*
            out
        }

        /// Puts `part` into the plan and returns what was there.
        fn swap(plan: &mut Plan, part: Part) -> Part {
            match part {
                $(Part::$variant(value) => {
                    Part::$variant(std::mem::replace(&mut plan.$($field).+, value))
                })*
            }
        }
    };
}

parts! {
    Name: String => design.name;
    Description: String => design.description;
    Vnets: Vec<crate::model::azure::Vnet> => design.azure.vnets;
    PublicIps: Vec<crate::model::azure::PublicIp> => design.azure.public_ips;
    AzureGateways: Vec<crate::model::azure::VpnGateway> => design.azure.vpn_gateways;
    LocalNetworkGateways: Vec<crate::model::azure::LocalNetworkGateway> => design.azure.local_network_gateways;
    Connections: Vec<crate::model::azure::Connection> => design.azure.connections;
    Nsgs: Vec<crate::model::azure::Nsg> => design.azure.nsgs;
    AzureRouteTables: Vec<crate::model::azure::RouteTable> => design.azure.route_tables;
    Vpcs: Vec<crate::model::aws::Vpc> => design.aws.vpcs;
    Vgws: Vec<crate::model::aws::VpnGateway> => design.aws.vpn_gateways;
    CustomerGateways: Vec<crate::model::aws::CustomerGateway> => design.aws.customer_gateways;
    VpnConnections: Vec<crate::model::aws::VpnConnection> => design.aws.vpn_connections;
    AwsRouteTables: Vec<crate::model::aws::RouteTable> => design.aws.route_tables;
    SecurityGroups: Vec<crate::model::aws::SecurityGroup> => design.aws.security_groups;
    NetworkAcls: Vec<crate::model::aws::NetworkAcl> => design.aws.network_acls;
    Flows: Vec<crate::model::Flow> => design.flows;
    Layout: crate::model::Layout => layout;
}

/// A guard that the list above covers every collection of each cloud: adding a field to `AzureSide` or `AwsSide`
/// breaks this destructuring until the field is listed in `parts!` too.
#[allow(dead_code)]
fn every_collection_is_a_part(azure: AzureSide, aws: AwsSide) {
    let AzureSide {
        vnets: _,
        public_ips: _,
        vpn_gateways: _,
        local_network_gateways: _,
        connections: _,
        nsgs: _,
        route_tables: _,
    } = azure;
    let AwsSide {
        vpcs: _,
        vpn_gateways: _,
        customer_gateways: _,
        vpn_connections: _,
        route_tables: _,
        security_groups: _,
        network_acls: _,
    } = aws;
}

#[derive(Clone, Debug, PartialEq)]
struct Step {
    label: String,
    parts: Vec<Part>,
}

/// The undo and redo stacks.
#[derive(Clone, Debug)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    limit: usize,
}

impl Default for History {
    fn default() -> Self {
        History::new(DEFAULT_LIMIT)
    }
}

impl History {
    pub fn new(limit: usize) -> Self {
        History {
            undo: Vec::new(),
            redo: Vec::new(),
            limit: limit.max(1),
        }
    }

    /// Records a gesture that turned `before` into `after`. Returns false (and records nothing) when the gesture
    /// changed nothing. A new step clears the redo stack, as in every editor.
    pub fn record(&mut self, label: impl Into<String>, before: &Plan, after: &Plan) -> bool {
        let parts = diff(before, after);
        if parts.is_empty() {
            return false;
        }
        self.undo.push(Step {
            label: label.into(),
            parts,
        });
        if self.undo.len() > self.limit {
            self.undo.remove(0);
        }
        self.redo.clear();
        true
    }

    /// Undoes the last step on `plan`; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self, plan: &mut Plan) -> Option<String> {
        let step = self.undo.pop()?;
        let label = step.label.clone();
        self.redo.push(apply(plan, step));
        Some(label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self, plan: &mut Plan) -> Option<String> {
        let step = self.redo.pop()?;
        let label = step.label.clone();
        self.undo.push(apply(plan, step));
        Some(label)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

/// Swaps a step's parts into the plan; returns the inverse step.
fn apply(plan: &mut Plan, step: Step) -> Step {
    let parts = step.parts.into_iter().map(|p| swap(plan, p)).collect();
    Step {
        label: step.label,
        parts,
    }
}
