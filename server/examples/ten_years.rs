//! `make bench-volume`: fills an empty database (`DATABASE_URL`, SQLite or PostgreSQL) with ten
//! years of use: 50,000 accounts, 3,000 runs with 150,000 enrolments, their attendance and
//! certificates, 600 intervision groups with 30,000 dilemmas and 100,000 replies (sealed with
//! `INTERVISION_KEY`, as the server seals them), 500,000 audit events and 20,000 mails. What
//! the retention jobs would have deleted by now is not there (attendance and certificates of
//! runs closed more than five years ago, sent mail older than a month), so the server finds
//! nothing to clean up when it starts. Thirty
//! training documents are written into `CONTENT_DIR/trainings` and imported with whatever else
//! is there. `BENCH_SCALE` (default 1) shrinks or grows every count.
//!
//! Prints one line per page to measure, `role<TAB>path<TAB>cookie`, with a logged-in session
//! for a participant, a trainer, a facilitator, an editor and an admin. Asserts nothing.

use std::collections::BTreeMap;
use std::time::Instant;

use app::identity::entity::{audit_event, user, user_role};
use app::identity::model::AuditEventKind;
use app::intervision::entity::{
    agreement_acceptance, dilemma, dilemma_post, dilemma_theme, group, group_facilitator,
    group_member, meeting, meeting_attendance,
};
use app::intervision::model::Attendance;
use app::intervision::service::sealed_texts::seal_context;
use app::intervision::service::sealing::Sealer;
use app::messaging::entity::mail;
use app::messaging::model::{MailKind, MailState};
use app::training::entity::certificate::CertifiedPoints;
use app::training::entity::{
    certificate, enrolment, run, run_session, run_trainer, session_attendance,
};
use app::training::model::{CertifiedPoint, EnrolmentStatus, RunStatus, SessionPresence};
use app::training::rules::records_deletion_cutoff;
use app::vocabulary::{Phenomenon, Theme, WorkField};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityName, EntityTrait, Set,
    TransactionTrait,
};

const ISSUER: &str = "http://127.0.0.1/bench";
const TRAININGS: usize = 30;
const RUN_SEATS: usize = 50;
const SESSIONS_PER_RUN: usize = 3;
const TRAINERS: i32 = 40;
const FACILITATORS: i32 = 60;
const MEMBERS_PER_GROUP: usize = 6;
const MEETINGS_PER_GROUP: usize = 10;
/// Bound parameters per statement, below SQLite's limit of 32,766.
const PARAMETERS_PER_STATEMENT: usize = 30_000;

/// The people the measured pages are opened as.
const TRAINER: i32 = 1;
const FACILITATOR: i32 = TRAINER + TRAINERS;
const EDITOR: i32 = FACILITATOR + FACILITATORS;
const ADMIN: i32 = EDITOR + 10;
const FIRST_MEMBER: i32 = 20_000;

struct Counts {
    accounts: usize,
    runs: usize,
    groups: usize,
    dilemmas_per_group: usize,
    audit_events: usize,
    mails: usize,
}

impl Counts {
    fn scaled(scale: f64) -> Self {
        let of = |n: f64| ((n * scale).round() as usize).max(1);
        Counts {
            accounts: of(50_000.0).max(FIRST_MEMBER as usize + 600 * MEMBERS_PER_GROUP),
            runs: of(3_000.0).max(TRAININGS),
            groups: of(600.0),
            dilemmas_per_group: 50,
            audit_events: of(500_000.0),
            mails: of(20_000.0),
        }
    }
}

/// A small deterministic generator, so two runs fill the same database.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

#[tokio::main]
async fn main() {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let content_dir = std::env::var("CONTENT_DIR").expect("CONTENT_DIR");
    let sealer = Sealer::from_base64(&std::env::var("INTERVISION_KEY").expect("INTERVISION_KEY"))
        .expect("INTERVISION_KEY");
    let scale: f64 = std::env::var("BENCH_SCALE")
        .ok()
        .and_then(|scale| scale.parse().ok())
        .unwrap_or(1.0);
    let counts = Counts::scaled(scale);
    let now = Utc::now();
    let db = app::db::connect_and_migrate(&database_url)
        .await
        .expect("database");
    let started = Instant::now();

    write_trainings(std::path::Path::new(&content_dir));
    server::import_content(&db, std::path::Path::new(&content_dir), now)
        .await
        .expect("import");
    eprintln!(
        "documents imported in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let step = Instant::now();
    accounts(&db, &counts, now).await;
    eprintln!(
        "{} accounts in {:.1} s",
        counts.accounts,
        step.elapsed().as_secs_f64()
    );
    let step = Instant::now();
    let trainer_run = trainings(&db, &counts, now).await;
    eprintln!(
        "{} runs in {:.1} s",
        counts.runs,
        step.elapsed().as_secs_f64()
    );
    let step = Instant::now();
    let facilitator_meeting = intervision(&db, &sealer, &counts, now).await;
    eprintln!(
        "{} groups in {:.1} s",
        counts.groups,
        step.elapsed().as_secs_f64()
    );
    let step = Instant::now();
    audit_and_mail(&db, &counts, now).await;
    eprintln!(
        "{} audit events and {} mails in {:.1} s",
        counts.audit_events,
        counts.mails,
        step.elapsed().as_secs_f64()
    );
    // What the daily job leaves of the themes' tallies: only the counting window's. A server
    // started on more would purge them at once, and on PostgreSQL the count would then read
    // the table beside its index until autovacuum came by (a themes page p99 of 63 ms).
    app::intervision::service::themes::purge_old_tallies(&db, now)
        .await
        .expect("purge tallies");
    after_bulk_load(&db).await;
    eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());

    let store = app::identity::service::session_store::DbSessionStore::new(db.clone());
    let cookie_name = server::session_cookie_name(false);
    let cookie_of = async |user_id: i32| {
        let id = store
            .open_for(
                user_id,
                now,
                tower_sessions::cookie::time::Duration::hours(4),
            )
            .await
            .expect("session");
        format!("{cookie_name}={id}")
    };
    let participant = cookie_of(FIRST_MEMBER).await;
    let trainer = cookie_of(TRAINER).await;
    let facilitator = cookie_of(FACILITATOR).await;
    let editor = cookie_of(EDITOR).await;
    let admin = cookie_of(ADMIN).await;
    let (upcoming, closed, session) = trainer_run;
    let pages: Vec<(&str, String, &str)> = vec![
        ("visitor", "/".into(), ""),
        ("visitor", "/factsheets".into(), ""),
        ("visitor", "/trainingen".into(), ""),
        ("visitor", "/trainingen/training-00".into(), ""),
        ("visitor", "/zoeken?q=radicalisering".into(), ""),
        ("participant", "/mijn/trainingen".into(), &participant),
        ("participant", "/profiel".into(), &participant),
        ("participant", "/mijn/intervisie".into(), &participant),
        ("participant", "/intervisie/1".into(), &participant),
        (
            "participant",
            "/intervisie/1/dilemmas/1".into(),
            &participant,
        ),
        ("trainer", "/mijn/uitvoeringen".into(), &trainer),
        ("trainer", format!("{upcoming}/beheer"), &trainer),
        ("trainer", format!("{closed}/beheer"), &trainer),
        ("trainer", format!("{closed}/sessies/{session}"), &trainer),
        ("facilitator", "/intervisie/1".into(), &facilitator),
        (
            "facilitator",
            format!("/intervisie/1/bijeenkomsten/{facilitator_meeting}"),
            &facilitator,
        ),
        (
            "facilitator",
            "/intervisie/1/dilemmas/2".into(),
            &facilitator,
        ),
        ("editor", "/redactie".into(), &editor),
        ("editor", "/redactie/documenten/training-00".into(), &editor),
        ("editor", "/redactie/themas".into(), &editor),
        ("admin", "/beheer/gebruikers".into(), &admin),
        ("admin", "/beheer/audit".into(), &admin),
        // Halfway back through ten years of events.
        (
            "admin",
            format!("/beheer/audit?voor={}", counts.audit_events / 2),
            &admin,
        ),
        ("admin", "/beheer/mail".into(), &admin),
        ("admin", "/beheer/trainingen".into(), &admin),
        (
            "admin",
            "/beheer/trainingen/personen?q=Deelnemer".into(),
            &admin,
        ),
        ("admin", "/beheer/intervisie".into(), &admin),
        ("admin", "/beheer/rapportage".into(), &admin),
    ];
    for (role, path, cookie) in pages {
        println!("{role}\t{path}\t{cookie}");
    }
}

fn write_trainings(content_dir: &std::path::Path) {
    let dir = content_dir.join("trainings");
    std::fs::create_dir_all(&dir).expect("trainings directory");
    for t in 0..TRAININGS {
        let phenomenon = Phenomenon::ALL[t % Phenomenon::ALL.len()].slug();
        let audience = WorkField::AUDIENCES[t % WorkField::AUDIENCES.len()].slug();
        std::fs::write(
            dir.join(format!("training-{t:02}.md")),
            format!(
                "---\ntitle: \"Training {t}\"\nslug: training-{t:02}\nsummary: \"Een training \
                 uit tien jaar gebruik.\"\nphenomena: [{phenomenon}]\naudience: [{audience}]\n\
                 owner: \"Bench\"\nreviewed_on: 2026-11-01\nreview_due: 2027-11-01\nstatus: \
                 published\nsources:\n  - title: \"Bron\"\n    url: \"https://example.org\"\n\
                 hours: 9\nprerequisites: \"Niets.\"\n---\nDrie dagdelen verdieping.\n"
            ),
        )
        .expect("training document");
    }
}

/// Inserts `rows` a statement at a time, in one transaction.
async fn insert_all<A>(db: &DatabaseConnection, rows: Vec<A>)
where
    A: ActiveModelTrait + Send,
{
    // Every column is a parameter of each row: as many rows as keep a statement in bounds.
    let columns = <<A::Entity as EntityTrait>::Column as sea_orm::Iterable>::iter().count();
    let per_statement = PARAMETERS_PER_STATEMENT / columns.max(1);
    let txn = db.begin().await.expect("transaction");
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(&txn)
            .await
            .expect("insert");
    }
    txn.commit().await.expect("commit");
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

fn subject(user_id: i32) -> String {
    format!("gen-{user_id}")
}

async fn accounts(db: &DatabaseConnection, counts: &Counts, now: DateTime<Utc>) {
    let mut dice = Dice(7);
    let first_day = now - days(3650);
    let users: Vec<user::ActiveModel> = (1..=counts.accounts as i32)
        .map(|id| {
            let created = first_day + days(id as i64 * 3650 / counts.accounts as i64);
            user::ActiveModel {
                id: Set(id),
                issuer: Set(ISSUER.into()),
                subject: Set(subject(id)),
                display_name: Set(Some(format!("Deelnemer {id}"))),
                organisation: Set(Some(format!("Organisatie {}", id % 700))),
                work_field: Set(Some(dice.pick(&WorkField::ALL).slug().into())),
                profile_completed_at: Set(Some(created)),
                created_at: Set(created),
                last_login_at: Set(created + days(dice.below(365) as i64)),
                email: Set(Some(format!("gen-{id}@bench.invalid"))),
                erased_at: Set(None),
            }
        })
        .collect();
    insert_all(db, users).await;
    let roles: Vec<user_role::ActiveModel> = (TRAINER..TRAINER + TRAINERS)
        .map(|id| (id, "trainer"))
        .chain((FACILITATOR..FACILITATOR + FACILITATORS).map(|id| (id, "facilitator")))
        .chain((EDITOR..EDITOR + 10).map(|id| (id, "editor")))
        .chain((ADMIN..ADMIN + 5).map(|id| (id, "admin")))
        .map(|(id, role)| user_role::ActiveModel {
            user_id: Set(id),
            role: Set(role.into()),
        })
        .collect();
    insert_all(db, roles).await;
}

/// Runs from ten years ago until a few months ahead; returns the trainer's upcoming run and
/// a closed one (their addresses) and a session of the closed one.
async fn trainings(
    db: &DatabaseConnection,
    counts: &Counts,
    now: DateTime<Utc>,
) -> (String, String, i32) {
    let mut dice = Dice(11);
    let today = now.date_naive();
    let mut runs = Vec::new();
    let mut sessions = Vec::new();
    let mut trainers = Vec::new();
    let mut enrolments = Vec::new();
    let mut attendance = Vec::new();
    let mut certificates = Vec::new();
    let mut upcoming = None;
    let mut closed = None;
    let seats_filled = RUN_SEATS - 5;
    for r in 0..counts.runs {
        let run_id = r as i32 + 1;
        let training = r % TRAININGS;
        let slug = format!("training-{training:02}");
        let code = format!("run-{r:04}");
        let starts: NaiveDate = today - days(3600) + days((r as i64 * 3750) / counts.runs as i64);
        let ends = starts + days(14);
        let is_closed = ends + days(30) < today;
        let closed_at = (ends + days(30)).and_time(Default::default()).and_utc();
        // What retention leaves after ten years: older runs without attendance and certificates.
        let records_deleted = is_closed && closed_at < records_deletion_cutoff(now);
        // The last run, the one furthest ahead, is the measured trainer's too.
        let trainer = if r + 1 == counts.runs {
            TRAINER
        } else {
            TRAINER + (r as i32 % TRAINERS)
        };
        let address = format!("/trainingen/{slug}/{code}");
        if trainer == TRAINER {
            if is_closed {
                closed = Some((address, run_id));
            } else if starts > today && upcoming.is_none() {
                upcoming = Some(address);
            }
        }
        runs.push(run::ActiveModel {
            id: Set(run_id),
            training_slug: Set(slug),
            code: Set(code),
            status: Set(RunStatus::Scheduled),
            capacity: Set(RUN_SEATS as i32 - 2),
            seats_taken: Set(seats_filled as i32),
            waitlist_counter: Set(0),
            enrolment_opens: Set(starts - days(120)),
            enrolment_closes: Set(starts - days(7)),
            cancellation_days: Set(14),
            waitlist_closes: Set(starts - days(2)),
            offer_hours: Set(48),
            max_work_field_share: Set(None),
            web_edited: Set(true),
            cancelled_reason: Set(None),
            updated_at: Set(now),
            closed_at: Set(is_closed.then_some(closed_at)),
            records_deleted_at: Set(records_deleted.then_some(closed_at + days(1827))),
            first_session_on: Set(Some(starts)),
            last_session_on: Set(Some(starts + days(7 * (SESSIONS_PER_RUN as i64 - 1)))),
        });
        trainers.push(run_trainer::ActiveModel {
            run_id: Set(run_id),
            subject: Set(subject(trainer)),
        });
        let session_ids: Vec<(i32, NaiveDate)> = (0..SESSIONS_PER_RUN)
            .map(|s| {
                let id = (r * SESSIONS_PER_RUN + s) as i32 + 1;
                let date = starts + days(7 * s as i64);
                sessions.push(run_session::ActiveModel {
                    id: Set(id),
                    run_id: Set(run_id),
                    position: Set(s as i32),
                    date: Set(date),
                    starts_at: Set("09:30".into()),
                    ends_at: Set("12:30".into()),
                    location: Set("Utrecht".into()),
                    online_link: Set(None),
                    sequence: Set(0),
                });
                (id, date)
            })
            .collect();
        for k in 0..RUN_SEATS {
            let enrolment_id = (r * RUN_SEATS + k) as i32 + 1;
            let user_id = (((r * RUN_SEATS + k) * 7919) % counts.accounts) as i32 + 1;
            let confirmed = k < seats_filled;
            let enrolled_at = (starts - days(60 + k as i64))
                .and_time(Default::default())
                .and_utc();
            enrolments.push(enrolment::ActiveModel {
                id: Set(enrolment_id),
                run_id: Set(run_id),
                user_id: Set(user_id),
                status: Set(if confirmed {
                    EnrolmentStatus::Confirmed
                } else {
                    EnrolmentStatus::Cancelled
                }),
                active: Set(confirmed.then_some(1)),
                work_field: Set(dice.pick(&WorkField::ALL)),
                waitlist_seq: Set(None),
                offer_expires_at: Set(None),
                intake_answers: Set(None),
                rejection_reason: Set(None),
                created_at: Set(enrolled_at),
                updated_at: Set(enrolled_at),
            });
            if !confirmed || records_deleted {
                continue;
            }
            let mut minutes_attended = 0;
            for &(session_id, date) in &session_ids {
                if date >= today {
                    continue;
                }
                let (status, minutes) = match dice.below(20) {
                    0 => (SessionPresence::Absent, 0),
                    1 => (SessionPresence::Late, 150),
                    _ => (SessionPresence::Present, 180),
                };
                minutes_attended += minutes;
                attendance.push(session_attendance::ActiveModel {
                    session_id: Set(session_id),
                    user_id: Set(user_id),
                    status: Set(status),
                    minutes: Set(minutes),
                    recorded_at: Set(date.and_time(Default::default()).and_utc()),
                });
            }
            if is_closed && minutes_attended >= 480 {
                certificates.push(certificate::ActiveModel {
                    id: Set(certificates.len() as i32 + 1),
                    code: Set(format!("gen{enrolment_id:07}")),
                    user_id: Set(Some(user_id)),
                    run_id: Set(run_id),
                    participant_name: Set(format!("Deelnemer {user_id}")),
                    training_title: Set(format!("Training {training}")),
                    dates: Set(format!("{starts} – {ends}")),
                    net_minutes: Set(minutes_attended),
                    points: Set(CertifiedPoints(vec![CertifiedPoint {
                        register: "skj".into(),
                        points: "9".into(),
                        number: None,
                    }])),
                    trainers: Set(format!("Trainer {trainer}")),
                    issued_at: Set((ends + days(30)).and_time(Default::default()).and_utc()),
                    revoked_at: Set(None),
                    revoked_reason: Set(None),
                });
            }
        }
    }
    insert_all(db, runs).await;
    insert_all(db, trainers).await;
    insert_all(db, sessions).await;
    insert_all(db, enrolments).await;
    insert_all(db, attendance).await;
    insert_all(db, certificates).await;
    let (closed, closed_run) = closed.expect("a closed run of the trainer");
    let session = (closed_run - 1) * SESSIONS_PER_RUN as i32 + 1;
    (
        upcoming.expect("an upcoming run of the trainer"),
        closed,
        session,
    )
}

/// Groups, their meetings and dilemmas within the retention period; returns the id of the
/// first group's next meeting.
async fn intervision(
    db: &DatabaseConnection,
    sealer: &Sealer,
    counts: &Counts,
    now: DateTime<Utc>,
) -> i32 {
    let mut dice = Dice(13);
    let mut groups = Vec::new();
    let mut facilitators = Vec::new();
    let mut members = Vec::new();
    let mut acceptances = Vec::new();
    let mut meetings = Vec::new();
    let mut presence = Vec::new();
    let mut dilemmas = Vec::new();
    let mut themes = Vec::new();
    let mut posts = Vec::new();
    let mut next_meeting = None;
    let situation = "Een leerling van de bovenbouw deelt in de klasgroep beelden met symbolen die \
        collega's herkennen uit extreemrechtse online subculturen. De mentor twijfelt of dit \
        provocatie is of meer, en hoe het gesprek met thuis en de zorgcoördinator te voeren.";
    let reply = "Ik zou eerst met de collega's van het zorgteam afstemmen wat ieder weet, en het \
        gesprek open beginnen: wat bedoel je ermee, waar heb je het gezien?";
    for g in 0..counts.groups {
        let group_id = g as i32 + 1;
        let created = now - days(700);
        groups.push(group::ActiveModel {
            id: Set(group_id),
            name: Set(format!("Intervisiegroep {group_id}")),
            max_members: Set(8),
            retention_months: Set(24),
            agreement_version: Set(1),
            agreement_text: Set("We bespreken casuïstiek zonder herleidbare gegevens.".into()),
            created_at: Set(created),
            closed_at: Set(None),
        });
        facilitators.push(group_facilitator::ActiveModel {
            group_id: Set(group_id),
            user_id: Set(FACILITATOR + g as i32 % FACILITATORS),
            joined_at: Set(created),
            notify: Set(false),
        });
        let member_ids: Vec<i32> = (0..MEMBERS_PER_GROUP)
            .map(|j| FIRST_MEMBER + (g * MEMBERS_PER_GROUP + j) as i32)
            .collect();
        for &user_id in &member_ids {
            members.push(group_member::ActiveModel {
                group_id: Set(group_id),
                user_id: Set(user_id),
                joined_at: Set(created),
                notify: Set(false),
            });
            acceptances.push(agreement_acceptance::ActiveModel {
                id: Set(acceptances.len() as i32 + 1),
                group_id: Set(group_id),
                user_id: Set(user_id),
                version: Set(1),
                accepted_at: Set(created),
            });
        }
        for m in 0..MEETINGS_PER_GROUP {
            let meeting_id = (g * MEETINGS_PER_GROUP + m) as i32 + 1;
            let starts = created + days(60 + 72 * m as i64);
            if starts < now {
                for &user_id in &member_ids {
                    presence.push(meeting_attendance::ActiveModel {
                        meeting_id: Set(meeting_id),
                        user_id: Set(user_id),
                        status: Set(Attendance::Present),
                    });
                }
            } else if g == 0 && next_meeting.is_none() {
                next_meeting = Some(meeting_id);
            }
            meetings.push(meeting::ActiveModel {
                id: Set(meeting_id),
                group_id: Set(group_id),
                starts_at: Set(starts),
                ends_at: Set(starts + Duration::hours(2)),
                location: Set("Utrecht".into()),
                online_link: Set(None),
                cancelled: Set(false),
                sequence: Set(0),
                recorded_late_at: Set(None),
            });
        }
        for d in 0..counts.dilemmas_per_group {
            let dilemma_id = (g * counts.dilemmas_per_group + d) as i32 + 1;
            let created_at =
                created + days(10 + (d as i64 * 680) / counts.dilemmas_per_group as i64);
            let texts: BTreeMap<&str, String> = [
                ("situatie", situation.to_owned()),
                (
                    "vraag",
                    format!("Hoe ga ik het gesprek aan (dilemma {dilemma_id})?"),
                ),
            ]
            .into_iter()
            .collect();
            let phenomenon = dice.pick(&Phenomenon::ALL);
            // Each dilemma's tally: its phenomenon and one practice theme.
            let practice: Vec<Theme> = Theme::practice().collect();
            for theme in [Theme::of_phenomenon(phenomenon), dice.pick(&practice)] {
                themes.push(dilemma_theme::ActiveModel {
                    id: Set(themes.len() as i32 + 1),
                    dilemma_id: Set(Some(dilemma_id)),
                    group_id: Set(group_id),
                    theme: Set(theme),
                    brought_in_on: Set(created_at.date_naive()),
                });
            }
            dilemmas.push(dilemma::ActiveModel {
                id: Set(dilemma_id),
                group_id: Set(group_id),
                author_user_id: Set(Some(member_ids[d % MEMBERS_PER_GROUP])),
                work_field: Set(dice.pick(&WorkField::ALL)),
                phenomenon: Set(phenomenon),
                sealed: Set(sealer
                    .seal_json(&seal_context::<dilemma::Entity>(dilemma_id), &texts)
                    .expect("seal")),
                created_at: Set(created_at),
                method: Set(None),
                method_step: Set(None),
                step_started_at: Set(None),
                method_minutes: Set(None),
            });
            let replies = 3 + usize::from(dilemma_id % 3 == 0);
            for p in 0..replies {
                let post_id = posts.len() as i32 + 1;
                posts.push(dilemma_post::ActiveModel {
                    id: Set(post_id),
                    dilemma_id: Set(dilemma_id),
                    author_user_id: Set(Some(member_ids[(d + p + 1) % MEMBERS_PER_GROUP])),
                    sealed: Set(sealer
                        .seal(
                            &seal_context::<dilemma_post::Entity>(post_id),
                            reply.as_bytes(),
                        )
                        .expect("seal")),
                    created_at: Set(created_at + Duration::hours(p as i64 + 1)),
                });
            }
        }
    }
    insert_all(db, groups).await;
    insert_all(db, facilitators).await;
    insert_all(db, members).await;
    insert_all(db, acceptances).await;
    insert_all(db, meetings).await;
    insert_all(db, presence).await;
    insert_all(db, dilemmas).await;
    insert_all(db, themes).await;
    insert_all(db, posts).await;
    next_meeting.expect("an upcoming meeting of the first group")
}

async fn audit_and_mail(db: &DatabaseConnection, counts: &Counts, now: DateTime<Utc>) {
    let mut dice = Dice(17);
    let first = now - days(3650);
    let span = 3650 * 24 * 3600;
    let at = |i: usize, n: usize| first + Duration::seconds((i as i64 * span) / n as i64);
    let events: Vec<audit_event::ActiveModel> = (0..counts.audit_events)
        .map(|i| audit_event::ActiveModel {
            id: Set(i as i32 + 1),
            occurred_at: Set(at(i, counts.audit_events)),
            event: Set(dice.pick(&AuditEventKind::ALL).slug().into()),
            actor_user_id: Set(Some(dice.below(counts.accounts) as i32 + 1)),
            subject_user_id: Set(None),
            detail: Set(String::new()),
        })
        .collect();
    insert_all(db, events).await;
    // Sent mail is kept for a month: these are the last four weeks' mail.
    let month = now - days(28);
    let mails: Vec<mail::ActiveModel> = (0..counts.mails)
        .map(|i| {
            let sent = month + Duration::seconds(i as i64 * 28 * 24 * 3600 / counts.mails as i64);
            mail::ActiveModel {
                id: Set(i as i32 + 1),
                kind: Set(MailKind::EnrolmentConfirmed),
                recipient: Set(format!(
                    "gen-{}@bench.invalid",
                    dice.below(counts.accounts) + 1
                )),
                subject: Set("Inschrijving bevestigd".into()),
                body: Set("U bent ingeschreven. Zie de training op het platform.".into()),
                calendar: Set(None),
                state: Set(MailState::Sent),
                attempts: Set(1),
                last_error: Set(None),
                created_at: Set(sent),
                sent_at: Set(Some(sent)),
            }
        })
        .collect();
    insert_all(db, mails).await;
}

/// On PostgreSQL: the sequences moved past the given ids (the next insert must not collide),
/// then vacuumed and analysed.
async fn after_bulk_load(db: &DatabaseConnection) {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return;
    }
    let tables = [
        user::Entity.table_name(),
        audit_event::Entity.table_name(),
        run::Entity.table_name(),
        run_session::Entity.table_name(),
        enrolment::Entity.table_name(),
        certificate::Entity.table_name(),
        group::Entity.table_name(),
        agreement_acceptance::Entity.table_name(),
        meeting::Entity.table_name(),
        dilemma::Entity.table_name(),
        dilemma_post::Entity.table_name(),
        dilemma_theme::Entity.table_name(),
        mail::Entity.table_name(),
    ];
    for table in tables {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        ))
        .await
        .expect("sequence");
    }
    // As after any bulk load (docs/operations.md, restore): statistics for the planner, and the
    // trigram indexes' pending lists merged, before the first request is measured.
    db.execute_unprepared("VACUUM ANALYZE")
        .await
        .expect("vacuum");
}
