//! Server functions of the intervision domain: reading one's groups, a group, a dilemma and an
//! invitation. Changes are plain form posts to the domain's routes (`routes.rs`), so they work
//! the same with and without JavaScript.

use leptos::prelude::*;

use crate::error::AppError;
use crate::intervision::model::{
    DilemmaView, GroupAdministration, GroupPage, IntervisionOverview, InvitationState,
};

/// The viewer's groups, and the new-group form (with a refused draft, if one just came back).
#[server(endpoint = "my_intervision_groups")]
pub async fn my_intervision_groups() -> Result<IntervisionOverview, AppError> {
    use crate::identity::access::{Action, can};
    let viewer = crate::identity::service::current::authorize_user(Action::JoinGroup).await?;
    let context = crate::context::app_context()?;
    let groups =
        crate::intervision::service::groups::my_groups(&context.db, viewer.user_id).await?;
    // Without a key nothing can be sealed, so no refused form waits either.
    let (form, errors): (
        crate::intervision::model::GroupForm,
        crate::error::FieldErrors,
    ) = match context.get::<crate::intervision::service::sealing::Sealer>() {
        Ok(sealer) => server::take_sealed_draft(&sealer, server::GROUP_FORM_SCOPE, viewer.user_id)
            .await?
            .unwrap_or_default(),
        Err(_) => Default::default(),
    };
    let invitations = crate::intervision::service::management::open_invitations(
        &context.db,
        viewer.user_id,
        context.now(),
    )
    .await?;
    Ok(IntervisionOverview {
        groups,
        invitations,
        can_create: can(Some(&viewer), Action::CreateGroup),
        form,
        errors,
    })
}

/// Group `group` as the viewer may see it: the agreement for a member who has not accepted
/// its current version, everything inside for members and facilitators, 404 for anyone else.
#[server(endpoint = "get_group")]
pub async fn get_group(
    group: i32,
    #[server(default)] logboek: Option<u64>,
) -> Result<GroupPage, AppError> {
    use crate::identity::access::{Action, Relation};
    use crate::intervision::model::{AgreementToAccept, GroupView};
    use crate::intervision::service::{access, dilemmas, groups};
    let context = crate::context::app_context()?;
    let viewer = crate::identity::service::current::current_viewer().await;
    let (viewer, standing) =
        access::authorize_group(&context.db, viewer.as_ref(), group, Action::ReadGroup, true)
            .await?;
    let notice = server::notice_flash(group, None).take().await?;
    if standing.relation() == Relation::Unrelated {
        return Ok(GroupPage::Agreement {
            id: standing.group.id,
            name: standing.group.name.clone(),
            agreement: AgreementToAccept {
                version: standing.group.agreement_version,
                text: standing.group.agreement_text.clone(),
                changed: standing.accepted_version.is_some(),
            },
            notice,
        });
    }
    let sealer = context.get::<crate::intervision::service::sealing::Sealer>()?;
    let draft =
        server::take_sealed_draft(&sealer, &server::draft_scope(group, None), viewer.user_id)
            .await?
            .unwrap_or_default();
    let notify =
        crate::intervision::service::posts::notifies(&context.db, group, viewer.user_id).await?;
    let meetings =
        crate::intervision::service::meetings::meetings_of(&context.db, group, context.now())
            .await?;
    let follow_up =
        crate::intervision::service::actions::follow_up(&context.db, &sealer, group).await?;
    let mut follow_up = follow_up;
    for action in &mut follow_up {
        action.may_change = standing.is_facilitator || action.owner_id == Some(viewer.user_id);
    }
    let (series_form, series_errors) = if standing.is_facilitator {
        server::take_sealed_draft(&sealer, &server::series_scope(group), viewer.user_id)
            .await?
            .unwrap_or_default()
    } else {
        Default::default()
    };
    let member_form = if standing.is_facilitator {
        server::member_form_flash(group)
            .take()
            .await?
            .unwrap_or_default()
    } else {
        Default::default()
    };
    let agreement_draft = if standing.is_facilitator {
        server::take_sealed_draft(&sealer, &server::agreement_scope(group), viewer.user_id).await?
    } else {
        None
    };
    let retention_draft = if standing.is_facilitator {
        server::retention_flash(group).take().await?
    } else {
        None
    };
    let (facilitators, members) = groups::people(&context.db, group).await?;
    let log_page = logboek.unwrap_or(1).max(1);
    let (dilemmas, log_pages) =
        dilemmas::list_dilemmas(&context.db, &sealer, group, viewer.user_id, log_page).await?;
    Ok(GroupPage::Inside(Box::new(GroupView {
        id: standing.group.id,
        name: standing.group.name.clone(),
        is_facilitator: standing.is_facilitator,
        agreement_version: standing.group.agreement_version,
        agreement: standing.group.agreement_text.clone(),
        facilitators,
        members,
        dilemmas,
        log_page: log_page.min(log_pages),
        log_pages,
        draft,
        notice,
        notify,
        meetings,
        follow_up,
        series_form,
        series_errors,
        member_form,
        agreement_draft,
        retention_months: u32::try_from(standing.group.retention_months).unwrap_or(0),
        retention_draft,
        closed_on: standing
            .group
            .closed_at
            .map(|at| crate::dates::format_date_nl(crate::dates::amsterdam_date(at))),
    })))
}

/// The author's own dilemma in its form, to complete or correct it (a refused edit comes
/// back as typed); "not found" for anyone else.
#[server(endpoint = "get_dilemma_edit")]
pub async fn get_dilemma_edit(
    group: i32,
    dilemma: i32,
) -> Result<crate::intervision::model::DilemmaEdit, AppError> {
    use crate::intervision::service::{dilemmas, sealing::Sealer};
    let (context, viewer, standing) = server::reader_of(group).await?;
    let sealer = context.get::<Sealer>()?;
    let form =
        dilemmas::own_dilemma_form(&context.db, &sealer, group, dilemma, viewer.user_id).await?;
    let scope = server::edit_scope(group, dilemma);
    let draft = match server::take_sealed_draft(&sealer, &scope, viewer.user_id).await? {
        Some(draft) => draft,
        None => crate::intervision::model::DilemmaDraft {
            form,
            ..Default::default()
        },
    };
    Ok(crate::intervision::model::DilemmaEdit {
        group_id: group,
        group_name: standing.group.name.clone(),
        dilemma_id: dilemma,
        draft,
    })
}

/// One dilemma, for the group's members and facilitators; the read is recorded.
#[server(endpoint = "get_dilemma")]
pub async fn get_dilemma(
    group: i32,
    dilemma: i32,
    #[server(default)] gelezen: Option<u64>,
) -> Result<DilemmaView, AppError> {
    use crate::intervision::service::{dilemmas, sealing::Sealer};
    let (context, viewer, standing) = server::reader_of(group).await?;
    let sealer = context.get::<Sealer>()?;
    let mut view = dilemmas::open_dilemma(
        &context.db,
        &sealer,
        &standing,
        dilemma,
        viewer.user_id,
        gelezen.unwrap_or(1),
        context.now(),
    )
    .await?;
    let scope = server::draft_scope(group, Some(dilemma));
    if let Some(draft) = server::take_sealed_draft(&sealer, &scope, viewer.user_id).await? {
        view.reply = draft;
    }
    if view.leads {
        view.minutes_draft = server::minutes_flash(group, dilemma).take().await?;
    }
    let action_scope = format!("{scope}/actie");
    if let Some(draft) = server::take_sealed_draft(&sealer, &action_scope, viewer.user_id).await? {
        view.action_draft = draft;
    }
    view.action_points =
        crate::intervision::service::actions::of_dilemma(&context.db, &sealer, dilemma).await?;
    view.people = crate::intervision::service::groups::people_with_ids(&context.db, group).await?;
    view.notice = server::notice_flash(group, Some(dilemma)).take().await?;
    Ok(view)
}

/// Where the dilemma's method stands: `(method slug, step, the line every member's screen
/// shows)`, None before a method is started; polled by the dilemma page, which reloads when
/// a method starts or another takes its place. No content, so no recorded read.
#[server(endpoint = "current_method_step")]
pub async fn current_method_step(
    group: i32,
    dilemma: i32,
) -> Result<Option<(String, usize, String)>, AppError> {
    use crate::intervision::service::dilemmas;
    let (context, _, _) = server::reader_of(group).await?;
    Ok(dilemmas::method_of(&context.db, group, dilemma)
        .await?
        .map(|state| (state.slug.clone(), state.current, state.status_nl())))
}

/// A meeting's page for the group: its notes (every member and facilitator; each opening of
/// them is no dilemma read, so not audited), and for the facilitator the attendance list and
/// the form that moves it.
#[server(endpoint = "get_meeting")]
pub async fn get_meeting(
    group: i32,
    meeting: i32,
) -> Result<crate::intervision::model::AttendanceSheet, AppError> {
    use crate::intervision::service::{agenda, meetings, notes, sealing::Sealer};
    let (context, viewer, standing) = server::reader_of(group).await?;
    let (meeting_view, mut rows) =
        meetings::attendance_rows(&context.db, group, meeting, context.now()).await?;
    let leads = standing.is_facilitator;
    let (move_form, move_errors) = match server::move_form_flash(group, meeting).take().await? {
        Some(refused) if leads => refused,
        _ => (
            meetings::move_form_of(&meetings::find_meeting(&context.db, group, meeting).await?),
            Default::default(),
        ),
    };
    if !leads {
        // Who attended is the facilitator's to record, not the members' to see.
        rows.clear();
    }
    let sealer = context.get::<Sealer>()?;
    let agenda_candidates = if leads {
        agenda::candidates(&context.db, &sealer, group, meeting).await?
    } else {
        Vec::new()
    };
    let follow_up = if meetings::next_meeting(&context.db, group, context.now()).await?
        == Some(meeting)
    {
        let mut actions =
            crate::intervision::service::actions::follow_up(&context.db, &sealer, group).await?;
        for action in &mut actions {
            action.may_change = leads || action.owner_id == Some(viewer.user_id);
        }
        Some(actions)
    } else {
        None
    };
    let note_draft =
        server::take_sealed_draft(&sealer, &server::note_scope(group, meeting), viewer.user_id)
            .await?
            .unwrap_or_default();
    Ok(crate::intervision::model::AttendanceSheet {
        group_id: group,
        group_name: standing.group.name,
        meeting: meeting_view,
        leads,
        rows,
        move_form,
        move_errors,
        notes: notes::notes_of(&context.db, &sealer, meeting, viewer.user_id).await?,
        note_draft,
        notice: server::notice_flash(group, None).take().await?,
        agenda: agenda::agenda_of(&context.db, &sealer, group, meeting).await?,
        agenda_candidates,
        follow_up,
        closed: standing.group.closed_at.is_some(),
    })
}

/// The viewer's own intervision record: meetings attended, with hours; no content.
/// Whether the header shows "Intervisie": for facilitators, and for anyone in a group (as a
/// member or facilitator). Anonymous visitors: no, without a query.
#[server(endpoint = "in_intervision")]
pub async fn in_intervision() -> Result<bool, AppError> {
    use crate::identity::access::{Action, can};
    let Some(viewer) = crate::identity::service::current::current_viewer().await else {
        return Ok(false);
    };
    if can(Some(&viewer), Action::CreateGroup) {
        return Ok(true);
    }
    let db = crate::context::db()?;
    Ok(crate::intervision::service::groups::in_any_group(&db, viewer.user_id).await?)
}

#[server(endpoint = "my_intervision_record")]
pub async fn my_intervision_record()
-> Result<crate::intervision::model::IntervisionRecord, AppError> {
    use crate::identity::access::Action;
    let viewer = crate::identity::service::current::authorize_user(Action::JoinGroup).await?;
    let context = crate::context::app_context()?;
    Ok(crate::intervision::service::meetings::record_of(
        &context.db,
        viewer.user_id,
        viewer.greeting_name().to_owned(),
        &context.organisation(),
        context.now(),
    )
    .await?)
}

/// Where an invitation link leads; `true` with it when the viewer is logged in.
#[server(endpoint = "get_invitation")]
pub async fn get_invitation(token: String) -> Result<(InvitationState, bool), AppError> {
    let context = crate::context::app_context()?;
    let viewer = crate::identity::service::current::current_viewer().await;
    let state = crate::intervision::service::groups::invitation_state(
        &context.db,
        &token,
        viewer.as_ref().map(|v| v.user_id),
        context.now(),
    )
    .await?;
    // The group's name only for someone logged in, who can act on the link.
    let state = match state {
        InvitationState::Open { .. } if viewer.is_none() => InvitationState::Open {
            group_name: String::new(),
        },
        state => state,
    };
    Ok((state, viewer.is_some()))
}

/// `/beheer/intervisie`: every group with who leads it and who is in it, for admins.
#[server(endpoint = "administered_groups")]
pub async fn administered_groups(page: Option<u64>) -> Result<GroupAdministration, AppError> {
    use crate::identity::access::Action;
    let context = crate::context::app_context()?;
    crate::identity::service::current::authorize_user(Action::ManageGroups).await?;
    let (groups, page, page_count) = crate::intervision::service::management::all_groups(
        &context.db,
        page.unwrap_or(1),
        context.now(),
    )
    .await?;
    Ok(GroupAdministration {
        groups,
        page,
        page_count,
        notice: server::administration_flash().take().await?,
        refused: server::facilitator_form_flash().take().await?,
        late_refused: server::late_meeting_flash().take().await?,
    })
}

#[cfg(feature = "ssr")]
pub mod server {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    use crate::error::{AppError, FieldErrors};
    use crate::flash::Flash;
    use crate::intervision::model::{EmailForm, MoveMeetingForm};
    use crate::intervision::service::sealing::Sealer;
    use crate::notice::Notice;

    /// The context, the viewer and their standing, for a page inside group `group` (members
    /// who accepted the current agreement, and facilitators; see `access::authorize_group`).
    pub async fn reader_of(
        group: i32,
    ) -> Result<
        (
            crate::context::AppContext,
            crate::identity::access::Viewer,
            crate::intervision::service::access::Standing,
        ),
        AppError,
    > {
        let context = crate::context::app_context()?;
        let viewer = crate::identity::service::current::current_viewer().await;
        let (viewer, standing) = crate::intervision::service::access::authorize_group(
            &context.db,
            viewer.as_ref(),
            group,
            crate::identity::access::Action::ReadGroup,
            false,
        )
        .await?;
        Ok((context, viewer, standing))
    }

    /// The outcome of a form post, for the group's page or (`dilemma`) one dilemma's page.
    pub fn notice_flash(group: i32, dilemma: Option<i32>) -> Flash<Notice> {
        Flash::new("intervision", &draft_scope(group, dilemma))
    }

    /// Refused group, series and agreement forms wait sealed (see [`put_sealed_draft`]): a
    /// refused name, place or agreement may hold the very data the guard stopped.
    pub const GROUP_FORM_SCOPE: &str = "nieuwe-groep";

    pub fn series_scope(group: i32) -> String {
        format!("{group}/reeks")
    }

    /// A refused new agreement: the text as typed and the message.
    pub fn agreement_scope(group: i32) -> String {
        format!("{group}/afspraken")
    }

    pub fn member_form_flash(group: i32) -> Flash<EmailForm> {
        Flash::new("member-form", &group.to_string())
    }

    /// The outcome of an admin's action on `/beheer/intervisie`.
    pub fn administration_flash() -> Flash<Notice> {
        Flash::new("group-administration", "notice")
    }

    /// A refused "add a facilitator" form: the group and what was typed.
    pub fn facilitator_form_flash() -> Flash<(i32, EmailForm)> {
        Flash::new("group-administration", "facilitator")
    }

    /// A refused "record a meeting afterwards" form: the group, what was typed, the messages.
    pub fn late_meeting_flash()
    -> Flash<(i32, crate::intervision::model::LateMeetingForm, FieldErrors)> {
        Flash::new("group-administration", "late-meeting")
    }

    /// Refused minutes per step, as typed, with the message.
    pub fn minutes_flash(group: i32, dilemma: i32) -> Flash<(Vec<String>, String)> {
        Flash::new("method-minutes", &format!("{group}/{dilemma}"))
    }

    /// A refused retention period: as typed, and the message.
    pub fn retention_flash(group: i32) -> Flash<(String, String)> {
        Flash::new("retention", &group.to_string())
    }

    pub fn move_form_flash(group: i32, meeting: i32) -> Flash<(MoveMeetingForm, FieldErrors)> {
        Flash::new("move-meeting", &format!("{group}/{meeting}"))
    }

    /// Where a refused meeting note waits for the meeting's page.
    pub fn note_scope(group: i32, meeting: i32) -> String {
        format!("{group}/bijeenkomst-{meeting}")
    }

    /// Where a refused form's draft waits for its page: the group's dilemma form, or the reply
    /// form under one dilemma.
    /// The sealed draft of an edit of a dilemma by its author.
    pub fn edit_scope(group: i32, dilemma: i32) -> String {
        format!("{group}/{dilemma}/bewerken")
    }

    pub fn draft_scope(group: i32, dilemma: Option<i32>) -> String {
        match dilemma {
            Some(dilemma) => format!("{group}/{dilemma}"),
            None => group.to_string(),
        }
    }

    /// A refused form is carried to its page sealed like the log itself: the session store is
    /// a database table, and the draft may hold the very data the guard stopped. Bound to its
    /// scope and writer, so it opens for nobody else.
    pub async fn put_sealed_draft<T: serde::Serialize>(
        session: &tower_sessions::Session,
        sealer: &Sealer,
        scope: &str,
        user_id: i32,
        draft: &T,
    ) -> Result<(), AppError> {
        let sealed = sealer.seal_json(&format!("draft:{scope}:{user_id}"), draft)?;
        Flash::<String>::new("intervision-draft", scope)
            .put_in(session, &STANDARD.encode(sealed))
            .await
    }

    pub async fn take_sealed_draft<T: serde::de::DeserializeOwned>(
        sealer: &Sealer,
        scope: &str,
        user_id: i32,
    ) -> Result<Option<T>, AppError> {
        let Some(sealed) = Flash::<String>::new("intervision-draft", scope)
            .take()
            .await?
        else {
            return Ok(None);
        };
        let Ok(bytes) = STANDARD.decode(sealed) else {
            return Ok(None);
        };
        // A draft sealed before a key rotation no longer opens: the form starts empty.
        match sealer.open_json(&format!("draft:{scope}:{user_id}"), &bytes) {
            Ok(draft) => Ok(Some(draft)),
            Err(error) => {
                tracing::warn!(%error, "a sealed draft did not open; dropped");
                Ok(None)
            }
        }
    }
}
