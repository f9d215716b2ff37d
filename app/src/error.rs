//! Errors as the interface sees them: one type, one status code and one Dutch message each.

use std::collections::BTreeMap;

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// A form's refused fields: field key → Dutch message shown next to that field. The key
/// [`WHOLE_FORM`] holds a message about the form as a whole.
pub type FieldErrors = BTreeMap<String, String>;

/// The [`FieldErrors`] key of a message that belongs to no single field.
pub const WHOLE_FORM: &str = "";

/// The error every server function returns. It crosses the wire, so it carries no internals:
/// details are logged on the server where the error is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Deze pagina bestaat niet (meer).")]
    NotFound,
    #[error("{0}")]
    InvalidInput(String),
    #[error("Log in om deze pagina te bekijken.")]
    Unauthenticated,
    #[error("U heeft geen toegang tot deze pagina.")]
    Forbidden,
    /// A document that was withdrawn: its old address explains why instead of a bare 404.
    /// `kind` is what it was, in Dutch ("Factsheet", "Cursusmodule").
    #[error("Dit document is ingetrokken: {reason}")]
    Withdrawn {
        kind: String,
        title: String,
        reason: String,
    },
    /// Someone else saved first; `theirs` is their version, so nothing is lost.
    #[error(
        "Iemand anders heeft dit document intussen opgeslagen (versie {head}). Vergelijk beide versies en sla opnieuw op."
    )]
    Conflict { head: i32, theirs: String },
    /// A document that does not validate; `field` names the front-matter field to blame.
    #[error("{message}")]
    InvalidDocument {
        field: Option<String>,
        message: String,
    },
    #[error("Er ging aan onze kant iets mis. Probeer het over een paar minuten opnieuw.")]
    Internal,
    #[error("De server was niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.")]
    Unreachable,
    /// The platform's own database does not answer (a 503 a load balancer and a reader
    /// understand): nothing the reader did, and nothing was lost.
    #[error(
        "Het platform kan zijn gegevens op dit moment niet bereiken. Er is niets verloren gegaan; probeer het over een paar minuten opnieuw."
    )]
    Unavailable,
}

impl AppError {
    /// The HTTP status a page showing this error is served with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::InvalidInput(_) => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::Withdrawn { .. } => 410,
            AppError::Conflict { .. } => 409,
            AppError::InvalidDocument { .. } => 400,
            AppError::Internal => 500,
            AppError::Unreachable | AppError::Unavailable => 503,
        }
    }

    /// A short Dutch heading for an error page.
    pub fn title(&self) -> String {
        if let AppError::Withdrawn { kind, .. } = self {
            return format!("{kind} ingetrokken");
        }
        match self {
            AppError::NotFound => "Pagina niet gevonden",
            AppError::InvalidInput(_) => "Ongeldige invoer",
            AppError::Unauthenticated => "Inloggen nodig",
            AppError::Forbidden => "Geen toegang",
            AppError::Withdrawn { .. } => "Ingetrokken",
            AppError::Conflict { .. } => "Tegelijk bewerkt",
            AppError::InvalidDocument { .. } => "Ongeldig document",
            AppError::Internal | AppError::Unreachable => "Er ging iets mis",
            AppError::Unavailable => "Even niet beschikbaar",
        }
        .to_owned()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Unreachable,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                let error =
                    AppError::InvalidInput("Het verzoek was onvolledig of ongeldig.".into());
                // The caller's mistake: server_fn would answer it with 500.
                #[cfg(feature = "ssr")]
                set_response_status(&error);
                error
            }
            _ => AppError::Internal,
        }
    }
}

/// Errors of the service layer (server only). Converted to [`AppError`] in exactly one place,
/// which is also where internal failures are logged.
#[cfg(feature = "ssr")]
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not found")]
    NotFound,
    /// A request the rules refuse; the message is Dutch and shown to the user.
    #[error("refused: {0}")]
    Invalid(String),
    /// Fields the rules refuse, every one at once: field name to Dutch message.
    #[error("refused fields: {0:?}")]
    Fields(FieldErrors),
    #[error("withdrawn")]
    Withdrawn {
        kind: &'static str,
        title: String,
        reason: String,
    },
    #[error("edit conflict at revision {head}")]
    Conflict { head: i32, theirs: String },
    /// A document that does not validate; `field` names the form field to blame.
    #[error("invalid document: {message}")]
    InvalidDocument {
        field: Option<&'static str>,
        message: String,
    },
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("background task failed: {0}")]
    Task(String),
    #[error("i/o on {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

#[cfg(feature = "ssr")]
impl From<ServiceError> for AppError {
    fn from(error: ServiceError) -> Self {
        let app_error = match error {
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Invalid(message) => AppError::InvalidInput(message),
            ServiceError::Fields(errors) => {
                AppError::InvalidInput(errors.into_values().collect::<Vec<_>>().join(" "))
            }
            ServiceError::Withdrawn {
                kind,
                title,
                reason,
            } => AppError::Withdrawn {
                kind: kind.to_owned(),
                title,
                reason,
            },
            ServiceError::Conflict { head, theirs } => AppError::Conflict { head, theirs },
            ServiceError::InvalidDocument { field, message } => AppError::InvalidDocument {
                field: field.map(str::to_owned),
                message,
            },
            ServiceError::Database(
                error @ (sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_)),
            ) => {
                tracing::warn!(%error, "the database is unreachable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "request failed");
                AppError::Internal
            }
        };
        set_response_status(&app_error);
        app_error
    }
}

/// Makes the HTTP response (page or server function) carry the error's status code.
#[cfg(feature = "ssr")]
pub fn set_response_status(error: &AppError) {
    use axum::http::StatusCode;
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        // A redirect decided earlier in the request (e.g. to the group's agreement) stands.
        let redirecting = response
            .0
            .read()
            .ok()
            .and_then(|parts| parts.status)
            .is_some_and(|status| status.is_redirection());
        if !redirecting {
            response.set_status(
                StatusCode::from_u16(error.status_code())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
}
