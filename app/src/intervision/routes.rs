//! Intervision actions as plain form posts (server only): start a group, invite, join, accept
//! the agreement, bring in a dilemma. Each ends in a redirect to the page it came from with
//! its outcome in a one-time flash, with and without JavaScript alike. The extractors of
//! `extract` authorize and load the group first; a handler returns `Answer` and uses `?`.

mod extract;

use axum::Router;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, extract::Extension};
use serde::Deserialize;
use tower_sessions::Session;

use crate::answer::{FramedAnswer, confirmed};
use crate::context::AppContext;
use crate::error::{AppError, FieldErrors, ServiceError};
use crate::flash::redirect_with;
use crate::identity::access::{Action, can};
use crate::identity::service::current::CurrentViewer;
use crate::intervision::api::server::{
    GROUP_FORM_SCOPE, administration_flash, agreement_scope, draft_scope, facilitator_form_flash,
    late_meeting_flash, member_form_flash, minutes_flash, move_form_flash, note_scope,
    notice_flash, put_sealed_draft, retention_flash, series_scope,
};
use crate::intervision::model::{
    ActionDraft, ActionStatus, Attendance, DilemmaForm, EmailForm, GroupForm, MoveMeetingForm,
    SeriesForm,
};
use crate::intervision::rules::{
    check_action, check_dilemma, check_post, parse_group_form, parse_move_form, parse_series_form,
};
use crate::intervision::service::sealing::Sealer;
use crate::intervision::service::{
    actions, agenda, dilemmas, groups, management, meetings, notes, posts,
};
use crate::notice::Notice;
use crate::paths::login_href;
use extract::{AnyMember, Facilitator, GroupAdmin, InGroup, Joiner, Member, Refused, id};

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
            "/intervisie/{group}/dilemmas/{dilemma}/bewerken",
            post(edit_dilemma),
        )
        .route(
            "/intervisie/{group}/dilemmas/{dilemma}/verwijderen",
            post(delete_dilemma),
        )
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
            "/intervisie/{group}/bijeenkomsten/{meeting}/herstellen",
            post(restore_meeting),
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
            "/intervisie/{group}/bijeenkomsten/{meeting}/agenda",
            post(add_to_agenda),
        )
        .route(
            "/intervisie/{group}/bijeenkomsten/{meeting}/agenda/{item}/verwijderen",
            post(remove_from_agenda),
        )
        .route(
            "/intervisie/{group}/bijeenkomsten/{meeting}/agenda/{item}/methode",
            post(start_from_agenda),
        )
        .route(
            "/intervisie/{group}/bijeenkomsten/{meeting}/notities/{note}/verwijderen",
            post(delete_note),
        )
        .route("/intervisie/{group}/verlaten", post(leave))
        .route("/intervisie/{group}/afsluiten", post(close_group))
        .route("/intervisie/{group}/bewaartermijn", post(change_retention))
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
        .route(
            "/beheer/intervisie/{group}/bijeenkomsten",
            post(admin_record_late_meeting),
        )
        .route("/uitnodiging/{token}", post(join))
}

type Answer = Result<Response, Refused>;

fn group_page(group: i32) -> String {
    format!("/intervisie/{group}")
}

fn dilemma_page(group: i32, dilemma: i32) -> String {
    format!("/intervisie/{group}/dilemmas/{dilemma}")
}

fn meeting_page(group: i32, meeting: i32) -> String {
    format!("/intervisie/{group}/bijeenkomsten/{meeting}")
}

/// The outcome for group `group`'s page (or one dilemma's), shown once at `location`.
async fn with_notice(
    session: &Session,
    (group, dilemma): (i32, Option<i32>),
    location: &str,
    success: bool,
    message: impl Into<String>,
) -> Answer {
    let notice = Notice {
        success,
        message: message.into(),
    };
    Ok(redirect_with(session, &notice_flash(group, dilemma), &notice, location).await?)
}

/// A refused text goes back to its form sealed (it may hold what the guard refused), never in
/// plain text in the session store.
async fn with_sealed_draft<T: serde::Serialize>(
    context: &AppContext,
    session: &Session,
    (scope, user_id): (&str, i32),
    draft: &T,
    location: &str,
) -> Answer {
    let sealer = context.get::<Sealer>()?;
    put_sealed_draft(session, &sealer, scope, user_id, draft).await?;
    Ok(Redirect::to(location).into_response())
}

/// A checkbox: present when ticked.
fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|value| !value.is_empty())
}

async fn create_group(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    session: Session,
    Form(form): Form<GroupForm>,
) -> Answer {
    let viewer = match &current.0 {
        None => return Err(AppError::Unauthenticated.into()),
        Some(viewer) if !can(Some(viewer), Action::CreateGroup) => {
            return Err(AppError::Forbidden.into());
        }
        Some(viewer) => viewer.clone(),
    };
    let spec = match parse_group_form(&form) {
        Ok(spec) => spec,
        Err(errors) => {
            let scope = (GROUP_FORM_SCOPE, viewer.user_id);
            let draft = (form, errors);
            return with_sealed_draft(
                &context,
                &session,
                scope,
                &draft,
                "/intervisie#nieuwe-groep",
            )
            .await;
        }
    };
    let id = groups::create_group(&context.db, &spec, viewer.user_id, context.now()).await?;
    with_notice(
        &session,
        (id, None),
        &group_page(id),
        true,
        "De groep is aangemaakt. Nodig de deelnemers uit met een link.",
    )
    .await
}

async fn invite(State(context): State<AppContext>, group: InGroup<Facilitator>) -> Answer {
    let id = group.id();
    let token = groups::create_invitation(&context.db, id, context.now()).await?;
    // The token is in this answer only: a flash would keep it in the session store.
    Ok(FramedAnswer::secret_link(
        "Uitnodigingslink",
        format!(
            "Geef deze link aan één deelnemer, bijvoorbeeld in een persoonlijk bericht. Hij werkt één keer en {} dagen lang, en wordt maar één keer getoond.",
            crate::intervision::model::INVITATION_DAYS
        ),
        format!("{}/uitnodiging/{token}", context.public_url),
        (&format!("{}#uitnodigen", group_page(id)), "Terug naar de groep"),
    )
    .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AgreementVersion {
    version: String,
}

async fn accept_agreement(
    State(context): State<AppContext>,
    group: InGroup<AnyMember>,
    session: Session,
    Form(form): Form<AgreementVersion>,
) -> Answer {
    let id = group.id();
    let version = form.version.parse::<i32>().unwrap_or(0);
    let accepted = groups::accept_agreement(
        &context.db,
        &group.standing.group,
        group.viewer.user_id,
        version,
        context.now(),
    )
    .await;
    match accepted {
        Ok(()) => {
            let message = "Welkom. U heeft de afspraken bevestigd.";
            with_notice(&session, (id, None), &group_page(id), true, message).await
        }
        Err(ServiceError::Invalid(message)) => {
            with_notice(&session, (id, None), &group_page(id), false, message).await
        }
        Err(error) => Err(error.into()),
    }
}

/// The dilemma form as posted: its free-text fields are named by `DilemmaField`'s slugs, and
/// each ticked practice theme comes as `themas[<slug>]`.
fn dilemma_form(fields: &[(String, String)]) -> DilemmaForm {
    use crate::intervision::model::{DilemmaField, THEMES_FIELD};
    DilemmaForm {
        work_field: field(fields, "work_field").to_owned(),
        phenomenon: field(fields, "phenomenon").to_owned(),
        texts: DilemmaField::ALL
            .into_iter()
            .map(|f| (f.slug().to_owned(), field(fields, f.slug()).to_owned()))
            .collect(),
        not_names: !field(fields, "not_names").is_empty(),
        themes: crate::answer::keyed_fields(fields, THEMES_FIELD)
            .map(|(theme, _)| theme.to_owned())
            .collect(),
    }
}

async fn bring_in_dilemma(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let (id, user) = (group.id(), group.viewer.user_id);
    let dilemma = match check_dilemma(&dilemma_form(&fields)) {
        Ok(dilemma) => dilemma,
        Err(draft) => {
            let location = format!("{}#dilemma-formulier", group_page(id));
            let scope = draft_scope(id, None);
            return with_sealed_draft(&context, &session, (&scope, user), &draft, &location).await;
        }
    };
    let sealer = context.get::<Sealer>()?;
    let dilemma_id =
        dilemmas::save_dilemma(&context.db, &sealer, id, user, &dilemma, context.now()).await?;
    with_notice(
        &session,
        (id, None),
        &format!("{}#dilemma-{dilemma_id}", group_page(id)),
        true,
        "Het dilemma is opgeslagen in het logboek van de groep.",
    )
    .await
}

/// The author completes or corrects their dilemma: the guard again, sealed again; refused,
/// the edit comes back as typed with the findings marked.
async fn edit_dilemma(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Path((_, dilemma)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let (id, user, dilemma) = (group.id(), group.viewer.user_id, id(&dilemma)?);
    let checked = match check_dilemma(&dilemma_form(&fields)) {
        Ok(checked) => checked,
        Err(draft) => {
            let location = format!("{}/bewerken", dilemma_page(id, dilemma));
            let scope = crate::intervision::api::server::edit_scope(id, dilemma);
            return with_sealed_draft(&context, &session, (&scope, user), &draft, &location).await;
        }
    };
    let sealer = context.get::<Sealer>()?;
    let changed = dilemmas::update_dilemma(
        &context.db,
        &sealer,
        id,
        dilemma,
        user,
        &checked,
        context.now(),
    )
    .await?;
    let message = if changed {
        "Het dilemma is bijgewerkt."
    } else {
        "Er was niets gewijzigd."
    };
    with_notice(
        &session,
        (id, Some(dilemma)),
        &dilemma_page(id, dilemma),
        true,
        message,
    )
    .await
}

/// The author deletes their dilemma (after the confirmation page), with its thread.
async fn delete_dilemma(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Path((_, dilemma)): Path<(String, String)>,
) -> Answer {
    let (id, user, dilemma) = (group.id(), group.viewer.user_id, id(&dilemma)?);
    dilemmas::delete_dilemma(&context.db, id, dilemma, user).await?;
    let message = "Het dilemma is verwijderd, met de reacties en actiepunten erbij.";
    with_notice(
        &session,
        (id, None),
        &format!("{}#logboek", group_page(id)),
        true,
        message,
    )
    .await
}

/// A reply under a dilemma, or a note at a meeting.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TextPost {
    /// `REPLY_FIELD`
    reactie: String,
    not_names: Option<String>,
}

async fn reply(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Path((_, dilemma)): Path<(String, String)>,
    Form(form): Form<TextPost>,
) -> Answer {
    let (id, user, dilemma) = (group.id(), group.viewer.user_id, id(&dilemma)?);
    let post = match check_post(&form.reactie, ticked(&form.not_names)) {
        Ok(post) => post,
        Err(draft) => {
            let location = format!("{}#reageren", dilemma_page(id, dilemma));
            let scope = draft_scope(id, Some(dilemma));
            return with_sealed_draft(&context, &session, (&scope, user), &draft, &location).await;
        }
    };
    let sealer = context.get::<Sealer>()?;
    let post_id = posts::add_post(
        &context.db,
        &sealer,
        id,
        dilemma,
        user,
        &post,
        context.now(),
    )
    .await?;
    with_notice(
        &session,
        (id, Some(dilemma)),
        &format!("{}#reactie-{post_id}", dilemma_page(id, dilemma)),
        true,
        "Uw reactie is geplaatst.",
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ActionPost {
    /// `ACTION_FIELD`
    actiepunt: String,
    owner: String,
    due_on: String,
    not_names: Option<String>,
}

async fn add_action(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Path((_, dilemma)): Path<(String, String)>,
    Form(form): Form<ActionPost>,
) -> Answer {
    let (id, user, dilemma) = (group.id(), group.viewer.user_id, id(&dilemma)?);
    let people: Vec<i32> = groups::people_with_ids(&context.db, id)
        .await?
        .into_iter()
        .map(|(person, _)| person)
        .collect();
    let draft = ActionDraft {
        text: form.actiepunt,
        owner: form.owner,
        due_on: form.due_on,
        ..ActionDraft::default()
    };
    let location = format!("{}#actiepunten", dilemma_page(id, dilemma));
    let action = match check_action(draft, ticked(&form.not_names), &people, context.today()) {
        Ok(action) => action,
        Err(draft) => {
            let scope = format!("{}/actie", draft_scope(id, Some(dilemma)));
            return with_sealed_draft(&context, &session, (&scope, user), &draft, &location).await;
        }
    };
    let sealer = context.get::<Sealer>()?;
    actions::add_action(
        &context.db,
        &sealer,
        id,
        dilemma,
        user,
        &action,
        context.now(),
    )
    .await?;
    with_notice(
        &session,
        (id, Some(dilemma)),
        &location,
        true,
        "Het actiepunt is toegevoegd; het staat in de opvolgronde van de volgende bijeenkomst.",
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StatusPost {
    status: String,
}

async fn set_action_status(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Path((_, action)): Path<(String, String)>,
    Form(form): Form<StatusPost>,
) -> Answer {
    let (id, action) = (group.id(), id(&action)?);
    let location = format!("{}#opvolgronde", group_page(id));
    let Some(status) = ActionStatus::from_slug(&form.status) else {
        let message = "Kies gedaan, loopt door of vervallen.";
        return with_notice(&session, (id, None), &location, false, message).await;
    };
    let actor = (group.viewer.user_id, group.standing.is_facilitator);
    let changed = actions::set_status(&context.db, id, action, status, actor).await;
    let message = format!("Actiepunt bijgewerkt: {}.", status.label().to_lowercase());
    done_or_refused(&session, (id, None), &location, changed, &message).await
}

/// A service's refusal as the page's notice; any other error as the framed error page.
async fn done_or_refused(
    session: &Session,
    scope: (i32, Option<i32>),
    location: &str,
    outcome: Result<impl Sized, ServiceError>,
    done: &str,
) -> Answer {
    match outcome {
        Ok(_) => with_notice(session, scope, location, true, done).await,
        Err(ServiceError::Invalid(message)) => {
            with_notice(session, scope, location, false, message).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MethodPost {
    method: String,
}

/// Starts a method for the dilemma; when one is already running, restarting it or switching
/// to another asks first (the step the group is at is lost).
async fn start_method(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, dilemma)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let (id, dilemma) = (group.id(), id(&dilemma)?);
    let location = format!("{}#methode", dilemma_page(id, dilemma));
    let method = field(&fields, "method");
    let running = dilemmas::method_of(&context.db, id, dilemma).await?;
    if let Some(running) = running.filter(|_| !confirmed(&fields))
        && crate::intervision::rules::methods::method(method).is_some()
    {
        let chosen =
            crate::intervision::rules::methods::method(method).map_or(method, |chosen| chosen.name);
        let message = if running.slug == method {
            format!(
                "Wilt u de {} opnieuw beginnen, bij de eerste stap? Waar de groep nu is, gaat verloren. Nu: {}",
                running.name.to_lowercase(),
                running.status_nl()
            )
        } else {
            format!(
                "Wilt u overstappen van de {} op de {}? Die begint bij de eerste stap; waar de groep nu is, gaat verloren. Nu: {}",
                running.name.to_lowercase(),
                chosen.to_lowercase(),
                running.status_nl()
            )
        };
        return Ok(FramedAnswer::confirmation(
            "Methode opnieuw beginnen of wisselen",
            message,
            format!("{}/methode", dilemma_page(id, dilemma)),
            fields,
            "Ja, zo beginnen",
            (&location, "Nee, terug naar het dilemma"),
        )
        .into_response());
    }
    let started = agenda::start_method(&context.db, id, dilemma, method, context.now()).await;
    let scope = (id, Some(dilemma));
    done_or_refused(
        &session,
        scope,
        &location,
        started,
        "De methode is gestart.",
    )
    .await
}

/// The value of the posted field `name` ("" when absent).
fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AgendaPost {
    dilemma: String,
}

/// The facilitator puts a dilemma on the meeting's agenda.
async fn add_to_agenda(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, meeting)): Path<(String, String)>,
    Form(form): Form<AgendaPost>,
) -> Answer {
    let (id, meeting) = (group.id(), id(&meeting)?);
    let location = format!("{}#agenda", meeting_page(id, meeting));
    let added = match form.dilemma.trim().parse::<i32>() {
        Ok(dilemma) => {
            agenda::add_to_agenda(&context.db, id, meeting, dilemma, context.now()).await
        }
        Err(_) => Err(ServiceError::Invalid("Kies een dilemma.".into())),
    };
    let done = "Het dilemma staat op de agenda.";
    done_or_refused(&session, (id, None), &location, added, done).await
}

async fn remove_from_agenda(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, meeting, item)): Path<(String, String, String)>,
) -> Answer {
    let (id, meeting, item) = (group.id(), id(&meeting)?, id(&item)?);
    let location = format!("{}#agenda", meeting_page(id, meeting));
    let removed = agenda::remove_from_agenda(&context.db, id, meeting, item).await;
    let done = "Het dilemma is van de agenda gehaald.";
    done_or_refused(&session, (id, None), &location, removed, done).await
}

/// The method runner, started from the agenda for this meeting and dilemma: on to the
/// dilemma's page, where the group follows the steps.
async fn start_from_agenda(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, meeting, item)): Path<(String, String, String)>,
    Form(form): Form<MethodPost>,
) -> Answer {
    let (id, meeting, item) = (group.id(), id(&meeting)?, id(&item)?);
    let started =
        agenda::start_from_agenda(&context.db, id, meeting, item, &form.method, context.now())
            .await;
    match started {
        Ok(dilemma) => {
            let location = format!("{}#methode", dilemma_page(id, dilemma));
            with_notice(
                &session,
                (id, Some(dilemma)),
                &location,
                true,
                "De methode is gestart.",
            )
            .await
        }
        Err(ServiceError::Invalid(message)) => {
            let location = format!("{}#agenda", meeting_page(id, meeting));
            with_notice(&session, (id, None), &location, false, message).await
        }
        Err(error) => Err(error.into()),
    }
}

/// The facilitator's minutes per step for this meeting; refused minutes come back as typed.
/// The form repeats one field per step (`minutes`), which only a list of pairs keeps in order.
async fn set_minutes(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, dilemma)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let (id, dilemma) = (group.id(), id(&dilemma)?);
    let location = format!("{}#methode", dilemma_page(id, dilemma));
    let typed: Vec<String> = fields
        .into_iter()
        .filter(|(key, _)| key == "minutes")
        .map(|(_, value)| value)
        .collect();
    match dilemmas::set_minutes(&context.db, id, dilemma, &typed).await {
        Ok(()) => {
            let message = "De minuten voor deze bijeenkomst zijn aangepast.";
            with_notice(&session, (id, Some(dilemma)), &location, true, message).await
        }
        Err(ServiceError::Invalid(message)) => {
            let flash = minutes_flash(id, dilemma);
            Ok(redirect_with(&session, &flash, &(typed, message), &location).await?)
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StepPost {
    richting: String,
}

async fn move_step(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, dilemma)): Path<(String, String)>,
    Form(form): Form<StepPost>,
) -> Answer {
    let (id, dilemma) = (group.id(), id(&dilemma)?);
    let location = format!("{}#methode", dilemma_page(id, dilemma));
    let forward = form.richting != "terug";
    match dilemmas::move_step(&context.db, id, dilemma, forward, context.now()).await {
        Ok(_) => Ok(Redirect::to(&location).into_response()),
        Err(ServiceError::Invalid(message)) => {
            with_notice(&session, (id, Some(dilemma)), &location, false, message).await
        }
        Err(error) => Err(error.into()),
    }
}

async fn delete_post(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Path((_, dilemma, post)): Path<(String, String, String)>,
) -> Answer {
    let (group_id, user) = (group.id(), group.viewer.user_id);
    let (dilemma, post) = (id(&dilemma)?, id(&post)?);
    posts::delete_own_post(&context.db, group_id, dilemma, post, user).await?;
    let location = dilemma_page(group_id, dilemma);
    let message = "Uw reactie is verwijderd.";
    with_notice(
        &session,
        (group_id, Some(dilemma)),
        &location,
        true,
        message,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NotifyPost {
    notify: String,
}

async fn set_notify(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Form(form): Form<NotifyPost>,
) -> Answer {
    let id = group.id();
    let on = form.notify == "aan";
    posts::set_notify(&context.db, id, group.viewer.user_id, on).await?;
    let message = if on {
        "U krijgt weer een e-mail als er nieuws is in deze groep."
    } else {
        "U krijgt geen e-mail meer over nieuws in deze groep."
    };
    let location = format!("{}#meldingen", group_page(id));
    with_notice(&session, (id, None), &location, true, message).await
}

/// Also a member who never accepted the agreement may leave; it asks first (a page, so it
/// works without JavaScript), and says afterwards that it is done.
async fn leave(
    State(context): State<AppContext>,
    group: InGroup<AnyMember>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let delete = fields
        .iter()
        .any(|(name, value)| name == "delete_contributions" && value == "on");
    // A facilitator is no member: they hand the group over instead.
    if !group.standing.is_member {
        return Err(AppError::InvalidInput(
            "Alleen leden kunnen een groep verlaten, een begeleider niet.".into(),
        )
        .into());
    }
    if !confirmed(&fields) {
        let message = if delete {
            "Wilt u deze groep verlaten? Uw dilemma's en reacties in de groep worden ook verwijderd; dat kan niet ongedaan worden gemaakt."
        } else {
            "Wilt u deze groep verlaten? Uw dilemma's en reacties blijven voor de groep staan, zonder uw naam als u uw account later laat verwijderen."
        };
        return Ok(FramedAnswer::confirmation(
            "Groep verlaten",
            message.to_owned(),
            format!("{}/verlaten", group_page(group.id())),
            fields,
            "Ja, groep verlaten",
            (&group_page(group.id()), "Nee, in de groep blijven"),
        )
        .into_response());
    }
    match groups::leave(&context.db, group.id(), group.viewer.user_id, delete).await {
        Ok(()) => Ok(FramedAnswer::done(
            "U heeft de groep verlaten",
            "U bent geen lid meer van de groep; haar pagina's zijn voor u gesloten.".to_owned(),
            ("/intervisie", "Naar mijn intervisiegroepen"),
        )
        .into_response()),
        // A facilitator is no member: they hand the group over instead.
        Err(ServiceError::NotFound) => Err(AppError::InvalidInput(
            "Alleen leden kunnen een groep verlaten, een begeleider niet.".into(),
        )
        .into()),
        Err(error) => Err(error.into()),
    }
}

async fn add_series(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Form(form): Form<SeriesForm>,
) -> Answer {
    let id = group.id();
    let location = format!("{}#bijeenkomsten", group_page(id));
    let spec = match parse_series_form(&form) {
        Ok(spec) => spec,
        Err(errors) => {
            let scope = series_scope(id);
            let draft = (form, errors);
            let user = group.viewer.user_id;
            return with_sealed_draft(&context, &session, (&scope, user), &draft, &location).await;
        }
    };
    match meetings::add_series(&context.db, id, &spec, context.now()).await {
        Ok(count) => {
            let message = format!("{count} bijeenkomsten gepland.");
            with_notice(&session, (id, None), &location, true, message).await
        }
        // Too far back, or overlapping: at the first date, with the form as typed.
        Err(ServiceError::Fields(errors)) => {
            let scope = series_scope(id);
            let draft = (form, errors);
            let user = group.viewer.user_id;
            with_sealed_draft(&context, &session, (&scope, user), &draft, &location).await
        }
        Err(error) => Err(error.into()),
    }
}

/// Cancelling asks first (a page, so it works without JavaScript); a cancelled meeting that
/// lies ahead can be restored.
async fn cancel_meeting(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, meeting)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let (id, meeting) = (group.id(), id(&meeting)?);
    if !confirmed(&fields) {
        let row = meetings::find_meeting(&context.db, id, meeting).await?;
        let back = format!("{}#bijeenkomsten", group_page(id));
        return Ok(FramedAnswer::confirmation(
            "Bijeenkomst afgelasten",
            format!(
                "Wilt u de bijeenkomst van {} afgelasten? Zolang ze nog moet komen, kunt u haar daarna herstellen.",
                meetings::when_nl(&row)
            ),
            format!("{}/afgelasten", meeting_page(id, meeting)),
            fields,
            "Ja, afgelasten",
            (&back, "Nee, terug naar de groep"),
        )
        .into_response());
    }
    meetings::cancel_meeting(&context.db, id, meeting, context.now()).await?;
    let location = format!("{}#bijeenkomsten", group_page(id));
    let message = "De bijeenkomst is afgelast.";
    with_notice(&session, (id, None), &location, true, message).await
}

/// The facilitator changes the retention period: a wrong number comes back at the field; a
/// shorter period asks first, saying what goes at once.
async fn change_retention(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    use crate::intervision::service::retention::{self, RetentionChanged};
    let id = group.id();
    let location = format!("{}#bijeenkomsten", group_page(id));
    let typed = field(&fields, "months").to_owned();
    let months = match crate::intervision::rules::parse_retention(&typed) {
        Ok(months) => months,
        Err(message) => {
            let flash = retention_flash(id);
            return Ok(redirect_with(&session, &flash, &(typed, message), &location).await?);
        }
    };
    let current = u32::try_from(group.standing.group.retention_months).unwrap_or(0);
    if months < current && !confirmed(&fields) {
        let (dilemmas, meetings) =
            retention::shortening_removes(&context.db, id, months, context.now()).await?;
        return Ok(FramedAnswer::confirmation(
            "Bewaartermijn verkorten",
            format!(
                "Wilt u de bewaartermijn verkorten van {current} naar {months} maanden? Dat geldt meteen voor alles wat er staat: nu verdwijnen {dilemmas} dilemma's (met hun reacties en actiepunten) en de notities van {meetings} bijeenkomsten. Dat kan niet ongedaan worden gemaakt."
            ),
            format!("{}/bewaartermijn", group_page(id)),
            fields,
            "Ja, verkorten",
            (&location, "Nee, terug naar de groep"),
        )
        .into_response());
    }
    let message = match retention::change_retention(&context.db, id, months, context.now()).await? {
        RetentionChanged::Unchanged => {
            "De bewaartermijn was al zo; er is niets gewijzigd.".to_owned()
        }
        RetentionChanged::Longer => format!(
            "De bewaartermijn is nu {months} maanden, voor wat vanaf nu wordt geschreven; wat er al stond, houdt zijn kortere termijn."
        ),
        RetentionChanged::Shorter { purged } => {
            format!("De bewaartermijn is nu {months} maanden; {purged} dilemma's zijn verwijderd.")
        }
    };
    with_notice(&session, (id, None), &location, true, message).await
}

/// The facilitator closes the group, after a confirmation page.
async fn close_group(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let id = group.id();
    if !confirmed(&fields) {
        return Ok(FramedAnswer::confirmation(
            "Groep afsluiten",
            "Wilt u deze groep afsluiten? Daarna kan iedereen in de groep nog lezen wat er staat, maar komt er niets meer bij: geen dilemma's, reacties, notities of bijeenkomsten. De bijeenkomsten die nog moesten komen, worden afgelast en de leden krijgen daarvan bericht. De bewaartermijn loopt gewoon door.".to_owned(),
            format!("{}/afsluiten", group_page(id)),
            fields,
            "Ja, groep afsluiten",
            (&group_page(id), "Nee, terug naar de groep"),
        )
        .into_response());
    }
    management::close_group(&context.db, id, context.now()).await?;
    let message =
        "De groep is afgesloten; wat er staat, blijft te lezen tot de bewaartermijn verstrijkt.";
    with_notice(&session, (id, None), &group_page(id), true, message).await
}

async fn restore_meeting(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, meeting)): Path<(String, String)>,
) -> Answer {
    let (id, meeting) = (group.id(), id(&meeting)?);
    let restored = meetings::restore_meeting(&context.db, id, meeting, context.now()).await;
    let location = format!("{}#bijeenkomsten", group_page(id));
    let done = "De bijeenkomst is hersteld.";
    done_or_refused(&session, (id, None), &location, restored, done).await
}

async fn move_meeting(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, meeting)): Path<(String, String)>,
    Form(form): Form<MoveMeetingForm>,
) -> Answer {
    let (id, meeting) = (group.id(), id(&meeting)?);
    let location = meeting_page(id, meeting);
    let errors = match parse_move_form(&form) {
        Ok(slot) => {
            match meetings::move_meeting(&context.db, id, meeting, &slot, context.now()).await {
                Ok(()) => {
                    let message = "De bijeenkomst is verplaatst.";
                    return with_notice(&session, (id, None), &location, true, message).await;
                }
                Err(ServiceError::Invalid(message)) => {
                    FieldErrors::from([("date".to_owned(), message)])
                }
                Err(error) => return Err(error.into()),
            }
        }
        Err(errors) => errors,
    };
    let flash = move_form_flash(id, meeting);
    Ok(redirect_with(&session, &flash, &(form, errors), &location).await?)
}

/// `status[<account id>]` = a slug of `Attendance` per member, so the form's field names are
/// only known at run time: a list of pairs; anything else is ignored.
async fn record_attendance(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, meeting)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let (id, meeting) = (group.id(), id(&meeting)?);
    let marks: Vec<(i32, Attendance)> = crate::answer::keyed_fields(&fields, "status")
        .filter_map(|(user, value)| Some((user.parse().ok()?, Attendance::from_slug(value)?)))
        .collect();
    let recorded =
        meetings::record_attendance(&context.db, id, meeting, &marks, context.now()).await;
    let location = meeting_page(id, meeting);
    let done = "De aanwezigheid is opgeslagen.";
    done_or_refused(&session, (id, None), &location, recorded, done).await
}

async fn join(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    Path(token): Path<String>,
) -> Answer {
    let viewer = match &current.0 {
        None => {
            let login = login_href(&format!("/uitnodiging/{token}"));
            return Ok(Redirect::to(&login).into_response());
        }
        Some(viewer) if !can(Some(viewer), Action::JoinGroup) => {
            return Err(AppError::Forbidden.into());
        }
        Some(viewer) => viewer.clone(),
    };
    match groups::join(&context.db, &token, viewer.user_id, context.now()).await {
        Ok(group) => Ok(Redirect::to(&group_page(group)).into_response()),
        Err(ServiceError::Invalid(message)) => Err(AppError::InvalidInput(message).into()),
        Err(error) => Err(error.into()),
    }
}

/// The account's answer to a facilitator's invitation by address: accepted, it is a member
/// who accepts the agreement on opening the group; declined, nothing changes for the group.
async fn answer_invitation(
    State(context): State<AppContext>,
    Joiner(viewer): Joiner,
    Path((group, answer)): Path<(String, String)>,
) -> Answer {
    let group = id(&group)?;
    let accept = match answer.as_str() {
        "aannemen" => true,
        "afslaan" => false,
        _ => return Err(AppError::NotFound.into()),
    };
    let answered =
        management::answer_invitation(&context.db, group, viewer.user_id, accept, context.now())
            .await;
    match answered {
        Ok(()) if accept => Ok(Redirect::to(&group_page(group)).into_response()),
        Ok(()) => Ok(Redirect::to("/intervisie").into_response()),
        Err(ServiceError::Invalid(message)) => Err(AppError::InvalidInput(message).into()),
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailPost {
    email: String,
}

/// The facilitator invites an existing account by its e-mail address; the answer is the same
/// whether or not the address is known. Typing that is no address comes back in the field.
async fn invite_member(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Form(EmailPost { email }): Form<EmailPost>,
) -> Answer {
    let id = group.id();
    let location = format!("{}#uitnodigen", group_page(id));
    match management::invite_account(&context.db, id, &email, context.now()).await {
        Ok(()) => {
            let message = management::INVITED_BY_ADDRESS;
            with_notice(&session, (id, None), &location, true, message).await
        }
        Err(ServiceError::Invalid(message)) => {
            let form = EmailForm {
                email,
                error: Some(message),
            };
            Ok(redirect_with(&session, &member_form_flash(id), &form, &location).await?)
        }
        Err(error) => Err(error.into()),
    }
}

async fn remove_member(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Path((_, user)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let (id, user) = (group.id(), id(&user)?);
    if !confirmed(&fields) {
        let members = groups::member_ids(&context.db, id, groups::Reach::Everyone).await?;
        if !members.contains(&user) {
            return Err(AppError::NotFound.into());
        }
        let name = crate::identity::service::labels::account_labels(&context.db, [user])
            .await?
            .remove(&user)
            .unwrap_or_default();
        let back = format!("{}#groep", group_page(id));
        return Ok(FramedAnswer::confirmation(
            "Lid uit de groep halen",
            format!(
                "Wilt u {name} uit de groep halen? Wat {name} schreef, blijft voor de groep staan."
            ),
            format!("{}/leden/{user}/verwijderen", group_page(id)),
            fields,
            "Ja, uit de groep halen",
            (&back, "Nee, terug naar de groep"),
        )
        .into_response());
    }
    management::remove_member(&context.db, id, user).await?;
    let location = format!("{}#groep", group_page(id));
    let message = "Het lid is uit de groep gehaald.";
    with_notice(&session, (id, None), &location, true, message).await
}

/// Back to the admins' page with the outcome of `result`; a refused form keeps what was typed.
async fn administered(
    context: &AppContext,
    session: &Session,
    group: i32,
    result: Result<(), ServiceError>,
    done: &str,
    refused_email: Option<String>,
) -> Answer {
    // Back to the page of the list that holds the group, at the group.
    let location = management::group_location(&context.db, group).await?;
    let notice = match result {
        Ok(()) => Notice::done(done),
        Err(ServiceError::Invalid(message)) => {
            if let Some(email) = refused_email {
                let form = EmailForm {
                    email,
                    error: Some(message),
                };
                let flash = facilitator_form_flash();
                return Ok(redirect_with(session, &flash, &(group, form), &location).await?);
            }
            Notice::refused(message)
        }
        Err(error) => return Err(error.into()),
    };
    Ok(redirect_with(session, &administration_flash(), &notice, &location).await?)
}

async fn admin_add_facilitator(
    State(context): State<AppContext>,
    admin: GroupAdmin,
    session: Session,
    Form(EmailPost { email }): Form<EmailPost>,
) -> Answer {
    let (group, user) = (admin.group, admin.viewer.user_id);
    let added = management::add_facilitator(&context.db, group, &email, user, context.now()).await;
    let done = "De begeleider is toegevoegd.";
    administered(&context, &session, group, added, done, Some(email)).await
}

async fn admin_remove_facilitator(
    State(context): State<AppContext>,
    admin: GroupAdmin,
    session: Session,
    Path((_, user)): Path<(String, String)>,
) -> Answer {
    let (group, user, acting) = (admin.group, id(&user)?, admin.viewer.user_id);
    let removed =
        management::remove_facilitator(&context.db, group, user, acting, context.now()).await;
    let done = "De begeleider is van de groep gehaald.";
    administered(&context, &session, group, removed, done, None).await
}

async fn admin_remove_member(
    State(context): State<AppContext>,
    admin: GroupAdmin,
    session: Session,
    Path((_, user)): Path<(String, String)>,
) -> Answer {
    let (group, user, acting) = (admin.group, id(&user)?, admin.viewer.user_id);
    let removed =
        management::admin_remove_member(&context.db, group, user, acting, context.now()).await;
    let done = "Het lid is uit de groep gehaald.";
    administered(&context, &session, group, removed, done, None).await
}

/// An admin records a meeting afterwards (beyond the facilitator's 14 days), with a reason;
/// every refusal comes back at its field with what was typed.
async fn admin_record_late_meeting(
    State(context): State<AppContext>,
    admin: GroupAdmin,
    session: Session,
    Form(form): Form<crate::intervision::model::LateMeetingForm>,
) -> Answer {
    let group = admin.group;
    let recorded = match crate::intervision::rules::parse_late_meeting_form(&form) {
        Ok((slot, reason)) => {
            let user = admin.viewer.user_id;
            meetings::record_late_meeting(&context.db, group, &slot, &reason, user, context.now())
                .await
        }
        Err(errors) => Err(ServiceError::Fields(errors)),
    };
    match recorded {
        Ok(_) => {
            let done = "De bijeenkomst is vastgelegd; de begeleider kan nu 30 dagen de aanwezigheid invullen.";
            administered(&context, &session, group, Ok(()), done, None).await
        }
        Err(ServiceError::Fields(errors)) => {
            let location = management::group_location(&context.db, group).await?;
            let flash = late_meeting_flash();
            Ok(redirect_with(&session, &flash, &(group, form, errors), &location).await?)
        }
        Err(error) => administered(&context, &session, group, Err(error), "", None).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AgreementPost {
    agreement: String,
}

/// The facilitator changes the agreement; a refused text comes back as typed.
async fn change_agreement(
    State(context): State<AppContext>,
    group: InGroup<Facilitator>,
    session: Session,
    Form(AgreementPost { agreement }): Form<AgreementPost>,
) -> Answer {
    let id = group.id();
    let location = format!("{}#groep", group_page(id));
    match groups::change_agreement(&context.db, id, &agreement, context.now()).await {
        Ok(version) => {
            let message = format!(
                "De afspraken zijn gewijzigd (versie {version}); elk lid bevestigt ze opnieuw voordat het verder kan."
            );
            with_notice(&session, (id, None), &location, true, message).await
        }
        Err(ServiceError::Invalid(message)) => {
            let scope = agreement_scope(id);
            let draft = (agreement, message);
            let user = group.viewer.user_id;
            with_sealed_draft(&context, &session, (&scope, user), &draft, &location).await
        }
        Err(error) => Err(error.into()),
    }
}

/// A member or facilitator logs a note at a meeting; the guard refuses personal data and the
/// refused note waits, sealed, for the meeting's page.
async fn add_note(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Path((_, meeting)): Path<(String, String)>,
    Form(form): Form<TextPost>,
) -> Answer {
    let (id, user, meeting) = (group.id(), group.viewer.user_id, id(&meeting)?);
    let page = meeting_page(id, meeting);
    let note = match check_post(&form.reactie, ticked(&form.not_names)) {
        Ok(note) => note,
        Err(draft) => {
            let scope = note_scope(id, meeting);
            let location = format!("{page}#notitie-schrijven");
            return with_sealed_draft(&context, &session, (&scope, user), &draft, &location).await;
        }
    };
    let sealer = context.get::<Sealer>()?;
    let note_id = notes::add_note(
        &context.db,
        &sealer,
        id,
        meeting,
        user,
        &note,
        context.now(),
    )
    .await?;
    let location = format!("{page}#notitie-{note_id}");
    with_notice(
        &session,
        (id, None),
        &location,
        true,
        "Uw notitie is opgeslagen.",
    )
    .await
}

async fn delete_note(
    State(context): State<AppContext>,
    group: InGroup<Member>,
    session: Session,
    Path((_, meeting, note)): Path<(String, String, String)>,
) -> Answer {
    let (group_id, user) = (group.id(), group.viewer.user_id);
    let (meeting, note) = (id(&meeting)?, id(&note)?);
    notes::delete_own_note(&context.db, group_id, meeting, note, user).await?;
    let location = format!("{}#notities", meeting_page(group_id, meeting));
    let message = "Uw notitie is verwijderd.";
    with_notice(&session, (group_id, None), &location, true, message).await
}
