//! Importing `content/factsheets/*.md` and `content/modules/<course>/{course.md,NN-<slug>.md}`
//! into the database. Idempotent: a file whose bytes (and the renderer) did not change since the
//! last import is not even parsed; one bad file is reported and skipped, never fatal. Slugs are
//! unique across all documents, so the workflow and the search index can key on them.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::error::ServiceError;
use crate::knowledge::entity::{self, Column, Entity as Documents, revision, workflow};
use crate::knowledge::model::{COURSE_FILE, DocumentKind, Placement};
use crate::knowledge::rules::front_matter::{self, FrontMatter};
use crate::knowledge::rules::quiz;
use crate::knowledge::rules::render::{self, RENDERER_VERSION};

/// Larger files are rejected: nobody writes a 256 KB factsheet, and rendering stays bounded.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
const INSERT_BATCH: usize = 500;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Files skipped because editors changed that factsheet in the browser since: the
    /// database version wins until it is exported back to `content/`.
    pub edited_on_web: usize,
    pub rejected: Vec<Rejection>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Relative to the content directory, e.g. `factsheets/jihadisme.md`.
    pub path: String,
    pub reason: String,
}

/// A file read from disk, with the hash that decides whether it needs work.
struct SourceFile {
    path: String,
    hash: String,
    bytes: Vec<u8>,
}

/// A changed or new file, parsed and rendered.
struct ParsedDocument {
    path: String,
    hash: String,
    placement: Placement,
    /// A module's questions as stored JSON.
    questions: Option<entity::Questions>,
    front_matter: FrontMatter,
    markdown: String,
    rendered: render::Rendered,
}

/// How far an import is, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportProgress {
    /// Files found, and how many of them changed (those are parsed and stored).
    Scanned { files: usize, changed: usize },
    /// One more changed file parsed and rendered.
    Parsed,
    /// This many more documents written to the database.
    Stored(usize),
}

pub type ProgressFn = Arc<dyn Fn(ImportProgress) + Send + Sync>;

/// Imports every document under `<content_dir>/factsheets` and `<content_dir>/modules`.
pub async fn import_content_dir(
    db: &DatabaseConnection,
    content_dir: &Path,
    now: DateTime<Utc>,
) -> Result<ImportReport, ServiceError> {
    import_content_dir_with_progress(db, content_dir, now, Arc::new(|_| {})).await
}

/// [`import_content_dir`], reporting progress as it goes.
pub async fn import_content_dir_with_progress(
    db: &DatabaseConnection,
    content_dir: &Path,
    now: DateTime<Utc>,
    progress: ProgressFn,
) -> Result<ImportReport, ServiceError> {
    let dir = content_dir.to_owned();
    let (files, mut rejected) = tokio::task::spawn_blocking(move || read_sources(&dir))
        .await
        .map_err(|e| ServiceError::Task(format!("reading content: {e}")))??;
    let stored = StoredDocuments::load(db).await?;
    let web_edited = stored.edited_on_the_web(db).await?;

    let mut report = ImportReport::default();
    let mut changed = Vec::new();
    for file in files {
        if stored.hash_by_path.get(&file.path) == Some(&file.hash) {
            report.unchanged += 1;
        } else if web_edited.contains(&file.path) {
            report.edited_on_web += 1;
        } else {
            changed.push(file);
        }
    }
    progress(ImportProgress::Scanned {
        files: report.unchanged + report.edited_on_web + changed.len(),
        changed: changed.len(),
    });
    // Parsing runs on worker threads while this task stores what they hand over, in file
    // order (so the first of two files with one slug wins, as it always did). The transaction
    // is deferred: the write lock is taken with the first write, not before.
    let (parsed_sender, mut parsed) = tokio::sync::mpsc::channel(PARSED_IN_FLIGHT);
    let parse_progress = progress.clone();
    let parsing =
        tokio::task::spawn_blocking(move || parse_all(changed, &parse_progress, parsed_sender));

    let txn = db.begin().await?;
    let mut places = Places::new(&stored);
    let mut inserts = Vec::with_capacity(INSERT_BATCH);
    let mut added = 0;
    let mut updates = Vec::new();
    let mut out_of_order = std::collections::BTreeMap::new();
    let mut next_index = 0;
    while let Some((index, item)) = parsed.recv().await {
        out_of_order.insert(index, item);
        while let Some(item) = out_of_order.remove(&next_index) {
            next_index += 1;
            match item.and_then(|document| places.place(document)) {
                Err(rejection) => rejected.push(rejection),
                Ok(Place::Update(id, document)) => updates.push((id, document)),
                Ok(Place::Insert(document)) => {
                    inserts.push(document);
                    if inserts.len() == INSERT_BATCH {
                        added += insert_batch(&txn, &mut inserts, now, &progress).await?;
                    }
                }
            }
        }
    }
    parsing
        .await
        .map_err(|e| ServiceError::Task(format!("parsing content: {e}")))?;
    if !inserts.is_empty() {
        added += insert_batch(&txn, &mut inserts, now, &progress).await?;
    }
    update_all(&txn, &updates, now, &progress).await?;
    if added > 0 || !updates.is_empty() {
        crate::knowledge::service::publication::bump(&txn).await?;
    }
    txn.commit().await?;

    report.added = added;
    report.updated = updates.len();
    rejected.sort_by(|a, b| a.path.cmp(&b.path));
    report.rejected = rejected;
    Ok(report)
}

/// What the documents table holds, as far as the import needs it.
struct StoredDocuments {
    hash_by_path: HashMap<String, String>,
    /// slug → (id, source path)
    by_slug: HashMap<String, (i32, String)>,
}

impl StoredDocuments {
    async fn load(db: &DatabaseConnection) -> Result<Self, ServiceError> {
        let rows: Vec<(i32, String, String, String)> = Documents::find()
            .select_only()
            .columns([
                Column::Id,
                Column::Slug,
                Column::ContentHash,
                Column::SourcePath,
            ])
            .into_tuple()
            .all(db)
            .await?;
        let mut stored = StoredDocuments {
            hash_by_path: HashMap::with_capacity(rows.len()),
            by_slug: HashMap::with_capacity(rows.len()),
        };
        for (id, slug, hash, path) in rows {
            stored.hash_by_path.insert(path.clone(), hash);
            stored.by_slug.insert(slug, (id, path));
        }
        Ok(stored)
    }

    /// The files of documents editors changed in the browser: there the database version wins
    /// over the file.
    async fn edited_on_the_web(
        &self,
        db: &DatabaseConnection,
    ) -> Result<HashSet<String>, ServiceError> {
        #[derive(Debug, sea_orm::DerivePartialModel)]
        #[sea_orm(entity = "workflow::Entity")]
        struct EditedRow {
            slug: String,
            kind: DocumentKind,
            course: Option<String>,
            position: Option<i32>,
        }
        let edited: Vec<EditedRow> = workflow::Entity::find()
            .filter(workflow::Column::Head.gt(1))
            .into_partial_model()
            .all(db)
            .await?;
        Ok(edited
            .iter()
            .filter_map(|row| {
                let placement =
                    Placement::from_columns(row.kind, row.course.as_deref(), row.position)?;
                Some(match self.by_slug.get(&row.slug) {
                    Some((_, path)) => path.clone(),
                    None => placement.source_path(&row.slug),
                })
            })
            .collect())
    }
}

/// Where a parsed document goes.
enum Place {
    Insert(ParsedDocument),
    /// Over the stored row with this id.
    Update(i32, ParsedDocument),
}

/// Decides each document's place in file order: each slug once per import, and a stored slug
/// only for the same document.
struct Places<'a> {
    stored: &'a StoredDocuments,
    /// slug → the file that claimed it in this import
    seen: HashMap<String, String>,
}

impl<'a> Places<'a> {
    fn new(stored: &'a StoredDocuments) -> Self {
        Self {
            stored,
            seen: HashMap::new(),
        }
    }

    fn place(&mut self, document: ParsedDocument) -> Result<Place, Rejection> {
        let slug = document.front_matter.slug.clone();
        if let Some(first) = self.seen.get(&slug) {
            return Err(Rejection {
                reason: format!("de slug '{slug}' staat ook in {first}; elke slug is uniek"),
                path: document.path,
            });
        }
        self.seen.insert(slug.clone(), document.path.clone());
        match self.stored.by_slug.get(&slug) {
            Some((id, path)) if same_document(path, &document.placement) => {
                Ok(Place::Update(*id, document))
            }
            Some((_, path)) => Err(Rejection {
                reason: format!(
                    "de slug '{slug}' is al in gebruik door {path}; elke slug is uniek"
                ),
                path: document.path,
            }),
            None => Ok(Place::Insert(document)),
        }
    }
}

/// Writes the changed files over their rows. An editor may have opened (not changed) these;
/// their first revision is then stale and goes.
async fn update_all(
    txn: &DatabaseTransaction,
    updates: &[(i32, ParsedDocument)],
    now: DateTime<Utc>,
    progress: &ProgressFn,
) -> Result<(), ServiceError> {
    if updates.is_empty() {
        return Ok(());
    }
    for (id, document) in updates {
        Documents::update(to_active_model(document, Some(*id), now))
            .exec(txn)
            .await?;
        progress(ImportProgress::Stored(1));
    }
    let updated_slugs: Vec<&str> = updates
        .iter()
        .map(|(_, document)| document.front_matter.slug.as_str())
        .collect();
    revision::Entity::delete_many()
        .filter(revision::Column::Slug.is_in(updated_slugs.clone()))
        .exec(txn)
        .await?;
    workflow::Entity::delete_many()
        .filter(workflow::Column::Slug.is_in(updated_slugs))
        .exec(txn)
        .await?;
    Ok(())
}

/// Inserts the new documents gathered so far, in one statement; returns how many.
async fn insert_batch(
    txn: &DatabaseTransaction,
    documents: &mut Vec<ParsedDocument>,
    now: DateTime<Utc>,
    progress: &ProgressFn,
) -> Result<usize, ServiceError> {
    let count = documents.len();
    let models = documents
        .drain(..)
        .map(|document| to_active_model(&document, None, now));
    Documents::insert_many(models).exec(txn).await?;
    progress(ImportProgress::Stored(count));
    Ok(count)
}

/// Whether a stored file and a new one are the same document: same kind, and a module stays in
/// its course (renumbering it is a move, not a new document).
fn same_document(stored_path: &str, placement: &Placement) -> bool {
    match Placement::from_source_path(stored_path) {
        Ok((Placement::Module { course, .. }, _)) => placement.course() == Some(course.as_str()),
        Ok((stored, _)) => stored.kind() == placement.kind(),
        Err(_) => false,
    }
}

fn to_active_model(
    document: &ParsedDocument,
    id: Option<i32>,
    now: DateTime<Utc>,
) -> entity::ActiveModel {
    // A file's content dates from its last review (what the feed reports as "updated"), not
    // from the moment it was imported; never later than now.
    let reviewed = document
        .front_matter
        .reviewed_on
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| {
            midnight
                .and_local_timezone(chrono_tz::Europe::Amsterdam)
                .earliest()
        })
        .map_or(now, |moment| moment.with_timezone(&Utc));
    let mut model = document_row(
        &document.front_matter,
        &document.markdown,
        &document.rendered,
        &document.hash,
        &document.placement,
        document.questions.clone(),
        reviewed.min(now),
    )
    .into_active_model()
    // Write every column, not only the ones that differ from the model we just built.
    .reset_all();
    model.id = match id {
        Some(id) => ActiveValue::Unchanged(id),
        None => ActiveValue::NotSet,
    };
    model
}

/// The public row for a parsed document (id left 0 for the caller to set).
pub fn document_row(
    fm: &FrontMatter,
    markdown: &str,
    rendered: &render::Rendered,
    hash: &str,
    placement: &Placement,
    questions: Option<entity::Questions>,
    updated_at: DateTime<Utc>,
) -> entity::Model {
    entity::Model {
        id: 0,
        slug: fm.slug.clone(),
        title: fm.title.clone(),
        summary: fm.summary.clone(),
        phenomena: entity::Phenomena(fm.phenomena.clone()),
        audience: entity::Audience(fm.audience.clone()),
        owner: fm.owner.clone(),
        reviewed_on: fm.reviewed_on,
        review_due: fm.review_due,
        sources: entity::Sources(fm.sources.clone()),
        status: fm.status,
        body_markdown: markdown.to_owned(),
        body_html: rendered.html.clone(),
        toc: entity::TableOfContents(rendered.toc.clone()),
        content_hash: hash.to_owned(),
        source_path: placement.source_path(&fm.slug),
        withdrawn_reason: None,
        updated_at,
        kind: placement.kind(),
        course: placement.course().map(str::to_owned),
        position: placement.position(),
        questions,
        training: fm.kind_fields.clone(),
    }
}

/// A module's questions as stored, or why they are wrong.
pub fn module_questions(
    placement: &Placement,
    markdown: &str,
) -> Result<Option<entity::Questions>, String> {
    match placement {
        Placement::Module { .. } => {
            let questions = quiz::extract(markdown)?;
            Ok((!questions.is_empty()).then_some(entity::Questions(questions)))
        }
        _ if quiz::has_questions(markdown) => Err(format!(
            "zelftoetsvragen ('```{}') horen alleen in cursusmodules",
            quiz::QUIZ_LANGUAGE
        )),
        _ => Ok(None),
    }
}

fn read_sources(content_dir: &Path) -> Result<(Vec<SourceFile>, Vec<Rejection>), ServiceError> {
    let mut files = Vec::new();
    let mut rejected = Vec::new();
    // factsheets/<slug>.md and modules/<course>/<file>.md
    read_markdown_files(content_dir, "factsheets", 1, &mut files, &mut rejected)?;
    read_markdown_files(content_dir, "modules", 2, &mut files, &mut rejected)?;
    read_markdown_files(content_dir, "trainings", 1, &mut files, &mut rejected)?;
    // A module belongs to a course: its directory must hold the course's own file.
    let courses: HashSet<String> = files
        .iter()
        .filter_map(|f| f.path.strip_suffix(&format!("/{COURSE_FILE}")))
        .map(str::to_owned)
        .collect();
    let (kept, orphans): (Vec<SourceFile>, Vec<SourceFile>) = files.into_iter().partition(|file| {
        !file.path.starts_with("modules/")
            || file
                .path
                .rsplit_once('/')
                .is_some_and(|(dir, _)| courses.contains(dir))
    });
    rejected.extend(orphans.into_iter().map(|file| Rejection {
        reason: format!(
            "de map van deze module heeft geen {COURSE_FILE} met de gegevens van de cursus"
        ),
        path: file.path,
    }));
    Ok((kept, rejected))
}

fn read_markdown_files(
    content_dir: &Path,
    subdir: &str,
    depth: usize,
    files: &mut Vec<SourceFile>,
    rejected: &mut Vec<Rejection>,
) -> Result<(), ServiceError> {
    let dir = content_dir.join(subdir);
    if !dir.exists() {
        return Ok(());
    }
    let walker = walkdir::WalkDir::new(&dir)
        .min_depth(depth)
        .max_depth(depth)
        .follow_links(false)
        .sort_by_file_name();
    let mut paths = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|e| ServiceError::Io {
            path: e
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| dir.clone()),
            source: e.into(),
        })?;
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        paths.push((relative_path(content_dir, path), path.to_owned()));
    }
    // Reading and hashing on every core: an unchanged re-import is little else.
    let read = in_order_on_every_core(paths, |(relative, path)| match std::fs::read(&path) {
        Ok(bytes) => Ok(SourceFile {
            hash: content_hash(&bytes),
            path: relative,
            bytes,
        }),
        Err(e) => Err(Rejection {
            path: relative,
            reason: format!("het bestand kan niet worden gelezen ({e})"),
        }),
    });
    for result in read {
        match result {
            Ok(file) => files.push(file),
            Err(rejection) => rejected.push(rejection),
        }
    }
    Ok(())
}

/// `work` applied to every item on every core, the results in the items' order.
fn in_order_on_every_core<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    if workers < 2 || items.len() < 64 {
        return items.into_iter().map(work).collect();
    }
    let chunk_size = items.len().div_ceil(workers);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(workers);
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        chunks.push(items.by_ref().take(chunk_size).collect());
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(work).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            // A panic in a worker surfaces through spawn_blocking as an import error.
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

fn relative_path(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn content_hash(bytes: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(RENDERER_VERSION.as_bytes());
    hasher.update([0]);
    hasher.update(bytes);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parsed documents handed over but not yet taken, at most: new documents are stored in
/// batches as they come, so a large first import does not hold every rendered document in
/// memory (updated ones are kept until the end, and results that overtook a slow file wait
/// for it).
const PARSED_IN_FLIGHT: usize = 2 * INSERT_BATCH;

type Parsed = (usize, Result<ParsedDocument, Rejection>);

/// Parses and renders on every core (rendering and sanitising dominate a large import) and
/// hands each result over with its place in `files`. Workers take the next file in order, so
/// results arrive nearly in order. Stops early when nobody listens any more (the store failed).
fn parse_all(
    files: Vec<SourceFile>,
    progress: &ProgressFn,
    parsed: tokio::sync::mpsc::Sender<Parsed>,
) {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let next = std::sync::Mutex::new(files.into_iter().enumerate());
    let work = || {
        loop {
            // A worker that panicked while holding the queue only poisons it for the others.
            let Some((index, file)) = next.lock().ok().and_then(|mut files| files.next()) else {
                return;
            };
            let result = parse_one(file);
            progress(ImportProgress::Parsed);
            if parsed.blocking_send((index, result)).is_err() {
                return;
            }
        }
    };
    std::thread::scope(|scope| {
        // The calling thread is one of the workers; a panic in any surfaces through
        // spawn_blocking as an import error.
        for _ in 1..workers {
            scope.spawn(work);
        }
        work();
    });
}

fn parse_one(file: SourceFile) -> Result<ParsedDocument, Rejection> {
    let reject = |reason: String| Rejection {
        path: file.path.clone(),
        reason,
    };
    if file.bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(reject(format!(
            "het bestand is groter dan {} KB",
            MAX_DOCUMENT_BYTES / 1024
        )));
    }
    let text = std::str::from_utf8(&file.bytes)
        .map_err(|_| reject("het bestand is geen geldige UTF-8-tekst".to_owned()))?;
    let (placement, slug_of_path) = Placement::from_source_path(&file.path).map_err(reject)?;
    let (front_matter, body) =
        front_matter::parse_document(text).map_err(|e| reject(e.to_string()))?;
    if front_matter.slug != slug_of_path {
        let expected = placement.source_path(&front_matter.slug);
        let name = expected.rsplit('/').next().unwrap_or(&expected);
        return Err(reject(match placement {
            Placement::Course => format!(
                "de slug van een cursus moet gelijk zijn aan de naam van haar map ('{slug_of_path}')"
            ),
            _ => format!("de bestandsnaam moet gelijk zijn aan de slug: {name}"),
        }));
    }
    let questions = module_questions(&placement, body).map_err(reject)?;
    match (&placement, &front_matter.kind_fields) {
        (Placement::Training, None) => {
            return Err(reject(format!(
                "veld '{}': ontbreekt (een training noemt haar contacturen en voor wie ze is)",
                front_matter::first_training_field()
            )));
        }
        (Placement::Training, Some(_)) | (_, None) => {}
        (_, Some(_)) => {
            return Err(reject(
                "trainingsvelden (hours, accreditation, intake, runs …) horen alleen in content/trainings/"
                    .to_owned(),
            ));
        }
    }
    Ok(ParsedDocument {
        placement,
        questions,
        rendered: render::render_markdown(body),
        markdown: body.to_owned(),
        front_matter,
        path: file.path,
        hash: file.hash,
    })
}
