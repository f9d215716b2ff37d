//! The dilemma log: saved sealed (only work field and phenomenon stay readable, for counts),
//! listed without content, and opened with every read recorded (who, which dilemma, when).

use crate::intervision::service::access::dilemma_in_group as in_group;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::dates::{amsterdam_date, format_date_nl, format_datetime_nl};
use crate::error::ServiceError;
use crate::identity::service::labels::account_labels;
use crate::intervision::entity::{dilemma, dilemma_read};
use crate::intervision::model::{DilemmaField, DilemmaSummary, DilemmaView, ReadEntry};
use crate::intervision::rules::ValidDilemma;
use crate::intervision::service::access::Standing;
use crate::intervision::service::overrides::record_name_override;
use crate::intervision::service::sealing::Sealer;
use crate::intervision::service::themes::{forget_themes, keep_themes, practice_themes_of};

/// What is sealed of a dilemma: its free text by field slug.
type SealedTexts = BTreeMap<String, String>;

/// What a row's sealed text is bound to.
fn seal_context(id: i32) -> String {
    crate::intervision::service::sealed_texts::seal_context::<dilemma::Entity>(id)
}

/// Saves a dilemma the guard passed, brought in by `author`; its id.
pub async fn save_dilemma(
    db: &DatabaseConnection,
    sealer: &Sealer,
    group_id: i32,
    author: i32,
    dilemma: &ValidDilemma,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let texts: SealedTexts = dilemma
        .texts
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(field, text)| (field.slug().to_owned(), text.clone()))
        .collect();
    let txn = crate::db::begin_write(db).await?;
    // The id is sealed in with the text, so the row exists before its content does.
    let row = dilemma::ActiveModel {
        group_id: Set(group_id),
        author_user_id: Set(Some(author)),
        work_field: Set(dilemma.work_field),
        phenomenon: Set(dilemma.phenomenon),
        sealed: Set(Vec::new()),
        created_at: Set(now),
        method: Set(None),
        method_step: Set(None),
        step_started_at: Set(None),
        method_minutes: Set(None),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let sealed = sealer.seal_json(&seal_context(row.id), &texts)?;
    let id = row.id;
    let mut row: dilemma::ActiveModel = row.into();
    row.sealed = Set(sealed);
    let row = row.update(&*txn).await?;
    keep_themes(&*txn, &row, &dilemma.themes).await?;
    record_name_override(&*txn, group_id, author, dilemma.names_overruled, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// `author`'s own dilemma `dilemma_id` in the group; anyone else's is "not found".
async fn own_dilemma(
    db: &impl ConnectionTrait,
    group_id: i32,
    dilemma_id: i32,
    author: i32,
) -> Result<dilemma::Model, ServiceError> {
    dilemma::Entity::find_by_id(dilemma_id)
        .filter(dilemma::Column::GroupId.eq(group_id))
        .filter(dilemma::Column::AuthorUserId.eq(author))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The author's dilemma as its form, to complete or correct it (opening one's own text to
/// edit it is not a read of someone else's case, so nothing is recorded).
pub async fn own_dilemma_form(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    group_id: i32,
    dilemma_id: i32,
    author: i32,
) -> Result<crate::intervision::model::DilemmaForm, ServiceError> {
    let row = own_dilemma(db, group_id, dilemma_id, author).await?;
    let texts: SealedTexts = sealer.open_json(&seal_context(row.id), &row.sealed)?;
    Ok(crate::intervision::model::DilemmaForm {
        work_field: row.work_field.slug().to_owned(),
        phenomenon: row.phenomenon.slug().to_owned(),
        texts,
        not_names: false,
        themes: practice_themes_of(db, row.id).await?,
    })
}

/// Saves the author's corrected or completed dilemma (it passed the guard), sealed again
/// under its own id; whether anything changed (an unchanged form writes nothing).
pub async fn update_dilemma(
    db: &DatabaseConnection,
    sealer: &Sealer,
    group_id: i32,
    dilemma_id: i32,
    author: i32,
    dilemma: &ValidDilemma,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let texts: SealedTexts = dilemma
        .texts
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(field, text)| (field.slug().to_owned(), text.clone()))
        .collect();
    let txn = crate::db::begin_write(db).await?;
    // Locked: a second submit of the same form waits and then finds nothing to change.
    let row = dilemma::Entity::find_by_id(dilemma_id)
        .filter(dilemma::Column::GroupId.eq(group_id))
        .filter(dilemma::Column::AuthorUserId.eq(author))
        .lock_exclusive()
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let stored: SealedTexts = sealer.open_json(&seal_context(row.id), &row.sealed)?;
    let stored_themes = practice_themes_of(&*txn, row.id).await?;
    let wanted_themes: Vec<String> = dilemma.themes.iter().map(|t| t.slug().to_owned()).collect();
    let same_themes = stored_themes.len() == wanted_themes.len()
        && stored_themes.iter().all(|t| wanted_themes.contains(t));
    let same_row = stored == texts
        && row.work_field == dilemma.work_field
        && row.phenomenon == dilemma.phenomenon;
    if same_row && same_themes {
        return Ok(false);
    }
    let row = if same_row {
        row
    } else {
        let sealed = sealer.seal_json(&seal_context(row.id), &texts)?;
        let mut row: dilemma::ActiveModel = row.into();
        row.work_field = Set(dilemma.work_field);
        row.phenomenon = Set(dilemma.phenomenon);
        row.sealed = Set(sealed);
        row.update(&*txn).await?
    };
    keep_themes(&*txn, &row, &dilemma.themes).await?;
    record_name_override(&*txn, group_id, author, dilemma.names_overruled, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Deletes the author's dilemma with its thread, action points and reads (the database
/// cascades them, as retention does).
pub async fn delete_dilemma(
    db: &DatabaseConnection,
    group_id: i32,
    dilemma_id: i32,
    author: i32,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let row = own_dilemma(&*txn, group_id, dilemma_id, author).await?;
    forget_themes(&*txn, row.id).await?;
    dilemma::Entity::delete_by_id(row.id).exec(&*txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The most characters of a question in the log's list.
const LIST_QUESTION_CHARS: usize = 90;

/// How many dilemmas a page of the group's log lists.
pub const LOG_PER_PAGE: u64 = 20;

/// Page `page` (from 1) of the group's dilemmas, newest first, each named by its question
/// (shortened), so five dilemmas of one date can be told apart; only the page's dilemmas are
/// opened for it, and the rest of the content only with a recorded read. With the number of
/// pages.
pub async fn list_dilemmas(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    group_id: i32,
    viewer: i32,
    page: u64,
) -> Result<(Vec<DilemmaSummary>, u64), ServiceError> {
    let pages = dilemma::Entity::find()
        .filter(dilemma::Column::GroupId.eq(group_id))
        .order_by_desc(dilemma::Column::CreatedAt)
        .order_by_desc(dilemma::Column::Id)
        .paginate(db, LOG_PER_PAGE);
    let page_count = pages.num_pages().await?.max(1);
    let rows = pages.fetch_page(page.clamp(1, page_count) - 1).await?;
    let summaries = rows
        .into_iter()
        .map(|row| DilemmaSummary {
            id: row.id,
            question: question_of(sealer, &row),
            work_field: row.work_field.label().to_owned(),
            phenomenon: row.phenomenon.label().to_owned(),
            brought_in_on: format_date_nl(amsterdam_date(row.created_at)),
            by_me: row.author_user_id == Some(viewer),
        })
        .collect();
    Ok((summaries, page_count))
}

/// The dilemma's question, shortened, as lists and agendas name it.
pub(crate) fn question_of(sealer: &Sealer, row: &dilemma::Model) -> String {
    let texts: SealedTexts = sealer
        .open_json(&seal_context(row.id), &row.sealed)
        .unwrap_or_default();
    texts
        .get(DilemmaField::Question.slug())
        .map(|question| shortened(question, LIST_QUESTION_CHARS))
        .filter(|question| !question.is_empty())
        .unwrap_or_else(|| format!("Dilemma {}", row.id))
}

/// `text` on one line, at most `chars` characters, cut between words with "…".
fn shortened(text: &str, chars: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= chars {
        return line;
    }
    let mut out = String::new();
    for word in line.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > chars - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// How many readers a page of "Wie dit dilemma las" shows.
pub const READS_PER_PAGE: u64 = 20;

/// Opens dilemma `dilemma_id` of the group for `reader` and records the read, once per
/// reader per day; the group's facilitators and the dilemma's author also get who read it
/// when, `reads_page` of them (newest first).
pub async fn open_dilemma(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    standing: &Standing,
    dilemma_id: i32,
    reader: i32,
    reads_page: u64,
    now: DateTime<Utc>,
) -> Result<DilemmaView, ServiceError> {
    let row = dilemma::Entity::find_by_id(dilemma_id)
        .filter(dilemma::Column::GroupId.eq(standing.group.id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let texts: SealedTexts = sealer.open_json(&seal_context(row.id), &row.sealed)?;
    let read_today = dilemma_read::Entity::find()
        .filter(dilemma_read::Column::DilemmaId.eq(row.id))
        .filter(dilemma_read::Column::UserId.eq(reader))
        .order_by_desc(dilemma_read::Column::ReadAt)
        .one(db)
        .await?
        .is_some_and(|last| amsterdam_date(last.read_at) == amsterdam_date(now));
    if !read_today {
        dilemma_read::ActiveModel {
            dilemma_id: Set(row.id),
            user_id: Set(reader),
            read_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let sees_reads = standing.is_facilitator || row.author_user_id == Some(reader);
    let (reads, reads_pages) = if sees_reads {
        let query = dilemma_read::Entity::find()
            .filter(dilemma_read::Column::DilemmaId.eq(row.id))
            .order_by_desc(dilemma_read::Column::ReadAt)
            .order_by_desc(dilemma_read::Column::Id);
        let pages = query.clone().paginate(db, READS_PER_PAGE);
        let page_count = pages.num_pages().await?.max(1);
        let rows = pages
            .fetch_page(reads_page.clamp(1, page_count) - 1)
            .await?;
        let labels = account_labels(db, rows.iter().map(|r| r.user_id)).await?;
        let entries = rows
            .into_iter()
            .map(|r| ReadEntry {
                reader: labels.get(&r.user_id).cloned().unwrap_or_default(),
                read_at: format_datetime_nl(r.read_at),
            })
            .collect();
        (Some(entries), page_count)
    } else {
        (None, 1)
    };
    let author = match row.author_user_id {
        Some(id) => account_labels(db, [id])
            .await?
            .remove(&id)
            .unwrap_or_default(),
        None => "een oud-lid".to_owned(),
    };
    Ok(DilemmaView {
        id: row.id,
        group_id: standing.group.id,
        group_name: standing.group.name.clone(),
        work_field: row.work_field.label().to_owned(),
        phenomenon: row.phenomenon.label().to_owned(),
        brought_in_on: format_date_nl(amsterdam_date(row.created_at)),
        brought_in_by: author,
        fields: DilemmaField::ALL
            .into_iter()
            .filter_map(|field| {
                texts
                    .get(field.slug())
                    .map(|text| (field.label().to_owned(), text.clone()))
            })
            .collect(),
        reads,
        reads_page: reads_page.clamp(1, reads_pages),
        reads_pages,
        mine: row.author_user_id == Some(reader),
        method: method_state(&row),
        leads: standing.is_facilitator,
        minutes_draft: None,
        posts: crate::intervision::service::posts::thread(db, sealer, row.id, reader).await?,
        reply: Default::default(),
        action_points: Vec::new(),
        people: Vec::new(),
        action_draft: Default::default(),
        notice: None,
    })
}

/// Where the dilemma stands in its method, for the page.
fn method_state(row: &dilemma::Model) -> Option<crate::intervision::model::MethodState> {
    let method = crate::intervision::rules::methods::method(row.method.as_deref()?)?;
    Some(crate::intervision::model::MethodState {
        slug: method.slug.to_owned(),
        name: method.name.to_owned(),
        steps: method
            .steps
            .iter()
            .zip(method.minutes(row.method_minutes.as_deref()))
            .map(|(s, minutes)| (s.title.to_owned(), s.text.to_owned(), minutes))
            .collect(),
        current: row.method_step.unwrap_or(0).max(0) as usize,
        step_started_at: row.step_started_at.map(|at| {
            at.with_timezone(&chrono_tz::Europe::Amsterdam)
                .format("%H:%M")
                .to_string()
        }),
    })
}

/// Where dilemma `dilemma_id` of the group stands in its method; None before one is started.
pub async fn method_of(
    db: &impl ConnectionTrait,
    group_id: i32,
    dilemma_id: i32,
) -> Result<Option<crate::intervision::model::MethodState>, ServiceError> {
    Ok(method_state(&in_group(db, group_id, dilemma_id).await?))
}

/// The facilitator's minutes for each step of the dilemma's method in this meeting.
pub async fn set_minutes(
    db: &impl ConnectionTrait,
    group_id: i32,
    dilemma_id: i32,
    typed: &[String],
) -> Result<(), ServiceError> {
    let row = in_group(db, group_id, dilemma_id).await?;
    let Some(method) = row
        .method
        .as_deref()
        .and_then(crate::intervision::rules::methods::method)
    else {
        return Err(ServiceError::Invalid("Kies eerst een methode.".into()));
    };
    let minutes = method.parse_minutes(typed).map_err(ServiceError::Invalid)?;
    let mut row: dilemma::ActiveModel = row.into();
    row.method_minutes = Set(Some(minutes));
    row.update(db).await?;
    Ok(())
}

/// Moves the dilemma's method one step forward (`forward`) or back; past the last step the
/// method is finished. Returns the new step.
pub async fn move_step(
    db: &impl ConnectionTrait,
    group_id: i32,
    dilemma_id: i32,
    forward: bool,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let row = in_group(db, group_id, dilemma_id).await?;
    let Some(method) = row
        .method
        .as_deref()
        .and_then(crate::intervision::rules::methods::method)
    else {
        return Err(ServiceError::Invalid("Kies eerst een methode.".into()));
    };
    let current = row.method_step.unwrap_or(0).max(0) as usize;
    let next = if forward {
        (current + 1).min(method.steps.len())
    } else {
        current.saturating_sub(1)
    };
    let mut row: dilemma::ActiveModel = row.into();
    row.method_step = Set(Some(next as i32));
    row.step_started_at = Set(Some(now));
    row.update(db).await?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::shortened;

    #[test]
    fn a_long_question_is_cut_between_words() {
        assert_eq!(shortened("Wat  doe\nik?", 90), "Wat doe ik?");
        let long =
            "Bespreek ik dit eerst met de ouders of met de wijkagent, en wat zeg ik dan precies?";
        let short = shortened(long, 40);
        assert!(
            short.chars().count() <= 40 && short.ends_with('…'),
            "{short}"
        );
        assert!(long.starts_with(short.trim_end_matches('…')));
    }
}
