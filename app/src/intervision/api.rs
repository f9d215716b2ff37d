//! Server functions of the intervision domain: reading one's groups, a group, a dilemma and an
//! invitation. Changes are plain form posts to the domain's routes (`routes.rs`), so they work
//! the same with and without JavaScript.

use leptos::prelude::*;

use crate::error::AppError;
use crate::intervision::model::{DilemmaView, GroupPage, IntervisionOverview, InvitationState};

/// The viewer's groups, and the new-group form (with a refused draft, if one just came back).
#[server(endpoint = "my_intervision_groups")]
pub async fn my_intervision_groups() -> Result<IntervisionOverview, AppError> {
    use crate::identity::access::{Action, can};
    let viewer = crate::identity::service::current::authorize_user(Action::JoinGroup).await?;
    let context = crate::context::app_context()?;
    let groups =
        crate::intervision::service::groups::my_groups(&context.db, viewer.user_id).await?;
    let (form, errors) = server::group_form_flash().take().await?.unwrap_or_default();
    Ok(IntervisionOverview {
        groups,
        can_create: can(Some(&viewer), Action::CreateGroup),
        form,
        errors,
    })
}

/// Group `group` as the viewer may see it: the agreement for a member who has not accepted
/// its current version, everything inside for members and facilitators, 404 for anyone else.
#[server(endpoint = "get_group")]
pub async fn get_group(group: i32) -> Result<GroupPage, AppError> {
    use crate::identity::access::{Action, Relation};
    use crate::intervision::model::{AgreementToAccept, GroupView};
    use crate::intervision::service::{access, dilemmas, groups};
    let context = crate::context::app_context()?;
    let viewer = crate::identity::service::current::current_viewer().await;
    let (viewer, standing) =
        access::authorize_group(&context.db, viewer.as_ref(), group, Action::ReadGroup, true)
            .await?;
    let notice = server::notice_flash(group).take().await?;
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
    let draft = server::take_dilemma_draft(&sealer, group, viewer.user_id)
        .await?
        .unwrap_or_default();
    let (facilitators, members) = groups::people(&context.db, group).await?;
    let dilemmas = dilemmas::list_dilemmas(&context.db, group, viewer.user_id).await?;
    Ok(GroupPage::Inside(Box::new(GroupView {
        id: standing.group.id,
        name: standing.group.name.clone(),
        is_facilitator: standing.is_facilitator,
        agreement_version: standing.group.agreement_version,
        agreement: standing.group.agreement_text.clone(),
        facilitators,
        members,
        dilemmas,
        draft,
        notice,
    })))
}

/// One dilemma, for the group's members and facilitators; the read is recorded.
#[server(endpoint = "get_dilemma")]
pub async fn get_dilemma(group: i32, dilemma: i32) -> Result<DilemmaView, AppError> {
    use crate::identity::access::Action;
    use crate::intervision::service::{access, dilemmas, sealing::Sealer};
    let context = crate::context::app_context()?;
    let viewer = crate::identity::service::current::current_viewer().await;
    let (viewer, standing) = access::authorize_group(
        &context.db,
        viewer.as_ref(),
        group,
        Action::ReadGroup,
        false,
    )
    .await?;
    let sealer = context.get::<Sealer>()?;
    Ok(dilemmas::open_dilemma(
        &context.db,
        &sealer,
        &standing,
        dilemma,
        viewer.user_id,
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

#[cfg(feature = "ssr")]
pub mod server {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    use crate::error::{AppError, FieldErrors};
    use crate::flash::Flash;
    use crate::intervision::model::{DilemmaDraft, GroupForm, IntervisionNotice};
    use crate::intervision::service::sealing::Sealer;

    pub fn notice_flash(group: i32) -> Flash<IntervisionNotice> {
        Flash::new("intervision", &group.to_string())
    }

    pub fn group_form_flash() -> Flash<(GroupForm, FieldErrors)> {
        Flash::new("group-form", "new")
    }

    /// A refused dilemma form is carried to the page sealed like the log itself: the session
    /// store is a database table, and the draft may hold the very data the guard stopped.
    fn dilemma_draft_flash(group: i32) -> Flash<String> {
        Flash::new("dilemma-draft", &group.to_string())
    }

    fn draft_context(group: i32, user_id: i32) -> String {
        format!("dilemma-draft:{group}:{user_id}")
    }

    pub async fn put_dilemma_draft(
        session: &tower_sessions::Session,
        sealer: &Sealer,
        group: i32,
        user_id: i32,
        draft: &DilemmaDraft,
    ) -> Result<(), AppError> {
        let sealed = sealer.seal_json(&draft_context(group, user_id), draft)?;
        dilemma_draft_flash(group)
            .put_in(session, &STANDARD.encode(sealed))
            .await
    }

    pub async fn take_dilemma_draft(
        sealer: &Sealer,
        group: i32,
        user_id: i32,
    ) -> Result<Option<DilemmaDraft>, AppError> {
        let Some(sealed) = dilemma_draft_flash(group).take().await? else {
            return Ok(None);
        };
        let Ok(bytes) = STANDARD.decode(sealed) else {
            return Ok(None);
        };
        Ok(Some(
            sealer.open_json(&draft_context(group, user_id), &bytes)?,
        ))
    }
}
