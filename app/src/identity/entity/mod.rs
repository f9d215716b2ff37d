//! Tables of the identity domain.

pub mod audit_event;
pub mod register_number;
pub mod session;
pub mod user;
pub mod user_role;
