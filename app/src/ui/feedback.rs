//! Loading, errors and validation messages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::paths::login_href;

/// A Dutch validation message under a form field; the field points at `id` with
/// `aria-describedby`.
#[component]
pub fn FieldError(#[prop(into)] id: String, message: Option<String>) -> impl IntoView {
    message.map(|message| view! { <p class="field-error" id=id>{message}</p> })
}

/// Every refused field of a form at once, above the form: each line links to its field. It
/// takes the focus when it appears (on page load without JavaScript, and in place in an
/// island), so a screen reader announces it and the keyboard starts there.
#[component]
pub fn ErrorSummary(
    /// `(field id, "Label: message")` in the form's order.
    items: Vec<(String, String)>,
) -> impl IntoView {
    if items.is_empty() {
        return None;
    }
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        if let Some(summary) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(ERROR_SUMMARY_ID))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = summary.focus();
        }
    });
    let count = items.len();
    Some(view! {
        <div class="error-summary" id=ERROR_SUMMARY_ID role="alert" tabindex="-1" autofocus>
            <h2>{if count == 1 { "Er is 1 punt om te verbeteren".to_owned() } else { format!("Er zijn {count} punten om te verbeteren") }}</h2>
            <ul>
                {items
                    .into_iter()
                    .map(|(id, text)| view! { <li><a href=format!("#{id}")>{text}</a></li> })
                    .collect_view()}
            </ul>
        </div>
    })
}

pub const ERROR_SUMMARY_ID: &str = "foutoverzicht";

/// A form post's outcome, shown once on the page it returned to: a status for success (with a
/// secret link shown once, if there is one), an alert for a refusal.
#[component]
pub fn Outcome(
    success: bool,
    #[prop(into)] message: String,
    #[prop(default = None)] link: Option<String>,
    /// The alert's id, for a field that points at it.
    #[prop(default = None)]
    id: Option<String>,
) -> impl IntoView {
    if let Some(link) = link {
        view! {
            <div class="notice success" role="status">
                <p>{message}</p>
                <p><a href=link.clone() class="feed-link">{link.clone()}</a></p>
            </div>
        }
        .into_any()
    } else if success {
        view! { <p class="notice success" role="status">{message}</p> }.into_any()
    } else {
        view! { <p class="notice error" role="alert" id=id>{message}</p> }.into_any()
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Bezig met laden…"</p> }
}

/// Shows what a resource loaded, "Bezig met laden…" until then, and the error page (with its
/// HTTP status during server rendering) when it failed. For the server-rendered part of a page:
/// inside an island, show errors in place instead (the error page sets the title and reads the
/// route, which islands cannot).
#[component]
pub fn Loaded<T, V, F>(resource: Resource<Result<T, AppError>>, children: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=Loading>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => children(value).into_any(),
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Shows an error in Dutch and, during server rendering, sets the matching HTTP status. A
/// visitor who must log in gets the login button, back to this page.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::error::set_response_status(&error);
    let hint = match error {
        AppError::NotFound => {
            "Misschien is de pagina verplaatst of is het adres niet helemaal goed overgenomen."
        }
        AppError::Withdrawn { .. } => {
            "De inhoud is niet meer actueel en daarom van het leerplatform gehaald. Zoek in de factsheets naar actuele kennis over dit onderwerp."
        }
        AppError::Unauthenticated => "Na het inloggen komt u terug op deze pagina.",
        _ => {
            "Onze excuses. Als het probleem blijft, neem dan contact op met het Landelijk Steunpunt Extremisme."
        }
    };
    let login = (error == AppError::Unauthenticated).then(|| {
        let location = use_location();
        login_href(&location.pathname.get_untracked())
    });
    let title = error.title();
    view! {
        <Title text=title.clone()/>
        <section class="error-page">
            <h1>{title}</h1>
            <p class="lead">{error.to_string()}</p>
            <p>{hint}</p>
            {login.map(|href| view! {
                <p><a href=href rel="external" class="button">"Inloggen"</a></p>
            })}
            <p>
                <a href="/">"Naar de startpagina"</a>
                " · "
                <a href="/factsheets">"Alle factsheets"</a>
            </p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <ErrorPage error=AppError::NotFound/> }
}
