//! The review of one generated plan, timed by thread CPU time as well as wall time, for a machine shared with
//! other work (criterion's wall time then mostly measures waiting for a core), and as a fixed workload for
//! `valgrind --tool=callgrind --toggle-collect=vpn_designer_core::review::review` (instruction counts do not
//! depend on the load). See docs/benchmarks.md.
//!
//! `cargo run --profile bench -p vpn-designer-core --example review_cpu -- [networks, 0 = reference] [runs]`
//! (the bench profile is optimised for speed; `--release` is tuned for the wasm bundle's size).

// The command line's allocator (crates/cli/Cargo.toml), so the figures are what `vpn-designer` users get.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
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
/// (tracing every declared flow, routing and security checks, sorting) as the total less those.
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
    let time = |f: &mut dyn FnMut()| {
        let mut cpu = Vec::new();
        for _ in 0..runs {
            let c0 = cpu_ns();
            f();
            cpu.push((cpu_ns() - c0) as f64 / 1e6);
        }
        median(&mut cpu)
    };
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
