//! `vpn-designer export` as CI and engineers use it: real process, real files, real exit codes.

mod common;
use common::{run, text};

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn reference_json() -> String {
    text(&run(&["template", "reference"], None).stdout)
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("vpn-designer-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn terraform_goes_to_a_folder_with_the_five_files() {
    let dir = scratch("terraform").join("out");
    let out = run(
        &[
            "export",
            "-",
            "--format",
            "terraform",
            "-o",
            dir.to_str().unwrap(),
        ],
        Some(&reference_json()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "aws.tf",
            "azure.tf",
            "outputs.tf",
            "variables.tf",
            "versions.tf"
        ]
    );
    let azure = std::fs::read_to_string(dir.join("azure.tf")).unwrap();
    assert!(azure.contains("resource \"azurerm_virtual_network_gateway\""));
}

#[test]
fn single_file_formats_go_to_a_file_a_folder_or_standard_output() {
    let dir = scratch("single");
    let plan = dir.join("plan.json");
    std::fs::write(&plan, reference_json()).unwrap();
    let plan = plan.to_str().unwrap();
    for (format, default_name, marker) in [
        ("cloudformation", "aws.cfn.yaml", "AWS::EC2::VPNConnection"),
        ("mermaid", "diagram.mmd", "flowchart LR"),
        ("sheet-md", "ipsec-sheet.md", "| Parameter | Azure | AWS |"),
        ("sheet-csv", "ipsec-sheet.csv", "Tunnel,Parameter,Azure,AWS"),
        ("sheet-html", "ipsec-sheet.html", "<table>"),
        ("review-md", "review.md", "## Findings: "),
        ("review-html", "review.html", "<h2>Declared flows</h2>"),
        ("plan", "plan.json", "\"schema_version\": 1"),
    ] {
        let file = dir.join(format!("named-{default_name}"));
        let out = run(
            &[
                "export",
                plan,
                "--format",
                format,
                "-o",
                file.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            text(&out.stderr)
        );
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.contains(marker), "{format}");
        let folder = dir.join(format!("folder-{format}"));
        std::fs::create_dir_all(&folder).unwrap();
        let out = run(
            &[
                "export",
                plan,
                "--format",
                format,
                "-o",
                folder.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            std::fs::read_to_string(folder.join(default_name)).unwrap(),
            written
        );
        let out = run(&["export", plan, "--format", format, "-o", "-"], None);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(text(&out.stdout), written, "{format} to standard output");
    }
}

#[test]
fn the_plan_file_round_trips_through_export_and_validate() {
    let json = reference_json();
    let out = run(&["export", "-", "--format", "plan", "-o", "-"], Some(&json));
    assert_eq!(text(&out.stdout), json);
    let validate = run(&["validate", "-"], Some(&text(&out.stdout)));
    assert_eq!(validate.status.code(), Some(0));
}

#[test]
fn keys_are_written_only_with_include_secrets() {
    let mut plan: serde_json::Value = serde_json::from_str(&reference_json()).unwrap();
    plan["design"]["aws"]["vpn_connections"][0]["tunnels"][0]["pre_shared_key"] =
        "TopSecretKey.1".into();
    let json = plan.to_string();
    for format in ["cloudformation", "plan", "mermaid", "sheet-md"] {
        let without = run(&["export", "-", "--format", format, "-o", "-"], Some(&json));
        assert_eq!(without.status.code(), Some(0), "{}", text(&without.stderr));
        assert!(
            !text(&without.stdout).contains("TopSecretKey.1"),
            "{format}"
        );
        let with = run(
            &[
                "export",
                "-",
                "--format",
                format,
                "--include-secrets",
                "-o",
                "-",
            ],
            Some(&json),
        );
        let shown = text(&with.stdout).contains("TopSecretKey.1");
        assert_eq!(
            shown,
            matches!(format, "cloudformation" | "plan"),
            "{format} with --include-secrets"
        );
    }
}

#[test]
fn exit_codes_say_what_went_wrong() {
    // A plan with problems: 1, the problems on standard error, nothing written.
    let out = run(
        &["export", "-", "--format", "mermaid", "-o", "-"],
        Some("{\"schema_version\": 1}"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("design"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    // A missing file, Terraform to standard output, an unknown format: 2.
    let out = run(
        &[
            "export",
            "/nonexistent/plan.json",
            "--format",
            "plan",
            "-o",
            "-",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        &["export", "-", "--format", "terraform", "-o", "-"],
        Some(&reference_json()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("folder"));
    let out = run(
        &["export", "-", "--format", "pdf", "-o", "-"],
        Some(&reference_json()),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_review_pack_fingerprint_is_what_the_fingerprint_command_prints_for_any_layout_of_the_plan() {
    // JSON without the whitespace between tokens (strings kept as they are): serde_json's compact form.
    fn minified(json: &str) -> String {
        let (mut out, mut in_string, mut escaped) = (String::new(), false, false);
        for c in json.chars() {
            if in_string {
                in_string = escaped || c != '"';
                escaped = !escaped && c == '\\';
            } else if c == '"' {
                in_string = true;
            } else if c.is_whitespace() {
                continue;
            }
            out.push(c);
        }
        out
    }
    let json = reference_json();
    let review = text(
        &run(
            &["export", "-", "--format", "review-md", "-o", "-"],
            Some(&json),
        )
        .stdout,
    );
    let fingerprint = review
        .split("Plan fingerprint (SHA-256 of the plan's canonical JSON without secrets): `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .expect("the pack states its fingerprint")
        .to_string();
    assert_eq!(fingerprint.len(), 64);
    assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
    let plan_file = text(&run(&["export", "-", "--format", "plan", "-o", "-"], Some(&json)).stdout);
    // The same plan laid out differently (compact, and re-indented with tabs) has the same fingerprint.
    let compact = minified(&plan_file);
    let tabs = plan_file.replace("  ", "\t");
    for layout in [&plan_file, &compact, &tabs] {
        let out = run(&["fingerprint", "-"], Some(layout));
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(text(&out.stdout), format!("{fingerprint}\n"));
    }
    // The canonical JSON is the compact one: anyone can check with sha256sum (where the tool is present).
    if let Ok(mut child) = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(compact.as_bytes())
            .unwrap();
        let sum = text(&child.wait_with_output().unwrap().stdout);
        assert_eq!(sum.split_whitespace().next(), Some(fingerprint.as_str()));
    }
    // A different plan has a different fingerprint; a broken one is refused.
    let other = plan_file.replace("10.2.1.0/24", "10.2.3.0/24");
    assert_ne!(
        text(&run(&["fingerprint", "-"], Some(&other)).stdout),
        format!("{fingerprint}\n")
    );
    let broken = run(&["fingerprint", "-"], Some("{\"schema_version\": 1"));
    assert_eq!(broken.status.code(), Some(1));
    assert!(!text(&broken.stderr).is_empty());
}
