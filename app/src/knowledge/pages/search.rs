//! `/zoeken`: one search box for all published knowledge. A plain GET form, so it works the
//! same with and without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::knowledge::api::documents::search_documents;
use crate::knowledge::model::{SearchKind, SearchResults};
use crate::knowledge::pages::factsheets::{AUDIENCE_PARAM, PHENOMENON_PARAM};
use crate::ui::{Loaded, SubmitOnChange};
use crate::vocabulary::{Phenomenon, WorkField};

pub const QUERY_PARAM: &str = "q";
pub const KIND_PARAM: &str = "soort";

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let text = Memo::new(move |_| param(QUERY_PARAM).unwrap_or_default());
    let phenomenon = Memo::new(move |_| param(PHENOMENON_PARAM));
    let audience = Memo::new(move |_| param(AUDIENCE_PARAM));
    let kind = Memo::new(move |_| param(KIND_PARAM));
    let results = Resource::new(
        move || (text.get(), phenomenon.get(), audience.get(), kind.get()),
        |(q, phenomenon, audience, kind)| search_documents(q, phenomenon, audience, kind),
    );
    let select = move |id: &'static str,
                       label: &'static str,
                       all: &'static str,
                       options: Vec<(&'static str, &'static str)>,
                       selected: Memo<Option<String>>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id name=id>
                    <option value="" selected=move || selected.get().is_none()>{all}</option>
                    {options
                        .into_iter()
                        .map(|(slug, text)| view! {
                            <option value=slug selected=move || selected.get().as_deref() == Some(slug)>{text}</option>
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <Title text="Zoeken"/>
        <header class="page-header">
            <h1>"Zoeken"</h1>
            <p class="lead">"Zoek in alle factsheets en cursusmodules."</p>
        </header>
        <form class="search-form" method="get" action="/zoeken" role="search" aria-label="Zoekopdracht en filters">
            <SubmitOnChange>
                <div class="filters">
                    <div class="field grow">
                        <label for="q">"Zoekterm"</label>
                        <input id="q" type="search" name=QUERY_PARAM value=move || text.get() maxlength="200"/>
                    </div>
                    {select(PHENOMENON_PARAM, "Fenomeen", "Alle fenomenen", Phenomenon::ALL.map(|p| (p.slug(), p.label())).to_vec(), phenomenon)}
                    {select(AUDIENCE_PARAM, "Werkterrein", "Alle werkterreinen", WorkField::AUDIENCES.map(|a| (a.slug(), a.label())).to_vec(), audience)}
                    {select(KIND_PARAM, "Soort", "Alle soorten", SearchKind::ALL.map(|k| (k.slug(), k.label())).to_vec(), kind)}
                    <button type="submit" class="button">"Zoeken"</button>
                </div>
            </SubmitOnChange>
        </form>
        <Loaded resource=results let:results><ResultList results searched=!text.get_untracked().trim().is_empty()/></Loaded>
    }
}

#[component]
fn ResultList(results: SearchResults, searched: bool) -> impl IntoView {
    if !searched {
        return view! { <p>"Typ een of meer woorden, bijvoorbeeld " <em>"signalen"</em> " of " <em>"online radicalisering"</em> "."</p> }.into_any();
    }
    let shown = results.hits.len();
    let suggestion = results.suggestion.clone().map(|text| {
        let href = format!("/zoeken?{QUERY_PARAM}={}", crate::paths::encode_path(&text));
        view! { <p class="suggestion">"Bedoelde u " <a href=href>{text}</a> "?"</p> }
    });
    let heading = match results.total {
        0 => "Niets gevonden. Probeer andere of minder woorden, of haal een filter weg.".to_owned(),
        1 => "1 resultaat".to_owned(),
        n if n > shown => format!("{n} resultaten, de {shown} beste staan hieronder"),
        n => format!("{n} resultaten"),
    };
    view! {
        <h2 class="result-count" aria-live="polite">{heading}</h2>
        {suggestion}
        <ol class="search-results">
            {results
                .hits
                .into_iter()
                .map(|hit| view! {
                    <li class="search-hit">
                        <p class="hit-kind">{hit.context.clone().unwrap_or_else(|| hit.kind.label().to_owned())}</p>
                        <h3><A href=hit.url>{hit.title}</A></h3>
                        <p class="snippet" inner_html=hit.snippet_html></p>
                    </li>
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
