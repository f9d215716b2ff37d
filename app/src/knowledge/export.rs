//! `content export`: the database back to `content/` (`<dir>/factsheets/<slug>.md`), in the
//! canonical layout the importer reads, so export → import → export gives the same bytes and
//! web edits can be reviewed in git.

use std::path::Path;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::entity::{Column, Entity as Factsheets};
use super::service::PUBLISHED;
use super::workflow::source_of_row;
use crate::error::ServiceError;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub written: usize,
    pub unchanged: usize,
}

/// Writes every published and draft factsheet (withdrawn ones stay out of `content/`). Files
/// whose bytes would not change are left untouched.
pub async fn export_content_dir(
    db: &DatabaseConnection,
    content_dir: &Path,
) -> Result<ExportReport, ServiceError> {
    let rows = Factsheets::find()
        .filter(Column::Status.is_in([PUBLISHED, "draft"]))
        .order_by_asc(Column::Slug)
        .all(db)
        .await?;
    let documents = rows
        .iter()
        .map(|row| Ok((format!("{}.md", row.slug), source_of_row(row)?)))
        .collect::<Result<Vec<_>, ServiceError>>()?;
    let dir = content_dir.join("factsheets");
    tokio::task::spawn_blocking(move || write_all(&dir, documents))
        .await
        .map_err(|e| ServiceError::Task(format!("writing content: {e}")))?
}

fn write_all(dir: &Path, documents: Vec<(String, String)>) -> Result<ExportReport, ServiceError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| ServiceError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut report = ExportReport::default();
    for (name, text) in documents {
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|existing| existing == text.as_bytes()) {
            report.unchanged += 1;
            continue;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
        report.written += 1;
    }
    Ok(report)
}
