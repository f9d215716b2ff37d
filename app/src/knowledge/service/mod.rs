//! Services over the documents table (server only). The content pipeline: `import`, `export`,
//! `search`, `feed`; reading: `documents` (factsheets), `courses` (courses, modules, self-checks,
//! progress); editing: `workflow` (revisions, review, publication, withdrawal).

pub mod courses;
pub mod documents;
pub mod export;
pub mod feed;
pub mod import;
pub mod search;
pub mod workflow;
