//! The palette: adds objects where the selection says (a subnet to the selected network, a policy to the
//! selected subnet). Each button names what it needs when it cannot act yet.

use crate::state::{use_editor, EditorState};
use leptos::prelude::*;
use vpn_designer_core::edit::acl::add_network_acl;
use vpn_designer_core::edit::add::*;
use vpn_designer_core::edit::place::parents;
use vpn_designer_core::edit::EditError;
use vpn_designer_core::Plan;

/// What the selection offers the palette: the network it is in (or is), and the subnet it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    pub vnet: Option<String>,
    pub vpc: Option<String>,
    pub azure_subnet: Option<String>,
    pub aws_subnet: Option<String>,
}

pub fn context_of(plan: &Plan, selected: Option<&str>) -> Context {
    let d = &plan.design;
    let mut context = Context::default();
    // With nothing selected, a plan with a single network of a cloud acts on it.
    if d.azure.vnets.len() == 1 {
        context.vnet = Some(d.azure.vnets[0].id.as_str().to_string());
    }
    if d.aws.vpcs.len() == 1 {
        context.vpc = Some(d.aws.vpcs[0].id.as_str().to_string());
    }
    let Some(id) = selected else { return context };
    // A rule set or route table serving one subnet stands for that subnet: after adding an NSG to a subnet (which
    // selects the NSG), its route table can be added next without selecting the subnet again.
    let azure_served: Vec<&str> = d
        .azure
        .vnets
        .iter()
        .flat_map(|v| &v.subnets)
        .filter(|s| {
            s.nsg.as_ref().is_some_and(|n| n.as_str() == id)
                || s.route_table.as_ref().is_some_and(|r| r.as_str() == id)
        })
        .map(|s| s.id.as_str())
        .collect();
    // One pass over the subnets (this runs on every selection and edit); a network ACL lists its own subnets.
    let aws_served: Vec<&str> = match d.aws.network_acls.iter().find(|n| n.id.as_str() == id) {
        Some(acl) => acl.subnets.iter().map(|s| s.as_str()).collect(),
        None => d
            .aws
            .vpcs
            .iter()
            .flat_map(|v| &v.subnets)
            .filter(|s| {
                s.route_table.as_ref().is_some_and(|r| r.as_str() == id)
                    || s.security_groups.iter().any(|g| g.as_str() == id)
            })
            .map(|s| s.id.as_str())
            .collect(),
    };
    let id = match (azure_served.as_slice(), aws_served.as_slice()) {
        ([one], []) | ([], [one]) => *one,
        _ => id,
    };
    let parents = parents(d);
    let network = if d.azure.vnets.iter().any(|v| v.id.as_str() == id)
        || d.aws.vpcs.iter().any(|v| v.id.as_str() == id)
    {
        Some(id.to_string())
    } else {
        parents.get(id).cloned()
    };
    if let Some(network) = network {
        if d.azure.vnets.iter().any(|v| v.id.0 == network) {
            context.vnet = Some(network);
        } else {
            context.vpc = Some(network);
        }
    }
    if d.azure
        .vnets
        .iter()
        .flat_map(|v| &v.subnets)
        .any(|s| s.id.as_str() == id && !s.is_gateway_subnet())
    {
        context.azure_subnet = Some(id.to_string());
    }
    if d.aws
        .vpcs
        .iter()
        .flat_map(|v| &v.subnets)
        .any(|s| s.id.as_str() == id)
    {
        context.aws_subnet = Some(id.to_string());
    }
    context
}

fn run(
    state: EditorState,
    label: &str,
    command: impl FnOnce(&mut Plan) -> Result<String, EditError>,
) {
    if let Some(id) = state.edit(label, command) {
        state.select(Some(id));
    }
}

#[component]
pub fn Palette() -> impl IntoView {
    let state = use_editor();
    let context = Memo::new(move |_| {
        let selected = state.selection.get();
        state.plan.with(|p| context_of(p, selected.as_deref()))
    });
    let needs = |what: &'static str| format!("Select {what} first");
    let button = move |testid: &'static str,
                       label: &'static str,
                       title: &'static str,
                       need: &'static str,
                       target: fn(&Context) -> Option<String>,
                       command: fn(&mut Plan, &str) -> Result<String, EditError>| {
        let disabled = move || context.with(|c| target(c).is_none());
        let title_text = move || {
            if disabled() {
                needs(need)
            } else {
                title.to_string()
            }
        };
        view! {
            <button
                data-testid=testid
                title=title_text
                aria-label=move || format!("{label}: {}", title_text())
                disabled=disabled
                on:click=move |_| {
                    if let Some(target) = context.with_untracked(target) {
                        run(state, &format!("Add {}", label.to_lowercase()), |p| command(p, &target));
                    }
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="palette" aria-label="Add objects" data-testid="palette">
            <h3 class="azure">"Azure"</h3>
            <button data-testid="add-vnet" title="A new VNet with the next free /16" on:click=move |_| run(state, "Add VNet", add_vnet)>"VNet"</button>
            {button("add-azure-subnet", "Subnet", "The next free /24 of the VNet", "a VNet", |c| c.vnet.clone(), add_azure_subnet)}
            {button("add-azure-gateway", "VPN gateway", "Active-active, BGP, with GatewaySubnet and two public IPs", "a VNet", |c| c.vnet.clone(), add_azure_gateway)}
            {button("add-nsg", "NSG", "A network security group on the selected subnet", "an Azure subnet", |c| c.azure_subnet.clone(), add_nsg)}
            {button("add-azure-route-table", "Route table", "A route table on the selected subnet", "an Azure subnet", |c| c.azure_subnet.clone(), add_route_table)}
            <h3 class="aws">"AWS"</h3>
            <button data-testid="add-vpc" title="A new VPC with the next free /16" on:click=move |_| run(state, "Add VPC", add_vpc)>"VPC"</button>
            {button("add-aws-subnet", "Subnet", "The next free /24 of the VPC", "a VPC", |c| c.vpc.clone(), add_aws_subnet)}
            {button("add-vgw", "Virtual private gateway", "Attached to the VPC, Amazon-side ASN 64512", "a VPC", |c| c.vpc.clone(), add_vgw)}
            {button("add-security-group", "Security group", "A security group on the selected subnet", "an AWS subnet", |c| c.aws_subnet.clone(), add_security_group)}
            {button("add-aws-route-table", "Route table", "A route table on the selected subnet", "an AWS subnet", |c| c.aws_subnet.clone(), add_route_table)}
            {button("add-network-acl", "Network ACL", "A network ACL of the selected subnet's own, allowing all traffic until you narrow it", "an AWS subnet", |c| c.aws_subnet.clone(), add_network_acl)}
            <p class="hint">"Connect: drag from a gateway's round handle to a gateway in the other cloud, or select the Azure VPN gateway and press Connect in its panel."</p>
        </nav>
    }
}
