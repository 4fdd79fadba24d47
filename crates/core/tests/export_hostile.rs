//! Hostile names in every object kind, secrets, and determinism, for every export format.
//!
//! Each format is read back by a small reader of its own quoting rules (HCL and YAML double-quoted strings,
//! Mermaid quoted labels and entity codes, Markdown escapes, RFC 4180 CSV, HTML entities): every hostile name
//! must come back intact from inside a string, and nothing hostile may appear outside one. The external
//! validators (python-hcl2, tf-check, checkov, cfn-lint, mermaid in Chromium) run on the same plan in
//! scripts/validate-exports.sh.

use vpn_designer_core::export::{export, plan_file, Format, Options};
use vpn_designer_core::model::Secret;
use vpn_designer_core::templates::template;
use vpn_designer_core::{load_plan, Plan};

/// Everything that has broken an exporter somewhere: quotes, backslashes, interpolation, newlines, brackets,
/// Mermaid keywords and links, HTML, Markdown, CSV formulas, Mermaid directives and entities, non-ASCII.
const HOSTILE: &str = "q\"uo\\te ${var.x} %{if} $${ok}\nline2 ]end --> -.-> ==> <script>alert(1)</script> \
                       [x](y) |pipe| *b* _i_ `t` #quot; #35; %%{init: {}}%% &amp; 'single' é⇄雲 \u{2028}";

/// The plan's own name: as hostile as the loader lets a name be (one line, at most 120 characters; the loader
/// refuses control characters there, Rename too).
const HOSTILE_PLAN_NAME: &str =
    "q\"uo\\te ${var.x} %{if} $${ok} ]end --> <script>x</script> [x](y) |p| `t` #quot; %%{init: {}}%% &amp; 'q' é⇄ \u{2028}";

/// A distinct hostile name per object, so a test can tell which one went missing.
fn hostile(tag: &str) -> String {
    if tag == "DESIGN" {
        return format!("{tag}:{HOSTILE_PLAN_NAME}");
    }
    format!("{tag}:{HOSTILE}")
}

/// The reference design with every free-text field of every object kind replaced by a hostile string.
fn hostile_plan() -> (Plan, Vec<String>) {
    let mut plan = template("reference").unwrap();
    let mut names = Vec::new();
    let mut set = |field: &mut dyn Text, tag: &str| {
        field.put(hostile(tag));
        names.push(tag.to_string());
    };
    // A network ACL too (the reference has none), so its name and entries go through every format.
    vpn_designer_core::edit::acl::add_network_acl(&mut plan, "aws-snet-app").unwrap();
    // Narrowed as a designer would (the new ACL's allow-all entries are what checkov rightly flags).
    {
        use vpn_designer_core::model::common::{PortRange, Protocol};
        let acl = &mut plan.design.aws.network_acls[0];
        let azure_app: ipnet::IpNet = "10.1.1.0/24".parse().unwrap();
        for entry in acl.ingress.iter_mut().chain(acl.egress.iter_mut()) {
            entry.protocol = Protocol::Tcp;
            entry.cidr = azure_app;
        }
        acl.ingress[0].ports = PortRange::single(443);
        acl.egress[0].ports = PortRange {
            from: 1024,
            to: 65535,
        };
    }
    let d = &mut plan.design;
    set(&mut d.name, "DESIGN");
    set(&mut d.description, "DESCRIPTION");
    for (i, vnet) in d.azure.vnets.iter_mut().enumerate() {
        set(&mut vnet.name, &format!("VNET{i}"));
        set(&mut vnet.resource_group, &format!("RG{i}"));
        for (j, subnet) in vnet.subnets.iter_mut().enumerate() {
            if !subnet.is_gateway_subnet() {
                set(&mut subnet.name, &format!("AZSUBNET{i}_{j}"));
            }
        }
    }
    for (i, pip) in d.azure.public_ips.iter_mut().enumerate() {
        set(&mut pip.name, &format!("PIP{i}"));
    }
    for (i, gw) in d.azure.vpn_gateways.iter_mut().enumerate() {
        set(&mut gw.name, &format!("AZGW{i}"));
        for (j, config) in gw.ip_configurations.iter_mut().enumerate() {
            set(&mut config.name, &format!("IPCONF{i}_{j}"));
        }
    }
    for (i, lng) in d.azure.local_network_gateways.iter_mut().enumerate() {
        set(&mut lng.name, &format!("LNG{i}"));
    }
    for (i, c) in d.azure.connections.iter_mut().enumerate() {
        set(&mut c.name, &format!("AZCONN{i}"));
    }
    for (i, nsg) in d.azure.nsgs.iter_mut().enumerate() {
        set(&mut nsg.name, &format!("NSG{i}"));
        for (j, rule) in nsg.rules.iter_mut().enumerate() {
            set(&mut rule.name, &format!("NSGRULE{i}_{j}"));
            set(&mut rule.description, &format!("NSGRULEDESC{i}_{j}"));
        }
    }
    for (i, rt) in d.azure.route_tables.iter_mut().enumerate() {
        set(&mut rt.name, &format!("AZRT{i}"));
        rt.routes.push(vpn_designer_core::model::azure::Route {
            name: Default::default(),
            address_prefix: "10.9.0.0/16".parse().unwrap(),
            next_hop_type: vpn_designer_core::model::azure::NextHopType::VirtualNetworkGateway,
            next_hop_ip: None,
        });
        set(&mut rt.routes[0].name, &format!("AZROUTE{i}"));
    }
    for (i, vpc) in d.aws.vpcs.iter_mut().enumerate() {
        set(&mut vpc.name, &format!("VPC{i}"));
        for (j, subnet) in vpc.subnets.iter_mut().enumerate() {
            set(&mut subnet.name, &format!("AWSSUBNET{i}_{j}"));
        }
    }
    for (i, vgw) in d.aws.vpn_gateways.iter_mut().enumerate() {
        set(&mut vgw.name, &format!("VGW{i}"));
    }
    for (i, cgw) in d.aws.customer_gateways.iter_mut().enumerate() {
        set(&mut cgw.name, &format!("CGW{i}"));
        set(&mut cgw.device_name, &format!("CGWDEVICE{i}"));
    }
    for (i, c) in d.aws.vpn_connections.iter_mut().enumerate() {
        set(&mut c.name, &format!("AWSVPN{i}"));
    }
    for (i, rt) in d.aws.route_tables.iter_mut().enumerate() {
        set(&mut rt.name, &format!("AWSRT{i}"));
    }
    for (i, sg) in d.aws.security_groups.iter_mut().enumerate() {
        set(&mut sg.name, &format!("SG{i}"));
        set(&mut sg.description, &format!("SGDESC{i}"));
        for (j, rule) in sg
            .ingress
            .iter_mut()
            .chain(sg.egress.iter_mut())
            .enumerate()
        {
            set(&mut rule.description, &format!("SGRULE{i}_{j}"));
        }
    }
    for (i, acl) in d.aws.network_acls.iter_mut().enumerate() {
        set(&mut acl.name, &format!("NACL{i}"));
    }
    for (i, flow) in d.flows.iter_mut().enumerate() {
        set(&mut flow.name, &format!("FLOW{i}"));
    }
    (plan, names)
}

/// The names each format is expected to show: the parameter sheet shows only tunnel-related objects, the
/// diagram no rules or ACLs, CloudFormation only the AWS side.
fn shown_in(format: Format, tag: &str) -> bool {
    let azure_only = [
        "VNET", "RG", "AZSUBNET", "PIP", "AZGW", "IPCONF", "LNG", "AZCONN", "NSG", "AZRT",
        "AZROUTE",
    ];
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| tag.starts_with(p));
    match format {
        // Terraform names the design only in a comment (checked below: comments hold no line break).
        Format::Terraform | Format::TerraformPerCloud | Format::Plan => {
            !starts(&["DESIGN", "DESCRIPTION", "FLOW"]) || format == Format::Plan
        }
        Format::CloudFormation => {
            // The customer gateways' descriptions name the Azure public IPs and connections they stand for.
            // Inline security group rules take no tags, and AWS allows few characters in their descriptions:
            // those are mapped onto the allowed set (see the test below), not shown intact.
            !starts(&azure_only) && !starts(&["DESCRIPTION", "FLOW", "SGRULE"])
                || starts(&["PIP", "AZCONN"])
        }
        Format::Mermaid => !starts(&[
            "NACL",
            "NSG",
            "AZRT",
            "AZROUTE",
            "SG",
            "AWSRT",
            "DESCRIPTION",
            "IPCONF",
            "CGWDEVICE",
        ]),
        Format::ReviewMarkdown => {
            shown_in(Format::Mermaid, tag)
                || shown_in(Format::SheetMarkdown, tag)
                || starts(&["FLOW", "DESIGN", "DESCRIPTION"])
        }
        Format::ReviewHtml => {
            shown_in(Format::SheetHtml, tag) || starts(&["FLOW", "DESIGN", "DESCRIPTION"])
        }
        Format::SheetMarkdown | Format::SheetCsv | Format::SheetHtml => {
            // The CSV is rows only: the design's name is the file's business, not a cell's.
            (starts(&["PIP", "AZGW", "LNG", "AZCONN", "VGW", "CGW", "AWSVPN"])
                || (tag.starts_with("DESIGN") && format != Format::SheetCsv))
                && !tag.starts_with("CGWDEVICE")
        }
    }
}

// ------------------------------------------------------------------------------------------- readers

/// Reads every HCL quoted string of a file (skipping `#` comments), decoding escapes; fails on an unescaped
/// interpolation or directive, a raw newline in a string, or an unknown escape. Returns (strings, code outside).
fn hcl_strings(text: &str) -> Result<(Vec<String>, String), String> {
    let mut strings = Vec::new();
    let mut code = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                code.push('\n');
            }
            '"' => {
                let mut s = String::new();
                loop {
                    let c = chars.next().ok_or("unterminated string")?;
                    match c {
                        '"' => break,
                        '\n' => return Err(format!("raw newline in string {s:?}")),
                        '\\' => match chars.next().ok_or("dangling backslash")? {
                            'n' => s.push('\n'),
                            'r' => s.push('\r'),
                            't' => s.push('\t'),
                            '"' => s.push('"'),
                            '\\' => s.push('\\'),
                            'u' => {
                                let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                                s.push(
                                    char::from_u32(
                                        u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?,
                                    )
                                    .unwrap(),
                                );
                            }
                            'U' => {
                                let hex: String = (0..8).filter_map(|_| chars.next()).collect();
                                s.push(
                                    char::from_u32(
                                        u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?,
                                    )
                                    .unwrap(),
                                );
                            }
                            other => return Err(format!("unknown escape \\{other}")),
                        },
                        '$' | '%' if chars.peek() == Some(&c) => {
                            chars.next();
                            if chars.peek() == Some(&'{') {
                                s.push(c); // `$${` is a literal `${`
                            } else {
                                s.push(c);
                                s.push(c);
                            }
                        }
                        '$' | '%' if chars.peek() == Some(&'{') => {
                            return Err(format!("template sequence {c}{{ in string {s:?}"));
                        }
                        c => s.push(c),
                    }
                }
                strings.push(s);
                code.push_str("\"\"");
            }
            c => code.push(c),
        }
    }
    Ok((strings, code))
}

/// Reads every YAML double-quoted scalar, decoding escapes; the text after a closing quote must end the line or
/// continue a flow collection. Returns (strings, the text outside them).
fn yaml_strings(text: &str) -> Result<(Vec<String>, String), String> {
    let mut strings = Vec::new();
    let mut code = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            code.push('\n');
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '"' {
                code.push(c);
                continue;
            }
            let mut s = String::new();
            loop {
                let c = chars
                    .next()
                    .ok_or_else(|| format!("unterminated string in {line:?}"))?;
                match c {
                    '"' => break,
                    '\\' => match chars.next().ok_or("dangling backslash")? {
                        'n' => s.push('\n'),
                        'r' => s.push('\r'),
                        't' => s.push('\t'),
                        '"' => s.push('"'),
                        '\\' => s.push('\\'),
                        'u' => {
                            let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                            s.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                        }
                        other => return Err(format!("unexpected escape \\{other}")),
                    },
                    c => s.push(c),
                }
            }
            let rest: String = chars.clone().collect();
            let rest = rest.trim_start();
            if !(rest.is_empty() || rest.starts_with(['}', ']', ','])) {
                return Err(format!("text after a quoted scalar: {line:?}"));
            }
            strings.push(s);
            code.push_str("\"\"");
        }
        code.push('\n');
    }
    Ok((strings, code))
}

/// Decodes Mermaid quoted labels (`"…"`, entity codes `#quot;` / `#NN;`, `<br/>` line breaks).
fn mermaid_strings(text: &str) -> Result<(Vec<String>, String), String> {
    let mut strings = Vec::new();
    let mut code = String::new();
    let body = match text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
    {
        Some((front_matter, body)) => {
            let (titles, outside) = yaml_strings(front_matter)?;
            strings.extend(titles);
            code.push_str(&outside);
            body
        }
        None => text,
    };
    for line in body.lines() {
        let mut parts = line.split('"');
        code.push_str(parts.next().unwrap_or(""));
        let rest: Vec<&str> = parts.collect();
        if !rest.len().is_multiple_of(2) {
            return Err(format!("unbalanced quotes: {line:?}"));
        }
        for (i, part) in rest.iter().enumerate() {
            if i % 2 == 0 {
                let mut s = part.replace("<br/>", "\n");
                let mut decoded = String::new();
                while let Some(start) = s.find('#') {
                    decoded.push_str(&s[..start]);
                    let end = s[start..].find(';').ok_or("unterminated entity")? + start;
                    let entity = &s[start + 1..end];
                    decoded.push(match entity {
                        "quot" => '"',
                        n => char::from_u32(n.parse().map_err(|_| format!("bad entity #{n};"))?)
                            .unwrap(),
                    });
                    s = s[end + 1..].to_string();
                }
                decoded.push_str(&s);
                if part.contains(['<', '>'])
                    && !part
                        .replace("<br/>", "")
                        .chars()
                        .all(|c| c != '<' && c != '>')
                {
                    return Err(format!("raw angle bracket in label {part:?}"));
                }
                strings.push(decoded);
                code.push_str("\"\"");
            } else {
                code.push_str(part);
            }
        }
        code.push('\n');
    }
    Ok((strings, code))
}

/// The review pack in Markdown: its fenced Mermaid diagram read as Mermaid, the rest as Markdown text (backslash
/// escapes, `<br>`, entities), which must hold no raw HTML tag.
fn review_markdown_strings(text: &str) -> Result<(Vec<String>, String), String> {
    let start = text.find("mermaid\n").ok_or("no mermaid block")?;
    let fence_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let fence = &text[fence_start..start];
    if fence.len() < 3 || !fence.chars().all(|c| c == '`') {
        return Err(format!("bad fence {fence:?}"));
    }
    let body_start = start + "mermaid\n".len();
    let closing = format!("\n{fence}\n");
    let end = text[body_start..].find(&closing).ok_or("unclosed fence")? + body_start;
    let (mut strings, outside) = mermaid_strings(&text[body_start..end + 1])?;
    let rest = format!("{}{}", &text[..fence_start], &text[end + closing.len()..]);
    if rest.replace("<br>", "").contains('<') {
        return Err("raw HTML in the Markdown text".into());
    }
    let mut decoded = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        decoded.push(if c == '\\' {
            chars.next().ok_or("dangling backslash")?
        } else {
            c
        });
    }
    strings.push(html_decode(&decoded.replace("<br>", "\n")));
    Ok((strings, outside))
}

fn html_decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x2028;", "\u{2028}")
        .replace("&amp;", "&")
}

/// Markdown table cells: split on unescaped `|`, then undo backslash escapes, `<br>` and entities.
fn markdown_cells(text: &str) -> Result<Vec<String>, String> {
    let mut cells = Vec::new();
    for heading in text.lines().filter(|l| l.starts_with('#')) {
        let mut decoded = String::new();
        let mut chars = heading.chars();
        while let Some(c) = chars.next() {
            decoded.push(if c == '\\' {
                chars.next().ok_or("dangling backslash")?
            } else {
                c
            });
        }
        cells.push(html_decode(&decoded.replace("<br>", "\n")));
    }
    for line in text.lines().filter(|l| l.starts_with('|')) {
        let mut current = String::new();
        let mut row = Vec::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    let next = chars.next().ok_or("dangling backslash")?;
                    current.push(next);
                }
                '|' => row.push(std::mem::take(&mut current)),
                c => current.push(c),
            }
        }
        if row.len() != 5 {
            return Err(format!("row with {} cells: {line:?}", row.len()));
        }
        cells.extend(
            row.into_iter()
                .map(|cell| html_decode(&cell.trim().replace("<br>", "\n"))),
        );
    }
    Ok(cells)
}

/// RFC 4180: records of fields, quoted fields with doubled quotes; returns every field, guard quote removed.
fn csv_fields(text: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = text.chars().peekable();
    let mut record_len = 0;
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next().ok_or("unterminated quoted field")? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' || c == '\r' || c == '\n' {
                    break;
                }
                if c == '"' {
                    return Err("quote inside an unquoted field".into());
                }
                field.push(c);
                chars.next();
            }
            if field.starts_with(['=', '+', '-', '@']) {
                return Err(format!("unguarded formula: {field:?}"));
            }
        }
        record_len += 1;
        let guarded = field
            .strip_prefix('\'')
            .filter(|f| f.starts_with(['=', '+', '-', '@', '\t', '\r']));
        fields.push(guarded.map(str::to_string).unwrap_or(field));
        match chars.next() {
            Some(',') => continue,
            Some('\r') => {
                if chars.next() != Some('\n') {
                    return Err("CR without LF".into());
                }
                if record_len != 5 {
                    return Err(format!("record with {record_len} fields"));
                }
                record_len = 0;
                if chars.peek().is_none() {
                    return Ok(fields);
                }
            }
            None => return Ok(fields),
            Some(c) => return Err(format!("unexpected {c:?} after a field")),
        }
    }
}

/// The hostile text as each format can show it: HCL, YAML and Mermaid replace nothing; the Markdown sheet keeps
/// line breaks as `<br>`. The CSV and HTML show it all. Returns the tags whose full hostile name is missing.
fn missing(format: Format, strings: &[String], names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|tag| shown_in(format, tag))
        .filter(|tag| {
            let wanted = hostile(tag);
            !strings.iter().any(|s| s.contains(&wanted))
        })
        .cloned()
        .collect()
}

fn assert_nothing_outside(format: Format, outside: &str) {
    for fragment in ["<script", "alert(1)", "var.x", "%{if}", "é⇄雲", "end -->"] {
        assert!(
            !outside.contains(fragment),
            "{}: {fragment:?} outside any string:\n{outside}",
            format.name()
        );
    }
}

#[test]
fn hostile_names_come_out_intact_and_inject_nothing_in_every_format() {
    let (plan, names) = hostile_plan();
    // The hostile plan is a valid plan: the loader takes it.
    load_plan(&plan.to_json()).expect("the hostile plan loads");
    for format in Format::ALL {
        let files = export(&plan, *format, &Options::default());
        assert!(!files.is_empty());
        let mut strings = Vec::new();
        let mut outside = String::new();
        for file in &files {
            let text = &file.contents;
            let (s, code) = match format {
                Format::Terraform | Format::TerraformPerCloud => hcl_strings(text),
                Format::CloudFormation => yaml_strings(text),
                Format::Mermaid => mermaid_strings(text),
                Format::SheetMarkdown => markdown_cells(text).map(|cells| (cells, String::new())),
                Format::SheetCsv => csv_fields(text).map(|fields| (fields, String::new())),
                Format::SheetHtml | Format::ReviewHtml => {
                    assert!(!text.contains("<script"), "HTML has a script element");
                    Ok((vec![html_decode(text)], String::new()))
                }
                Format::ReviewMarkdown => review_markdown_strings(text),
                Format::Plan => {
                    let back = load_plan(text).expect("plan file loads");
                    Ok((
                        vec![back.to_json(), serde_json::to_string(&back).unwrap()],
                        String::new(),
                    ))
                }
            }
            .unwrap_or_else(|e| panic!("{} {}: {e}", format.name(), file.name));
            strings.extend(s);
            outside.push_str(&code);
        }
        if *format == Format::Plan {
            let decoded: Plan = load_plan(&files[0].contents).unwrap();
            assert_eq!(decoded, plan, "the plan file round-trips");
            continue;
        }
        let lost = missing(*format, &strings, &names);
        assert!(
            lost.is_empty(),
            "{}: names not shown intact: {lost:?}",
            format.name()
        );
        assert_nothing_outside(*format, &outside);
    }
}

#[test]
fn every_export_is_deterministic() {
    let (plan, _) = hostile_plan();
    for format in Format::ALL {
        for options in [
            Options::default(),
            Options {
                include_secrets: true,
            },
        ] {
            let first = export(&plan, *format, &options);
            let second = export(&plan.clone(), *format, &options);
            assert_eq!(first, second, "{}", format.name());
        }
    }
}

fn with_secrets() -> (Plan, Vec<String>) {
    let mut plan = template("reference").unwrap();
    let mut secrets = Vec::new();
    for (i, c) in plan.design.azure.connections.iter_mut().enumerate() {
        let value = format!("AzureSecretKey{i}x");
        c.shared_key = Some(Secret::new(value.clone()));
        secrets.push(value);
    }
    for (i, c) in plan.design.aws.vpn_connections.iter_mut().enumerate() {
        for (j, t) in c.tunnels.iter_mut().enumerate() {
            let value = format!("AwsSecretKey{i}{j}x");
            t.pre_shared_key = Some(Secret::new(value.clone()));
            secrets.push(value);
        }
    }
    (plan, secrets)
}

#[test]
fn secrets_appear_in_no_export_unless_asked() {
    let (plan, secrets) = with_secrets();
    for format in Format::ALL {
        for file in export(&plan, *format, &Options::default()) {
            for secret in &secrets {
                assert!(
                    !file.contents.contains(secret),
                    "{} {} leaks {secret}",
                    format.name(),
                    file.name
                );
            }
        }
    }
}

#[test]
fn secrets_are_written_only_where_a_key_goes_when_asked() {
    let (plan, secrets) = with_secrets();
    let asked = Options {
        include_secrets: true,
    };
    for format in Format::ALL {
        let text: String = export(&plan, *format, &asked)
            .into_iter()
            .map(|f| f.contents)
            .collect();
        let expected: Vec<&String> = match format {
            Format::Terraform | Format::TerraformPerCloud | Format::Plan => {
                secrets.iter().collect()
            }
            Format::CloudFormation => secrets.iter().filter(|s| s.starts_with("Aws")).collect(),
            // Diagrams and sheets are handed to people: never a key, asked or not.
            _ => Vec::new(),
        };
        for secret in &secrets {
            assert_eq!(
                text.contains(secret.as_str()),
                expected.contains(&secret),
                "{} and {secret}",
                format.name()
            );
        }
    }
    // With the plan's keys written, Terraform asks for no key variable.
    let terraform = export(&plan, Format::Terraform, &asked);
    let variables = terraform.iter().find(|f| f.name == "variables.tf").unwrap();
    assert!(
        !variables.contents.contains("sensitive"),
        "{}",
        variables.contents
    );
}

#[test]
fn the_sheet_names_the_variable_terraform_asks_for_when_keys_are_left_out() {
    // The keys are in the plan but the download leaves them out: Terraform asks for var.psk_…, and the sheet
    // handed on beside it must name that variable, not only "set in the plan".
    let (plan, _) = with_secrets();
    let terraform: String = export(&plan, Format::Terraform, &Options::default())
        .into_iter()
        .map(|f| f.contents)
        .collect();
    assert!(terraform.contains("var.psk_aws_vpn_1_tunnel1"));
    let sheet: String = export(&plan, Format::SheetCsv, &Options::default())
        .into_iter()
        .map(|f| f.contents)
        .collect();
    assert!(
        sheet.contains("set in the plan") && sheet.contains("psk_aws_vpn_1_tunnel1"),
        "{sheet}"
    );
}

#[test]
fn unset_keys_are_one_sensitive_variable_per_tunnel_shared_by_both_ends() {
    let plan = template("reference").unwrap();
    let files = export(&plan, Format::Terraform, &Options::default());
    let variables = &files
        .iter()
        .find(|f| f.name == "variables.tf")
        .unwrap()
        .contents;
    let azure = &files
        .iter()
        .find(|f| f.name == "azure.tf")
        .unwrap()
        .contents;
    let aws = &files.iter().find(|f| f.name == "aws.tf").unwrap().contents;
    assert_eq!(variables.matches("sensitive   = true").count(), 4);
    for (connection, tunnel) in [
        ("aws_vpn_1", 1),
        ("aws_vpn_1", 2),
        ("aws_vpn_2", 1),
        ("aws_vpn_2", 2),
    ] {
        let var = format!("var.psk_{connection}_tunnel{tunnel}");
        assert_eq!(azure.matches(&var).count(), 1, "{var} in azure.tf");
        assert_eq!(aws.matches(&var).count(), 1, "{var} in aws.tf");
        assert!(aws.contains(&format!("tunnel{tunnel}_preshared_key")));
    }
}

#[test]
fn addresses_known_after_apply_are_references_across_the_clouds() {
    let plan = template("reference").unwrap();
    let files = export(&plan, Format::Terraform, &Options::default());
    let azure = &files
        .iter()
        .find(|f| f.name == "azure.tf")
        .unwrap()
        .contents;
    let aws = &files.iter().find(|f| f.name == "aws.tf").unwrap().contents;
    for n in 1..=2 {
        assert!(azure.contains(&format!(
            "gateway_address     = aws_vpn_connection.aws_vpn_1.tunnel{n}_address"
        )));
    }
    assert!(aws.contains("ip_address  = azurerm_public_ip.az_pip_1.ip_address"));
    assert!(aws.contains("ip_address  = azurerm_public_ip.az_pip_2.ip_address"));
}

#[test]
fn the_plan_file_round_trips_exactly_and_drops_secrets_unless_asked() {
    for name in ["reference", "static", "blank"] {
        let plan = template(name).unwrap();
        let text = plan_file::export_plan(&plan, false);
        let back = plan_file::import_plan(&text).unwrap();
        assert_eq!(back, plan);
        assert_eq!(
            plan_file::export_plan(&back, false),
            text,
            "same bytes again"
        );
    }
    let (plan, secrets) = with_secrets();
    let without = plan_file::import_plan(&plan_file::export_plan(&plan, false)).unwrap();
    assert!(without
        .design
        .azure
        .connections
        .iter()
        .all(|c| c.shared_key.is_none()));
    let with = plan_file::import_plan(&plan_file::export_plan(&plan, true)).unwrap();
    assert_eq!(with, plan);
    assert!(secrets
        .iter()
        .all(|s| plan_file::export_plan(&plan, true).contains(s)));
}

#[test]
fn the_readers_in_this_file_reject_what_they_must() {
    // The readers above are what the hostile test trusts: show that they can fail.
    assert!(hcl_strings("a = \"${var.x}\"").is_err());
    assert!(hcl_strings("a = \"x\ny\"").is_err());
    assert!(hcl_strings("a = \"$${var.x}\"").is_ok());
    assert!(yaml_strings("a: \"x\" y").is_err());
    assert!(csv_fields("=1+1,b,c,d,e\r\n").is_err());
    assert!(csv_fields("a,b\r\n").is_err());
    assert!(markdown_cells("| a | b | c |\n").is_err());
    assert!(mermaid_strings("a[\"x\"\"]\n").is_err());
}

/// scripts/validate-exports.sh exports tests/exports/hostile.plan.json with the command line and runs the real
/// validators on it; the Mermaid check also needs the texts the diagram must show. Both files are this test's
/// hostile plan, kept current here (`UPDATE_GOLDEN=1` rewrites them).
#[test]
fn the_validators_hostile_plan_file_is_current() {
    let (plan, names) = hostile_plan();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/exports");
    let first_line = HOSTILE.split('\n').next().unwrap();
    let second_line = HOSTILE
        .split('\n')
        .nth(1)
        .unwrap()
        .trim_end_matches('\u{2028}')
        .trim_end();
    let mut expect = String::new();
    for tag in names
        .iter()
        .filter(|tag| shown_in(Format::Mermaid, tag) && !tag.starts_with("DESIGN"))
    {
        expect.push_str(&format!("{tag}:{first_line}\n"));
    }
    expect.push_str(second_line);
    expect.push('\n');
    let wanted = [
        ("hostile.plan.json", plan.to_json()),
        ("hostile.expect.txt", expect),
    ];
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &wanted {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    for (name, text) in &wanted {
        let on_disk = std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|e| panic!("tests/exports/{name}: {e} (run with UPDATE_GOLDEN=1)"));
        assert_eq!(
            &on_disk, text,
            "tests/exports/{name} is stale: run with UPDATE_GOLDEN=1"
        );
    }
}

#[test]
fn security_group_texts_are_ones_aws_accepts() {
    let (plan, _) = hostile_plan();
    let allowed = |text: &str| {
        text.chars()
            .all(|c| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c))
    };
    let cfn = &export(&plan, Format::CloudFormation, &Options::default())[0].contents;
    let (_, _) = yaml_strings(cfn).unwrap();
    for line in cfn.lines() {
        let line = line.trim_start().trim_start_matches("- ");
        for key in ["GroupName: ", "GroupDescription: ", "Description: "] {
            if let Some(value) = line.strip_prefix(key) {
                if key == "Description: " && !cfn_is_sg_rule_description(cfn, line) {
                    continue;
                }
                let (decoded, _) = yaml_strings(value).unwrap();
                assert!(allowed(&decoded[0]), "{key}{value}");
            }
        }
    }
    assert!(
        !cfn.contains("GroupName:"),
        "a name AWS refuses is left for AWS to generate"
    );
    let aws = export(&plan, Format::Terraform, &Options::default());
    let aws = &aws.iter().find(|f| f.name == "aws.tf").unwrap().contents;
    let (strings, _) = hcl_strings(aws).unwrap();
    assert!(
        strings.iter().any(|s| s == &hostile("SGDESC0")),
        "the description tag keeps the text"
    );
    assert!(
        strings.iter().any(|s| s == &hostile("SGRULE0_0")),
        "the rule's tag keeps the text"
    );
}

/// Rule descriptions sit in the SecurityGroupIngress/Egress lists, at a deeper indent than the tags.
fn cfn_is_sg_rule_description(cfn: &str, trimmed: &str) -> bool {
    cfn.lines()
        .any(|l| l.starts_with("          Description: ") && l.trim_start() == trimmed)
}

#[test]
fn every_security_group_rule_gets_a_description() {
    let mut plan = template("reference").unwrap();
    for group in &mut plan.design.aws.security_groups {
        for rule in group.ingress.iter_mut().chain(group.egress.iter_mut()) {
            rule.description.clear();
        }
    }
    let terraform = export(&plan, Format::Terraform, &Options::default());
    let aws = &terraform
        .iter()
        .find(|f| f.name == "aws.tf")
        .unwrap()
        .contents;
    assert!(aws.contains(
        "description       = \"VPN Designer rule aws-sg-app-in-443: tcp 443 10.1.1.0/24\""
    ));
    let cfn = &export(&plan, Format::CloudFormation, &Options::default())[0].contents;
    assert!(
        cfn.contains("Description: \"VPN Designer rule aws-sg-app-out-443: tcp 443 10.1.1.0/24\"")
    );
}

/// The model's text fields: `String` for the plan's own, `InlineStr` for objects' names.
trait Text {
    fn put(&mut self, text: String);
}

impl Text for String {
    fn put(&mut self, text: String) {
        *self = text;
    }
}

impl Text for vpn_designer_core::model::inline::InlineStr {
    fn put(&mut self, text: String) {
        *self = text.into();
    }
}

/// The parameter sheet of `plan`, as Markdown.
fn sheet_markdown(plan: &vpn_designer_core::model::Plan) -> String {
    export(plan, Format::SheetMarkdown, &Options::default())
        .into_iter()
        .map(|f| f.contents)
        .collect()
}

#[test]
fn the_sheet_calls_an_api_only_gcm_ike_integrity_unconfirmed_as_the_review_does() {
    // IKE-010: GCMAES IKE integrity with a GCM cipher is a warning in the review, not a mismatch; the sheet read
    // "NO" beside it (QA s16).
    let mut plan = template("reference").unwrap();
    let policy = plan.design.azure.connections[0]
        .ipsec_policy
        .as_mut()
        .unwrap();
    policy.ike_encryption = Some(vpn_designer_core::model::azure::IkeEncryption::GcmAes256);
    policy.ike_integrity = Some(vpn_designer_core::model::azure::IkeIntegrity::GcmAes256);
    plan.design.aws.vpn_connections[0].tunnels[0].phase1_encryption =
        vec![vpn_designer_core::model::aws::Encryption::Aes256Gcm16];
    let sheet = sheet_markdown(&plan);
    let row = sheet
        .lines()
        .find(|l| l.contains("Phase 1 integrity") && l.contains("GCMAES256"))
        .expect("the row");
    assert!(row.contains("unconfirmed (IKE-010)"), "{row}");
    assert!(!row.contains("NO"), "{row}");
    // With no AWS integrity value at all there is nothing to pair with: the review says IKE-001, the sheet NO.
    plan.design.aws.vpn_connections[0].tunnels[0]
        .phase1_integrity
        .clear();
    assert!(vpn_designer_core::review::review(&plan)
        .iter()
        .any(|f| f.code == "IKE-001"));
    let sheet = sheet_markdown(&plan);
    let row = sheet
        .lines()
        .find(|l| l.contains("Phase 1 integrity") && l.contains("GCMAES256"))
        .expect("the row");
    assert!(row.contains("NO"), "{row}");
}

#[test]
fn the_sheet_compares_azures_default_proposals_with_the_aws_tunnel() {
    // No custom policy: Azure offers its defaults, phase 1 with DH group 2 only [AZ9]. Against the reference's AWS
    // tunnel pinned to group 14 the sheet said nothing; it says NO there, as the review's IKE-001 does, and yes
    // where a default value fits.
    let mut plan = template("reference").unwrap();
    plan.design.azure.connections[0].ipsec_policy = None;
    assert!(vpn_designer_core::review::review(&plan)
        .iter()
        .any(|f| f.code == "IKE-001"));
    let sheet = sheet_markdown(&plan);
    let row = |name: &str| -> String {
        sheet
            .lines()
            .find(|l| l.contains(name) && l.contains("Azure default proposals"))
            .unwrap_or_else(|| panic!("{name}"))
            .to_string()
    };
    assert!(
        row("Phase 1 DH group").contains("| NO |"),
        "{}",
        row("Phase 1 DH group")
    );
    assert!(
        row("Phase 1 encryption").contains("| yes |"),
        "{}",
        row("Phase 1 encryption")
    );
    assert!(
        row("Phase 1 integrity").contains("| yes |"),
        "{}",
        row("Phase 1 integrity")
    );
    // AES256 / SHA256 with PFS 14 is among the defaults Azure accepts as responder.
    assert!(
        row("Phase 2 encryption").contains("| yes |"),
        "{}",
        row("Phase 2 encryption")
    );
}
