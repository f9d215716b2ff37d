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
