//! `vpn-designer generate`: a valid, realistic plan of N networks for benchmarks and tests (no review error or
//! warning; its subnets without an NSG get SEC-008 infos).

use crate::print;
use clap::Args;
use std::process::ExitCode;

#[derive(Args)]
pub struct GenerateArgs {
    /// How many networks: half Azure VNets, half AWS VPCs, paired over VPN (an odd number is rounded up to the
    /// next pair).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16384))]
    networks: u32,
    /// The seed: the same seed gives the same plan.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: GenerateArgs) -> ExitCode {
    let plan = vpn_designer_core::review::generate::plan(args.networks as usize, args.seed);
    print(&plan.to_json())
}
