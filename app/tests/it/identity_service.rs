//! Accounts, roles, profiles, exports, the audit log and the session store, on SQLite and
//! PostgreSQL.

use app::identity::access::Role;
use app::identity::model::AuditEventKind;
use app::identity::rules::{Profile, Register, WorkField};
use app::identity::service::session_store::DbSessionStore;
use app::identity::service::{accounts, audit};
use sea_orm::{DatabaseConnection, EntityTrait};
use tower_sessions::cookie::time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

const ISSUER: &str = "https://id.example.nl";

fn profile() -> Profile {
    Profile {
        display_name: "Sanne de Vries".into(),
        organisation: "Gemeente Utrecht".into(),
        work_field: WorkField::Gemeente,
        registers: vec![
            (Register::Big, "12345678901".into()),
            (Register::Skj, "100012345".into()),
        ],
    }
}

async fn same_subject_is_one_account(db: &DatabaseConnection) {
    let first = accounts::record_login(db, ISSUER, "abc", None, crate::common::now())
        .await
        .unwrap();
    let again = accounts::record_login(db, ISSUER, "abc", None, crate::common::now())
        .await
        .unwrap();
    let other_issuer = accounts::record_login(
        db,
        "https://other.example",
        "abc",
        None,
        crate::common::now(),
    )
    .await
    .unwrap();
    assert_eq!(first, again);
    assert_ne!(first, other_issuer, "identity is issuer + subject");
    let viewer = accounts::viewer(db, first).await.unwrap().unwrap();
    assert!(!viewer.profile_complete);
    assert!(viewer.roles.is_empty());
    assert!(viewer.has_role(Role::Participant));
}

async fn claimed_roles_replace_stored_roles_and_are_audited(db: &DatabaseConnection) {
    let id = accounts::record_login(
        db,
        ISSUER,
        "ed",
        Some(&[Role::Editor, Role::Trainer]),
        crate::common::now(),
    )
    .await
    .unwrap();
    assert_eq!(
        accounts::viewer(db, id).await.unwrap().unwrap().roles,
        vec![Role::Trainer, Role::Editor]
    );
    accounts::record_login(
        db,
        ISSUER,
        "ed",
        Some(&[Role::Editor]),
        crate::common::now(),
    )
    .await
    .unwrap();
    assert_eq!(
        accounts::viewer(db, id).await.unwrap().unwrap().roles,
        vec![Role::Editor]
    );
    // Same roles again: no new audit entry.
    accounts::record_login(
        db,
        ISSUER,
        "ed",
        Some(&[Role::Editor]),
        crate::common::now(),
    )
    .await
    .unwrap();
    let changes = audit::list(
        db,
        Some(AuditEventKind::RolesChanged),
        app::identity::model::AuditStretch::Newest,
    )
    .await
    .unwrap();
    assert_eq!(changes.entries.len(), 2);
    assert_eq!(
        changes.entries[0].detail,
        "Trainer, Redacteur → Redacteur (door de inlogdienst)"
    );
}

async fn admins_set_roles_but_not_away_their_own_admin(db: &DatabaseConnection) {
    let admin = accounts::record_login(
        db,
        ISSUER,
        "admin",
        Some(&[Role::Admin]),
        crate::common::now(),
    )
    .await
    .unwrap();
    let user = accounts::record_login(db, ISSUER, "user", None, crate::common::now())
        .await
        .unwrap();
    accounts::set_roles(db, admin, user, &[Role::Facilitator], crate::common::now())
        .await
        .unwrap();
    assert_eq!(
        accounts::viewer(db, user).await.unwrap().unwrap().roles,
        vec![Role::Facilitator]
    );
    let refused = accounts::set_roles(db, admin, admin, &[], crate::common::now()).await;
    assert!(matches!(refused, Err(app::error::ServiceError::Invalid(_))));
    assert!(matches!(
        accounts::set_roles(db, admin, 9999, &[], crate::common::now()).await,
        Err(app::error::ServiceError::NotFound)
    ));
    let latest = audit::list(db, None, app::identity::model::AuditStretch::Newest)
        .await
        .unwrap()
        .entries
        .remove(0);
    assert_eq!(latest.actor_user_id, Some(admin));
    assert_eq!(latest.subject_user_id, Some(user));
}

async fn profile_round_trip_and_export(db: &DatabaseConnection) {
    let id = accounts::record_login(db, ISSUER, "sanne", None, crate::common::now())
        .await
        .unwrap();
    assert_eq!(accounts::profile(db, id).await.unwrap(), None);
    accounts::save_profile(db, id, &profile(), crate::common::now())
        .await
        .unwrap();
    assert_eq!(accounts::profile(db, id).await.unwrap(), Some(profile()));
    // Saved unchanged, no stored row changes; a changed number keeps its row.
    let rows = || async {
        let mut rows = app::identity::entity::register_number::Entity::find()
            .all(db)
            .await
            .unwrap();
        rows.sort_by_key(|row| row.id);
        rows
    };
    let before = rows().await;
    assert_eq!(before.len(), 2);
    accounts::save_profile(db, id, &profile(), crate::common::now())
        .await
        .unwrap();
    assert_eq!(rows().await, before, "saved unchanged: the same rows");
    let mut renumbered = profile();
    renumbered.registers[1].1 = "765432".into();
    accounts::save_profile(db, id, &renumbered, crate::common::now())
        .await
        .unwrap();
    let after = rows().await;
    assert_eq!(after[1].id, before[1].id, "the same row, a new number");
    assert_eq!(after[1].number, "765432");
    assert_eq!(after[0], before[0]);
    let mut fewer = profile();
    fewer.registers.truncate(1);
    accounts::save_profile(db, id, &fewer, crate::common::now())
        .await
        .unwrap();
    assert_eq!(accounts::profile(db, id).await.unwrap(), Some(fewer));
    let viewer = accounts::viewer(db, id).await.unwrap().unwrap();
    assert!(viewer.profile_complete);
    assert_eq!(viewer.display_name.as_deref(), Some("Sanne de Vries"));

    let export = accounts::export_user_data(db, id, crate::common::now())
        .await
        .unwrap();
    assert_eq!(export["profiel"]["naam"], "Sanne de Vries");
    assert_eq!(
        export["profiel"]["registraties"][0]["nummer"],
        "12345678901"
    );
    assert_eq!(export["account"]["subject"], "sanne");
    assert_eq!(
        export["gebeurtenissen"][0]["gebeurtenis"],
        "profile_exported"
    );
    let exports = audit::list(
        db,
        Some(AuditEventKind::ProfileExported),
        app::identity::model::AuditStretch::Newest,
    )
    .await
    .unwrap();
    assert_eq!(exports.entries.len(), 1);
    assert_eq!(exports.entries[0].detail, "", "no profile data in the log");
}

async fn audit_log_pages_newest_first(db: &DatabaseConnection) {
    for i in 0..120 {
        accounts::audit_session_event(
            db,
            AuditEventKind::LoginFailed,
            None,
            &format!("r{i}"),
            crate::common::now(),
        )
        .await
        .unwrap();
    }
    accounts::audit_session_event(
        db,
        AuditEventKind::Logout,
        Some(1),
        "",
        crate::common::now(),
    )
    .await
    .unwrap();
    // All at one moment: the stretches are told apart by the events' ids alone.
    use app::identity::model::AuditStretch::{After, Before, Newest};
    let ids = |page: &app::identity::model::AuditPage| -> Vec<i32> {
        page.entries.iter().map(|e| e.id).collect()
    };
    let first = audit::list(db, None, Newest).await.unwrap();
    assert_eq!(first.entries.len(), 50);
    assert_eq!(first.entries[0].event, AuditEventKind::Logout);
    assert_eq!(first.newer_than, None);
    let older = first.older_than.expect("older events");
    let second = audit::list(db, None, Before(older)).await.unwrap();
    assert_eq!(second.entries.len(), 50);
    assert!(second.entries[0].id < first.entries[49].id);
    let third = audit::list(db, None, Before(second.older_than.unwrap()))
        .await
        .unwrap();
    assert_eq!(third.entries.len(), 21);
    assert_eq!(third.older_than, None, "nothing before the first event");
    assert_eq!(third.entries.last().unwrap().detail, "andere reden (r0)");
    // Back again, newer stretch by newer stretch, to the same entries.
    let back = audit::list(db, None, After(third.newer_than.unwrap()))
        .await
        .unwrap();
    assert_eq!(ids(&back), ids(&second));
    let newest = audit::list(db, None, After(back.newer_than.unwrap()))
        .await
        .unwrap();
    assert_eq!(ids(&newest), ids(&first));
    assert_eq!(newest.newer_than, None);
    // An event that is not there leads to the newest stretch.
    let gone = audit::list(db, None, Before(i32::MAX)).await.unwrap();
    assert_eq!(ids(&gone), ids(&first));
    let failures = audit::list(db, Some(AuditEventKind::LoginFailed), Newest)
        .await
        .unwrap();
    assert!(
        failures
            .entries
            .iter()
            .all(|e| e.event == AuditEventKind::LoginFailed)
    );
}

fn record(minutes: i64) -> Record {
    Record {
        id: Id::default(),
        data: [("user_id".to_owned(), serde_json::json!(7))]
            .into_iter()
            .collect(),
        expiry_date: OffsetDateTime::now_utc() + Duration::minutes(minutes),
    }
}

async fn session_store_saves_loads_deletes_and_purges(db: &DatabaseConnection) {
    let store = DbSessionStore::new(db.clone());
    let mut live = record(30);
    store.create(&mut live).await.unwrap();
    let loaded = store.load(&live.id).await.unwrap().unwrap();
    assert_eq!(loaded.data, live.data);
    live.data.insert("x".into(), serde_json::json!(1));
    store.save(&live).await.unwrap();
    assert_eq!(store.load(&live.id).await.unwrap().unwrap().data.len(), 2);

    let mut expired = record(-1);
    store.create(&mut expired).await.unwrap();
    assert_eq!(
        store.load(&expired.id).await.unwrap(),
        None,
        "expired is gone"
    );
    assert_eq!(store.purge_expired().await.unwrap(), 1);

    store.delete(&live.id).await.unwrap();
    assert_eq!(store.load(&live.id).await.unwrap(), None);
    assert_eq!(store.load(&Id::default()).await.unwrap(), None);
    // A request that loaded the session before the logout saves afterwards: the session
    // stays dead.
    live.data.insert("late".into(), serde_json::json!(true));
    store.save(&live).await.unwrap();
    assert_eq!(store.load(&live.id).await.unwrap(), None);
}

async fn an_unchanged_session_is_written_only_when_its_expiry_moved_a_minute(
    db: &DatabaseConnection,
) {
    use app::identity::entity::session;
    use app::identity::service::session_store::EXPIRY_SLACK_SECONDS;
    use sea_orm::EntityTrait;
    let stored_expiry = || async {
        session::Entity::find().all(db).await.unwrap()[0]
            .expires_at
            .timestamp()
    };
    let store = DbSessionStore::new(db.clone());
    let mut live = record(30);
    store.create(&mut live).await.unwrap();
    let created = stored_expiry().await;

    // A page view: the rolling expiry moves a few seconds, the data stays.
    let mut viewed = store.load(&live.id).await.unwrap().unwrap();
    viewed.expiry_date += Duration::seconds(5);
    store.save(&viewed).await.unwrap();
    assert_eq!(stored_expiry().await, created, "no write for a few seconds");

    viewed.expiry_date += Duration::seconds(EXPIRY_SLACK_SECONDS);
    store.save(&viewed).await.unwrap();
    assert_eq!(
        stored_expiry().await,
        viewed.expiry_date.unix_timestamp(),
        "written once the expiry moved a minute"
    );

    // Changed data is always written, even with the same expiry.
    viewed
        .data
        .insert("melding".into(), serde_json::json!("Opgeslagen."));
    store.save(&viewed).await.unwrap();
    let fresh = DbSessionStore::new(db.clone());
    assert_eq!(
        fresh.load(&live.id).await.unwrap().unwrap().data,
        viewed.data
    );

    // A one-minute idle timeout still slides: the slack is at most a tenth of the time left.
    let mut short = record(1);
    store.create(&mut short).await.unwrap();
    let mut viewed = store.load(&short.id).await.unwrap().unwrap();
    viewed.expiry_date += Duration::seconds(10);
    store.save(&viewed).await.unwrap();
    assert_eq!(
        fresh
            .load(&short.id)
            .await
            .unwrap()
            .unwrap()
            .expiry_date
            .unix_timestamp(),
        viewed.expiry_date.unix_timestamp()
    );
}

async fn session_ids_are_not_stored_in_clear(db: &DatabaseConnection) {
    use app::identity::entity::session;
    use sea_orm::EntityTrait;
    let store = DbSessionStore::new(db.clone());
    let mut live = record(30);
    store.create(&mut live).await.unwrap();
    let rows = session::Entity::find().all(db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].id, live.id.to_string());
    assert_eq!(rows[0].id.len(), 64);
}

async fn the_account_list_comes_in_pages(db: &DatabaseConnection) {
    for n in 0..55 {
        accounts::record_login(
            db,
            ISSUER,
            &format!("gebruiker-{n:02}"),
            None,
            crate::common::now(),
        )
        .await
        .unwrap();
    }
    let first = accounts::list_users(db, 1).await.unwrap();
    assert_eq!(
        (first.users.len(), first.page, first.page_count),
        (50, 1, 2)
    );
    let last = accounts::list_users(db, 9).await.unwrap();
    assert_eq!(
        (last.users.len(), last.page),
        (5, 2),
        "past the end: the last page"
    );
    assert!(
        last.users
            .iter()
            .all(|u| !first.users.iter().any(|f| f.id == u.id)),
        "no account on two pages"
    );
    assert!(
        first.users[0]
            .label
            .starts_with("account zonder profiel (#")
    );
}

on_both_databases!(
    the_account_list_comes_in_pages,
    same_subject_is_one_account,
    claimed_roles_replace_stored_roles_and_are_audited,
    admins_set_roles_but_not_away_their_own_admin,
    profile_round_trip_and_export,
    audit_log_pages_newest_first,
    session_store_saves_loads_deletes_and_purges,
    session_ids_are_not_stored_in_clear,
    an_unchanged_session_is_written_only_when_its_expiry_moved_a_minute,
);
