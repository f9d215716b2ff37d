//! `content export`: the database back to `content/` (`<dir>/factsheets/<slug>.md`,
//! `<dir>/modules/<course>/course.md`, `<dir>/modules/<course>/NN-<slug>.md`), in the canonical
//! layout the importer reads, so export → import → export gives the same bytes and web edits
//! can be reviewed in git.

use std::path::Path;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::error::ServiceError;
use crate::knowledge::entity::{Column, Entity as Documents};
use crate::knowledge::model::DocumentStatus;
use crate::knowledge::service::workflow::{source_of_row, stored_placement};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub written: usize,
    pub unchanged: usize,
}

/// Writes every published and draft document (withdrawn ones stay out of `content/`). Files
/// whose bytes would not change are left untouched.
pub async fn export_content_dir(
    db: &DatabaseConnection,
    content_dir: &Path,
) -> Result<ExportReport, ServiceError> {
    let rows = Documents::find()
        .filter(Column::Status.is_in([DocumentStatus::Published, DocumentStatus::Draft]))
        .order_by_asc(Column::Slug)
        .all(db)
        .await?;
    let documents = rows
        .iter()
        .map(|row| {
            let placement =
                stored_placement(&row.slug, row.kind, row.course.as_deref(), row.position)?;
            Ok((placement.source_path(&row.slug), source_of_row(row)?))
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    let dir = content_dir.to_owned();
    tokio::task::spawn_blocking(move || write_all(&dir, documents))
        .await
        .map_err(|e| ServiceError::Task(format!("writing content: {e}")))?
}

fn write_all(dir: &Path, documents: Vec<(String, String)>) -> Result<ExportReport, ServiceError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| ServiceError::Io { path, source }
    };
    let mut report = ExportReport::default();
    for (relative, text) in documents {
        // Slugs and course names are validated slugs: the path cannot leave `dir`.
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        if std::fs::read(&path).is_ok_and(|existing| existing == text.as_bytes()) {
            report.unchanged += 1;
            continue;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
        report.written += 1;
    }
    Ok(report)
}
