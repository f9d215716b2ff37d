//! Forms that apply as soon as a choice changes (the factsheet filters, the attendance
//! register), on top of a plain form that works without JavaScript.

use leptos::prelude::*;

/// Submits the form around a changed `<select>` or `<input>` (a radio button, a number
/// once left) inside it. Without JavaScript the form's button does the same.
#[island]
pub fn SubmitOnChange(children: Children) -> impl IntoView {
    let on_change = move |_event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let target = _event.target();
            let form = target
                .clone()
                .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .and_then(|select| select.form())
                .or_else(|| {
                    target
                        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .and_then(|input| input.form())
                });
            if let Some(form) = form {
                let _ = form.request_submit();
            }
        }
    };
    view! { <div class="submit-on-change" on:change=on_change>{children()}</div> }
}
