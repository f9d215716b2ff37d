//! Intervision services on SQLite and PostgreSQL: invitations are single-use and expire, a
//! member sees nothing before accepting the current agreement, outsiders and admins get the
//! same 404 as for a group that does not exist, dilemmas are sealed at rest and every read is
//! recorded.

use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use app::error::{AppError, ServiceError};
use app::identity::access::{Action, Relation, Role, Viewer};
use app::intervision::entity::{dilemma, dilemma_read, guard_override};
use app::intervision::model::{DilemmaForm, GroupForm, InvitationState};
use app::intervision::rules::{check_dilemma, parse_group_form};
use app::intervision::service::access::{authorize_group, standing};
use app::intervision::service::dilemmas::{list_dilemmas, open_dilemma, save_dilemma};
use app::intervision::service::groups::{
    accept_agreement, create_group, create_invitation, invitation_state, join,
};
use app::intervision::service::sealing::Sealer;

use crate::common::builders::{AccountBuilder, GroupBuilder, date, join_group};
use crate::common::now;

pub(crate) async fn account(db: &DatabaseConnection, subject: &str, roles: &[Role]) -> Viewer {
    AccountBuilder::new(subject).roles(roles).insert(db).await
}

pub(crate) async fn group(db: &DatabaseConnection, facilitator: &Viewer, max_members: &str) -> i32 {
    GroupBuilder::new()
        .max_members(max_members)
        .create(db, facilitator)
        .await
}

pub(crate) async fn member_of(db: &DatabaseConnection, group_id: i32, member: &Viewer) {
    join_group(db, group_id, member).await
}

fn refused(result: Result<i32, ServiceError>) -> String {
    match result {
        Err(ServiceError::Invalid(message)) => message,
        other => panic!("expected a Dutch refusal, got {other:?}"),
    }
}

async fn invitations_are_single_use_and_the_agreement_comes_first(db: &DatabaseConnection) {
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let bram = account(db, "bram", &[]).await;
    let admin = account(db, "beheerder", &[Role::Admin]).await;
    let id = group(db, &facilitator, "3").await;

    let token = create_invitation(db, id, now()).await.unwrap();
    assert_eq!(
        invitation_state(db, &token, Some(anna.user_id), now())
            .await
            .unwrap(),
        InvitationState::Open {
            group_name: "Intervisiegroep Noord".into()
        }
    );
    assert_eq!(join(db, &token, anna.user_id, now()).await.unwrap(), id);
    // Single use: the same link does nothing for the next person.
    assert!(refused(join(db, &token, bram.user_id, now()).await).contains("niet (meer) geldig"));
    // Expired after its days.
    let old = create_invitation(db, id, now()).await.unwrap();
    let later = now() + Duration::days(app::intervision::model::INVITATION_DAYS + 1);
    assert!(refused(join(db, &old, bram.user_id, later).await).contains("niet (meer) geldig"));

    // A member who has not accepted sees the agreement and nothing else.
    let read = |viewer: &Viewer, pending: bool| {
        let viewer = viewer.clone();
        async move {
            authorize_group(db, Some(&viewer), id, Action::ReadGroup, pending)
                .await
                .map(|(_, standing)| standing.relation())
        }
    };
    assert_eq!(read(&anna, false).await, Err(AppError::NotFound));
    assert_eq!(read(&anna, true).await, Ok(Relation::Unrelated));
    let group_model = standing(db, id, anna.user_id).await.unwrap().unwrap().group;
    assert!(matches!(
        accept_agreement(db, &group_model, anna.user_id, 2, now()).await,
        Err(ServiceError::Invalid(_))
    ));
    accept_agreement(db, &group_model, anna.user_id, 1, now())
        .await
        .unwrap();
    assert_eq!(read(&anna, false).await, Ok(Relation::MemberOfGroup));
    assert_eq!(
        read(&facilitator, false).await,
        Ok(Relation::FacilitatorOfGroup)
    );
    // Outsiders and admins: the same 404 as a group that does not exist.
    assert_eq!(read(&bram, true).await, Err(AppError::NotFound));
    assert_eq!(read(&admin, true).await, Err(AppError::NotFound));
    assert_eq!(
        authorize_group(db, Some(&bram), id + 1000, Action::ReadGroup, true)
            .await
            .err(),
        Some(AppError::NotFound)
    );
    assert_eq!(
        authorize_group(db, None, id, Action::ReadGroup, true)
            .await
            .err(),
        Some(AppError::Unauthenticated)
    );
    // Only the group's facilitator leads it.
    assert!(
        authorize_group(db, Some(&anna), id, Action::LeadGroup, false)
            .await
            .is_err()
    );

    // Full at its maximum: a valid link no longer lets anyone in.
    let carla = account(db, "carla", &[]).await;
    let dirk = account(db, "dirk", &[]).await;
    member_of(db, id, &bram).await;
    member_of(db, id, &carla).await;
    let last = create_invitation(db, id, now()).await.unwrap();
    assert!(matches!(
        invitation_state(db, &last, Some(dirk.user_id), now())
            .await
            .unwrap(),
        InvitationState::Unusable(_)
    ));
    assert!(refused(join(db, &last, dirk.user_id, now()).await).contains("vol"));
}

pub(crate) fn dilemma_form(situation: &str) -> DilemmaForm {
    let mut form = DilemmaForm {
        work_field: "onderwijs".into(),
        phenomenon: "rechts-extremisme".into(),
        ..DilemmaForm::default()
    };
    form.texts.insert("situatie".into(), situation.into());
    form.texts.insert(
        "vraag".into(),
        "Bespreek ik dit eerst met de ouders of met de wijkagent?".into(),
    );
    form
}

pub(crate) const SITUATION: &str =
    "Een leerling (15) deelt in de klasgroep memes met verborgen symbolen.";

/// The author completes their dilemma after the meeting (sealed again, nothing written when
/// unchanged), nobody else can; deleting it takes its thread along.
async fn the_author_completes_corrects_and_deletes_their_dilemma(db: &DatabaseConnection) {
    use app::intervision::entity::dilemma_post;
    use app::intervision::rules::check_post;
    use app::intervision::service::{dilemmas, posts};

    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let bram = account(db, "bram", &[]).await;
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    member_of(db, id, &bram).await;
    let valid = check_dilemma(&dilemma_form(SITUATION)).unwrap();
    let dilemma_id = save_dilemma(db, &sealer, id, anna.user_id, &valid, now())
        .await
        .unwrap();

    // Saved unchanged: no row changes.
    let before = dilemma::Entity::find_by_id(dilemma_id)
        .one(db)
        .await
        .unwrap();
    assert!(
        !dilemmas::update_dilemma(db, &sealer, id, dilemma_id, anna.user_id, &valid, now())
            .await
            .unwrap()
    );
    assert_eq!(
        dilemma::Entity::find_by_id(dilemma_id)
            .one(db)
            .await
            .unwrap(),
        before
    );

    // Completed after the meeting: the advice and the takeaway, sealed like the rest.
    let mut form = dilemmas::own_dilemma_form(db, &sealer, id, dilemma_id, anna.user_id)
        .await
        .unwrap();
    assert_eq!(form.texts["situatie"], SITUATION);
    form.texts.insert(
        "advies".into(),
        "Eerst de mentor, dan samen met de ouders.".into(),
    );
    let completed = check_dilemma(&form).unwrap();
    assert!(
        dilemmas::update_dilemma(db, &sealer, id, dilemma_id, anna.user_id, &completed, now())
            .await
            .unwrap()
    );
    let stored = dilemma::Entity::find_by_id(dilemma_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.sealed.windows(9).any(|w| w == b"de mentor"));
    let again = dilemmas::own_dilemma_form(db, &sealer, id, dilemma_id, anna.user_id)
        .await
        .unwrap();
    assert_eq!(
        again.texts["advies"],
        "Eerst de mentor, dan samen met de ouders."
    );
    // A name in the correction is refused by the guard like in a new dilemma.
    form.texts
        .insert("advies".into(), "Bel Jan de Vries op 06-12345678.".into());
    assert!(check_dilemma(&form).is_err());

    // Bram (a member) and the facilitator may not edit or delete it: "not found".
    for other in [bram.user_id, facilitator.user_id] {
        assert!(matches!(
            dilemmas::update_dilemma(db, &sealer, id, dilemma_id, other, &completed, now()).await,
            Err(ServiceError::NotFound)
        ));
        assert!(matches!(
            dilemmas::delete_dilemma(db, id, dilemma_id, other).await,
            Err(ServiceError::NotFound)
        ));
    }
    let reply = check_post("Ik zou eerst met de mentor praten.", false).unwrap();
    posts::add_post(db, &sealer, id, dilemma_id, bram.user_id, &reply, now())
        .await
        .unwrap();
    dilemmas::delete_dilemma(db, id, dilemma_id, anna.user_id)
        .await
        .unwrap();
    assert!(
        dilemma::Entity::find_by_id(dilemma_id)
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    let thread = dilemma_post::Entity::find()
        .filter(dilemma_post::Column::DilemmaId.eq(dilemma_id))
        .all(db)
        .await
        .unwrap();
    assert!(thread.is_empty());
}

async fn dilemmas_are_sealed_and_every_read_is_recorded(db: &DatabaseConnection) {
    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;

    let valid = check_dilemma(&dilemma_form(SITUATION)).unwrap();
    let dilemma_id = save_dilemma(db, &sealer, id, anna.user_id, &valid, now())
        .await
        .unwrap();

    // At rest: not one run of 8 bytes of the text is in the stored value.
    let stored = dilemma::Entity::find_by_id(dilemma_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.sealed.len() > SITUATION.len());
    for window in SITUATION.as_bytes().windows(8) {
        assert!(!stored.sealed.windows(8).any(|w| w == window));
    }
    // Another key opens nothing.
    let other = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let anna_standing = standing(db, id, anna.user_id).await.unwrap().unwrap();
    assert!(
        open_dilemma(
            db,
            &other,
            &anna_standing,
            dilemma_id,
            anna.user_id,
            1,
            now()
        )
        .await
        .is_err()
    );

    // The list has no content; opening is a recorded read.
    let (list, pages) = list_dilemmas(db, &sealer, id, anna.user_id, 1)
        .await
        .unwrap();
    assert_eq!((list.len(), pages), (1, 1));
    assert!(list[0].by_me);
    // Named by its question, so several of one date can be told apart.
    assert_eq!(
        list[0].question,
        "Bespreek ik dit eerst met de ouders of met de wijkagent?"
    );
    let view = open_dilemma(
        db,
        &sealer,
        &anna_standing,
        dilemma_id,
        anna.user_id,
        1,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(
        view.fields[0],
        ("De situatie".to_owned(), SITUATION.to_owned())
    );
    // The author sees who read it (one row per reader per day); another member does not.
    assert_eq!(view.reads.as_ref().map(Vec::len), Some(1));
    let bram = account(db, "bram-lezer", &[]).await;
    member_of(db, id, &bram).await;
    let bram_standing = standing(db, id, bram.user_id).await.unwrap().unwrap();
    let bram_view = open_dilemma(
        db,
        &sealer,
        &bram_standing,
        dilemma_id,
        bram.user_id,
        1,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(bram_view.reads, None, "other members do not see who read");
    open_dilemma(
        db,
        &sealer,
        &anna_standing,
        dilemma_id,
        anna.user_id,
        1,
        now(),
    )
    .await
    .unwrap();
    let facilitator_standing = standing(db, id, facilitator.user_id)
        .await
        .unwrap()
        .unwrap();
    let seen = open_dilemma(
        db,
        &sealer,
        &facilitator_standing,
        dilemma_id,
        facilitator.user_id,
        1,
        now(),
    )
    .await
    .unwrap();
    let reads = seen.reads.expect("facilitators see who read");
    assert_eq!(
        reads.len(),
        3,
        "anna twice on one day is one row; bram; the facilitator"
    );
    assert_eq!(
        dilemma_read::Entity::find()
            .filter(dilemma_read::Column::DilemmaId.eq(dilemma_id))
            .count(db)
            .await
            .unwrap(),
        3
    );
    // A new day is a new row.
    open_dilemma(
        db,
        &sealer,
        &anna_standing,
        dilemma_id,
        anna.user_id,
        1,
        now() + Duration::days(1),
    )
    .await
    .unwrap();
    assert_eq!(
        dilemma_read::Entity::find()
            .filter(dilemma_read::Column::DilemmaId.eq(dilemma_id))
            .count(db)
            .await
            .unwrap(),
        4
    );
    // A dilemma of another group is not found through this one.
    let other_group = group(db, &facilitator, "8").await;
    let other_standing = standing(db, other_group, facilitator.user_id)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        open_dilemma(
            db,
            &sealer,
            &other_standing,
            dilemma_id,
            facilitator.user_id,
            1,
            now()
        )
        .await,
        Err(ServiceError::NotFound)
    ));

    // Overruled name findings are recorded as a count, without the words.
    let mut named = dilemma_form("Mevrouw Bakker van het wijkteam belde over de klas.");
    named.not_names = true;
    let valid = check_dilemma(&named).unwrap();
    save_dilemma(db, &sealer, id, anna.user_id, &valid, now())
        .await
        .unwrap();
    let overrides = guard_override::Entity::find().all(db).await.unwrap();
    assert_eq!(overrides.len(), 1);
    assert_eq!(
        (overrides[0].user_id, overrides[0].names),
        (anna.user_id, 1)
    );
}

async fn threads_tell_the_group_there_is_news_and_nothing_more(db: &DatabaseConnection) {
    use app::intervision::entity::dilemma_post;
    use app::intervision::rules::check_post;
    use app::intervision::service::{groups::leave, posts};
    use app::messaging::entity::mail;

    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let bram = account(db, "bram", &[]).await;
    for viewer in [&facilitator, &anna, &bram] {
        let mut user: app::identity::entity::user::ActiveModel =
            app::identity::entity::user::Entity::find_by_id(viewer.user_id)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .into();
        user.email = Set(Some(format!("{}@test.invalid", viewer.user_id)));
        user.update(db).await.unwrap();
    }
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    member_of(db, id, &bram).await;
    let valid = check_dilemma(&dilemma_form(SITUATION)).unwrap();
    let dilemma_id = save_dilemma(db, &sealer, id, anna.user_id, &valid, now())
        .await
        .unwrap();
    // Bram does not want mail.
    posts::set_notify(db, id, bram.user_id, false)
        .await
        .unwrap();
    let reply = check_post("Ik zou eerst met de mentor praten over de symbolen.", false).unwrap();
    let post_id = posts::add_post(db, &sealer, id, dilemma_id, anna.user_id, &reply, now())
        .await
        .unwrap();
    let mails = mail::Entity::find()
        .filter(mail::Column::Kind.eq("intervision_news"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(
        mails.len(),
        1,
        "only the facilitator: not the writer, not Bram"
    );
    assert_eq!(
        mails[0].recipient,
        format!("{}@test.invalid", facilitator.user_id)
    );
    assert_eq!(mails[0].subject, "Nieuws in uw intervisiegroep");
    for secret in ["mentor", "symbolen", "Noord", "rechts"] {
        assert!(!mails[0].body.contains(secret), "{secret} in the mail");
    }
    // Sealed like the dilemma; read back in the thread.
    let stored = dilemma_post::Entity::find_by_id(post_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.sealed.windows(6).any(|w| w == b"mentor"));
    let thread = posts::thread(db, &sealer, dilemma_id, bram.user_id)
        .await
        .unwrap();
    assert_eq!(thread.len(), 1);
    assert_eq!(thread[0].text, reply.text);
    assert!(!thread[0].mine);
    // Only the writer deletes a post, and only through the post's own group.
    assert!(matches!(
        posts::delete_own_post(db, id, dilemma_id, post_id, bram.user_id).await,
        Err(ServiceError::NotFound)
    ));
    let elsewhere = group(db, &facilitator, "8").await;
    assert!(matches!(
        posts::delete_own_post(db, elsewhere, dilemma_id, post_id, anna.user_id).await,
        Err(ServiceError::NotFound)
    ));
    posts::delete_own_post(db, id, dilemma_id, post_id, anna.user_id)
        .await
        .unwrap();
    assert!(
        posts::thread(db, &sealer, dilemma_id, anna.user_id)
            .await
            .unwrap()
            .is_empty()
    );
    // Leaving with one's contributions takes the dilemma along; Bram's reply on it goes too.
    posts::add_post(db, &sealer, id, dilemma_id, bram.user_id, &reply, now())
        .await
        .unwrap();
    leave(db, id, anna.user_id, true).await.unwrap();
    assert_eq!(dilemma::Entity::find().all(db).await.unwrap().len(), 0);
    assert_eq!(dilemma_post::Entity::find().all(db).await.unwrap().len(), 0);
    assert!(
        authorize_group(db, Some(&anna), id, Action::ReadGroup, true)
            .await
            .is_err()
    );
    // A facilitator is no member and cannot leave this way.
    assert!(matches!(
        leave(db, id, facilitator.user_id, false).await,
        Err(ServiceError::NotFound)
    ));
}

async fn a_new_key_seals_everything_again_and_the_old_one_opens_nothing(db: &DatabaseConnection) {
    use app::intervision::rules::check_post;
    use app::intervision::service::posts;
    use app::intervision::service::rekey::{KeyRefused, check_key, rotate_key_offline};
    use app::messaging::service::nodes;

    let old = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let new = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let id = group(db, &facilitator, "8").await;
    let valid = check_dilemma(&dilemma_form(SITUATION)).unwrap();
    let dilemma_id = save_dilemma(db, &old, id, facilitator.user_id, &valid, now())
        .await
        .unwrap();
    let reply = check_post("Een goede vraag voor de groep.", false).unwrap();
    posts::add_post(db, &old, id, dilemma_id, facilitator.user_id, &reply, now())
        .await
        .unwrap();
    // The first server with a key records it; a server with another key refuses to start.
    check_key(db, &old).await.unwrap();
    assert!(matches!(
        check_key(db, &new).await,
        Err(KeyRefused::NotTheSealingKey)
    ));
    // Not while a server runs: it would go on sealing with the old key.
    nodes::renew(db, "node-a", now()).await.unwrap();
    assert!(matches!(
        rotate_key_offline(db, &old, &new, now()).await,
        Err(KeyRefused::ServersRunning(nodes)) if nodes == "node-a"
    ));
    nodes::leave(db, "node-a").await.unwrap();
    // A server that crashed is forgotten after a minute.
    nodes::renew(db, "node-b", now()).await.unwrap();
    let a_minute_later = now() + Duration::seconds(61);
    let done = rotate_key_offline(db, &old, &new, a_minute_later)
        .await
        .unwrap();
    assert_eq!((done.dilemmas, done.posts, done.actions), (1, 1, 0));
    // Now only the new key starts a server.
    check_key(db, &new).await.unwrap();
    assert!(matches!(
        check_key(db, &old).await,
        Err(KeyRefused::NotTheSealingKey)
    ));
    let standing = standing(db, id, facilitator.user_id)
        .await
        .unwrap()
        .unwrap();
    let view = open_dilemma(
        db,
        &new,
        &standing,
        dilemma_id,
        facilitator.user_id,
        1,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(view.fields[0].1, SITUATION);
    assert_eq!(view.posts[0].text, reply.text);
    assert!(
        open_dilemma(
            db,
            &old,
            &standing,
            dilemma_id,
            facilitator.user_id,
            1,
            now()
        )
        .await
        .is_err()
    );
    // Rotating with a key that does not fit stops and changes nothing.
    assert!(matches!(
        rotate_key_offline(db, &old, &new, a_minute_later).await,
        Err(KeyRefused::NotTheSealingKey)
    ));
    assert!(
        open_dilemma(
            db,
            &new,
            &standing,
            dilemma_id,
            facilitator.user_id,
            1,
            now()
        )
        .await
        .is_ok()
    );
    // A reply sealed with the old key after the rotation (a server that still ran with it)
    // shows as unreadable on its own; the page and the other reply still open.
    let late = check_post("Nog een reactie van een oude server.", false).unwrap();
    posts::add_post(db, &old, id, dilemma_id, facilitator.user_id, &late, now())
        .await
        .unwrap();
    let view = open_dilemma(
        db,
        &new,
        &standing,
        dilemma_id,
        facilitator.user_id,
        1,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(view.posts.len(), 2);
    assert_eq!(view.posts[0].text, reply.text);
    assert_eq!(
        view.posts[1].text,
        app::intervision::service::sealing::UNREADABLE
    );
}

async fn past_its_retention_a_dilemma_goes_and_only_a_count_stays(db: &DatabaseConnection) {
    use app::intervision::entity::{dilemma_post, retained_count};
    use app::intervision::rules::check_post;
    use app::intervision::service::{posts, retention};
    use app::messaging::model::JobKind;
    use app::messaging::service::jobs;

    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let spec = parse_group_form(&GroupForm {
        name: "Korte bewaartermijn".into(),
        retention_months: "3".into(),
        ..GroupForm::default()
    })
    .unwrap();
    let id = create_group(db, &spec, facilitator.user_id, now())
        .await
        .unwrap();
    let valid = check_dilemma(&dilemma_form(SITUATION)).unwrap();
    let early = save_dilemma(db, &sealer, id, facilitator.user_id, &valid, now())
        .await
        .unwrap();
    let reply = check_post("Een reactie.", false).unwrap();
    posts::add_post(db, &sealer, id, early, facilitator.user_id, &reply, now())
        .await
        .unwrap();
    let later_day = now() + Duration::days(60);
    save_dilemma(db, &sealer, id, facilitator.user_id, &valid, later_day)
        .await
        .unwrap();

    // Within three months nothing goes.
    assert_eq!(
        retention::purge_expired(db, now() + Duration::days(80))
            .await
            .unwrap(),
        0
    );
    // The clock moved past the first one's retention: it goes with its thread, the second stays.
    assert_eq!(
        retention::purge_expired(db, now() + Duration::days(100))
            .await
            .unwrap(),
        1
    );
    let left = dilemma::Entity::find().all(db).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_ne!(left[0].id, early);
    assert_eq!(dilemma_post::Entity::find().all(db).await.unwrap().len(), 0);
    let counts = retained_count::Entity::find().all(db).await.unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        (counts[0].phenomenon.as_str(), counts[0].dilemmas),
        ("rechts-extremisme", 1)
    );
    // The daily job: scheduled once, and each run schedules the next day's.
    jobs::schedule_daily(db, JobKind::IntervisionRetention, now())
        .await
        .unwrap();
    jobs::schedule_daily(db, JobKind::IntervisionRetention, now())
        .await
        .unwrap();
    assert_eq!(
        jobs::pending_for(db, JobKind::IntervisionRetention, 0)
            .await
            .unwrap()
            .len(),
        1
    );
    let much_later = now() + Duration::days(200);
    assert_eq!(retention::run_daily(db, much_later).await.unwrap(), 1);
    assert_eq!(
        retained_count::Entity::find().all(db).await.unwrap()[0].dilemmas,
        2
    );
    let pending = jobs::pending_for(db, JobKind::IntervisionRetention, 0)
        .await
        .unwrap();
    assert!(
        pending
            .iter()
            .any(|job| job.run_at == much_later + Duration::days(1))
    );
}

async fn a_series_attendance_and_the_record_with_hours(db: &DatabaseConnection) {
    use app::intervision::model::{Attendance, SeriesForm};
    use app::intervision::rules::parse_series_form;
    use app::intervision::service::meetings;

    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    let spec = parse_series_form(&SeriesForm {
        first_date: "2027-01-14".into(),
        every_weeks: "6".into(),
        count: "3".into(),
        location: "online".into(),
        link: "https://meet.example.org/intervisie".into(),
        ..SeriesForm::default()
    })
    .unwrap();
    assert_eq!(meetings::add_series(db, id, &spec, now()).await.unwrap(), 3);
    let before = chrono::DateTime::parse_from_rfc3339("2027-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let list = meetings::meetings_of(db, id, before).await.unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].date, "14 januari 2027");
    assert_eq!(list[0].time, "14:00–16:00");
    // Not yet begun: no attendance.
    assert!(matches!(
        meetings::record_attendance(
            db,
            id,
            list[0].id,
            &[(anna.user_id, Attendance::Present)],
            before
        )
        .await,
        Err(ServiceError::Invalid(_))
    ));
    meetings::cancel_meeting(db, id, list[2].id, before)
        .await
        .unwrap();
    let after = before + Duration::days(60);
    // Each meeting's attendance is recorded the day after it.
    let day_after = |date: &str| {
        chrono::DateTime::parse_from_rfc3339(&format!("{date}T12:00:00Z"))
            .unwrap()
            .to_utc()
    };
    for (meeting, noted) in list[..2].iter().zip(["2027-01-15", "2027-02-26"]) {
        meetings::record_attendance(
            db,
            id,
            meeting.id,
            // The facilitator is no member: ignored.
            &[
                (anna.user_id, Attendance::Present),
                (facilitator.user_id, Attendance::Present),
            ],
            day_after(noted),
        )
        .await
        .unwrap();
    }
    // More than 30 days after a meeting its attendance is fixed: the record is what was
    // noted at the time.
    assert!(matches!(
        meetings::record_attendance(
            db,
            id,
            list[0].id,
            &[(anna.user_id, Attendance::Absent)],
            after
        )
        .await,
        Err(ServiceError::Invalid(ref m)) if m.contains("30 dagen")
    ));
    // A record cannot be filled with meetings that never were: none more than 14 days back,
    // none overlapping another of the group.
    let refused_at_first_date = |result: Result<usize, ServiceError>| match result {
        Err(ServiceError::Fields(errors)) => errors["first_date"].clone(),
        other => panic!("{other:?}"),
    };
    let overlapping = parse_series_form(&SeriesForm {
        first_date: "2027-02-25".into(),
        start: "15:00".into(),
        end: "17:00".into(),
        count: "1".into(),
        location: "Utrecht".into(),
        ..SeriesForm::default()
    })
    .unwrap();
    let clash = refused_at_first_date(meetings::add_series(db, id, &overlapping, before).await);
    assert!(
        clash.contains("overlapt met de bijeenkomst van 25 februari 2027, 14:00–16:00"),
        "{clash}"
    );
    let long_ago = refused_at_first_date(
        meetings::add_series(db, id, &overlapping, after + Duration::days(30)).await,
    );
    assert!(
        long_ago.contains("hoogstens 14 dagen achteraf"),
        "{long_ago}"
    );
    assert_eq!(
        meetings::meetings_of(db, id, before).await.unwrap().len(),
        3
    );
    assert!(meetings::meetings_of(db, id, after).await.unwrap()[2].cancelled);
    let (_, rows) = meetings::attendance_rows(db, id, list[0].id, after)
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![(
            anna.user_id,
            "Demo anna".to_owned(),
            Some(Attendance::Present)
        )]
    );
    app::identity::entity::register_number::ActiveModel {
        user_id: Set(anna.user_id),
        register: Set("skj".into()),
        number: Set("100012345".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let record = meetings::record_of(db, anna.user_id, "Anna".into(), "Expertisecentrum", after)
        .await
        .unwrap();
    assert_eq!(record.total_hours, "4 uur");
    assert_eq!(record.groups[0].meetings.len(), 2);
    assert_eq!(
        record.groups[0].facilitators,
        vec!["Demo begeleider".to_owned()]
    );
    // What an SKJ auditor asks: register number, group size, who issued it and when.
    assert_eq!(
        record.register_numbers,
        vec![("SKJ".to_owned(), "100012345".to_owned())]
    );
    assert_eq!(
        (record.groups[0].size, record.groups[0].as_facilitator),
        (2, false)
    );
    assert_eq!(record.issued_by, "Expertisecentrum");
    assert_eq!(record.issued_on, "2 maart 2027");
    // The facilitator's own hours: the two meetings held (the cancelled one is not).
    let led = meetings::record_of(db, facilitator.user_id, "Begeleider".into(), "", after)
        .await
        .unwrap();
    assert_eq!(led.total_hours, "4 uur");
    assert!(led.groups[0].as_facilitator);
    // In the personal-data export, without any content.
    let export = app::personal_data::export(db, anna.user_id, now())
        .await
        .unwrap();
    assert_eq!(
        export["intervisie"]["bijgewoonde_bijeenkomsten"][0]["uren"],
        "4 uur"
    );
    assert_eq!(export["intervisie"]["groepen"][0]["rol"], "lid");
}

async fn action_points_come_back_in_the_follow_up_round_until_done(db: &DatabaseConnection) {
    use app::intervision::entity::action_point;
    use app::intervision::model::{ActionDraft, ActionStatus};
    use app::intervision::rules::check_action;
    use app::intervision::service::actions;

    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    let valid = check_dilemma(&dilemma_form(SITUATION)).unwrap();
    let dilemma_id = save_dilemma(db, &sealer, id, anna.user_id, &valid, now())
        .await
        .unwrap();
    let action = check_action(
        ActionDraft {
            text: "Gesprek met de mentor plannen".into(),
            owner: anna.user_id.to_string(),
            due_on: "2027-02-01".into(),
            ..ActionDraft::default()
        },
        false,
        &[facilitator.user_id, anna.user_id],
        date("2027-01-20"),
    )
    .unwrap();
    let action_id = actions::add_action(db, &sealer, id, dilemma_id, anna.user_id, &action, now())
        .await
        .unwrap();
    let stored = action_point::Entity::find_by_id(action_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.sealed.windows(6).any(|w| w == b"mentor"));
    let round = actions::follow_up(db, &sealer, id).await.unwrap();
    assert_eq!(round.len(), 1);
    assert_eq!(round[0].text, "Gesprek met de mentor plannen");
    assert_eq!(round[0].owner, "Demo anna");
    assert_eq!(round[0].due.as_deref(), Some("1 februari 2027"));
    // Only its owner or the facilitator changes it; another member is refused.
    let bram = AccountBuilder::new("bram")
        .email("bram@test.invalid")
        .insert(db)
        .await;
    member_of(db, id, &bram).await;
    assert!(matches!(
        actions::set_status(
            db,
            id,
            action_id,
            ActionStatus::Dropped,
            (bram.user_id, false)
        )
        .await,
        Err(ServiceError::Invalid(_))
    ));
    // Continued: still in the round; done: gone from it, kept under the dilemma.
    actions::set_status(
        db,
        id,
        action_id,
        ActionStatus::Continued,
        (anna.user_id, false),
    )
    .await
    .unwrap();
    assert_eq!(actions::follow_up(db, &sealer, id).await.unwrap().len(), 1);
    actions::set_status(
        db,
        id,
        action_id,
        ActionStatus::Done,
        (facilitator.user_id, true),
    )
    .await
    .unwrap();
    assert!(
        actions::follow_up(db, &sealer, id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        actions::of_dilemma(db, &sealer, dilemma_id).await.unwrap()[0].status,
        ActionStatus::Done
    );
    // Another group's facilitator cannot reach it through their own group.
    let other = group(db, &facilitator, "8").await;
    assert!(matches!(
        actions::set_status(
            db,
            other,
            action_id,
            ActionStatus::Dropped,
            (facilitator.user_id, true)
        )
        .await,
        Err(ServiceError::NotFound)
    ));
    // A member who is removed hands what is still open back to the facilitator.
    let open = check_action(
        ActionDraft {
            text: "De zorgcoördinator bellen".into(),
            owner: bram.user_id.to_string(),
            ..ActionDraft::default()
        },
        false,
        &[facilitator.user_id, bram.user_id],
        date("2027-01-20"),
    )
    .unwrap();
    // Given by the facilitator: Bram is told, without group, dilemma or text.
    actions::add_action(
        db,
        &sealer,
        id,
        dilemma_id,
        facilitator.user_id,
        &open,
        now(),
    )
    .await
    .unwrap();
    let told = app::messaging::entity::mail::Entity::find()
        .filter(app::messaging::entity::mail::Column::Recipient.eq("bram@test.invalid"))
        .filter(app::messaging::entity::mail::Column::Kind.eq("intervision_action_point"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].subject, "Een actiepunt voor u");
    assert!(!told[0].body.contains("zorgcoördinator") && !told[0].body.contains("Noord"));
    app::intervision::service::management::remove_member(db, id, bram.user_id)
        .await
        .unwrap();
    let round = actions::follow_up(db, &sealer, id).await.unwrap();
    assert_eq!(round.len(), 1);
    assert_eq!(round[0].owner, "Demo begeleider");
}

async fn the_facilitator_moves_a_method_through_its_steps(db: &DatabaseConnection) {
    use app::intervision::service::agenda::start_method;
    use app::intervision::service::dilemmas::{method_of, move_step, set_minutes};

    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let id = group(db, &facilitator, "8").await;
    let valid = check_dilemma(&dilemma_form(SITUATION)).unwrap();
    let dilemma_id = save_dilemma(db, &sealer, id, facilitator.user_id, &valid, now())
        .await
        .unwrap();
    assert!(matches!(
        move_step(db, id, dilemma_id, true, now()).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        start_method(db, id, dilemma_id, "onbekend", now()).await,
        Err(ServiceError::Invalid(_))
    ));
    start_method(db, id, dilemma_id, "vijfstappenmodel", now())
        .await
        .unwrap();
    let standing = standing(db, id, facilitator.user_id)
        .await
        .unwrap()
        .unwrap();
    let view = open_dilemma(
        db,
        &sealer,
        &standing,
        dilemma_id,
        facilitator.user_id,
        1,
        now(),
    )
    .await
    .unwrap();
    let method = view.method.expect("started");
    assert_eq!(
        (method.name.as_str(), method.current, method.steps.len()),
        ("Vijfstappenmodel", 0, 5)
    );
    assert!(view.leads);
    assert_eq!(
        move_step(db, id, dilemma_id, false, now()).await.unwrap(),
        0
    );
    for expected in 1..=5 {
        assert_eq!(
            move_step(db, id, dilemma_id, true, now()).await.unwrap(),
            expected
        );
    }
    // Finished stays finished.
    assert_eq!(move_step(db, id, dilemma_id, true, now()).await.unwrap(), 5);
    // Minutes for this meeting: stored per step, shown on every screen, refused when wrong.
    let typed: Vec<String> = ["5", "10", "25", "10", "5"].map(String::from).to_vec();
    set_minutes(db, id, dilemma_id, &typed).await.unwrap();
    assert!(matches!(
        set_minutes(db, id, dilemma_id, &typed[..4]).await,
        Err(ServiceError::Invalid(_))
    ));
    let minutes: Vec<u32> = method_of(db, id, dilemma_id)
        .await
        .unwrap()
        .unwrap()
        .steps
        .iter()
        .map(|(_, _, minutes)| *minutes)
        .collect();
    assert_eq!(minutes, [5, 10, 25, 10, 5]);
    // A new start is a new meeting: the defaults again.
    start_method(db, id, dilemma_id, "vijfstappenmodel", now())
        .await
        .unwrap();
    let again = method_of(db, id, dilemma_id).await.unwrap().unwrap();
    assert_ne!(again.steps[2].2, 25);
    // Not through another group.
    let other = group(db, &facilitator, "8").await;
    assert!(matches!(
        move_step(db, other, dilemma_id, true, now()).await,
        Err(ServiceError::NotFound)
    ));
}

async fn a_meeting_moves_and_the_calendar_feed_shows_it_without_the_theme(db: &DatabaseConnection) {
    use app::intervision::model::{MoveMeetingForm, SeriesForm};
    use app::intervision::rules::{parse_move_form, parse_series_form};
    use app::intervision::service::meetings;

    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = AccountBuilder::new("anna")
        .email("anna@test.invalid")
        .insert(db)
        .await;
    let outsider = account(db, "buiten", &[]).await;
    let pending = AccountBuilder::new("nog-niet-akkoord")
        .email("pending@test.invalid")
        .insert(db)
        .await;
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    // Joined, but has not accepted the agreement: not inside the group yet.
    let token = create_invitation(db, id, now()).await.unwrap();
    join(db, &token, pending.user_id, now()).await.unwrap();
    // A link or place with a line break would add an event to every feed: refused per field.
    let injected = parse_series_form(&SeriesForm {
        first_date: "2027-01-14".into(),
        count: "1".into(),
        location: "Utrecht\r\nBEGIN:VEVENT".into(),
        link: "https://meet.example.org/x\r\nBEGIN:VEVENT".into(),
        ..SeriesForm::default()
    })
    .unwrap_err();
    assert!(
        injected.contains_key("location") && injected.contains_key("link"),
        "{injected:?}"
    );
    let spec = parse_series_form(&SeriesForm {
        first_date: "2027-01-14".into(),
        count: "3".into(),
        location: "Utrecht".into(),
        ..SeriesForm::default()
    })
    .unwrap();
    meetings::add_series(db, id, &spec, now()).await.unwrap();
    let before = chrono::DateTime::parse_from_rfc3339("2027-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let list = meetings::meetings_of(db, id, before).await.unwrap();
    let slot = |date: &str, start: &str, end: &str| {
        parse_move_form(&MoveMeetingForm {
            date: date.into(),
            start: start.into(),
            end: end.into(),
        })
    };
    // A form that makes no sense is refused per field.
    let errors = slot("", "17:00", "15:00").unwrap_err();
    assert!(errors.contains_key("date") && errors.contains_key("end"));
    let later = slot("2027-01-21", "15:00", "17:00").unwrap();
    meetings::move_meeting(db, id, list[0].id, &later, before)
        .await
        .unwrap();
    let moved = &meetings::meetings_of(db, id, before).await.unwrap()[0];
    assert_eq!(
        (moved.date.as_str(), moved.time.as_str()),
        ("21 januari 2027", "15:00–17:00")
    );
    // Not into the past, and not a meeting that has begun.
    assert!(matches!(
        meetings::move_meeting(
            db,
            id,
            list[1].id,
            &slot("2026-12-01", "15:00", "17:00").unwrap(),
            before
        )
        .await,
        Err(ServiceError::Invalid(_))
    ));
    let after = before + Duration::days(30);
    assert!(matches!(
        meetings::move_meeting(db, id, list[0].id, &later, after).await,
        Err(ServiceError::Invalid(_))
    ));
    meetings::cancel_meeting(db, id, list[2].id, before)
        .await
        .unwrap();
    // Those inside were told by mail, with the invitation for their calendar: planned, moved
    // (same UID, SEQUENCE 1), cancelled; never the group's name. Not yet inside: nothing.
    let mails = |address: &'static str| async move {
        app::messaging::entity::mail::Entity::find()
            .filter(app::messaging::entity::mail::Column::Recipient.eq(address))
            .filter(app::messaging::entity::mail::Column::Kind.eq("intervision_meeting"))
            .order_by_asc(app::messaging::entity::mail::Column::Id)
            .all(db)
            .await
            .unwrap()
    };
    let told = mails("anna@test.invalid").await;
    let subjects: Vec<&str> = told.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "Nieuwe bijeenkomsten van uw intervisiegroep",
            "Bijeenkomst verplaatst",
            "Bijeenkomst afgelast"
        ]
    );
    let uid = format!("UID:intervision-meeting-{}@", list[0].id);
    let moved_invitation = told[1].calendar.clone().unwrap();
    for line in [
        "METHOD:REQUEST",
        "SEQUENCE:1",
        uid.as_str(),
        "SUMMARY:Intervisie",
    ] {
        assert!(
            moved_invitation.contains(line),
            "{line} in {moved_invitation}"
        );
    }
    let cancellation = told[2].calendar.clone().unwrap();
    assert!(cancellation.contains("METHOD:CANCEL") && cancellation.contains("STATUS:CANCELLED"));
    for mail in &told {
        assert!(!mail.body.contains("Noord") && !mail.calendar.clone().unwrap().contains("Noord"));
    }
    assert!(mails("pending@test.invalid").await.is_empty());

    let feed_of = |user: i32| async move {
        let token = app::training::service::calendar::renew_feed(db, user, now())
            .await
            .unwrap();
        app::calendar_feed::personal_feed(db, &token).await.unwrap()
    };
    let feed = feed_of(anna.user_id).await;
    // 15:00 in Amsterdam in winter is 14:00 UTC; the cancelled meeting is gone.
    assert!(feed.contains("DTSTART:20270121T140000Z"), "{feed}");
    assert_eq!(feed.matches("SUMMARY:Intervisie").count(), 2, "{feed}");
    assert!(!feed.contains("Noord"), "no group name or theme: {feed}");
    assert_eq!(
        feed_of(facilitator.user_id)
            .await
            .matches("SUMMARY:Intervisie")
            .count(),
        2
    );
    assert!(!feed_of(outsider.user_id).await.contains("Intervisie"));
    assert!(
        !feed_of(pending.user_id).await.contains("Intervisie"),
        "a member gets meetings only after accepting the agreement"
    );
}

async fn facilitators_add_and_remove_members_and_admins_hand_a_group_over(db: &DatabaseConnection) {
    use app::intervision::service::management::{
        add_facilitator, admin_remove_member, all_groups, answer_invitation, invite_account,
        open_invitations, remove_facilitator, remove_member,
    };

    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let successor = account(db, "opvolger", &[Role::Facilitator]).await;
    let admin = account(db, "beheerder", &[Role::Admin]).await;
    let people = [
        account(db, "anna", &[]).await,
        account(db, "bob", &[]).await,
        account(db, "cara", &[]).await,
        account(db, "dirk", &[]).await,
    ];
    for person in people.iter().chain([&successor]) {
        let mut row: app::identity::entity::user::ActiveModel =
            app::identity::entity::user::Entity::find_by_id(person.user_id)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .into();
        row.email = Set(Some(format!(
            "{}@voorbeeld.nl",
            person.display_name.clone().unwrap().replace("Demo ", "")
        )));
        row.update(db).await.unwrap();
    }
    // The builder stored the successor's facilitator role, as a login would have.
    let id = group(db, &facilitator, "3").await;
    let refusal = |result: Result<(), ServiceError>| match result {
        Err(ServiceError::Invalid(message)) => message,
        other => panic!("expected a Dutch refusal, got {other:?}"),
    };
    let mails = || async {
        app::messaging::entity::mail::Entity::find()
            .filter(app::messaging::entity::mail::Column::Kind.eq("intervision_invitation"))
            .all(db)
            .await
            .unwrap()
    };
    // Typing that is no address is refused; an unknown address gets the same answer as a
    // known one, and nothing is sent or kept.
    assert!(refusal(invite_account(db, id, "anna", now()).await).contains("e-mailadres"));
    invite_account(db, id, "niemand@voorbeeld.nl", now())
        .await
        .unwrap();
    assert!(mails().await.is_empty());
    // The address as typed, in any case: Anna is asked (once), not added.
    invite_account(db, id, " Anna@voorbeeld.nl ", now())
        .await
        .unwrap();
    invite_account(db, id, "anna@voorbeeld.nl", now())
        .await
        .unwrap();
    let sent = mails().await;
    assert_eq!(sent.len(), 1, "asked once");
    assert_eq!(sent[0].recipient, "anna@voorbeeld.nl");
    assert!(!sent[0].body.contains("Noord") && !sent[0].subject.contains("Noord"));
    assert!(
        !standing(db, id, people[0].user_id)
            .await
            .unwrap()
            .unwrap()
            .is_member
    );
    assert_eq!(
        open_invitations(db, people[0].user_id, now())
            .await
            .unwrap(),
        vec![(id, "Intervisiegroep Noord".to_owned())]
    );
    // She accepts: a member, but nothing inside shows before the agreement is accepted.
    answer_invitation(db, id, people[0].user_id, true, now())
        .await
        .unwrap();
    let anna = standing(db, id, people[0].user_id).await.unwrap().unwrap();
    assert!(anna.is_member);
    assert_eq!(anna.relation(), Relation::Unrelated);
    assert!(
        open_invitations(db, people[0].user_id, now())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        refusal(answer_invitation(db, id, people[0].user_id, true, now()).await)
            .contains("niet (meer) geldig")
    );
    // Declining changes nothing for the group; nobody can answer an invitation not sent.
    invite_account(db, id, "dirk@voorbeeld.nl", now())
        .await
        .unwrap();
    answer_invitation(db, id, people[3].user_id, false, now())
        .await
        .unwrap();
    assert!(
        !standing(db, id, people[3].user_id)
            .await
            .unwrap()
            .unwrap()
            .is_member
    );
    assert!(
        answer_invitation(db, id, people[2].user_id, true, now())
            .await
            .is_err()
    );
    for (person, address) in [(1, "bob@voorbeeld.nl"), (2, "cara@voorbeeld.nl")] {
        invite_account(db, id, address, now()).await.unwrap();
        answer_invitation(db, id, people[person].user_id, true, now())
            .await
            .unwrap();
    }
    invite_account(db, id, "dirk@voorbeeld.nl", now())
        .await
        .unwrap();
    assert!(
        refusal(answer_invitation(db, id, people[3].user_id, true, now()).await).contains("vol")
    );
    remove_member(db, id, people[1].user_id).await.unwrap();
    assert!(
        !standing(db, id, people[1].user_id)
            .await
            .unwrap()
            .unwrap()
            .is_member
    );

    // An admin who also has the facilitator role cannot hand a group to themselves.
    let mut row: app::identity::entity::user::ActiveModel =
        app::identity::entity::user::Entity::find_by_id(admin.user_id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into();
    row.email = Set(Some("beheerder@voorbeeld.nl".into()));
    row.update(db).await.unwrap();
    app::identity::entity::user_role::ActiveModel {
        user_id: Set(admin.user_id),
        role: Set("facilitator".into()),
    }
    .insert(db)
    .await
    .unwrap();
    assert!(
        refusal(add_facilitator(db, id, "beheerder@voorbeeld.nl", admin.user_id, now()).await)
            .contains("uzelf")
    );
    // Handing over: the successor needs the role, and the last facilitator stays.
    assert!(
        refusal(add_facilitator(db, id, "dirk@voorbeeld.nl", admin.user_id, now()).await)
            .contains("rol")
    );
    assert!(
        refusal(remove_facilitator(db, id, facilitator.user_id, admin.user_id, now()).await)
            .contains("minstens één")
    );
    add_facilitator(db, id, "opvolger@voorbeeld.nl", admin.user_id, now())
        .await
        .unwrap();
    remove_facilitator(db, id, facilitator.user_id, admin.user_id, now())
        .await
        .unwrap();
    admin_remove_member(db, id, people[2].user_id, admin.user_id, now())
        .await
        .unwrap();
    let successor_standing = standing(db, id, successor.user_id).await.unwrap().unwrap();
    assert!(successor_standing.is_facilitator);
    assert!(
        !standing(db, id, facilitator.user_id)
            .await
            .unwrap()
            .unwrap()
            .is_facilitator
    );
    let audited = app::identity::entity::audit_event::Entity::find()
        .filter(app::identity::entity::audit_event::Column::Event.eq("group_managed"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(audited, 3, "added, removed, member removed");
    let (overview, page, pages) = all_groups(db, 1, now()).await.unwrap();
    assert_eq!((overview.len(), page, pages), (1, 1, 1));
    assert_eq!(
        overview[0].facilitators,
        vec![(successor.user_id, "Demo opvolger".to_owned())]
    );
    assert_eq!(
        overview[0].members,
        vec![(people[0].user_id, "Demo anna".to_owned())]
    );
}

async fn a_changed_agreement_is_accepted_again_before_anything_shows(db: &DatabaseConnection) {
    use app::intervision::service::groups::change_agreement;

    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    let text = "Wat in de groep besproken wordt, blijft in de groep. Casussen zonder namen.";
    let refusal = |result: Result<i32, ServiceError>| match result {
        Err(ServiceError::Invalid(message)) => message,
        other => panic!("expected a Dutch refusal, got {other:?}"),
    };
    assert!(refusal(change_agreement(db, id, "kort", now()).await).contains("minstens 40"));
    assert!(
        refusal(change_agreement(db, id, &format!("{text} Vragen via 06-12345678."), now()).await)
            .contains("telefoonnummer")
    );
    assert_eq!(change_agreement(db, id, text, now()).await.unwrap(), 2);
    assert!(refusal(change_agreement(db, id, text, now()).await).contains("niet gewijzigd"));
    // Anna accepted version 1: nothing inside until she accepts version 2.
    let standing_now = standing(db, id, anna.user_id).await.unwrap().unwrap();
    assert_eq!(standing_now.relation(), Relation::Unrelated);
    assert!(matches!(
        authorize_group(db, Some(&anna), id, Action::ReadGroup, false).await,
        Err(AppError::NotFound)
    ));
    assert!(
        accept_agreement(db, &standing_now.group, anna.user_id, 1, now())
            .await
            .is_err()
    );
    accept_agreement(db, &standing_now.group, anna.user_id, 2, now())
        .await
        .unwrap();
    assert_eq!(
        standing(db, id, anna.user_id)
            .await
            .unwrap()
            .unwrap()
            .relation(),
        Relation::MemberOfGroup
    );
}

async fn meeting_notes_are_sealed_guarded_and_deleted_by_their_writer(db: &DatabaseConnection) {
    use app::intervision::model::SeriesForm;
    use app::intervision::rules::{check_post, parse_series_form};
    use app::intervision::service::{meetings, notes, retention};

    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let id = group(db, &facilitator, "8").await;
    let other = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    let spec = parse_series_form(&SeriesForm {
        first_date: "2027-01-14".into(),
        count: "1".into(),
        location: "Utrecht".into(),
        ..SeriesForm::default()
    })
    .unwrap();
    meetings::add_series(db, id, &spec, now()).await.unwrap();
    let meeting = meetings::meetings_of(db, id, now()).await.unwrap()[0].id;
    // The guard stops a BSN in a note as in a reply.
    assert!(check_post("Het BSN is 111222333.", false).is_err());
    let text = "Afgesproken: de mentor vraagt de zorgcoördinator om een gesprek.";
    let valid = check_post(text, false).unwrap();
    let note = notes::add_note(db, &sealer, id, meeting, anna.user_id, &valid, now())
        .await
        .unwrap();
    assert!(matches!(
        notes::add_note(db, &sealer, other, meeting, anna.user_id, &valid, now()).await,
        Err(ServiceError::NotFound)
    ));
    let stored = app::intervision::entity::meeting_note::Entity::find_by_id(note)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !stored
            .sealed
            .windows(8)
            .any(|w| text.as_bytes().windows(8).any(|t| t == w)),
        "no run of the text in the stored bytes"
    );
    let read = notes::notes_of(db, &sealer, meeting, facilitator.user_id)
        .await
        .unwrap();
    assert_eq!((read[0].text.as_str(), read[0].mine), (text, false));
    assert!(matches!(
        notes::delete_own_note(db, id, meeting, note, facilitator.user_id).await,
        Err(ServiceError::NotFound)
    ));
    // Not through another group's address.
    assert!(matches!(
        notes::delete_own_note(db, other, meeting, note, anna.user_id).await,
        Err(ServiceError::NotFound)
    ));
    notes::delete_own_note(db, id, meeting, note, anna.user_id)
        .await
        .unwrap();
    assert!(
        notes::notes_of(db, &sealer, meeting, anna.user_id)
            .await
            .unwrap()
            .is_empty()
    );
    // Past the group's retention after the meeting, its notes go.
    notes::add_note(db, &sealer, id, meeting, anna.user_id, &valid, now())
        .await
        .unwrap();
    retention::purge_expired(db, now() + Duration::days(800))
        .await
        .unwrap();
    assert!(
        notes::notes_of(db, &sealer, meeting, anna.user_id)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Ten years hold hundreds of groups: the admins' list is paged by name, and an action on a
/// group leads back to the page that shows it.
async fn the_admins_list_of_groups_is_paged_by_name(db: &DatabaseConnection) {
    use app::intervision::model::GROUPS_PAGE_SIZE;
    use app::intervision::service::management::{all_groups, group_location};

    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let count = GROUPS_PAGE_SIZE + 3;
    let mut ids = Vec::new();
    for n in 0..count {
        let name = format!("Groep {n:03}");
        ids.push(
            GroupBuilder::new()
                .name(&name)
                .create(db, &facilitator)
                .await,
        );
    }
    let (first, page, pages) = all_groups(db, 1, now()).await.unwrap();
    assert_eq!((first.len() as u64, page, pages), (GROUPS_PAGE_SIZE, 1, 2));
    assert_eq!(first[0].name, "Groep 000");
    assert_eq!(first[0].facilitators.len(), 1);
    let (second, page, _) = all_groups(db, 9, now()).await.unwrap();
    assert_eq!(
        (second.len(), page),
        (3, 2),
        "a page past the end shows the last"
    );
    assert_eq!(second[2].name, format!("Groep {:03}", count - 1));
    let last = *ids.last().unwrap();
    assert_eq!(
        group_location(db, last).await.unwrap(),
        format!("/beheer/intervisie?pagina=2#groep-{last}")
    );
    assert_eq!(
        group_location(db, ids[0]).await.unwrap(),
        format!("/beheer/intervisie?pagina=1#groep-{}", ids[0])
    );
}

on_both_databases!(
    the_admins_list_of_groups_is_paged_by_name,
    the_author_completes_corrects_and_deletes_their_dilemma,
    meeting_notes_are_sealed_guarded_and_deleted_by_their_writer,
    a_changed_agreement_is_accepted_again_before_anything_shows,
    a_meeting_moves_and_the_calendar_feed_shows_it_without_the_theme,
    facilitators_add_and_remove_members_and_admins_hand_a_group_over,
    the_facilitator_moves_a_method_through_its_steps,
    action_points_come_back_in_the_follow_up_round_until_done,
    a_series_attendance_and_the_record_with_hours,
    past_its_retention_a_dilemma_goes_and_only_a_count_stays,
    a_new_key_seals_everything_again_and_the_old_one_opens_nothing,
    invitations_are_single_use_and_the_agreement_comes_first,
    dilemmas_are_sealed_and_every_read_is_recorded,
    threads_tell_the_group_there_is_news_and_nothing_more,
);

/// The embedded run's demo group has a meeting ahead on any day it starts, through 2030;
/// starting again while one lies ahead changes nothing.
#[tokio::test]
async fn the_demo_group_has_a_meeting_ahead_whenever_the_platform_starts() {
    use app::intervision::service::meetings::meetings_of;

    let db = crate::common::sqlite().await;
    let issuer = "http://127.0.0.1:3200";
    let mut count_after_first = None;
    for day in ["2026-12-06", "2026-12-07", "2028-11-30", "2030-12-20"] {
        let at: chrono::DateTime<chrono::Utc> = format!("{day}T09:00:00Z").parse().unwrap();
        app::demo::seed(&db, issuer, at).await.unwrap();
        let groups = app::intervision::entity::group::Entity::find()
            .all(&db)
            .await
            .unwrap();
        assert_eq!(groups.len(), 1, "one demo group");
        let meetings = meetings_of(&db, groups[0].id, at).await.unwrap();
        assert!(meetings.iter().any(|m| !m.past), "a meeting ahead on {day}");
        count_after_first.get_or_insert(meetings.len());
        if day == "2026-12-07" {
            assert_eq!(Some(meetings.len()), count_after_first, "nothing added");
        }
    }
}
