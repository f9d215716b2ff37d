//! Attendance, closing a run, certificates and the accreditation exports as plain requests
//! (server only), so the attendance register works on a tablet without JavaScript.

use axum::Router;
use axum::extract::{Form, FromRef, Path, Query, State};
use axum::routing::{get, post};
use tower_sessions::Session;

use super::extract::{CertificateManager, OwnTrainings, RunStaff, SignedIn};
use super::{Answer, back_to, notice_of, run_notice};
use crate::context::AppContext;
use crate::download::attachment;
use crate::error::{AppError, ServiceError};
use crate::flash::redirect_with;
use crate::identity::access::{Action, can};
use crate::notice::Notice;
use crate::paths::encode_path;
use crate::training::api::attendance_flash;
use crate::training::model::SessionPresence;
use crate::training::model::certificate_code;
use crate::training::service::catalogue::training_facts;
use crate::training::service::certificate_pdf::certificate_pdf;
use crate::training::service::{attendance, certificates};

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppContext: FromRef<S>,
{
    Router::new()
        .route(
            "/trainingen/{slug}/{run}/sessies/{session}/aanwezigheid",
            post(record_attendance),
        )
        .route("/trainingen/{slug}/{run}/beheer/afsluiten", post(close_run))
        .route(
            "/trainingen/{slug}/{run}/beheer/certificaat",
            post(issue_by_hand),
        )
        .route(
            "/trainingen/{slug}/{run}/accreditatie/{register}/{file}",
            get(accreditation_export),
        )
        .route("/mijn/certificaten/{file}", get(download_certificate))
        .route("/certificaat/zoeken", get(find_by_typed_code))
        .route("/certificaat/{code}/intrekken", post(revoke_certificate))
        .route("/trainingen/{slug}/{run}/evaluatie", post(evaluate))
}

/// The public address of a certificate's verification page.
pub fn verification_url(public_url: &str, code: &str) -> String {
    format!("{}/certificaat/{code}", public_url.trim_end_matches('/'))
}

/// `presence[<account id>]` = a `SessionPresence` slug, `minutes[<account id>]` = minutes late
/// or left early; anything else is ignored.
fn marks_of(fields: &[(String, String)]) -> Result<Vec<(i32, SessionPresence, i32)>, String> {
    let mut marks = Vec::new();
    for (user, value) in crate::answer::keyed_fields(fields, "presence") {
        let Ok(user) = user.parse::<i32>() else {
            continue;
        };
        let Some(presence) = SessionPresence::from_slug(value) else {
            continue;
        };
        let typed = crate::answer::keyed_fields(fields, "minutes")
            .find(|(key, _)| key.parse() == Ok(user))
            .map(|(_, v)| v.trim())
            .unwrap_or("");
        let minutes = if presence.takes_minutes() {
            typed.parse::<i32>().map_err(|_| {
                "Vul bij te laat en eerder weg het aantal minuten in als een heel getal.".to_owned()
            })?
        } else {
            0
        };
        marks.push((user, presence, minutes));
    }
    Ok(marks)
}

async fn record_attendance(
    State(context): State<AppContext>,
    staff: RunStaff,
    session: Session,
    Path((slug, run, session_id)): Path<(String, String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let session_id = session_id.parse::<i32>().map_err(|_| AppError::NotFound)?;
    let result = match marks_of(&fields) {
        Ok(marks) => {
            attendance::record(&context.db, &staff.run, session_id, &marks, context.now()).await
        }
        Err(message) => Err(ServiceError::Invalid(message)),
    };
    // A refused register comes back as it was sent.
    let outcome = match result {
        Ok(()) => (Notice::done("De aanwezigheid is opgeslagen."), Vec::new()),
        Err(ServiceError::Invalid(message)) => (Notice::refused(message), fields),
        Err(error) => return Err(error.into()),
    };
    let flash = attendance_flash(&slug, &run, session_id);
    let location = format!("/trainingen/{slug}/{run}/sessies/{session_id}");
    Ok(redirect_with(&session, &flash, &outcome, &location).await?)
}

async fn close_run(
    State(context): State<AppContext>,
    staff: RunStaff,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
) -> Answer {
    let result = certificates::close_run(&context.db, &staff.run, context.now())
        .await
        .map(|closing| {
            format!(
                "De uitvoering is afgesloten: {} certifica{} uitgegeven, {} deelnemer(s) voldeed(en) niet aan de eisen.",
                closing.issued,
                if closing.issued == 1 { "at" } else { "ten" },
                closing.not_met
            )
        });
    run_notice(&session, &slug, &run, result).await
}

/// `/trainingen/<slug>/<run>/accreditatie/<n>/<file>`: for accreditation line `n` of the
/// training, `<yyyy-mm-dd>.txt` is PE-online's import for that session (one registration
/// number per line), `deelnemers.csv` the CSV for registers without an import.
async fn accreditation_export(
    State(context): State<AppContext>,
    staff: RunStaff,
    Path((slug, run, register, file)): Path<(String, String, String, String)>,
) -> Answer {
    let facts = training_facts(&context.db, &slug).await?;
    let line = register
        .parse::<usize>()
        .ok()
        .and_then(|index| facts.accreditation.get(index))
        .ok_or(AppError::NotFound)?;
    let export = certificates::register_export(&context.db, &staff.run, &line.register).await?;
    let (body, content_type) = if file == "deelnemers.csv" {
        (
            certificates::register_csv(&export),
            "text/csv; charset=utf-8",
        )
    } else {
        let list = file
            .strip_suffix(".txt")
            .and_then(|date| certificates::pe_online_list(&export, date))
            .ok_or(AppError::NotFound)?;
        (list, "text/plain; charset=utf-8")
    };
    let filename = format!("accreditatie-{slug}-{run}-{register}-{file}");
    Ok(attachment(body, content_type, &filename))
}

/// `/mijn/certificaten/<code>.pdf`: the holder's own certificate; anyone else gets the 404 of
/// a code that does not exist.
async fn download_certificate(
    State(context): State<AppContext>,
    SignedIn(viewer): SignedIn,
    Path(file): Path<String>,
) -> Answer {
    let code = file.strip_suffix(".pdf").ok_or(AppError::NotFound)?;
    let found = certificates::holders_certificate(&context.db, code, viewer.user_id).await?;
    let pdf = certificate_pdf(
        &found,
        &verification_url(&context.public_url, &found.code),
        &context.organisation(),
    )?;
    Ok(attachment(
        pdf,
        "application/pdf",
        &certificate_file_name(&found),
    ))
}

/// "certificaat-radicalisering-herkennen-2027-03-18.pdf": the training and the day of issue,
/// so a folder of certificates sorts and reads by itself.
fn certificate_file_name(found: &crate::training::entity::certificate::Model) -> String {
    let day = crate::dates::amsterdam_date(found.issued_at);
    format!(
        "certificaat-{}-{}.pdf",
        slug::slugify(&found.training_title),
        day.format("%Y-%m-%d")
    )
}

#[derive(serde::Deserialize)]
struct TypedCode {
    #[serde(default)]
    code: String,
}

/// The form on `/certificaat`: on to the code's own page, in its stored form when it is a
/// readable code ("7kq2 9xmp…" becomes "7KQ2-9XMP-…"), so the address is the one printed.
async fn find_by_typed_code(Query(typed): Query<TypedCode>) -> axum::response::Redirect {
    let typed = typed.code.trim();
    if typed.is_empty() {
        return axum::response::Redirect::to("/certificaat");
    }
    let code = certificate_code::normalised(typed).unwrap_or_else(|| typed.to_owned());
    axum::response::Redirect::to(&format!("/certificaat/{}", encode_path(&code)))
}

#[derive(serde::Deserialize)]
struct Revocation {
    #[serde(default)]
    reden: String,
}

/// An admin revokes a certificate on its verification page.
async fn revoke_certificate(
    State(context): State<AppContext>,
    CertificateManager(admin): CertificateManager,
    session: Session,
    Path(code): Path<String>,
    Form(form): Form<Revocation>,
) -> Answer {
    let revoked = certificates::revoke(
        &context.db,
        &code,
        &form.reden,
        admin.user_id,
        context.now(),
    )
    .await;
    let notice = match revoked {
        Ok(()) => Notice::done("Het certificaat is ingetrokken."),
        Err(ServiceError::Invalid(message)) => Notice::refused(message),
        Err(error) => return Err(error.into()),
    };
    let flash = crate::training::api::revocation_flash(&code);
    let location = format!("/certificaat/{code}");
    Ok(redirect_with(&session, &flash, &notice, &location).await?)
}

/// A participant's evaluation, from `/mijn/trainingen`; a refused one comes back as typed.
/// One score field per question (`score_<n>`), as many as there are questions: read as pairs.
async fn evaluate(
    State(context): State<AppContext>,
    OwnTrainings(viewer): OwnTrainings,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let scores: Vec<String> = (1..=crate::training::rules::EVALUATION_QUESTIONS.len())
        .map(|n| field(&format!("score_{n}")))
        .collect();
    let remark = field("remark");
    let result = match crate::training::rules::parse_evaluation(&scores, &remark) {
        Ok((stored, remark)) => {
            match crate::training::service::catalogue::find_run(&context.db, &slug, &run).await {
                Ok(run_model) => crate::training::service::evaluations::submit(
                    &context.db,
                    &run_model,
                    viewer.user_id,
                    stored,
                    remark,
                    context.now(),
                )
                .await
                .map(|()| "Dank u wel; uw evaluatie is anoniem opgeslagen.".to_owned()),
                Err(error) => Err(error),
            }
        }
        // Every refusal at once, in the order of the form.
        Err(errors) => Err(ServiceError::Invalid(
            errors
                .iter()
                .filter(|(field, _)| field.starts_with("score_"))
                .chain(
                    errors
                        .iter()
                        .filter(|(field, _)| !field.starts_with("score_")),
                )
                .map(|(field, message)| match field.strip_prefix("score_") {
                    Some(number) => format!("Vraag {number}: {message}"),
                    None => format!("Opmerking: {message}"),
                })
                .collect::<Vec<_>>()
                .join(" "),
        )),
    };
    let mut kept = scores;
    kept.push(remark);
    let notice = notice_of(&run, result, kept)?;
    back_to(
        &session,
        crate::training::model::MY_TRAININGS_SCOPE,
        "/mijn/trainingen",
        notice,
    )
    .await
}

#[derive(serde::Deserialize)]
struct ByHand {
    #[serde(default)]
    deelnemer: String,
    #[serde(default)]
    reden: String,
}

/// An admin issues a certificate by hand, from the run's page.
async fn issue_by_hand(
    State(context): State<AppContext>,
    staff: RunStaff,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
    Form(form): Form<ByHand>,
) -> Answer {
    if !can(Some(&staff.viewer), Action::ManageCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let result = match form.deelnemer.trim().parse::<i32>() {
        Ok(user) => certificates::issue_by_hand(
            &context.db,
            &staff.run,
            user,
            &form.reden,
            staff.viewer.user_id,
            context.now(),
        )
        .await
        .map(|_| "Het certificaat is uitgegeven.".to_owned()),
        Err(_) => Err(ServiceError::Invalid("Kies een deelnemer.".into())),
    };
    run_notice(&session, &slug, &run, result).await
}
