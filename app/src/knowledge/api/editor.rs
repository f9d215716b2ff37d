//! Server functions of the factsheet editor. Each asks the access module first; the
//! workflow service enforces who may approve.

use leptos::prelude::*;

use crate::error::AppError;
use crate::knowledge::model::RevisionComparison;
use crate::knowledge::model::editor::{EditorState, FactsheetForm, SaveOutcome};

#[cfg(feature = "ssr")]
mod server {
    use crate::error::AppError;
    use crate::error::FieldErrors;
    use crate::identity::access::{Action, Viewer};
    use crate::identity::service::current::authorize_user;
    use crate::knowledge::model::editor::{ConflictInfo, FactsheetForm, SourceInput};
    use crate::knowledge::rules::front_matter;

    pub async fn editor() -> Result<Viewer, AppError> {
        authorize_user(Action::EditKnowledge).await
    }

    /// Unsaved editor input kept in the server-side session, so a no-JS form shows it again
    /// after the redirect back.
    #[derive(serde::Serialize, serde::Deserialize)]
    pub struct Flash {
        pub form: Option<FactsheetForm>,
        pub expected_head: i32,
        pub errors: FieldErrors,
        pub conflict: Option<ConflictInfo>,
        pub saved_head: Option<i32>,
    }

    /// The editor's flash: one per document being edited ("nieuw" for a new one).
    pub fn flash(slug: Option<&str>) -> crate::flash::Flash<Flash> {
        crate::flash::Flash::new("editor", slug.unwrap_or("nieuw"))
    }

    pub fn form_from_source(source: &str) -> Result<FactsheetForm, AppError> {
        let (fm, body) = front_matter::parse_document(source).map_err(|error| {
            tracing::error!(%error, "stored revision does not parse");
            AppError::Internal
        })?;
        let kind_fields = front_matter::kind_fields_of(&fm);
        Ok(FactsheetForm {
            kind_fields,
            title: fm.title,
            slug: fm.slug,
            summary: fm.summary,
            phenomena: fm
                .phenomena
                .iter()
                .map(|p| (p.slug().to_owned(), "on".to_owned()))
                .collect(),
            audience: fm
                .audience
                .iter()
                .map(|a| (a.slug().to_owned(), "on".to_owned()))
                .collect(),
            owner: fm.owner,
            reviewed_on: fm.reviewed_on.to_string(),
            review_due: fm.review_due.to_string(),
            sources: fm
                .sources
                .into_iter()
                .map(|s| SourceInput {
                    title: s.title,
                    url: s.url,
                })
                .collect(),
            body: body.to_owned(),
        })
    }

    /// Where a new document goes: the next module of `course`, a training when `kind` says
    /// so, otherwise a factsheet.
    pub async fn new_placement(
        db: &sea_orm::DatabaseConnection,
        course: Option<&str>,
        kind: Option<&str>,
    ) -> Result<crate::knowledge::model::Placement, AppError> {
        use crate::knowledge::model::Placement;
        Ok(match (course.filter(|c| !c.is_empty()), kind) {
            (Some(course), _) => {
                crate::knowledge::service::workflow::next_module_placement(db, course).await?
            }
            (None, Some(crate::knowledge::model::editor::NEW_TRAINING)) => Placement::Training,
            (None, _) => Placement::Factsheet,
        })
    }

    /// Errors of a kind's own fields (a training's hours, say) are shown at the field that
    /// holds them, named, so the editor knows which line to change.
    pub fn form_field_of(error: &front_matter::FrontMatterError) -> (String, String) {
        use crate::knowledge::model::editor::KIND_FIELDS;
        match error.field {
            Some(field)
                if front_matter::training_fields()
                    .is_some_and(|kind| kind.names().contains(&field)) =>
            {
                (
                    KIND_FIELDS.to_owned(),
                    format!("{field}: {}", error.message),
                )
            }
            field => (
                field.unwrap_or(crate::error::WHOLE_FORM).to_owned(),
                error.message.clone(),
            ),
        }
    }

    pub fn new_form(
        today: chrono::NaiveDate,
        placement: &crate::knowledge::model::Placement,
    ) -> FactsheetForm {
        FactsheetForm {
            kind_fields: match placement {
                crate::knowledge::model::Placement::Training => front_matter::training_fields()
                    .map(|kind| kind.starter().to_owned())
                    .unwrap_or_default(),
                _ => String::new(),
            },
            reviewed_on: today.to_string(),
            review_due: today
                .checked_add_months(chrono::Months::new(12))
                .unwrap_or(today)
                .to_string(),
            ..Default::default()
        }
    }
}

/// The editor for a new (`slug` None) or existing document; a new one is a module of `course`
/// when that is given, a training when `kind` is "training", otherwise a factsheet.
#[server(endpoint = "load_editor")]
pub async fn load_editor(
    slug: Option<String>,
    course: Option<String>,
    kind: Option<String>,
) -> Result<EditorState, AppError> {
    use crate::knowledge::model::WorkflowState;
    let viewer = server::editor().await?;
    let flash = server::flash(slug.as_deref()).take().await?;
    let db = crate::context::db()?;
    let (document, form, history, placement) = match slug.as_deref() {
        None => {
            let placement = server::new_placement(&db, course.as_deref(), kind.as_deref()).await?;
            (
                None,
                server::new_form(crate::context::app_context()?.today(), &placement),
                Vec::new(),
                placement,
            )
        }
        Some(slug) => {
            let document = crate::knowledge::service::workflow::open(
                &db,
                slug,
                crate::context::app_context()?.now(),
            )
            .await?;
            let form = server::form_from_source(&document.source)?;
            let history = crate::knowledge::service::workflow::history(
                &db,
                slug,
                crate::context::app_context()?.now(),
            )
            .await?;
            let placement = document.placement.clone();
            (Some(document), form, history, placement)
        }
    };
    let authors: Vec<(i32, Option<i32>)> = history
        .iter()
        .map(|revision| (revision.number, revision.author_user_id))
        .collect();
    let may_approve = document.as_ref().is_some_and(|d| {
        d.state == WorkflowState::InReview
            && crate::knowledge::policy::may_approve(
                &viewer,
                crate::knowledge::policy::ReviewFacts {
                    submitted_by: d.submitted_by,
                    published: d.published,
                    revisions: &authors,
                },
            )
    });
    let head = document.as_ref().map_or(0, |d| d.head);
    let course_title = match (&placement, &document) {
        (crate::knowledge::model::Placement::Module { course, .. }, None) => {
            crate::knowledge::service::courses::course_title(&db, course).await?
        }
        _ => None,
    };
    let mut state = EditorState {
        placement,
        form,
        document,
        expected_head: head,
        errors: crate::error::FieldErrors::new(),
        conflict: None,
        saved_head: None,
        history,
        may_approve,
        preview_html: String::new(),
        course_title,
    };
    if let Some(flash) = flash {
        if let Some(form) = flash.form {
            state.form = form;
            state.expected_head = flash.expected_head;
        }
        state.errors = flash.errors;
        state.conflict = flash.conflict;
        state.saved_head = flash.saved_head;
    }
    state.preview_html = preview_markdown(state.form.body.clone())
        .await
        .unwrap_or_default();
    Ok(state)
}

/// Saves a factsheet or module; `course` places a new document as the next module of that
/// course.
#[server(endpoint = "save_document")]
pub async fn save_document(
    form: FactsheetForm,
    expected_head: i32,
    course: Option<String>,
    kind: Option<String>,
) -> Result<SaveOutcome, AppError> {
    use crate::error::ServiceError;
    use crate::error::{FieldErrors, WHOLE_FORM};
    use crate::knowledge::model::Placement;
    use crate::knowledge::model::editor::ConflictInfo;
    let viewer = server::editor().await?;
    let db = crate::context::db()?;
    let existing_slug = (expected_head > 0).then(|| form.slug.trim().to_owned());
    // An existing document keeps its stored placement (the service reads it).
    let placement = if expected_head == 0 {
        server::new_placement(&db, course.as_deref(), kind.as_deref()).await?
    } else {
        Placement::Factsheet
    };
    let mut form = form;
    if expected_head == 0 && form.slug.trim().is_empty() {
        // What the editor's script proposes while typing, for a form sent without it.
        form.slug = crate::knowledge::rules::slug::slug_from_title(&form.title);
    }
    let source = form.to_source();
    // Every field's error at once, by the importer's own rules; the service checks again.
    let checked = match crate::knowledge::rules::front_matter::parse_document_all(&source) {
        Err(errors) => Err(errors
            .iter()
            .map(server::form_field_of)
            .collect::<FieldErrors>()),
        Ok(_) => Ok(crate::knowledge::service::workflow::save_placed(
            &db,
            viewer.user_id,
            &source,
            expected_head,
            &placement,
            crate::context::app_context()?.now(),
        )
        .await),
    };
    let outcome = match checked {
        Err(errors) => SaveOutcome::Invalid(errors),
        Ok(saved) => match saved {
            Ok(head) => SaveOutcome::Saved {
                slug: form.slug.trim().to_owned(),
                head,
            },
            Err(ServiceError::InvalidDocument { field, message }) => {
                SaveOutcome::Invalid(FieldErrors::from([server::form_field_of(
                    &crate::knowledge::rules::front_matter::FrontMatterError { field, message },
                )]))
            }
            Err(ServiceError::Invalid(message)) => {
                SaveOutcome::Invalid(FieldErrors::from([(WHOLE_FORM.to_owned(), message)]))
            }
            Err(ServiceError::Conflict { head, theirs }) => {
                SaveOutcome::Conflict(ConflictInfo { head, theirs })
            }
            Err(other) => return Err(other.into()),
        },
    };
    let flash = match &outcome {
        SaveOutcome::Saved { slug, head } => {
            // A new document gets its own address; existing ones stay where they are.
            if expected_head == 0 {
                leptos_axum::redirect(&format!("/redactie/documenten/{slug}"));
            }
            server::flash(Some(slug))
                .put(&server::Flash {
                    form: None,
                    expected_head: *head,
                    errors: FieldErrors::new(),
                    conflict: None,
                    saved_head: Some(*head),
                })
                .await?;
            return Ok(outcome);
        }
        SaveOutcome::Invalid(error) => server::Flash {
            form: Some(form),
            expected_head,
            errors: error.clone(),
            conflict: None,
            saved_head: None,
        },
        // Saving again is then a deliberate choice to put this version on top of theirs.
        SaveOutcome::Conflict(conflict) => server::Flash {
            form: Some(form),
            expected_head: conflict.head,
            errors: FieldErrors::new(),
            conflict: Some(conflict.clone()),
            saved_head: None,
        },
    };
    server::flash(existing_slug.as_deref()).put(&flash).await?;
    Ok(outcome)
}

#[server(endpoint = "submit_document")]
pub async fn submit_document(slug: String) -> Result<(), AppError> {
    let viewer = server::editor().await?;
    let db = crate::context::db()?;
    Ok(crate::knowledge::service::workflow::submit(
        &db,
        viewer.user_id,
        &slug,
        crate::context::app_context()?.now(),
    )
    .await?)
}

#[server(endpoint = "approve_document")]
pub async fn approve_document(slug: String, revision: i32) -> Result<(), AppError> {
    let viewer = server::editor().await?;
    let db = crate::context::db()?;
    let indexed = crate::knowledge::service::workflow::approve(
        &db,
        viewer.user_id,
        &slug,
        revision,
        crate::context::app_context()?.now(),
    )
    .await?;
    crate::knowledge::service::search::from_context()?.upsert(&indexed)?;
    Ok(())
}

#[server(endpoint = "withdraw_document")]
pub async fn withdraw_document(slug: String, reason: String) -> Result<(), AppError> {
    let viewer = server::editor().await?;
    let db = crate::context::db()?;
    let (kind, key) = crate::knowledge::service::workflow::withdraw(
        &db,
        viewer.user_id,
        &slug,
        &reason,
        crate::context::app_context()?.now(),
    )
    .await?;
    crate::knowledge::service::search::from_context()?.remove(kind, &key)?;
    Ok(())
}

#[server(endpoint = "restore_document")]
pub async fn restore_document(
    slug: String,
    number: i32,
    expected_head: i32,
) -> Result<i32, AppError> {
    let viewer = server::editor().await?;
    let db = crate::context::db()?;
    let head = crate::knowledge::service::workflow::restore(
        &db,
        viewer.user_id,
        &slug,
        number,
        expected_head,
        crate::context::app_context()?.now(),
    )
    .await?;
    leptos_axum::redirect(&format!("/redactie/documenten/{slug}"));
    Ok(head)
}

#[server(endpoint = "document_diff")]
pub async fn document_diff(
    slug: String,
    from: i32,
    to: i32,
) -> Result<RevisionComparison, AppError> {
    server::editor().await?;
    let db = crate::context::db()?;
    Ok(crate::knowledge::service::workflow::diff(&db, &slug, from, to).await?)
}

/// The editor's live preview: the public page's renderer and sanitiser, on the server, so the
/// WASM bundle every visitor downloads stays small.
#[server(endpoint = "preview_markdown")]
pub async fn preview_markdown(body: String) -> Result<String, AppError> {
    server::editor().await?;
    if body.len() > crate::knowledge::service::import::MAX_DOCUMENT_BYTES {
        return Err(crate::error::ServiceError::Invalid(
            "De tekst is groter dan 256 KB; het voorbeeld wordt niet bijgewerkt.".into(),
        )
        .into());
    }
    // Rendering is CPU work: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        let html = crate::knowledge::rules::render::render_markdown(&body).html;
        format!("{html}{}", quiz_preview(&body))
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "preview rendering failed");
        AppError::Internal
    })
}

/// Self-check questions as editors need to see them: with the right answers marked.
#[cfg(feature = "ssr")]
fn quiz_preview(body: &str) -> String {
    use ammonia::clean_text;
    match crate::knowledge::rules::quiz::extract(body) {
        Ok(questions) if questions.is_empty() => String::new(),
        Ok(questions) => {
            let mut html = String::from("<section class=\"quiz-preview\"><h2>Zelftoets</h2><ol>");
            for question in &questions {
                html.push_str(&format!("<li><p>{}</p><ul>", clean_text(&question.prompt)));
                for (index, option) in question.options.iter().enumerate() {
                    let mark = if question.correct.contains(&index) {
                        "✓ goed"
                    } else {
                        "fout"
                    };
                    html.push_str(&format!(
                        "<li>{} <em>({mark})</em></li>",
                        clean_text(option)
                    ));
                }
                html.push_str("</ul>");
                if let Some(explanation) = &question.explanation {
                    html.push_str(&format!(
                        "<p><em>Uitleg:</em> {}</p>",
                        clean_text(explanation)
                    ));
                }
                html.push_str("</li>");
            }
            html.push_str("</ol></section>");
            html
        }
        Err(message) => format!(
            "<p class=\"notice error\">{}</p>",
            clean_text(&format!("Zelftoets: {message}"))
        ),
    }
}
