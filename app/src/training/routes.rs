//! Training actions as plain form posts (server only): enrol, answer an offer, cancel, and the
//! trainers' decisions. They work the same with and without JavaScript: each ends in a redirect
//! to the page it came from, with its outcome in a one-time flash. The participants' CSV too.
//! The extractors of `extract` authorize and load the run first; a handler returns `Answer`
//! and uses `?`.

use axum::Router;
use axum::extract::{Form, FromRef, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use crate::answer::FramedAnswer;
use crate::context::AppContext;
use crate::download::attachment;
use crate::error::{AppError, FieldErrors, ServiceError};
use crate::flash::redirect_with;
use crate::identity::access::Viewer;
use crate::notice::Notice;
use crate::training::api::{
    RunDraft, TrainingNotice, notice_flash, run_draft_flash, run_message_flash,
};
use crate::training::model::{
    EnrolmentStatus, MAX_RUN_SESSIONS, MY_TRAININGS_SCOPE, RunForm, RunMessageDraft, RunMessageForm,
};
use crate::training::rules::parse_run_form;
use crate::training::service::{enrolment, roster, run_editor, run_messages};
use extract::{Coordinator, OwnTrainings, Participant, Refused, RunCreator, RunStaff};

mod certificates;
mod extract;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppContext: FromRef<S>,
{
    Router::new()
        .route("/trainingen/{slug}/{run}/inschrijven", post(enrol))
        .route("/trainingen/{slug}/{run}/aanbod", post(answer_offer))
        .route("/trainingen/{slug}/{run}/afmelden", post(cancel))
        .route("/trainingen/{slug}/{run}/beheer/bericht", post(message_run))
        .route(
            "/beheer/trainingen/personen/{user}/inschrijven",
            post(enrol_on_behalf),
        )
        .route(
            "/trainingen/{slug}/{run}/beheer/aanvragen/{id}",
            post(decide_request),
        )
        .route(
            "/trainingen/{slug}/{run}/beheer/capaciteit",
            post(set_capacity),
        )
        .route(
            "/trainingen/{slug}/{run}/beheer/annuleren",
            post(cancel_run),
        )
        .route(
            "/trainingen/{slug}/{run}/deelnemers.csv",
            get(participants_csv),
        )
        .route(
            "/trainingen/{slug}/{run}/presentielijst.csv",
            get(register_csv),
        )
        .route("/trainingen/{slug}/{run}/agenda.ics", get(run_calendar))
        .route("/trainingen/{slug}/uitvoering-toevoegen", post(add_run))
        .route("/trainingen/{slug}/{run}/beheer/gegevens", post(edit_run))
        .route("/mijn/agenda", post(renew_feed))
        .route("/mijn/agenda/intrekken", post(revoke_feed))
        .merge(certificates::routes())
}

fn training_page(slug: &str, run: &str) -> String {
    format!("/trainingen/{slug}#uitvoering-{run}")
}

fn run_page(slug: &str, run: &str) -> String {
    format!("/trainingen/{slug}/{run}/beheer")
}

type Answer = Result<Response, Refused>;

/// Stores the outcome for the page at `scope` and sends the browser there.
async fn back_to(session: &Session, scope: &str, location: &str, notice: TrainingNotice) -> Answer {
    Ok(redirect_with(session, &notice_flash(scope), &notice, location).await?)
}

/// The notice for an action's result on `run`: its message on success, the Dutch refusal with
/// the answers as typed (`kept`) on a user mistake, an error otherwise.
fn notice_of(
    run: &str,
    result: Result<String, ServiceError>,
    kept: Vec<String>,
) -> Result<TrainingNotice, Refused> {
    let (outcome, answers, field_errors) = match result {
        Ok(message) => (Notice::done(message), Vec::new(), Default::default()),
        Err(ServiceError::Invalid(message)) => (Notice::refused(message), kept, Default::default()),
        Err(ServiceError::Fields(errors)) => (
            Notice::refused(
                "Er is nog niets verstuurd: verbeter de antwoorden die hieronder gemarkeerd zijn.",
            ),
            kept,
            errors,
        ),
        Err(other) => return Err(other.into()),
    };
    Ok(TrainingNotice {
        run: run.to_owned(),
        outcome,
        answers,
        field_errors,
    })
}

/// `antwoord_<n>` per intake question (1-based): the form's field names depend on the
/// training, so it is read as a list of pairs.
async fn enrol(
    State(context): State<AppContext>,
    Participant(viewer): Participant,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let mut numbered: Vec<(usize, String)> = fields
        .into_iter()
        .filter_map(|(name, value)| {
            let number = name.strip_prefix("antwoord_")?.parse::<usize>().ok()?;
            (1..=crate::training::model::facts::MAX_INTAKE_QUESTIONS)
                .contains(&number)
                .then_some((number, value))
        })
        .collect();
    numbered.sort_by_key(|(number, _)| *number);
    let mut answers = vec![String::new(); numbered.last().map_or(0, |(n, _)| *n)];
    for (number, value) in numbered {
        answers[number - 1] = value;
    }
    let result = enrolment::enrol(
        &context.db,
        viewer.user_id,
        &slug,
        &run,
        &answers,
        context.now(),
    )
    .await;
    let notice = notice_of(&run, result.map(|outcome| outcome.message_nl()), answers)?;
    back_to(&session, &slug, &training_page(&slug, &run), notice).await
}

#[derive(Deserialize)]
struct OfferAnswer {
    #[serde(default)]
    keuze: String,
}

async fn answer_offer(
    State(context): State<AppContext>,
    Participant(viewer): Participant,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
    Form(answer): Form<OfferAnswer>,
) -> Answer {
    let (user, now) = (viewer.user_id, context.now());
    let result = match answer.keuze.as_str() {
        "accepteren" => enrolment::accept_offer(&context.db, user, &slug, &run, now)
            .await
            .map(|()| "U heeft de plaats aangenomen: u bent ingeschreven.".to_owned()),
        "afslaan" => enrolment::decline_offer(&context.db, user, &slug, &run, now)
            .await
            .map(|()| {
                "U heeft de plaats afgeslagen; die gaat naar de volgende op de wachtlijst."
                    .to_owned()
            }),
        _ => Err(ServiceError::Invalid("Kies aannemen of afslaan.".into())),
    };
    let notice = notice_of(&run, result, Vec::new())?;
    back_to(&session, MY_TRAININGS_SCOPE, "/mijn/trainingen", notice).await
}

async fn cancel(
    State(context): State<AppContext>,
    Participant(viewer): Participant,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
) -> Answer {
    let result = enrolment::cancel(&context.db, viewer.user_id, &slug, &run, context.now())
        .await
        .map(|status| match status {
            EnrolmentStatus::LateCancelled => "U bent afgemeld. Dat was na de termijn voor kosteloos afmelden en is vastgelegd als late afmelding.".to_owned(),
            _ => "U bent afgemeld.".to_owned(),
        });
    let notice = notice_of(&run, result, Vec::new())?;
    back_to(&session, MY_TRAININGS_SCOPE, "/mijn/trainingen", notice).await
}

#[derive(Deserialize)]
struct Decision {
    #[serde(default)]
    besluit: String,
    #[serde(default)]
    reden: String,
}

async fn decide_request(
    State(context): State<AppContext>,
    staff: RunStaff,
    session: Session,
    Path((slug, run, id)): Path<(String, String, i32)>,
    Form(decision): Form<Decision>,
) -> Answer {
    // The request must belong to this run: a trainer decides only on their own runs.
    if enrolment::run_of_enrolment(&context.db, id).await? != Some(staff.run.id) {
        return Err(AppError::NotFound.into());
    }
    let result = match decision.besluit.as_str() {
        "goedkeuren" => enrolment::approve(&context.db, id, context.now())
            .await
            .map(|outcome| match outcome.status {
                EnrolmentStatus::Confirmed => {
                    "Goedgekeurd: de deelnemer is ingeschreven.".to_owned()
                }
                _ => "Goedgekeurd; de training is vol, dus de deelnemer staat op de wachtlijst."
                    .to_owned(),
            }),
        "afwijzen" => enrolment::reject(&context.db, id, &decision.reden, context.now())
            .await
            .map(|()| "Afgewezen; de aanvrager ziet de reden.".to_owned()),
        _ => Err(ServiceError::Invalid("Kies goedkeuren of afwijzen.".into())),
    };
    run_notice(&session, &slug, &run, result).await
}

async fn run_notice(
    session: &Session,
    slug: &str,
    run: &str,
    result: Result<String, ServiceError>,
) -> Answer {
    let notice = notice_of(run, result, Vec::new())?;
    back_to(
        session,
        &format!("{slug}/{run}"),
        &run_page(slug, run),
        notice,
    )
    .await
}

#[derive(Deserialize)]
struct Capacity {
    #[serde(default)]
    capaciteit: String,
}

async fn set_capacity(
    State(context): State<AppContext>,
    staff: RunStaff,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
    Form(form): Form<Capacity>,
) -> Answer {
    let result = match form.capaciteit.trim().parse::<u32>() {
        Ok(capacity) => enrolment::set_capacity(&context.db, staff.run.id, capacity, context.now())
            .await
            .map(|offered| match offered.len() {
                0 => format!("De capaciteit is nu {capacity}."),
                n => format!(
                    "De capaciteit is nu {capacity}; {n} plaats(en) aangeboden aan de wachtlijst."
                ),
            }),
        Err(_) => Err(ServiceError::Invalid(
            "Vul de capaciteit in als een heel getal, bijvoorbeeld 12.".into(),
        )),
    };
    run_notice(&session, &slug, &run, result).await
}

/// A trainer or coordinator writes to the run's participants and/or its waitlist. Refused,
/// the message comes back as typed with each field's reason; sent, the run's page says to how
/// many (and the log beneath the form shows it).
async fn message_run(
    State(context): State<AppContext>,
    staff: RunStaff,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
    Form(form): Form<RunMessageForm>,
) -> Answer {
    let location = format!("{}#berichten", run_page(&slug, &run));
    let sent = match crate::training::rules::parse_run_message(&form) {
        Ok(message) => {
            run_messages::send(
                &context.db,
                &staff.run,
                staff.viewer.user_id,
                &message,
                context.now(),
            )
            .await
        }
        Err(errors) => Err(ServiceError::Fields(errors)),
    };
    let result = match sent {
        Ok(count) => Ok(format!(
            "Uw bericht is verstuurd aan {count} {}.",
            if count == 1 { "persoon" } else { "personen" }
        )),
        Err(ServiceError::Fields(errors)) => {
            let draft = RunMessageDraft { form, errors };
            let flash = run_message_flash(&slug, &run);
            return Ok(redirect_with(&session, &flash, &draft, &location).await?);
        }
        Err(other) => Err(other),
    };
    let notice = notice_of(&run, result, Vec::new())?;
    back_to(&session, &format!("{slug}/{run}"), &location, notice).await
}

#[derive(Deserialize)]
struct OnBehalfForm {
    #[serde(default)]
    uitvoering: String,
    #[serde(default)]
    reden: String,
    /// The search it came from, to go back to.
    #[serde(default)]
    q: String,
}

/// A coordinator enrols someone in a run on their behalf, from the people search; the
/// outcome (or the form as typed with its reasons) is shown at that person.
async fn enrol_on_behalf(
    State(context): State<AppContext>,
    Coordinator(coordinator): Coordinator,
    session: Session,
    Path(user): Path<i32>,
    Form(form): Form<OnBehalfForm>,
) -> Answer {
    let (slug, code) = form.uitvoering.split_once('/').unwrap_or_default();
    let result = enrolment::enrol_on_behalf(
        &context.db,
        coordinator.user_id,
        user,
        slug,
        code,
        &form.reden,
        context.now(),
    )
    .await;
    let mut notice = crate::training::model::OnBehalfNotice {
        user_id: user,
        ..Default::default()
    };
    match result {
        Ok(outcome) => {
            notice.outcome = Some(Notice::done(format!(
                "Ingeschreven voor {}: {}. De deelnemer krijgt bericht per e-mail.",
                code,
                outcome.status.label().to_lowercase()
            )));
        }
        Err(ServiceError::Fields(errors)) => {
            (notice.run, notice.reason, notice.errors) =
                (form.uitvoering.clone(), form.reden.clone(), errors);
        }
        Err(ServiceError::Invalid(message)) => {
            notice.outcome = Some(Notice::refused(message));
            (notice.run, notice.reason) = (form.uitvoering.clone(), form.reden.clone());
        }
        Err(other) => return Err(other.into()),
    }
    let location = format!(
        "/beheer/trainingen/personen?q={}#persoon-{user}",
        crate::paths::encode_path(form.q.trim())
    );
    Ok(redirect_with(
        &session,
        &crate::training::api::on_behalf_flash(),
        &notice,
        &location,
    )
    .await?)
}

#[derive(Deserialize)]
struct CancelRun {
    #[serde(default)]
    reden: String,
}

async fn cancel_run(
    State(context): State<AppContext>,
    staff: RunStaff,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
    Form(form): Form<CancelRun>,
) -> Answer {
    let result = enrolment::cancel_run(&context.db, staff.run.id, &form.reden, context.now())
        .await
        .map(|affected| {
            format!(
                "De uitvoering is geannuleerd; {} inschrijving(en) beëindigd.",
                affected.len()
            )
        });
    run_notice(&session, &slug, &run, result).await
}

/// The run form from its posted fields (`sessie_<n>_<part>` per session row, so the names
/// depend on how many rows were sent: a list of pairs).
fn run_form_from(fields: Vec<(String, String)>) -> RunForm {
    let mut form = RunForm::default();
    for (name, value) in fields {
        let slot = match name.as_str() {
            "code" => &mut form.code,
            "capacity" => &mut form.capacity,
            "enrolment_opens" => &mut form.enrolment_opens,
            "enrolment_closes" => &mut form.enrolment_closes,
            "waitlist_closes" => &mut form.waitlist_closes,
            "cancellation_days" => &mut form.cancellation_days,
            "offer_hours" => &mut form.offer_hours,
            "max_work_field_share" => &mut form.max_work_field_share,
            "trainers" => &mut form.trainers,
            // A ticked trainer: `trainers[<login name>]`.
            other if other.starts_with("trainers[") && other.ends_with(']') => {
                let subject = &other["trainers[".len()..other.len() - 1];
                if !form.trainers.is_empty() {
                    form.trainers.push_str(", ");
                }
                form.trainers.push_str(subject);
                continue;
            }
            other => {
                let Some((number, part)) = other
                    .strip_prefix("sessie_")
                    .and_then(|rest| rest.split_once('_'))
                    .and_then(|(n, part)| Some((n.parse::<usize>().ok()?, part)))
                    .filter(|(n, _)| (1..=MAX_RUN_SESSIONS).contains(n))
                else {
                    continue;
                };
                if form.sessions.len() < number {
                    form.sessions.resize_with(number, Default::default);
                }
                let row = &mut form.sessions[number - 1];
                match part {
                    "date" => &mut row.date,
                    "start" => &mut row.start,
                    "end" => &mut row.end,
                    "location" => &mut row.location,
                    "link" => &mut row.link,
                    _ => continue,
                }
            }
        };
        *slot = value.chars().take(500).collect();
    }
    form
}

/// A refused run form goes back to its editor with what was typed and a message per field.
async fn back_to_editor(
    session: &Session,
    slug: &str,
    run: Option<&str>,
    form: RunForm,
    errors: FieldErrors,
) -> Answer {
    let draft = RunDraft { form, errors };
    let location = match run {
        Some(code) => format!("/trainingen/{slug}/{code}/bewerken"),
        None => format!("/trainingen/{slug}/nieuwe-uitvoering"),
    };
    Ok(redirect_with(session, &run_draft_flash(slug, run), &draft, &location).await?)
}

/// The outcome of saving a run form: to the run's page, or back to the form.
async fn saved_or_back(
    session: &Session,
    slug: &str,
    run: Option<&str>,
    form: RunForm,
    code: &str,
    result: Result<String, ServiceError>,
) -> Answer {
    let field_error =
        |field: &str, message: String| FieldErrors::from([(field.to_owned(), message)]);
    match result {
        Ok(message) => run_notice(session, slug, code, Ok(message)).await,
        Err(ServiceError::InvalidDocument { field, message }) => {
            let errors = field_error(field.unwrap_or(crate::error::WHOLE_FORM), message);
            back_to_editor(session, slug, run, form, errors).await
        }
        Err(ServiceError::Invalid(message)) => {
            let errors = field_error(crate::error::WHOLE_FORM, message);
            back_to_editor(session, slug, run, form, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

/// The run form checked: the rules' refusals and trainers who are no trainer on the
/// platform, all at once by field.
async fn checked_run_form(
    context: &AppContext,
    form: &RunForm,
    run_id: Option<i32>,
) -> Result<Result<crate::training::rules::RunSpec, FieldErrors>, AppError> {
    let trainers = crate::training::rules::trainer_subjects(&form.trainers);
    let unknown = run_editor::unknown_trainers(&context.db, run_id, &trainers).await?;
    Ok(match (parse_run_form(form), unknown) {
        (Ok(spec), None) => Ok(spec),
        (parsed, unknown) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Some(message) = unknown {
                errors.entry("trainers".into()).or_insert(message);
            }
            Err(errors)
        }
    })
}

/// A trainer who adds or edits a run stays one of its trainers, so they keep managing what
/// they made; an admin names the trainers freely.
async fn keep_trainer_on_the_run(
    context: &AppContext,
    viewer: &Viewer,
    spec: &mut crate::training::rules::RunSpec,
) -> Result<(), AppError> {
    let looker = crate::training::service::catalogue::looker(&context.db, viewer).await?;
    if !looker.is_admin && !spec.trainers.contains(&looker.subject) {
        spec.trainers.push(looker.subject);
    }
    Ok(())
}

async fn add_run(
    State(context): State<AppContext>,
    RunCreator(viewer): RunCreator,
    session: Session,
    Path(slug): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let form = run_form_from(fields);
    let mut spec = match checked_run_form(&context, &form, None).await? {
        Ok(spec) => spec,
        Err(errors) => return back_to_editor(&session, &slug, None, form, errors).await,
    };
    keep_trainer_on_the_run(&context, &viewer, &mut spec).await?;
    let code = spec.code.clone();
    let result = run_editor::create_run(&context.db, &slug, &spec, context.now())
        .await
        .map(|()| "De uitvoering is toegevoegd. Deelnemers kunnen zich inschrijven zodra de inschrijving open is.".to_owned());
    saved_or_back(&session, &slug, None, form, &code, result).await
}

async fn edit_run(
    State(context): State<AppContext>,
    staff: RunStaff,
    session: Session,
    Path((slug, run)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let mut form = run_form_from(fields);
    // The code is the run's key and stays what it is.
    form.code = run.clone();
    let mut spec = match checked_run_form(&context, &form, Some(staff.run.id)).await? {
        Ok(spec) => spec,
        Err(errors) => return back_to_editor(&session, &slug, Some(&run), form, errors).await,
    };
    keep_trainer_on_the_run(&context, &staff.viewer, &mut spec).await?;
    let result = run_editor::update_run(&context.db, staff.run.id, &spec, context.now())
        .await
        .map(|offered| match offered.len() {
            0 => "De uitvoering is opgeslagen.".to_owned(),
            n => {
                format!("De uitvoering is opgeslagen; {n} plaats(en) aangeboden aan de wachtlijst.")
            }
        });
    saved_or_back(&session, &slug, Some(&run), form, &run, result).await
}

/// The run's attendance register as CSV, for its trainers and admins.
async fn register_csv(
    State(context): State<AppContext>,
    staff: RunStaff,
    Path((slug, run)): Path<(String, String)>,
) -> Answer {
    let register =
        crate::training::service::attendance::run_register(&context.db, &staff.run).await?;
    Ok(attachment(
        crate::training::service::attendance::register_csv(&register),
        "text/csv; charset=utf-8",
        &format!("presentielijst-{slug}-{run}.csv"),
    ))
}

async fn participants_csv(
    State(context): State<AppContext>,
    staff: RunStaff,
    Path((slug, run)): Path<(String, String)>,
) -> Answer {
    let looker = crate::training::service::catalogue::looker(&context.db, &staff.viewer).await?;
    let roster = roster::roster(&context.db, &staff.run, &looker, context.now()).await?;
    Ok(attachment(
        roster::participants_csv(&roster),
        "text/csv; charset=utf-8",
        &format!("deelnemers-{slug}-{run}.csv"),
    ))
}

/// A calendar file as a download that no cache keeps.
pub fn ics(body: String, filename: &str) -> Response {
    attachment(body, "text/calendar; charset=utf-8", filename)
}

/// A run's sessions for anyone's calendar (no online links).
async fn run_calendar(
    State(context): State<AppContext>,
    Path((slug, run)): Path<(String, String)>,
) -> Answer {
    let body = crate::training::service::calendar::run_calendar(&context.db, &slug, &run).await?;
    Ok(ics(body, &format!("{slug}-{run}.ics")))
}

async fn renew_feed(
    State(context): State<AppContext>,
    OwnTrainings(viewer): OwnTrainings,
) -> Answer {
    let token =
        crate::training::service::calendar::renew_feed(&context.db, viewer.user_id, context.now())
            .await?;
    // The token is in this answer only: a flash would keep it in the session store.
    Ok(FramedAnswer::secret_link(
        "Uw agenda-link",
        "Uw agenda-link staat hieronder. Zet hem in uw agenda-app; hij wordt maar één keer getoond. Een eerdere link werkt niet meer.".into(),
        format!("{}/agenda/{token}.ics", context.public_url),
        ("/mijn/trainingen#agenda", "Terug naar Mijn trainingen"),
    )
    .into_response())
}

async fn revoke_feed(
    State(context): State<AppContext>,
    OwnTrainings(viewer): OwnTrainings,
    session: Session,
) -> Answer {
    crate::training::service::calendar::revoke_feed(&context.db, viewer.user_id).await?;
    let message = "Uw agenda-link is ingetrokken; wie hem heeft, ziet niets meer.";
    let notice = notice_of("", Ok(message.into()), Vec::new())?;
    back_to(
        &session,
        MY_TRAININGS_SCOPE,
        "/mijn/trainingen#agenda",
        notice,
    )
    .await
}
