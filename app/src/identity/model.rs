//! What identity pages receive from the server.

use serde::{Deserialize, Serialize};

use super::access::Role;
use super::profile::{FieldErrors, ProfileInput};

/// The profile form's state: what is stored, or an unsaved draft with its errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub input: ProfileInput,
    pub errors: FieldErrors,
    /// Whether the profile was ever completed (first login shows an introduction).
    pub complete: bool,
    /// Set once, right after a successful save (also after a no-JS redirect).
    pub just_saved: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveProfileOutcome {
    Saved,
    Invalid(FieldErrors),
}

/// One account as the admin page lists it: no register numbers, no work field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i32,
    pub display_name: Option<String>,
    pub organisation: Option<String>,
    pub roles: Vec<Role>,
    pub last_login: String,
}

/// Kinds of audit events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditEventKind {
    LoginSucceeded,
    LoginFailed,
    Logout,
    RolesChanged,
    ProfileExported,
}

impl AuditEventKind {
    pub const ALL: [AuditEventKind; 5] = [
        AuditEventKind::LoginSucceeded,
        AuditEventKind::LoginFailed,
        AuditEventKind::Logout,
        AuditEventKind::RolesChanged,
        AuditEventKind::ProfileExported,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            AuditEventKind::LoginSucceeded => "login_succeeded",
            AuditEventKind::LoginFailed => "login_failed",
            AuditEventKind::Logout => "logout",
            AuditEventKind::RolesChanged => "roles_changed",
            AuditEventKind::ProfileExported => "profile_exported",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditEventKind::LoginSucceeded => "Ingelogd",
            AuditEventKind::LoginFailed => "Inloggen mislukt",
            AuditEventKind::Logout => "Uitgelogd",
            AuditEventKind::RolesChanged => "Rollen gewijzigd",
            AuditEventKind::ProfileExported => "Gegevens gedownload",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i32,
    /// UTC, `YYYY-MM-DD HH:MM:SS`.
    pub occurred_at: String,
    pub event: AuditEventKind,
    pub actor_user_id: Option<i32>,
    pub subject_user_id: Option<i32>,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: u64,
    pub page_count: u64,
}

pub const AUDIT_PAGE_SIZE: u64 = 50;
