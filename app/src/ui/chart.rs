//! A horizontal bar chart drawn on the server as SVG: no JavaScript, readable at any width.
//! It is a picture of a table that stands beside it (the table is what screen readers read),
//! so the SVG is one image with a title. Suppressed values get no bar, only their mark.

use leptos::prelude::*;

use crate::small_count::Shown;

const BAR_HEIGHT: u32 = 22;
const GAP: u32 = 8;
const LABEL_WIDTH: u32 = 260;
const BAR_AREA: u32 = 380;
const VALUE_WIDTH: u32 = 60;

/// Bars for `values` (label, shown value), longest for the largest count.
#[component]
pub fn BarChart(#[prop(into)] title: String, values: Vec<(String, Shown)>) -> impl IntoView {
    let largest = values
        .iter()
        .filter_map(|(_, shown)| match shown {
            Shown::Count(count) => Some(*count),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
    let height = (values.len() as u32).max(1) * (BAR_HEIGHT + GAP);
    let bars = values
        .into_iter()
        .enumerate()
        .map(|(i, (label, shown))| {
            let y = i as u32 * (BAR_HEIGHT + GAP);
            let length = match shown {
                Shown::Count(count) => (count * u64::from(BAR_AREA) / largest) as u32,
                _ => 0,
            };
            let text_y = y + BAR_HEIGHT / 2 + 5;
            view! {
                <text x=LABEL_WIDTH - 8 y=text_y text-anchor="end" class="chart-label">{label}</text>
                <rect x=LABEL_WIDTH y=y width=length height=BAR_HEIGHT class="chart-bar"></rect>
                <text x=LABEL_WIDTH + length + 6 y=text_y class="chart-value">{shown.nl()}</text>
            }
        })
        .collect_view();
    let label = title.clone();
    view! {
        <svg class="bar-chart" role="img" viewBox=format!("0 0 {width} {height}")
            preserveAspectRatio="xMinYMin meet" aria-label=label>
            <title>{title}</title>
            {bars}
        </svg>
    }
}
