//! Typed builders for what service tests set up: accounts, trainings with their runs, and
//! intervision groups. Each starts from a valid default, so a test names only what it is about
//! (`TrainingBuilder::new("verdieping").run(RunBuilder::new("2027-voorjaar").capacity(2))`),
//! and a training's file is written by the platform's own canonical writer, so the builders
//! cannot drift from the front matter the importer reads.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use app::identity::access::{Role, Viewer};
use app::knowledge::model::{DocumentStatus, Source};
use app::knowledge::rules::front_matter::{FrontMatter, to_document};
use app::training::model::facts::{Accreditation, FULL_ATTENDANCE, IntakeQuestion, TrainingFacts};
use app::training::model::front_matter::TrainingDocument;
use app::vocabulary::{Phenomenon, WorkField};

/// An account, by default without a profile and without roles.
#[derive(Clone)]
pub struct AccountBuilder {
    subject: String,
    display_name: String,
    work_field: Option<WorkField>,
    organisation: Option<String>,
    email: Option<String>,
    roles: Vec<Role>,
    at: DateTime<Utc>,
}

impl AccountBuilder {
    pub fn new(subject: &str) -> Self {
        Self {
            subject: subject.to_owned(),
            display_name: format!("Demo {subject}"),
            work_field: None,
            organisation: None,
            email: None,
            roles: Vec::new(),
            at: super::now(),
        }
    }

    pub fn display_name(mut self, name: &str) -> Self {
        self.display_name = name.to_owned();
        self
    }

    /// A complete profile in `work_field`, with an organisation and an address.
    pub fn profile(mut self, work_field: WorkField) -> Self {
        self.work_field = Some(work_field);
        self.organisation = Some("Organisatie".to_owned());
        self.email = Some(format!("{}@test.invalid", self.subject));
        self
    }

    pub fn email(mut self, address: &str) -> Self {
        self.email = Some(address.to_owned());
        self
    }

    pub fn roles(mut self, roles: &[Role]) -> Self {
        self.roles = roles.to_vec();
        self
    }

    pub fn at(mut self, at: DateTime<Utc>) -> Self {
        self.at = at;
        self
    }

    fn row(&self) -> app::identity::entity::user::ActiveModel {
        app::identity::entity::user::ActiveModel {
            issuer: Set("http://127.0.0.1/test".into()),
            subject: Set(self.subject.clone()),
            display_name: Set(Some(self.display_name.clone())),
            organisation: Set(self.organisation.clone()),
            work_field: Set(self.work_field.map(|w| w.slug().to_owned())),
            profile_completed_at: Set(self.work_field.map(|_| self.at)),
            email: Set(self.email.clone()),
            created_at: Set(self.at),
            last_login_at: Set(self.at),
            ..Default::default()
        }
    }

    /// The account, stored with its roles, as the access module sees it.
    pub async fn insert(self, db: &DatabaseConnection) -> Viewer {
        let user = self.row().insert(db).await.expect("insert account");
        for role in &self.roles {
            app::identity::entity::user_role::ActiveModel {
                user_id: Set(user.id),
                role: Set(role.slug().to_owned()),
            }
            .insert(db)
            .await
            .expect("insert role");
        }
        Viewer {
            user_id: user.id,
            display_name: user.display_name,
            profile_complete: self.work_field.is_some(),
            roles: self.roles,
        }
    }

    /// `count` accounts like this one, subjects `<subject>-0`, `<subject>-1`…, in one batch
    /// per 200; their ids in order.
    pub async fn insert_many(self, db: &DatabaseConnection, count: usize) -> Vec<i32> {
        use app::identity::entity::user;
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
        assert!(self.roles.is_empty(), "accounts in bulk have no roles");
        let rows: Vec<user::ActiveModel> = (0..count)
            .map(|i| {
                let mut one = self.clone();
                one.subject = format!("{}-{i}", self.subject);
                one.display_name = format!("{} {i}", self.subject);
                if self.email.is_some() {
                    one.email = Some(format!("{}@test.invalid", one.subject));
                }
                one.row()
            })
            .collect();
        for chunk in rows.chunks(200) {
            user::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(db)
                .await
                .expect("insert accounts");
        }
        user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Subject.starts_with(format!("{}-", self.subject)))
            .order_by_asc(user::Column::Id)
            .into_tuple()
            .all(db)
            .await
            .expect("account ids")
    }
}

/// One session of a run.
pub struct SessionSpec {
    pub date: NaiveDate,
    pub start: &'static str,
    pub end: &'static str,
    pub location: &'static str,
    pub link: Option<&'static str>,
}

/// A run as a training file declares it; by default 12 seats, enrolment from 1 November 2026
/// to 15 February 2027, a waitlist to 25 February, trainer `trainer`, and two morning
/// sessions in March 2027 (Utrecht, then online).
pub struct RunBuilder {
    code: String,
    capacity: u32,
    enrolment_opens: NaiveDate,
    enrolment_closes: NaiveDate,
    waitlist_closes: NaiveDate,
    trainers: Vec<String>,
    max_work_field_share: Option<u32>,
    offer_hours: Option<u32>,
    sessions: Vec<SessionSpec>,
}

pub fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date as YYYY-MM-DD")
}

impl RunBuilder {
    pub fn new(code: &str) -> Self {
        Self {
            code: code.to_owned(),
            capacity: 12,
            enrolment_opens: date("2026-11-01"),
            enrolment_closes: date("2027-02-15"),
            waitlist_closes: date("2027-02-25"),
            trainers: vec!["trainer".to_owned()],
            max_work_field_share: None,
            offer_hours: None,
            sessions: vec![
                SessionSpec {
                    date: date("2027-03-04"),
                    start: "09:30",
                    end: "12:30",
                    location: "Utrecht",
                    link: None,
                },
                SessionSpec {
                    date: date("2027-03-18"),
                    start: "09:30",
                    end: "12:30",
                    location: "online",
                    link: Some("https://meet.example.org/x"),
                },
            ],
        }
    }

    pub fn capacity(mut self, capacity: u32) -> Self {
        self.capacity = capacity;
        self
    }

    /// Who gives the run (login names).
    pub fn trainers(mut self, trainers: &[&str]) -> Self {
        self.trainers = trainers.iter().map(|t| (*t).to_owned()).collect();
        self
    }

    /// The enrolment window and the waitlist's end.
    pub fn enrolment(
        mut self,
        opens: NaiveDate,
        closes: NaiveDate,
        waitlist_closes: NaiveDate,
    ) -> Self {
        self.enrolment_opens = opens;
        self.enrolment_closes = closes;
        self.waitlist_closes = waitlist_closes;
        self
    }

    pub fn enrolment_closes(mut self, closes: NaiveDate) -> Self {
        self.enrolment_closes = closes;
        self
    }

    /// At most this percentage of the seats for one work field.
    pub fn max_work_field_share(mut self, percent: u32) -> Self {
        self.max_work_field_share = Some(percent);
        self
    }

    /// How long a freed seat stays offered.
    pub fn offer_hours(mut self, hours: u32) -> Self {
        self.offer_hours = Some(hours);
        self
    }

    /// Changes the `index`th session (0-based).
    pub fn session_at(mut self, index: usize, change: impl FnOnce(&mut SessionSpec)) -> Self {
        change(&mut self.sessions[index]);
        self
    }

    pub fn add_session(mut self, session: SessionSpec) -> Self {
        self.sessions.push(session);
        self
    }

    /// The run as one element of a training file's `runs:` list.
    fn yaml(&self) -> String {
        let mut out = format!(
            "- code: {}\n  capacity: {}\n  enrolment_opens: {}\n  enrolment_closes: {}\n  waitlist_closes: {}\n  trainers: [{}]\n",
            self.code,
            self.capacity,
            self.enrolment_opens,
            self.enrolment_closes,
            self.waitlist_closes,
            self.trainers.join(", ")
        );
        if let Some(share) = self.max_work_field_share {
            out.push_str(&format!("  max_work_field_share: {share}\n"));
        }
        if let Some(hours) = self.offer_hours {
            out.push_str(&format!("  offer_hours: {hours}\n"));
        }
        out.push_str("  sessions:\n");
        for s in &self.sessions {
            out.push_str(&format!(
                "    - {{ date: {}, start: \"{}\", end: \"{}\", location: \"{}\"",
                s.date, s.start, s.end, s.location
            ));
            if let Some(link) = s.link {
                out.push_str(&format!(", link: \"{link}\""));
            }
            out.push_str(" }\n");
        }
        out
    }
}

/// A published training, by default 6 hours, no accreditation, no intake, no approval, full
/// attendance required, and no runs.
pub struct TrainingBuilder {
    slug: String,
    title: String,
    facts: TrainingFacts,
    runs: Vec<RunBuilder>,
}

impl TrainingBuilder {
    pub fn new(slug: &str) -> Self {
        Self {
            slug: slug.to_owned(),
            title: format!("Training {slug}"),
            facts: TrainingFacts {
                hours: 60,
                accreditation: Vec::new(),
                prerequisites: "Ervaring met casuïstiek.".to_owned(),
                preparation: None,
                intake: Vec::new(),
                approval: false,
                min_attendance: FULL_ATTENDANCE,
            },
            runs: Vec::new(),
        }
    }

    pub fn title(mut self, title: &str) -> Self {
        self.title = title.to_owned();
        self
    }

    /// Points in `register` (whole points).
    pub fn accreditation(mut self, register: &str, points: u32) -> Self {
        self.facts.accreditation.push(Accreditation {
            register: register.to_owned(),
            points: points * 10,
        });
        self
    }

    pub fn min_attendance(mut self, percent: u32) -> Self {
        self.facts.min_attendance = percent;
        self
    }

    pub fn preparation(mut self, course: &str) -> Self {
        self.facts.preparation = Some(course.to_owned());
        self
    }

    pub fn approval(mut self) -> Self {
        self.facts.approval = true;
        self
    }

    pub fn intake(mut self, question: IntakeQuestion) -> Self {
        self.facts.intake.push(question);
        self
    }

    pub fn run(mut self, run: RunBuilder) -> Self {
        self.runs.push(run);
        self
    }

    /// The training's file, in the canonical layout.
    pub fn file(&self) -> String {
        let runs_yaml = (!self.runs.is_empty())
            .then(|| self.runs.iter().map(RunBuilder::yaml).collect::<String>());
        let stored = serde_json::to_string(&TrainingDocument {
            facts: self.facts.clone(),
            runs_yaml,
        })
        .expect("training fields as JSON");
        let front_matter = FrontMatter {
            title: self.title.clone(),
            slug: self.slug.clone(),
            summary: "Een verdiepingstraining.".to_owned(),
            phenomena: vec![Phenomenon::Fenomeenoverstijgend],
            audience: vec![WorkField::Zorg, WorkField::Veiligheid],
            owner: "Team Training".to_owned(),
            reviewed_on: date("2026-11-01"),
            review_due: date("2027-11-01"),
            sources: vec![Source {
                title: "Bron".to_owned(),
                url: "https://example.org".to_owned(),
            }],
            status: DocumentStatus::Published,
            kind_fields: Some(stored),
        };
        app::register_document_kinds();
        to_document(&front_matter, "Beschrijving.\n")
    }

    /// Writes the file to `dir`'s `trainings/` (replacing an earlier version).
    pub fn write_to(&self, dir: &std::path::Path) {
        super::write_files(
            dir,
            &[(&format!("trainings/{}.md", self.slug), self.file())],
        );
    }

    /// Imports the training and its runs from a content directory of its own, which is
    /// returned so a test can change the file and import again.
    pub async fn import(&self, db: &DatabaseConnection, now: DateTime<Utc>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        self.write_to(dir.path());
        let report = app::knowledge::service::import::import_content_dir(db, dir.path(), now)
            .await
            .expect("import");
        assert_eq!(report.rejected.len(), 0, "{:?}", report.rejected);
        let runs = app::training::service::runs_import::import_runs(db, dir.path(), now)
            .await
            .expect("import runs");
        assert_eq!(runs.added, self.runs.len(), "{runs:?}");
        dir
    }
}

/// An intervision group with a facilitator, by default named "Intervisiegroep Noord" with at
/// most 8 members.
pub struct GroupBuilder {
    name: String,
    max_members: String,
}

impl GroupBuilder {
    pub fn new() -> Self {
        Self {
            name: "Intervisiegroep Noord".to_owned(),
            max_members: "8".to_owned(),
        }
    }

    /// As typed in the group form (so a test can also give a wrong value).
    pub fn max_members(mut self, max_members: &str) -> Self {
        self.max_members = max_members.to_owned();
        self
    }

    pub fn name(mut self, name: &str) -> Self {
        self.name = name.to_owned();
        self
    }

    /// The group, created by `facilitator`; its id.
    pub async fn create(self, db: &DatabaseConnection, facilitator: &Viewer) -> i32 {
        use app::intervision::model::GroupForm;
        let spec = app::intervision::rules::parse_group_form(&GroupForm {
            name: self.name,
            max_members: self.max_members,
            ..GroupForm::default()
        })
        .expect("a valid group form");
        app::intervision::service::groups::create_group(
            db,
            &spec,
            facilitator.user_id,
            super::now(),
        )
        .await
        .expect("create group")
    }
}

/// Joins `member` to group `group_id` with a fresh invitation and accepts the agreement: a
/// member in good standing.
pub async fn join_group(db: &DatabaseConnection, group_id: i32, member: &Viewer) {
    use app::intervision::service::groups::{accept_agreement, create_invitation, join};
    let now = super::now();
    let token = create_invitation(db, group_id, now)
        .await
        .expect("invitation");
    join(db, &token, member.user_id, now).await.expect("join");
    let standing = app::intervision::service::access::standing(db, group_id, member.user_id)
        .await
        .expect("standing")
        .expect("a member now");
    accept_agreement(db, &standing.group, member.user_id, 1, now)
        .await
        .expect("accept the agreement");
}
