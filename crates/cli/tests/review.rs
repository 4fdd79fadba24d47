//! `review`, `trace` and `generate` as CI uses them: real process, real exit codes.

mod common;
use common::{run, text};

fn reference() -> String {
    text(&run(&["template", "reference"], None).stdout)
}

/// The reference with the AWS gateway's ASN moved out of Amazon's private range (BGP-002, an error).
fn broken() -> String {
    reference().replace("\"amazon_side_asn\": 64512", "\"amazon_side_asn\": 64000")
}

#[test]
fn review_of_the_templates_exits_zero_even_failing_on_warnings() {
    for name in ["reference", "static"] {
        let plan = text(&run(&["template", name], None).stdout);
        let out = run(&["review", "-", "--fail-on", "warning"], Some(&plan));
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stdout));
        assert!(text(&out.stdout).contains("0 errors, 0 warnings"));
    }
}

#[test]
fn review_exits_one_on_an_error_and_lists_it_in_every_format() {
    let plan = broken();
    let out = run(&["review", "-"], Some(&plan));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("1 error") && stdout.contains("BGP-002"),
        "{stdout}"
    );

    let json = run(&["review", "-", "--format", "json"], Some(&plan));
    let findings: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let bgp = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "BGP-002")
        .expect("BGP-002 in the json");
    assert_eq!(bgp["severity"], "error");
    assert_eq!(bgp["subjects"][0], "aws-vgw");
    assert!(bgp["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "AWS7"));

    let sarif = run(&["review", "-", "--format", "sarif"], Some(&plan));
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "BGP-002" && r["level"] == "error"));

    let md = run(&["review", "-", "--format", "markdown"], Some(&plan));
    assert!(text(&md.stdout).contains("| BGP-002 |"));

    // --fail-on never reports without failing.
    assert_eq!(
        run(&["review", "-", "--fail-on", "never"], Some(&plan))
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn review_of_an_unloadable_plan_exits_two() {
    let out = run(&["review", "-"], Some("{ not json"));
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["review", "/nonexistent/plan.json"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn trace_delivers_https_and_blocks_ssh_with_the_reason() {
    let plan = reference();
    let ok = run(
        &[
            "trace",
            "-",
            "--from",
            "10.1.1.10",
            "--to",
            "10.2.1.20",
            "--protocol",
            "tcp",
            "--port",
            "443",
        ],
        Some(&plan),
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stdout));
    assert!(text(&ok.stdout).contains("verdict: delivered"));

    let blocked = run(
        &[
            "trace",
            "-",
            "--from",
            "az-snet-app",
            "--to",
            "10.2.1.20",
            "--protocol",
            "tcp",
            "--port",
            "22",
            "--format",
            "json",
        ],
        Some(&plan),
    );
    assert_eq!(blocked.status.code(), Some(1));
    let t: serde_json::Value = serde_json::from_slice(&blocked.stdout).unwrap();
    assert_eq!(t["verdict"]["verdict"], "blocked");
    assert_eq!(t["verdict"]["code"], "SEC-002");
}

#[test]
fn a_trace_the_pipeline_got_wrong_is_a_usage_error_not_a_blocked_packet() {
    let plan = reference();
    for args in [
        &["--from", "az-snet-ap", "--to", "10.2.1.20", "--port", "443"][..],
        &["--from", "az-snet-app", "--to", "10.2.1.20", "--port", "0"][..],
    ] {
        let mut all = vec!["trace", "-", "--protocol", "tcp"];
        all.extend_from_slice(args);
        let out = run(&all, Some(&plan));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = run(
        &[
            "trace",
            "-",
            "--protocol",
            "tcp",
            "--from",
            "az-snet-ap",
            "--to",
            "10.2.1.20",
            "--port",
            "443",
        ],
        Some(&plan),
    );
    assert!(
        text(&out.stderr).contains("az-snet-app"),
        "{}",
        text(&out.stderr)
    );
    // A port is what TCP and UDP packets go to, and only they (QA s16: TCP without a port tried every port and
    // reported port 1 refused; ICMP with a port was accepted).
    for (protocol, port, says) in [
        ("tcp", None, "needs --port"),
        ("udp", None, "needs --port"),
        ("icmp", Some("443"), "tcp and udp only"),
        ("any", Some("443"), "tcp and udp only"),
    ] {
        let mut all = vec![
            "trace",
            "-",
            "--from",
            "az-snet-app",
            "--to",
            "10.2.1.20",
            "--protocol",
            protocol,
        ];
        if let Some(port) = port {
            all.extend_from_slice(&["--port", port]);
        }
        let out = run(&all, Some(&plan));
        assert_eq!(out.status.code(), Some(2), "{protocol}");
        assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
    }
    let icmp = run(
        &[
            "trace",
            "-",
            "--from",
            "az-snet-app",
            "--to",
            "10.2.1.20",
            "--protocol",
            "icmp",
        ],
        Some(&plan),
    );
    assert_ne!(icmp.status.code(), Some(2), "{}", text(&icmp.stderr));
}

#[test]
fn generate_makes_a_plan_that_validates_and_reviews_clean() {
    let out = run(&["generate", "--networks", "20", "--seed", "9"], None);
    assert!(out.status.success());
    let plan = text(&out.stdout);
    assert_eq!(run(&["validate", "-"], Some(&plan)).status.code(), Some(0));
    let review = run(&["review", "-", "--fail-on", "warning"], Some(&plan));
    assert_eq!(review.status.code(), Some(0), "{}", text(&review.stdout));
    // Same seed, same plan.
    let again = run(&["generate", "--networks", "20", "--seed", "9"], None);
    assert_eq!(text(&again.stdout), plan);
    assert_eq!(
        run(&["generate", "--networks", "0"], None).status.code(),
        Some(2)
    );
}

/// The command line reads plans past the browser's 32 MiB bound: `generate --networks 2000` and larger make
/// such files, and CI reviews them. (Padding stands in for the size, to keep the test quick.)
#[test]
fn review_reads_plans_larger_than_the_browser_accepts() {
    let plan = format!("{}{}", reference(), " ".repeat(33 * 1024 * 1024));
    let out = run(&["review", "-", "--fail-on", "warning"], Some(&plan));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("0 errors, 0 warnings"));
}

/// A file past the command line's 512 MiB bound is refused from its size, before it is read (a sparse file:
/// nothing is written to disk).
#[test]
fn a_file_past_the_bound_is_refused_unread() {
    let path = std::env::temp_dir().join(format!("vpn-designer-huge-{}.json", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(513 * 1024 * 1024).unwrap();
    drop(file);
    let out = run(&["review", path.to_str().unwrap()], None);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is larger than 536870912 bytes"),
        "{}",
        text(&out.stderr)
    );
}
