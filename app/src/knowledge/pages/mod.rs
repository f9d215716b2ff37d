//! Knowledge pages: factsheets, courses and modules, search, the editor and the editorial overview.

pub mod courses;
pub mod editor;
pub mod editorial;
pub mod factsheets;
pub mod search;
pub mod themes;
