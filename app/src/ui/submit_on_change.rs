//! Filters that apply as soon as they change, like the factsheet filters, on top of a plain GET
//! form that works without JavaScript.

use leptos::prelude::*;

/// Submits the form around a changed `<select>` inside it. Without JavaScript the form's
/// button does the same.
#[island]
pub fn SubmitOnChange(children: Children) -> impl IntoView {
    let on_change = move |_event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let form = _event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .and_then(|select| select.form());
            if let Some(form) = form {
                let _ = form.request_submit();
            }
        }
    };
    view! { <div class="submit-on-change" on:change=on_change>{children()}</div> }
}
