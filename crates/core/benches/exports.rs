//! Export budgets: every format for the generated 1,000-network plan in under 100 ms.
//!
//!     cargo bench -p vpn-designer-core --bench exports
//!
//! Runs each export a few times after a warm-up and prints the median and the slowest run as Markdown table
//! rows (docs/benchmarks.md keeps them); exits non-zero when a median is over its budget. No harness crate:
//! the figures are wall-clock times from `Instant`, which is what a user waits for.

#[path = "support/allocator.rs"]
mod allocator;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use vpn_designer_core::export::{export, Format, Options};
use vpn_designer_core::review::generate;

const NETWORKS: usize = 1_000;
const RUNS: usize = 15;
const BUDGET: Duration = Duration::from_millis(100);

/// CPU time the whole process has used, every thread counted (the review pack computes its parts on two).
fn process_cpu_time() -> Option<Duration> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer to a local.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    (status == 0).then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
}

fn main() -> ExitCode {
    allocator::keep_freed_memory();
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run once, quickly, then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let networks = if quick { 20 } else { NETWORKS };
    let plan = generate::plan(networks, 1);
    let tunnels: usize = plan.design.aws.vpn_connections.len() * 2;
    println!(
        "plan: {networks} networks, {} subnets, {tunnels} tunnels, {} flows",
        plan.design
            .azure
            .vnets
            .iter()
            .map(|v| v.subnets.len())
            .sum::<usize>()
            + plan
                .design
                .aws
                .vpcs
                .iter()
                .map(|v| v.subnets.len())
                .sum::<usize>(),
        plan.design.flows.len()
    );
    println!("| format | output | wall, median | wall, slowest of {RUNS} | CPU (all threads), median | budget |");
    println!("|---|---|---|---|---|---|");
    let mut over = Vec::new();
    // EXPORT_BENCH_ONLY=terraform runs one format (for a profiler).
    let only = std::env::var("EXPORT_BENCH_ONLY").ok();
    for format in Format::ALL
        .iter()
        .filter(|f| only.as_deref().is_none_or(|o| o == f.name()))
    {
        let options = Options::default();
        let warm = export(&plan, *format, &options);
        let bytes: usize = warm.iter().map(|f| f.contents.len()).sum();
        let mut times: Vec<(Duration, Option<Duration>)> = (0..if quick { 1 } else { RUNS })
            .map(|_| {
                let cpu = process_cpu_time();
                let start = Instant::now();
                black_box(export(black_box(&plan), *format, &options));
                let wall = start.elapsed();
                (
                    wall,
                    cpu.zip(process_cpu_time())
                        .map(|(a, b)| b.saturating_sub(a)),
                )
            })
            .collect();
        times.sort();
        let median = times[times.len() / 2].0;
        let slowest = times.last().unwrap().0;
        let mut cpu: Vec<Duration> = times.iter().filter_map(|t| t.1).collect();
        cpu.sort();
        let cpu_median = cpu.get(cpu.len() / 2).copied();
        // The budget is what a user waits: wall time, on an idle machine (on a machine shared with builds, wall
        // time includes waiting for a core). CPU time, all threads, says how much work that was.
        let judged = median;
        let ok = judged <= BUDGET;
        println!(
            "| {} | {:.1} MB | {:.1} ms | {:.1} ms | {} | {} ms {} |",
            format.name(),
            bytes as f64 / 1e6,
            median.as_secs_f64() * 1e3,
            slowest.as_secs_f64() * 1e3,
            cpu_median.map_or("n/a".to_string(), |c| format!(
                "{:.1} ms",
                c.as_secs_f64() * 1e3
            )),
            BUDGET.as_millis(),
            if ok { "ok" } else { "OVER" }
        );
        if !ok && !quick {
            over.push(format.name());
        }
    }
    // The review pack runs the review engine first: its share, for the record (budgeted by the review bench).
    if only.as_deref().is_none_or(|o| o.starts_with("review")) {
        let cpu = process_cpu_time();
        let start = Instant::now();
        black_box(vpn_designer_core::review::review(black_box(&plan)));
        let wall = start.elapsed();
        let cpu = cpu
            .zip(process_cpu_time())
            .map(|(a, b)| b.saturating_sub(a));
        println!(
            "(review::review alone, inside the review pack: {:.1} ms wall, {} CPU)",
            wall.as_secs_f64() * 1e3,
            cpu.map_or("n/a".to_string(), |c| format!(
                "{:.1} ms",
                c.as_secs_f64() * 1e3
            ))
        );
    }
    if over.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("over budget: {}", over.join(", "));
        ExitCode::FAILURE
    }
}
