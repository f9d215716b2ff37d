//! How the viewer stands to a run, for the access module's resource-scoped checks.

use crate::identity::access::Relation;

/// A trainer assigned to the run, or nobody in particular.
pub fn relation_to_run(is_trainer_of_run: bool) -> Relation {
    if is_trainer_of_run {
        Relation::TrainerOfRun
    } else {
        Relation::Unrelated
    }
}
