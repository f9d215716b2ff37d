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
    assert_eq!(
        *by_training.counts().unwrap(),
        suppress_table(&[vec![6, 3, 0, 0]])
    );
    // The small second quarter shows as "< 5", and enough else is hidden that the totals do
    // not give it away (`small_count`'s property test tries every way).
    assert_eq!(by_training.counts().unwrap().cells[0][1], Shown::Small);
    assert!(
        by_training.counts().unwrap().cells[0]
            .iter()
            .chain(&by_training.counts().unwrap().column_totals)
            .any(|cell| *cell == Shown::Hidden),
        "{:?}",
        by_training.counts().unwrap()
    );

    // Per run: the same counts, labelled with the run's code.
    let by_run = report(db, ReportKind::EnrolmentsByRun, 2026, crate::common::now())
        .await
        .unwrap();
    assert_eq!(by_run.rows, ["Verdieping (2027-voorjaar)"]);
    assert_eq!(by_run.counts(), by_training.counts());

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
    assert_eq!(*by_field.counts().unwrap(), suppress_table(&expected));
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
    let veiligheid = &by_field.counts().unwrap().cells[row("Veiligheid")];
    assert_eq!(
        line("Veiligheid"),
        format!(
            "\"Veiligheid\";{};\"{}\"",
            cells(veiligheid).join(";"),
            by_field.counts().unwrap().row_totals[row("Veiligheid")].nl()
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
    assert_eq!(
        *earlier.counts().unwrap(),
        suppress_table(&[vec![0, 1, 0, 0]])
    );
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
        *reviews.counts().unwrap(),
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

/// The figures of `table` as shown, row by row.
fn shown(table: &app::reports::model::ReportTable) -> Vec<Vec<String>> {
    table.shown_rows()
}

/// A run of five seats wanted by eleven: five seated, six waiting, and another run would fill;
/// a run that went ahead in another year does not count.
async fn fill_rates_and_waiting_without_a_seat(db: &DatabaseConnection) {
    let _dir = set_up(db, training().run(run_spec().capacity(5))).await;
    let ids = people(db, "gegadigde", 11, WorkField::Zorg).await;
    for id in &ids {
        enrol(db, *id).await;
    }
    // The run starts in March 2027.
    let filled = report(db, ReportKind::RunsFilled, 2027, crate::common::now())
        .await
        .unwrap();
    assert_eq!(filled.rows, ["Verdieping"]);
    assert_eq!(
        shown(&filled),
        [["1", "5", "5", "100%", "6", "ja"]],
        "{filled:?}"
    );
    assert_eq!(filled.figures().unwrap().charted, Some(4));
    // Two leave the waitlist: four still wait, shown as "< 5", and nothing is said about
    // another run.
    for id in &ids[9..] {
        app::training::service::enrolment::cancel(
            db,
            *id,
            "verdieping",
            "2027-voorjaar",
            crate::common::now(),
        )
        .await
        .unwrap();
    }
    let fewer = report(db, ReportKind::RunsFilled, 2027, crate::common::now())
        .await
        .unwrap();
    assert_eq!(shown(&fewer), [["1", "5", "5", "100%", "< 5", "nee"]]);
    assert_eq!(
        fewer.shown_totals().unwrap(),
        ["1", "5", "5", "100%", "< 5", ""]
    );
    let csv = report_csv(&fewer);
    assert!(
        csv.contains(r#""Verdieping";"1";"5";"5";"100%";"< 5";"nee""#),
        "{csv}"
    );
    assert!(
        report(db, ReportKind::RunsFilled, 2026, crate::common::now())
            .await
            .unwrap()
            .rows
            .is_empty()
    );
}

/// Six participants, five at both sessions and one at neither: 83 % attendance, five
/// certificates; five evaluations, shown once the evaluation has closed.
async fn attendance_completion_and_evaluations(db: &DatabaseConnection) {
    use app::training::model::SessionPresence::{Absent, Present};
    use app::training::service::{attendance, certificates, evaluations};

    let _dir = set_up(
        db,
        training()
            .accreditation("SKJ", 6)
            .min_attendance(80)
            .run(run_spec().capacity(10)),
    )
    .await;
    let ids = people(db, "cursist", 6, WorkField::Zorg).await;
    for id in &ids {
        enrol(db, *id).await;
    }
    let run = crate::training_enrolment::the_run(db).await;
    let sessions = app::training::service::calendar::sessions_of(db, run.id)
        .await
        .unwrap();
    for session in &sessions {
        let marks: Vec<_> = ids
            .iter()
            .map(|id| (*id, if *id == ids[5] { Absent } else { Present }, 0))
            .collect();
        attendance::record(db, &run, session.id, &marks, crate::common::now())
            .await
            .unwrap();
    }
    let after: DateTime<Utc> = "2027-03-19T10:00:00Z".parse().unwrap();
    certificates::close_run(db, &run, after).await.unwrap();
    for (id, scores) in ids[..5]
        .iter()
        .zip(["4,5,3,4", "5,5,4,5", "3,4,4,4", "4,4,4,4", "5,4,5,4"])
    {
        evaluations::submit(db, &run, *id, scores.into(), None, after)
            .await
            .unwrap();
    }
    let later: DateTime<Utc> = "2027-04-10T10:00:00Z".parse().unwrap();
    let completion = report(db, ReportKind::Completion, 2027, later)
        .await
        .unwrap();
    assert_eq!(
        shown(&completion),
        [["6", "83%", "5", "83%"]],
        "{completion:?}"
    );
    // Before the last session nothing of the run is counted yet.
    assert!(
        report(db, ReportKind::Completion, 2027, crate::common::now())
            .await
            .unwrap()
            .rows
            .is_empty()
    );

    let evaluated = report(db, ReportKind::Evaluations, 2027, later)
        .await
        .unwrap();
    assert_eq!(
        shown(&evaluated),
        [["5", "4,2", "4,4", "4,0", "4,2"]],
        "{evaluated:?}"
    );
    // While the evaluation is open, the run is left out: its count still moves.
    let during: DateTime<Utc> = "2027-03-25T10:00:00Z".parse().unwrap();
    assert!(
        report(db, ReportKind::Evaluations, 2027, during)
            .await
            .unwrap()
            .rows
            .is_empty()
    );
}

/// Meetings held, with a method on their agenda: groups active per quarter and methods used,
/// small counts as "< 5"; cancelled and future meetings do not count.
async fn groups_active_and_methods_used(db: &DatabaseConnection) {
    use app::identity::access::Role;
    use app::intervision::entity::{agenda_item, meeting};

    let facilitator = crate::intervision::account(db, "begeleider", &[Role::Facilitator]).await;
    let mut groups = Vec::new();
    for _ in 0..6 {
        groups.push(crate::intervision::group(db, &facilitator, "8").await);
    }
    let meeting_at = |group: i32, at: &str, cancelled: bool| {
        let starts: DateTime<Utc> = at.parse().unwrap();
        meeting::ActiveModel {
            group_id: Set(group),
            starts_at: Set(starts),
            ends_at: Set(starts + chrono::Duration::hours(2)),
            location: Set("Utrecht".into()),
            online_link: Set(None),
            cancelled: Set(cancelled),
            sequence: Set(0),
            recorded_late_at: Set(None),
            ..Default::default()
        }
    };
    let mut held = Vec::new();
    // Six groups meet in the first quarter, two in the second (and one cancels).
    for group in &groups {
        held.push(
            meeting_at(*group, "2026-02-10T09:00:00Z", false)
                .insert(db)
                .await
                .unwrap()
                .id,
        );
    }
    for group in &groups[..2] {
        held.push(
            meeting_at(*group, "2026-05-10T09:00:00Z", false)
                .insert(db)
                .await
                .unwrap()
                .id,
        );
    }
    let cancelled = meeting_at(groups[3], "2026-05-12T09:00:00Z", true)
        .insert(db)
        .await
        .unwrap()
        .id;
    let planned = meeting_at(groups[4], "2026-12-20T09:00:00Z", false)
        .insert(db)
        .await
        .unwrap()
        .id;
    for (position, meeting_id) in held.iter().chain([&cancelled, &planned]).enumerate() {
        agenda_item::ActiveModel {
            meeting_id: Set(*meeting_id),
            dilemma_id: Set(None),
            position: Set(position as i32),
            method: Set(Some(
                if position < 6 {
                    "incidentmethode"
                } else {
                    "roddelmethode"
                }
                .into(),
            )),
            added_at: Set(crate::common::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    let active = report(db, ReportKind::GroupsActive, 2026, crate::common::now())
        .await
        .unwrap();
    assert_eq!(shown(&active), [["6", "< 5", "0", "0", "6"]]);
    assert_eq!(active.shown_totals(), None);

    let methods = report(db, ReportKind::MethodsUsed, 2026, crate::common::now())
        .await
        .unwrap();
    let row = |name: &str| methods.rows.iter().position(|r| r == name).unwrap();
    let mut expected = vec![vec![0u64; 4]; methods.rows.len()];
    expected[row("Incidentmethode")][0] = 6;
    expected[row("Roddelmethode")][1] = 2;
    assert_eq!(*methods.counts().unwrap(), suppress_table(&expected));
    assert_eq!(
        methods.counts().unwrap().cells[row("Roddelmethode")][1],
        Shown::Small
    );
}

/// Two nodes count reads and searches without a result, and each adds its counts to the
/// month's rows; the reports show the most read pages and the words searched at least five
/// times in the year, never rarer words; after two years the words go.
async fn reads_and_searches_without_result_add_up_per_month(db: &DatabaseConnection) {
    use app::knowledge::entity::search_miss;
    use app::knowledge::service::usage::{Usage, purge_old_misses};

    let _dir = set_up(db, training().run(run_spec())).await;
    let at = |moment: &str| moment.parse::<DateTime<Utc>>().unwrap();
    let one = Usage::default();
    for _ in 0..7 {
        one.note_read("/trainingen/verdieping");
    }
    one.note_read("/factsheets/verdwenen");
    one.note_read("/beheer/rapportage");
    for _ in 0..3 {
        one.note_miss("Online Radicalisering");
    }
    for _ in 0..4 {
        one.note_miss("zeldzaam woord");
    }
    one.note_miss("samira");
    assert_eq!(one.flush(db, at("2026-02-10T10:00:00Z")).await.unwrap(), 4);
    assert_eq!(one.flush(db, at("2026-02-10T10:01:00Z")).await.unwrap(), 0);
    let other = Usage::default();
    other.note_read("/trainingen/verdieping");
    for _ in 0..2 {
        other.note_miss("online  radicalisering");
    }
    other.flush(db, at("2026-02-20T10:00:00Z")).await.unwrap();
    one.note_read("/trainingen/verdieping");
    one.flush(db, at("2026-05-01T10:00:00Z")).await.unwrap();

    let read = report(db, ReportKind::MostRead, 2026, crate::common::now())
        .await
        .unwrap();
    assert_eq!(
        read.rows,
        ["Verdieping (training)", "verdwenen (factsheet)"]
    );
    assert_eq!(
        *read.counts().unwrap(),
        suppress_table(&[vec![8, 1, 0, 0], vec![1, 0, 0, 0]])
    );
    let missed = report(
        db,
        ReportKind::SearchesWithoutResult,
        2026,
        crate::common::now(),
    )
    .await
    .unwrap();
    assert_eq!(missed.rows, ["online radicalisering"]);
    assert_eq!(
        *missed.counts().unwrap(),
        suppress_table(&[vec![5, 0, 0, 0]])
    );

    assert_eq!(
        purge_old_misses(db, at("2028-02-15T10:00:00Z"))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        purge_old_misses(db, at("2028-03-15T10:00:00Z"))
            .await
            .unwrap(),
        2
    );
    assert!(
        search_miss::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The page shows a year's reports as counted at most five minutes ago: a change shows once
/// they are counted again, and the page says when that was; while they are counted again,
/// other requests get the last count at once.
async fn counted_reports_are_kept_for_five_minutes(db: &DatabaseConnection) {
    use app::reports::service::KeptReports;

    let _dir = set_up(db, training().run(run_spec().capacity(20))).await;
    let kept = KeptReports::default();
    let now = crate::common::now();
    let first = kept.overview(db, Some(2026), now).await.unwrap();
    assert!(first.tables[0].rows.is_empty());
    for id in people(db, "later", 5, WorkField::Zorg).await {
        enrol(db, id).await;
    }
    let soon = kept
        .overview(db, Some(2026), now + chrono::Duration::minutes(4))
        .await
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &soon));
    // Two requests once they are stale: the first counts again, the second meanwhile gets the
    // last count instead of waiting.
    let (later, meanwhile) = tokio::join!(
        kept.overview(db, Some(2026), now + chrono::Duration::minutes(5)),
        kept.overview(db, Some(2026), now + chrono::Duration::minutes(5)),
    );
    let (later, meanwhile) = (later.unwrap(), meanwhile.unwrap());
    assert!(std::sync::Arc::ptr_eq(&first, &meanwhile));
    assert!(!std::sync::Arc::ptr_eq(&first, &later));
    let by_training = later
        .tables
        .iter()
        .find(|t| t.kind == ReportKind::EnrolmentsByTraining)
        .unwrap();
    assert_eq!(
        *by_training.counts().unwrap(),
        suppress_table(&[vec![0, 0, 0, 5]])
    );
    assert_eq!(later.counted_at, "29 november 2026, 11:05");
}

on_both_databases!(
    counted_reports_are_kept_for_five_minutes,
    reads_and_searches_without_result_add_up_per_month,
    fill_rates_and_waiting_without_a_seat,
    attendance_completion_and_evaluations,
    groups_active_and_methods_used,
    enrolments_are_counted_per_quarter_and_suppressed,
    reviews_are_counted_by_the_quarter_they_fall_due
);
