//! The side panel: the selected object's inspector (every field editable, validated where it is typed), or the
//! design's summary with the review, the declared flows and their traces.

use super::review::{ObjectFindings, ReviewSummary};
use super::trace::FlowsPanel;
use crate::state::{use_editor, EditorState};
use leptos::prelude::*;
use std::collections::HashMap;
use vpn_designer_core::edit::acl::{add_acl_entry, remove_acl_entry, reorder_acl_entry};
use vpn_designer_core::edit::add::{add_rule, remove_rule, reorder_rule, RuleDirection};
use vpn_designer_core::edit::connect::{disconnect, link_connections, Routing};
use vpn_designer_core::edit::delete::delete;
use vpn_designer_core::edit::fields::set_from_text;
use vpn_designer_core::edit::partners::peer_subnet;
use vpn_designer_core::edit::routes::{add_route, remove_route, route_refusal};
use vpn_designer_core::edit::selectors::{
    add_selector_policy, remove_selector_policy, selector_refusal,
};
use vpn_designer_core::inspect::{choices, inspect, reference_choices, Inspection, Property};
use vpn_designer_core::links::link_key;
use vpn_designer_core::Plan;

#[component]
pub fn PropertiesPanel() -> impl IntoView {
    let state = use_editor();
    let inspection = Memo::new(move |_| {
        let id = state.selection.get()?;
        state.plan.with(|plan| inspect(plan, &id))
    });
    view! {
        <aside class="side-panel" data-testid="properties-panel" aria-label="Properties">
            {move || match inspection.get() {
                Some(found) => view! { <ObjectProperties found=found /> }.into_any(),
                None => view! { <DesignSummary /> }.into_any(),
            }}
        </aside>
    }
}

/// Rows of one rule or route (`rules[2].priority`, `routes[0].address_prefix`…) are shown together, with its own
/// actions.
/// A field's label in words: within a rule's or route's box only its own part (the box's legend names the rule).
fn field_label(key: &str) -> String {
    match record_group(key) {
        Some(head) => super::labels::label(&key[head.len()..]),
        None => super::labels::label(key),
    }
}

fn record_group(key: &str) -> Option<&str> {
    let end = key.find("].")?;
    let head = &key[..=end];
    [
        "rules[",
        "ingress[",
        "egress[",
        "routes[",
        "traffic_selector_policies[",
    ]
    .iter()
    .any(|p| head.starts_with(p))
    .then_some(head)
}

#[component]
fn ObjectProperties(found: Inspection) -> impl IntoView {
    let state = use_editor();
    let Inspection {
        id,
        kind,
        name,
        properties,
    } = found;
    // Problems of the last edit, by field, shown under the field until it is edited again.
    let problems = RwSignal::new(HashMap::<String, String>::new());
    let mut plain = Vec::new();
    let mut groups: Vec<(String, Vec<Property>)> = Vec::new();
    for p in properties {
        match record_group(&p.key) {
            Some(head) => match groups.iter_mut().find(|(h, _)| h == head) {
                Some((_, rows)) => rows.push(p),
                None => groups.push((head.to_string(), vec![p])),
            },
            None => plain.push(p),
        }
    }
    // NSG rules are listed as Azure evaluates them, each direction by priority, so moving one moves it in the
    // list (QA s18: the priorities swapped but the list stood still); the first and last of each direction cannot
    // move further that way.
    let value_of = |rows: &[Property], suffix: &str| {
        rows.iter()
            .find(|p| p.key.ends_with(suffix))
            .map(|p| p.value.clone())
            .unwrap_or_default()
    };
    let nsg_order = |rows: &[Property]| {
        (
            value_of(rows, ".direction"),
            value_of(rows, ".priority")
                .parse::<u32>()
                .unwrap_or(u32::MAX),
        )
    };
    if kind == "Azure network security group" {
        groups.sort_by_key(|(head, rows)| (!head.starts_with("rules["), nsg_order(rows)));
    }
    // For each NSG rule in that order: whether it is the first and the last of its direction.
    let ends: Vec<(bool, bool)> = {
        let directions: Vec<String> = groups
            .iter()
            .filter(|(head, _)| head.starts_with("rules["))
            .map(|(_, rows)| value_of(rows, ".direction"))
            .collect();
        (0..directions.len())
            .map(|i| {
                (
                    i == 0 || directions[i - 1] != directions[i],
                    directions.get(i + 1) != Some(&directions[i]),
                )
            })
            .collect()
    };
    let rows = plain
        .into_iter()
        .map(|p| view! { <FieldRow object=id.clone() kind=kind property=p problems=problems /> })
        .collect_view();
    let mut nsg_index = 0usize;
    let rule_tables = groups
        .into_iter()
        .map(|(head, rows)| {
            if kind == "AWS network ACL" {
                return acl_entry(&id, &head, rows, problems).into_any();
            }
            if head.starts_with("routes[") {
                return route_entry(&id, kind, &head, rows, problems).into_any();
            }
            if head.starts_with("traffic_selector_policies[") {
                return selector_entry(&id, &head, rows, problems).into_any();
            }
            let rule_id = rows
                .iter()
                .find(|p| p.key.ends_with(".id"))
                .map(|p| p.value.clone())
                .unwrap_or_default();
            let legend = rows
                .iter()
                .find(|p| p.key.ends_with(".name"))
                .or_else(|| rows.iter().find(|p| p.key.ends_with(".description")))
                .map(|p| format!("{}: {}", super::labels::label(&head), p.value))
                .unwrap_or_else(|| super::labels::label(&head));
            // Named as the person sees the rule: its name, else its id.
            let shown = Some(value_of(&rows, ".name"))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| rule_id.clone());
            let fields = rows
                .into_iter()
                .filter(|p| !p.key.ends_with(".id"))
                .map(|p| view! { <FieldRow object=id.clone() kind=kind property=p problems=problems /> })
                .collect_view();
            let nsg = head.starts_with("rules[");
            let (first, last) = if nsg {
                let i = nsg_index;
                nsg_index += 1;
                ends.get(i).copied().unwrap_or_default()
            } else {
                (false, false)
            };
            let (up, down, remove) = (rule_id.clone(), rule_id.clone(), rule_id.clone());
            let (up_label, down_label) = (
                format!("Move rule {shown} earlier"),
                format!("Move rule {shown} later"),
            );
            view! {
                <fieldset class="rule" data-testid=format!("rule-{rule_id}")>
                    <legend>{legend}</legend>
                    <div class="rule-actions">
                        {nsg.then(|| view! {
                            <button aria-label=up_label title="Evaluate earlier (lower priority number)" disabled=first
                                data-testid=format!("rule-earlier-{up}")
                                on:click=move |_| {
                                    // The list is drawn again in its new order: the keyboard stays on this rule.
                                    crate::browser::move_focus_to(vec![format!("rule-earlier-{up}"), format!("rule-later-{up}")]);
                                    state.edit("Move rule earlier", |p| reorder_rule(p, &up, true));
                                }>"↑"</button>
                            <button aria-label=down_label title="Evaluate later" disabled=last
                                data-testid=format!("rule-later-{down}")
                                on:click=move |_| {
                                    crate::browser::move_focus_to(vec![format!("rule-later-{down}"), format!("rule-earlier-{down}")]);
                                    state.edit("Move rule later", |p| reorder_rule(p, &down, false));
                                }>"↓"</button>
                        })}
                        <button aria-label=format!("Remove rule {remove}") data-testid=format!("remove-rule-{remove}")
                            on:click=move |_| { state.edit("Remove rule", |p| remove_rule(p, &remove)); }>"✕"</button>
                    </div>
                    <table class="properties"><tbody>{fields}</tbody></table>
                </fieldset>
            }
            .into_any()
        })
        .collect_view();
    let id_for_findings = id.clone();
    let id_for_actions = id.clone();
    let id_for_delete = id.clone();
    view! {
        <div class="panel-header">
            <p class="panel-kind" data-testid="selected-kind">{kind}</p>
            <h2 data-testid="selected-name">{name}</h2>
            <p class="panel-id">"id " <code data-testid="selected-id">{id.clone()}</code></p>
            // With Shift-click or a marquee several objects are selected; the inspector shows the first, and says
            // how many more the Delete button (like the Delete key) takes with it.
            {move || {
                let more = state.also_selected.with(Vec::len);
                (more > 0).then(|| view! {
                    <p class="panel-more" data-testid="also-selected" role="status">
                        {format!("and {more} more selected: Delete removes all {}", more + 1)}
                    </p>
                })
            }}
            <div class="panel-actions">
                <button class="link" data-testid="clear-selection" on:click=move |_| state.select(None)>
                    "Back to design summary"
                </button>
                <button
                    class="danger"
                    data-testid="delete-selected"
                    title=move || {
                        let count = 1 + state.also_selected.with(Vec::len);
                        if count == 1 {
                            "Delete this object and everything that cannot exist without it (Delete)".to_string()
                        } else {
                            format!("Delete the {count} selected objects and everything that cannot exist without them (Delete)")
                        }
                    }
                    on:click=move |_| {
                        // The whole selection, as the Delete key does; the inspected object if somehow alone.
                        let mut ids = state.selected_ids();
                        if ids.is_empty() {
                            ids.push(id_for_delete.clone());
                        }
                        // The inspector goes with the object: the keyboard goes back to the canvas, not the page
                        // (QA s18).
                        crate::browser::keep_focus_near(vec!["canvas".into()]);
                        state.edit("Delete", |p| delete(p, &ids));
                    }
                >
                    {move || match state.also_selected.with(Vec::len) {
                        0 => "Delete".to_string(),
                        more => format!("Delete {}", more + 1),
                    }}
                </button>
            </div>
        </div>
        <ObjectFindings id=id_for_findings />
        <ObjectActions id=id_for_actions kind=kind />
        <table class="properties" data-testid="properties-table">
            <tbody>{rows}</tbody>
        </table>
        {rule_tables}
    }
}

/// One editable field: a choice for enumerations and booleans, a text box otherwise. The edit applies on Enter
/// or when the field loses focus; a refused value stays in the box, marked, with the loader's message under it.
#[component]
fn FieldRow(
    object: String,
    kind: &'static str,
    property: Property,
    problems: RwSignal<HashMap<String, String>>,
) -> impl IntoView {
    let state = use_editor();
    let Property {
        key,
        value,
        secret,
        unset,
        boolean,
    } = property;
    let label_id = format!("field-{object}-{key}").replace(['[', ']', '.'], "-");
    let problem = {
        let key = key.clone();
        move || problems.with(|p| p.get(&key).cloned())
    };
    let commit = {
        let (object, key) = (object.clone(), key.clone());
        move |text: String| commit_field(state, &object, &key, &text, problems)
    };
    let options = if boolean {
        Some(vec!["true".to_string(), "false".to_string()])
    } else {
        // Fields that name another object pick from the objects they may name.
        choices(kind, &key).or_else(|| {
            state
                .plan
                .with_untracked(|p| reference_choices(p, &object, kind, &key))
        })
    };
    let editor = match options {
        Some(options) => {
            let current = value.clone();
            let list = options
                .into_iter()
                .map(|o| {
                    let selected = o == current;
                    // The attribute is only the default: once someone has picked an option, the choice shown
                    // follows the `selected` property alone. The panel is updated in place after Undo, Redo or a
                    // fix, so the property must follow the plan too (the box showed the old value, or the first).
                    view! { <option value=o.clone() selected=selected prop:selected=selected>{o.clone()}</option> }
                })
                .collect_view();
            view! {
                <select
                    id=label_id.clone()
                    data-testid=format!("field-{key}")
                    on:change=move |ev| {
                        commit(event_target_value(&ev));
                    }
                >
                    {list}
                </select>
            }
            .into_any()
        }
        None => {
            // An unset value ("—", "(none)") and a masked key are placeholders, not text: typing into the box
            // must not append to them.
            let unset = secret || unset;
            view! {
                <input
                    id=label_id.clone()
                    type=if secret { "password" } else { "text" }
                    data-testid=format!("field-{key}")
                    prop:value=if unset { String::new() } else { value.clone() }
                    placeholder=if unset { value.clone() } else { String::new() }
                    readonly=key == "id"
                    title=if key == "id" { "Ids are fixed: references name them" } else { "" }
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid={
                        let problem = problem.clone();
                        move || problem().is_some().to_string()
                    }
                    // Enter and leaving the field both fire `change`: one commit per edit (committing on
                    // Enter's keydown as well validated every edit twice).
                    on:change={
                        let shown = if unset { String::new() } else { value.clone() };
                        move |ev| {
                            let text = event_target_value(&ev);
                            // " 10.1.1.0/24 " for 10.1.1.0/24, or "10.1.0.0/16," for a list holding it, changes
                            // nothing, so nothing redraws the field: show the value as the plan holds it (a changed
                            // value redraws the whole panel).
                            let outcome = commit(text.clone());
                            if !unset && text != shown && outcome == Some(false) {
                                event_target::<web_sys::HtmlInputElement>(&ev).set_value(&shown);
                            }
                        }
                    }
                    // Typing is not a shortcut: Delete, arrows and Ctrl+Z stay the field's own. Escape takes back
                    // what was typed and not yet committed, as in a spreadsheet cell.
                    on:keydown={
                        let shown = if unset { String::new() } else { value.clone() };
                        let key = key.clone();
                        move |ev: web_sys::KeyboardEvent| {
                            ev.stop_propagation();
                            // With nothing typed since the last commit there is no text to take back, and the
                            // browser's own undo has nothing either (the field was drawn anew): Ctrl+Z is the
                            // editor's (QA s19: after Enter it did nothing). Not with AltGr (Ctrl+Alt on Windows
                            // keyboards), whose characters are typing.
                            if !ev.alt_key()
                                && event_target::<web_sys::HtmlInputElement>(&ev).value() == shown
                                && crate::app::undo_keys(state, &ev)
                            {
                                return;
                            }
                            // An Escape that ends an input method's composition is the method's own.
                            if ev.key() == "Escape" && !ev.is_composing() {
                                let input = event_target::<web_sys::HtmlInputElement>(&ev);
                                if input.value() != shown {
                                    ev.prevent_default();
                                    input.set_value(&shown);
                                    problems.update(|p| {
                                        p.remove(&key);
                                    });
                                    state.tell(format!("{key}: edit discarded"));
                                }
                            }
                        }
                    }
                />
            }
            .into_any()
        }
    };
    let problem_view = {
        let key = key.clone();
        move || {
            problem().map(|message| {
                view! { <p class="field-error" role="alert" data-testid=format!("field-error-{key}")>{message}</p> }
            })
        }
    };
    view! {
        <tr class=if secret { "secret" } else { "" }>
            <th scope="row"><label for=label_id title=key.clone()>{field_label(&key)}</label></th>
            <td>{editor} {problem_view}</td>
        </tr>
    }
}

/// Applies a field's text to the plan: `Some(changed)` when the plan took it (`false`: it already held that
/// value, " 10.1.1.0/24 " for 10.1.1.0/24), `None` when it was refused and marked at the field.
fn commit_field(
    state: EditorState,
    object: &str,
    key: &str,
    text: &str,
    problems: RwSignal<HashMap<String, String>>,
) -> Option<bool> {
    let result = crate::browser::measured("vpn-designer:edit", || {
        state
            .plan
            .with_untracked(|plan| set_from_text(plan, object, key, text))
    });
    match result {
        Ok(next) => {
            problems.update(|p| {
                p.remove(key);
            });
            let changed = state.plan.with_untracked(|plan| *plan != next);
            // The step is named as the inspector names the field ("Undo Set Amazon side ASN"), not by its path.
            state.replace(&format!("Set {}", super::labels::label(key)), next);
            Some(changed)
        }
        Err(found) => {
            let message = found
                .iter()
                .find(|p| p.object == object && p.field == key)
                .or(found.first())
                .map(|p| {
                    if p.field == key || p.field.is_empty() {
                        p.message.clone()
                    } else {
                        format!("{}: {}", p.field, p.message)
                    }
                })
                .unwrap_or_else(|| "the value was refused".into());
            problems.update(|p| {
                p.insert(key.to_string(), message.clone());
            });
            state.warn(format!("{key} not changed: {message}"));
            None
        }
    }
}

/// One entry of a network ACL (`ingress[2]`…), shown with its number and direction, with actions that name it
/// by number: entries have no ids, their number is what AWS evaluates them by.
fn acl_entry(
    acl: &str,
    head: &str,
    rows: Vec<Property>,
    problems: RwSignal<HashMap<String, String>>,
) -> impl IntoView {
    let state = use_editor();
    let egress = head.starts_with("egress[");
    let number: u16 = rows
        .iter()
        .find(|p| p.key.ends_with(".rule_number"))
        .and_then(|p| p.value.parse().ok())
        .unwrap_or_default();
    let direction = if egress { "out" } else { "in" };
    let testid = format!("rule-{acl}-{direction}-{number}");
    let fields = rows
        .into_iter()
        .map(|p| view! { <FieldRow object=acl.to_string() kind="AWS network ACL" property=p problems=problems /> })
        .collect_view();
    let (up, down, remove) = (acl.to_string(), acl.to_string(), acl.to_string());
    view! {
        <fieldset class="rule" data-testid=testid.clone()>
            <legend>{format!("{} entry {number}", if egress { "Outbound" } else { "Inbound" })}</legend>
            <div class="rule-actions">
                <button aria-label=format!("Move {direction}bound entry {number} earlier") title="Evaluate earlier (swap numbers with the entry before)"
                    on:click=move |_| { state.edit("Move entry earlier", |p| reorder_acl_entry(p, &up, egress, number, true)); }>"↑"</button>
                <button aria-label=format!("Move {direction}bound entry {number} later") title="Evaluate later"
                    on:click=move |_| { state.edit("Move entry later", |p| reorder_acl_entry(p, &down, egress, number, false)); }>"↓"</button>
                <button aria-label=format!("Remove {direction}bound entry {number}") data-testid=format!("remove-{testid}")
                    on:click=move |_| { state.edit("Remove entry", |p| remove_acl_entry(p, &remove, egress, number)); }>"✕"</button>
            </div>
            <table class="properties"><tbody>{fields}</tbody></table>
        </fieldset>
    }
}

/// The place of a record in its list, from its group's head (`routes[1]` → 1).
fn record_index(head: &str) -> usize {
    head.rsplit('[')
        .next()
        .and_then(|i| i.trim_end_matches(']').parse().ok())
        .unwrap_or_default()
}

/// A record with no id (a route, a selector policy): its fields in a fieldset named by `legend`, and a remove
/// button that runs `remove` as one undoable step.
struct PlaceRecord {
    testid: String,
    legend: String,
    remove_label: String,
    remove_testid: String,
    step: &'static str,
}

fn place_record(
    object: &str,
    kind: &'static str,
    record: PlaceRecord,
    rows: Vec<Property>,
    problems: RwSignal<HashMap<String, String>>,
    remove: impl Fn(&mut Plan) -> Result<(), vpn_designer_core::edit::EditError> + Copy + 'static,
) -> impl IntoView {
    let state = use_editor();
    let fields = rows
        .into_iter()
        .map(|p| view! { <FieldRow object=object.to_string() kind=kind property=p problems=problems /> })
        .collect_view();
    let PlaceRecord {
        testid,
        legend,
        remove_label,
        remove_testid,
        step,
    } = record;
    view! {
        <fieldset class="rule" data-testid=testid>
            <legend>{legend}</legend>
            <div class="rule-actions">
                <button aria-label=remove_label data-testid=remove_testid
                    on:click=move |_| { state.edit(step, remove); }>"✕"</button>
            </div>
            <table class="properties"><tbody>{fields}</tbody></table>
        </fieldset>
    }
}

/// One route of a route table (`routes[1]`), with its remove button. Routes have no ids and no order (the longest
/// prefix wins), so they are named by their place and their destination.
fn route_entry(
    table: &str,
    kind: &'static str,
    head: &str,
    rows: Vec<Property>,
    problems: RwSignal<HashMap<String, String>>,
) -> impl IntoView {
    let index = record_index(head);
    let destination = rows
        .iter()
        .find(|p| p.key.ends_with(".address_prefix") || p.key.ends_with(".destination"))
        .map(|p| p.value.clone())
        .unwrap_or_default();
    let record = PlaceRecord {
        testid: format!("route-{index}"),
        legend: format!("Route {} to {destination}", index + 1),
        remove_label: format!("Remove route {} to {destination}", index + 1),
        remove_testid: format!("remove-route-{index}"),
        step: "Remove route",
    };
    let table_id = StoredValue::new(table.to_string());
    place_record(table, kind, record, rows, problems, move |p| {
        table_id.with_value(|t| remove_route(p, t, index))
    })
}

/// One custom traffic selector policy of an Azure connection (`traffic_selector_policies[0]`), its two prefix lists
/// and its remove button. Like routes, policies have no ids: they are named by their place.
fn selector_entry(
    connection: &str,
    head: &str,
    rows: Vec<Property>,
    problems: RwSignal<HashMap<String, String>>,
) -> impl IntoView {
    let index = record_index(head);
    let record = PlaceRecord {
        testid: format!("selector-{index}"),
        legend: format!("Selector policy {}", index + 1),
        remove_label: format!("Remove selector policy {}", index + 1),
        remove_testid: format!("remove-selector-{index}"),
        step: "Remove selector policy",
    };
    let connection_id = StoredValue::new(connection.to_string());
    place_record(
        connection,
        "Azure connection",
        record,
        rows,
        problems,
        move |p| connection_id.with_value(|c| remove_selector_policy(p, c, index)),
    )
}

/// Commands that belong to one kind of object: rules for NSGs and security groups, links for gateways.
#[component]
fn ObjectActions(id: String, kind: &'static str) -> impl IntoView {
    let state = use_editor();
    match kind {
        "Azure network security group" | "AWS security group" => {
            let azure = kind.starts_with("Azure");
            let (a, b) = (id.clone(), id.clone());
            view! {
                <div class="object-actions">
                    <button data-testid="add-inbound-rule" on:click=move |_| {
                        let group = a.clone();
                        state.edit("Add inbound rule", |p| { let peer = peer_subnet(p, &group, azure); add_rule(p, &group, RuleDirection::Inbound, peer) });
                    }>"+ Inbound rule"</button>
                    <button data-testid="add-outbound-rule" on:click=move |_| {
                        let group = b.clone();
                        state.edit("Add outbound rule", |p| { let peer = peer_subnet(p, &group, azure); add_rule(p, &group, RuleDirection::Outbound, peer) });
                    }>"+ Outbound rule"</button>
                </div>
            }
            .into_any()
        }
        "AWS network ACL" => {
            let (a, b) = (id.clone(), id.clone());
            view! {
                <div class="object-actions">
                    <button data-testid="add-inbound-entry" title="Allow TCP 443 from the other cloud's first subnet" on:click=move |_| {
                        let acl = a.clone();
                        state.edit("Add inbound entry", |p| { let peer = peer_subnet(p, &acl, false); add_acl_entry(p, &acl, false, peer).map(|_| ()) });
                    }>"+ Inbound entry"</button>
                    <button data-testid="add-outbound-entry" title="Allow replies to the other cloud's first subnet on its ephemeral ports (ACLs are stateless)" on:click=move |_| {
                        let acl = b.clone();
                        state.edit("Add outbound entry", |p| { let peer = peer_subnet(p, &acl, false); add_acl_entry(p, &acl, true, peer).map(|_| ()) });
                    }>"+ Outbound entry"</button>
                </div>
            }
            .into_any()
        }
        "Azure route table" | "AWS route table" => {
            let what = if kind.starts_with("Azure") {
                "Route the first AWS address range without a route here through the VNet's VPN gateway"
            } else {
                "Route the first Azure address range without a route here through the VPC's virtual private gateway"
            };
            // Why a route cannot be added now (no gateway, no range left), shown before the click.
            let refusal = {
                let id = id.clone();
                Memo::new(move |_| state.plan.with(|p| route_refusal(p, &id)))
            };
            view! {
                <div class="object-actions">
                    <button data-testid="add-route" disabled=move || refusal.with(Option::is_some)
                        title=move || refusal.get().map(|why| format!("Cannot add a route: {why}")).unwrap_or_else(|| what.to_string())
                        on:click=move |_| {
                            let table = id.clone();
                            state.edit("Add route", |p| add_route(p, &table));
                        }>"+ Route"</button>
                    {move || refusal.get().map(|why| view! { <p class="hint" data-testid="add-route-why">{format!("No route to add: {why}.")}</p> })}
                </div>
            }
            .into_any()
        }
        "Azure connection" => {
            // Why a policy cannot be added now (selectors are route-based), shown before the click.
            let refusal = {
                let id = id.clone();
                Memo::new(move |_| state.plan.with(|p| selector_refusal(p, &id)))
            };
            view! {
                <div class="object-actions">
                    <button data-testid="add-selector" disabled=move || refusal.with(Option::is_some)
                        title=move || refusal.get().map(|why| format!("Cannot add a selector policy: {why}"))
                            .unwrap_or_else(|| "Propose one prefix pair (one SA pair, the most an AWS tunnel brings up)".to_string())
                        on:click=move |_| {
                            let connection = id.clone();
                            state.edit("Add selector policy", |p| add_selector_policy(p, &connection));
                        }>"+ Selector policy"</button>
                    {move || refusal.get().map(|why| view! { <p class="hint" data-testid="add-selector-why">{format!("No selector policy to add: {why}.")}</p> })}
                </div>
            }
            .into_any()
        }
        "Azure VPN gateway" => view! { <ConnectForm gateway=id /> }.into_any(),
        _ => ().into_any(),
    }
}

/// Connects the selected Azure gateway to an AWS virtual private gateway, or removes an existing link.
#[component]
fn ConnectForm(gateway: String) -> impl IntoView {
    let state = use_editor();
    let target = RwSignal::new(String::new());
    let routing = RwSignal::new("bgp".to_string());
    let gw = gateway.clone();
    let vgws = move || {
        state.plan.with(|p| {
            p.design
                .aws
                .vpn_gateways
                .iter()
                .map(|v| {
                    (
                        v.id.as_str().to_string(),
                        v.name.clone(),
                        !link_connections(&p.design, &gw, v.id.as_str()).is_empty(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let gateway_for_connect = gateway.clone();
    let links_gateway = gateway.clone();
    let vgws_for_links = vgws.clone();
    let vgws_for_connect = vgws.clone();
    let vgws_for_state = vgws.clone();
    let gw_for_state = gateway.clone();
    // Why Connect cannot act, if it cannot: said beside the button, which is then disabled.
    let nothing_to_connect = move || {
        let all = vgws_for_state();
        let active_standby = state.plan.with(|p| {
            p.design
                .azure
                .vpn_gateways
                .iter()
                .any(|g| g.id.as_str() == gw_for_state && !g.active_active)
        });
        if all.is_empty() {
            Some("there is no AWS virtual private gateway yet: add one to a VPC from the palette")
        } else if all.iter().all(|(_, _, linked)| *linked) {
            Some("every AWS virtual private gateway is already connected to this gateway")
        } else if active_standby && routing.get() == "bgp" {
            // Connect would refuse it: one custom APIPA address per active-standby gateway [AZ1].
            Some("an active-standby gateway holds one custom APIPA address, and BGP over an AWS VPN connection needs one per tunnel: choose static routing, or make the gateway active-active")
        } else {
            None
        }
    };
    let on_connect = move |_| {
        let chosen = target.get_untracked();
        let vgw = if chosen.is_empty() {
            vgws_for_connect()
                .into_iter()
                .find(|(_, _, linked)| !linked)
                .map(|(id, _, _)| id)
                .unwrap_or_default()
        } else {
            chosen
        };
        let mode = if routing.get_untracked() == "static" {
            Routing::Static
        } else {
            Routing::Bgp
        };
        // The button is disabled once nothing is left to connect: the new link's row takes the focus.
        crate::browser::keep_focus_near(vec![
            "connect-button".into(),
            format!("remove-link-{vgw}"),
            "connect-target".into(),
            "review-badge".into(),
        ]);
        state.connect_gateways(&gateway_for_connect, &vgw, mode);
    };
    view! {
        <div class="object-actions connect" data-testid="connect-form">
            <label>"Connect to "
                <select data-testid="connect-target" on:change=move |ev| target.set(event_target_value(&ev))>
                    <option value="">"(first unconnected)"</option>
                    {move || vgws().into_iter().map(|(id, name, linked)| view! {
                        <option value=id.clone() disabled=linked>{format!("{name}{}", if linked { " (connected)" } else { "" })}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>" routing "
                <select data-testid="connect-routing" on:change=move |ev| routing.set(event_target_value(&ev))>
                    <option value="bgp">"BGP"</option>
                    <option value="static">"static"</option>
                </select>
            </label>
            <button class="primary" data-testid="connect-button" disabled={
                let nothing = nothing_to_connect.clone();
                move || nothing().is_some()
            } on:click=on_connect>"Connect"</button>
            {move || nothing_to_connect().map(|why| view! { <p class="hint" data-testid="connect-why">{format!("Cannot connect: {why}.")}</p> })}
        </div>
        <ul class="links" aria-label="Links of this gateway">
            {move || {
                let gw = links_gateway.clone();
                vgws_for_links()
                    .into_iter()
                    .filter(|(_, _, linked)| *linked)
                    .map(|(vgw, name, _)| {
                        let key = link_key(&gw, &vgw);
                        let folded = state.collapsed.with(|c| c.contains(&key));
                        let (remove_gw, remove_vgw) = (gw.clone(), vgw.clone());
                        view! {
                            <li>
                                {format!("Linked to {name} ")}
                                <button
                                    class="small danger"
                                    data-testid=format!("remove-link-{vgw}")
                                    title="Remove the link and everything connecting made for it"
                                    on:click=move |_| {
                                        crate::browser::keep_focus_near(vec![
                                            "connect-target".into(),
                                            "review-badge".into(),
                                        ]);
                                        state.edit("Remove link", |p| disconnect(p, &remove_gw, &remove_vgw));
                                    }
                                >
                                    "Remove link"
                                </button>
                                <button
                                    class="small"
                                    data-testid=format!("toggle-link-{vgw}")
                                    on:click=move |_| state.collapsed.update(|c| {
                                        if !c.remove(&key) {
                                            c.insert(key.clone());
                                        }
                                    })
                                >
                                    {if folded { "Show tunnels" } else { "Draw as one link" }}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

fn counts(plan: &Plan) -> Vec<(&'static str, usize)> {
    let d = &plan.design;
    vec![
        ("Azure VNets", d.azure.vnets.len()),
        ("Azure VPN gateways", d.azure.vpn_gateways.len()),
        (
            "Local network gateways",
            d.azure.local_network_gateways.len(),
        ),
        ("Azure connections", d.azure.connections.len()),
        ("NSGs", d.azure.nsgs.len()),
        ("AWS VPCs", d.aws.vpcs.len()),
        ("Virtual private gateways", d.aws.vpn_gateways.len()),
        ("Customer gateways", d.aws.customer_gateways.len()),
        ("VPN connections", d.aws.vpn_connections.len()),
        ("Tunnels", d.aws.vpn_connections.len() * 2),
        ("Security groups", d.aws.security_groups.len()),
        ("Network ACLs", d.aws.network_acls.len()),
        ("Declared flows", d.flows.len()),
    ]
    .into_iter()
    // ACLs are optional (subnets without one use the VPC's default ACL): listed only when the plan has some.
    .filter(|(what, n)| *what != "Network ACLs" || *n > 0)
    .collect()
}

#[component]
fn DesignSummary() -> impl IntoView {
    let state = use_editor();
    let header = move || {
        state.plan.with(|plan| {
            let rows = counts(plan)
                .into_iter()
                .map(|(what, n)| view! { <tr><th scope="row">{what}</th><td>{n}</td></tr> })
                .collect_view();
            view! {
                <div class="panel-header">
                    <p class="panel-kind">"Design"</p>
                    <h2>{plan.design.name.clone()}</h2>
                    <p class="panel-description">{plan.design.description.clone()}</p>
                </div>
                <table class="properties summary-counts" data-testid="design-summary"><tbody>{rows}</tbody></table>
            }
        })
    };
    view! {
        {header}
        <ReviewSummary />
        <FlowsPanel />
        <p class="hint">"Select an object on the canvas to edit it; add objects from the palette."</p>
    }
}
