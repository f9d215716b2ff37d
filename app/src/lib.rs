//! The leerplatform application: pages, server functions and (with `ssr`) the services and
//! database code behind them. One folder per domain.

// Release builds keep full view types (no `erase_components`); nested views need the headroom.
#![recursion_limit = "512"]

pub mod answer;
pub mod clock;
pub mod dates;
pub mod erasure_page;
pub mod error;
pub mod home;
pub mod identity;
pub mod intervision;
pub mod knowledge;
pub mod layout;
pub mod messaging;
pub mod notice;
pub mod paths;
pub mod plain_text;
pub mod privacy_statement;
pub mod reports;
pub mod small_count;
pub mod training;
pub mod ui;
pub mod vocabulary;

#[cfg(feature = "ssr")]
pub mod calendar_feed;
#[cfg(feature = "ssr")]
pub mod context;
#[cfg(feature = "ssr")]
pub mod csp;
#[cfg(feature = "ssr")]
pub mod csv_file;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod download;
#[cfg(feature = "ssr")]
pub mod flash;
#[cfg(feature = "ssr")]
pub mod ics;
#[cfg(feature = "ssr")]
pub mod personal_data;
#[cfg(feature = "ssr")]
pub mod privacy_guard;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use answer::FramedAnswer;
use home::HomePage;
use identity::api::current_viewer;
use identity::pages::{AdminUsersPage, AuditLogPage, ProfilePage, ViewerResource};
use intervision::pages::{
    AttendancePage, DilemmaDeletePage, DilemmaEditPage, DilemmaPage, GroupAdministrationPage,
    GroupPage, IntervisionIndexPage, IntervisionRecordPage, InvitationPage,
};
use knowledge::pages::courses::{CourseIndexPage, CoursePage, ModulePage};
use knowledge::pages::editor::{DocumentEditorPage, DocumentHistoryPage};
use knowledge::pages::editorial::EditorialDashboardPage;
use knowledge::pages::factsheets::{FactsheetIndexPage, FactsheetPage};
use knowledge::pages::search::SearchPage;
use knowledge::pages::themes::ThemesDemandPage;
use layout::{SiteFooter, SiteHeader};
use messaging::pages::OutboxPage;
use reports::pages::ReportsPage;
use training::pages::{
    CancelEnrolmentPage, CertificateLookupPage, CertificatePage, MyRunsPage, MyTrainingsPage,
    PeopleSearchPage, RunEditorPage, RunManagePage, RunsOverviewPage, SessionRegisterPage,
    TrainingIndexPage, TrainingPage,
};
use ui::{AnswerPage, NotFoundPage};

/// Pages under these paths load the staff bundle (see the `staff` feature).
pub const STAFF_PATHS: [&str; 2] = ["/redactie", "/beheer"];

/// Plugs the domains' document kinds into knowledge: a training's own front-matter fields are
/// the training domain's. Idempotent; called when the server opens its database.
#[cfg(feature = "ssr")]
pub fn register_document_kinds() {
    knowledge::rules::front_matter::register_training_fields(
        &training::model::front_matter::TRAINING_DOCUMENT,
    );
}

/// The WASM bundle for a page: staff pages get every island, all other pages the visitors'
/// bundle, which has none of the staff-only ones. `single_bundle`: one bundle with every island
/// serves all pages (cargo-leptos' watch mode builds only one).
pub fn bundle_for_path(path: &str, single_bundle: bool) -> &'static str {
    let is_staff = STAFF_PATHS.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    });
    if is_staff && !single_bundle {
        "leerplatform-redactie"
    } else {
        "leerplatform"
    }
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let options = {
        csp::set_page_policy();
        let mut options = options;
        static SINGLE_BUNDLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let single = *SINGLE_BUNDLE
            .get_or_init(|| std::env::var("SINGLE_WASM_BUNDLE").is_ok_and(|v| v == "1"));
        if let Some(parts) = use_context::<axum::http::request::Parts>() {
            options.output_name = bundle_for_path(parts.uri.path(), single).into();
        }
        options
    };
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <meta name="description" content="Kennis, training en intervisie over radicalisering en extremisme voor professionals."/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <link rel="alternate" type="application/atom+xml" title="Factsheets van het leerplatform" href="/feed.xml"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(ViewerResource(Resource::new(|| (), |_| current_viewer())));
    // Each domain lists its own admin pages; the admins' navigation shows them in this order.
    provide_context(identity::model::AdminPages(
        [
            &identity::model::ADMIN_PAGES[..],
            &messaging::model::ADMIN_PAGES[..],
            &training::model::ADMIN_PAGES[..],
            &intervision::model::ADMIN_PAGES[..],
            &reports::model::ADMIN_PAGES[..],
        ]
        .concat(),
    ));
    // A plain form post answered in place (see `ui::answer`) instead of a routed page.
    let answer = use_context::<FramedAnswer>();
    // Data pages render fully on the server before sending (SsrMode::Async): they must work
    // without JavaScript and answer 404 with a real status code.
    view! {
        <Stylesheet id="leptos" href="/pkg/leerplatform.css"/>
        <Title formatter=|text: String| format!("{text} · Leerplatform LSE")/>
        <Router>
            <SiteHeader/>
            <main id="inhoud" class="container" tabindex="-1">
                {match answer {
                    Some(answer) => view! { <AnswerPage answer/> }.into_any(),
                    None => view! {
                <Routes fallback=NotFoundPage>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("factsheets") view=FactsheetIndexPage ssr=SsrMode::Async/>
                    <Route path=path!("factsheets/:slug") view=FactsheetPage ssr=SsrMode::Async/>
                    <Route path=path!("modules") view=CourseIndexPage ssr=SsrMode::Async/>
                    <Route path=path!("modules/:course") view=CoursePage ssr=SsrMode::Async/>
                    <Route path=path!("modules/:course/:module") view=ModulePage ssr=SsrMode::Async/>
                    <Route path=path!("zoeken") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("privacy") view=privacy_statement::PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("profiel") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("profiel/verwijderen") view=erasure_page::ErasurePage ssr=SsrMode::Async/>
                    <Route path=path!("redactie") view=EditorialDashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("redactie/nieuw") view=DocumentEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("redactie/themas") view=ThemesDemandPage ssr=SsrMode::Async/>
                    <Route path=path!("beheer/rapportage") view=ReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("redactie/documenten/:slug") view=DocumentEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("redactie/documenten/:slug/geschiedenis") view=DocumentHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("trainingen") view=TrainingIndexPage ssr=SsrMode::Async/>
                    <Route path=path!("trainingen/:slug") view=TrainingPage ssr=SsrMode::Async/>
                    <Route path=path!("trainingen/:slug/:run/beheer") view=RunManagePage ssr=SsrMode::Async/>
                    <Route path=path!("trainingen/:slug/:run/afmelden/bevestigen") view=CancelEnrolmentPage ssr=SsrMode::Async/>
                    <Route path=path!("trainingen/:slug/:run/sessies/:session") view=SessionRegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("certificaat") view=CertificateLookupPage/>
                    <Route path=path!("certificaat/:code") view=CertificatePage ssr=SsrMode::Async/>
                    <Route path=path!("trainingen/:slug/:run/bewerken") view=RunEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("trainingen/:slug/nieuwe-uitvoering") view=RunEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("mijn/trainingen") view=MyTrainingsPage ssr=SsrMode::Async/>
                    <Route path=path!("mijn/uitvoeringen") view=MyRunsPage ssr=SsrMode::Async/>
                    <Route path=path!("beheer/trainingen") view=RunsOverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("beheer/trainingen/personen") view=PeopleSearchPage ssr=SsrMode::Async/>
                    <Route path=path!("intervisie") view=IntervisionIndexPage ssr=SsrMode::Async/>
                    <Route path=path!("intervisie/:group") view=GroupPage ssr=SsrMode::Async/>
                    <Route path=path!("intervisie/:group/dilemmas/:dilemma") view=DilemmaPage ssr=SsrMode::Async/>
                    <Route path=path!("intervisie/:group/dilemmas/:dilemma/bewerken") view=DilemmaEditPage ssr=SsrMode::Async/>
                    <Route path=path!("intervisie/:group/dilemmas/:dilemma/verwijderen") view=DilemmaDeletePage ssr=SsrMode::Async/>
                    <Route path=path!("intervisie/:group/bijeenkomsten/:meeting") view=AttendancePage ssr=SsrMode::Async/>
                    <Route path=path!("mijn/intervisie") view=IntervisionRecordPage ssr=SsrMode::Async/>
                    <Route path=path!("uitnodiging/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("beheer/gebruikers") view=AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("beheer/audit") view=AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("beheer/mail") view=OutboxPage ssr=SsrMode::Async/>
                    <Route path=path!("beheer/intervisie") view=GroupAdministrationPage ssr=SsrMode::Async/>
                </Routes>
                    }.into_any(),
                }}
            </main>
            <SiteFooter/>
            <HydrationMarker/>
        </Router>
    }
}

/// Marks the body once the WASM has loaded and the islands before it are hydrated (islands
/// hydrate in document order): tests and styles can rely on `body[data-hydrated]`.
#[island]
fn HydrationMarker() -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            body.set_attribute("data-hydrated", "true").ok();
        }
    });
}

/// Pages render on the server; only the islands (`#[island]`: the interactive parts) ship as
/// WASM and hydrate in the browser.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    hydrate_islands();
}

#[cfg(test)]
mod tests {
    use super::bundle_for_path;

    #[test]
    fn staff_pages_load_the_staff_bundle_and_no_other_page_does() {
        for staff in [
            "/redactie",
            "/redactie/nieuw",
            "/beheer/gebruikers",
            "/beheer/audit",
        ] {
            assert_eq!(
                bundle_for_path(staff, false),
                "leerplatform-redactie",
                "{staff}"
            );
            // One bundle for all pages (the watch mode's) when asked.
            assert_eq!(bundle_for_path(staff, true), "leerplatform", "{staff}");
        }
        for visitor in [
            "/",
            "/factsheets",
            "/modules/a/b",
            "/profiel",
            "/redactieteam",
            "/zoeken",
        ] {
            assert_eq!(bundle_for_path(visitor, false), "leerplatform", "{visitor}");
        }
    }
}
