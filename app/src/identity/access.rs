//! The one place that decides who may do what. Server functions, routes and the navigation
//! all ask [`can`]; nothing else looks at roles. Compiled for the browser too, so links to
//! pages a user may not open are never rendered.

use serde::{Deserialize, Serialize};

crate::vocabulary! {
    /// Roles, held in addition to being a participant (which every logged-in user is).
    pub enum Role {
        Participant = ("participant", "Deelnemer"),
        Trainer = ("trainer", "Trainer"),
        Facilitator = ("facilitator", "Intervisiebegeleider"),
        Editor = ("editor", "Redacteur"),
        Admin = ("admin", "Beheerder"),
    }
}

impl Role {
    /// Roles an admin can grant; `participant` is implied by having an account.
    pub const ASSIGNABLE: [Role; 4] = [Role::Trainer, Role::Facilitator, Role::Editor, Role::Admin];
}

/// The logged-in user as pages and server functions see them. Contains no tokens and nothing
/// from the profile beyond the name shown in the header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i32,
    pub display_name: Option<String>,
    pub roles: Vec<Role>,
    pub profile_complete: bool,
}

impl Viewer {
    pub fn has_role(&self, role: Role) -> bool {
        role == Role::Participant || self.roles.contains(&role)
    }

    /// What the header shows: the name from the profile, or a neutral word before it exists.
    pub fn greeting_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or("Mijn account")
    }
}

/// Everything a user can ask to do, with the resource it concerns where that matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Published factsheets and modules are public knowledge.
    ReadPublishedKnowledge,
    /// Own profile: view, edit, download everything held about oneself.
    ManageOwnProfile,
    /// The editors' overview of all documents, their owners and review dates.
    ViewEditorialDashboard,
    /// Write, submit, withdraw and restore documents.
    EditKnowledge,
    /// Publish a document in review: an editor who did not contribute to it (see
    /// [`Relation::Contributor`]); resource-scoped, decided by [`can_on`].
    ApproveDocument,
    /// Assign roles to accounts.
    ManageRoles,
    /// Read the audit log.
    ReadAuditLog,
    /// Enrol in a training run and manage one's own enrolments (confirm an offer, decline,
    /// cancel); a complete profile is required on top (the work field decides the mix).
    Enrol,
    /// A run's roster, requests, approval, capacity and cancellation: its trainers and admins;
    /// resource-scoped (see [`Relation::TrainerOfRun`]).
    ManageRun,
    /// Add a run to a training (its trainer then manages it): trainers and admins.
    CreateRun,
    /// The runs one gives, with how full they are and what waits (`/mijn/uitvoeringen`):
    /// trainers.
    ViewOwnRuns,
    /// Every run with how full it is, what waits and this week's sessions
    /// (`/beheer/trainingen`): admins, who coordinate the trainings.
    CoordinateTrainings,
    /// The mail outbox: what was queued, sent and failed, and queuing a failed mail again.
    ViewOutbox,
    /// One's own intervision groups, and joining one with an invitation link.
    JoinGroup,
    /// Start an intervision group (and lead it): facilitators.
    CreateGroup,
    /// Read and write inside a group (dilemmas, threads): its members and facilitators only,
    /// never an admin; resource-scoped (see [`Relation::MemberOfGroup`]).
    ReadGroup,
    /// Invite, see who read what: the group's own facilitators; resource-scoped.
    LeadGroup,
    /// Every intervision group's facilitators and members (hand a group over, remove a
    /// member), never its content: admins.
    ManageGroups,
    /// Issue a certificate by hand or revoke one, each with a reason (audited): admins.
    ManageCertificates,
    /// The reports (`/beheer/rapportage`): counts only, small ones suppressed; admins, who
    /// coordinate the trainings, and editors, who keep the knowledge.
    ViewReports,
}

/// Every action, for exhaustive tests and the access matrix.
pub const ALL_ACTIONS: [Action; 20] = [
    Action::ReadPublishedKnowledge,
    Action::ManageOwnProfile,
    Action::ViewEditorialDashboard,
    Action::EditKnowledge,
    Action::ApproveDocument,
    Action::ManageRoles,
    Action::ReadAuditLog,
    Action::Enrol,
    Action::ManageRun,
    Action::CreateRun,
    Action::ViewOwnRuns,
    Action::CoordinateTrainings,
    Action::ViewOutbox,
    Action::JoinGroup,
    Action::CreateGroup,
    Action::ReadGroup,
    Action::LeadGroup,
    Action::ManageGroups,
    Action::ManageCertificates,
    Action::ViewReports,
];

/// Whether `viewer` (None: anonymous) may perform `action`.
pub fn can(viewer: Option<&Viewer>, action: Action) -> bool {
    match action {
        Action::ReadPublishedKnowledge => true,
        Action::ManageOwnProfile | Action::Enrol | Action::JoinGroup | Action::ReadGroup => {
            viewer.is_some()
        }
        Action::CreateGroup | Action::LeadGroup => {
            viewer.is_some_and(|v| v.has_role(Role::Facilitator))
        }
        Action::ViewOwnRuns => viewer.is_some_and(|v| v.has_role(Role::Trainer)),
        Action::ManageRun | Action::CreateRun => {
            viewer.is_some_and(|v| v.has_role(Role::Trainer) || v.has_role(Role::Admin))
        }
        Action::ViewEditorialDashboard | Action::EditKnowledge | Action::ApproveDocument => {
            viewer.is_some_and(|v| v.has_role(Role::Editor))
        }
        Action::ManageRoles
        | Action::ReadAuditLog
        | Action::ViewOutbox
        | Action::ManageGroups
        | Action::CoordinateTrainings
        | Action::ManageCertificates => viewer.is_some_and(|v| v.has_role(Role::Admin)),
        Action::ViewReports => {
            viewer.is_some_and(|v| v.has_role(Role::Admin) || v.has_role(Role::Editor))
        }
    }
}

/// How the viewer stands to the one resource an action concerns, as the domain's policy (e.g.
/// `knowledge::policy`) established it from stored facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// No tie to the resource.
    Unrelated,
    /// Wrote or submitted part of what is to be judged.
    Contributor,
    /// Is one of the run's trainers.
    TrainerOfRun,
    /// Is a member of the group and has accepted its current confidentiality agreement.
    MemberOfGroup,
    /// Is one of the group's facilitators.
    FacilitatorOfGroup,
}

/// Every relation, for exhaustive tests and the access matrix.
pub const ALL_RELATIONS: [Relation; 5] = [
    Relation::Unrelated,
    Relation::Contributor,
    Relation::TrainerOfRun,
    Relation::MemberOfGroup,
    Relation::FacilitatorOfGroup,
];

/// Whether `viewer` may perform `action` on a resource they stand to as `relation`: the role
/// check of [`can`], narrowed by the resource.
pub fn can_on(viewer: Option<&Viewer>, action: Action, relation: Relation) -> bool {
    can(viewer, action)
        && match action {
            // Four eyes: whoever wrote or submitted the text under review cannot publish it.
            Action::ApproveDocument => relation != Relation::Contributor,
            // A trainer manages the runs they train, an admin every run.
            Action::ManageRun => {
                relation == Relation::TrainerOfRun
                    || viewer.is_some_and(|v| v.has_role(Role::Admin))
            }
            // Closed groups: only who is inside reads, whatever their roles elsewhere.
            Action::ReadGroup => matches!(
                relation,
                Relation::MemberOfGroup | Relation::FacilitatorOfGroup
            ),
            Action::LeadGroup => relation == Relation::FacilitatorOfGroup,
            _ => true,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(roles: &[Role]) -> Viewer {
        Viewer {
            user_id: 1,
            display_name: None,
            roles: roles.to_vec(),
            profile_complete: true,
        }
    }

    #[test]
    fn anonymous_may_only_read() {
        for action in ALL_ACTIONS {
            assert_eq!(
                can(None, action),
                action == Action::ReadPublishedKnowledge,
                "{action:?}"
            );
        }
    }

    #[test]
    fn roles_grant_exactly_their_actions() {
        let participant = viewer(&[]);
        let editor = viewer(&[Role::Editor]);
        let admin = viewer(&[Role::Admin]);
        assert!(can(Some(&participant), Action::ManageOwnProfile));
        assert!(!can(Some(&participant), Action::ViewEditorialDashboard));
        assert!(can(Some(&editor), Action::ViewEditorialDashboard));
        assert!(!can(Some(&editor), Action::ManageRoles));
        assert!(can(Some(&admin), Action::ManageRoles));
        assert!(can(Some(&admin), Action::ReadAuditLog));
        // Admin is not implicitly an editor: roles are granted one by one.
        assert!(!can(Some(&admin), Action::ViewEditorialDashboard));
        // The runs one gives are a trainer's page; an admin sees every run elsewhere.
        assert!(can(Some(&viewer(&[Role::Trainer])), Action::ViewOwnRuns));
        assert!(!can(Some(&admin), Action::ViewOwnRuns));
        assert!(!can(Some(&participant), Action::ViewOwnRuns));
    }

    #[test]
    fn only_an_editor_who_did_not_contribute_may_approve() {
        let editor = viewer(&[Role::Editor]);
        let admin = viewer(&[Role::Admin]);
        for relation in ALL_RELATIONS {
            assert_eq!(
                can_on(Some(&editor), Action::ApproveDocument, relation),
                relation != Relation::Contributor,
                "{relation:?}"
            );
            assert!(!can_on(Some(&admin), Action::ApproveDocument, relation));
            assert!(!can_on(None, Action::ApproveDocument, relation));
        }
        // Scope narrows, never widens: unscoped actions are decided by the role alone.
        for action in ALL_ACTIONS {
            for relation in ALL_RELATIONS {
                if can_on(Some(&admin), action, relation) {
                    assert!(can(Some(&admin), action), "{action:?}");
                }
            }
        }
    }

    #[test]
    fn a_trainer_manages_only_their_runs_and_an_admin_every_run() {
        let trainer = viewer(&[Role::Trainer]);
        let admin = viewer(&[Role::Admin]);
        let participant = viewer(&[]);
        for relation in ALL_RELATIONS {
            assert_eq!(
                can_on(Some(&trainer), Action::ManageRun, relation),
                relation == Relation::TrainerOfRun,
                "{relation:?}"
            );
            assert!(can_on(Some(&admin), Action::ManageRun, relation));
            assert!(!can_on(Some(&participant), Action::ManageRun, relation));
            assert!(!can_on(None, Action::ManageRun, relation));
        }
        assert!(can(Some(&participant), Action::Enrol));
        assert!(!can(None, Action::Enrol));
    }

    #[test]
    fn only_who_is_inside_a_group_reads_it_and_only_its_facilitators_lead_it() {
        let member = viewer(&[]);
        let facilitator = viewer(&[Role::Facilitator]);
        let admin = viewer(&[Role::Admin]);
        for relation in ALL_RELATIONS {
            let inside = matches!(
                relation,
                Relation::MemberOfGroup | Relation::FacilitatorOfGroup
            );
            assert_eq!(can_on(Some(&member), Action::ReadGroup, relation), inside);
            // An admin manages groups but reads nothing inside one.
            assert_eq!(can_on(Some(&admin), Action::ReadGroup, relation), inside);
            assert!(!can_on(None, Action::ReadGroup, relation));
            assert_eq!(
                can_on(Some(&facilitator), Action::LeadGroup, relation),
                relation == Relation::FacilitatorOfGroup,
                "{relation:?}"
            );
            assert!(!can_on(Some(&member), Action::LeadGroup, relation));
        }
        assert!(can(Some(&facilitator), Action::CreateGroup));
        assert!(!can(Some(&member), Action::CreateGroup));
        assert!(!can(Some(&admin), Action::CreateGroup));
    }

    #[test]
    fn role_slugs_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_slug(role.slug()), Some(role));
        }
        assert_eq!(Role::from_slug("root"), None);
    }
}
