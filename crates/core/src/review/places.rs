//! NAME-002 (beyond the catalogue): where things go. A region not written as the cloud names its regions (a typo
//! such as `us-east-l`), and an AWS subnet whose availability zone is not in its VPC's region (a region changed
//! under zones of the old one), reviewed clean and exported plans no cloud deploys (QA s18).
//!
//! The editor refuses both at the field ([`field_problem`]), and moves a VPC's zones with its region
//! (`edit::fields`). A plan file, a share link or a plan saved by an earlier version may still hold them: the
//! review reports them rather than the loader refusing the plan, so no plan is locked out.

use super::context::Context;
use super::{Change, Finding, Severity};
use crate::model::Plan;

/// NAME-002 over every VNet, VPC and AWS subnet: one pass.
pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for vnet in &context.design.azure.vnets {
        if let Some(problem) = azure_region_problem(&vnet.region) {
            findings.push(
                Finding::new(
                    "NAME-002",
                    Severity::Error,
                    format!(
                        "Azure VNet {} is in region {problem}.",
                        context.label(vnet.id.as_str())
                    ),
                )
                .subject(vnet.id.as_str()),
            );
        }
    }
    for vpc in &context.design.aws.vpcs {
        let vid = vpc.id.as_str();
        if let Some(problem) = aws_region_problem(&vpc.region) {
            findings.push(
                Finding::new(
                    "NAME-002",
                    Severity::Error,
                    format!("AWS VPC {} is in region {problem}.", context.label(vid)),
                )
                .subject(vid),
            );
            // Its zones are measured against a region that is not one: reported once, on the VPC.
            continue;
        }
        for (j, subnet) in vpc.subnets.iter().enumerate() {
            let zone = subnet.availability_zone.as_str();
            if zone.is_empty() || zone_in_region(zone, &vpc.region) {
                continue;
            }
            let mut finding = Finding::new(
                "NAME-002",
                Severity::Error,
                format!(
                    "AWS subnet {} is in availability zone {zone}, which is not in its VPC {}'s region {}: AWS \
                     creates a subnet only in a zone of its VPC's region.",
                    context.label(subnet.id.as_str()),
                    context.label(vid),
                    vpc.region
                ),
            )
            .subject(subnet.id.as_str())
            .subject(vid);
            // A zone of another region keeps its letter (`us-east-1b` in eu-central-1 becomes `eu-central-1b`).
            if let Some(letter) = zone_letter(zone) {
                let moved = format!("{}{letter}", vpc.region);
                finding = finding.fix(
                    format!("Use {moved}"),
                    vec![Change::new(
                        vid,
                        format!("subnets[{j}].availability_zone"),
                        moved,
                    )],
                );
            }
            findings.push(finding);
        }
    }
}

/// Why the region or zone just written to `field` of `object` is not one the cloud has, if it is not: the
/// editor refuses it at the field, as it refuses a CIDR typo.
pub fn field_problem(plan: &Plan, object: &str, field: &str) -> Option<String> {
    let design = &plan.design;
    if let Some(vnet) = design.azure.vnets.iter().find(|v| v.id.as_str() == object) {
        return (field == "region")
            .then(|| azure_region_problem(&vnet.region))
            .flatten()
            .map(|p| format!("not a region: {p}"));
    }
    let vpc = design.aws.vpcs.iter().find(|v| v.id.as_str() == object)?;
    if field == "region" {
        return aws_region_problem(&vpc.region).map(|p| format!("not a region: {p}"));
    }
    let j: usize = field
        .strip_prefix("subnets[")?
        .strip_suffix("].availability_zone")?
        .parse()
        .ok()?;
    let zone = vpc.subnets.get(j)?.availability_zone.as_str();
    (!zone.is_empty() && !zone_in_region(zone, &vpc.region)).then(|| {
        format!(
            "'{zone}' is not an availability zone of the VPC's region {}, such as {}a",
            vpc.region, vpc.region
        )
    })
}

fn azure_region_problem(region: &str) -> Option<String> {
    (!region.trim().is_empty() && !azure_region_shaped(region)).then(|| {
        format!(
            "'{region}', which is not an Azure region name: letters and digits, such as westeurope"
        )
    })
}

fn aws_region_problem(region: &str) -> Option<String> {
    (!region.trim().is_empty() && !aws_region_shaped(region))
        .then(|| format!("'{region}', which is not an AWS region name, such as eu-central-1"))
}

/// An Azure region's programmatic name (`westeurope`, `eastus2`), or its display name (`West Europe`), which
/// azurerm also takes.
fn azure_region_shaped(region: &str) -> bool {
    region
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ')
        && region
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && !region.ends_with(' ')
}

/// An AWS region code: an area of two to four letters, one or more words, a number (`eu-central-1`,
/// `us-gov-west-1`, `eusc-de-east-1`).
fn aws_region_shaped(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && (2..=4).contains(&words[0].len())
        && words
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// A zone of the region: the region and a letter (`eu-central-1a`), or a Local Zone's or Wavelength Zone's name
/// after it (`us-east-1-bos-1a`, `us-east-1-wl1-bos-wlz-1`).
fn zone_in_region(zone: &str, region: &str) -> bool {
    let Some(rest) = zone.strip_prefix(region) else {
        return false;
    };
    let letter = rest.len() == 1 && rest.bytes().all(|b| b.is_ascii_lowercase());
    let local = rest.len() > 1
        && rest.starts_with('-')
        && rest[1..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !rest.ends_with('-');
    letter || local
}

/// The letter of a Region's own zone (`us-east-1b` → `b`); `None` for a Local or Wavelength Zone, whose name
/// means nothing in another region.
fn zone_letter(zone: &str) -> Option<char> {
    let (head, letter) = zone.split_at(zone.len().checked_sub(1)?);
    let letter = letter.chars().next()?;
    (letter.is_ascii_lowercase() && aws_region_shaped(head)).then_some(letter)
}
