//! How a viewer stands to a group, from stored facts, for the access module to decide on.

use crate::identity::access::Relation;

/// A member counts as inside only after accepting the group's current confidentiality
/// agreement; until then they see the agreement and nothing else.
pub fn relation_to_group(
    is_facilitator: bool,
    is_member: bool,
    accepted_current: bool,
) -> Relation {
    if is_facilitator {
        Relation::FacilitatorOfGroup
    } else if is_member && accepted_current {
        Relation::MemberOfGroup
    } else {
        Relation::Unrelated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_inside_only_after_accepting_the_current_agreement() {
        assert_eq!(relation_to_group(false, true, false), Relation::Unrelated);
        assert_eq!(
            relation_to_group(false, true, true),
            Relation::MemberOfGroup
        );
        assert_eq!(relation_to_group(false, false, true), Relation::Unrelated);
        assert_eq!(
            relation_to_group(true, false, false),
            Relation::FacilitatorOfGroup
        );
    }
}
