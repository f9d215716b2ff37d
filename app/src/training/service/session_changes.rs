//! What a save did to a run's sessions: written by the save (browser or file), read by the
//! mails that tell the participants.

use crate::training::entity::run_session;

/// What a save did to a run's sessions, for the mails to its participants.
#[derive(Debug, Default)]
pub struct SessionChanges {
    /// (before, after) of sessions whose date, time, place or link changed.
    pub changed: Vec<(run_session::Model, run_session::Model)>,
    pub added: Vec<run_session::Model>,
    pub removed: Vec<run_session::Model>,
}

impl SessionChanges {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}
