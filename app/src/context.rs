//! The application context every server function and page resource reads (server only): the
//! database, the clock, the public address, and each domain's own shared state (such as the
//! search index) as a typed extension, so this core module needs to know no domain.

use std::sync::Arc;

use axum::http::Extensions;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::clock::Clock;
use crate::error::AppError;

/// Who the platform speaks for (`ORGANISATION_NAME`): the signature of its mail, the sender
/// named on certificates.
#[derive(Clone, Debug)]
pub struct Organisation(pub String);

#[derive(Clone, Debug)]
pub struct AppContext {
    pub db: DatabaseConnection,
    pub clock: Clock,
    /// `PUBLIC_URL`, for absolute links (feed, calendar).
    pub public_url: String,
    extensions: Arc<Extensions>,
}

impl AppContext {
    pub fn new(db: DatabaseConnection, clock: Clock, public_url: String) -> Self {
        crate::ics::set_uid_host(&public_url);
        Self {
            db,
            clock,
            public_url,
            extensions: Arc::new(Extensions::new()),
        }
    }

    /// Adds a domain's shared state (at start-up, before the context is shared).
    pub fn with<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        Arc::make_mut(&mut self.extensions).insert(value);
        self
    }

    /// Shared state that start-up adds only when configured (e.g. the login provider's origin).
    pub fn optional<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        self.extensions.get::<T>().cloned()
    }

    /// A domain's shared state, or an internal error (logged) when start-up did not add it.
    pub fn get<T: Clone + Send + Sync + 'static>(&self) -> Result<T, AppError> {
        self.extensions.get::<T>().cloned().ok_or_else(|| {
            tracing::error!(
                missing = std::any::type_name::<T>(),
                "not in the app context"
            );
            AppError::Internal
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The configured organisation's name (the default when start-up set none).
    pub fn organisation(&self) -> String {
        self.extensions
            .get::<Organisation>()
            .map(|organisation| organisation.0.clone())
            .unwrap_or_else(|| crate::vocabulary::DEFAULT_ORGANISATION.to_owned())
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Puts this context into the current request's reactive context.
    pub fn provide(&self) {
        leptos::prelude::provide_context(self.clone());
    }
}

/// The context the server provided for this request.
pub fn app_context() -> Result<AppContext, AppError> {
    leptos::prelude::use_context::<AppContext>().ok_or_else(|| {
        tracing::error!("no app context in the request");
        AppError::Internal
    })
}

/// The request's database connection.
pub fn db() -> Result<DatabaseConnection, AppError> {
    Ok(app_context()?.db)
}
