//! The review of one generated plan, timed by thread CPU time as well as wall time, for a machine shared with
//! other work (criterion's wall time then mostly measures waiting for a core), and as a fixed workload for
//! `valgrind --tool=callgrind --toggle-collect=vpn_designer_core::review::review` (instruction counts do not
//! depend on the load). See docs/benchmarks.md.
//!
//! `cargo run --profile bench -p vpn-designer-core --example review_cpu -- [networks, 0 = reference] [runs]`
//! (the bench profile is optimised for speed; `--release` is tuned for the wasm bundle's size).
//!
//! `... --example review_cpu -- ratio [rounds]` judges issue 3's growth budget (10,000 networks at most 12 × the
//! 1,000-network time) on a host whose speed drifts by a third within minutes: each round times the two plans
//! back to back, so both see the same host, and the ratio is taken per round.

#[path = "../benches/support/allocator.rs"]
mod allocator;

use std::hint::black_box;
use vpn_designer_core::review::{generate, review};

/// This thread's CPU time so far, in nanoseconds. (Not /proc/thread-self/schedstat: on this kernel it advances
/// only at scheduler ticks, 4 ms apart.)
fn cpu_ns() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the call's duration.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

/// The median CPU time of `runs` runs of `work`, in milliseconds.
fn cpu_median(runs: usize, work: &mut dyn FnMut()) -> f64 {
    let mut cpu: Vec<f64> = (0..runs)
        .map(|_| {
            let c0 = cpu_ns();
            work();
            (cpu_ns() - c0) as f64 / 1e6
        })
        .collect();
    median(&mut cpu)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    allocator::keep_freed_memory();
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("ratio") {
        let rounds = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(7);
        return ratio(rounds);
    }
    let networks: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20)
        .max(1);
    let plan = if networks == 0 {
        vpn_designer_core::templates::reference()
    } else {
        generate::plan(networks, 1)
    };
    for _ in 0..2 {
        black_box(review(black_box(&plan)));
    }
    let (mut cpu, mut wall) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (c0, w0) = (cpu_ns(), std::time::Instant::now());
        black_box(review(black_box(&plan)));
        cpu.push((cpu_ns() - c0) as f64 / 1e6);
        wall.push(w0.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "networks {networks}, {runs} runs: CPU median {:.2} ms, wall median {:.2} ms",
        median(&mut cpu),
        median(&mut wall)
    );
    if std::env::var_os("PHASES").is_some() {
        phases(&plan, runs);
    }
}

/// CPU time of each phase of the review (`PHASES=1`): indexing, each family of tunnel checks, then the rest
/// (tracing every declared flow, routing and security checks, sorting) as the total less those. Since session 8
/// the security checks include ADDR-005 on the rule sets' CIDRs, which `addressing` no longer walks.
fn phases(plan: &vpn_designer_core::model::Plan, runs: usize) {
    use vpn_designer_core::review::{addressing, bgp, gateways, ike, tunnels, Context, Finding};
    type Check = fn(&Context, &mut Vec<Finding>);
    let checks: [(&str, Check); 5] = [
        ("addressing", addressing::check),
        ("gateways", gateways::check),
        ("bgp", bgp::check),
        ("tunnels", tunnels::check),
        ("ike", ike::check),
    ];
    let time = |f: &mut dyn FnMut()| cpu_median(runs, f);
    let context_ms = time(&mut || {
        black_box(Context::new(black_box(plan)));
    });
    println!("  context {context_ms:.2} ms");
    let context = Context::new(plan);
    let mut families = 0.0;
    for (name, check) in checks {
        let ms = time(&mut || {
            let mut findings = Vec::new();
            check(black_box(&context), &mut findings);
            black_box(findings);
        });
        families += ms;
        println!("  {name} {ms:.2} ms");
    }
    let total = time(&mut || {
        black_box(review(black_box(plan)));
    });
    println!(
        "  traces, routing, security, sort {:.2} ms (total {total:.2})",
        total - context_ms - families
    );
}

/// The 10,000-network review's CPU time over the 1,000-network one's, in interleaved rounds (`ratio [rounds]`):
/// each round takes the median of 9 runs at 1,000 networks and of 3 at 10,000, one right after the other.
fn ratio(rounds: usize) {
    let small = generate::plan(1000, 1);
    let large = generate::plan(10_000, 1);
    let time = |plan: &vpn_designer_core::model::Plan, runs: usize| {
        cpu_median(runs, &mut || {
            black_box(review(black_box(plan)));
        })
    };
    time(&small, 2);
    time(&large, 1);
    let mut ratios = Vec::new();
    for round in 1..=rounds.max(1) {
        let (s, l) = (time(&small, 9), time(&large, 3));
        println!(
            "round {round}: 1,000 networks {s:.2} ms, 10,000 networks {l:.2} ms, {:.2} x",
            l / s
        );
        ratios.push(l / s);
    }
    println!("median ratio {:.2} x (budget <= 12 x)", median(&mut ratios));
}
