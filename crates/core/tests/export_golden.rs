//! Golden files: every export of the reference and static templates, compared byte for byte with the files
//! under tests/golden/, which were reviewed by eye. After an intended change, regenerate them with
//! `UPDATE_GOLDEN=1 cargo test -p vpn-designer-core --test export_golden` and review the diff.

use std::path::PathBuf;
use vpn_designer_core::export::{export, Format, Options};
use vpn_designer_core::templates::template;

fn golden_dir(template_name: &str, format: Format) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(template_name)
        .join(format.name())
}

fn check(template_name: &str, format: Format) {
    let plan = template(template_name).expect("template exists");
    let files = export(&plan, format, &Options::default());
    let dir = golden_dir(template_name, format);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    if update {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for file in &files {
            // Per-cloud Terraform writes into folders (`azure/main.tf`).
            let path = dir.join(&file.name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &file.contents).unwrap();
        }
        return;
    }
    let mut expected = files_under(&dir, "");
    expected.sort();
    let mut produced: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    produced.sort();
    assert_eq!(
        produced,
        expected,
        "{template_name} {}: file names",
        format.name()
    );
    for file in &files {
        let golden = std::fs::read_to_string(dir.join(&file.name)).unwrap();
        let (golden, produced) = (
            mask_review_engine(format, &golden),
            mask_review_engine(format, &file.contents),
        );
        if golden != produced {
            let line = golden
                .lines()
                .zip(produced.lines())
                .position(|(a, b)| a != b)
                .map_or_else(
                    || "at the end".to_string(),
                    |n| format!("at line {}", n + 1),
                );
            panic!(
                "{template_name} {} {}: differs from the golden file {line}; if intended, regenerate with UPDATE_GOLDEN=1 and review the diff",
                format.name(),
                file.name
            );
        }
    }
}

/// The files under `dir`, named relative to it with `/` between folders.
fn files_under(dir: &std::path::Path, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 once)", dir.display()));
    for entry in entries {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            names.extend(files_under(&entry.path(), &format!("{name}/")));
        } else {
            names.push(name);
        }
    }
    names
}

/// The review pack's findings come from the review engine, whose wording its own tests own: those lines are
/// compared by `review_pack_shows_every_finding` below, not byte for byte here (the golden files keep them, so
/// a reviewer still sees them).
fn mask_review_engine(format: Format, text: &str) -> String {
    let mut out = String::new();
    let mut in_findings = false;
    for line in text.lines() {
        let masked = match format {
            Format::ReviewMarkdown => {
                if line.starts_with("## ") {
                    in_findings = line.starts_with("## Findings");
                }
                in_findings
            }
            Format::ReviewHtml => {
                line.starts_with("<h2>Findings") || line.contains("<td class=\"sev-")
            }
            _ => false,
        };
        out.push_str(if masked {
            "(review engine output)"
        } else {
            line
        });
        out.push('\n');
    }
    out
}

#[test]
fn review_pack_shows_every_finding() {
    use vpn_designer_core::export::escape::{html, markdown};
    for name in ["reference", "static"] {
        let plan = template(name).unwrap();
        let findings = vpn_designer_core::review::review(&plan);
        let md = &export(&plan, Format::ReviewMarkdown, &Options::default())[0].contents;
        let page = &export(&plan, Format::ReviewHtml, &Options::default())[0].contents;
        for finding in &findings {
            assert!(md.contains(&format!(
                "| {} | {} |",
                markdown(&finding.code),
                finding.severity.name()
            )));
            assert!(
                md.contains(&markdown(&finding.message)),
                "{name}: {}",
                finding.message
            );
            assert!(
                page.contains(&html(&finding.message)),
                "{name}: {}",
                finding.message
            );
        }
        let (errors, warnings, _) = vpn_designer_core::review::counts(&findings);
        assert!(
            md.contains(&format!("## Findings: {errors} error")),
            "{name}"
        );
        assert!(
            page.contains(&format!("<h2>Findings: {errors} error")),
            "{name}"
        );
        assert!(md.contains(&format!(" {warnings} warning")), "{name}");
    }
}

#[test]
fn reference_exports_match_golden_files() {
    for format in Format::ALL {
        check("reference", *format);
    }
}

#[test]
fn static_exports_match_golden_files() {
    for format in Format::ALL {
        check("static", *format);
    }
}
