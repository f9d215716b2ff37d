//! `leerplatform backup` during a burst of enrolments and replies, then `restore` into an
//! empty database: every write acknowledged before the backup began is there, the sealed
//! intervision texts still open with the key, and both commands refuse what is unsafe.
//! On SQLite and on PostgreSQL.

use std::sync::{Arc, Mutex};

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::support::{PostgresDatabase, TEST_INTERVISION_KEY, TRAINING, login_as, test_app_on};

/// What the burst wrote and was told was saved: enrolments by account, replies by id.
#[derive(Default, Clone)]
struct Acknowledged {
    enrolled: Vec<i32>,
    replies: Vec<i32>,
}

async fn backup_during_a_burst_restores_every_acknowledged_write(
    source_url: &str,
    target_url: &str,
    file: &std::path::Path,
) {
    use app::intervision::model::GroupForm;
    use app::intervision::rules::{check_dilemma, check_post, parse_group_form};
    use app::intervision::service::{dilemmas, groups, posts, sealing::Sealer};

    let db = server::open_database(source_url).await.unwrap();
    let _app = test_app_on(db.clone(), None, &[]).await;
    let sealer = Sealer::from_base64(TEST_INTERVISION_KEY).unwrap();
    let now = chrono::Utc::now();
    let (facilitator, _) = login_as(&db, "begeleider", &["facilitator"]).await;
    let spec = parse_group_form(&GroupForm {
        name: "Back-upgroep".into(),
        ..GroupForm::default()
    })
    .unwrap();
    let group = groups::create_group(&db, &spec, facilitator, now)
        .await
        .unwrap();
    let mut form = app::intervision::model::DilemmaForm {
        work_field: "zorg".into(),
        phenomenon: "jihadisme".into(),
        ..Default::default()
    };
    form.texts.insert(
        "situatie".into(),
        "Een cliënt vertelt over een reis.".into(),
    );
    form.texts.insert("vraag".into(), "Wat weeg ik mee?".into());
    let dilemma = dilemmas::save_dilemma(
        &db,
        &sealer,
        group,
        facilitator,
        &check_dilemma(&form).unwrap(),
        now,
    )
    .await
    .unwrap();
    let mut people = Vec::new();
    for n in 0..40 {
        people.push(login_as(&db, &format!("deelnemer{n}"), &[]).await.0);
    }

    // The burst: each person enrols and the facilitator replies, one after the other.
    let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
    let burst = {
        let (db, sealer, acknowledged) = (db.clone(), sealer.clone(), acknowledged.clone());
        tokio::spawn(async move {
            for (n, person) in people.into_iter().enumerate() {
                let when = chrono::Utc::now();
                if app::training::service::enrolment::enrol(
                    &db,
                    person,
                    TRAINING,
                    "2031-voorjaar",
                    &[],
                    when,
                )
                .await
                .is_ok()
                {
                    acknowledged.lock().unwrap().enrolled.push(person);
                }
                let reply = check_post(&format!("Reactie nummer {n} op de casus."), false).unwrap();
                if let Ok(id) =
                    posts::add_post(&db, &sealer, group, dilemma, facilitator, &reply, when).await
                {
                    acknowledged.lock().unwrap().replies.push(id);
                }
            }
        })
    };
    // Some way in, the backup starts: what was acknowledged until then must be in it.
    while acknowledged.lock().unwrap().replies.len() < 10 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before = acknowledged.lock().unwrap().clone();
    let written = server::backup::backup(source_url, file).await.unwrap();
    assert!(written.contains("backup written"), "{written}");
    burst.await.unwrap();
    assert!(
        acknowledged.lock().unwrap().replies.len() > before.replies.len(),
        "the burst went on during the backup"
    );
    // Never over a file, never into a database with tables.
    assert!(server::backup::backup(source_url, file).await.is_err());
    assert!(server::backup::restore(source_url, file).await.is_err());

    let restored = server::backup::restore(target_url, file).await.unwrap();
    assert!(restored.contains("restored"), "{restored}");
    let copy: DatabaseConnection = server::open_database(target_url).await.unwrap();
    for person in &before.enrolled {
        let found = app::training::entity::enrolment::Entity::find()
            .filter(app::training::entity::enrolment::Column::UserId.eq(*person))
            .one(&copy)
            .await
            .unwrap();
        assert!(
            found.is_some(),
            "the enrolment of {person} is in the backup"
        );
    }
    let thread = posts::thread(&copy, &sealer, dilemma, facilitator)
        .await
        .unwrap();
    for id in &before.replies {
        let reply = thread.iter().find(|post| post.id == *id);
        assert!(
            reply.is_some_and(|post| post.text.starts_with("Reactie nummer")),
            "reply {id} opens with the key"
        );
    }
    // The dilemma itself opens too.
    let form = dilemmas::own_dilemma_form(&copy, &sealer, group, dilemma, facilitator)
        .await
        .unwrap();
    assert_eq!(
        form.texts.get("vraag").map(String::as_str),
        Some("Wat weeg ik mee?")
    );
    let _ = copy.close().await;
    let _ = db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_during_a_burst_restores_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let source = format!("sqlite://{}/bron.db?mode=rwc", dir.path().display());
    let target = format!(
        "sqlite://{}/terug/hersteld.db?mode=rwc",
        dir.path().display()
    );
    backup_during_a_burst_restores_every_acknowledged_write(
        &source,
        &target,
        &dir.path().join("leerplatform.backup"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_during_a_burst_restores_every_acknowledged_write() {
    let source = PostgresDatabase::create("lp_backup_source").await;
    let target = PostgresDatabase::create("lp_backup_target").await;
    let dir = tempfile::tempdir().unwrap();
    backup_during_a_burst_restores_every_acknowledged_write(
        &source.url(),
        &target.url(),
        &dir.path().join("leerplatform.dump"),
    )
    .await;
    source.drop().await;
    target.drop().await;
}
