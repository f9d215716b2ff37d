//! Full-text search over published documents with tantivy: Dutch stemming and stop words,
//! BM25 ranking, highlighted snippets and filters. The index lives in memory; it is rebuilt
//! from the database at start-up and updated when a document is published or withdrawn.

mod remembered_words;

use std::sync::Mutex;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

use self::remembered_words::RememberedWords;
use crate::error::ServiceError;
use crate::knowledge::entity::{self, Column, Entity as Documents};
use crate::knowledge::model::backlog::CoveringDocument;
use crate::knowledge::model::{
    DocumentKind, DocumentStatus, SearchHit, SearchKind, SearchQuery, SearchResults,
};
use crate::knowledge::rules::render::plain_text;
use crate::vocabulary::{Phenomenon, Theme, WorkField};

const DUTCH: &str = "nl_stem";
pub const MAX_QUERY_CHARS: usize = 200;
pub const RESULTS_PER_PAGE: usize = 20;
const SNIPPET_CHARS: usize = 220;
/// Distinct words whose stems are remembered (120–200 bytes each with the cache's own
/// bookkeeping: 6–10 MB when full).
const REMEMBERED_WORDS: usize = 50_000;

/// One document as the index sees it.
pub struct IndexedDocument {
    pub kind: SearchKind,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_text: String,
    pub phenomena: Vec<Phenomenon>,
    pub audience: Vec<WorkField>,
    /// Where a module belongs (shown with its hit).
    pub context: Option<String>,
}

/// The columns the index needs; the stored HTML stays in the database.
#[derive(Debug, sea_orm::DerivePartialModel)]
#[sea_orm(entity = "Documents")]
struct IndexRow {
    id: i32,
    kind: DocumentKind,
    slug: String,
    course: Option<String>,
    title: String,
    summary: String,
    body_markdown: String,
    phenomena: entity::Phenomena,
    audience: entity::Audience,
}

/// How often every node brings its index up to what is published (see `SearchIndex::follow`):
/// a publish on another node is found by search here within this and the time to index it.
pub const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// The published rows with their content hashes: what `follow` compares.
async fn published_rows(db: &DatabaseConnection) -> Result<Vec<HeldRow>, ServiceError> {
    Ok(Documents::find()
        .filter(Column::Status.eq(DocumentStatus::Published))
        .into_partial_model::<HeldRow>()
        .all(db)
        .await?)
}

/// Rows read at once while rebuilding the index.
const REBUILD_PAGE_ROWS: u64 = 500;

impl IndexedDocument {
    /// A published row: a factsheet, or a course or module (both found as "module", a
    /// module under the `<course>/<module>` part of its address). `course_title` names a
    /// module's course.
    pub fn from_row(
        model: &entity::Model,
        course_title: Option<&str>,
    ) -> Result<Self, ServiceError> {
        Ok(Self::from_index_row(
            IndexRow {
                id: model.id,
                kind: model.kind,
                slug: model.slug.clone(),
                course: model.course.clone(),
                title: model.title.clone(),
                summary: model.summary.clone(),
                body_markdown: model.body_markdown.clone(),
                phenomena: model.phenomena.clone(),
                audience: model.audience.clone(),
            },
            course_title,
        ))
    }

    fn from_index_row(row: IndexRow, course_title: Option<&str>) -> Self {
        let (kind, slug) = Self::key_for(row.kind, row.course.as_deref(), &row.slug);
        let context = match (row.kind, course_title) {
            (DocumentKind::Module, Some(course)) => Some(format!("Module uit de cursus {course}")),
            _ => None,
        };
        Self {
            kind,
            slug,
            body_text: plain_text(&row.body_markdown),
            title: row.title,
            summary: row.summary,
            phenomena: row.phenomena.0,
            audience: row.audience.0,
            context,
        }
    }

    /// Kind and slug under which a row is indexed (and removed again).
    pub fn key_of(model: &entity::Model) -> (SearchKind, String) {
        Self::key_for(model.kind, model.course.as_deref(), &model.slug)
    }

    fn key_for(kind: DocumentKind, course: Option<&str>, slug: &str) -> (SearchKind, String) {
        match (kind, course) {
            (DocumentKind::Module, Some(course)) => {
                (SearchKind::Module, format!("{course}/{slug}"))
            }
            (DocumentKind::Course, _) => (SearchKind::Module, slug.to_owned()),
            (DocumentKind::Training, _) => (SearchKind::Training, slug.to_owned()),
            _ => (SearchKind::Factsheet, slug.to_owned()),
        }
    }
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    slug: Field,
    title: Field,
    summary: Field,
    body: Field,
    phenomenon: Field,
    audience: Field,
    context: Field,
}

/// The index start-up put into the app context.
pub fn from_context() -> Result<std::sync::Arc<SearchIndex>, crate::error::AppError> {
    crate::context::app_context()?.get::<std::sync::Arc<SearchIndex>>()
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// Every word of the indexed texts as written (lower case) with how often it occurs: the
    /// index holds stems, which make poor suggestions.
    words: Mutex<std::collections::HashMap<String, u32>>,
    /// What the index holds: each published row's id with its content hash, and the
    /// publication version that was current when they were read (see [`SearchIndex::follow`]).
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    version: Option<i64>,
    rows: std::collections::HashMap<i32, String>,
    /// When the index was last known to match what is published.
    current_at: Option<std::time::Instant>,
}

/// A row as `follow` compares it: which one, whether published, and what it holds.
#[derive(Debug, sea_orm::DerivePartialModel)]
#[sea_orm(entity = "Documents")]
struct HeldRow {
    id: i32,
    kind: DocumentKind,
    slug: String,
    course: Option<String>,
    content_hash: String,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchIndex")
    }
}

fn index_error(error: tantivy::TantivyError) -> ServiceError {
    ServiceError::Corrupt(format!("search index: {error}"))
}

impl SearchIndex {
    pub fn new() -> Result<Self, ServiceError> {
        let mut schema = Schema::builder();
        let dutch_text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(DUTCH)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            key: schema.add_text_field("key", STRING),
            kind: schema.add_text_field("kind", STRING | STORED),
            slug: schema.add_text_field("slug", STRING | STORED),
            title: schema.add_text_field("title", dutch_text.clone()),
            summary: schema.add_text_field("summary", dutch_text.clone()),
            body: schema.add_text_field("body", dutch_text),
            phenomenon: schema.add_text_field("phenomenon", STRING),
            audience: schema.add_text_field("audience", STRING),
            context: schema.add_text_field("context", STORED),
        };
        let index = Index::create_in_ram(schema.build());
        // Per word: lower case, Dutch stop words out, accents folded, stemmed.
        let builder = TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser);
        let stemmer = Stemmer::new(Language::Dutch);
        let word_chain = match StopWordFilter::new(Language::Dutch) {
            Some(stop_words) => builder
                .filter(stop_words)
                .filter(AsciiFoldingFilter)
                .filter(stemmer)
                .build(),
            None => builder.filter(AsciiFoldingFilter).filter(stemmer).build(),
        };
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RememberedWords::new(word_chain, REMEMBERED_WORDS))
            .build();
        index.tokenizers().register(DUTCH, analyzer);
        let writer = index.writer(30_000_000).map_err(index_error)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error)?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            words: Mutex::new(std::collections::HashMap::new()),
            held: Mutex::new(Held::default()),
            fields,
        })
    }

    fn key(kind: SearchKind, slug: &str) -> String {
        format!("{}:{slug}", kind.slug())
    }

    fn add(&self, writer: &IndexWriter, document: &IndexedDocument) -> Result<(), ServiceError> {
        let f = self.fields;
        let mut tantivy_doc = doc!(
            f.key => Self::key(document.kind, &document.slug),
            f.kind => document.kind.slug(),
            f.slug => document.slug.as_str(),
            f.title => document.title.as_str(),
            f.summary => document.summary.as_str(),
            f.body => document.body_text.as_str(),
        );
        for phenomenon in &document.phenomena {
            tantivy_doc.add_text(f.phenomenon, phenomenon.slug());
        }
        for audience in &document.audience {
            tantivy_doc.add_text(f.audience, audience.slug());
        }
        if let Some(context) = &document.context {
            tantivy_doc.add_text(f.context, context);
        }
        self.learn_words(document);
        writer.add_document(tantivy_doc).map_err(index_error)?;
        Ok(())
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), ServiceError> {
        writer.commit().map_err(index_error)?;
        self.reader.reload().map_err(index_error)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, ServiceError> {
        self.writer
            .lock()
            .map_err(|_| ServiceError::Task("search index writer poisoned".into()))
    }

    /// Adds or replaces one document (on publish).
    pub fn upsert(&self, document: &IndexedDocument) -> Result<(), ServiceError> {
        let mut writer = self.lock()?;
        writer.delete_term(Term::from_field_text(
            self.fields.key,
            &Self::key(document.kind, &document.slug),
        ));
        self.add(&writer, document)?;
        self.commit(&mut writer)
    }

    /// Removes one document (on withdrawal).
    pub fn remove(&self, kind: SearchKind, slug: &str) -> Result<(), ServiceError> {
        let mut writer = self.lock()?;
        writer.delete_term(Term::from_field_text(
            self.fields.key,
            &Self::key(kind, slug),
        ));
        self.commit(&mut writer)
    }

    /// Rebuilds the index from every published document in the database, a page of rows at
    /// a time and without the stored HTML: start-up then holds a few hundred bodies at once,
    /// not all of them (10,000 factsheets were ~130 MB of rows read in one go).
    pub async fn rebuild(&self, db: &DatabaseConnection) -> Result<usize, ServiceError> {
        // Read first: a publish while the rows are read is seen by the next `follow`.
        let version = crate::knowledge::service::publication::current(db).await?;
        let course_titles: std::collections::HashMap<String, String> = Documents::find()
            .select_only()
            .columns([Column::Slug, Column::Title])
            .filter(Column::Status.eq(DocumentStatus::Published))
            .filter(Column::Kind.eq(DocumentKind::Course))
            .into_tuple::<(String, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        self.lock()?.delete_all_documents().map_err(index_error)?;
        let mut indexed = 0;
        // Pages by id, not by offset: a publish on another node between two pages shifts
        // offsets (a document indexed twice or missed), never ids.
        let mut after_id = 0;
        loop {
            let rows = Documents::find()
                .filter(Column::Status.eq(DocumentStatus::Published))
                .filter(Column::Id.gt(after_id))
                .order_by_asc(Column::Id)
                .limit(REBUILD_PAGE_ROWS)
                .into_partial_model::<IndexRow>()
                .all(db)
                .await?;
            let Some(last) = rows.last() else {
                break;
            };
            after_id = last.id;
            // Not held across the next page's read.
            let writer = self.lock()?;
            for row in rows {
                let course = row
                    .course
                    .as_deref()
                    .and_then(|slug| course_titles.get(slug))
                    .map(String::as_str);
                self.add(&writer, &IndexedDocument::from_index_row(row, course))?;
                indexed += 1;
            }
        }
        // Runs once at start-up, before requests are served: blocking here is fine.
        self.commit(&mut *self.lock()?)?;
        let rows = published_rows(db).await?;
        *self.held_lock()? = Held {
            version: Some(version),
            rows: rows
                .into_iter()
                .map(|row| (row.id, row.content_hash))
                .collect(),
            current_at: Some(std::time::Instant::now()),
        };
        Ok(indexed)
    }

    /// How long ago the index was last known to match what is published (None before it was
    /// built): for monitoring, as `search_index_age_seconds`.
    pub fn age(&self) -> Option<std::time::Duration> {
        self.held.lock().ok()?.current_at.map(|at| at.elapsed())
    }

    fn held_lock(&self) -> Result<std::sync::MutexGuard<'_, Held>, ServiceError> {
        self.held
            .lock()
            .map_err(|_| ServiceError::Task("search index bookkeeping poisoned".into()))
    }

    /// Brings the index up to what the database publishes, when the publication version has
    /// moved since it was last read: a publish, withdrawal or import on any node (or the
    /// command line). Compares each published row's content hash with what the index holds
    /// and re-indexes only what changed (a course's modules with it, for their context);
    /// how many documents were indexed or removed. Every node calls it every
    /// [`FOLLOW_EVERY`].
    pub async fn follow(&self, db: &DatabaseConnection) -> Result<usize, ServiceError> {
        let version = crate::knowledge::service::publication::current(db).await?;
        {
            let mut held = self.held_lock()?;
            if held.version == Some(version) {
                held.current_at = Some(std::time::Instant::now());
                return Ok(0);
            }
        }
        let rows = published_rows(db).await?;
        let (changed, gone) = {
            let held = self.held_lock()?;
            let changed_courses: std::collections::HashSet<&str> = rows
                .iter()
                .filter(|row| row.kind == DocumentKind::Course)
                .filter(|row| held.rows.get(&row.id) != Some(&row.content_hash))
                .map(|row| row.slug.as_str())
                .collect();
            let changed: Vec<i32> = rows
                .iter()
                .filter(|row| {
                    held.rows.get(&row.id) != Some(&row.content_hash)
                        || row
                            .course
                            .as_deref()
                            .is_some_and(|course| changed_courses.contains(course))
                })
                .map(|row| row.id)
                .collect();
            let published: std::collections::HashSet<i32> = rows.iter().map(|row| row.id).collect();
            let gone: Vec<i32> = held
                .rows
                .keys()
                .filter(|id| !published.contains(id))
                .copied()
                .collect();
            (changed, gone)
        };
        // What went: its key, from the row (withdrawn rows stay in the table).
        let gone_keys: Vec<(SearchKind, String)> = Documents::find()
            .filter(Column::Id.is_in(gone.iter().copied()))
            .into_partial_model::<HeldRow>()
            .all(db)
            .await?
            .into_iter()
            .map(|row| IndexedDocument::key_for(row.kind, row.course.as_deref(), &row.slug))
            .collect();
        let course_titles: std::collections::HashMap<String, String> = Documents::find()
            .select_only()
            .columns([Column::Slug, Column::Title])
            .filter(Column::Status.eq(DocumentStatus::Published))
            .filter(Column::Kind.eq(DocumentKind::Course))
            .into_tuple::<(String, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let mut documents = Vec::with_capacity(changed.len());
        for ids in changed.chunks(REBUILD_PAGE_ROWS as usize) {
            let found = Documents::find()
                .filter(Column::Id.is_in(ids.iter().copied()))
                .into_partial_model::<IndexRow>()
                .all(db)
                .await?;
            documents.extend(found.into_iter().map(|row| {
                let course = row
                    .course
                    .as_deref()
                    .and_then(|slug| course_titles.get(slug))
                    .cloned();
                IndexedDocument::from_index_row(row, course.as_deref())
            }));
        }
        {
            let mut writer = self.lock()?;
            for (kind, slug) in &gone_keys {
                writer.delete_term(Term::from_field_text(
                    self.fields.key,
                    &Self::key(*kind, slug),
                ));
            }
            for document in &documents {
                writer.delete_term(Term::from_field_text(
                    self.fields.key,
                    &Self::key(document.kind, &document.slug),
                ));
                self.add(&writer, document)?;
            }
            self.commit(&mut writer)?;
        }
        *self.held_lock()? = Held {
            version: Some(version),
            rows: rows
                .into_iter()
                .map(|row| (row.id, row.content_hash))
                .collect(),
            current_at: Some(std::time::Instant::now()),
        };
        Ok(documents.len() + gone_keys.len())
    }

    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, ServiceError> {
        let mut results = self.search_once(query)?;
        if results.total == 0 {
            results.suggestion = self.suggestion_for(query)?;
        }
        Ok(results)
    }

    /// The published factsheets and trainings about `theme`, best first: a phenomenon's by
    /// their tag, a practice theme's by any of its search words; at most `limit`, and how many
    /// there are in all.
    pub fn documents_about(
        &self,
        theme: Theme,
        limit: usize,
    ) -> Result<(Vec<CoveringDocument>, usize), ServiceError> {
        let f = self.fields;
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let about = match theme.phenomenon() {
            Some(phenomenon) => term(f.phenomenon, phenomenon.slug()),
            None => {
                let mut parser =
                    QueryParser::for_index(&self.index, vec![f.title, f.summary, f.body]);
                parser.set_field_boost(f.title, 3.0);
                parser.set_field_boost(f.summary, 2.0);
                parser.parse_query_lenient(theme.search_words()).0
            }
        };
        let kinds = BooleanQuery::new(vec![
            (Occur::Should, term(f.kind, SearchKind::Factsheet.slug())),
            (Occur::Should, term(f.kind, SearchKind::Training.slug())),
        ]);
        let query = BooleanQuery::new(vec![(Occur::Must, about), (Occur::Must, Box::new(kinds))]);
        let searcher = self.reader.searcher();
        let (total, top) = searcher
            .search(
                &query,
                &(Count, TopDocs::with_limit(limit.max(1)).order_by_score()),
            )
            .map_err(index_error)?;
        let documents = top
            .into_iter()
            .take(limit)
            .map(|(_, address)| {
                let stored: TantivyDocument = searcher.doc(address).map_err(index_error)?;
                let text_of = |field: Field| {
                    stored
                        .get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                let kind = SearchKind::from_slug(&text_of(f.kind)).unwrap_or_default();
                Ok(CoveringDocument {
                    kind,
                    title: text_of(f.title),
                    url: kind.url(&text_of(f.slug)),
                })
            })
            .collect::<Result<_, ServiceError>>()?;
        Ok((documents, total))
    }

    /// Each unknown word of the query replaced by the closest known one (edit distance 1, or 2
    /// for longer words; the most frequent on a tie), offered only when that finds something.
    fn suggestion_for(&self, query: &SearchQuery) -> Result<Option<String>, ServiceError> {
        let words = self
            .words
            .lock()
            .map_err(|_| ServiceError::Task("search vocabulary poisoned".into()))?;
        let mut changed = false;
        // The same bounded text the search used; words of at most 40 characters, compared only
        // with known words of about their length: a few thousand cheap comparisons at most.
        let text: String = query.text.trim().chars().take(MAX_QUERY_CHARS).collect();
        let corrected: Vec<String> = text
            .split_whitespace()
            .take(10)
            .map(|word| {
                let lower = word.to_lowercase();
                let length = lower.chars().count();
                if !(4..=40).contains(&length) || words.contains_key(&lower) {
                    return lower;
                }
                let allowed = if length >= 8 { 2 } else { 1 };
                let closest = words
                    .iter()
                    .filter(|(known, _)| known.chars().count().abs_diff(length) <= allowed)
                    .map(|(known, count)| (strsim::levenshtein(&lower, known), *count, known))
                    .filter(|(distance, _, _)| *distance <= allowed)
                    .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                match closest {
                    Some((_, _, known)) => {
                        changed = true;
                        known.clone()
                    }
                    None => lower,
                }
            })
            .collect();
        drop(words);
        if !changed {
            return Ok(None);
        }
        let text = corrected.join(" ");
        let found = self.search_once(&SearchQuery {
            text: text.clone(),
            ..query.clone()
        })?;
        Ok((found.total > 0).then_some(text))
    }

    /// Remembers the words of a document as written (lower case), for suggestions.
    fn learn_words(&self, document: &IndexedDocument) {
        let Ok(mut words) = self.words.lock() else {
            return;
        };
        let texts = [&document.title, &document.summary, &document.body_text];
        for word in texts
            .into_iter()
            .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
            .filter(|word| (4..=40).contains(&word.chars().count()))
        {
            *words.entry(word.to_lowercase()).or_default() += 1;
        }
    }

    fn search_once(&self, query: &SearchQuery) -> Result<SearchResults, ServiceError> {
        let text: String = query.text.trim().chars().take(MAX_QUERY_CHARS).collect();
        if text.is_empty() {
            return Ok(SearchResults::default());
        }
        let f = self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.summary, f.body]);
        parser.set_field_boost(f.title, 3.0);
        parser.set_field_boost(f.summary, 2.0);
        parser.set_conjunction_by_default();
        // Lenient: whatever a user types gives results, never a syntax error.
        let (text_query, _) = parser.parse_query_lenient(&text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        let mut filter = |field: Field, value: &str| {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )),
            ));
        };
        if let Some(phenomenon) = query.phenomenon {
            filter(f.phenomenon, phenomenon.slug());
        }
        if let Some(audience) = query.audience {
            filter(f.audience, audience.slug());
        }
        if let Some(kind) = query.kind {
            filter(f.kind, kind.slug());
        }
        let combined = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let (total, top) = searcher
            .search(
                &combined,
                &(
                    Count,
                    TopDocs::with_limit(RESULTS_PER_PAGE).order_by_score(),
                ),
            )
            .map_err(index_error)?;
        let mut snippets =
            SnippetGenerator::create(&searcher, &combined, f.body).map_err(index_error)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let hits = top
            .into_iter()
            .map(|(_, address)| {
                let stored: TantivyDocument = searcher.doc(address).map_err(index_error)?;
                let text_of = |field: Field| {
                    stored
                        .get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                let kind = SearchKind::from_slug(&text_of(f.kind)).unwrap_or_default();
                let snippet = snippets.snippet_from_doc(&stored);
                // tantivy escapes the text and marks matches with <b>: safe to insert.
                let snippet_html = if snippet.fragment().is_empty() {
                    html_escape(&text_of(f.summary))
                } else {
                    let body = text_of(f.body);
                    let fragment = snippet.fragment().trim();
                    format!(
                        "{}{}{}",
                        if body.trim_start().starts_with(fragment) {
                            ""
                        } else {
                            "… "
                        },
                        snippet.to_html().trim(),
                        if body.trim_end().ends_with(fragment) {
                            ""
                        } else {
                            " …"
                        },
                    )
                };
                let slug = text_of(f.slug);
                Ok(SearchHit {
                    url: kind.url(&slug),
                    kind,
                    slug,
                    title: text_of(f.title),
                    summary: text_of(f.summary),
                    context: stored
                        .get_first(f.context)
                        .and_then(|v| v.as_str())
                        .map(str::to_owned),
                    snippet_html,
                })
            })
            .collect::<Result<_, ServiceError>>()?;
        Ok(SearchResults {
            total,
            hits,
            suggestion: None,
        })
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
