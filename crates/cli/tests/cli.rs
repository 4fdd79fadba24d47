//! The command line as CI uses it: real process, real exit codes.

mod common;
use common::{run, text};

#[test]
fn template_reference_piped_into_validate_exits_zero() {
    for name in ["reference", "static", "blank"] {
        let template = run(&["template", name], None);
        assert!(template.status.success(), "{name}");
        let validate = run(&["validate", "-"], Some(&text(&template.stdout)));
        assert_eq!(
            validate.status.code(),
            Some(0),
            "{name}: {}",
            text(&validate.stdout)
        );
        assert!(text(&validate.stdout).contains("valid plan"));
    }
}

#[test]
fn a_plan_name_with_an_escape_sequence_is_printed_inert() {
    // The name drives no terminal or CI log: its control characters are shown, not sent (QA s19).
    let plan = text(&run(&["template", "reference"], None).stdout)
        .replace("\"name\": \"Azure", "\"name\": \"\\u001b[2J\\u0007Azure");
    let out = run(&["validate", "-"], Some(&plan));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("[U+001B][2J[U+0007]Azure"), "{stdout}");
    // Nor a key or a name anywhere else in a message: a refused key, and a finding naming an object.
    let keyed = text(&run(&["template", "reference"], None).stdout).replacen(
        "\"schema_version\": 1,",
        "\"schema_version\": 1, \"\\u001b[31mx\": 1,",
        1,
    );
    let out = run(&["validate", "-"], Some(&keyed));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !text(&out.stdout).contains('\u{1b}'),
        "{:?}",
        text(&out.stdout)
    );
    let named = text(&run(&["template", "reference"], None).stdout)
        .replace("\"name\": \"vgw-app\"", "\"name\": \"vgw\\u001b[31m\"")
        .replace("\"amazon_side_asn\": 64512", "\"amazon_side_asn\": 65515");
    let out = run(&["review", "-"], Some(&named));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("BGP-001"), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}') && stdout.contains("vgw[U+001B][31m"),
        "{stdout}"
    );
}

#[test]
fn a_dangling_reference_exits_one_and_names_the_path() {
    let plan = text(&run(&["template", "reference"], None).stdout).replace(
        "\"local_network_gateway\": \"az-lng-vpn-1-t2\"",
        "\"local_network_gateway\": \"az-lng-gone\"",
    );
    let out = run(&["validate", "-"], Some(&plan));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("$.design.azure.connections[1].local_network_gateway"),
        "{stdout}"
    );
    assert!(stdout.contains("dangling reference"), "{stdout}");
}

#[test]
fn json_format_lists_problems_for_tools() {
    let out = run(
        &["validate", "-", "--format", "json"],
        Some("{\"schema_version\": 9, \"design\": {}}"),
    );
    assert_eq!(out.status.code(), Some(1));
    let problems: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(problems[0]["path"], "$.schema_version");
    let clean = run(&["template", "blank"], None);
    let out = run(
        &["validate", "-", "--format", "json"],
        Some(&text(&clean.stdout)),
    );
    assert_eq!(text(&out.stdout).trim(), "[]");
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(run(&["template", "nope"], None).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(run(&["validate"], None).status.code(), Some(2));
    let missing = run(&["validate", "/no/such/plan.json"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("cannot read /no/such/plan.json"));
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["template", "--help"],
        &["validate", "--help"],
    ] {
        let out = run(args, None);
        assert!(out.status.success(), "{args:?}");
        assert!(
            text(&out.stdout).contains("Usage: vpn-designer"),
            "{args:?}"
        );
    }
}

#[test]
fn malformed_json_and_binary_input_are_problems_not_crashes() {
    let out = run(&["validate", "-"], Some("{ not json"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("not valid JSON at line 1"));
}
