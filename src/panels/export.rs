//! The export panel: every format previewed, copied or downloaded; Terraform's files one by one or as one archive.
//! Keys are left out unless the user ticks the box (and then only into what they download or copy).

use crate::browser;
use crate::state::use_editor;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vpn_designer_core::archive::zip;
use vpn_designer_core::export::{export, ExportFile, Format, Options};

fn label(format: Format) -> &'static str {
    match format {
        Format::Terraform => "Terraform (azurerm + aws)",
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

#[component]
pub fn ExportPanel(open: RwSignal<bool>) -> impl IntoView {
    let state = use_editor();
    let format = RwSignal::new(Format::Terraform);
    let secrets = RwSignal::new(false);
    let file_index = RwSignal::new(0usize);
    // Exports run only while the panel is open, and again only when the plan or the choice changes.
    let files = Memo::new(move |_| {
        if !open.get() {
            return Vec::<ExportFile>::new();
        }
        let options = Options {
            include_secrets: secrets.get(),
        };
        let format = format.get();
        state.plan.with(|p| export(p, format, &options))
    });
    let current = move || {
        files.with(|f| {
            f.get(file_index.get().min(f.len().saturating_sub(1)))
                .cloned()
        })
    };
    let copy = move |_| {
        if let Some(file) = current() {
            spawn_local(async move {
                match browser::copy(&file.contents).await {
                    Ok(()) => state.tell(format!("Copied {} to the clipboard", file.name)),
                    Err(e) => state.warn(format!("Could not copy: {e}")),
                }
            });
        }
    };
    let download_one = move |_| {
        if let Some(file) = current() {
            browser::download(&file.name, mime(&file.name), &file.contents);
        }
    };
    let download_all = move |_| {
        let all: Vec<(String, String)> = files.with(|f| {
            f.iter()
                .map(|x| (x.name.clone(), x.contents.clone()))
                .collect()
        });
        browser::download_bytes("terraform.zip", "application/zip", &zip(&all));
    };
    let options = move || {
        Format::ALL
            .iter()
            .map(|f| view! { <option value=f.name() selected=move || format.get() == *f>{label(*f)}</option> })
            .collect_view()
    };
    view! {
        <Show when=move || open.get()>
            <section class="dialog export-panel" role="dialog" aria-label="Export" data-testid="export-panel">
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
                    {move || files.with(|f| f.iter().enumerate().map(|(i, file)| {
                        let selected = move || file_index.get() == i;
                        view! {
                            <button role="tab" aria-selected=move || selected().to_string() class:active=selected
                                data-testid=format!("export-file-{}", file.name)
                                on:click=move |_| file_index.set(i)>{file.name.clone()}</button>
                        }
                    }).collect_view())}
                </div>
                <div class="export-actions">
                    <button data-testid="export-copy" on:click=copy>"Copy"</button>
                    <button class="primary" data-testid="export-download" on:click=download_one>"Download file"</button>
                    <Show when=move || format.get().is_multi_file()>
                        <button data-testid="export-download-zip" on:click=download_all>"Download all (.zip)"</button>
                    </Show>
                </div>
                <pre class="export-preview" data-testid="export-preview" tabindex="0">{move || current().map(|f| f.contents).unwrap_or_default()}</pre>
            </section>
        </Show>
    }
}
