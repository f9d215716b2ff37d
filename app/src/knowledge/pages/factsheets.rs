//! Factsheet pages: the filterable index and one factsheet.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::knowledge::api::documents::{get_factsheet, list_factsheets};
use crate::knowledge::model::{Factsheet, FactsheetListing, FactsheetSummary, Source, TocEntry};
use crate::ui::format_date_nl;
use crate::ui::{Loaded, Pager};
use crate::vocabulary::{Phenomenon, WorkField};

pub const PHENOMENON_PARAM: &str = "fenomeen";
pub const AUDIENCE_PARAM: &str = "doelgroep";
pub const PAGE_PARAM: &str = "pagina";

/// `/factsheets`, optionally filtered and paged; the query string is the single source of both.
pub fn index_url(phenomenon: Option<Phenomenon>, audience: Option<WorkField>, page: u64) -> String {
    let params: Vec<String> = [
        phenomenon.map(|p| format!("{PHENOMENON_PARAM}={}", p.slug())),
        audience.map(|a| format!("{AUDIENCE_PARAM}={}", a.slug())),
        (page > 1).then(|| format!("{PAGE_PARAM}={page}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if params.is_empty() {
        "/factsheets".to_owned()
    } else {
        format!("/factsheets?{}", params.join("&"))
    }
}

#[component]
pub fn FactsheetIndexPage() -> impl IntoView {
    let query = use_query_map();
    let (phenomenon, audience, page) = query.with_untracked(|query| {
        (
            query
                .get(PHENOMENON_PARAM)
                .and_then(|s| Phenomenon::from_slug(&s)),
            query
                .get(AUDIENCE_PARAM)
                .and_then(|s| WorkField::from_slug(&s)),
            query
                .get(PAGE_PARAM)
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1),
        )
    });
    let listing = Resource::new(
        || (),
        move |_| {
            list_factsheets(
                phenomenon.map(|p| p.slug().to_owned()),
                audience.map(|a| a.slug().to_owned()),
                Some(page),
            )
        },
    );
    view! {
        <Title text="Factsheets"/>
        <header class="page-header">
            <h1>"Factsheets"</h1>
            <p class="lead">
                "Korte, onderbouwde kennisdocumenten over verschijningsvormen van extremisme en over "
                "wat u als professional kunt doen. Elke factsheet heeft een eigenaar, bronnen en een controledatum."
            </p>
            <p class="feed-link">
                <a href="/feed.xml" rel="external" type="application/atom+xml">"Volg nieuwe en bijgewerkte factsheets (Atom-feed)"</a>
            </p>
        </header>
        <Loaded resource=listing let:listing>
            <FactsheetFilter listing phenomenon audience/>
        </Loaded>
    }
}

/// The filter form and the page of factsheets it filters. Without JavaScript the form's submit
/// button sends the query string and the server filters; once hydrated, a change asks the
/// server for the first matching page in place and the address follows, so it can be shared.
#[island]
fn FactsheetFilter(
    listing: FactsheetListing,
    phenomenon: Option<Phenomenon>,
    audience: Option<WorkField>,
) -> impl IntoView {
    let phenomenon = RwSignal::new(phenomenon);
    let audience = RwSignal::new(audience);
    let listing = RwSignal::new(listing);
    let refresh = move || {
        let (phenomenon, audience) = (phenomenon.get_untracked(), audience.get_untracked());
        #[cfg(feature = "hydrate")]
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let url = index_url(phenomenon, audience, 1);
            history
                .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
                .ok();
        }
        leptos::task::spawn_local(async move {
            let found = list_factsheets(
                phenomenon.map(|p| p.slug().to_owned()),
                audience.map(|a| a.slug().to_owned()),
                Some(1),
            )
            .await;
            // A failed request leaves the list as it was; the form still works as a plain GET.
            if let Ok(found) = found {
                listing.set(found);
            }
        });
    };
    let on_phenomenon = move |ev: leptos::ev::Event| {
        phenomenon.set(Phenomenon::from_slug(&event_target_value(&ev)));
        refresh();
    };
    let on_audience = move |ev: leptos::ev::Event| {
        audience.set(WorkField::from_slug(&event_target_value(&ev)));
        refresh();
    };
    let clear = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        phenomenon.set(None);
        audience.set(None);
        refresh();
    };
    view! {
        <form class="filters" method="get" action="/factsheets" aria-label="Factsheets filteren">
            <FilterSelect
                name=PHENOMENON_PARAM
                label="Fenomeen"
                all_label="Alle fenomenen"
                options=Phenomenon::ALL.map(|p| (p.slug(), p.label())).to_vec()
                selected=Signal::derive(move || phenomenon.get().map(Phenomenon::slug))
                on_change=on_phenomenon
            />
            <FilterSelect
                name=AUDIENCE_PARAM
                label="Werkterrein"
                all_label="Alle werkterreinen"
                options=WorkField::AUDIENCES.map(|a| (a.slug(), a.label())).to_vec()
                selected=Signal::derive(move || audience.get().map(WorkField::slug))
                on_change=on_audience
            />
            <button type="submit" class="button secondary">"Filter toepassen"</button>
        </form>
        <h2 class="result-count" aria-live="polite">
            {move || match listing.read().total {
                0 => "Geen factsheets gevonden met deze filters.".to_owned(),
                1 => "1 factsheet".to_owned(),
                n => format!("{n} factsheets"),
            }}
        </h2>
        <Show when=move || !listing.read().items.is_empty()>
            <ul class="cards" id="factsheet-list">
                <For each=move || listing.get().items key=|s| s.slug.clone() let(summary)>
                    <li>
                        <FactsheetCard summary/>
                    </li>
                </For>
            </ul>
        </Show>
        {move || {
            let listing = listing.get();
            let (phenomenon, audience) = (phenomenon.get(), audience.get());
            view! {
                <Pager
                    page=listing.page
                    page_count=listing.page_count
                    href=move |page| index_url(phenomenon, audience, page)
                />
            }
        }}
        <Show when=move || phenomenon.get().is_some() || audience.get().is_some()>
            <p>
                <a href="/factsheets" on:click=clear>"Alle filters wissen"</a>
            </p>
        </Show>
    }
}

/// One labelled `<select>` of the filter form; its `name` is the query parameter it sets.
#[component]
fn FilterSelect(
    name: &'static str,
    label: &'static str,
    all_label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    selected: Signal<Option<&'static str>>,
    on_change: impl Fn(leptos::ev::Event) + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select
                id=name
                name=name
                on:change=on_change
                prop:value=move || selected.get().unwrap_or_default()
            >
                <option value="" selected=move || selected.get().is_none()>
                    {all_label}
                </option>
                {options
                    .into_iter()
                    .map(|(slug, text)| {
                        view! {
                            <option value=slug selected=move || selected.get() == Some(slug)>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A factsheet in a list: title, summary and tags.
#[component]
pub fn FactsheetCard(summary: FactsheetSummary) -> impl IntoView {
    let href = format!("/factsheets/{}", summary.slug);
    view! {
        <article class="card">
            <h3>
                <a href=href>{summary.title}</a>
            </h3>
            <p>{summary.summary}</p>
            <p class="card-meta">
                "Laatst gecontroleerd: "
                <time datetime=summary.reviewed_on.to_string()>{format_date_nl(summary.reviewed_on)}</time>
            </p>
            <Tags phenomena=summary.phenomena audience=summary.audience/>
        </article>
    }
    .into_any()
}

#[component]
pub fn Tags(phenomena: Vec<Phenomenon>, audience: Vec<WorkField>) -> impl IntoView {
    view! {
        <ul class="tags" aria-label="Onderwerpen">
            {phenomena
                .into_iter()
                .map(|p| {
                    view! {
                        <li>
                            <a class="tag phenomenon" href=index_url(Some(p), None, 1)>{p.label()}</a>
                        </li>
                    }
                })
                .collect_view()}
            {audience
                .into_iter()
                .map(|a| {
                    view! {
                        <li>
                            <a class="tag audience" href=index_url(None, Some(a), 1)>{a.label()}</a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn FactsheetPage() -> impl IntoView {
    let params = use_params_map();
    let factsheet = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_factsheet,
    );
    view! {
        <Loaded resource=factsheet let:factsheet><FactsheetArticle factsheet/></Loaded>
    }
}

#[component]
fn FactsheetArticle(mut factsheet: Factsheet) -> impl IntoView {
    let related = std::mem::take(&mut factsheet.related);
    let summary = factsheet.summary.clone();
    view! {
        <Title text=summary.title.clone()/>
        <article class="factsheet">
            <header class="page-header">
                <p class="breadcrumb">
                    <A href="/factsheets">"Factsheets"</A>
                </p>
                <h1>{summary.title}</h1>
                <p class="lead">{summary.summary}</p>
                <Tags phenomena=summary.phenomena audience=summary.audience/>
            </header>
            <DocumentBody document=factsheet noun="Deze factsheet" meta_heading="Over deze factsheet"/>
            {(!related.is_empty()).then(|| view! {
                <section class="related" aria-labelledby="related-title">
                    <h2 id="related-title">"Gerelateerde factsheets"</h2>
                    <ul class="cards">
                        {related
                            .into_iter()
                            .map(|summary| view! { <li><FactsheetCard summary/></li> })
                            .collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
    .into_any()
}

/// Review notice, metadata and text: what factsheet, course and module pages share.
#[component]
pub fn DocumentBody(
    document: Factsheet,
    noun: &'static str,
    meta_heading: &'static str,
) -> impl IntoView {
    let Factsheet {
        summary,
        sources,
        body_html,
        toc,
        review_overdue,
        related: _,
    } = document;
    view! {
        {review_overdue.then(|| view! { <ReviewNotice review_due=summary.review_due noun/> })}
        <div class="factsheet-layout">
            <FactsheetMeta summary sources heading=meta_heading/>
            <div class="factsheet-main">
                <TableOfContents toc/>
                <div class="prose" inner_html=body_html></div>
            </div>
        </div>
    }
}

/// Shown when a published document's review date has passed.
#[component]
fn ReviewNotice(review_due: chrono::NaiveDate, noun: &'static str) -> impl IntoView {
    view! {
        <p class="notice" role="note">
            <strong>{format!("{noun} wordt herzien. ")}</strong>
            {format!(
                "De geplande controle van {} is nog niet afgerond; de inhoud kan op onderdelen verouderd zijn.",
                format_date_nl(review_due),
            )}
        </p>
    }
}

/// Owner, review dates and sources of a document.
#[component]
fn FactsheetMeta(
    summary: FactsheetSummary,
    sources: Vec<Source>,
    heading: &'static str,
) -> impl IntoView {
    view! {
        <aside class="factsheet-meta" aria-labelledby="meta-title">
            <h2 id="meta-title">{heading}</h2>
            <dl>
                <dt>"Eigenaar"</dt>
                <dd>{summary.owner}</dd>
                <dt>"Laatst gecontroleerd"</dt>
                <dd>
                    <time datetime=summary.reviewed_on.to_string()>{format_date_nl(summary.reviewed_on)}</time>
                </dd>
                <dt>"Volgende controle"</dt>
                <dd>
                    <time datetime=summary.review_due.to_string()>{format_date_nl(summary.review_due)}</time>
                </dd>
            </dl>
            <h3>"Bronnen"</h3>
            <ul class="sources">
                {sources
                    .into_iter()
                    .map(|source| {
                        view! {
                            <li>
                                <a href=source.url rel="noopener noreferrer">{source.title}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </aside>
    }
    .into_any()
}

#[component]
fn TableOfContents(toc: Vec<TocEntry>) -> impl IntoView {
    (!toc.is_empty()).then(|| {
        view! {
            <nav class="toc" aria-labelledby="toc-title">
                <h2 id="toc-title">"Inhoud"</h2>
                <ol>
                    {toc
                        .into_iter()
                        .map(|entry| {
                            view! {
                                <li class=format!("toc-level-{}", entry.level)>
                                    <a href=format!("#{}", entry.anchor)>{entry.text}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </nav>
        }
    })
}
