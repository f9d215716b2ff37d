//! The editorial workflow for factsheets: draft → in review → published → withdrawn, every
//! save a revision, optimistic locking on the revision number, and nobody approving their own
//! work. The `factsheets` table stays what the public sees; it changes only on publish and
//! withdrawal.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::dates::format_date_nl;
use crate::error::ServiceError;
use crate::identity::access::Relation;
use crate::identity::model::AuditEventKind;
use crate::identity::service::audit::{self, NewAuditEvent};
use crate::identity::service::labels::account_labels;
use crate::knowledge::entity::{self, Entity as Documents, revision, workflow};
use crate::knowledge::model::editor::field_label;
use crate::knowledge::model::{
    DiffKind, DiffLine, DocumentKind, DocumentStatus, EDITORIAL_PAGE_SIZE, EditorDocument,
    EditorialItem, EditorialOverviewPage, FieldChange, Placement, RevisionComparison,
    RevisionSummary, WorkflowState,
};
use crate::knowledge::policy::{ReviewFacts, relation_to_review};
use crate::knowledge::rules::front_matter::{self, FrontMatter, to_document};
use crate::knowledge::rules::render::render_markdown;
use crate::knowledge::service::import::{
    MAX_DOCUMENT_BYTES, content_hash, document_row, module_questions,
};
use crate::knowledge::service::search::IndexedDocument;

const MIN_REASON_CHARS: usize = 10;
/// A reason is a sentence or two on the old page, not a document.
const MAX_REASON_CHARS: usize = 1_000;

fn invalid(message: &str) -> ServiceError {
    ServiceError::Invalid(message.to_owned())
}

/// A document validated exactly as the importer does, in canonical layout, with the status the
/// workflow (not the text) decides.
struct Canonical {
    front_matter: FrontMatter,
    text: String,
    body_len: usize,
    /// A module's questions.
    questions: Option<entity::Questions>,
}

impl Canonical {
    fn body(&self) -> &str {
        // The canonical text ends with the body unchanged.
        &self.text[self.text.len() - self.body_len..]
    }
}

/// The size limit, then the front matter.
fn parse_checked(source: &str) -> Result<(FrontMatter, &str), ServiceError> {
    if source.len() > MAX_DOCUMENT_BYTES {
        return Err(invalid(&format!(
            "Het document is groter dan {} KB. Maak het korter of splits het op.",
            MAX_DOCUMENT_BYTES / 1024
        )));
    }
    front_matter::parse_document(source).map_err(ServiceError::from)
}

fn canonical(
    mut fm: FrontMatter,
    body: &str,
    status: DocumentStatus,
    placement: &Placement,
) -> Result<Canonical, ServiceError> {
    let questions =
        module_questions(placement, body).map_err(|message| ServiceError::InvalidDocument {
            field: Some("body"),
            message,
        })?;
    // A training without its facts (or a factsheet with them) is never stored: the training
    // pages and enrolment read them.
    match (placement, fm.kind_fields.is_some()) {
        (Placement::Training, false) => {
            return Err(ServiceError::InvalidDocument {
                field: Some(front_matter::first_training_field()),
                message:
                    "een training heeft trainingsgegevens nodig (ten minste uren en voorkennis)"
                        .into(),
            });
        }
        (Placement::Factsheet | Placement::Course | Placement::Module { .. }, true) => {
            return Err(ServiceError::InvalidDocument {
                field: Some(front_matter::first_training_field()),
                message: "alleen een training heeft trainingsgegevens".into(),
            });
        }
        _ => {}
    }
    fm.status = status;
    Ok(Canonical {
        text: to_document(&fm, body),
        body_len: body.len(),
        front_matter: fm,
        questions,
    })
}

/// The placement stored in a row's `kind`, `course` and `position` columns.
pub(super) fn stored_placement(
    slug: &str,
    kind: DocumentKind,
    course: Option<&str>,
    position: Option<i32>,
) -> Result<Placement, ServiceError> {
    Placement::from_columns(kind, course, position)
        .ok_or_else(|| ServiceError::Corrupt(format!("bad placement of '{slug}'")))
}

fn placement_of(flow: &workflow::Model) -> Result<Placement, ServiceError> {
    stored_placement(&flow.slug, flow.kind, flow.course.as_deref(), flow.position)
}

fn placement_of_row(row: &entity::Model) -> Result<Placement, ServiceError> {
    stored_placement(&row.slug, row.kind, row.course.as_deref(), row.position)
}

/// Where a new module of `course` goes: after every module it has (published or not).
pub async fn next_module_placement(
    db: &impl ConnectionTrait,
    course: &str,
) -> Result<Placement, ServiceError> {
    let course_exists = Documents::find()
        .filter(entity::Column::Slug.eq(course))
        .filter(entity::Column::Kind.eq(DocumentKind::Course))
        .one(db)
        .await?
        .is_some()
        || workflow::Entity::find_by_id(course)
            .filter(workflow::Column::Kind.eq(DocumentKind::Course))
            .one(db)
            .await?
            .is_some();
    if !course_exists {
        return Err(ServiceError::NotFound);
    }
    let in_rows = Documents::find()
        .filter(entity::Column::Kind.eq(DocumentKind::Module))
        .filter(entity::Column::Course.eq(course))
        .all(db)
        .await?
        .iter()
        .filter_map(|row| row.position)
        .max();
    let in_flows = workflow::Entity::find()
        .filter(workflow::Column::Kind.eq(DocumentKind::Module))
        .filter(workflow::Column::Course.eq(course))
        .all(db)
        .await?
        .iter()
        .filter_map(|flow| flow.position)
        .max();
    Ok(Placement::Module {
        course: course.to_owned(),
        position: in_rows.max(in_flows).unwrap_or(0) + 1,
    })
}

/// The text of a factsheet that exists only as an imported row: its first revision.
pub fn source_of_row(row: &entity::Model) -> Result<String, ServiceError> {
    let fm = FrontMatter {
        title: row.title.clone(),
        slug: row.slug.clone(),
        summary: row.summary.clone(),
        phenomena: row.phenomena.0.clone(),
        audience: row.audience.0.clone(),
        owner: row.owner.clone(),
        reviewed_on: row.reviewed_on,
        review_due: row.review_due,
        sources: row.sources.0.clone(),
        status: if row.status == DocumentStatus::Published {
            DocumentStatus::Published
        } else {
            DocumentStatus::Draft
        },
        kind_fields: row.training.clone(),
    };
    Ok(to_document(&fm, &row.body_markdown))
}

fn state_of(row: &workflow::Model) -> Result<WorkflowState, ServiceError> {
    Ok(row.state)
}

/// The workflow row of `slug`, created from the imported row (as revision 1) on first use.
async fn ensure_workflow(
    db: &impl ConnectionTrait,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<workflow::Model>, ServiceError> {
    if let Some(found) = workflow::Entity::find_by_id(slug).one(db).await? {
        return Ok(Some(found));
    }
    let Some(row) = Documents::find()
        .filter(entity::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    revision::ActiveModel {
        slug: Set(slug.to_owned()),
        number: Set(1),
        source: Set(source_of_row(&row)?),
        author_user_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let state = match row.status {
        DocumentStatus::Published => WorkflowState::Published,
        DocumentStatus::Withdrawn => WorkflowState::Withdrawn,
        _ => WorkflowState::Draft,
    };
    let placement = placement_of_row(&row)?;
    let created = workflow::ActiveModel {
        slug: Set(slug.to_owned()),
        state: Set(state),
        head: Set(1),
        published: Set((state == WorkflowState::Published).then_some(1)),
        submitted_by: Set(None),
        updated_at: Set(now),
        kind: Set(placement.kind()),
        course: Set(placement.course().map(str::to_owned)),
        position: Set(placement.position()),
    }
    .insert(db)
    .await?;
    Ok(Some(created))
}

async fn revision_source(
    db: &impl ConnectionTrait,
    slug: &str,
    number: i32,
) -> Result<revision::Model, ServiceError> {
    revision::Entity::find()
        .filter(revision::Column::Slug.eq(slug))
        .filter(revision::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The newest version of a document, for the editor.
pub async fn open(
    db: &DatabaseConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<EditorDocument, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let flow = ensure_workflow(&*txn, slug, now)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let head = revision_source(&*txn, slug, flow.head).await?;
    txn.commit().await?;
    Ok(EditorDocument {
        placement: placement_of(&flow)?,
        slug: slug.to_owned(),
        state: state_of(&flow)?,
        head: flow.head,
        published: flow.published,
        submitted_by: flow.submitted_by,
        source: head.source,
    })
}

/// Saves a new revision. `expected_head` is the revision the editor started from (0 for a new
/// document); if someone saved in between, the save is refused with their version.
pub async fn save(
    db: &DatabaseConnection,
    author: i32,
    source: &str,
    expected_head: i32,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    save_placed(
        db,
        author,
        source,
        expected_head,
        &Placement::Factsheet,
        now,
    )
    .await
}

/// [`save`], where `placement` says where a new document goes (an existing one stays put).
pub async fn save_placed(
    db: &DatabaseConnection,
    author: i32,
    source: &str,
    expected_head: i32,
    placement: &Placement,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    save_audited(db, author, source, expected_head, placement, now, None).await
}

/// [`save_placed`], writing `audit` (if any) in the same transaction as the new revision.
async fn save_audited(
    db: &DatabaseConnection,
    author: i32,
    source: &str,
    expected_head: i32,
    placement: &Placement,
    now: DateTime<Utc>,
    audit: Option<AuditEventKind>,
) -> Result<i32, ServiceError> {
    let (fm, body) = parse_checked(source)?;
    let txn = crate::db::begin_write(db).await?;
    let existing = ensure_workflow(&*txn, &fm.slug, now).await?;
    let placement = match &existing {
        Some(flow) => placement_of(flow)?,
        None => placement.clone(),
    };
    let document = canonical(fm, body, DocumentStatus::Draft, &placement)?;
    let slug = document.front_matter.slug.as_str();
    let new_head = match existing {
        None if expected_head == 0 => {
            workflow::ActiveModel {
                slug: Set(slug.to_owned()),
                state: Set(WorkflowState::Draft),
                head: Set(1),
                published: Set(None),
                submitted_by: Set(None),
                updated_at: Set(now),
                kind: Set(placement.kind()),
                course: Set(placement.course().map(str::to_owned)),
                position: Set(placement.position()),
            }
            .insert(&*txn)
            .await?;
            1
        }
        None => return Err(ServiceError::NotFound),
        Some(_) if expected_head == 0 => {
            return Err(ServiceError::InvalidDocument {
                field: Some("slug"),
                message: "er bestaat al een document met deze slug; kies een andere".into(),
            });
        }
        Some(_) => {
            // The compare-and-set that makes concurrent saves safe on SQLite and PostgreSQL.
            let updated = workflow::Entity::update_many()
                .col_expr(workflow::Column::Head, Expr::value(expected_head + 1))
                .col_expr(workflow::Column::State, Expr::value(WorkflowState::Draft))
                .col_expr(
                    workflow::Column::SubmittedBy,
                    Expr::value(Option::<i32>::None),
                )
                .col_expr(workflow::Column::UpdatedAt, Expr::value(now))
                .filter(workflow::Column::Slug.eq(slug))
                .filter(workflow::Column::Head.eq(expected_head))
                .exec(&*txn)
                .await?;
            if updated.rows_affected != 1 {
                let current = workflow::Entity::find_by_id(slug)
                    .one(&*txn)
                    .await?
                    .ok_or(ServiceError::NotFound)?;
                let theirs = revision_source(&*txn, slug, current.head).await?.source;
                return Err(ServiceError::Conflict {
                    head: current.head,
                    theirs,
                });
            }
            expected_head + 1
        }
    };
    revision::ActiveModel {
        slug: Set(slug.to_owned()),
        number: Set(new_head),
        source: Set(document.text.clone()),
        author_user_id: Set(Some(author)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    if let Some(event) = audit {
        audit_action(&*txn, event, author, slug, now).await?;
    }
    txn.commit().await?;
    Ok(new_head)
}

async fn flow_in_state(
    db: &impl ConnectionTrait,
    slug: &str,
    allowed: &[WorkflowState],
    refusal: &str,
    now: DateTime<Utc>,
) -> Result<workflow::Model, ServiceError> {
    let flow = ensure_workflow(db, slug, now)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !allowed.contains(&state_of(&flow)?) {
        return Err(invalid(refusal));
    }
    Ok(flow)
}

/// Draft → in review.
pub async fn submit(
    db: &DatabaseConnection,
    editor: i32,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let flow = flow_in_state(
        &*txn,
        slug,
        &[WorkflowState::Draft],
        "Alleen een concept kan ter beoordeling worden aangeboden.",
        now,
    )
    .await?;
    let mut active = flow.into_active_model();
    active.state = Set(WorkflowState::InReview);
    active.submitted_by = Set(Some(editor));
    active.updated_at = Set(now);
    active.update(&*txn).await?;
    audit_action(&*txn, AuditEventKind::DocumentSubmitted, editor, slug, now).await?;
    txn.commit().await?;
    Ok(())
}

/// In review → published, by a second editor: nobody who submitted it or wrote any revision
/// since the last publication (`knowledge::policy`). `reviewed` is the revision the approver
/// saw; if the head has moved since, nothing is published. Returns the document for the
/// search index.
pub async fn approve(
    db: &DatabaseConnection,
    approver: i32,
    slug: &str,
    reviewed: i32,
    now: DateTime<Utc>,
) -> Result<IndexedDocument, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let flow = flow_in_state(
        &*txn,
        slug,
        &[WorkflowState::InReview],
        "Alleen een document dat ter beoordeling ligt, kan worden goedgekeurd.",
        now,
    )
    .await?;
    if flow.head != reviewed {
        return Err(invalid(
            "Er is intussen een nieuwere versie opgeslagen. Bekijk die eerst; daarna kunt u goedkeuren.",
        ));
    }
    let authors = revision_authors(&*txn, slug).await?;
    let facts = ReviewFacts {
        submitted_by: flow.submitted_by,
        published: flow.published,
        revisions: &authors,
    };
    if relation_to_review(approver, facts) == Relation::Contributor {
        return Err(invalid(
            "U heeft aan deze versie meegewerkt en kunt hem daarom niet goedkeuren. Een andere redacteur moet dit beoordelen.",
        ));
    }
    let head = revision_source(&*txn, slug, flow.head).await?;
    let placement = placement_of(&flow)?;
    let (fm, body) = parse_checked(&head.source)?;
    let document = canonical(fm, body, DocumentStatus::Published, &placement)?;
    let body = document.body().to_owned();
    let rendered = off_the_async_workers(move || render_markdown(&body)).await?;
    let mut row = document_row(
        &document.front_matter,
        document.body(),
        &rendered,
        &content_hash(document.text.as_bytes()),
        &placement,
        document.questions.clone(),
        now,
    );
    let existing = Documents::find()
        .filter(entity::Column::Slug.eq(slug))
        .one(&*txn)
        .await?;
    match existing {
        Some(found) => {
            row.id = found.id;
            let mut active = row.clone().into_active_model().reset_all();
            active.id = sea_orm::ActiveValue::Unchanged(found.id);
            active.update(&*txn).await?;
        }
        None => {
            let mut active = row.clone().into_active_model().reset_all();
            active.id = sea_orm::ActiveValue::NotSet;
            active.insert(&*txn).await?;
        }
    }
    // Compare-and-set: only if the head is still the reviewed revision and still in review
    // (a save committed meanwhile makes this a no-op, and the whole approval rolls back).
    let published = workflow::Entity::update_many()
        .col_expr(
            workflow::Column::State,
            Expr::value(WorkflowState::Published),
        )
        .col_expr(workflow::Column::Published, Expr::value(Some(reviewed)))
        .col_expr(workflow::Column::UpdatedAt, Expr::value(now))
        .filter(workflow::Column::Slug.eq(slug))
        .filter(workflow::Column::Head.eq(reviewed))
        .filter(workflow::Column::State.eq(WorkflowState::InReview))
        .exec(&*txn)
        .await?;
    if published.rows_affected != 1 {
        return Err(invalid(
            "Er is intussen een nieuwere versie opgeslagen. Bekijk die eerst; daarna kunt u goedkeuren.",
        ));
    }
    let course_title: Option<String> = match &row.course {
        Some(course) => {
            Documents::find()
                .select_only()
                .column(entity::Column::Title)
                .filter(entity::Column::Slug.eq(course.as_str()))
                .filter(entity::Column::Kind.eq(DocumentKind::Course))
                .into_tuple()
                .one(&*txn)
                .await?
        }
        None => None,
    };
    audit_action(&*txn, AuditEventKind::DocumentApproved, approver, slug, now).await?;
    crate::knowledge::service::publication::bump(&*txn).await?;
    txn.commit().await?;
    IndexedDocument::from_row(&row, course_title.as_deref())
}

/// Published → withdrawn, with a reason the old address will show. Returns the key to remove
/// from the search index.
pub async fn withdraw(
    db: &DatabaseConnection,
    editor: i32,
    slug: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(crate::knowledge::model::SearchKind, String), ServiceError> {
    let reason = reason.trim();
    let length = reason.chars().count();
    if length < MIN_REASON_CHARS {
        return Err(invalid(
            "Geef een reden voor het intrekken (minstens 10 tekens); lezers zien die op de oude pagina.",
        ));
    }
    if length > MAX_REASON_CHARS {
        return Err(invalid(
            "De reden is te lang: houd het bij hoogstens 1000 tekens; lezers zien die op de oude pagina.",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let flow = ensure_workflow(&*txn, slug, now)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if flow.published.is_none() {
        return Err(invalid(
            "Alleen een gepubliceerd document kan worden ingetrokken.",
        ));
    }
    let search_key = Documents::find()
        .filter(entity::Column::Slug.eq(slug))
        .one(&*txn)
        .await?
        .map(|row| IndexedDocument::key_of(&row))
        .unwrap_or((
            crate::knowledge::model::SearchKind::Factsheet,
            slug.to_owned(),
        ));
    Documents::update_many()
        .col_expr(
            entity::Column::Status,
            Expr::value(DocumentStatus::Withdrawn),
        )
        .col_expr(entity::Column::WithdrawnReason, Expr::value(reason))
        .col_expr(entity::Column::UpdatedAt, Expr::value(now))
        .filter(entity::Column::Slug.eq(slug))
        .exec(&*txn)
        .await?;
    let mut active = flow.into_active_model();
    active.state = Set(WorkflowState::Withdrawn);
    active.published = Set(None);
    active.updated_at = Set(now);
    active.update(&*txn).await?;
    audit_action(&*txn, AuditEventKind::DocumentWithdrawn, editor, slug, now).await?;
    crate::knowledge::service::publication::bump(&*txn).await?;
    txn.commit().await?;
    Ok(search_key)
}

/// `(number, author)` of every revision of `slug`.
async fn revision_authors(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Vec<(i32, Option<i32>)>, ServiceError> {
    Ok(revision::Entity::find()
        .select_only()
        .columns([revision::Column::Number, revision::Column::AuthorUserId])
        .filter(revision::Column::Slug.eq(slug))
        .into_tuple()
        .all(db)
        .await?)
}

/// Every revision, newest first.
pub async fn history(
    db: &DatabaseConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Vec<RevisionSummary>, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let flow = ensure_workflow(&*txn, slug, now)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let rows = revision::Entity::find()
        .filter(revision::Column::Slug.eq(slug))
        .order_by_desc(revision::Column::Number)
        .all(&*txn)
        .await?;
    let authors: Vec<i32> = rows.iter().filter_map(|row| row.author_user_id).collect();
    let labels = account_labels(&*txn, authors).await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|row| RevisionSummary {
            is_published: flow.published == Some(row.number),
            number: row.number,
            author_user_id: row.author_user_id,
            author: row
                .author_user_id
                .and_then(|id| labels.get(&id).cloned())
                .unwrap_or_else(|| "import uit content/".to_owned()),
            created_at: row.created_at,
        })
        .collect())
}

/// Two revisions compared: changed front-matter fields by their Dutch labels, then the text.
pub async fn diff(
    db: &DatabaseConnection,
    slug: &str,
    from: i32,
    to: i32,
) -> Result<RevisionComparison, ServiceError> {
    let old = revision_source(db, slug, from).await?.source;
    let new = revision_source(db, slug, to).await?.source;
    off_the_async_workers(move || document_diff(&old, &new)).await
}

/// CPU work (diffing, rendering) on the blocking pool, so a large document never stalls the
/// async workers that serve other requests.
async fn off_the_async_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServiceError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ServiceError::Task(format!("blocking work: {error}")))
}

/// [`diff`] of two document texts; a text that does not parse is compared as a whole.
pub fn document_diff(old: &str, new: &str) -> RevisionComparison {
    let (Ok((old_fm, old_body)), Ok((new_fm, new_body))) = (
        front_matter::parse_document(old),
        front_matter::parse_document(new),
    ) else {
        return RevisionComparison {
            fields: Vec::new(),
            body: diff_lines(old, new),
        };
    };
    let (old_fields, new_fields) = (readable_fields(&old_fm), readable_fields(&new_fm));
    RevisionComparison {
        fields: old_fields
            .into_iter()
            .zip(new_fields)
            .filter(|((_, old), (_, new))| old != new)
            .map(|((field, old), (_, new))| FieldChange {
                label: field_label(field).to_owned(),
                old,
                new,
            })
            .collect(),
        body: diff_lines(old_body, new_body),
    }
}

/// The front matter as editors see it in the form: Dutch labels of lists, Dutch dates.
fn readable_fields(fm: &FrontMatter) -> [(&'static str, String); 10] {
    let labels = |labels: Vec<&str>| labels.join(", ");
    [
        ("title", fm.title.clone()),
        ("slug", fm.slug.clone()),
        ("summary", fm.summary.clone()),
        (
            "phenomena",
            labels(fm.phenomena.iter().map(|p| p.label()).collect()),
        ),
        (
            "audience",
            labels(fm.audience.iter().map(|a| a.label()).collect()),
        ),
        ("owner", fm.owner.clone()),
        ("reviewed_on", format_date_nl(fm.reviewed_on)),
        ("review_due", format_date_nl(fm.review_due)),
        (
            "sources",
            fm.sources
                .iter()
                .map(|s| format!("{} ({})", s.title, s.url))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        ("status", fm.status.label().to_owned()),
    ]
}

/// The changed lines with two lines of context around each change; "…" stands for the
/// unchanged stretches left out. Identical texts give no lines.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    // A deadline: past it, similar settles for a coarser (still correct) diff.
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(500))
        .diff_lines(old, new);
    let mut lines = Vec::new();
    for (index, group) in diff.grouped_ops(2).iter().enumerate() {
        if index > 0 {
            lines.push(DiffLine {
                kind: DiffKind::Same,
                text: "…".to_owned(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                lines.push(DiffLine {
                    kind: match change.tag() {
                        similar::ChangeTag::Equal => DiffKind::Same,
                        similar::ChangeTag::Insert => DiffKind::Added,
                        similar::ChangeTag::Delete => DiffKind::Removed,
                    },
                    text: change.value().trim_end_matches('\n').to_owned(),
                });
            }
        }
    }
    lines
}

/// Makes an old revision the newest again (as a new revision, so nothing is lost).
pub async fn restore(
    db: &DatabaseConnection,
    editor: i32,
    slug: &str,
    number: i32,
    expected_head: i32,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let source = revision_source(db, slug, number).await?.source;
    // The document keeps its place; the restore and its audit entry commit together.
    save_audited(
        db,
        editor,
        &source,
        expected_head,
        &Placement::Factsheet,
        now,
        Some(AuditEventKind::DocumentRestored),
    )
    .await
}

/// A workflow step in the audit log: who, which step, which document (slugs name documents,
/// never people).
async fn audit_action(
    db: &impl ConnectionTrait,
    event: AuditEventKind,
    actor: i32,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    audit::record(
        db,
        NewAuditEvent {
            event,
            actor_user_id: Some(actor),
            subject_user_id: None,
            detail: slug,
        },
        now,
    )
    .await
}

/// Every document whatever its state, for editors: overdue reviews first, then by the next
/// review date. Documents that exist only as web drafts are included.
/// One page of [`overview`]: owners with overdue documents first, then by owner; the counts
/// and the approval queue over every document.
pub async fn overview_page(
    db: &DatabaseConnection,
    today: chrono::NaiveDate,
    page: u64,
) -> Result<EditorialOverviewPage, ServiceError> {
    let mut items = overview(db, today).await?;
    let owners_with_overdue: std::collections::HashSet<String> = items
        .iter()
        .filter(|item| item.overdue)
        .map(|item| item.owner.clone())
        .collect();
    // Stable: each owner's documents keep the overview's order.
    items.sort_by(|a, b| {
        let late = |item: &EditorialItem| !owners_with_overdue.contains(&item.owner);
        late(a).cmp(&late(b)).then(a.owner.cmp(&b.owner))
    });
    let count = |state: WorkflowState| items.iter().filter(|i| i.state == state).count();
    let (in_review, drafts) = (count(WorkflowState::InReview), count(WorkflowState::Draft));
    let overdue = items.iter().filter(|i| i.overdue).count();
    let mut awaiting_approval: Vec<EditorialItem> = items
        .iter()
        .filter(|i| i.state == WorkflowState::InReview)
        .cloned()
        .collect();
    awaiting_approval.sort_by(|a, b| {
        a.reviewed_on
            .cmp(&b.reviewed_on)
            .then(a.title.cmp(&b.title))
    });
    awaiting_approval.truncate(EDITORIAL_PAGE_SIZE);
    let course_titles = items
        .iter()
        .filter(|i| i.placement == Placement::Course)
        .map(|i| (i.slug.clone(), i.title.clone()))
        .collect();
    let page_count = items.len().div_ceil(EDITORIAL_PAGE_SIZE).max(1) as u64;
    let page = page.clamp(1, page_count);
    let items = items
        .into_iter()
        .skip((page as usize - 1) * EDITORIAL_PAGE_SIZE)
        .take(EDITORIAL_PAGE_SIZE)
        .collect();
    Ok(EditorialOverviewPage {
        items,
        awaiting_approval,
        course_titles,
        overdue,
        in_review,
        drafts,
        page,
        page_count,
        backlog: Vec::new(),
        owners_without_mailbox: Vec::new(),
    })
}

pub async fn overview(
    db: &DatabaseConnection,
    today: chrono::NaiveDate,
) -> Result<Vec<EditorialItem>, ServiceError> {
    // The listing columns only: bodies and rendered HTML stay in the database.
    #[derive(Debug, sea_orm::DerivePartialModel)]
    #[sea_orm(entity = "Documents")]
    struct OverviewRow {
        slug: String,
        title: String,
        owner: String,
        status: DocumentStatus,
        reviewed_on: chrono::NaiveDate,
        review_due: chrono::NaiveDate,
        kind: DocumentKind,
        course: Option<String>,
        position: Option<i32>,
    }
    let rows = Documents::find()
        .into_partial_model::<OverviewRow>()
        .all(db)
        .await?;
    let flows = workflow::Entity::find().all(db).await?;
    let flow_by_slug: std::collections::HashMap<&str, &workflow::Model> =
        flows.iter().map(|f| (f.slug.as_str(), f)).collect();
    let row_slugs: std::collections::HashSet<&str> = rows.iter().map(|r| r.slug.as_str()).collect();
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let state = match flow_by_slug.get(row.slug.as_str()) {
            Some(flow) => state_of(flow)?,
            None if row.status == DocumentStatus::Published => WorkflowState::Published,
            None if row.status == DocumentStatus::Withdrawn => WorkflowState::Withdrawn,
            None => WorkflowState::Draft,
        };
        let placement = stored_placement(&row.slug, row.kind, row.course.as_deref(), row.position)?;
        items.push(EditorialItem {
            placement,
            slug: row.slug.clone(),
            title: row.title.clone(),
            owner: row.owner.clone(),
            state,
            reviewed_on: row.reviewed_on,
            review_due: row.review_due,
            overdue: row.review_due < today && state == WorkflowState::Published,
            reminded: None,
        });
    }
    // Documents that exist only as web drafts (never published): their head revisions in one
    // query, not one per draft.
    let drafts: Vec<&workflow::Model> = flows
        .iter()
        .filter(|f| !row_slugs.contains(f.slug.as_str()))
        .collect();
    let mut heads: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    if !drafts.is_empty() {
        let head_of: std::collections::HashMap<&str, i32> =
            drafts.iter().map(|f| (f.slug.as_str(), f.head)).collect();
        heads = revision::Entity::find()
            .filter(revision::Column::Slug.is_in(head_of.keys().copied()))
            .all(db)
            .await?
            .into_iter()
            .filter(|row| head_of.get(row.slug.as_str()) == Some(&row.number))
            .map(|row| (row.slug, row.source))
            .collect();
    }
    for flow in drafts {
        let source = heads.get(&flow.slug).ok_or_else(|| {
            ServiceError::Corrupt(format!("head revision of '{}' is missing", flow.slug))
        })?;
        let (fm, _) = front_matter::parse_document(source).map_err(ServiceError::from)?;
        items.push(EditorialItem {
            placement: placement_of(flow)?,
            slug: flow.slug.clone(),
            title: fm.title,
            owner: fm.owner,
            state: state_of(flow)?,
            reviewed_on: fm.reviewed_on,
            review_due: fm.review_due,
            overdue: false,
            reminded: None,
        });
    }
    items.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(a.review_due.cmp(&b.review_due))
            .then(a.title.cmp(&b.title))
    });
    Ok(items)
}
