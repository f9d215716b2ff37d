//! The reports on SQLite and PostgreSQL: each table counts what happened in its quarter of the
//! chosen year, and leaves the service already suppressed (the same cells on the page and in
//! the CSV).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use app::reports::model::ReportKind;
use app::reports::service::{report, report_csv};
use app::small_count::{Shown, suppress_table};
use app::training::entity::enrolment;
use app::vocabulary::WorkField;

use crate::training_enrolment::{enrol, people, run_spec, set_up, training};

/// Moves `user`'s enrolment to `at`, as if it was made then.
async fn made_at(db: &DatabaseConnection, user: i32, at: &str) {
    let row = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut row: enrolment::ActiveModel = row.into();
    row.created_at = Set(at.parse::<DateTime<Utc>>().unwrap());
    row.update(db).await.unwrap();
}

async fn enrolments_are_counted_per_quarter_and_suppressed(db: &DatabaseConnection) {
    let _dir = set_up(db, training().run(run_spec().capacity(20))).await;
    let teachers = people(db, "leraar", 7, WorkField::Onderwijs).await;
    let police = people(db, "agent", 3, WorkField::Veiligheid).await;
    for id in teachers.iter().chain(&police) {
        enrol(db, *id).await;
    }
    // Six teachers in the first quarter, one on New Year's night in Amsterdam (still 2025 in
    // UTC); one teacher in 2025; the police in the second quarter.
    for id in &teachers[..5] {
        made_at(db, *id, "2026-02-10T09:00:00Z").await;
    }
    made_at(db, teachers[5], "2025-12-31T23:30:00Z").await;
    made_at(db, teachers[6], "2025-06-01T09:00:00Z").await;
    for id in &police {
        made_at(db, *id, "2026-05-10T09:00:00Z").await;
    }

    let by_training = report(
        db,
        ReportKind::EnrolmentsByTraining,
        2026,
        crate::common::now(),
    )
    .await
    .unwrap();
    assert_eq!(by_training.rows, ["Verdieping"]);
    assert_eq!(by_training.shown, suppress_table(&[vec![6, 3, 0, 0]]));
    // The small second quarter shows as "< 5", and enough else is hidden that the totals do
    // not give it away (`small_count`'s property test tries every way).
    assert_eq!(by_training.shown.cells[0][1], Shown::Small);
    assert!(
        by_training.shown.cells[0]
            .iter()
            .chain(&by_training.shown.column_totals)
            .any(|cell| *cell == Shown::Hidden),
        "{:?}",
        by_training.shown
    );

    let by_field = report(
        db,
        ReportKind::EnrolmentsByWorkField,
        2026,
        crate::common::now(),
    )
    .await
    .unwrap();
    let row = |label: &str| by_field.rows.iter().position(|r| r == label).unwrap();
    let mut expected = vec![vec![0u64; 4]; WorkField::ALL.len()];
    expected[row("Onderwijs")][0] = 6;
    expected[row("Veiligheid")][1] = 3;
    assert_eq!(by_field.shown, suppress_table(&expected));
    // The CSV holds the page's cells, "< 5" and "x" included, and the totals.
    let csv = report_csv(&by_field);
    let line = |label: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("\"{label}\";")))
            .unwrap_or_else(|| panic!("{label} in {csv}"))
            .to_owned()
    };
    let cells = |shown: &[Shown]| {
        shown
            .iter()
            .map(|c| format!("\"{}\"", c.nl()))
            .collect::<Vec<_>>()
    };
    let veiligheid = &by_field.shown.cells[row("Veiligheid")];
    assert_eq!(
        line("Veiligheid"),
        format!(
            "\"Veiligheid\";{};\"{}\"",
            cells(veiligheid).join(";"),
            by_field.shown.row_totals[row("Veiligheid")].nl()
        )
    );
    assert!(line("Veiligheid").contains("\"< 5\""));
    assert!(line("Totaal").ends_with("\"9\""), "{csv}");
    assert!(!csv.contains("\"3\""), "no small count in the CSV: {csv}");

    // Another year: nothing of 2026.
    let earlier = report(
        db,
        ReportKind::EnrolmentsByTraining,
        2025,
        crate::common::now(),
    )
    .await
    .unwrap();
    assert_eq!(earlier.shown, suppress_table(&[vec![0, 1, 0, 0]]));
}

/// Reviews by the quarter they fall due, per kind of document; the note says how many dates
/// of the year have passed.
async fn reviews_are_counted_by_the_quarter_they_fall_due(db: &DatabaseConnection) {
    use crate::common::{content_dir, factsheet};
    let due = |slug: &str, day: &str| {
        (
            format!("{slug}.md"),
            factsheet(
                slug,
                &[
                    ("reviewed_on", "reviewed_on: 2025-03-01"),
                    ("review_due", &format!("review_due: {day}")),
                ],
            ),
        )
    };
    let mut files: Vec<(String, String)> = (0..6)
        .map(|i| due(&format!("maart-{i}"), "2026-03-01"))
        .collect();
    files.push(due("december", "2026-12-20"));
    files.push(due("volgend-jaar", "2027-01-10"));
    let dir = content_dir(
        &files
            .iter()
            .map(|(n, t)| (n.as_str(), t.clone()))
            .collect::<Vec<_>>(),
    );
    let report_of =
        app::knowledge::service::import::import_content_dir(db, dir.path(), crate::common::now())
            .await
            .unwrap();
    assert!(report_of.rejected.is_empty(), "{:?}", report_of.rejected);
    let reviews = report(db, ReportKind::ReviewsDue, 2026, crate::common::now())
        .await
        .unwrap();
    assert_eq!(
        reviews.rows,
        ["Factsheets", "Cursussen en modules", "Trainingen"]
    );
    assert_eq!(
        reviews.shown,
        suppress_table(&[vec![6, 0, 0, 1], vec![0; 4], vec![0; 4]])
    );
    assert!(
        reviews
            .note
            .contains("bij 6 daarvan is de datum al voorbij"),
        "{}",
        reviews.note
    );
}

on_both_databases!(
    enrolments_are_counted_per_quarter_and_suppressed,
    reviews_are_counted_by_the_quarter_they_fall_due
);
