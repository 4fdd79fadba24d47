//! Exports: pure, deterministic functions from a plan to text (same plan, same bytes) for the people a design is
//! handed on to. Every user-written string is escaped for its target language (see `escape`); nothing here
//! reads a clock, a random source or a hash map's order.
//!
//! - `terraform`: one root module for both clouds (versions.tf, variables.tf, azure.tf, aws.tf, outputs.tf)
//! - `terraform-per-cloud`: the same resources as two root modules, `azure/` and `aws/`, for one team per cloud
//! - `cloudformation`: the AWS side as a CloudFormation template, Azure addresses as parameters
//! - `mermaid`: a flowchart of both clouds, the tunnels and the declared flows
//! - `sheet`: the IKE/IPsec parameter sheet, both ends of each tunnel side by side (Markdown, CSV, HTML)
//! - `review_pack`: the architecture review document (Markdown, HTML): design, diagram, findings, flow traces,
//!   parameter sheet, plan fingerprint
//! - `plan_file`: the plan file itself, secrets left out unless asked

pub mod cloudformation;
pub mod escape;
pub mod fingerprint;
mod hcl;
pub mod mermaid;
pub mod naming;
pub mod plan_file;
pub mod review_pack;
pub mod sheet;
pub mod terraform;
pub mod topology;

use crate::model::Plan;

/// What the user chose for an export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Write the plan's pre-shared keys where a key goes. Off by default: keys become inputs or references.
    pub include_secrets: bool,
}

/// One output file: a name relative to the output folder, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub name: String,
    pub contents: String,
}

/// Every export format, by the name the command line and the app use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Terraform,
    TerraformPerCloud,
    CloudFormation,
    Mermaid,
    SheetMarkdown,
    SheetCsv,
    SheetHtml,
    ReviewMarkdown,
    ReviewHtml,
    Plan,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Terraform,
        Format::TerraformPerCloud,
        Format::CloudFormation,
        Format::Mermaid,
        Format::SheetMarkdown,
        Format::SheetCsv,
        Format::SheetHtml,
        Format::ReviewMarkdown,
        Format::ReviewHtml,
        Format::Plan,
    ];

    /// The name on the command line: `terraform`, `terraform-per-cloud`, `cloudformation`, `mermaid`, `sheet-md`, `sheet-csv`,
    /// `sheet-html`, `review-md`, `review-html`, `plan`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Terraform => "terraform",
            Format::TerraformPerCloud => "terraform-per-cloud",
            Format::CloudFormation => "cloudformation",
            Format::Mermaid => "mermaid",
            Format::SheetMarkdown => "sheet-md",
            Format::SheetCsv => "sheet-csv",
            Format::SheetHtml => "sheet-html",
            Format::ReviewMarkdown => "review-md",
            Format::ReviewHtml => "review-html",
            Format::Plan => "plan",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Whether the format writes several files (a folder) rather than one.
    pub fn is_multi_file(self) -> bool {
        matches!(self, Format::Terraform | Format::TerraformPerCloud)
    }
}

/// Runs one export. Single-file formats return one file named for its content (`diagram.mmd`, `plan.json`…).
pub fn export(plan: &Plan, format: Format, options: &Options) -> Vec<ExportFile> {
    let single = |name: &str, contents: String| {
        vec![ExportFile {
            name: name.to_string(),
            contents,
        }]
    };
    match format {
        Format::Terraform => terraform::terraform(plan, options),
        Format::TerraformPerCloud => terraform::terraform_per_cloud(plan, options),
        Format::CloudFormation => single(
            "aws.cfn.yaml",
            cloudformation::cloudformation(plan, options),
        ),
        Format::Mermaid => single("diagram.mmd", mermaid::mermaid(plan)),
        Format::SheetMarkdown => single("ipsec-sheet.md", sheet::markdown(plan)),
        Format::SheetCsv => single("ipsec-sheet.csv", sheet::csv(plan)),
        Format::SheetHtml => single("ipsec-sheet.html", sheet::html(plan)),
        Format::ReviewMarkdown => single("review.md", review_pack::review_markdown(plan)),
        Format::ReviewHtml => single("review.html", review_pack::review_html(plan)),
        Format::Plan => single(
            "plan.json",
            plan_file::export_plan(plan, options.include_secrets),
        ),
    }
}
