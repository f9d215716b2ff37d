//! `/profiel/verwijderen`: a person asks to have their account erased. The page says first
//! what goes and what stays (and what stands in the way), then one button erases at once
//! (`POST /profiel/verwijderen`, see `server::auth::erase_profile`). It joins every domain, so
//! it lives above them, as the export does (`personal_data`).

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::Loaded;

/// What erasing an account does, for the person to read before they confirm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasurePreview {
    /// Why it cannot be done yet, in Dutch (empty: it can).
    pub refusals: Vec<String>,
    pub goes: Vec<String>,
    pub stays: Vec<String>,
}

/// The viewer's own erasure preview.
#[server(endpoint = "erasure_preview")]
pub async fn get_erasure_preview() -> Result<ErasurePreview, AppError> {
    use crate::identity::access::Action;
    let viewer =
        crate::identity::service::current::authorize_user(Action::ManageOwnProfile).await?;
    use crate::personal_data::{erasure_refusals, what_erasure_keeps, what_erasure_removes};
    let db = crate::context::db()?;
    Ok(ErasurePreview {
        refusals: erasure_refusals(&db, viewer.user_id).await?,
        goes: what_erasure_removes(),
        stays: what_erasure_keeps(),
    })
}

#[component]
pub fn ErasurePage() -> impl IntoView {
    let preview = Resource::new(|| (), |_| get_erasure_preview());
    view! {
        <Title text="Account laten wissen"/>
        <header class="page-header">
            <p class="eyebrow"><a href="/profiel">"Profiel"</a></p>
            <h1>"Account laten wissen"</h1>
            <p class="lead">"U kunt uw account laten wissen. Lees eerst wat er verdwijnt en wat er om wettelijke redenen blijft."</p>
        </header>
        <Loaded resource=preview let:preview>
            <ErasureSummary preview/>
        </Loaded>
    }
}

#[component]
fn ErasureSummary(preview: ErasurePreview) -> impl IntoView {
    let list = |items: Vec<String>| {
        items
            .into_iter()
            .map(|item| view! { <li>{item}</li> })
            .collect_view()
    };
    let can = preview.refusals.is_empty();
    view! {
        <section aria-labelledby="verdwijnt-titel">
            <h2 id="verdwijnt-titel">"Wat verdwijnt"</h2>
            <ul>{list(preview.goes)}</ul>
        </section>
        <section aria-labelledby="blijft-titel">
            <h2 id="blijft-titel">"Wat blijft"</h2>
            <ul>{list(preview.stays)}</ul>
        </section>
        {if can {
            view! {
                <section aria-labelledby="wissen-titel">
                    <h2 id="wissen-titel">"Wissen"</h2>
                    <p>"Dit kan niet ongedaan worden gemaakt. U wordt daarna uitgelogd; logt u later opnieuw in, dan begint u met een nieuw, leeg account."</p>
                    <form method="post" action="/profiel/verwijderen">
                        <input type="hidden" name="bevestigd" value="ja"/>
                        <button type="submit" class="button danger">"Mijn account nu wissen"</button>
                    </form>
                    <p><a href="/profiel">"Nee, terug naar mijn profiel"</a></p>
                </section>
            }
            .into_any()
        } else {
            view! {
                <section aria-labelledby="eerst-titel">
                    <h2 id="eerst-titel">"Eerst nog"</h2>
                    <ul class="error-list">{list(preview.refusals)}</ul>
                    <p><a href="/profiel">"Terug naar mijn profiel"</a></p>
                </section>
            }
            .into_any()
        }}
    }
}
