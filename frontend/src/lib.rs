//! The browser's WASM module: the app library's islands and its `hydrate` entry point, which
//! the cdylib exports from the app crate (see `app::hydrate`).

#[cfg(target_arch = "wasm32")]
pub use app::hydrate;
