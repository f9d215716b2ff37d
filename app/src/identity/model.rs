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
    /// Saved; `next` is where the user continues (a first profile asked for at login).
    Saved {
        next: Option<String>,
    },
    Invalid(FieldErrors),
}

/// One account as the admin page lists it: no register numbers, no work field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i32,
    /// The name, or "account zonder profiel (#id)": the same words as in the audit log.
    pub label: String,
    pub organisation: Option<String>,
    pub roles: Vec<Role>,
    /// In Dutch, Amsterdam time; formatted on the server, so the roles table (an island) does
    /// not ship the time-zone database to the browser.
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
        DocumentSubmitted = ("document_submitted", "Document ter goedkeuring aangeboden"),
        DocumentApproved = ("document_approved", "Document goedgekeurd en gepubliceerd"),
        DocumentWithdrawn = ("document_withdrawn", "Document ingetrokken"),
        DocumentRestored = ("document_restored", "Oudere versie teruggezet"),
        GroupManaged = ("group_managed", "Intervisiegroep beheerd"),
        CertificateRevoked = ("certificate_revoked", "Certificaat ingetrokken"),
        CertificateIssued = ("certificate_issued", "Certificaat met de hand uitgegeven"),
        EnrolledOnBehalf = ("enrolled_on_behalf", "Ingeschreven door een coördinator"),
        AccountErased = ("account_erased", "Account op verzoek gewist"),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i32,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub event: AuditEventKind,
    pub actor_user_id: Option<i32>,
    pub subject_user_id: Option<i32>,
    /// Account labels of actor and subject (see [`account_label`]).
    pub actor: Option<String>,
    pub subject: Option<String>,
    /// In Dutch (see [`audit_detail_nl`]).
    pub detail: String,
}

/// A stretch of the audit log, newest first. Half a million events are not counted or skipped
/// to show one stretch: it is found from the event next to it (keyset paging).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The first entry's id, when newer events exist.
    pub newer_than: Option<i32>,
    /// The last entry's id, when older events exist.
    pub older_than: Option<i32>,
}

/// Which stretch of the audit log to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditStretch {
    #[default]
    Newest,
    /// The events just before this one.
    Before(i32),
    /// The events just after this one.
    After(i32),
}

pub const AUDIT_PAGE_SIZE: u64 = 50;

/// One page of the admin's account list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub page: u64,
    pub page_count: u64,
    /// Who decides roles; with [`RolesSource::Provider`] the page shows them read-only.
    pub roles_source: RolesSource,
}

/// Where roles come from. With `OIDC_ROLES_CLAIM` set the login service is authoritative:
/// roles are replaced at each login and nobody changes them on the platform.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RolesSource {
    #[default]
    Platform,
    Provider,
}

impl RolesSource {
    /// The one reading of the app context: no entry means the platform manages roles.
    #[cfg(feature = "ssr")]
    pub fn current() -> Result<Self, crate::error::AppError> {
        Ok(crate::context::app_context()?
            .get::<RolesSource>()
            .unwrap_or_default())
    }
}

/// Why a role change is refused while the login service decides roles.
pub const ROLES_FROM_PROVIDER_NL: &str = "De rollen komen uit de inlogdienst en worden daar beheerd. Wijzig ze daar; een wijziging geldt vanaf de volgende keer dat iemand inlogt.";

pub const USERS_PAGE_SIZE: u64 = 50;

/// How staff pages name an account: its name, or a neutral phrase with its number before the
/// profile exists.
pub fn account_label(id: i32, display_name: Option<&str>) -> String {
    match display_name.map(str::trim).filter(|name| !name.is_empty()) {
        Some(name) => name.to_owned(),
        None => format!("account zonder profiel (#{id})"),
    }
}

/// An audit entry's stored detail in plain Dutch: reason codes of failed logins, and role
/// changes (`old → new (source)`, roles as slugs) with the roles' Dutch names.
pub fn audit_detail_nl(event: AuditEventKind, detail: &str) -> String {
    match event {
        AuditEventKind::LoginFailed => match login_failure_nl(detail) {
            Some(reason) => reason.to_owned(),
            None => format!("andere reden ({detail})"),
        },
        AuditEventKind::RolesChanged => {
            let (change, source) = match detail.rsplit_once(" (") {
                Some((change, source)) => (change, source.trim_end_matches(')')),
                None => (detail, ""),
            };
            let roles = |slugs: &str| {
                let names: Vec<&str> = slugs
                    .split(',')
                    .filter_map(Role::from_slug)
                    .map(Role::label)
                    .collect();
                if names.is_empty() {
                    "geen rollen".to_owned()
                } else {
                    names.join(", ")
                }
            };
            let Some((old, new)) = change.split_once(" → ") else {
                return detail.to_owned();
            };
            let source = match source {
                "beheer" => " (door een beheerder)",
                "ID-token" => " (door de inlogdienst)",
                "ADMIN_SUBJECTS" => " (vaste beheerder uit de instellingen)",
                _ => "",
            };
            format!("{} → {}{source}", roles(old), roles(new))
        }
        _ => detail.to_owned(),
    }
}

fn login_failure_nl(code: &str) -> Option<&'static str> {
    Some(match code {
        "provider_error" => "afgebroken bij de inlogdienst",
        "no_pending_login" => "geen lopende inlogpoging (oude, gedeelde of herhaalde link)",
        "missing_state" | "missing_code" => "onvolledig antwoord van de inlogdienst",
        "state_mismatch" => "controlewaarde klopt niet (mogelijk vervalst verzoek)",
        "login_expired" => "inlogpoging verlopen (langer dan 10 minuten)",
        "no_token_endpoint" | "token_exchange" | "no_id_token" => {
            "de inlogdienst gaf geen geldig antwoord"
        }
        "token_expired" => "identiteitsbewijs verlopen",
        "token_audience" => "identiteitsbewijs bedoeld voor een andere toepassing",
        "token_issuer" => "identiteitsbewijs van een andere uitgever",
        "token_nonce" => "identiteitsbewijs hoort niet bij deze inlogpoging",
        "token_signature" => "handtekening van het identiteitsbewijs ongeldig",
        "token_unsupported" | "token_invalid" => "ongeldig identiteitsbewijs",
        "session_store" | "database" => "storing bij het opslaan",
        "roles_claim_missing" => "de inlogdienst gaf geen rollen door",
        _ => return None,
    })
}

#[cfg(test)]
mod audit_wording_tests {
    use super::*;

    #[test]
    fn audit_details_read_as_dutch() {
        assert_eq!(
            audit_detail_nl(
                AuditEventKind::RolesChanged,
                "editor → trainer,editor (beheer)"
            ),
            "Redacteur → Trainer, Redacteur (door een beheerder)"
        );
        assert_eq!(
            audit_detail_nl(AuditEventKind::RolesChanged, " → admin (ID-token)"),
            "geen rollen → Beheerder (door de inlogdienst)"
        );
        assert_eq!(
            audit_detail_nl(AuditEventKind::RolesChanged, " → admin (ADMIN_SUBJECTS)"),
            "geen rollen → Beheerder (vaste beheerder uit de instellingen)"
        );
        assert_eq!(
            audit_detail_nl(AuditEventKind::LoginFailed, "no_pending_login"),
            "geen lopende inlogpoging (oude, gedeelde of herhaalde link)"
        );
        assert!(!audit_detail_nl(AuditEventKind::LoginFailed, "token_nonce").contains('_'));
    }

    #[test]
    fn accounts_without_a_profile_are_named_neutrally() {
        assert_eq!(account_label(5, None), "account zonder profiel (#5)");
        assert_eq!(account_label(5, Some("  ")), "account zonder profiel (#5)");
        assert_eq!(account_label(5, Some("Anna")), "Anna");
    }
}

/// One page of the admins' navigation (`/beheer/…`), shown to those the access module lets do
/// `action`. Each domain lists its own ([`ADMIN_PAGES`] here); the shell puts them together in
/// [`AdminPages`] for `AdminNav`, so identity names no other domain's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdminPage {
    pub action: crate::identity::access::Action,
    pub href: &'static str,
    pub label: &'static str,
}

/// Every domain's admin pages, in the navigation's order (a Leptos context the shell provides).
#[derive(Clone, Debug, Default)]
pub struct AdminPages(pub Vec<AdminPage>);

/// Identity's admin pages.
pub const ADMIN_PAGES: [AdminPage; 2] = [
    AdminPage {
        action: crate::identity::access::Action::ManageRoles,
        href: "/beheer/gebruikers",
        label: "Gebruikers",
    },
    AdminPage {
        action: crate::identity::access::Action::ReadAuditLog,
        href: "/beheer/audit",
        label: "Auditlog",
    },
];
