//! `vpn-designer trace`: one packet through the plan, hop by hop both ways. Exit status 0 delivered, 1 blocked, 2
//! a usage error (a `--from` subnet the plan lacks is a typo in the pipeline, not a blocked packet).

use crate::print;
use clap::{Args, ValueEnum};
use std::net::IpAddr;
use std::process::ExitCode;
use vpn_designer_core::model::Protocol;
use vpn_designer_core::trace::{trace, Direction, Query, Source, Trace, Verdict};

#[derive(Args)]
pub struct TraceArgs {
    /// The plan file, or `-` for standard input.
    plan: String,
    /// Where the packet starts: a subnet id of the plan, or an address inside one.
    #[arg(long)]
    from: String,
    /// The destination address.
    #[arg(long)]
    to: IpAddr,
    #[arg(long, value_enum)]
    protocol: TraceProtocol,
    /// Destination port (TCP and UDP), 1–65535.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    port: Option<u16>,
    /// `text` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
    format: TraceFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum TraceProtocol {
    Tcp,
    Udp,
    Icmp,
    Any,
}

#[derive(Clone, Copy, ValueEnum)]
enum TraceFormat {
    Text,
    Json,
}

pub fn run(args: TraceArgs) -> ExitCode {
    // As the app's ad-hoc trace asks: a TCP or UDP packet goes to one port, ICMP and `any` have none (a TCP
    // trace without a port used to try every port and report the first one refused).
    match (args.protocol, args.port) {
        (TraceProtocol::Tcp | TraceProtocol::Udp, None) => {
            eprintln!(
                "vpn-designer trace: --protocol {} needs --port (1–65535)",
                if matches!(args.protocol, TraceProtocol::Tcp) {
                    "tcp"
                } else {
                    "udp"
                }
            );
            return ExitCode::from(2);
        }
        (TraceProtocol::Icmp | TraceProtocol::Any, Some(port)) => {
            eprintln!(
                "vpn-designer trace: --port {port} applies to tcp and udp only; leave it out for --protocol {}",
                if matches!(args.protocol, TraceProtocol::Icmp) { "icmp" } else { "any" }
            );
            return ExitCode::from(2);
        }
        _ => {}
    }
    let plan = match crate::review::load(&args.plan) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    let query = Query {
        from: match args.from.parse::<IpAddr>() {
            Ok(ip) => Source::Address(ip),
            Err(_) => Source::Subnet(args.from.clone()),
        },
        to: args.to,
        protocol: match args.protocol {
            TraceProtocol::Tcp => Protocol::Tcp,
            TraceProtocol::Udp => Protocol::Udp,
            TraceProtocol::Icmp => Protocol::Icmp,
            TraceProtocol::Any => Protocol::Any,
        },
        port: args.port,
    };
    if let Source::Subnet(id) = &query.from {
        let d = &plan.design;
        let subnets: Vec<&str> = d
            .azure
            .vnets
            .iter()
            .flat_map(|v| v.subnets.iter().map(|s| s.id.as_str()))
            .chain(
                d.aws
                    .vpcs
                    .iter()
                    .flat_map(|v| v.subnets.iter().map(|s| s.id.as_str())),
            )
            .collect();
        if !subnets.contains(&id.as_str()) {
            // The first few ids help with a typo; a plan of thousands of subnets needs no full list here.
            let shown = 12;
            eprintln!(
                "vpn-designer trace: --from {id:?} is neither an address nor a subnet id of the plan (its subnets: {}{})",
                subnets[..subnets.len().min(shown)].join(", "),
                if subnets.len() > shown {
                    format!(", and {} more", subnets.len() - shown)
                } else {
                    String::new()
                }
            );
            return ExitCode::from(2);
        }
    }
    let result = trace(&plan, &query);
    let out = match args.format {
        TraceFormat::Json => {
            let mut s = serde_json::to_string_pretty(&result).unwrap_or_default();
            s.push('\n');
            s
        }
        TraceFormat::Text => crate::inert(&text(&args, &result)),
    };
    let status = print(&out);
    if result.delivered() {
        status
    } else {
        ExitCode::from(1)
    }
}

fn text(args: &TraceArgs, t: &Trace) -> String {
    let mut out = format!(
        "trace {} → {} {:?}{}\n",
        args.from,
        args.to,
        args.protocol,
        args.port.map(|p| format!(" port {p}")).unwrap_or_default()
    )
    .to_lowercase();
    let mut direction = None;
    for hop in &t.hops {
        if direction != Some(hop.direction) {
            direction = Some(hop.direction);
            out.push_str(match hop.direction {
                Direction::Forward => "forward:\n",
                Direction::Return => "return:\n",
            });
        }
        out.push_str(&format!(
            "  {} {:<26} {}\n",
            if hop.passed { "✓" } else { "✗" },
            hop.hop,
            hop.detail
        ));
    }
    match &t.verdict {
        Verdict::Delivered => out.push_str("verdict: delivered\n"),
        Verdict::Blocked {
            hop,
            reason,
            code,
            changes,
            ..
        } => {
            out.push_str(&format!(
                "verdict: blocked at the {hop}{}: {reason}\n",
                code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
            ));
            for change in changes {
                out.push_str(&format!("  to change: {change}\n"));
            }
        }
    }
    for w in &t.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}
