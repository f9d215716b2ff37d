//! Page links under a long list.

use leptos::prelude::*;

/// "Vorige · Pagina 2 van 5 · Volgende"; nothing when everything fits on one page. `href`
/// gives the address of a page number. Plain links: they work in islands and without
/// JavaScript.
#[component]
pub fn Pager<F>(page: u64, page_count: u64, href: F) -> impl IntoView
where
    F: Fn(u64) -> String + 'static,
{
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < page_count).then(|| href(page + 1));
    (page_count > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pagina's">
                {previous.map(|href| view! { <a href=href rel="prev">"Vorige"</a> })}
                <span>{format!("Pagina {page} van {page_count}")}</span>
                {next.map(|href| view! { <a href=href rel="next">"Volgende"</a> })}
            </nav>
        }
    })
}
