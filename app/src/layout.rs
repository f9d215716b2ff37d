//! The frame around every page, and the pages for errors.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::identity::pages::AccountNav;

/// "Intervisie" in the main menu for those in a group and for facilitators; nothing for
/// others (a closed part of the platform is not advertised).
#[component]
fn IntervisionLink() -> impl IntoView {
    let inside = Resource::new(|| (), |_| crate::intervision::api::in_intervision());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                matches!(inside.await, Ok(true)).then(|| view! {
                    <li>
                        <A href="/intervisie">"Intervisie"</A>
                    </li>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <a class="skip-link" href="#inhoud">"Direct naar de inhoud"</a>
        <header class="site-header">
            <div class="container header-row">
                <A href="/" attr:class="brand">
                    <span class="brand-name">"Leerplatform"</span>
                    <span class="brand-sub">"Landelijk Steunpunt Extremisme"</span>
                </A>
                <nav aria-label="Hoofdmenu">
                    <ul class="main-nav">
                        <li>
                            <A href="/factsheets">"Factsheets"</A>
                        </li>
                        <li>
                            <A href="/modules">"Cursussen"</A>
                        </li>
                        <li>
                            <A href="/trainingen">"Trainingen"</A>
                        </li>
                        <IntervisionLink/>
                    </ul>
                </nav>
                <form class="header-search" method="get" action="/zoeken" role="search" aria-label="Zoeken op het leerplatform">
                    <label for="header-q" class="visually-hidden">"Zoeken in factsheets, modules en trainingen"</label>
                    <input id="header-q" type="search" name="q" placeholder="Zoeken…"/>
                    <button type="submit" class="button small search-button" aria-label="Zoek">
                        // A magnifier instead of the word keeps staff headers on one row.
                        <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24">
                            <circle cx="10" cy="10" r="6.5" fill="none" stroke="currentColor" stroke-width="2.5"/>
                            <line x1="15" y1="15" x2="21" y2="21" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"/>
                        </svg>
                    </button>
                </form>
                <nav aria-label="Account" class="account">
                    <AccountNav/>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>
                    "Het leerplatform van het Landelijk Steunpunt Extremisme: kennis, training en intervisie voor professionals die in hun werk te maken krijgen met radicalisering en extremisme."
                </p>
                <p>
                    "Zorgen over iemand in uw omgeving of casus? Het LSE denkt anoniem met u mee: "
                    <a href="https://www.landelijksteunpuntextremisme.nl" rel="noopener noreferrer">
                        "landelijksteunpuntextremisme.nl"
                    </a> ". Bij acuut gevaar belt u 112."
                </p>
                <p>
                    <a href="/feed.xml" rel="external" type="application/atom+xml">"Nieuwe en bijgewerkte factsheets volgen (Atom-feed)"</a>
                </p>
                <p>
                    <a href="/privacy">"Privacy: welke gegevens we bewaren en hoe lang"</a>
                </p>
            </div>
        </footer>
    }
}
