//! The page of a [`FramedAnswer`], in the site's frame (header, menu, footer and stylesheet).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::answer::FramedAnswer;
use crate::paths::login_href;
use crate::ui::feedback::Outcome;

#[component]
pub fn AnswerPage(answer: FramedAnswer) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = axum::http::StatusCode::from_u16(answer.status)
    {
        response.set_status(status);
    }
    let FramedAnswer {
        title,
        message,
        secret_link,
        way_on: (href, label),
        needs_login,
        confirm,
        ..
    } = answer;
    if let Some(confirm) = confirm {
        return view! {
            <Title text=title.clone()/>
            <section class="confirmation">
                <h1>{title}</h1>
                <p class="lead">{message}</p>
                <form method="post" action=confirm.action class="form-actions">
                    {confirm.fields.into_iter().map(|(name, value)| view! {
                        <input type="hidden" name=name value=value/>
                    }).collect_view()}
                    <input type="hidden" name=crate::answer::CONFIRMED_FIELD value="ja"/>
                    <button type="submit" class="button danger">{confirm.button}</button>
                    <a href=href class="button secondary">{label}</a>
                </form>
            </section>
        }
        .into_any();
    }
    let login = needs_login.then(|| login_href(&href));
    view! {
        <Title text=title.clone()/>
        <section class="error-page">
            <h1>{title}</h1>
            {match secret_link {
                Some(link) => view! { <Outcome success=true message link=Some(link)/> }.into_any(),
                None => view! { <p class="lead">{message}</p> }.into_any(),
            }}
            {login.map(|login| view! {
                <p><a href=login rel="external" class="button">"Inloggen"</a></p>
            })}
            <p>
                {(href != "/").then(|| view! { <a href=href>{label}</a>" · " })}
                <a href="/">"Naar de startpagina"</a>
            </p>
        </section>
    }
    .into_any()
}
