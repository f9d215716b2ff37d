//! The time to save a dilemma as a member does: the privacy guard over every field, sealing,
//! and the insert, on an SQLite file (the embedded default). Prints p50 and p99 over 500 saves;
//! asserts nothing.

use std::time::{Duration, Instant};

use app::identity::entity::user;
use app::intervision::model::{DilemmaForm, GroupForm};
use app::intervision::rules::{check_dilemma, parse_group_form};
use app::intervision::service::{dilemmas, groups, sealing::Sealer};
use sea_orm::{ActiveModelTrait, Set};

const SAVES: usize = 500;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let db = app::db::connect_and_migrate(&url).await.expect("database");
    let now = chrono::Utc::now();
    let member = user::ActiveModel {
        issuer: Set("http://127.0.0.1/bench".into()),
        subject: Set("lid".into()),
        created_at: Set(now),
        last_login_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .expect("account");
    let spec = parse_group_form(&GroupForm {
        name: "Benchgroep".into(),
        ..GroupForm::default()
    })
    .expect("group form");
    let group = groups::create_group(&db, &spec, member.id, now)
        .await
        .expect("group");
    let sealer = Sealer::from_base64(&Sealer::generate_key()).expect("key");
    let mut form = DilemmaForm {
        work_field: "onderwijs".into(),
        phenomenon: "rechts-extremisme".into(),
        ..Default::default()
    };
    let paragraph = "Een leerling (16) van de bovenbouw deelt in de klasgroep memes met symbolen \
        die collega's herkennen uit extreemrechtse online subculturen. De mentor twijfelt of dit \
        provocatie is of meer, en hoe het gesprek met de ouders en de zorgcoördinator te voeren. ";
    for field in ["situatie", "vraag", "overwegingen", "advies", "meenemen"] {
        form.texts.insert(field.into(), paragraph.repeat(3));
    }
    let mut times = Vec::with_capacity(SAVES);
    for _ in 0..SAVES {
        let started = Instant::now();
        let valid = check_dilemma(&form).expect("a clean dilemma");
        dilemmas::save_dilemma(&db, &sealer, group, member.id, &valid, now)
            .await
            .expect("saved");
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "dilemma save (guard + seal + insert, SQLite file, {} B of text): p50 {:.2} ms, p99 {:.2} ms over {SAVES} saves",
        paragraph.len() * 3 * 5,
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
    );
}
