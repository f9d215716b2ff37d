//! Wide tables on narrow screens.

use leptos::prelude::*;

/// A table that scrolls sideways inside its own box instead of widening the page; the box is
/// a named, focusable region so keyboard users can scroll it too.
#[component]
pub fn WideTable(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}

/// A data table in a [`WideTable`]: an optional caption (for screen readers only), one header
/// row of `columns`, and the rows given as children.
#[component]
pub fn DataTable(
    #[prop(into)] label: String,
    #[prop(optional)] caption: Option<&'static str>,
    columns: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    view! {
        <WideTable label>
            <table class="data-table">
                {caption.map(|text| view! { <caption class="visually-hidden">{text}</caption> })}
                <thead>
                    <tr>
                        {columns.iter().map(|column| view! { <th scope="col">{*column}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </WideTable>
    }
}
