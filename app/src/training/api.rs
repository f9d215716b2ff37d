//! Server functions of the training domain: reading the catalogue, one's own enrolments and a
//! run's roster. Changes are plain form posts to the domain's routes (`routes.rs`), so they
//! work the same with and without JavaScript.

use leptos::prelude::*;

use crate::error::AppError;
use crate::training::model::{
    AttendanceSheet, CertificateSummary, MyTraining, RunRoster, TrainingDetail, TrainingSummary,
    VerifiedCertificate,
};
use serde::{Deserialize, Serialize};

/// What a form post on a training page ended in, shown once on the page it returns to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingNotice {
    /// The run it concerns.
    pub run: String,
    pub outcome: crate::notice::Notice,
    /// The intake answers as typed, so a refused enrolment loses nothing.
    pub answers: Vec<String>,
    /// Each refused field's Dutch message, shown at the field.
    #[serde(default)]
    pub field_errors: crate::error::FieldErrors,
}

#[cfg(feature = "ssr")]
pub fn notice_flash(scope: &str) -> crate::flash::Flash<TrainingNotice> {
    crate::flash::Flash::new("training", scope)
}

/// The catalogue; each filter as it comes from the query string (unknown values filter nothing).
#[server(endpoint = "list_trainings")]
pub async fn list_trainings(
    phenomenon: Option<String>,
    audience: Option<String>,
    month: Option<String>,
) -> Result<Vec<TrainingSummary>, AppError> {
    let context = crate::context::app_context()?;
    let looker = server::looker().await?;
    Ok(crate::training::service::catalogue::list_trainings(
        &context.db,
        looker.as_ref(),
        phenomenon
            .as_deref()
            .and_then(crate::vocabulary::Phenomenon::from_slug),
        audience
            .as_deref()
            .and_then(crate::vocabulary::WorkField::from_slug),
        month
            .as_deref()
            .and_then(crate::training::rules::parse_month),
        context.now(),
    )
    .await?)
}

/// One training, its runs and the viewer's place in them, plus the outcome of a form post
/// that just returned here.
#[server(endpoint = "get_training")]
pub async fn get_training(
    slug: String,
) -> Result<(TrainingDetail, Option<TrainingNotice>), AppError> {
    let context = crate::context::app_context()?;
    let looker = server::looker().await?;
    let mut detail = crate::training::service::catalogue::training_detail(
        &context.db,
        &slug,
        looker.as_ref(),
        context.now(),
    )
    .await?;
    let viewer = crate::identity::service::current::current_viewer().await;
    detail.can_add_run =
        crate::identity::access::can(viewer.as_ref(), crate::identity::access::Action::CreateRun);
    let notice = notice_flash(&slug).take().await?;
    Ok((detail, notice))
}

#[server(endpoint = "my_trainings")]
pub async fn my_trainings() -> Result<
    (
        Vec<MyTraining>,
        Option<TrainingNotice>,
        bool,
        Vec<CertificateSummary>,
        bool,
    ),
    AppError,
> {
    let viewer =
        crate::identity::service::current::authorize_user(crate::identity::access::Action::Enrol)
            .await?;
    let gives_runs =
        crate::identity::access::can(Some(&viewer), crate::identity::access::Action::ViewOwnRuns);
    let context = crate::context::app_context()?;
    let looker = crate::training::service::catalogue::looker(&context.db, &viewer).await?;
    let list =
        crate::training::service::catalogue::my_trainings(&context.db, &looker, context.now())
            .await?;
    let notice = notice_flash(crate::training::model::MY_TRAININGS_SCOPE)
        .take()
        .await?;
    let has_feed =
        crate::training::service::calendar::has_feed(&context.db, viewer.user_id).await?;
    let mut list = list;
    let today = crate::dates::amsterdam_date(context.now());
    for row in &mut list {
        // Where a confirmed participant stands once the run has begun.
        let begun = row.sessions.first().is_some_and(|s| s.date <= today);
        if row.enrolment.status != crate::training::model::EnrolmentStatus::Confirmed || !begun {
            continue;
        }
        let run = crate::training::service::catalogue::find_run(
            &context.db,
            &row.training_slug,
            &row.run_code,
        )
        .await?;
        if run.records_deleted_at.is_some() {
            row.attended = Some(format!(
                "De aanwezigheid is na {} jaar verwijderd.",
                crate::training::rules::RECORDS_KEPT_YEARS
            ));
            continue;
        }
        let completion =
            crate::training::service::attendance::completion_of(&context.db, &run, viewer.user_id)
                .await?;
        row.attended = Some(format!(
            "U was {} van de {} aanwezig.",
            crate::dates::hours_nl(completion.attended_minutes),
            crate::dates::hours_nl(completion.total_minutes)
        ));
        row.still_needed = completion.missing_nl();
        row.may_evaluate = crate::training::service::evaluations::may_evaluate(
            &context.db,
            &run,
            viewer.user_id,
            context.now(),
        )
        .await?;
    }
    let certificates =
        crate::training::service::certificates::certificates_of(&context.db, viewer.user_id)
            .await?;
    Ok((list, notice, has_feed, certificates, gives_runs))
}

/// The runs the viewer gives as a trainer (`/mijn/uitvoeringen`).
#[server(endpoint = "my_runs")]
pub async fn my_runs(page: Option<u64>) -> Result<crate::training::model::RunsPage, AppError> {
    let viewer = crate::identity::service::current::authorize_user(
        crate::identity::access::Action::ViewOwnRuns,
    )
    .await?;
    let context = crate::context::app_context()?;
    let looker = crate::training::service::catalogue::looker(&context.db, &viewer).await?;
    Ok(crate::training::service::trainer_runs::runs_given_by(
        &context.db,
        &looker.subject,
        page.unwrap_or(1),
        context.now(),
    )
    .await?)
}

/// Every run for the coordinators (`/beheer/trainingen`): `training` a slug, `stage`
/// "actueel" or "afgelopen", `page` from 1; unknown values show everything.
#[server(endpoint = "runs_overview")]
pub async fn runs_overview(
    training: Option<String>,
    stage: Option<String>,
    page: Option<u64>,
) -> Result<crate::training::model::RunsOverview, AppError> {
    crate::identity::service::current::authorize_user(
        crate::identity::access::Action::CoordinateTrainings,
    )
    .await?;
    let context = crate::context::app_context()?;
    let filter = crate::training::model::RunsFilter {
        training: training.filter(|slug| !slug.is_empty()),
        stage: stage.and_then(|slug| crate::training::model::RunsShown::from_slug(&slug)),
        page: page.unwrap_or(1),
    };
    Ok(
        crate::training::service::trainer_runs::all_runs(&context.db, &filter, context.now())
            .await?,
    )
}

/// The coordinator's people search (`q`: name or organisation), with the outcome of an
/// enrolment on someone's behalf that just came back.
#[server(endpoint = "people_search")]
pub async fn people_search(
    q: Option<String>,
) -> Result<crate::training::model::PeopleSearch, AppError> {
    crate::identity::service::current::authorize_user(
        crate::identity::access::Action::CoordinateTrainings,
    )
    .await?;
    let context = crate::context::app_context()?;
    let query = q.unwrap_or_default().trim().to_owned();
    let (people, more) = crate::training::service::people::find_people(&context.db, &query).await?;
    let open_runs = crate::training::service::people::open_runs(&context.db, context.now()).await?;
    let notice = on_behalf_flash().take().await?;
    Ok(crate::training::model::PeopleSearch {
        query,
        people,
        more,
        open_runs,
        notice,
    })
}

/// The outcome of an enrolment on someone's behalf, shown once on the people search.
#[cfg(feature = "ssr")]
pub fn on_behalf_flash() -> crate::flash::Flash<crate::training::model::OnBehalfNotice> {
    crate::flash::Flash::new("on-behalf", "personen")
}

/// One session's attendance register, for the run's trainers and admins.
#[server(endpoint = "get_session_register")]
pub async fn get_session_register(
    slug: String,
    run: String,
    session: i32,
) -> Result<AttendanceSheet, AppError> {
    use crate::training::service::{attendance, calendar};
    let context = crate::context::app_context()?;
    let viewer = crate::identity::service::current::current_viewer().await;
    let (_, run_model) = crate::training::service::access::authorize_run_for(
        &context.db,
        viewer.as_ref(),
        &slug,
        &run,
    )
    .await?;
    let found = attendance::session_of(&context.db, &run_model, session).await?;
    let (notice, typed) = match attendance_flash(&slug, &run, session).take().await? {
        Some((notice, typed)) => (Some(notice), typed),
        None => (None, Vec::new()),
    };
    Ok(AttendanceSheet {
        training_title: calendar::title_of(&context.db, &slug).await?,
        training_slug: slug.clone(),
        run_code: run.clone(),
        session_id: session,
        session: format!(
            "{}, {}–{}",
            crate::dates::format_date_nl(found.date),
            found.starts_at,
            found.ends_at
        ),
        rows: attendance::register(&context.db, &run_model, session).await?,
        closed: run_model.closed_at.is_some(),
        notice,
        typed,
    })
}

/// What anyone may know of a certificate, and (for an admin) the form to revoke it.
/// The viewer's enrolment in one run, for the page that asks them to confirm cancelling it;
/// "not found" when they have nothing there that can be cancelled.
#[server(endpoint = "cancellation_of")]
pub async fn cancellation_of(slug: String, run: String) -> Result<MyTraining, AppError> {
    let viewer =
        crate::identity::service::current::authorize_user(crate::identity::access::Action::Enrol)
            .await?;
    let context = crate::context::app_context()?;
    let looker = crate::training::service::catalogue::looker(&context.db, &viewer).await?;
    crate::training::service::catalogue::my_trainings(&context.db, &looker, context.now())
        .await?
        .into_iter()
        .find(|row| row.training_slug == slug && row.run_code == run)
        .filter(|row| row.enrolment.status.is_active() && !row.run_closed && !row.run_cancelled)
        .ok_or_else(|| {
            crate::error::set_response_status(&AppError::NotFound);
            AppError::NotFound
        })
}

#[server(endpoint = "verify_certificate")]
pub async fn verify_certificate(
    code: String,
) -> Result<
    (
        Option<VerifiedCertificate>,
        bool,
        Option<crate::notice::Notice>,
    ),
    AppError,
> {
    use crate::error::ServiceError;
    use crate::identity::access::{Action, can};
    let context = crate::context::app_context()?;
    let viewer = crate::identity::service::current::current_viewer().await;
    // A code that matches nothing gets its own page (with the form to try again), as a 404.
    let verified = match crate::training::service::certificates::verify(&context.db, &code).await {
        Ok(verified) => Some(verified),
        Err(ServiceError::NotFound) => {
            crate::error::set_response_status(&AppError::NotFound);
            None
        }
        Err(error) => {
            let error = AppError::from(error);
            crate::error::set_response_status(&error);
            return Err(error);
        }
    };
    let may_revoke = can(viewer.as_ref(), Action::ManageCertificates);
    let notice = if may_revoke {
        revocation_flash(&code).take().await?
    } else {
        None
    };
    Ok((verified, may_revoke, notice))
}

/// The outcome and, when refused, the fields as sent.
pub type AttendanceOutcome = (crate::notice::Notice, Vec<(String, String)>);

/// The outcome of saving a session's attendance and, when refused, the fields as sent.
#[cfg(feature = "ssr")]
pub fn attendance_flash(
    slug: &str,
    run: &str,
    session: i32,
) -> crate::flash::Flash<AttendanceOutcome> {
    crate::flash::Flash::new("attendance", &format!("{slug}/{run}/{session}"))
}

/// The outcome of a revocation, for the certificate's page.
#[cfg(feature = "ssr")]
pub fn revocation_flash(code: &str) -> crate::flash::Flash<crate::notice::Notice> {
    crate::flash::Flash::new("revocation", code)
}

/// A run's roster for its trainers and admins.
#[server(endpoint = "get_run_roster")]
pub async fn get_run_roster(
    slug: String,
    run: String,
) -> Result<
    (
        RunRoster,
        Option<TrainingNotice>,
        Option<crate::training::model::RunMessageDraft>,
    ),
    AppError,
> {
    let context = crate::context::app_context()?;
    let current = crate::identity::service::current::current_viewer().await;
    let (viewer, stored) = crate::training::service::access::authorize_run_for(
        &context.db,
        current.as_ref(),
        &slug,
        &run,
    )
    .await?;
    let looker = crate::training::service::catalogue::looker(&context.db, &viewer).await?;
    let mut roster =
        crate::training::service::roster::roster(&context.db, &stored, &looker, context.now())
            .await?;
    roster.completion.may_issue = crate::identity::access::can(
        Some(&viewer),
        crate::identity::access::Action::ManageCertificates,
    );
    roster.messages =
        crate::training::service::run_messages::log_of(&context.db, stored.id).await?;
    let notice = notice_flash(&format!("{slug}/{run}")).take().await?;
    let draft = run_message_flash(&slug, &run).take().await?;
    Ok((roster, notice, draft))
}

/// A refused message to a run as typed, shown once in the run's message form.
#[cfg(feature = "ssr")]
pub fn run_message_flash(
    slug: &str,
    run: &str,
) -> crate::flash::Flash<crate::training::model::RunMessageDraft> {
    crate::flash::Flash::new("run-message", &format!("{slug}/{run}"))
}

/// A refused run form as typed, with its errors, shown once on the editor after the redirect.
#[cfg(feature = "ssr")]
pub fn run_draft_flash(slug: &str, run: Option<&str>) -> crate::flash::Flash<RunDraft> {
    crate::flash::Flash::new("run-form", &format!("{slug}/{}", run.unwrap_or("nieuw")))
}

/// What a refused run form leaves for the editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunDraft {
    pub form: crate::training::model::RunForm,
    pub errors: crate::error::FieldErrors,
}

/// The run editor: a new run of training `slug` (`run` None; trainers and admins) or run
/// `run` (its trainers and admins), with a refused form's draft if one just came back.
#[server(endpoint = "get_run_editor")]
pub async fn get_run_editor(
    slug: String,
    run: Option<String>,
) -> Result<crate::training::model::RunEditor, AppError> {
    use crate::identity::access::Action;
    let context = crate::context::app_context()?;
    let subject = match run.as_deref() {
        Some(code) => {
            crate::training::service::access::authorize_run(&context.db, &slug, code).await?;
            None
        }
        None => {
            let viewer =
                crate::identity::service::current::authorize_user(Action::CreateRun).await?;
            let looker = crate::training::service::catalogue::looker(&context.db, &viewer).await?;
            // A trainer who adds a run trains it; an admin names the trainers.
            (!looker.is_admin).then_some(looker.subject)
        }
    };
    let mut editor = crate::training::service::run_editor::editor(
        &context.db,
        &slug,
        run.as_deref(),
        subject.as_deref(),
    )
    .await?;
    if let Some(draft) = run_draft_flash(&slug, run.as_deref()).take().await? {
        editor.form = draft.form;
        crate::training::rules::pad_sessions(&mut editor.form);
        editor.errors = draft.errors;
    }
    Ok(editor)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::error::AppError;
    use crate::training::service::catalogue::Looker;

    /// The logged-in viewer as the catalogue needs them (None: anonymous).
    pub async fn looker() -> Result<Option<Looker>, AppError> {
        match crate::identity::service::current::current_viewer().await {
            Some(viewer) => {
                let db = crate::context::db()?;
                Ok(Some(
                    crate::training::service::catalogue::looker(&db, &viewer).await?,
                ))
            }
            None => Ok(None),
        }
    }
}
