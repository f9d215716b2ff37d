//! Intervision actions as plain form posts (server only): start a group, invite, join, accept
//! the agreement, bring in a dilemma. Each ends in a redirect to the page it came from with
//! its outcome in a one-time flash, with and without JavaScript alike.

use axum::Router;
use axum::extract::{Extension, Form, FromRef, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use tower_sessions::Session;

use crate::answer::FramedAnswer;
use crate::answer::error_response;
use crate::context::AppContext;
use crate::error::{AppError, FieldErrors, ServiceError};
use crate::identity::access::{Action, Viewer, can};
use crate::identity::service::current::CurrentViewer;
use crate::intervision::api::server::{
    GROUP_FORM_SCOPE, administration_flash, agreement_scope, draft_scope, facilitator_form_flash,
    member_form_flash, minutes_flash, move_form_flash, note_scope, notice_flash, put_sealed_draft,
    series_scope,
};
use crate::intervision::model::{
    ACTION_FIELD, ActionDraft, ActionStatus, Attendance, DilemmaField, DilemmaForm, EmailForm,
    GroupForm, IntervisionNotice, MoveMeetingForm, REPLY_FIELD, SeriesForm,
};
use crate::intervision::rules::{
    check_action, check_dilemma, check_post, parse_group_form, parse_move_form, parse_series_form,
};
use crate::intervision::service::access::{Standing, authorize_group};
use crate::intervision::service::sealing::Sealer;
use crate::intervision::service::{actions, dilemmas, groups, management, meetings, notes, posts};
use crate::paths::login_href;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppContext: FromRef<S>,
{
    Router::new()
        .route("/intervisie/groepen", post(create_group))
        .route("/intervisie/{group}/uitnodiging", post(invite))
        .route("/intervisie/{group}/afspraken", post(accept_agreement))
        .route(
            "/intervisie/{group}/afspraken/wijzigen",
            post(change_agreement),
        )
        .route("/intervisie/{group}/dilemmas", post(bring_in_dilemma))
        .route(
            "/intervisie/{group}/dilemmas/{dilemma}/reacties",
            post(reply),
        )
        .route(
            "/intervisie/{group}/dilemmas/{dilemma}/reacties/{post}/verwijderen",
            post(delete_post),
        )
        .route("/intervisie/{group}/meldingen", post(set_notify))
        .route(
            "/intervisie/{group}/dilemmas/{dilemma}/actiepunten",
            post(add_action),
        )
        .route(
            "/intervisie/{group}/actiepunten/{action}",
            post(set_action_status),
        )
        .route(
            "/intervisie/{group}/dilemmas/{dilemma}/methode",
            post(start_method),
        )
        .route(
            "/intervisie/{group}/dilemmas/{dilemma}/methode/stap",
            post(move_step),
        )
        .route(
            "/intervisie/{group}/dilemmas/{dilemma}/methode/minuten",
            post(set_minutes),
        )
        .route("/intervisie/{group}/bijeenkomsten", post(add_series))
        .route(
            "/intervisie/{group}/bijeenkomsten/{meeting}/afgelasten",
            post(cancel_meeting),
        )
        .route(
            "/intervisie/{group}/bijeenkomsten/{meeting}/aanwezigheid",
            post(record_attendance),
        )
        .route(
            "/intervisie/{group}/bijeenkomsten/{meeting}/verplaatsen",
            post(move_meeting),
        )
        .route(
            "/intervisie/{group}/bijeenkomsten/{meeting}/notities",
            post(add_note),
        )
        .route(
            "/intervisie/{group}/bijeenkomsten/{meeting}/notities/{note}/verwijderen",
            post(delete_note),
        )
        .route("/intervisie/{group}/verlaten", post(leave))
        .route("/intervisie/{group}/leden", post(invite_member))
        .route(
            "/intervisie/uitnodigingen/{group}/{answer}",
            post(answer_invitation),
        )
        .route(
            "/intervisie/{group}/leden/{user}/verwijderen",
            post(remove_member),
        )
        .route(
            "/beheer/intervisie/{group}/begeleiders",
            post(admin_add_facilitator),
        )
        .route(
            "/beheer/intervisie/{group}/begeleiders/{user}/verwijderen",
            post(admin_remove_facilitator),
        )
        .route(
            "/beheer/intervisie/{group}/leden/{user}/verwijderen",
            post(admin_remove_member),
        )
        .route("/uitnodiging/{token}", post(join))
}

fn error_page(error: AppError) -> Response {
    error_response(&error, "/intervisie", "Naar mijn intervisiegroepen")
}

fn group_page(group: i32) -> String {
    format!("/intervisie/{group}")
}

/// Stores `notice` for group `group`'s page (or one dilemma's) and sends the browser to
/// `location`.
async fn with_notice(
    session: &Session,
    (group, dilemma): (i32, Option<i32>),
    location: &str,
    success: bool,
    message: String,
) -> Response {
    let notice = IntervisionNotice { success, message };
    match notice_flash(group, dilemma).put_in(session, &notice).await {
        Ok(()) => Redirect::to(location).into_response(),
        Err(error) => error_page(error),
    }
}

/// The group in the path, if `current` may do `action` in it; a group id that is no number is
/// as unknown as any other.
async fn authorized(
    context: &AppContext,
    current: &CurrentViewer,
    group: &str,
    action: Action,
    allow_pending_member: bool,
) -> Result<(Viewer, Standing), Response> {
    let Ok(group) = group.parse::<i32>() else {
        return Err(error_page(AppError::NotFound));
    };
    authorize_group(
        &context.db,
        current.0.as_ref(),
        group,
        action,
        allow_pending_member,
    )
    .await
    .map_err(error_page)
}

fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .unwrap_or_default()
}

async fn create_group(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let viewer = match &current.0 {
        None => return error_page(AppError::Unauthenticated),
        Some(viewer) if !can(Some(viewer), Action::CreateGroup) => {
            return error_page(AppError::Forbidden);
        }
        Some(viewer) => viewer.clone(),
    };
    let form = GroupForm {
        name: field(&fields, "name"),
        max_members: field(&fields, "max_members"),
        retention_months: field(&fields, "retention_months"),
        agreement: field(&fields, "agreement"),
    };
    let spec = match parse_group_form(&form) {
        Ok(spec) => spec,
        Err(errors) => {
            let sealer = match context.get::<Sealer>() {
                Ok(sealer) => sealer,
                Err(error) => return error_page(error),
            };
            let draft = (form, errors);
            return match put_sealed_draft(
                &session,
                &sealer,
                GROUP_FORM_SCOPE,
                viewer.user_id,
                &draft,
            )
            .await
            {
                Ok(()) => Redirect::to("/intervisie#nieuwe-groep").into_response(),
                Err(error) => error_page(error),
            };
        }
    };
    match groups::create_group(&context.db, &spec, viewer.user_id, context.now()).await {
        Ok(id) => {
            with_notice(
                &session,
                (id, None),
                &group_page(id),
                true,
                "De groep is aangemaakt. Nodig de deelnemers uit met een link.".into(),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn invite(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    Path(group): Path<String>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::LeadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let id = standing.group.id;
    match groups::create_invitation(&context.db, id, context.now()).await {
        // The token is in this answer only: a flash would keep it in the session store.
        Ok(token) => FramedAnswer::secret_link(
            "Uitnodigingslink",
            format!(
                "Geef deze link aan één deelnemer, bijvoorbeeld in een persoonlijk bericht. Hij werkt één keer en {} dagen lang, en wordt maar één keer getoond.",
                crate::intervision::model::INVITATION_DAYS
            ),
            format!("{}/uitnodiging/{token}", context.public_url),
            (&format!("{}#uitnodigen", group_page(id)), "Terug naar de groep"),
        )
        .into_response(),
        Err(error) => error_page(error.into()),
    }
}

async fn accept_agreement(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path(group): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::ReadGroup, true).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let id = standing.group.id;
    let version = field(&fields, "version").parse::<i32>().unwrap_or(0);
    let result = groups::accept_agreement(
        &context.db,
        &standing.group,
        viewer.user_id,
        version,
        context.now(),
    )
    .await;
    match result {
        Ok(()) => {
            with_notice(
                &session,
                (id, None),
                &group_page(id),
                true,
                "Welkom. U heeft de afspraken bevestigd.".into(),
            )
            .await
        }
        Err(ServiceError::Invalid(message)) => {
            with_notice(&session, (id, None), &group_page(id), false, message).await
        }
        Err(error) => error_page(error.into()),
    }
}

fn dilemma_form_from(fields: &[(String, String)]) -> DilemmaForm {
    DilemmaForm {
        work_field: field(fields, "work_field"),
        phenomenon: field(fields, "phenomenon"),
        texts: DilemmaField::ALL
            .into_iter()
            .map(|f| (f.slug().to_owned(), field(fields, f.slug())))
            .collect(),
        not_names: !field(fields, "not_names").is_empty(),
    }
}

async fn bring_in_dilemma(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path(group): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::ReadGroup, false).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let id = standing.group.id;
    let sealer = match context.get::<Sealer>() {
        Ok(sealer) => sealer,
        Err(error) => return error_page(error),
    };
    let form = dilemma_form_from(&fields);
    let dilemma = match check_dilemma(&form) {
        Ok(dilemma) => dilemma,
        Err(draft) => {
            let scope = draft_scope(id, None);
            return match put_sealed_draft(&session, &sealer, &scope, viewer.user_id, &draft).await {
                Ok(()) => {
                    Redirect::to(&format!("{}#dilemma-formulier", group_page(id))).into_response()
                }
                Err(error) => error_page(error),
            };
        }
    };
    match dilemmas::save_dilemma(
        &context.db,
        &sealer,
        id,
        viewer.user_id,
        &dilemma,
        context.now(),
    )
    .await
    {
        Ok(dilemma_id) => {
            with_notice(
                &session,
                (id, None),
                &format!("{}#dilemma-{dilemma_id}", group_page(id)),
                true,
                "Het dilemma is opgeslagen in het logboek van de groep.".into(),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

fn dilemma_page(group: i32, dilemma: i32) -> String {
    format!("/intervisie/{group}/dilemmas/{dilemma}")
}

async fn reply(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, dilemma)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::ReadGroup, false).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let (id, Ok(dilemma)) = (standing.group.id, dilemma.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    let sealer = match context.get::<Sealer>() {
        Ok(sealer) => sealer,
        Err(error) => return error_page(error),
    };
    let text = field(&fields, REPLY_FIELD);
    let post = match check_post(&text, !field(&fields, "not_names").is_empty()) {
        Ok(post) => post,
        Err(draft) => {
            let scope = draft_scope(id, Some(dilemma));
            return match put_sealed_draft(&session, &sealer, &scope, viewer.user_id, &draft).await {
                Ok(()) => {
                    Redirect::to(&format!("{}#reageren", dilemma_page(id, dilemma))).into_response()
                }
                Err(error) => error_page(error),
            };
        }
    };
    match posts::add_post(
        &context.db,
        &sealer,
        id,
        dilemma,
        viewer.user_id,
        &post,
        context.now(),
    )
    .await
    {
        Ok(post_id) => {
            with_notice(
                &session,
                (id, Some(dilemma)),
                &format!("{}#reactie-{post_id}", dilemma_page(id, dilemma)),
                true,
                "Uw reactie is geplaatst.".into(),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn add_action(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, dilemma)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::ReadGroup, false).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let (id, Ok(dilemma)) = (standing.group.id, dilemma.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    let sealer = match context.get::<Sealer>() {
        Ok(sealer) => sealer,
        Err(error) => return error_page(error),
    };
    let people: Vec<i32> = match groups::people_with_ids(&context.db, id).await {
        Ok(people) => people.into_iter().map(|(person, _)| person).collect(),
        Err(error) => return error_page(error.into()),
    };
    let draft = ActionDraft {
        text: field(&fields, ACTION_FIELD),
        owner: field(&fields, "owner"),
        due_on: field(&fields, "due_on"),
        ..ActionDraft::default()
    };
    let action = match check_action(draft, !field(&fields, "not_names").is_empty(), &people) {
        Ok(action) => action,
        Err(draft) => {
            let scope = format!("{}/actie", draft_scope(id, Some(dilemma)));
            return match put_sealed_draft(&session, &sealer, &scope, viewer.user_id, &draft).await {
                Ok(()) => Redirect::to(&format!("{}#actiepunten", dilemma_page(id, dilemma)))
                    .into_response(),
                Err(error) => error_page(error),
            };
        }
    };
    match actions::add_action(
        &context.db,
        &sealer,
        id,
        dilemma,
        viewer.user_id,
        &action,
        context.now(),
    )
    .await
    {
        Ok(_) => with_notice(
            &session,
            (id, Some(dilemma)),
            &format!("{}#actiepunten", dilemma_page(id, dilemma)),
            true,
            "Het actiepunt is toegevoegd; het staat in de opvolgronde van de volgende bijeenkomst."
                .into(),
        )
        .await,
        Err(error) => error_page(error.into()),
    }
}

async fn set_action_status(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, action)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::ReadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (id, Ok(action)) = (standing.group.id, action.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    let Some(status) = ActionStatus::from_slug(&field(&fields, "status")) else {
        return with_notice(
            &session,
            (id, None),
            &format!("{}#opvolgronde", group_page(id)),
            false,
            "Kies gedaan, loopt door of vervallen.".into(),
        )
        .await;
    };
    match actions::set_status(&context.db, id, action, status).await {
        Ok(()) => {
            with_notice(
                &session,
                (id, None),
                &format!("{}#opvolgronde", group_page(id)),
                true,
                format!("Actiepunt bijgewerkt: {}.", status.label().to_lowercase()),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn start_method(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, dilemma)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::LeadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (id, Ok(dilemma)) = (standing.group.id, dilemma.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    let page = format!("{}#methode", dilemma_page(id, dilemma));
    let result = dilemmas::start_method(
        &context.db,
        id,
        dilemma,
        &field(&fields, "method"),
        context.now(),
    )
    .await;
    match result {
        Ok(()) => {
            with_notice(
                &session,
                (id, Some(dilemma)),
                &page,
                true,
                "De methode is gestart.".into(),
            )
            .await
        }
        Err(ServiceError::Invalid(message)) => {
            with_notice(&session, (id, Some(dilemma)), &page, false, message).await
        }
        Err(error) => error_page(error.into()),
    }
}

/// The facilitator's minutes per step for this meeting; refused minutes come back as typed.
async fn set_minutes(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, dilemma)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::LeadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (id, Ok(dilemma)) = (standing.group.id, dilemma.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    let page = format!("{}#methode", dilemma_page(id, dilemma));
    let typed: Vec<String> = fields
        .into_iter()
        .filter(|(key, _)| key == "minutes")
        .map(|(_, value)| value)
        .collect();
    match dilemmas::set_minutes(&context.db, id, dilemma, &typed).await {
        Ok(()) => {
            with_notice(
                &session,
                (id, Some(dilemma)),
                &page,
                true,
                "De minuten voor deze bijeenkomst zijn aangepast.".into(),
            )
            .await
        }
        Err(ServiceError::Invalid(message)) => {
            match minutes_flash(id, dilemma)
                .put_in(&session, &(typed, message))
                .await
            {
                Ok(()) => Redirect::to(&page).into_response(),
                Err(error) => error_page(error),
            }
        }
        Err(error) => error_page(error.into()),
    }
}

async fn move_step(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, dilemma)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::LeadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (id, Ok(dilemma)) = (standing.group.id, dilemma.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    let page = format!("{}#methode", dilemma_page(id, dilemma));
    let forward = field(&fields, "richting") != "terug";
    match dilemmas::move_step(&context.db, id, dilemma, forward, context.now()).await {
        Ok(_) => Redirect::to(&page).into_response(),
        Err(ServiceError::Invalid(message)) => {
            with_notice(&session, (id, Some(dilemma)), &page, false, message).await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn delete_post(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, dilemma, post)): Path<(String, String, String)>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::ReadGroup, false).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let (id, Ok(dilemma), Ok(post)) = (
        standing.group.id,
        dilemma.parse::<i32>(),
        post.parse::<i32>(),
    ) else {
        return error_page(AppError::NotFound);
    };
    match posts::delete_own_post(&context.db, id, dilemma, post, viewer.user_id).await {
        Ok(()) => {
            with_notice(
                &session,
                (id, Some(dilemma)),
                &dilemma_page(id, dilemma),
                true,
                "Uw reactie is verwijderd.".into(),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn set_notify(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path(group): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::ReadGroup, false).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let id = standing.group.id;
    let on = field(&fields, "notify") == "aan";
    match posts::set_notify(&context.db, id, viewer.user_id, on).await {
        Ok(()) => {
            let message = if on {
                "U krijgt weer een e-mail als er nieuws is in deze groep."
            } else {
                "U krijgt geen e-mail meer over nieuws in deze groep."
            };
            with_notice(
                &session,
                (id, None),
                &format!("{}#meldingen", group_page(id)),
                true,
                message.into(),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn leave(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    Path(group): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    // Also a member who never accepted the agreement may leave.
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::ReadGroup, true).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let delete = !field(&fields, "delete_contributions").is_empty();
    match groups::leave(&context.db, standing.group.id, viewer.user_id, delete).await {
        Ok(()) => Redirect::to("/intervisie").into_response(),
        // A facilitator is no member: they hand the group over instead.
        Err(ServiceError::NotFound) => error_page(AppError::InvalidInput(
            "Alleen leden kunnen een groep verlaten, een begeleider niet.".into(),
        )),
        Err(error) => error_page(error.into()),
    }
}

async fn add_series(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path(group): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::LeadGroup, false).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let id = standing.group.id;
    let form = SeriesForm {
        first_date: field(&fields, "first_date"),
        start: field(&fields, "start"),
        end: field(&fields, "end"),
        every_weeks: field(&fields, "every_weeks"),
        count: field(&fields, "count"),
        location: field(&fields, "location"),
        link: field(&fields, "link"),
    };
    let spec = match parse_series_form(&form) {
        Ok(spec) => spec,
        Err(errors) => {
            let sealer = match context.get::<Sealer>() {
                Ok(sealer) => sealer,
                Err(error) => return error_page(error),
            };
            let draft = (form, errors);
            return match put_sealed_draft(
                &session,
                &sealer,
                &series_scope(id),
                viewer.user_id,
                &draft,
            )
            .await
            {
                Ok(()) => {
                    Redirect::to(&format!("{}#bijeenkomsten", group_page(id))).into_response()
                }
                Err(error) => error_page(error),
            };
        }
    };
    match meetings::add_series(&context.db, id, &spec).await {
        Ok(count) => {
            with_notice(
                &session,
                (id, None),
                &format!("{}#bijeenkomsten", group_page(id)),
                true,
                format!("{count} bijeenkomsten gepland."),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn cancel_meeting(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, meeting)): Path<(String, String)>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::LeadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (id, Ok(meeting)) = (standing.group.id, meeting.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    match meetings::cancel_meeting(&context.db, id, meeting).await {
        Ok(()) => {
            with_notice(
                &session,
                (id, None),
                &format!("{}#bijeenkomsten", group_page(id)),
                true,
                "De bijeenkomst is afgelast.".into(),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn move_meeting(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, meeting)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::LeadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (id, Ok(meeting)) = (standing.group.id, meeting.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    let page = format!("{}/bijeenkomsten/{meeting}", group_page(id));
    let form = MoveMeetingForm {
        date: field(&fields, "date"),
        start: field(&fields, "start"),
        end: field(&fields, "end"),
    };
    let refused = |errors: FieldErrors| async {
        match move_form_flash(id, meeting)
            .put_in(&session, &(form.clone(), errors))
            .await
        {
            Ok(()) => Redirect::to(&page).into_response(),
            Err(error) => error_page(error),
        }
    };
    let slot = match parse_move_form(&form) {
        Ok(slot) => slot,
        Err(errors) => return refused(errors).await,
    };
    match meetings::move_meeting(&context.db, id, meeting, &slot, context.now()).await {
        Ok(()) => {
            with_notice(
                &session,
                (id, None),
                &page,
                true,
                "De bijeenkomst is verplaatst.".into(),
            )
            .await
        }
        Err(ServiceError::Invalid(message)) => {
            refused(FieldErrors::from([("date".to_owned(), message)])).await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn record_attendance(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, meeting)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::LeadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (id, Ok(meeting)) = (standing.group.id, meeting.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    // `status[<account id>]` = a slug of `Attendance`; anything else is ignored.
    let marks: Vec<(i32, Attendance)> = fields
        .iter()
        .filter_map(|(key, value)| {
            let user = key
                .strip_prefix("status[")?
                .strip_suffix(']')?
                .parse()
                .ok()?;
            Some((user, Attendance::from_slug(value)?))
        })
        .collect();
    let page = format!("{}/bijeenkomsten/{meeting}", group_page(id));
    match meetings::record_attendance(&context.db, id, meeting, &marks, context.now()).await {
        Ok(()) => {
            with_notice(
                &session,
                (id, None),
                &page,
                true,
                "De aanwezigheid is opgeslagen.".into(),
            )
            .await
        }
        Err(ServiceError::Invalid(message)) => {
            with_notice(&session, (id, None), &page, false, message).await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn join(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    Path(token): Path<String>,
) -> Response {
    let viewer = match &current.0 {
        None => return Redirect::to(&login_href(&format!("/uitnodiging/{token}"))).into_response(),
        Some(viewer) if !can(Some(viewer), Action::JoinGroup) => {
            return error_page(AppError::Forbidden);
        }
        Some(viewer) => viewer.clone(),
    };
    match groups::join(&context.db, &token, viewer.user_id, context.now()).await {
        Ok(group) => Redirect::to(&group_page(group)).into_response(),
        Err(ServiceError::Invalid(message)) => error_page(AppError::InvalidInput(message)),
        Err(error) => error_page(error.into()),
    }
}

/// The account's answer to a facilitator's invitation by address: accepted, it is a member
/// who accepts the agreement on opening the group; declined, nothing changes for the group.
async fn answer_invitation(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    Path((group, answer)): Path<(String, String)>,
) -> Response {
    let viewer = match &current.0 {
        None => return error_page(AppError::Unauthenticated),
        Some(viewer) if !can(Some(viewer), Action::JoinGroup) => {
            return error_page(AppError::Forbidden);
        }
        Some(viewer) => viewer.clone(),
    };
    let (Ok(group), Some(accept)) = (
        group.parse::<i32>(),
        match answer.as_str() {
            "aannemen" => Some(true),
            "afslaan" => Some(false),
            _ => None,
        },
    ) else {
        return error_page(AppError::NotFound);
    };
    match management::answer_invitation(&context.db, group, viewer.user_id, accept, context.now())
        .await
    {
        Ok(()) if accept => Redirect::to(&group_page(group)).into_response(),
        Ok(()) => Redirect::to("/intervisie").into_response(),
        Err(ServiceError::Invalid(message)) => error_page(AppError::InvalidInput(message)),
        Err(error) => error_page(error.into()),
    }
}

/// The facilitator invites an existing account by its e-mail address; the answer is the same
/// whether or not the address is known. Typing that is no address comes back in the field.
async fn invite_member(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path(group): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::LeadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let id = standing.group.id;
    let email = field(&fields, "email");
    let page = format!("{}#uitnodigen", group_page(id));
    match management::invite_account(&context.db, id, &email, context.now()).await {
        Ok(()) => {
            with_notice(
                &session,
                (id, None),
                &page,
                true,
                management::INVITED_BY_ADDRESS.into(),
            )
            .await
        }
        Err(ServiceError::Invalid(message)) => {
            let form = EmailForm {
                email,
                error: Some(message),
            };
            match member_form_flash(id).put_in(&session, &form).await {
                Ok(()) => Redirect::to(&page).into_response(),
                Err(error) => error_page(error),
            }
        }
        Err(error) => error_page(error.into()),
    }
}

async fn remove_member(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, user)): Path<(String, String)>,
) -> Response {
    let (_, standing) = match authorized(&context, &current, &group, Action::LeadGroup, false).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (id, Ok(user)) = (standing.group.id, user.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    match management::remove_member(&context.db, id, user).await {
        Ok(()) => {
            with_notice(
                &session,
                (id, None),
                &format!("{}#groep", group_page(id)),
                true,
                "Het lid is uit de groep gehaald.".into(),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

const ADMINISTRATION: &str = "/beheer/intervisie";

/// The admin behind a `/beheer/intervisie` post, and the group in its path.
fn administrator(current: &CurrentViewer, group: &str) -> Result<(Viewer, i32), Box<Response>> {
    match &current.0 {
        None => Err(Box::new(error_page(AppError::Unauthenticated))),
        Some(viewer) if !can(Some(viewer), Action::ManageGroups) => {
            Err(Box::new(error_page(AppError::Forbidden)))
        }
        Some(viewer) => group
            .parse()
            .map(|group| (viewer.clone(), group))
            .map_err(|_| Box::new(error_page(AppError::NotFound))),
    }
}

/// Back to the admins' page with the outcome of `result`; a refused form keeps what was typed.
async fn administered(
    session: &Session,
    result: Result<(), ServiceError>,
    done: &str,
    refused_form: Option<(i32, String)>,
) -> Response {
    let notice = match result {
        Ok(()) => IntervisionNotice {
            success: true,
            message: done.to_owned(),
        },
        Err(ServiceError::Invalid(message)) => {
            if let Some((group, email)) = refused_form {
                let form = EmailForm {
                    email,
                    error: Some(message),
                };
                return match facilitator_form_flash()
                    .put_in(session, &(group, form))
                    .await
                {
                    Ok(()) => {
                        Redirect::to(&format!("{ADMINISTRATION}#groep-{group}")).into_response()
                    }
                    Err(error) => error_page(error),
                };
            }
            IntervisionNotice {
                success: false,
                message,
            }
        }
        Err(error) => return error_page(error.into()),
    };
    match administration_flash().put_in(session, &notice).await {
        Ok(()) => Redirect::to(ADMINISTRATION).into_response(),
        Err(error) => error_page(error),
    }
}

async fn admin_add_facilitator(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path(group): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (admin, group) = match administrator(&current, &group) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let email = field(&fields, "email");
    let result =
        management::add_facilitator(&context.db, group, &email, admin.user_id, context.now()).await;
    administered(
        &session,
        result,
        "De begeleider is toegevoegd.",
        Some((group, email)),
    )
    .await
}

async fn admin_remove_facilitator(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, user)): Path<(String, String)>,
) -> Response {
    let (admin, group) = match administrator(&current, &group) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let Ok(user) = user.parse::<i32>() else {
        return error_page(AppError::NotFound);
    };
    let result =
        management::remove_facilitator(&context.db, group, user, admin.user_id, context.now())
            .await;
    administered(
        &session,
        result,
        "De begeleider is van de groep gehaald.",
        None,
    )
    .await
}

async fn admin_remove_member(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, user)): Path<(String, String)>,
) -> Response {
    let (admin, group) = match administrator(&current, &group) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let Ok(user) = user.parse::<i32>() else {
        return error_page(AppError::NotFound);
    };
    let result =
        management::admin_remove_member(&context.db, group, user, admin.user_id, context.now())
            .await;
    administered(&session, result, "Het lid is uit de groep gehaald.", None).await
}

/// The facilitator changes the agreement; a refused text comes back as typed.
async fn change_agreement(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path(group): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::LeadGroup, false).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let id = standing.group.id;
    let text = field(&fields, "agreement");
    let page = format!("{}#groep", group_page(id));
    match groups::change_agreement(&context.db, id, &text).await {
        Ok(version) => {
            with_notice(
                &session,
                (id, None),
                &page,
                true,
                format!(
                    "De afspraken zijn gewijzigd (versie {version}); elk lid bevestigt ze opnieuw voordat het verder kan."
                ),
            )
            .await
        }
        Err(ServiceError::Invalid(message)) => {
            let sealer = match context.get::<Sealer>() {
                Ok(sealer) => sealer,
                Err(error) => return error_page(error),
            };
            let draft = (text, message);
            match put_sealed_draft(&session, &sealer, &agreement_scope(id), viewer.user_id, &draft)
                .await
            {
                Ok(()) => Redirect::to(&page).into_response(),
                Err(error) => error_page(error),
            }
        }
        Err(error) => error_page(error.into()),
    }
}

/// A member or facilitator logs a note at a meeting; the guard refuses personal data and the
/// refused note waits, sealed, for the meeting's page.
async fn add_note(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, meeting)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::ReadGroup, false).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let (id, Ok(meeting)) = (standing.group.id, meeting.parse::<i32>()) else {
        return error_page(AppError::NotFound);
    };
    let sealer = match context.get::<Sealer>() {
        Ok(sealer) => sealer,
        Err(error) => return error_page(error),
    };
    let page = format!("{}/bijeenkomsten/{meeting}", group_page(id));
    let text = field(&fields, REPLY_FIELD);
    let note = match check_post(&text, !field(&fields, "not_names").is_empty()) {
        Ok(note) => note,
        Err(draft) => {
            let scope = note_scope(id, meeting);
            return match put_sealed_draft(&session, &sealer, &scope, viewer.user_id, &draft).await {
                Ok(()) => Redirect::to(&format!("{page}#notitie-schrijven")).into_response(),
                Err(error) => error_page(error),
            };
        }
    };
    match notes::add_note(
        &context.db,
        &sealer,
        id,
        meeting,
        viewer.user_id,
        &note,
        context.now(),
    )
    .await
    {
        Ok(note_id) => {
            with_notice(
                &session,
                (id, None),
                &format!("{page}#notitie-{note_id}"),
                true,
                "Uw notitie is opgeslagen.".into(),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}

async fn delete_note(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Path((group, meeting, note)): Path<(String, String, String)>,
) -> Response {
    let (viewer, standing) =
        match authorized(&context, &current, &group, Action::ReadGroup, false).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let (id, Ok(meeting), Ok(note)) = (
        standing.group.id,
        meeting.parse::<i32>(),
        note.parse::<i32>(),
    ) else {
        return error_page(AppError::NotFound);
    };
    match notes::delete_own_note(&context.db, id, meeting, note, viewer.user_id).await {
        Ok(()) => {
            with_notice(
                &session,
                (id, None),
                &format!("{}/bijeenkomsten/{meeting}#notities", group_page(id)),
                true,
                "Uw notitie is verwijderd.".into(),
            )
            .await
        }
        Err(error) => error_page(error.into()),
    }
}
