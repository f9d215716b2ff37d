//! Resource-scoped access to documents, on top of [`can_on`]: who stands how to one document.
//! Pure, so the editor shows the approve button exactly when the workflow will accept it.

use crate::identity::access::{Action, Relation, Viewer, can_on};

/// What the workflow knows about who worked on a document in review.
#[derive(Clone, Copy, Debug)]
pub struct ReviewFacts<'a> {
    pub submitted_by: Option<i32>,
    /// The published revision, if any: revisions after it are what the approver judges.
    pub published: Option<i32>,
    /// `(revision number, author)` of every revision.
    pub revisions: &'a [(i32, Option<i32>)],
}

/// A contributor submitted the document or wrote any revision since its last publication.
pub fn relation_to_review(user_id: i32, facts: ReviewFacts<'_>) -> Relation {
    let wrote_part = facts.revisions.iter().any(|&(number, author)| {
        author == Some(user_id) && facts.published.is_none_or(|published| number > published)
    });
    if wrote_part || facts.submitted_by == Some(user_id) {
        Relation::Contributor
    } else {
        Relation::Unrelated
    }
}

pub fn may_approve(viewer: &Viewer, facts: ReviewFacts<'_>) -> bool {
    can_on(
        Some(viewer),
        Action::ApproveDocument,
        relation_to_review(viewer.user_id, facts),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::access::Role;

    const ANNA: i32 = 1;
    const BART: i32 = 2;
    const CEES: i32 = 3;

    fn editor(user_id: i32) -> Viewer {
        Viewer {
            user_id,
            display_name: None,
            roles: vec![Role::Editor],
            profile_complete: true,
        }
    }

    #[test]
    fn anyone_who_wrote_since_the_last_publication_is_a_contributor() {
        // Anna published revision 2; Bart wrote 3, Anna 4, Cees submitted.
        let revisions = [(1, None), (2, Some(ANNA)), (3, Some(BART)), (4, Some(ANNA))];
        let facts = ReviewFacts {
            submitted_by: Some(CEES),
            published: Some(2),
            revisions: &revisions,
        };
        for user in [ANNA, BART, CEES] {
            assert_eq!(relation_to_review(user, facts), Relation::Contributor);
            assert!(!may_approve(&editor(user), facts));
        }
        assert!(may_approve(&editor(4), facts));
    }

    #[test]
    fn writing_an_earlier_published_version_does_not_count() {
        let revisions = [(1, Some(ANNA)), (2, Some(BART))];
        let facts = ReviewFacts {
            submitted_by: Some(BART),
            published: Some(1),
            revisions: &revisions,
        };
        assert_eq!(relation_to_review(ANNA, facts), Relation::Unrelated);
        // Never published: every revision counts.
        let facts = ReviewFacts {
            published: None,
            ..facts
        };
        assert_eq!(relation_to_review(ANNA, facts), Relation::Contributor);
    }
}
