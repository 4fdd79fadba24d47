//! The review of one generated plan, timed by thread CPU time as well as wall time, for a machine shared with
//! other work (criterion's wall time then mostly measures waiting for a core), and as a fixed workload for
//! `valgrind --tool=callgrind --toggle-collect=vpn_designer_core::review::review` (instruction counts do not
//! depend on the load). See docs/benchmarks.md.
//!
//! `cargo run --profile bench -p vpn-designer-core --example review_cpu -- [networks, 0 = reference] [runs]`
//! (the bench profile is optimised for speed; `--release` is tuned for the wasm bundle's size).

use std::hint::black_box;
use vpn_designer_core::review::{generate, review};

/// This thread's CPU time so far, in nanoseconds (Linux).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
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
}
