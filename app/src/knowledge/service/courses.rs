//! Reading courses and modules, checking self-check answers and keeping a user's progress.
//! Courses and modules are rows of the documents table (`kind` course/module); the workflow and
//! importer treat them like factsheets.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DerivePartialModel, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::error::ServiceError;
use crate::knowledge::entity::{Column, Entity as Documents, progress};
use crate::knowledge::model::course::{
    CourseSummary, CourseView, ModuleLink, ModuleListItem, ModuleProgress, ModuleView, QuizResult,
};
use crate::knowledge::model::{DocumentKind, DocumentStatus};
use crate::knowledge::rules::quiz::{self, StoredQuestion};
use crate::knowledge::service::documents::{factsheet_from_model, published_row};

/// What the course overview needs of a module.
#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "Documents")]
struct CourseModuleRow {
    slug: String,
    course: Option<String>,
    questions: Option<crate::knowledge::entity::Questions>,
}

/// The columns a module listing needs.
#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "Documents")]
struct ModuleRow {
    slug: String,
    title: String,
    summary: String,
    questions: Option<crate::knowledge::entity::Questions>,
}

/// The title of course `slug` (in any state), as people know it.
pub async fn course_title(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<String>, ServiceError> {
    Ok(Documents::find()
        .filter(Column::Kind.eq(DocumentKind::Course))
        .filter(Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(|course| course.title))
}

/// Published courses, alphabetically, with their module counts and, for a logged-in `reader`,
/// how many of those modules they completed.
pub async fn list_courses(
    db: &impl ConnectionTrait,
    reader: Option<i32>,
    today: NaiveDate,
) -> Result<Vec<CourseSummary>, ServiceError> {
    let courses = Documents::find()
        .filter(Column::Kind.eq(DocumentKind::Course))
        .filter(Column::Status.eq(DocumentStatus::Published))
        .order_by_asc(Column::Title)
        .all(db)
        .await?;
    let modules: Vec<CourseModuleRow> = Documents::find()
        .filter(Column::Kind.eq(DocumentKind::Module))
        .filter(Column::Status.eq(DocumentStatus::Published))
        .into_partial_model::<CourseModuleRow>()
        .all(db)
        .await?;
    let progress: HashMap<String, ModuleProgress> = match reader {
        Some(user_id) => progress::Entity::find()
            .filter(progress::Column::UserId.eq(user_id))
            .all(db)
            .await?
            .into_iter()
            .map(progress_entry)
            .collect(),
        None => HashMap::new(),
    };
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    for module in modules {
        let Some(course) = module.course else {
            continue;
        };
        let done = progress
            .get(&module.slug)
            .is_some_and(|p| p.completed(module.questions.is_some_and(|q| !q.0.is_empty())));
        let entry = counts.entry(course).or_default();
        entry.0 += 1;
        entry.1 += usize::from(done);
    }
    courses
        .into_iter()
        .map(|row| {
            let (module_count, completed) = counts.get(&row.slug).copied().unwrap_or((0, 0));
            Ok(CourseSummary {
                summary: factsheet_from_model(row, today)?.summary,
                module_count,
                completed: reader.map(|_| completed),
            })
        })
        .collect()
}

async fn published_modules(
    db: &impl ConnectionTrait,
    course: &str,
) -> Result<Vec<ModuleRow>, ServiceError> {
    Ok(Documents::find()
        .filter(Column::Kind.eq(DocumentKind::Module))
        .filter(Column::Course.eq(course))
        .filter(Column::Status.eq(DocumentStatus::Published))
        .order_by_asc(Column::Position)
        .order_by_asc(Column::Slug)
        .into_partial_model::<ModuleRow>()
        .all(db)
        .await?)
}

/// Whether `user_id` completed every published module of `course` (read, and passed its
/// self-check where it has one): a training's preparation. A course without modules counts as
/// done.
pub async fn course_completed(
    db: &impl ConnectionTrait,
    user_id: i32,
    course: &str,
) -> Result<bool, ServiceError> {
    Ok(completed_course(db, &[user_id], course)
        .await?
        .contains(&user_id))
}

/// Which of `user_ids` completed every published module of `course`: two queries for all of
/// them (a run's register asks for every participant at once).
pub async fn completed_course(
    db: &impl ConnectionTrait,
    user_ids: &[i32],
    course: &str,
) -> Result<std::collections::HashSet<i32>, ServiceError> {
    let modules = published_modules(db, course).await?;
    let slugs: Vec<&str> = modules.iter().map(|m| m.slug.as_str()).collect();
    let mut progress: HashMap<i32, HashMap<String, ModuleProgress>> = HashMap::new();
    for row in progress::Entity::find()
        .filter(progress::Column::UserId.is_in(user_ids.iter().copied()))
        .filter(progress::Column::ModuleSlug.is_in(slugs))
        .all(db)
        .await?
    {
        let user_id = row.user_id;
        let (slug, entry) = progress_entry(row);
        progress.entry(user_id).or_default().insert(slug, entry);
    }
    Ok(user_ids
        .iter()
        .copied()
        .filter(|user_id| {
            let done = progress.get(user_id);
            modules.iter().all(|module| {
                done.and_then(|d| d.get(&module.slug)).is_some_and(|p| {
                    p.completed(module.questions.as_ref().is_some_and(|q| !q.0.is_empty()))
                })
            })
        })
        .collect())
}

fn stored_questions(questions: Option<crate::knowledge::entity::Questions>) -> Vec<StoredQuestion> {
    questions.map(|questions| questions.0).unwrap_or_default()
}

async fn progress_by_module(
    db: &impl ConnectionTrait,
    user_id: i32,
    modules: &[ModuleRow],
) -> Result<HashMap<String, ModuleProgress>, ServiceError> {
    let slugs: Vec<&str> = modules.iter().map(|m| m.slug.as_str()).collect();
    Ok(progress::Entity::find()
        .filter(progress::Column::UserId.eq(user_id))
        .filter(progress::Column::ModuleSlug.is_in(slugs))
        .all(db)
        .await?
        .into_iter()
        .map(progress_entry)
        .collect())
}

fn progress_entry(row: progress::Model) -> (String, ModuleProgress) {
    let progress = ModuleProgress {
        read: row.read_at.is_some(),
        quiz_passed: row.quiz_passed_at.is_some(),
    };
    (row.module_slug, progress)
}

fn list_items(
    modules: &[ModuleRow],
    progress: Option<&HashMap<String, ModuleProgress>>,
) -> Result<Vec<ModuleListItem>, ServiceError> {
    modules
        .iter()
        .map(|module| {
            Ok(ModuleListItem {
                slug: module.slug.clone(),
                title: module.title.clone(),
                summary: module.summary.clone(),
                question_count: module
                    .questions
                    .as_ref()
                    .map_or(0, |questions| questions.0.len()),
                progress: progress
                    .map(|by_slug| by_slug.get(&module.slug).copied().unwrap_or_default()),
            })
        })
        .collect()
}

/// A course page: its introduction and its published modules in order, with the viewer's
/// progress when someone is logged in.
pub async fn course_view(
    db: &impl ConnectionTrait,
    course: &str,
    user_id: Option<i32>,
    today: NaiveDate,
) -> Result<CourseView, ServiceError> {
    let row = published_row(db, DocumentKind::Course, None, course).await?;
    let modules = published_modules(db, course).await?;
    let progress = match user_id {
        Some(user_id) => Some(progress_by_module(db, user_id, &modules).await?),
        None => None,
    };
    Ok(CourseView {
        modules: list_items(&modules, progress.as_ref())?,
        tracks_progress: user_id.is_some(),
        course: factsheet_from_model(row, today)?,
    })
}

/// A module page: its text, its questions without answers, its neighbours and the viewer's
/// progress.
pub async fn module_view(
    db: &impl ConnectionTrait,
    course: &str,
    module: &str,
    user_id: Option<i32>,
    today: NaiveDate,
) -> Result<ModuleView, ServiceError> {
    let course_row = published_row(db, DocumentKind::Course, None, course).await?;
    let mut row = published_row(db, DocumentKind::Module, Some(course), module).await?;
    let questions = stored_questions(row.questions.take());
    let modules = published_modules(db, course).await?;
    let index = modules
        .iter()
        .position(|m| m.slug == module)
        .ok_or(ServiceError::NotFound)?;
    let link = |m: &ModuleRow| ModuleLink {
        slug: m.slug.clone(),
        title: m.title.clone(),
    };
    let (progress, completed_in_course) = match user_id {
        Some(user_id) => {
            let by_module = progress_by_module(db, user_id, &modules).await?;
            let items = list_items(&modules, Some(&by_module))?;
            (
                Some(by_module.get(module).copied().unwrap_or_default()),
                Some(items.iter().filter(|item| item.completed()).count()),
            )
        }
        None => (None, None),
    };
    Ok(ModuleView {
        course_slug: course.to_owned(),
        course_title: course_row.title,
        questions: quiz::public(&questions),
        number: index + 1,
        total: modules.len(),
        previous: index.checked_sub(1).map(|i| link(&modules[i])),
        next: modules.get(index + 1).map(link),
        progress,
        completed_in_course,
        last_result: None,
        module: factsheet_from_model(row, today)?,
    })
}

/// Records what a user did with a module; timestamps once set are kept.
async fn record(
    db: &impl ConnectionTrait,
    user_id: i32,
    module: &str,
    passed: bool,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    progress::Entity::insert(progress::ActiveModel {
        user_id: Set(user_id),
        module_slug: Set(module.to_owned()),
        read_at: Set(Some(now)),
        quiz_passed_at: Set(passed.then_some(now)),
    })
    .on_conflict(
        OnConflict::columns([progress::Column::UserId, progress::Column::ModuleSlug])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let mut unset = vec![progress::Column::ReadAt];
    if passed {
        unset.push(progress::Column::QuizPassedAt);
    }
    for column in unset {
        progress::Entity::update_many()
            .col_expr(column, Expr::value(now))
            .filter(progress::Column::UserId.eq(user_id))
            .filter(progress::Column::ModuleSlug.eq(module))
            .filter(column.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// "I have read this module".
pub async fn mark_read(
    db: &impl ConnectionTrait,
    user_id: i32,
    course: &str,
    module: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    published_row(db, DocumentKind::Module, Some(course), module).await?;
    record(db, user_id, module, false, now).await
}

/// Checks a module's self-check on the server; a pass by a logged-in user is stored (and marks
/// the module read).
pub async fn check_quiz(
    db: &impl ConnectionTrait,
    user_id: Option<i32>,
    course: &str,
    module: &str,
    answers: &[String],
    now: DateTime<Utc>,
) -> Result<QuizResult, ServiceError> {
    let row = published_row(db, DocumentKind::Module, Some(course), module).await?;
    let questions = stored_questions(row.questions);
    if questions.is_empty() {
        return Err(ServiceError::NotFound);
    }
    let mut result = quiz::check(&questions, answers);
    if let Some(user_id) = user_id {
        record(db, user_id, module, result.passed, now).await?;
        result.recorded = true;
    }
    Ok(result)
}

/// A user's progress for their data export.
/// The knowledge part of erasing an account: its course progress goes.
pub async fn erase_progress(db: &impl ConnectionTrait, user_id: i32) -> Result<(), ServiceError> {
    progress::Entity::delete_many()
        .filter(progress::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn progress_export(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<serde_json::Value>, ServiceError> {
    Ok(progress::Entity::find()
        .filter(progress::Column::UserId.eq(user_id))
        .order_by_asc(progress::Column::ModuleSlug)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            serde_json::json!({
                "module": row.module_slug,
                "gelezen_utc": row.read_at.map(|t| t.to_rfc3339()),
                "zelftoets_gehaald_utc": row.quiz_passed_at.map(|t| t.to_rfc3339()),
            })
        })
        .collect())
}
