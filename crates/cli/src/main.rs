//! `vpn-designer`: the command-line front end. It runs the same core as the web app, on plan files, for CI.

mod generate;
mod review;
mod trace;

mod export;

use clap::{Parser, Subcommand, ValueEnum};

// See Cargo.toml: faster than the system allocator for the many small strings of a large plan.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod allocator_options;
use std::io::{self, Read, Write};
use std::process::ExitCode;
use vpn_designer_core::templates::{template, TEMPLATE_NAMES};
use vpn_designer_core::{load_plan_up_to, LoadError, Plan};

/// Design, review and hand on site-to-site VPNs between Azure and AWS.
#[derive(Parser)]
#[command(name = "vpn-designer", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a template plan as JSON (reference, static or blank).
    Template {
        /// Which template: `reference` (BGP, the design the app opens on), `static`, or `blank`.
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(TEMPLATE_NAMES))]
        name: String,
    },
    /// Load a plan file and list its structural problems. Exit status: 0 clean, 1 problems, 2 usage error.
    Validate {
        /// The plan file, or `-` for standard input.
        plan: String,
        /// Output for people (`text`) or for tools (`json`: an array of {path, message}).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Review a plan against every rule of the catalogue. Exit status: 0 clean, 1 a finding reaches --fail-on,
    /// 2 the plan cannot be read or loaded.
    Review(review::ReviewArgs),
    /// Trace a packet hop by hop in both directions. Exit status: 0 delivered, 1 blocked, 2 usage error.
    Trace(trace::TraceArgs),
    /// Print a generated plan of N networks (valid, with no review error or warning) for benchmarks and tests.
    Generate(generate::GenerateArgs),
    /// Export a plan: Terraform (one root module, or one per cloud), CloudFormation, Mermaid, the IKE/IPsec
    /// parameter sheet (md, csv, html),
    /// the review pack or the plan file. Exit status: 0 written, 1 the plan has problems, 2 usage error.
    Export(export::ExportArgs),
    /// Print the plan's fingerprint, as review packs state it: SHA-256 of its canonical JSON without secrets, so
    /// the same whatever the file's layout. Exit status: 0 printed, 1 the plan has problems, 2 usage error.
    Fingerprint {
        /// The plan file, or `-` for standard input.
        plan: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Exit status for a plan with problems; clap itself exits with 2 on usage errors, and so do we on I/O errors.
const PROBLEMS: u8 = 1;
const USAGE: u8 = 2;

/// The largest plan file the command line reads: 512 MiB. The browser refuses files over 32 MiB (a hostile
/// file must not exhaust a tab's memory), but the command line reads files its user chose, and a
/// `generate --networks 10000` plan is about 180 MB pretty-printed. The bound still keeps a mistaken input (a
/// disk image, `/dev/zero`) from being read whole.
const MAX_PLAN_BYTES: usize = 512 * 1024 * 1024;

/// Loads a plan file read by [`read_source`], up to the command line's bound.
fn load_plan(text: &str) -> Result<Plan, LoadError> {
    load_plan_up_to(text, MAX_PLAN_BYTES)
}

fn main() -> ExitCode {
    allocator_options::keep_freed_memory();
    let cli = Cli::parse();
    match cli.command {
        Command::Template { name } => {
            let plan = template(&name).expect("clap only accepts known template names");
            print(&plan.to_json())
        }
        Command::Validate { plan, format } => validate(&plan, format),
        Command::Export(args) => export::run(args),
        Command::Review(args) => review::run(args),
        Command::Trace(args) => trace::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Fingerprint { plan } => fingerprint(&plan),
    }
}

fn fingerprint(source: &str) -> ExitCode {
    let text = match read_source(source) {
        Ok(text) => text,
        Err(message) => {
            eprintln!("vpn-designer: {message}");
            return ExitCode::from(USAGE);
        }
    };
    match load_plan(&text) {
        Ok(plan) => print(&format!(
            "{}\n",
            vpn_designer_core::export::fingerprint::fingerprint(&plan)
        )),
        Err(error) => {
            eprint!("{}", inert(&format!("{source}: {error}")));
            ExitCode::from(PROBLEMS)
        }
    }
}

fn validate(source: &str, format: Format) -> ExitCode {
    let text = match read_source(source) {
        Ok(text) => text,
        Err(message) => {
            eprintln!("vpn-designer: {message}");
            return ExitCode::from(USAGE);
        }
    };
    let result = load_plan(&text);
    let problems = match &result {
        Ok(_) => Vec::new(),
        Err(LoadError { problems }) => problems.clone(),
    };
    let out = match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&problems).unwrap_or_default();
            json.push('\n');
            json
        }
        Format::Text => match &result {
            Ok(plan) => format!(
                "{source}: valid plan {} (schema version {})\n",
                vpn_designer_core::quote::quoted(&plan.design.name),
                plan.schema_version
            ),
            Err(error) => inert(&format!("{source}: {error}")),
        },
    };
    let status = print(&out);
    if problems.is_empty() {
        status
    } else {
        ExitCode::from(PROBLEMS)
    }
}

fn read_source(source: &str) -> Result<String, String> {
    let what = if source == "-" {
        "standard input"
    } else {
        source
    };
    let too_large = || {
        format!("{what} is larger than {MAX_PLAN_BYTES} bytes, the largest plan file this command reads")
    };
    let mut bytes = Vec::new();
    // One byte past the bound is enough to know an input is too large, without reading it whole.
    let limit = MAX_PLAN_BYTES as u64 + 1;
    let read = if source == "-" {
        io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        let file = std::fs::File::open(source).map_err(|e| format!("cannot read {source}: {e}"))?;
        // A regular file says its size: refuse a large one before reading, and read the rest into one buffer.
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if size > MAX_PLAN_BYTES as u64 {
            return Err(too_large());
        }
        bytes.reserve(size as usize + 1);
        file.take(limit).read_to_end(&mut bytes)
    };
    read.map_err(|e| format!("cannot read {what}: {e}"))?;
    if bytes.len() > MAX_PLAN_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{source} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Text for people, made safe for a terminal and a CI log: names, keys and values from the plan may hold escape
/// sequences, which are shown, not obeyed (QA s19). Machine formats (JSON, SARIF) escape them themselves, and the
/// exports are files, byte for byte.
pub(crate) fn inert(text: &str) -> String {
    vpn_designer_core::quote::inert(text).into_owned()
}

fn print(text: &str) -> ExitCode {
    let mut stdout = io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vpn-designer: cannot write output: {e}");
            ExitCode::from(USAGE)
        }
    }
}
