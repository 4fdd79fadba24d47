//! Component tests in real Chromium (wasm-bindgen-test): mount the app, interact, assert on the DOM.
//! Run by `scripts/test.sh` as `cargo test --target wasm32-unknown-unknown -p vpn-designer`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn by_test_id(id: &str) -> Option<web_sys::Element> {
    document()
        .query_selector(&format!("[data-testid=\"{id}\"]"))
        .unwrap()
}

fn text_of(id: &str) -> String {
    by_test_id(id)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn click(element: &web_sys::Element) {
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &{
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    element.dispatch_event(&event).unwrap();
}

/// Lets effects and property bindings settle (a memo, then the view it feeds, then its properties).
async fn settle() {
    // The first review and the side panels wait for the first paint (a frame, then a task), then the review's
    // own paint: wait past them. On a loaded machine that takes longer than any fixed pause (a run beside a
    // build once saw "Reviewing…" after 50 ms), so wait until the review has reported, up to a deadline.
    let start = js_sys::Date::now();
    sleep(50).await;
    while reviewing() {
        assert!(
            js_sys::Date::now() - start < 5_000.0,
            "the side panel did not mount, or the review did not report, within 5 s"
        );
        sleep(20).await;
    }
    for _ in 0..5 {
        tick().await;
    }
}

/// Whether the side panel is still the place kept for it before the first paint, or the app still says the
/// review is pending. Only the mounted app is read: the test runner writes its log (and any failure message
/// quoting "Reviewing…") into the same page.
fn reviewing() -> bool {
    let app = document().query_selector(".test-mount").ok().flatten();
    by_test_id("properties-panel").is_none()
        || app
            .and_then(|a| a.text_content())
            .is_some_and(|t| t.contains("Reviewing…"))
}

async fn sleep(ms: i32) {
    let pause = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(pause).await;
}

fn input_value(id: &str) -> String {
    by_test_id(id)
        .unwrap_or_else(|| panic!("{id} missing"))
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// Types into a field and commits it, as leaving the field does.
fn type_into(id: &str, text: &str) {
    let input = by_test_id(id)
        .unwrap_or_else(|| panic!("{id} missing"))
        .unchecked_into::<web_sys::HtmlInputElement>();
    input.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

type Mounted = leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>;

/// Mounts the editor on a plan in a fresh container, removing only what earlier tests mounted: the runner
/// reports results through elements of its own in the body.
fn mount_plan(plan: vpn_designer_core::Plan) -> Mounted {
    let body = document().body().unwrap();
    let old = document().query_selector_all(".test-mount").unwrap();
    for i in 0..old.length() {
        if let Some(node) = old.get(i) {
            body.remove_child(&node).unwrap();
        }
    }
    let container = document().create_element("div").unwrap();
    container.set_class_name("test-mount");
    container
        .set_attribute("style", "width:1280px;height:720px")
        .unwrap();
    body.append_child(&container).unwrap();
    leptos::mount::mount_to(container.unchecked_into(), move || {
        view! { <vpn_designer_app::Editor plan=plan.clone() /> }.into_any()
    })
}

/// The app as it opens: the reference design.
fn mount() -> Mounted {
    mount_plan(vpn_designer_core::templates::reference())
}

#[wasm_bindgen_test]
async fn the_reference_design_is_drawn_with_accessible_nodes() {
    let _app = mount();
    tick().await;
    for id in [
        "az-vnet",
        "az-vpngw",
        "az-pip-1",
        "aws-vpc",
        "aws-vgw",
        "aws-cgw-2",
        "aws-vpn-1",
    ] {
        let node = by_test_id(&format!("node-{id}")).unwrap_or_else(|| panic!("node-{id} missing"));
        let name = node.get_attribute("aria-label").unwrap_or_default();
        assert!(!name.is_empty(), "node-{id} has no accessible name");
        assert_eq!(node.get_attribute("role").as_deref(), Some("button"));
    }
    assert!(by_test_id("edge-aws-vpn-1-tunnel1").is_some());
    // The side panel comes after the first paint, in the place kept for it.
    assert!(document()
        .query_selector(".test-mount aside.side-panel")
        .unwrap()
        .is_some());
    settle().await;
    assert!(text_of("design-summary").contains("Tunnels4"));
}

#[wasm_bindgen_test]
async fn clicking_a_node_shows_its_properties_and_the_summary_returns() {
    let _app = mount();
    settle().await;
    click(&by_test_id("node-aws-vgw").unwrap());
    settle().await;
    assert_eq!(text_of("selected-kind"), "AWS virtual private gateway");
    assert_eq!(text_of("selected-name"), "vgw-app");
    assert_eq!(input_value("field-amazon_side_asn"), "64512");
    let node = by_test_id("node-aws-vgw").unwrap();
    assert!(node.class_list().contains("selected"));

    click(&by_test_id("clear-selection").unwrap());
    settle().await;
    assert!(by_test_id("design-summary").is_some());
    assert!(!by_test_id("node-aws-vgw")
        .unwrap()
        .class_list()
        .contains("selected"));
}

#[wasm_bindgen_test]
async fn zoom_buttons_change_the_viewport() {
    let _app = mount();
    settle().await;
    let zoom = || {
        by_test_id("canvas")
            .unwrap()
            .get_attribute("data-zoom")
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    let before = zoom();
    click(&by_test_id("zoom-in").unwrap());
    settle().await;
    assert!(
        (zoom() / before - 1.25).abs() < 1e-3,
        "{} → {}",
        before,
        zoom()
    );
    click(&by_test_id("zoom-fit").unwrap());
    settle().await;
    assert!((zoom() - before).abs() < 1e-3);
    assert!(text_of("zoom-level").ends_with('%'));
}

/// A design with a known mistake: both ends of BGP on ASN 64512.
fn mount_with_same_asn() -> Mounted {
    let mut plan = vpn_designer_core::templates::reference();
    plan.design.azure.vpn_gateways[0].asn = vpn_designer_core::model::Asn(64512);
    for cgw in &mut plan.design.aws.customer_gateways {
        cgw.bgp_asn = vpn_designer_core::model::Asn(64512);
    }
    mount_plan(plan)
}

#[wasm_bindgen_test]
async fn the_reference_reviews_clean() {
    let _app = mount();
    settle().await;
    assert_eq!(text_of("review-counts"), "0 errors · 0 warnings · 0 info");
    assert_eq!(
        text_of("review-clean"),
        "Nothing to report: every check passes."
    );
}

#[wasm_bindgen_test]
async fn a_finding_is_listed_badged_on_its_objects_and_selects_them() {
    let _app = mount_with_same_asn();
    settle().await;
    assert!(
        text_of("review-counts").starts_with("1 error"),
        "{}",
        text_of("review-counts")
    );
    let finding = by_test_id("finding-0").unwrap();
    assert_eq!(
        finding.get_attribute("data-code").as_deref(),
        Some("BGP-001")
    );
    assert!(finding.text_content().unwrap().contains("64512"));
    let badge = by_test_id("badge-az-vpngw").expect("the gateway carries a badge");
    assert!(badge.class_list().contains("error"));
    assert!(by_test_id("badge-aws-vgw").is_some());

    // The finding's object list selects the first object it names, which then lists the finding too.
    let select = finding.query_selector("button").unwrap().unwrap();
    click(&select);
    settle().await;
    assert_eq!(text_of("selected-id"), "az-vpngw");
    assert!(text_of("object-findings").contains("BGP-001"));
}

#[wasm_bindgen_test]
async fn editing_a_field_reruns_the_review_and_undo_restores_it() {
    let _app = mount();
    settle().await;
    assert!(text_of("review-badge").starts_with("0 errors · 0 warnings"));
    click(&by_test_id("node-aws-vgw").unwrap());
    settle().await;
    type_into("field-amazon_side_asn", "65515");
    settle().await;
    assert!(
        !text_of("review-badge").starts_with("0 errors"),
        "BGP-001 is an error"
    );
    assert!(by_test_id("badge-aws-vgw").is_some());
    click(&by_test_id("undo").unwrap());
    settle().await;
    assert_eq!(input_value("field-amazon_side_asn"), "64512");
    assert!(by_test_id("badge-aws-vgw").is_none());
}

#[wasm_bindgen_test]
async fn a_typo_is_marked_at_its_field_and_never_reaches_the_plan() {
    let _app = mount();
    settle().await;
    click(&by_test_id("node-az-snet-app").unwrap());
    settle().await;
    type_into("field-cidr", "10.1.1.0/33");
    settle().await;
    assert!(by_test_id("field-error-cidr").is_some());
    let field = by_test_id("field-cidr").unwrap();
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    let node = by_test_id("node-az-snet-app").unwrap();
    assert!(node
        .get_attribute("aria-label")
        .unwrap()
        .contains("10.1.1.0/24"));
    assert!(
        by_test_id("undo").unwrap().has_attribute("disabled"),
        "nothing changed, nothing to undo"
    );
}

#[wasm_bindgen_test]
async fn the_palette_adds_a_network_with_the_next_free_space_and_selects_it() {
    let _app = mount();
    settle().await;
    click(&by_test_id("add-vnet").unwrap());
    settle().await;
    assert_eq!(text_of("selected-id"), "az-vnet-1");
    assert_eq!(input_value("field-address_space"), "10.3.0.0/16");
    assert!(by_test_id("node-az-vnet-1").is_some());
    click(&by_test_id("add-azure-subnet").unwrap());
    settle().await;
    assert_eq!(input_value("field-cidr"), "10.3.0.0/24");
    assert!(text_of("review-badge").starts_with("0 errors · 0 warnings"));
    // An NSG on the new subnet selects the NSG; the subnet's route table can be added next, without selecting the
    // subnet again: the NSG stands for the one subnet it serves.
    let subnet = text_of("selected-id");
    click(&by_test_id("add-nsg").unwrap());
    settle().await;
    assert_eq!(text_of("selected-kind"), "Azure network security group");
    let add_table = by_test_id("add-azure-route-table").unwrap();
    assert!(
        !add_table.has_attribute("disabled"),
        "Route table stays available"
    );
    click(&add_table);
    settle().await;
    assert_eq!(text_of("selected-kind"), "Azure route table");
    click(&by_test_id(&format!("node-{subnet}")).unwrap());
    settle().await;
    // A pick list (a select element): read its value as the page does.
    let chosen = js_sys::Reflect::get(&by_test_id("field-route_table").unwrap(), &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    assert!(!chosen.is_empty() && chosen != "—", "{chosen:?}");
}

#[wasm_bindgen_test]
async fn the_first_review_waits_until_the_design_is_drawn() {
    let _app = mount();
    tick().await;
    // The design is on the canvas before its review has run.
    assert!(by_test_id("node-az-vpngw").is_some());
    assert_eq!(text_of("review-badge"), "Reviewing…");
    settle().await;
    let counts = text_of("review-badge");
    assert!(counts.starts_with("0 errors · 0 warnings"), "{counts}");
}

#[wasm_bindgen_test]
async fn a_route_table_adds_shows_and_removes_a_route() {
    let _app = mount();
    settle().await;
    click(&by_test_id("node-az-rt-app").unwrap());
    settle().await;
    assert_eq!(text_of("selected-kind"), "Azure route table");
    assert!(
        by_test_id("field-routes").is_none(),
        "no text box for an empty list of routes"
    );
    click(&by_test_id("add-route").unwrap());
    settle().await;
    assert!(text_of("route-0").contains("Route 1 to 10.2.0.0/16"));
    assert_eq!(input_value("field-routes[0].address_prefix"), "10.2.0.0/16");
    assert!(text_of("review-badge").starts_with("0 errors · 0 warnings"));
    let node = by_test_id("node-az-rt-app").unwrap();
    assert!(node
        .get_attribute("aria-label")
        .unwrap()
        .contains("1 route "));
    click(&by_test_id("remove-route-0").unwrap());
    settle().await;
    assert!(by_test_id("route-0").is_none());
    click(&by_test_id("undo").unwrap());
    settle().await;
    assert!(
        by_test_id("route-0").is_some(),
        "undo brings the route back"
    );
}

#[wasm_bindgen_test]
async fn a_policy_based_connection_adds_edits_and_removes_a_selector_policy() {
    let mut plan = vpn_designer_core::templates::reference();
    plan.design.azure.connections[0].use_policy_based_traffic_selectors = true;
    // Two VNet prefixes × the VPC's: two SA pairs where AWS brings up one per tunnel.
    plan.design.azure.vnets[0]
        .address_space
        .push("10.3.0.0/16".parse().unwrap());
    let _app = mount_plan(plan);
    settle().await;
    assert!(
        text_of("review-badge").starts_with("1 error"),
        "{}",
        text_of("review-badge")
    );
    // The connection is a line on the canvas: selected with a click like a node.
    click(&by_test_id("edge-az-conn-vpn-1-t1").unwrap());
    settle().await;
    assert_eq!(text_of("selected-kind"), "Azure connection");
    assert!(
        by_test_id("field-traffic_selector_policies").is_none(),
        "no text box for an empty list of policies"
    );
    click(&by_test_id("add-selector").unwrap());
    settle().await;
    assert!(text_of("selector-0").contains("Selector policy 1"));
    assert_eq!(
        input_value("field-traffic_selector_policies[0].local_prefixes"),
        "10.1.0.0/16"
    );
    // One custom pair: one SA pair, no error; AWS's side still expects any to any (TUN-013, a warning).
    assert!(
        text_of("review-badge").starts_with("0 errors · 1 warning"),
        "{}",
        text_of("review-badge")
    );
    type_into(
        "field-traffic_selector_policies[0].remote_prefixes",
        "10.2.1.0/24, 10.2.2.0/24",
    );
    settle().await;
    assert!(text_of("review-badge").starts_with("1 error"));
    click(&by_test_id("remove-selector-0").unwrap());
    settle().await;
    assert!(by_test_id("selector-0").is_none());
    click(&by_test_id("undo").unwrap());
    settle().await;
    assert!(
        by_test_id("selector-0").is_some(),
        "undo brings the policy back"
    );
    // A route-based connection cannot take one, and says why.
    click(&by_test_id("edge-az-conn-vpn-2-t1").unwrap());
    settle().await;
    let add = by_test_id("add-selector").unwrap();
    assert!(add.has_attribute("disabled"));
    assert!(text_of("add-selector-why").contains("use_policy_based_traffic_selectors"));
}
