//! Forms that apply as soon as a choice changes (the factsheet filters, the attendance
//! register), on top of a plain form that works without JavaScript.

use leptos::prelude::*;

/// Keys that move through a select's options or a radio group without choosing yet.
#[cfg(feature = "hydrate")]
const BROWSING_KEYS: [&str; 8] = [
    "ArrowUp",
    "ArrowDown",
    "ArrowLeft",
    "ArrowRight",
    "Home",
    "End",
    "PageUp",
    "PageDown",
];

/// Submits the form around a changed `<select>` or `<input>` (a radio button, a number
/// once left) inside it, on a committed choice only (WCAG 3.2.2): a click or tap submits at
/// once; moving through options with the arrow keys submits nothing until the person presses
/// Enter or leaves the control, so focus does not jump while they browse. Without JavaScript
/// the form's button does the same.
#[island]
pub fn SubmitOnChange(children: Children) -> impl IntoView {
    // The last change came from the keyboard and waits for Enter or leaving the control.
    let browsing = StoredValue::new(false);
    let pending = StoredValue::new(false);
    // The handlers below only act in the browser.
    #[cfg(not(feature = "hydrate"))]
    let _ = pending;
    let on_keydown = move |_event: leptos::ev::KeyboardEvent| {
        #[cfg(feature = "hydrate")]
        {
            let key = _event.key();
            if key == "Enter" && pending.get_value() {
                _event.prevent_default();
                pending.set_value(false);
                submit_form_of(_event.target());
            } else {
                // Space, a digit or Tab commits: only browsing keys wait.
                browsing.set_value(BROWSING_KEYS.contains(&key.as_str()));
            }
        }
    };
    let on_pointerdown = move |_| browsing.set_value(false);
    let on_change = move |_event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            if browsing.get_value() {
                pending.set_value(true);
            } else {
                submit_form_of(_event.target());
            }
        }
    };
    let on_focusout = move |_event: leptos::ev::FocusEvent| {
        #[cfg(feature = "hydrate")]
        {
            if pending.get_value() && !same_choice(&_event) {
                pending.set_value(false);
                browsing.set_value(false);
                submit_form_of(_event.target());
            }
        }
    };
    view! {
        <div
            class="submit-on-change"
            on:change=on_change
            on:keydown=on_keydown
            on:pointerdown=on_pointerdown
            on:focusout=on_focusout
        >
            {children()}
        </div>
    }
}

/// Whether focus moves to another radio button of the same group (arrow keys do that): the
/// person is still choosing.
#[cfg(feature = "hydrate")]
fn same_choice(event: &leptos::ev::FocusEvent) -> bool {
    use wasm_bindgen::JsCast;
    let radio_name = |target: Option<web_sys::EventTarget>| {
        target
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .filter(|input| input.type_() == "radio")
            .map(|input| input.name())
    };
    match (
        radio_name(event.target()),
        radio_name(event.related_target()),
    ) {
        (Some(left), Some(entered)) => left == entered,
        _ => false,
    }
}

#[cfg(feature = "hydrate")]
fn submit_form_of(target: Option<web_sys::EventTarget>) {
    use wasm_bindgen::JsCast;
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
