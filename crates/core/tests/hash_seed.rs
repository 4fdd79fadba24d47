//! The review, the trace, the layout and every export give the same output whatever the hash seed: the maps
//! hashed with a per-process random seed (`vpn_designer_core::hash`, against hash flooding from hostile share
//! links) may be iterated in any order, and nothing a user sees may follow that order.
//!
//! One process, so the seed is this test's to set.

use vpn_designer_core::export::{export, Format, Options};
use vpn_designer_core::hash::seed_hashes;
use vpn_designer_core::review::{generate, review, Finding};
use vpn_designer_core::templates::template;
use vpn_designer_core::Plan;

/// Everything the plan gives, under the current seed.
fn outputs(
    plan: &Plan,
) -> (
    Vec<Finding>,
    vpn_designer_core::layout::Diagram,
    Vec<(Format, String, String)>,
) {
    let exports = Format::ALL
        .iter()
        .flat_map(|format| {
            export(plan, *format, &Options::default())
                .into_iter()
                .map(move |file| (*format, file.name, file.contents))
        })
        .collect();
    (
        review(plan),
        vpn_designer_core::layout::diagram(plan),
        exports,
    )
}

#[test]
fn outputs_do_not_depend_on_the_hash_seed() {
    let mut plans = vec![
        template("reference").unwrap(),
        template("static").unwrap(),
        generate::plan(24, 5),
    ];
    // A plan with findings, so their order and wording are covered too.
    let mut broken = template("reference").unwrap();
    broken.design.aws.vpcs[0].cidr_blocks = broken.design.azure.vnets[0].address_space.clone();
    broken.design.aws.vpn_gateways[0].amazon_side_asn = vpn_designer_core::model::Asn(65515);
    plans.push(broken);
    // Many findings of one code from a check that groups through a hash map (GW-007, site pairs left with a
    // single tunnel): their order must come from the review's sort, not the map.
    let mut thin = generate::plan(24, 6);
    let mut kept = std::collections::HashSet::new();
    thin.design
        .azure
        .connections
        .retain(|c| kept.insert(c.vpn_gateway.clone()));
    plans.push(thin);
    for plan in &plans {
        seed_hashes(0x0123_4567_89ab_cdef);
        let first = outputs(plan);
        assert!(!first.2.is_empty());
        for seed in [2, 0xdead_beef, u64::MAX] {
            seed_hashes(seed);
            let again = outputs(plan);
            assert!(first.0 == again.0, "findings differ under seed {seed:#x}");
            assert!(first.1 == again.1, "diagram differs under seed {seed:#x}");
            for (a, b) in first.2.iter().zip(&again.2) {
                assert!(a == b, "{:?} {} differs under seed {seed:#x}", a.0, a.1);
            }
            assert_eq!(first.2.len(), again.2.len());
        }
    }
    assert!(
        !outputs(&plans[3]).0.is_empty(),
        "the broken plan has findings"
    );
}
