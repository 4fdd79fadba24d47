//! Review tests: for every code a plan that triggers it (built by mutating the reference template) and a near
//! miss that must not; the facts sheet's worked examples (section 7); the templates review clean.

use super::*;
use crate::templates::{reference, template};

mod cases;
mod flows;
mod properties;

/// Findings at warning or error level, as "CODE severity: message" strings, for readable assertions.
pub(super) fn serious(plan: &Plan) -> Vec<String> {
    described(plan, |f| f.severity != Severity::Info)
}

/// The findings `keep` accepts, as "CODE severity: message" strings.
fn described(plan: &Plan, keep: impl Fn(&Finding) -> bool) -> Vec<String> {
    review(plan)
        .iter()
        .filter(|f| keep(f))
        .map(|f| format!("{} {}: {}", f.code, f.severity.name(), f.message))
        .collect()
}

/// Clean means no finding at all, infos included: the templates are what people copy.
#[test]
fn the_reference_and_static_templates_review_clean() {
    for name in ["reference", "static", "blank"] {
        let plan = template(name).unwrap();
        assert_eq!(described(&plan, |_| true), Vec::<String>::new(), "{name}");
    }
}

#[test]
fn findings_come_out_in_a_stable_order() {
    let mut plan = reference();
    plan.design.aws.vpn_gateways[0].amazon_side_asn = crate::model::Asn(64000);
    plan.design.azure.vnets[0].subnets[0].cidr = "10.1.1.5/24".parse().unwrap();
    let first = review(&plan);
    assert!(first.len() >= 2);
    let mut shuffled = first.clone();
    shuffled.reverse();
    sort(&mut shuffled);
    assert_eq!(first, shuffled);
    assert_eq!(review(&plan), first);
}

#[test]
fn every_catalogue_code_is_unique_and_titled() {
    let mut codes: Vec<&str> = catalogue::CODES.iter().map(|c| c.0).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), catalogue::CODES.len());
    assert_eq!(
        catalogue::title("TUN-006"),
        "Pre-shared keys differ between the two ends"
    );
}

#[test]
fn generated_plans_review_clean_and_load_back() {
    for (networks, seed) in [(2, 1), (10, 7), (40, 42)] {
        let plan = generate::plan(networks, seed);
        assert_eq!(
            plan.design.azure.vnets.len() + plan.design.aws.vpcs.len(),
            networks
        );
        assert_eq!(
            serious(&plan),
            Vec::<String>::new(),
            "{networks} networks, seed {seed}"
        );
        let loaded = crate::load_plan(&plan.to_json()).expect("a generated plan loads");
        assert_eq!(loaded.design, plan.design);
        flows::trace_agrees_with_review(&plan);
    }
}
