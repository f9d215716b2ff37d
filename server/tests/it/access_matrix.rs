//! Every route and every server function, as every role and as an anonymous visitor: the
//! status must be exactly the expected one. New server functions must be added here, or the
//! completeness check fails.

use std::collections::BTreeSet;

use crate::support::{Browser, MockProvider, login_as, test_app};
use axum::http::StatusCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Participant,
    /// Trains the test run.
    Trainer,
    /// A trainer, of no run here.
    OtherTrainer,
    Facilitator,
    Editor,
    Admin,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::Participant,
    Who::Trainer,
    Who::OtherTrainer,
    Who::Facilitator,
    Who::Editor,
    Who::Admin,
];

/// Who may: returns the expected status for `who`.
#[derive(Clone, Copy)]
enum Rule {
    /// Anyone, with this status.
    Public(u16),
    /// Any logged-in user; anonymous gets 401.
    LoggedIn,
    /// Only this role; anonymous 401, others 403.
    Only(Who),
    /// Only this role may ask, and then gets this status (a workflow rule refuses with 400).
    OnlyWith(Who, u16),
    /// The run's trainer and admins, with this status; anonymous 401, others 403.
    RunStaff(u16),
    /// Every trainer and admin, with this status (adding a run); anonymous 401, others 403.
    Trainers(u16),
    /// Any logged-in user, with this status; anonymous 401.
    LoggedInWith(u16),
    /// Every trainer (the runs they give), admins not; anonymous 401, others 403.
    TrainersOnly,
    /// A form for any logged-in user, answered with this status; anonymous to the login (303).
    LoggedInForm(u16),
    /// Admins and editors (the reports); anonymous 401, others 403.
    AdminsAndEditors,
}

impl Rule {
    fn expected(self, who: Who) -> u16 {
        match self {
            Rule::Public(status) => status,
            Rule::LoggedIn if who == Who::Anonymous => 401,
            Rule::LoggedIn => 200,
            Rule::LoggedInForm(_) if who == Who::Anonymous => 303,
            Rule::LoggedInForm(status) => status,
            Rule::Only(_) if who == Who::Anonymous => 401,
            Rule::Only(role) if role == who => 200,
            Rule::Only(_) => 403,
            Rule::OnlyWith(_, _) if who == Who::Anonymous => 401,
            Rule::OnlyWith(role, status) if role == who => status,
            Rule::OnlyWith(_, _) => 403,
            Rule::RunStaff(_) if who == Who::Anonymous => 401,
            Rule::RunStaff(status) if who == Who::Trainer || who == Who::Admin => status,
            Rule::RunStaff(_) => 403,
            Rule::Trainers(_) if who == Who::Anonymous => 401,
            Rule::Trainers(status)
                if matches!(who, Who::Trainer | Who::OtherTrainer | Who::Admin) =>
            {
                status
            }
            Rule::Trainers(_) => 403,
            Rule::LoggedInWith(_) if who == Who::Anonymous => 401,
            Rule::LoggedInWith(status) => status,
            Rule::TrainersOnly if who == Who::Anonymous => 401,
            Rule::TrainersOnly if matches!(who, Who::Trainer | Who::OtherTrainer) => 200,
            Rule::TrainersOnly => 403,
            Rule::AdminsAndEditors if who == Who::Anonymous => 401,
            Rule::AdminsAndEditors if matches!(who, Who::Admin | Who::Editor) => 200,
            Rule::AdminsAndEditors => 403,
        }
    }
}

enum Call {
    Get(&'static str),
    /// A server function with a form body (`{target}` is replaced by another user's id).
    Fn(&'static str, &'static str),
    Post(&'static str),
}

const NEW_FACTSHEET: &str = "expected_head=0&form[title]=Matrix&form[slug]=matrix-nieuw\
    &form[summary]=Een+samenvatting.&form[phenomena][jihadisme]=on&form[audience][zorg]=on\
    &form[owner]=Kennisteam&form[reviewed_on]=2026-11-01&form[review_due]=2027-11-01\
    &form[sources][0][title]=AIVD&form[sources][0][url]=https://www.aivd.nl&form[body]=Tekst.";

fn cases() -> Vec<(Call, Rule)> {
    vec![
        (Call::Get("/"), Rule::Public(200)),
        (Call::Get("/factsheets"), Rule::Public(200)),
        (Call::Get("/factsheets/jihadisme"), Rule::Public(200)),
        (Call::Get("/factsheets/bestaat-niet"), Rule::Public(404)),
        (Call::Get("/zoeken?q=jihadisme"), Rule::Public(200)),
        (Call::Get("/modules"), Rule::Public(200)),
        (Call::Get("/modules/basis"), Rule::Public(200)),
        (Call::Get("/modules/basis/eerste"), Rule::Public(200)),
        (Call::Get("/modules/basis/bestaat-niet"), Rule::Public(404)),
        (Call::Get("/modules/jihadisme"), Rule::Public(404)),
        (Call::Get("/feed.xml"), Rule::Public(200)),
        (Call::Get("/privacy"), Rule::Public(200)),
        (Call::Fn("privacy_register", ""), Rule::Public(200)),
        (Call::Get("/healthz"), Rule::Public(200)),
        (Call::Get("/readyz"), Rule::Public(200)),
        (Call::Get("/auth/login"), Rule::Public(303)),
        (Call::Get("/profiel"), Rule::LoggedIn),
        (Call::Post("/profiel/export"), Rule::LoggedIn),
        (Call::Get("/profiel/verwijderen"), Rule::LoggedIn),
        (Call::Fn("erasure_preview", ""), Rule::LoggedIn),
        // Without the confirmation it only leads to the page that explains (nobody is erased).
        (Call::Post("/profiel/verwijderen"), Rule::LoggedInWith(303)),
        // No METRICS_TOKEN in this app: there is no /metrics.
        (Call::Get("/metrics"), Rule::Public(404)),
        (Call::Get("/redactie"), Rule::Only(Who::Editor)),
        (Call::Get("/redactie/nieuw"), Rule::Only(Who::Editor)),
        (Call::Get("/redactie/themas"), Rule::Only(Who::Editor)),
        (Call::Fn("theme_demand", ""), Rule::Only(Who::Editor)),
        // Nothing typed: back to the themes page with the reasons at the fields.
        (
            Call::Post("/redactie/themas/gewenst"),
            Rule::OnlyWith(Who::Editor, 303),
        ),
        (
            Call::Post("/redactie/themas/gewenst/999999"),
            Rule::OnlyWith(Who::Editor, 303),
        ),
        (
            Call::Get("/redactie/documenten/jihadisme"),
            Rule::Only(Who::Editor),
        ),
        (
            Call::Get("/redactie/documenten/jihadisme/geschiedenis"),
            Rule::Only(Who::Editor),
        ),
        (
            Call::Get("/redactie/documenten/eerste"),
            Rule::Only(Who::Editor),
        ),
        (
            Call::Get("/redactie/nieuw?cursus=basis"),
            Rule::Only(Who::Editor),
        ),
        (Call::Get("/beheer/gebruikers"), Rule::Only(Who::Admin)),
        (Call::Get("/beheer/rapportage"), Rule::AdminsAndEditors),
        (
            Call::Get("/beheer/rapportage?jaar=2025"),
            Rule::AdminsAndEditors,
        ),
        (Call::Fn("get_reports", "year=2026"), Rule::AdminsAndEditors),
        (
            Call::Get("/beheer/rapportage/inschrijvingen-per-training.csv?jaar=2026"),
            Rule::AdminsAndEditors,
        ),
        (
            Call::Get("/beheer/rapportage/factsheets-per-fenomeen.csv"),
            Rule::AdminsAndEditors,
        ),
        (Call::Get("/beheer/audit"), Rule::Only(Who::Admin)),
        (Call::Get("/beheer/mail"), Rule::Only(Who::Admin)),
        (Call::Fn("outbox_overview", ""), Rule::Only(Who::Admin)),
        // No such mail: the admin learns that; nobody else gets that far.
        (
            Call::Post("/beheer/mail/999999/opnieuw"),
            Rule::OnlyWith(Who::Admin, 404),
        ),
        (Call::Fn("current_viewer", ""), Rule::Public(200)),
        (Call::Fn("list_factsheets", ""), Rule::Public(200)),
        (Call::Fn("recent_factsheets", ""), Rule::Public(200)),
        (
            Call::Fn("get_factsheet", "slug=jihadisme"),
            Rule::Public(200),
        ),
        (
            Call::Fn("search_documents", "q=jihadisme"),
            Rule::Public(200),
        ),
        (Call::Fn("list_courses", ""), Rule::Public(200)),
        (Call::Fn("get_course", "course=basis"), Rule::Public(200)),
        (
            Call::Fn("get_module", "course=basis&module=eerste"),
            Rule::Public(200),
        ),
        (
            Call::Fn("check_quiz", "course=basis&module=eerste&answers[v0]=0-1"),
            Rule::Public(200),
        ),
        (
            Call::Fn("mark_module_read", "course=basis&module=tweede"),
            Rule::LoggedIn,
        ),
        (Call::Fn("my_profile", ""), Rule::LoggedIn),
        (
            Call::Fn(
                "save_profile",
                "input[display_name]=Sam+Jansen&input[organisation]=Politie&input[work_field]=veiligheid",
            ),
            Rule::LoggedIn,
        ),
        (Call::Fn("editorial_overview", ""), Rule::Only(Who::Editor)),
        (
            Call::Fn("preview_markdown", "body=%23%23+Kop"),
            Rule::Only(Who::Editor),
        ),
        (
            Call::Fn("load_editor", "slug=jihadisme"),
            Rule::Only(Who::Editor),
        ),
        (
            Call::Fn("save_document", NEW_FACTSHEET),
            Rule::Only(Who::Editor),
        ),
        (
            Call::Fn("submit_document", "slug=matrix-nieuw"),
            Rule::Only(Who::Editor),
        ),
        // The editor wrote it: approving their own work is refused.
        (
            Call::Fn("approve_document", "slug=matrix-nieuw&revision=1"),
            Rule::OnlyWith(Who::Editor, 400),
        ),
        (
            Call::Fn(
                "restore_document",
                "slug=matrix-nieuw&number=1&expected_head=1",
            ),
            Rule::Only(Who::Editor),
        ),
        (
            Call::Fn("document_diff", "slug=matrix-nieuw&from=1&to=2"),
            Rule::Only(Who::Editor),
        ),
        // Too short a reason: refused by the workflow, and the factsheet stays online.
        (
            Call::Fn("withdraw_document", "slug=jihadisme&reason=kort"),
            Rule::OnlyWith(Who::Editor, 400),
        ),
        (Call::Fn("list_users", ""), Rule::Only(Who::Admin)),
        (
            Call::Fn("set_user_roles", "user_id={target}&trainer=on"),
            Rule::Only(Who::Admin),
        ),
        (Call::Fn("audit_log", ""), Rule::Only(Who::Admin)),
        // Last: it ends the session.
        (Call::Get("/trainingen"), Rule::Public(200)),
        (
            Call::Get("/trainingen?fenomeen=jihadisme&maand=2031-03"),
            Rule::Public(200),
        ),
        (Call::Get("/trainingen/verdieping"), Rule::Public(200)),
        (Call::Get("/trainingen/bestaat-niet"), Rule::Public(404)),
        (Call::Get("/mijn/trainingen"), Rule::LoggedIn),
        // Nobody in the matrix is enrolled in this run: nothing to cancel.
        (
            Call::Get("/trainingen/verdieping/2031-voorjaar/afmelden/bevestigen"),
            Rule::LoggedInWith(404),
        ),
        (
            Call::Fn("cancellation_of", "slug=verdieping&run=2031-voorjaar"),
            Rule::LoggedInWith(404),
        ),
        (Call::Get("/mijn/uitvoeringen"), Rule::TrainersOnly),
        (Call::Get("/beheer/trainingen"), Rule::Only(Who::Admin)),
        (
            Call::Get("/beheer/trainingen/personen?q=deelnemer"),
            Rule::Only(Who::Admin),
        ),
        (
            Call::Fn("people_search", "q=deelnemer"),
            Rule::Only(Who::Admin),
        ),
        // No run chosen and no reason: back to the search with the reasons at the fields.
        (
            Call::Post("/beheer/trainingen/personen/1/inschrijven"),
            Rule::OnlyWith(Who::Admin, 303),
        ),
        (
            Call::Get("/beheer/trainingen?training=verdieping&toon=actueel&pagina=2"),
            Rule::Only(Who::Admin),
        ),
        (
            Call::Get("/trainingen/verdieping/2031-voorjaar/beheer"),
            Rule::RunStaff(200),
        ),
        (
            Call::Get("/trainingen/verdieping/2031-voorjaar/deelnemers.csv"),
            Rule::RunStaff(200),
        ),
        (
            Call::Get("/trainingen/verdieping/2031-voorjaar/presentielijst.csv"),
            Rule::RunStaff(200),
        ),
        (
            Call::Get("/trainingen/verdieping/bestaat-niet/beheer"),
            Rule::OnlyWith(Who::Admin, 404),
        ),
        // Anonymous: to the login; others: back to the page with the outcome.
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/inschrijven"),
            Rule::Public(303),
        ),
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/aanbod"),
            Rule::Public(303),
        ),
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/afmelden"),
            Rule::Public(303),
        ),
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/beheer/aanvragen/999999"),
            Rule::RunStaff(404),
        ),
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/beheer/capaciteit"),
            Rule::RunStaff(303),
        ),
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/beheer/annuleren"),
            Rule::RunStaff(303),
        ),
        // An empty message: back to the run's page with the reasons at the fields.
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/beheer/bericht"),
            Rule::RunStaff(303),
        ),
        (
            Call::Get("/trainingen/verdieping/2031-voorjaar/agenda.ics"),
            Rule::Public(200),
        ),
        (Call::Get("/agenda/bestaat-niet.ics"), Rule::Public(404)),
        // Anonymous: to the login; others: the new link in the answer itself, never in a flash.
        (Call::Post("/mijn/agenda"), Rule::LoggedInForm(200)),
        (Call::Post("/mijn/agenda/intrekken"), Rule::Public(303)),
        (Call::Fn("list_trainings", ""), Rule::Public(200)),
        (
            Call::Fn("get_training", "slug=verdieping"),
            Rule::Public(200),
        ),
        (Call::Fn("my_trainings", ""), Rule::LoggedIn),
        (Call::Fn("my_runs", ""), Rule::TrainersOnly),
        (Call::Fn("runs_overview", ""), Rule::Only(Who::Admin)),
        (
            Call::Fn("get_run_roster", "slug=verdieping&run=2031-voorjaar"),
            Rule::RunStaff(200),
        ),
        (
            Call::Get("/trainingen/verdieping/nieuwe-uitvoering"),
            Rule::Trainers(200),
        ),
        (
            Call::Fn("get_run_editor", "slug=verdieping"),
            Rule::Trainers(200),
        ),
        (
            Call::Fn("get_run_editor", "slug=verdieping&run=2031-voorjaar"),
            Rule::RunStaff(200),
        ),
        (
            Call::Get("/trainingen/verdieping/2031-voorjaar/bewerken"),
            Rule::RunStaff(200),
        ),
        // An empty form goes back to the editor with its messages.
        (
            Call::Post("/trainingen/verdieping/uitvoering-toevoegen"),
            Rule::Trainers(303),
        ),
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/beheer/gegevens"),
            Rule::RunStaff(303),
        ),
        // Attendance, closing, certificates (the test run has no such session, its sessions
        // lie ahead and its training no accreditation: refusals, after the access check).
        (
            Call::Get("/trainingen/verdieping/2031-voorjaar/sessies/999999"),
            Rule::RunStaff(404),
        ),
        (
            Call::Fn(
                "get_session_register",
                "slug=verdieping&run=2031-voorjaar&session=999999",
            ),
            Rule::RunStaff(404),
        ),
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/sessies/999999/aanwezigheid"),
            Rule::RunStaff(404),
        ),
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/beheer/afsluiten"),
            Rule::RunStaff(303),
        ),
        // Admins only (a trainer of the run gets 403); an empty form is refused in Dutch.
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/beheer/certificaat"),
            Rule::OnlyWith(Who::Admin, 303),
        ),
        (
            Call::Get("/trainingen/verdieping/2031-voorjaar/accreditatie/0/deelnemers.csv"),
            Rule::RunStaff(404),
        ),
        (
            Call::Get("/mijn/certificaten/bestaat-niet.pdf"),
            Rule::LoggedInWith(404),
        ),
        (Call::Get("/certificaat"), Rule::Public(200)),
        (
            Call::Get("/certificaat/zoeken?code=7kq2+9xmp"),
            Rule::Public(303),
        ),
        (Call::Get("/certificaat/bestaat-niet"), Rule::Public(404)),
        (
            Call::Fn("verify_certificate", "code=bestaat-niet"),
            Rule::Public(404),
        ),
        // An empty reason: back to the page with the Dutch refusal.
        (
            Call::Post("/certificaat/bestaat-niet/intrekken"),
            Rule::OnlyWith(Who::Admin, 303),
        ),
        // Anonymous: to the login; others: not a participant, refused on Mijn trainingen.
        (
            Call::Post("/trainingen/verdieping/2031-voorjaar/evaluatie"),
            Rule::Public(303),
        ),
        (Call::Post("/auth/logout"), Rule::Public(303)),
    ]
}

fn role_slug(who: Who) -> Option<&'static str> {
    match who {
        Who::Anonymous | Who::Participant => None,
        Who::Trainer | Who::OtherTrainer => Some("trainer"),
        Who::Facilitator => Some("facilitator"),
        Who::Editor => Some("editor"),
        Who::Admin => Some("admin"),
    }
}

#[tokio::test]
async fn every_route_and_server_function_for_every_role() {
    let app = test_app(
        Some(MockProvider::start().await),
        &[("OIDC_ROLES_CLAIM", "")],
    )
    .await;
    let (target, _) = login_as(&app.db, "target", &[]).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for who in EVERYONE {
        let mut browser = if who == Who::Anonymous {
            Browser::default()
        } else {
            let roles: Vec<&str> = role_slug(who).into_iter().collect();
            let (_, session) = login_as(&app.db, &format!("{who:?}"), &roles).await;
            Browser::with_session(&session)
        };
        for (call, rule) in cases() {
            let (label, reply) = match call {
                Call::Get(path) => (path.to_owned(), browser.get(&app.router, path).await),
                Call::Post(path) => (
                    path.to_owned(),
                    browser.post_form(&app.router, path, "").await,
                ),
                Call::Fn(name, body) => {
                    let body = body.replace("{target}", &target.to_string());
                    let path = format!("/api/{name}");
                    let reply = browser.post_form(&app.router, &path, &body).await;
                    (path, reply)
                }
            };
            checked += 1;
            let expected = rule.expected(who);
            if reply.status.as_u16() != expected {
                failures.push(format!(
                    "{who:?} {label}: expected {expected}, got {} ({})",
                    reply.status,
                    reply.body.chars().take(120).collect::<String>()
                ));
            }
            // A refusal never carries data of the protected page.
            if !reply.status.is_success() && expected != 200 {
                assert!(!reply.body.contains("Gemeente Teststad"), "{who:?} {label}");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, EVERYONE.len() * cases().len());
}

#[tokio::test]
async fn the_matrix_covers_every_registered_server_function() {
    // Building the app registers the server functions.
    let _app = test_app(None, &[]).await;
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let covered: BTreeSet<String> = cases()
        .into_iter()
        .chain(intervision_cases())
        .filter_map(|(call, _)| match call {
            Call::Fn(name, _) => Some(format!("/api/{name}")),
            _ => None,
        })
        .collect();
    assert_eq!(registered, covered);
}

#[tokio::test]
async fn admins_cannot_remove_their_own_admin_role() {
    let app = test_app(None, &[]).await;
    let (admin_id, session) = login_as(&app.db, "admin", &["admin"]).await;
    let mut browser = Browser::with_session(&session);
    let reply = browser
        .post_form(
            &app.router,
            "/api/set_user_roles",
            &format!("user_id={admin_id}&editor=on"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("eigen beheerdersrol"), "{}", reply.body);
    assert_eq!(
        browser.get(&app.router, "/beheer/gebruikers").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn profile_errors_survive_a_no_js_round_trip() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "nojs", &[]).await;
    let mut browser = Browser::with_session(&session);
    // A browser without JavaScript posts the form and follows the redirect back.
    let request = axum::http::Request::post("/api/save_profile")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", "http://127.0.0.1:3000/profiel")
        .body(axum::body::Body::from(
            "input[display_name]=Noor&input[organisation]=GGZ+Oost&input[work_field]=zorg\
             &input[registers][0][register]=big&input[registers][0][number]=123",
        ))
        .unwrap();
    let reply = browser.send(&app.router, request).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let page = browser.get(&app.router, "/profiel").await;
    assert!(
        page.body.contains("precies 11 cijfers"),
        "error next to the field"
    );
    assert!(
        page.body.contains("GGZ Oost"),
        "what was typed is still there"
    );
    // Nothing typed is put in the redirect address, and it is the form's own address (no
    // stray "?" that server_fn leaves behind).
    assert!(!reply.location().contains("GGZ"));
    assert!(
        reply.location().ends_with("/profiel"),
        "{}",
        reply.location()
    );
}

/// A refused no-JS save is shown once, after its redirect: a later visit shows what is stored,
/// and failed saves do not pile up empty register rows.
#[tokio::test]
async fn a_refused_no_js_profile_is_shown_once_and_adds_no_rows() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "eenmalig", &[]).await;
    let mut browser = Browser::with_session(&session);
    let post = |body: &'static str| {
        axum::http::Request::post("/api/save_profile")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("referer", "http://127.0.0.1:3000/profiel")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let good = "input[display_name]=Sanne&input[organisation]=Gemeente+Zwolle&input[work_field]=gemeente\
                &input[registers][0][register]=&input[registers][0][number]=";
    let bad = "input[display_name]=Sanne&input[organisation]=Gemeente+Zwolle&input[work_field]=gemeente\
               &input[registers][0][register]=skj&input[registers][0][number]=abc\
               &input[registers][1][register]=&input[registers][1][number]=";
    browser.send(&app.router, post(good)).await;
    for _ in 0..3 {
        browser.send(&app.router, post(bad)).await;
    }
    let after_failures = browser.get(&app.router, "/profiel").await.body;
    assert!(
        after_failures.contains("fout-registers.0.number"),
        "the error is shown"
    );
    assert_eq!(
        after_failures.matches("name=\"input[registers][").count(),
        2 * 2,
        "the refused row and one empty row, not one more per failed save"
    );
    let later = browser.get(&app.router, "/profiel").await.body;
    assert!(
        !later.contains("fout-registers.0.number"),
        "the draft was for one redirect"
    );
    assert!(
        !later.contains("value=\"abc\""),
        "what is stored is shown again"
    );
}

/// Intervision's own personas: a group is closed, so what matters is how one stands to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Person {
    Anonymous,
    /// A member of the group (agreement accepted).
    Member,
    /// A member of another group.
    OtherMember,
    /// The group's facilitator.
    Facilitator,
    /// The facilitator of another group.
    OtherFacilitator,
    /// Manages accounts; reads nothing inside a group.
    Admin,
}

const PEOPLE: [Person; 6] = [
    Person::Anonymous,
    Person::Member,
    Person::OtherMember,
    Person::Facilitator,
    Person::OtherFacilitator,
    Person::Admin,
];

#[derive(Clone, Copy)]
enum Inside {
    /// Everyone with this status (anonymous included).
    Public(u16),
    /// Any logged-in user, with this status; anonymous 401 (or 303 to the login for a form).
    LoggedIn(u16),
    /// Facilitators (of any group) with this status; anonymous 401, others 403.
    Facilitators(u16),
    /// The group's members and facilitator with this status; anonymous 401, everyone else
    /// the 404 of a group that does not exist.
    Group(u16),
    /// The group's facilitator only; as `Group` otherwise.
    Lead(u16),
    /// Leaving: the member is asked to confirm (200), the facilitator refused (400), others
    /// 404.
    Leave,
    /// Admins with this status; anonymous 401, everyone else 403.
    Admins(u16),
    /// The dilemma's author (the member) with this status; anonymous 401, everyone else,
    /// the group's facilitator included, the 404 of a dilemma that is not theirs.
    Author(u16),
}

impl Inside {
    fn expected(self, who: Person) -> u16 {
        use Person::*;
        match (self, who) {
            (Inside::Public(status), _) => status,
            (_, Anonymous) => 401,
            (Inside::LoggedIn(status), _) => status,
            (Inside::Facilitators(status), Facilitator | OtherFacilitator) => status,
            (Inside::Facilitators(_), _) => 403,
            (Inside::Admins(status), Admin) => status,
            (Inside::Admins(_), _) => 403,
            (Inside::Group(status), Member | Facilitator) => status,
            (Inside::Author(status), Member) => status,
            (Inside::Author(_), _) => 404,
            (Inside::Lead(status), Facilitator) => status,
            (Inside::Leave, Member) => 200,
            (Inside::Leave, Facilitator) => 400,
            (Inside::Group(_) | Inside::Lead(_) | Inside::Leave, _) => 404,
        }
    }
}

/// `{group}` and `{dilemma}` are replaced by the group's and its dilemma's ids.
fn intervision_cases() -> Vec<(Call, Rule)> {
    // The intervision cases run in their own test with their own personas (below); listed
    // here for the completeness check.
    intervision_matrix()
        .into_iter()
        .map(|(call, _)| (call, Rule::Public(0)))
        .collect()
}

fn intervision_matrix() -> Vec<(Call, Inside)> {
    vec![
        (Call::Get("/intervisie"), Inside::LoggedIn(200)),
        (Call::Get("/intervisie/{group}"), Inside::Group(200)),
        (Call::Get("/intervisie/999999"), Inside::LoggedIn(404)),
        (
            Call::Get("/intervisie/{group}/dilemmas/{dilemma}"),
            Inside::Group(200),
        ),
        (
            Call::Get("/intervisie/{group}/dilemmas/{dilemma}/bewerken"),
            Inside::Author(200),
        ),
        (
            Call::Get("/intervisie/{group}/dilemmas/{dilemma}/verwijderen"),
            Inside::Author(200),
        ),
        (
            Call::Fn("get_dilemma_edit", "group={group}&dilemma={dilemma}"),
            Inside::Author(200),
        ),
        // An empty edit goes back to the edit page with the messages.
        (
            Call::Post("/intervisie/{group}/dilemmas/{dilemma}/bewerken"),
            Inside::Group(303),
        ),
        // Nobody wrote dilemma 999999 (deleting the real one would end the matrix's dilemma).
        (
            Call::Post("/intervisie/{group}/dilemmas/999999/verwijderen"),
            Inside::Group(404),
        ),
        (Call::Get("/uitnodiging/bestaat-niet"), Inside::Public(200)),
        (Call::Get("/mijn/intervisie"), Inside::LoggedIn(200)),
        (
            Call::Get("/intervisie/{group}/bijeenkomsten/{meeting}"),
            Inside::Group(200),
        ),
        (Call::Fn("my_intervision_groups", ""), Inside::LoggedIn(200)),
        // Whether the header shows "Intervisie": an answer for everyone (false when anonymous).
        (Call::Fn("in_intervision", ""), Inside::Public(200)),
        (Call::Fn("my_intervision_record", ""), Inside::LoggedIn(200)),
        (Call::Fn("get_group", "group={group}"), Inside::Group(200)),
        (
            Call::Fn("get_dilemma", "group={group}&dilemma={dilemma}"),
            Inside::Group(200),
        ),
        (
            Call::Fn("get_meeting", "group={group}&meeting={meeting}"),
            Inside::Group(200),
        ),
        (
            Call::Fn("current_method_step", "group={group}&dilemma={dilemma}"),
            Inside::Group(200),
        ),
        (
            Call::Fn("get_invitation", "token=bestaat-niet"),
            Inside::Public(200),
        ),
        // Empty forms go back to their page with the messages.
        (Call::Post("/intervisie/groepen"), Inside::Facilitators(303)),
        (
            Call::Post("/intervisie/{group}/dilemmas"),
            Inside::Group(303),
        ),
        (
            Call::Post("/intervisie/{group}/afspraken"),
            Inside::Group(303),
        ),
        (
            Call::Post("/intervisie/{group}/dilemmas/{dilemma}/reacties"),
            Inside::Group(303),
        ),
        // Nobody wrote post 999999: not found, also for those inside.
        (
            Call::Post("/intervisie/{group}/dilemmas/{dilemma}/reacties/999999/verwijderen"),
            Inside::Group(404),
        ),
        (
            Call::Post("/intervisie/{group}/meldingen"),
            Inside::Group(303),
        ),
        // An empty action point goes back with its message; so does a status left out.
        (
            Call::Post("/intervisie/{group}/dilemmas/{dilemma}/actiepunten"),
            Inside::Group(303),
        ),
        (
            Call::Post("/intervisie/{group}/actiepunten/999999"),
            Inside::Group(303),
        ),
        // No method chosen, or none started: refused in Dutch on the dilemma's page.
        (
            Call::Post("/intervisie/{group}/dilemmas/{dilemma}/methode"),
            Inside::Lead(303),
        ),
        (
            Call::Post("/intervisie/{group}/dilemmas/{dilemma}/methode/stap"),
            Inside::Lead(303),
        ),
        (
            Call::Post("/intervisie/{group}/dilemmas/{dilemma}/methode/minuten"),
            Inside::Lead(303),
        ),
        // The new link is in the answer itself, never in a flash.
        (
            Call::Post("/intervisie/{group}/uitnodiging"),
            Inside::Lead(200),
        ),
        (
            Call::Post("/intervisie/{group}/bijeenkomsten"),
            Inside::Lead(303),
        ),
        // The meeting lies ahead: attendance is refused in Dutch on its page.
        (
            Call::Post("/intervisie/{group}/bijeenkomsten/{meeting}/aanwezigheid"),
            Inside::Lead(303),
        ),
        // An empty form: refused in Dutch next to the fields, on the meeting's page.
        (
            Call::Post("/intervisie/{group}/bijeenkomsten/{meeting}/verplaatsen"),
            Inside::Lead(303),
        ),
        (Call::Post("/intervisie/{group}/leden"), Inside::Lead(303)),
        // An empty note: refused by the guard's form check, back to the meeting's page.
        (
            Call::Post("/intervisie/{group}/bijeenkomsten/{meeting}/notities"),
            Inside::Group(303),
        ),
        (
            Call::Post("/intervisie/{group}/bijeenkomsten/{meeting}/notities/999999/verwijderen"),
            Inside::Group(404),
        ),
        (
            Call::Post("/intervisie/{group}/afspraken/wijzigen"),
            Inside::Lead(303),
        ),
        (
            Call::Post("/intervisie/{group}/leden/999999/verwijderen"),
            Inside::Lead(404),
        ),
        // No dilemma chosen: refused in Dutch on the meeting's page; an agenda item that is
        // not there is not found.
        (
            Call::Post("/intervisie/{group}/bijeenkomsten/{meeting}/agenda"),
            Inside::Lead(303),
        ),
        (
            Call::Post("/intervisie/{group}/bijeenkomsten/{meeting}/agenda/999999/verwijderen"),
            Inside::Lead(404),
        ),
        (
            Call::Post("/intervisie/{group}/bijeenkomsten/{meeting}/agenda/999999/methode"),
            Inside::Lead(404),
        ),
        // No number: refused at the field on the group's page.
        (
            Call::Post("/intervisie/{group}/bewaartermijn"),
            Inside::Lead(303),
        ),
        (Call::Get("/beheer/intervisie"), Inside::Admins(200)),
        (Call::Fn("administered_groups", ""), Inside::Admins(200)),
        (
            Call::Post("/beheer/intervisie/{group}/begeleiders"),
            Inside::Admins(303),
        ),
        (
            Call::Post("/beheer/intervisie/{group}/begeleiders/999999/verwijderen"),
            Inside::Admins(404),
        ),
        (
            Call::Post("/beheer/intervisie/{group}/leden/999999/verwijderen"),
            Inside::Admins(404),
        ),
        // An empty form: every refusal at its field, back on the admins' page.
        (
            Call::Post("/beheer/intervisie/{group}/bijeenkomsten"),
            Inside::Admins(303),
        ),
        // A link that does not exist: refused in Dutch (anonymous first goes to the login).
        (
            Call::Post("/uitnodiging/bestaat-niet"),
            Inside::LoggedIn(400),
        ),
        // Nobody here was invited by address: refused in Dutch, whoever answers.
        (
            Call::Post("/intervisie/uitnodigingen/{group}/aannemen"),
            Inside::LoggedIn(400),
        ),
        (
            Call::Post("/intervisie/uitnodigingen/{group}/afslaan"),
            Inside::LoggedIn(400),
        ),
        (
            Call::Post("/intervisie/uitnodigingen/{group}/misschien"),
            Inside::LoggedIn(404),
        ),
        // Last: cancelling, leaving and removing ask first (a confirmation page); a meeting
        // that is not cancelled cannot be restored (refused on the group's page); a
        // facilitator cannot leave, and is told so.
        (
            Call::Post("/intervisie/{group}/bijeenkomsten/{meeting}/afgelasten"),
            Inside::Lead(200),
        ),
        (
            Call::Post("/intervisie/{group}/bijeenkomsten/{meeting}/herstellen"),
            Inside::Lead(303),
        ),
        (
            Call::Post("/intervisie/{group}/afsluiten"),
            Inside::Lead(200),
        ),
        (Call::Post("/intervisie/{group}/verlaten"), Inside::Leave),
    ]
}

#[tokio::test]
async fn every_intervision_page_route_and_server_function_for_everyone() {
    use app::intervision::model::GroupForm;
    use app::intervision::rules::{check_dilemma, parse_group_form};
    use app::intervision::service::{dilemmas, groups, sealing::Sealer};

    let app = test_app(None, &[]).await;
    let now = chrono::Utc::now();
    let mut sessions = Vec::new();
    let mut ids = std::collections::HashMap::new();
    for who in PEOPLE {
        if who == Person::Anonymous {
            continue;
        }
        let roles: &[&str] = match who {
            Person::Facilitator | Person::OtherFacilitator => &["facilitator"],
            Person::Admin => &["admin"],
            _ => &[],
        };
        let (id, session) = login_as(&app.db, &format!("{who:?}"), roles).await;
        ids.insert(who, id);
        sessions.push((who, session));
    }
    let spec = parse_group_form(&GroupForm {
        name: "Matrixgroep".into(),
        ..GroupForm::default()
    })
    .unwrap();
    let group = groups::create_group(&app.db, &spec, ids[&Person::Facilitator], now)
        .await
        .unwrap();
    let other = groups::create_group(&app.db, &spec, ids[&Person::OtherFacilitator], now)
        .await
        .unwrap();
    for (who, group) in [(Person::Member, group), (Person::OtherMember, other)] {
        let token = groups::create_invitation(&app.db, group, now)
            .await
            .unwrap();
        groups::join(&app.db, &token, ids[&who], now).await.unwrap();
        let standing = app::intervision::service::access::standing(&app.db, group, ids[&who])
            .await
            .unwrap()
            .unwrap();
        groups::accept_agreement(&app.db, &standing.group, ids[&who], 1, now)
            .await
            .unwrap();
    }
    let mut form = app::intervision::model::DilemmaForm {
        work_field: "zorg".into(),
        phenomenon: "jihadisme".into(),
        ..Default::default()
    };
    form.texts.insert(
        "situatie".into(),
        "Geheime matrixtekst over een cliënt.".into(),
    );
    form.texts.insert("vraag".into(), "Wat doe ik?".into());
    let sealer = Sealer::from_base64(crate::support::TEST_INTERVISION_KEY).unwrap();
    let dilemma = dilemmas::save_dilemma(
        &app.db,
        &sealer,
        group,
        ids[&Person::Member],
        &check_dilemma(&form).unwrap(),
        now,
    )
    .await
    .unwrap();

    let series = app::intervision::rules::parse_series_form(&app::intervision::model::SeriesForm {
        first_date: "2031-01-16".into(),
        count: "1".into(),
        location: "Utrecht".into(),
        ..Default::default()
    })
    .unwrap();
    app::intervision::service::meetings::add_series(&app.db, group, &series, now)
        .await
        .unwrap();
    let meeting = app::intervision::service::meetings::meetings_of(&app.db, group, now)
        .await
        .unwrap()[0]
        .id;

    let mut failures = Vec::new();
    let mut checked = 0;
    for who in PEOPLE {
        let mut browser = match sessions.iter().find(|(w, _)| *w == who) {
            Some((_, session)) => Browser::with_session(session),
            None => Browser::default(),
        };
        for (call, rule) in intervision_matrix() {
            let fill = |text: &str| {
                text.replace("{group}", &group.to_string())
                    .replace("{dilemma}", &dilemma.to_string())
                    .replace("{meeting}", &meeting.to_string())
            };
            let (label, reply) = match call {
                Call::Get(path) => {
                    let path = fill(path);
                    let reply = browser.get(&app.router, &path).await;
                    (path, reply)
                }
                Call::Post(path) => {
                    let path = fill(path);
                    let reply = browser.post_form(&app.router, &path, "").await;
                    (path, reply)
                }
                Call::Fn(name, body) => {
                    let path = format!("/api/{name}");
                    let reply = browser.post_form(&app.router, &path, &fill(body)).await;
                    (path, reply)
                }
            };
            checked += 1;
            let mut expected = rule.expected(who);
            // A plain form from someone not logged in goes to the login instead.
            if who == Person::Anonymous
                && label.starts_with("/uitnodiging/")
                && matches!(call, Call::Post(_))
            {
                expected = 303;
            }
            if reply.status.as_u16() != expected {
                failures.push(format!(
                    "{who:?} {label}: expected {expected}, got {} ({})",
                    reply.status,
                    reply.body.chars().take(120).collect::<String>()
                ));
            }
            // Nobody outside the group sees a word of what is inside.
            if !matches!(who, Person::Member | Person::Facilitator) {
                assert!(!reply.body.contains("matrixtekst"), "{who:?} {label}");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, PEOPLE.len() * intervision_matrix().len());
}

/// The admins' navigation lists each domain's own admin pages, and only those the person may
/// open: all four for an admin, none for an editor.
#[tokio::test]
async fn the_admin_navigation_gathers_every_domains_pages_for_those_who_may_open_them() {
    let app = test_app(None, &[]).await;
    let (_, admin_session) = login_as(&app.db, "nav-admin", &["admin"]).await;
    let page = Browser::with_session(&admin_session)
        .get(&app.router, "/beheer/gebruikers")
        .await;
    let nav = page
        .body
        .split("aria-label=\"Beheer\"")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("the admin navigation");
    for (href, label) in [
        ("/beheer/gebruikers", "Gebruikers"),
        ("/beheer/audit", "Auditlog"),
        ("/beheer/mail", "E-mail"),
        ("/beheer/trainingen", "Trainingen"),
        ("/beheer/intervisie", "Intervisiegroepen"),
        ("/beheer/rapportage", "Rapportage"),
    ] {
        assert!(nav.contains(&format!("href=\"{href}\"")), "{href} in {nav}");
        assert!(nav.contains(label), "{label} in {nav}");
    }
    // An editor's navigation holds the one admin page they may open: the reports.
    let (_, editor_session) = login_as(&app.db, "nav-editor", &["editor"]).await;
    let page = Browser::with_session(&editor_session)
        .get(&app.router, "/beheer/rapportage")
        .await;
    let nav = page
        .body
        .split("aria-label=\"Beheer\"")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("the editor's navigation");
    assert_eq!(nav.matches("<li>").count(), 1, "{nav}");
    assert!(nav.contains("href=\"/beheer/rapportage\""));
}

/// A server function whose arguments do not parse (a crafted or truncated request) is the
/// caller's mistake: 400 with the Dutch message, not 500 (and nothing logged as a failure).
#[tokio::test]
async fn a_malformed_server_function_argument_is_a_400() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "kapot", &[]).await;
    let mut browser = Browser::with_session(&session);
    for body in ["%%%", "input=1&input=2"] {
        let request = axum::http::Request::post("/api/save_profile")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .unwrap();
        let reply = browser.send(&app.router, request).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
        assert!(
            reply.body.contains("onvolledig of ongeldig"),
            "{body}: {}",
            reply.body
        );
    }
}
