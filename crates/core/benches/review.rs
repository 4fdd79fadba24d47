//! The review's budgets on the 2-core reference machine (issue 3, section 6): the reference plan under 1 ms;
//! 1,000 networks under 50 ms; 10,000 networks no more than 12 times the 1,000-network time (n log n growth).
//! Run with `cargo bench -p vpn-designer-core --bench review`; results go to docs/benchmarks.md.

#[path = "support/allocator.rs"]
mod allocator;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;
use vpn_designer_core::review::{generate, review};
use vpn_designer_core::templates::reference;
use vpn_designer_core::trace::{trace, Query, Source};

fn reference_plan(c: &mut Criterion) {
    let plan = reference();
    c.bench_function("review/reference", |b| b.iter(|| review(black_box(&plan))));
    let query = Query {
        from: Source::Address("10.1.1.10".parse().unwrap()),
        to: "10.2.1.20".parse().unwrap(),
        protocol: vpn_designer_core::model::Protocol::Tcp,
        port: Some(443),
    };
    c.bench_function("trace/reference", |b| {
        b.iter(|| trace(black_box(&plan), &query))
    });
}

fn generated_plans(c: &mut Criterion) {
    let mut group = c.benchmark_group("review/generated");
    for networks in [10usize, 100, 1_000, 10_000] {
        let plan = generate::plan(networks, 1);
        // Large plans take long per iteration: fewer samples keep the run to minutes on two shared cores.
        group.sample_size(if networks >= 1_000 { 10 } else { 30 });
        group.measurement_time(Duration::from_secs(if networks >= 10_000 { 20 } else { 5 }));
        group.bench_with_input(BenchmarkId::from_parameter(networks), &plan, |b, plan| {
            b.iter(|| review(black_box(plan)))
        });
    }
    group.finish();
}

/// A plan in which every tunnel has an error: each VPN connection's tunnels on 169.254.0.0/30, a block AWS
/// reserves. The review finds thousands of errors, each with a fix, and the trace of each declared flow must still
/// work out which tunnels they stop in time proportional to the plan (it was links × errors, and each fix scanned
/// the plan). Budget: 1,000 networks within 100 ms (twice the clean plan's 50 ms), 4,000 within 4 × that × 1.5.
fn broken_plans(c: &mut Criterion) {
    let mut group = c.benchmark_group("review/every-tunnel-broken");
    for networks in [1_000usize, 4_000] {
        let mut plan = generate::plan(networks, 1);
        for vpn in &mut plan.design.aws.vpn_connections {
            for tunnel in &mut vpn.tunnels {
                tunnel.inside_cidr = Some("169.254.0.0/30".parse().unwrap());
            }
        }
        group.sample_size(10);
        group.bench_with_input(BenchmarkId::from_parameter(networks), &plan, |b, plan| {
            b.iter(|| review(black_box(plan)))
        });
    }
    group.finish();
}

/// Criterion's defaults, with the allocator set up first as the command line sets it up.
fn config() -> Criterion {
    allocator::keep_freed_memory();
    Criterion::default()
}

criterion_group! {
    name = benches;
    config = config();
    targets = reference_plan, generated_plans, broken_plans, phases
}
criterion_main!(benches);

/// Where the time goes on 1,000 and 10,000 networks: indexing, then each family of checks on its own.
fn phases(c: &mut Criterion) {
    use vpn_designer_core::review::{addressing, bgp, gateways, ike, tunnels, Context};
    for networks in [1_000usize, 10_000] {
        let plan = generate::plan(networks, 1);
        let mut group = c.benchmark_group(format!("phase/{networks}"));
        group.sample_size(10);
        group.bench_function("context", |b| {
            b.iter(|| Context::new(black_box(&plan)).links.len())
        });
        let context = Context::new(&plan);
        // Since session 8, `addressing` no longer includes ADDR-005 on the rule sets' CIDRs (the security
        // family's pass does it): compare its figure only with figures from then on.
        type Check = fn(&Context, &mut Vec<vpn_designer_core::review::Finding>);
        let checks: [(&str, Check); 5] = [
            ("addressing", addressing::check),
            ("gateways", gateways::check),
            ("bgp", bgp::check),
            ("tunnels", tunnels::check),
            ("ike", ike::check),
        ];
        for (name, check) in checks {
            group.bench_function(name, |b| {
                b.iter(|| {
                    let mut findings = Vec::new();
                    check(black_box(&context), &mut findings);
                    findings.len()
                })
            });
        }
        group.finish();
    }
}
