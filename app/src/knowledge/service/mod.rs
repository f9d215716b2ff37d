//! Services over the documents table (server only). The content pipeline: `import`, `export`,
//! `search`, `feed`; reading: `documents` (factsheets), `courses` (courses, modules, self-checks,
//! progress); editing: `workflow` (revisions, review, publication, withdrawal); `publication` counts
//! changes to the public site for the page caches.

pub mod backlog;
pub mod courses;
pub mod documents;
pub mod export;
pub mod feed;
pub mod import;
pub mod publication;
pub mod reviews;
pub mod search;
pub mod usage;
pub mod workflow;
