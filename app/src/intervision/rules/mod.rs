//! Pure rules of intervision.

#[cfg(feature = "ssr")]
pub mod pii;
