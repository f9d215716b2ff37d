//! What a form post ended in, shown once on the page it returns to: the one notice every
//! domain's pages show (through `ui::feedback::Outcome`) and every form handler stores
//! (through `flash::redirect_with`).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub success: bool,
    pub message: String,
}

impl Notice {
    pub fn done(message: impl Into<String>) -> Self {
        Self {
            success: true,
            message: message.into(),
        }
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            success: false,
            message: message.into(),
        }
    }
}
