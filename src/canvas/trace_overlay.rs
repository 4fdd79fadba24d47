//! The trace drawn on the canvas: the request's path as a solid line, the reply's as a dashed one beside it, a
//! numbered marker per hop (red where the packet stopped, with the hop's explanation as its tooltip), and the
//! verdict written where the path ends or stops. The geometry comes from `layout::trace_path`.

use crate::state::use_editor;
use leptos::prelude::*;
use vpn_designer_core::layout::trace_path::TracePath;
use vpn_designer_core::trace::Direction;

/// The verdict on the canvas is cut to this many characters; the whole of it is in the flows panel and the
/// overlay's tooltip.
const VERDICT_CHARS: usize = 72;

fn points(line: &[(f64, f64)]) -> String {
    line.iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn shortened(text: &str) -> String {
    if text.chars().count() <= VERDICT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(VERDICT_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

fn drawn(path: TracePath) -> impl IntoView {
    let verdict_class = if path.delivered {
        "delivered"
    } else {
        "blocked"
    };
    let markers = path
        .markers
        .into_iter()
        .map(|m| {
            let class = format!(
                "trace-hop {} {}",
                if m.passed { "passed" } else { "blocked" },
                match m.direction {
                    Direction::Forward => "forward",
                    Direction::Return => "return",
                }
            );
            view! {
                <g class=class data-testid=format!("trace-hop-{}", m.number)>
                    <title>{m.title}</title>
                    <circle cx=m.x cy=m.y r="10" />
                    <text x=m.x y=m.y + 4.0 text-anchor="middle">{if m.passed { m.number.to_string() } else { "✕".to_string() }}</text>
                </g>
            }
        })
        .collect_view();
    let (vx, vy) = path.verdict_at;
    let full = format!("Trace: {}", path.verdict);
    let label = full.clone();
    view! {
        <g
            class=format!("trace-path {verdict_class}")
            data-testid="trace-path"
            data-verdict=verdict_class
            role="img"
            aria-label=label
        >
            <title>{full}</title>
            <polyline class="trace-forward" points=points(&path.forward) marker-mid="url(#trace-arrow)" marker-end="url(#trace-arrow)" />
            <polyline class="trace-return" points=points(&path.back) marker-mid="url(#trace-arrow)" marker-end="url(#trace-arrow)" />
            {markers}
            <text class="trace-verdict" data-testid="trace-verdict" x=vx + 16.0 y=vy - 14.0>{shortened(&path.verdict)}</text>
        </g>
    }
}

/// Drawn above every object; only the markers take the pointer (for their tooltips).
#[component]
pub fn TraceOverlay() -> impl IntoView {
    let state = use_editor();
    move || state.trace_path.get().map(drawn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_verdicts_are_cut_on_a_character_boundary() {
        assert_eq!(shortened("delivered"), "delivered");
        let long = "é".repeat(100);
        let cut = shortened(&long);
        assert_eq!(cut.chars().count(), VERDICT_CHARS);
        assert!(cut.ends_with('…'));
    }
}
