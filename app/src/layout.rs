//! The frame around every page, and the pages for errors.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::error::AppError;
use crate::identity::pages::AccountNav;

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
                    </ul>
                </nav>
                <form class="header-search" method="get" action="/zoeken" role="search" aria-label="Zoeken op het leerplatform">
                    <label for="header-q" class="visually-hidden">"Zoeken in factsheets en modules"</label>
                    <input id="header-q" type="search" name="q" placeholder="Zoeken…"/>
                    <button type="submit" class="button small">"Zoek"</button>
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
            </div>
        </footer>
    }
}

/// A Dutch validation message under a form field; the field points at `id` with
/// `aria-describedby`.
#[component]
pub fn FieldError(id: String, message: Option<String>) -> impl IntoView {
    message.map(|message| view! { <p class="field-error" id=id>{message}</p> })
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Bezig met laden…"</p> }
}

/// Shows an error in Dutch and, during server rendering, sets the matching HTTP status.
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
        _ => {
            "Onze excuses. Als het probleem blijft, neem dan contact op met het Landelijk Steunpunt Extremisme."
        }
    };
    view! {
        <Title text=error.title()/>
        <section class="error-page">
            <h1>{error.title()}</h1>
            <p class="lead">{error.to_string()}</p>
            <p>{hint}</p>
            <p>
                <A href="/">"Naar de startpagina"</A>
                " · "
                <A href="/factsheets">"Alle factsheets"</A>
            </p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <ErrorPage error=AppError::NotFound/> }
}
