//! Keeping, sharing and handing on the plan: autosave with named plans, import of plan files (picker or drop),
//! export of the plan file, and share links.

use crate::browser;
use crate::state::{use_editor, EditorState};
use crate::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vpn_designer_core::edit::share;
use vpn_designer_core::load::load_plan;
use vpn_designer_core::templates;
use vpn_designer_core::Plan;
use wasm_bindgen::JsCast;

/// Which saved plan is open, and the problems of the last refused import or link (shown until dismissed).
#[derive(Clone, Copy)]
pub struct Keeping {
    pub slot: RwSignal<String>,
    pub refused: RwSignal<Option<(String, Vec<String>)>>,
    /// A plan from a share link, shown but not yet kept.
    pub shared: RwSignal<bool>,
    /// The slot whose latest change autosave has not written yet (it waits for typing to pause).
    unsaved: StoredValue<Option<String>, LocalStorage>,
    /// The pending autosave's timer; dropping it cancels the save.
    timer: StoredValue<Option<gloo::timers::callback::Timeout>, LocalStorage>,
}

impl Keeping {
    pub fn new(slot: String) -> Self {
        Keeping {
            slot: RwSignal::new(slot),
            refused: RwSignal::new(None),
            shared: RwSignal::new(false),
            unsaved: StoredValue::new_local(None),
            timer: StoredValue::new_local(None),
        }
    }

    /// Writes the pending autosave now. Called before another plan replaces this one (the pending save would
    /// otherwise be dropped with its timer) and when the page is hidden or closed (the timer would never fire).
    pub fn flush(&self, state: EditorState) {
        self.timer.set_value(None);
        self.save_pending(state);
    }

    fn save_pending(&self, state: EditorState) {
        let Some(slot) = self.unsaved.try_update_value(Option::take).flatten() else {
            return;
        };
        let (name, json) = state
            .plan
            .with_untracked(|p| (p.design.name.clone(), p.to_json()));
        // Unchanged text is not written again: another tab would hear it as a save (a `storage` event).
        let unchanged = storage::load(&slot).is_some_and(|stored| stored == json);
        let saved = if unchanged {
            storage::set_current(&slot)
        } else {
            storage::save(&slot, &name, &json).and_then(|()| storage::set_current(&slot))
        };
        if let Err(error) = saved {
            state.warn(format!("Not saved: {error}"));
        }
    }
}

pub fn use_keeping() -> Keeping {
    expect_context::<Keeping>()
}

/// The plan to open at start: the share link in the address, else the plan open last, else the reference.
/// Returns the plan, the slot it is kept in, whether it came from a link (loaded asynchronously after), and what
/// to tell the user when the plan open last could not be opened (a version of the app that checks more than the
/// one that saved it): that plan stays in storage, listed under Plans, and the reference opens in a new slot.
pub fn initial_plan() -> (Plan, String, Option<String>, Option<String>) {
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let link = share::is_share_fragment(&fragment).then_some(fragment);
    let mut refused = None;
    if let Some(slot) = storage::current() {
        match storage::load(&slot).map(|text| load_plan(&text)) {
            Some(Ok(mut plan)) => {
                tidy_name(&mut plan);
                return (plan, slot, link, None);
            }
            Some(Err(e)) => {
                let name = storage::index()
                    .into_iter()
                    .find(|s| s.id == slot)
                    .map(|s| s.name)
                    .unwrap_or_else(|| "open last".into());
                let first = e
                    .problems
                    .first()
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                refused = Some(format!(
                    "The plan \"{name}\" could not be opened ({first}{}). It is kept under Plans, unchanged; the \
                     reference design is open instead.",
                    match e.problems.len() {
                        0 | 1 => String::new(),
                        n => format!(", and {} more", n - 1),
                    }
                ));
            }
            None => {}
        }
    }
    let mut plan = templates::reference();
    if refused.is_some() {
        // The refused plan keeps its place under Plans; the reference opened instead must not look like it.
        if let Some(name) = kept_apart(&plan.design.name) {
            plan.design.name = name;
        }
    }
    (plan, storage::new_id(), link, refused)
}

/// Tidies a name Rename would refuse (control characters, over the length), which a plan file, a link or a plan
/// saved by an earlier version may carry: the plan opens, its name tidied, and the returned note says so.
fn tidy_name(plan: &mut Plan) -> String {
    match vpn_designer_core::load::tidy_plan_name(&plan.design.name) {
        Some(tidy) => {
            plan.design.name = tidy;
            format!(
                " Its name held control characters or was too long: it is now “{}”.",
                plan.design.name
            )
        }
        None => String::new(),
    }
}

/// A plan about to be kept under a new slot takes a name no kept plan has, so the list under Plans tells them
/// apart (a second plan from one template, or a file or link of a plan already kept). The note says so.
fn name_apart(plan: &mut Plan) -> String {
    match kept_apart(&plan.design.name) {
        Some(name) => {
            plan.design.name = name;
            kept_as(&plan.design.name)
        }
        None => String::new(),
    }
}

/// The name a plan called `name` must take to be kept apart from the saved plans, if not its own.
fn kept_apart(name: &str) -> Option<String> {
    let taken: Vec<String> = storage::index().into_iter().map(|s| s.name).collect();
    Some(distinct_name(name, &taken)).filter(|apart| apart != name)
}

fn kept_as(name: &str) -> String {
    format!(" It is kept as “{name}”: another saved plan has its name.")
}

/// `name`, or `name (2)`, `name (3)`… : the first that no saved plan has, shortened to stay within the longest
/// name the loader takes (else the plan saved under it could not be opened again).
fn distinct_name(name: &str, taken: &[String]) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        let suffix = format!(" ({n})");
        let room = vpn_designer_core::model::MAX_PLAN_NAME.saturating_sub(suffix.chars().count());
        candidate = format!("{}{suffix}", name.chars().take(room).collect::<String>());
        n += 1;
    }
    candidate
}

/// Saves the plan a moment after the last change (typing in a field saves once, not per keystroke), and the view
/// apart from it: panning and zooming never re-serialise the plan.
///
/// With `link_pending` (a share link opens once the page is up), the plan shown first is not saved: it is only
/// the fallback the link replaces, and saving it would leave a stray copy of the reference among the saved plans.
pub fn autosave(state: EditorState, keeping: Keeping, link_pending: bool) {
    let pending_view = StoredValue::new_local(None::<gloo::timers::callback::Timeout>);
    let skip_first = std::cell::Cell::new(link_pending);
    Effect::new(move |_| {
        state.plan.track();
        // A plan from a link is only kept when the user says so.
        if keeping.shared.get() || skip_first.replace(false) {
            return;
        }
        keeping
            .unsaved
            .set_value(Some(keeping.slot.get_untracked()));
        let timeout =
            gloo::timers::callback::Timeout::new(400, move || keeping.save_pending(state));
        keeping.timer.set_value(Some(timeout));
    });
    // A pan or zoom still waiting for its pause is saved now (its timer dropped), as the plan is.
    let view_waiting = StoredValue::new_local(false);
    let flush_view = move || {
        if !view_waiting.get_value() {
            return;
        }
        view_waiting.set_value(false);
        pending_view.set_value(None);
        if !keeping.shared.get_untracked() {
            let slot = keeping.slot.get_untracked();
            let collapsed = state.collapsed.get_untracked();
            if let Err(error) =
                storage::save_view(&slot, state.viewport.get_untracked(), &collapsed)
            {
                state.warn(format!("View not saved: {error}"));
            }
        }
    };
    // Closing the tab, reloading or switching away within the pause would lose the last change (the plan's, and
    // the view's: QA s17 zoomed and reloaded at once): write them when the page is hidden (the last moment a page is
    // sure to run code) and when it is unloaded.
    if let Some(window) = web_sys::window() {
        gloo::events::EventListener::new(&window, "pagehide", move |_| {
            keeping.flush(state);
            flush_view();
        })
        .forget();
        // Another tab saved the plan this one has open: each would silently overwrite the other's changes.
        gloo::events::EventListener::new(&window, "storage", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            let slot = keeping.slot.get_untracked();
            let ours = event.key().is_some_and(|k| storage::is_plan_key(&k, &slot));
            if !ours || keeping.shared.get_untracked() {
                return;
            }
            if event.new_value().is_some() {
                state.warn(
                    "Another tab of VPN Designer just saved this plan. A change made here will overwrite \
                     it: reload this tab to continue from that version.",
                );
            } else {
                state.warn(
                    "Another tab of VPN Designer deleted this saved plan. This tab still has it, and its next \
                     change saves it again.",
                );
            }
        })
        .forget();
        if let Some(document) = window.document() {
            gloo::events::EventListener::new(&document, "visibilitychange", move |_| {
                let hidden = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.hidden());
                if hidden {
                    keeping.flush(state);
                    flush_view();
                }
            })
            .forget();
        }
    }
    Effect::new(move |_| {
        let view = state.viewport.get();
        let collapsed = state.collapsed.get();
        if keeping.shared.get() {
            return;
        }
        let slot = keeping.slot.get_untracked();
        view_waiting.set_value(true);
        let timeout = gloo::timers::callback::Timeout::new(400, move || {
            // Not the timer itself: it is running (the flush drops it only while it waits).
            view_waiting.set_value(false);
            if let Err(error) = storage::save_view(&slot, view, &collapsed) {
                state.warn(format!("View not saved: {error}"));
            }
        });
        pending_view.set_value(Some(timeout));
    });
}

/// Opens a share link's plan (after the page has rendered): the plan is shown, and kept only on request.
pub fn open_link(state: EditorState, keeping: Keeping, fragment: String) {
    spawn_local(async move {
        let result = async {
            let bytes = share::parse_fragment(&fragment).map_err(|e| e.0)?;
            let text = browser::decompress(&bytes, share::MAX_PLAN_JSON).await?;
            load_plan(&text).map_err(|e| {
                e.problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        }
        .await;
        match result {
            Ok(mut plan) => {
                let tidied = tidy_name(&mut plan);
                let hint = EditorState::arrange_hint(&plan);
                keeping.flush(state);
                state.open(plan);
                keeping.shared.set(true);
                state.tell(format!(
                    "Opened a shared plan. Keep it to save it in this browser.{tidied}{hint}"
                ));
                state.fit();
                // The banner offering to keep the plan takes height from the canvas. The canvas's resize observer
                // hears it once the banner is laid out, in the next frame: fit again in the one after.
                request_animation_frame(move || request_animation_frame(move || state.fit()));
            }
            Err(error) => {
                keeping.refused.set(Some((
                    "The share link could not be opened".into(),
                    vec![error],
                )));
            }
        }
    });
}

/// Imports a plan file's text: a refused file leaves the design untouched and lists its problems. `note` is added
/// to the status line of a successful import.
fn import_text(state: EditorState, keeping: Keeping, name: &str, text: &str, note: &str) {
    match load_plan(text) {
        Ok(mut plan) => {
            let tidied = tidy_name(&mut plan);
            let hint = EditorState::arrange_hint(&plan);
            // An earlier refusal still on screen would say the design is unchanged (QA s18).
            keeping.refused.set(None);
            keeping.flush(state);
            let apart = name_apart(&mut plan);
            let slot = storage::new_id();
            keeping.slot.set(slot);
            keeping.shared.set(false);
            state.open(plan);
            state.fit();
            state.tell(format!("Imported {name}.{note}{tidied}{apart}{hint}"));
            // The Plans dialog closed when the file was picked: the keyboard goes to the plan it opened, not to
            // the page (QA s19).
            browser::keep_focus_near(vec!["canvas".into()]);
        }
        Err(error) => {
            let problems = error.problems.iter().map(|p| p.to_string()).collect();
            keeping.refused.set(Some((
                format!("{name} was not imported; your design is unchanged"),
                problems,
            )));
        }
    }
}

/// Imports the first of `count` files (a drop can carry several); the status says the others were left.
pub fn import_file(state: EditorState, keeping: Keeping, file: web_sys::File, count: u32) {
    let name = file.name();
    spawn_local(async move {
        match browser::read_file(file).await {
            Ok(text) => {
                let note = if count > 1 {
                    format!(" It was the first of the {count} files dropped: a plan is one file, so the others were left.")
                } else {
                    String::new()
                };
                import_text(state, keeping, &name, &text, &note);
            }
            Err(error) => keeping
                .refused
                .set(Some((format!("{name} could not be read"), vec![error]))),
        }
    });
}

/// The problems of a refused import or link, until dismissed.
/// Focus moves to its OK button when it appears (an alert the keyboard cannot reach was left behind the page, QA
/// s18); OK or Escape dismisses it and gives focus back to the Plans dialog, or its button.
#[component]
pub fn RefusedDialog() -> impl IntoView {
    let keeping = use_keeping();
    let ok = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = ok.get() {
            let _ = button.focus();
        }
    });
    let dismiss = move || {
        keeping.refused.set(None);
        // Into the Plans dialog when it is still open (an Open that failed inside it), else its toolbar button.
        let document = web_sys::window().and_then(|w| w.document());
        let back = ["plans-panel", "open-plans"].into_iter().find_map(|id| {
            document
                .as_ref()?
                .query_selector(&format!("[data-testid=\"{id}\"]"))
                .ok()
                .flatten()?
                .dyn_into::<web_sys::HtmlElement>()
                .ok()
        });
        if let Some(back) = back {
            let _ = back.focus();
        }
    };
    move || {
        keeping.refused.get().map(|(title, problems)| {
            let items = problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view();
            let label = title.clone();
            view! {
                <section class="dialog refused" role="alertdialog" aria-label=label data-testid="refused-dialog"
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            // The editor's own Escape (cancel a gesture, clear the selection) is not meant.
                            ev.stop_propagation();
                            dismiss();
                        }
                    }>
                    <h2>{title}</h2>
                    <ul class="problems">{items}</ul>
                    <button class="primary" data-testid="refused-dismiss" node_ref=ok on:click=move |_| dismiss()>"OK"</button>
                </section>
            }
        })
    }
}

/// The plans menu: new from a template, open, rename, delete saved plans; import and export the plan file; share.
#[component]
pub fn PlansPanel(open: RwSignal<bool>) -> impl IntoView {
    let state = use_editor();
    let dialog = NodeRef::<leptos::html::Section>::new();
    super::dialog::focus_when_drawn(dialog);
    let keeping = use_keeping();
    let revision = RwSignal::new(0u32);
    let saved = move || {
        revision.get();
        open.get();
        storage::index()
    };
    let file_input = NodeRef::<leptos::html::Input>::new();
    let new_from = move |name: &'static str| {
        if let Some(mut plan) = templates::template(name) {
            keeping.flush(state);
            let apart = name_apart(&mut plan);
            keeping.slot.set(storage::new_id());
            keeping.shared.set(false);
            state.open(plan);
            state.fit();
            state.tell(format!("New plan from the {name} template.{apart}"));
            open.set(false);
        }
    };
    let share_url = RwSignal::new(String::new());
    let share_link = move |_| {
        let payload = state.plan.with_untracked(share::payload);
        spawn_local(async move {
            match browser::compress(&payload).await {
                Ok(bytes) => {
                    let fragment = share::fragment(&bytes);
                    let url = web_sys::window()
                        .and_then(|w| w.location().href().ok())
                        .map(|href| {
                            format!("{}#{fragment}", href.split('#').next().unwrap_or_default())
                        })
                        .unwrap_or_default();
                    match browser::copy(&url).await {
                        Ok(()) => {
                            state.tell("Share link copied (pre-shared keys are never in links)")
                        }
                        Err(_) => state
                            .tell("Share link ready below (pre-shared keys are never in links)"),
                    }
                    share_url.set(url);
                }
                Err(e) => state.warn(format!("Could not make a share link: {e}")),
            }
        });
    };
    let keep_shared = move |_| {
        let apart = match state.plan.with_untracked(|p| kept_apart(&p.design.name)) {
            Some(name) => {
                // Not an undoable step: undoing it would give the plan back a name another kept plan has. The
                // steps already recorded keep the name out of what they restore unless they renamed the plan.
                let note = kept_as(&name);
                state.plan.update(|p| p.design.name = name);
                note
            }
            None => String::new(),
        };
        keeping.slot.set(storage::new_id());
        keeping.shared.set(false);
        state.tell(format!("Kept the shared plan in this browser.{apart}"));
        // Drop the link from the address so a reload opens the kept plan.
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("./"));
        }
    };
    view! {
        <Show when=move || keeping.shared.get()>
            <div class="banner" role="status" data-testid="shared-banner">
                "This plan came from a share link and is not saved yet. "
                <button class="primary" data-testid="keep-shared" on:click=keep_shared>"Keep it"</button>
            </div>
        </Show>
        <Show when=move || open.get()>
            <section class="dialog plans-panel" role="dialog" aria-label="Plans" data-testid="plans-panel" tabindex="-1"
                node_ref=dialog on:keydown=super::dialog::close_on_escape(open, "open-plans")>
                <header>
                    <h2>"Plans"</h2>
                    <button class="link" aria-label="Close plans" on:click=move |_| open.set(false)>"Close"</button>
                </header>
                <h3>"New from a template"</h3>
                <div class="row">
                    <button data-testid="new-reference" on:click=move |_| new_from("reference")>"Reference (BGP)"</button>
                    <button data-testid="new-static" on:click=move |_| new_from("static")>"Reference (static)"</button>
                    <button data-testid="new-blank" on:click=move |_| new_from("blank")>"Blank"</button>
                </div>
                <h3>"Saved in this browser"</h3>
                <ul class="saved-plans" data-testid="saved-plans">
                    {move || saved().into_iter().enumerate().map(|(n, s)| {
                        // A shared plan on screen is not the saved plan whose slot the page still holds.
                        let current = s.id == keeping.slot.get() && !keeping.shared.get();
                        let (open_id, rename_id, delete_id) = (s.id.clone(), s.id.clone(), s.id.clone());
                        // The plan on screen is named as it is now, not as its last autosave wrote it (a rename
                        // is saved after the pause).
                        let stored = s.name.clone();
                        let shown = move || if current { state.plan.with(|p| p.design.name.clone()) } else { stored.clone() };
                        let (name, delete_name) = (shown.clone(), shown.clone());
                        // Two saved plans may share a name: each button says which row it acts on.
                        let label = {
                            let shown = shown.clone();
                            move |verb: &'static str| {
                                let shown = shown.clone();
                                move || format!("{verb} saved plan {}, “{}”", n + 1, shown())
                            }
                        };
                        view! {
                            <li class:current=current data-testid=format!("saved-{}", s.id)>
                                <span class="saved-name">{shown}</span>
                                {current.then_some(" (open)")}
                                <button class="small" disabled=current aria-label=label("Open") on:click=move |_| {
                                    match storage::load(&open_id).map(|t| load_plan(&t)) {
                                        Some(Ok(mut plan)) => {
                                            tidy_name(&mut plan);
                                            let hint = EditorState::arrange_hint(&plan);
                                            let opened = plan.design.name.clone();
                                            keeping.flush(state);
                                            keeping.slot.set(open_id.clone());
                                            keeping.shared.set(false);
                                            state.open(plan);
                                            if let Some(view) = storage::load_view(&open_id) { state.viewport.set(view.viewport); state.collapsed.set(view.collapsed) } else { state.fit() }
                                            state.tell(format!("Opened {opened}.{hint}"));
                                            open.set(false);
                                        }
                                        Some(Err(e)) => keeping.refused.set(Some(("The saved plan could not be opened".into(), e.problems.iter().map(|p| p.to_string()).collect()))),
                                        None => state.warn("The saved plan is gone"),
                                    }
                                }>"Open"</button>
                                <button class="small" aria-label=label("Rename") on:click=move |_| {
                                    let Some(window) = web_sys::window() else { return };
                                    let Ok(Some(new_name)) = window.prompt_with_message_and_default("New name", &name()) else { return };
                                    if new_name.trim().is_empty() {
                                        state.warn("Not renamed: a plan's name needs more than spaces");
                                        return;
                                    }
                                    // The loader's rules: a name it would refuse would leave the plan unopenable.
                                    if let Some(problem) = vpn_designer_core::load::plan_name_problem(new_name.trim()) {
                                        state.warn(format!("Not renamed: {problem}"));
                                        return;
                                    }
                                    // Two kept plans of one name could not be told apart in this list. The open plan's
                                    // pending autosave goes first, so the list read is the names as they are.
                                    keeping.flush(state);
                                    if storage::index().iter().any(|s| s.id != rename_id && s.name == new_name.trim()) {
                                        state.warn(format!("Not renamed: another saved plan is called “{}”", new_name.trim()));
                                        return;
                                    }
                                    if rename_id == keeping.slot.get_untracked() && !keeping.shared.get_untracked() {
                                        state.edit("Rename plan", |p| { p.design.name = new_name.trim().to_string(); Ok(()) });
                                    } else if let Some(Ok(mut plan)) = storage::load(&rename_id).map(|t| load_plan(&t)) {
                                        plan.design.name = new_name.trim().to_string();
                                        if let Err(e) = storage::save(&rename_id, &plan.design.name, &plan.to_json()) { state.warn(e) }
                                    }
                                    revision.update(|r| *r += 1);
                                }>"Rename"</button>
                                <button class="small danger" disabled=current aria-label=label("Delete") on:click=move |_| {
                                    // A saved plan is not in the undo history: deleting it cannot be taken back.
                                    let sure = web_sys::window().and_then(|w| w.confirm_with_message(&format!("Delete saved plan {}, “{}”? This cannot be undone.", n + 1, delete_name())).ok()).unwrap_or(false);
                                    if !sure { return; }
                                    // The row goes: the keyboard stays in the dialog, and the status says what went (QA s18).
                                    crate::browser::keep_focus_near(vec!["plans-panel".into()]);
                                    match storage::remove(&delete_id) {
                                        Ok(()) => state.tell(format!("Deleted the saved plan “{}”", delete_name())),
                                        Err(e) => state.warn(e),
                                    }
                                    revision.update(|r| *r += 1);
                                }>"Delete"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <h3>"Plan file"</h3>
                <div class="row">
                    <button data-testid="import-plan" on:click=move |_| { if let Some(input) = file_input.get() { input.click() } }>"Import plan file…"</button>
                    <input type="file" accept=".json,application/json" class="hidden" node_ref=file_input data-testid="import-file"
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                                import_file(state, keeping, file, 1);
                                open.set(false);
                            }
                            input.set_value("");
                        } />
                    <button data-testid="export-plan" on:click=move |_| {
                        let json = state.plan.with_untracked(|p| vpn_designer_core::export::plan_file::export_plan(p, false));
                        browser::download("plan.json", "application/json", &json);
                    }>"Download plan file"</button>
                </div>
                <p class="hint">"You can also drop a plan file on the canvas. Pre-shared keys are left out of the download; use Export to include them."</p>
                <h3>"Share"</h3>
                <div class="row">
                    <button data-testid="share-link" on:click=share_link>"Copy share link"</button>
                </div>
                <Show when=move || !share_url.get().is_empty()>
                    <input class="share-url" readonly data-testid="share-url" prop:value=move || share_url.get() aria-label="Share link" />
                </Show>
            </section>
        </Show>
    }
}
