//! Server functions of messaging: the admins' outbox overview. Queuing a failed mail again is
//! a plain form post (`routes.rs`).

use leptos::prelude::*;

use crate::error::AppError;
use crate::messaging::model::OutboxView;

/// Whether a mail server is configured, put in the app context by the server at start-up.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub mailer: Option<crate::messaging::service::smtp::Mailer>,
}

/// Counts and the newest mails; `opnieuw` is the outcome of a "queue again" post.
#[server(endpoint = "outbox_overview")]
pub async fn outbox_overview(opnieuw: Option<String>) -> Result<OutboxView, AppError> {
    use crate::identity::access::Action;
    crate::identity::service::current::authorize_user(Action::ViewOutbox).await?;
    let context = crate::context::app_context()?;
    let outgoing = context.get::<Outgoing>()?;
    let mut view =
        crate::messaging::service::outbox::overview(&context.db, outgoing.mailer.is_some()).await?;
    view.notice = match opnieuw.as_deref() {
        Some("ok") => Some("De e-mail staat weer in de wachtrij.".to_owned()),
        Some(_) => Some(
            "Die e-mail kon niet opnieuw in de wachtrij: alleen een mislukte e-mail kan dat."
                .to_owned(),
        ),
        None => None,
    };
    Ok(view)
}
