//! The rules of a backlog item's form: every error at once, at its field.

use crate::error::FieldErrors;
use crate::knowledge::model::backlog::{
    BacklogForm, BacklogStatus, MAX_BACKLOG_TITLE_CHARS, MAX_DECLINE_REASON_CHARS, ValidBacklogItem,
};
use crate::vocabulary::Theme;

/// Checks a backlog form; a new item is open whatever its status field says. A published item
/// names its document, a declined one its reason; the other statuses keep neither.
pub fn check_backlog_form(
    form: &BacklogForm,
    is_new: bool,
) -> Result<ValidBacklogItem, FieldErrors> {
    let mut errors = FieldErrors::new();
    let theme = Theme::from_slug(form.thema.trim());
    if theme.is_none() {
        errors.insert("thema".into(), "Kies een thema uit de lijst.".into());
    }
    let title = form.titel.trim();
    if title.is_empty() {
        errors.insert(
            "titel".into(),
            "Beschrijf in een paar woorden welke factsheet nodig is.".into(),
        );
    } else if title.chars().count() > MAX_BACKLOG_TITLE_CHARS {
        errors.insert(
            "titel".into(),
            format!("Hoogstens {MAX_BACKLOG_TITLE_CHARS} tekens."),
        );
    }
    let status = if is_new {
        Some(BacklogStatus::Open)
    } else {
        BacklogStatus::from_slug(form.status.trim())
    };
    if status.is_none() {
        errors.insert("status".into(), "Kies een status.".into());
    }
    let document = form.document.trim();
    let reason = form.reden.trim();
    if status == Some(BacklogStatus::Published) && document.is_empty() {
        errors.insert(
            "document".into(),
            "Kies het gepubliceerde document dat hierin voorziet.".into(),
        );
    }
    if status == Some(BacklogStatus::Declined) {
        if reason.is_empty() {
            errors.insert(
                "reden".into(),
                "Schrijf op waarom er geen factsheet komt.".into(),
            );
        } else if reason.chars().count() > MAX_DECLINE_REASON_CHARS {
            errors.insert(
                "reden".into(),
                format!("Hoogstens {MAX_DECLINE_REASON_CHARS} tekens."),
            );
        }
    }
    match (theme, status) {
        (Some(theme), Some(status)) if errors.is_empty() => Ok(ValidBacklogItem {
            theme,
            title: title.to_owned(),
            status,
            document_slug: (status == BacklogStatus::Published).then(|| document.to_owned()),
            decline_reason: (status == BacklogStatus::Declined).then(|| reason.to_owned()),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(status: &str) -> BacklogForm {
        BacklogForm {
            thema: "school".into(),
            titel: " Signalen in de klas ".into(),
            status: status.into(),
            ..BacklogForm::default()
        }
    }

    #[test]
    fn a_new_item_is_open_and_keeps_no_document_or_reason() {
        let mut new = form("gepubliceerd");
        new.reden = "niet nodig".into();
        let valid = check_backlog_form(&new, true).expect("valid");
        assert_eq!(valid.status, BacklogStatus::Open);
        assert_eq!(valid.title, "Signalen in de klas");
        assert_eq!((valid.document_slug, valid.decline_reason), (None, None));
    }

    #[test]
    fn every_error_comes_at_once_at_its_field() {
        let empty = BacklogForm {
            thema: "onbekend".into(),
            status: "gepubliceerd".into(),
            ..BacklogForm::default()
        };
        let errors = check_backlog_form(&empty, false).expect_err("refused");
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["document", "thema", "titel"]
        );
        let declined = check_backlog_form(&form("afgewezen"), false).expect_err("no reason");
        assert_eq!(
            declined["reden"],
            "Schrijf op waarom er geen factsheet komt."
        );
        let unknown = check_backlog_form(&form("klaar"), false).expect_err("unknown status");
        assert_eq!(unknown["status"], "Kies een status.");
    }

    #[test]
    fn a_published_item_names_its_document_and_a_declined_one_its_reason() {
        let mut published = form("gepubliceerd");
        published.document = " signalen-op-school ".into();
        published.reden = "vergeten".into();
        let valid = check_backlog_form(&published, false).expect("valid");
        assert_eq!(valid.document_slug.as_deref(), Some("signalen-op-school"));
        assert_eq!(valid.decline_reason, None);
        let mut declined = form("afgewezen");
        declined.reden = "Valt buiten ons werkterrein.".into();
        let valid = check_backlog_form(&declined, false).expect("valid");
        assert_eq!(
            valid.decline_reason.as_deref(),
            Some("Valt buiten ons werkterrein.")
        );
        assert_eq!(valid.document_slug, None);
    }
}
