//! What identity pages receive from the server.

use serde::{Deserialize, Serialize};

use crate::identity::access::Role;
use crate::identity::rules::{FieldErrors, ProfileInput};

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

crate::vocabulary! {
    /// Kinds of audit events.
    pub enum AuditEventKind {
        LoginSucceeded = ("login_succeeded", "Ingelogd"),
        LoginFailed = ("login_failed", "Inloggen mislukt"),
        Logout = ("logout", "Uitgelogd"),
        RolesChanged = ("roles_changed", "Rollen gewijzigd"),
        ProfileExported = ("profile_exported", "Gegevens gedownload"),
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
