//! The export panel: every format previewed, copied or downloaded; Terraform's files one by one or as one archive.
//! Keys are left out unless the user ticks the box, and then only written into what they download or copy: the
//! preview never shows them (a screen shared in an architecture review must not carry them).

use crate::browser;
use crate::exporter;
use crate::state::use_editor;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vpn_designer_core::archive::zip;
use vpn_designer_core::export::{ExportFile, Format};

fn label(format: Format) -> &'static str {
    match format {
        Format::Terraform => "Terraform (azurerm + aws)",
        Format::TerraformPerCloud => "Terraform, one module per cloud (azure/, aws/)",
        Format::CloudFormation => "CloudFormation (AWS side)",
        Format::Mermaid => "Mermaid diagram",
        Format::SheetMarkdown => "IKE/IPsec sheet (Markdown)",
        Format::SheetCsv => "IKE/IPsec sheet (CSV)",
        Format::SheetHtml => "IKE/IPsec sheet (HTML, printable)",
        Format::ReviewMarkdown => "Review pack (Markdown)",
        Format::ReviewHtml => "Review pack (HTML)",
        Format::Plan => "Plan file (JSON)",
    }
}

fn mime(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("json") => "application/json",
        Some("html") => "text/html",
        Some("csv") => "text/csv",
        Some("md") => "text/markdown",
        Some("yaml") => "application/yaml",
        _ => "text/plain",
    }
}

/// What the preview shows: the files, or why there are none yet.
#[derive(Clone, PartialEq)]
enum Preview {
    Files(Vec<ExportFile>),
    /// The exporters' module is still being fetched.
    Loading,
    Failed(String),
}

/// Starts fetching the exporters before the panel is opened (the Export button calls it when pointed at or
/// focused), so that most of the time they are there by the click.
pub fn prefetch() {
    if !exporter::ready() {
        spawn_local(async {
            let _ = exporter::load().await;
        });
    }
}

#[component]
pub fn ExportPanel(open: RwSignal<bool>) -> impl IntoView {
    let state = use_editor();
    let dialog = NodeRef::<leptos::html::Section>::new();
    super::dialog::focus_when_drawn(dialog);
    let format = RwSignal::new(Format::Terraform);
    let secrets = RwSignal::new(false);
    let file_index = RwSignal::new(0usize);
    // Whether the exporters are loaded, as a signal the preview and the loader follow (the module's own flag is
    // JavaScript's, which nothing here can track); the error of the last attempt.
    let ready = RwSignal::new(exporter::ready());
    let load_error = RwSignal::new(None::<String>);
    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match exporter::load().await {
                Ok(()) => {
                    ready.set(true);
                    // A retry's button is gone now: keep the keyboard in the dialog, not on the page's body.
                    let lost = web_sys::window()
                        .and_then(|w| w.document())
                        .is_some_and(|d| {
                            d.active_element().is_none()
                                || d.active_element() == d.body().map(Into::into)
                        });
                    if lost {
                        if let Some(element) = dialog.get_untracked() {
                            let _ = element.focus();
                        }
                    }
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        if open.get() && !ready.get() {
            load();
        }
    });
    // Exports run only while the panel is open, and again only when the plan or the choice changes.
    let preview = Memo::new(move |_| {
        if !open.get() {
            return Preview::Files(Vec::new());
        }
        let format = format.get();
        if format != Format::Plan && !ready.get() {
            return match load_error.get() {
                Some(e) => Preview::Failed(e),
                None => Preview::Loading,
            };
        }
        match state.plan.with(|p| exporter::export(p, format, false)) {
            Ok(files) => Preview::Files(files),
            Err(e) => Preview::Failed(e),
        }
    });
    // An export that trapped dropped the module (src/exporter.rs): load a fresh one, and the preview runs again.
    Effect::new(move |_| {
        if preview.with(|p| matches!(p, Preview::Failed(_)))
            && ready.get_untracked()
            && !exporter::ready()
        {
            ready.set(false);
        }
    });
    // The tabs need only the names: a 1,000-network plan's Terraform is megabytes, not worth a copy per render.
    let names = Memo::new(move |_| {
        preview.with(|p| match p {
            Preview::Files(files) => files.iter().map(|f| f.name.clone()).collect(),
            _ => Vec::new(),
        })
    });
    let has_file =
        Memo::new(move |_| preview.with(|p| matches!(p, Preview::Files(f) if !f.is_empty())));
    let current = move || {
        preview.with(|p| match p {
            Preview::Files(f) => f
                .get(file_index.get().min(f.len().saturating_sub(1)))
                .cloned(),
            _ => None,
        })
    };
    // What a copy or download writes: the previewed file, or, when the user asked for the keys, the same file
    // exported again at the click with them (the preview has none).
    let keyed = move || -> Option<Vec<ExportFile>> {
        match state
            .plan
            .with_untracked(|p| exporter::export(p, format.get_untracked(), true))
        {
            Ok(files) => Some(files),
            Err(e) => {
                state.warn(format!("Could not write the keys: {e}"));
                None
            }
        }
    };
    let current_to_write = move || -> Option<ExportFile> {
        let file = current()?;
        if !secrets.get_untracked() {
            return Some(file);
        }
        keyed()?.into_iter().find(|f| f.name == file.name)
    };
    let copy = move |_| {
        if let Some(file) = current_to_write() {
            spawn_local(async move {
                match browser::copy(&file.contents).await {
                    Ok(()) => state.tell(format!("Copied {} to the clipboard", file.name)),
                    Err(e) => state.warn(format!("Could not copy: {e}")),
                }
            });
        }
    };
    let download_one = move |_| {
        if let Some(file) = current_to_write() {
            // A per-cloud module's file is saved as `azure-main.tf`: a download has no folder.
            let name = file.name.replace('/', "-");
            browser::download(&name, mime(&name), &file.contents);
        }
    };
    let download_all = move |_| {
        let all: Vec<(String, String)> = if secrets.get_untracked() {
            keyed()
                .unwrap_or_default()
                .into_iter()
                .map(|x| (x.name, x.contents))
                .collect()
        } else {
            preview.with(|p| match p {
                Preview::Files(files) => files
                    .iter()
                    .map(|x| (x.name.clone(), x.contents.clone()))
                    .collect(),
                _ => Vec::new(),
            })
        };
        if !all.is_empty() {
            let name = format!("{}.zip", format.get_untracked().name());
            browser::download_bytes(&name, "application/zip", &zip(&all));
        }
    };
    let options = move || {
        Format::ALL
            .iter()
            .map(|f| view! { <option value=f.name() selected=move || format.get() == *f prop:selected=move || format.get() == *f>{label(*f)}</option> })
            .collect_view()
    };
    view! {
        <Show when=move || open.get()>
            <section class="dialog export-panel" role="dialog" aria-label="Export" data-testid="export-panel" tabindex="-1"
                node_ref=dialog on:keydown=super::dialog::close_on_escape(open, "open-export")>
                <header>
                    <h2>"Export"</h2>
                    <button class="link" aria-label="Close export" data-testid="export-close" on:click=move |_| open.set(false)>"Close"</button>
                </header>
                <div class="export-controls">
                    <label>"Format "
                        <select data-testid="export-format" on:change=move |ev| {
                            if let Some(f) = Format::from_name(&event_target_value(&ev)) {
                                format.set(f);
                                file_index.set(0);
                            }
                        }>{options()}</select>
                    </label>
                    <label title="Write the pre-shared keys into the output. Off: keys become sensitive inputs.">
                        <input type="checkbox" data-testid="export-secrets" on:change=move |ev| secrets.set(event_target_checked(&ev)) />
                        " include pre-shared keys"
                    </label>
                </div>
                <div class="export-files" role="tablist" aria-label="Files">
                    {move || names.get().into_iter().enumerate().map(|(i, name)| {
                        let selected = move || file_index.get() == i;
                        view! {
                            <button role="tab" aria-selected=move || selected().to_string() class:active=selected
                                data-testid=format!("export-file-{name}")
                                on:click=move |_| file_index.set(i)>{name.clone()}</button>
                        }
                    }).collect_view()}
                </div>
                <div class="export-actions">
                    <button data-testid="export-copy" disabled=move || !has_file.get() on:click=copy>"Copy"</button>
                    <button class="primary" data-testid="export-download" disabled=move || !has_file.get() on:click=download_one>"Download file"</button>
                    <Show when=move || format.get().is_multi_file()>
                        <button data-testid="export-download-zip" disabled=move || !has_file.get() on:click=download_all>"Download all (.zip)"</button>
                    </Show>
                </div>
                <Show when=move || secrets.get()>
                    <p class="export-note" data-testid="export-secrets-note" role="note">
                        "The preview leaves the pre-shared keys out: they are written only into what you copy or download."
                    </p>
                </Show>
                {move || preview.with(|p| match p {
                    Preview::Files(_) => view! {
                        <pre class="export-preview" data-testid="export-preview" tabindex="0">{move || current().map(|f| f.contents).unwrap_or_default()}</pre>
                    }.into_any(),
                    Preview::Loading => view! {
                        <p class="export-preview export-status" data-testid="export-loading" role="status" aria-busy="true">"Loading the exporters…"</p>
                    }.into_any(),
                    Preview::Failed(message) => { let message = message.clone(); view! {
                        <div class="export-preview export-status" data-testid="export-error" role="alert">
                            <p>{format!("The preview is not available: {message}.")}</p>
                            <p>"The plan file (format: Plan file) needs no exporter and can still be downloaded."</p>
                            <button data-testid="export-retry" on:click=move |_| load()>"Try again"</button>
                        </div>
                    }.into_any() }
                })}
            </section>
        </Show>
    }
}
