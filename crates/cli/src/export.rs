//! `vpn-designer export`: writes one export of a plan file to a folder (Terraform) or a file (every other
//! format), or to standard output with `-o -` for single-file formats. Exit status: 0 written, 1 the plan has
//! structural problems (listed on standard error), 2 usage or I/O error.

use crate::load_plan;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vpn_designer_core::export::{export, Format, Options};

#[derive(Args)]
pub struct ExportArgs {
    /// The plan file, or `-` for standard input.
    plan: String,
    /// What to write.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Write the plan's pre-shared keys where a key goes (Terraform, CloudFormation, plan file). Without it,
    /// keys become sensitive inputs and are left out of the plan file. Diagrams and sheets never show keys.
    #[arg(long)]
    include_secrets: bool,
    /// Where to write: a folder for `terraform` and `terraform-per-cloud` (created if missing); a file or an existing folder for the
    /// others (then the format's own file name is used inside it), or `-` for standard output.
    #[arg(short = 'o', long = "output")]
    output: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Terraform,
    /// Terraform as two root modules, `azure/` and `aws/`, each taking the other cloud's addresses as inputs.
    #[value(name = "terraform-per-cloud")]
    TerraformPerCloud,
    Cloudformation,
    Mermaid,
    #[value(name = "sheet-md")]
    SheetMd,
    #[value(name = "sheet-csv")]
    SheetCsv,
    #[value(name = "sheet-html")]
    SheetHtml,
    #[value(name = "review-md")]
    ReviewMd,
    #[value(name = "review-html")]
    ReviewHtml,
    Plan,
}

impl ExportFormat {
    fn core(self) -> Option<Format> {
        Some(match self {
            ExportFormat::Terraform => Format::Terraform,
            ExportFormat::TerraformPerCloud => Format::TerraformPerCloud,
            ExportFormat::Cloudformation => Format::CloudFormation,
            ExportFormat::Mermaid => Format::Mermaid,
            ExportFormat::SheetMd => Format::SheetMarkdown,
            ExportFormat::SheetCsv => Format::SheetCsv,
            ExportFormat::SheetHtml => Format::SheetHtml,
            ExportFormat::Plan => Format::Plan,
            ExportFormat::ReviewMd | ExportFormat::ReviewHtml => return review_format(self),
        })
    }
}

/// The review pack formats, when this build's core has them.
fn review_format(format: ExportFormat) -> Option<Format> {
    let name = match format {
        ExportFormat::ReviewMd => "review-md",
        _ => "review-html",
    };
    Format::from_name(name)
}

pub fn run(args: ExportArgs) -> ExitCode {
    let fail = |message: String| {
        eprintln!("vpn-designer: {message}");
        ExitCode::from(crate::USAGE)
    };
    let Some(format) = args.format.core() else {
        return fail(
            "the review pack (review-md, review-html) is not available in this build".to_string(),
        );
    };
    let text = match crate::read_source(&args.plan) {
        Ok(text) => text,
        Err(message) => return fail(message),
    };
    let plan = match load_plan(&text) {
        Ok(plan) => plan,
        Err(error) => {
            eprint!("{}", crate::inert(&format!("{}: {error}", args.plan)));
            return ExitCode::from(crate::PROBLEMS);
        }
    };
    let options = Options {
        include_secrets: args.include_secrets,
    };
    let files = export(&plan, format, &options);
    if format.is_multi_file() {
        if args.output == "-" {
            return fail(format!(
                "{} writes several files: give a folder with -o",
                format.name()
            ));
        }
        let dir = PathBuf::from(&args.output);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return fail(format!("cannot create {}: {e}", dir.display()));
        }
        for file in &files {
            // Per-cloud Terraform names its files within folders (`azure/main.tf`).
            let path = dir.join(&file.name);
            if let Some(parent) = path.parent() {
                if let Err(e) = std::fs::create_dir_all(parent) {
                    return fail(format!("cannot create {}: {e}", parent.display()));
                }
            }
            if let Err(message) = write(&path, &file.contents) {
                return fail(message);
            }
        }
        return ExitCode::SUCCESS;
    }
    let file = &files[0];
    if args.output == "-" {
        return crate::print(&file.contents);
    }
    let target = Path::new(&args.output);
    let path = if target.is_dir() {
        target.join(&file.name)
    } else {
        target.to_path_buf()
    };
    match write(&path, &file.contents) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(message),
    }
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
