//! The answer a plain form post gets directly instead of a redirect: a refusal, or a new
//! secret link that is shown once. A handler returns a [`FramedAnswer`] as its response; the
//! server renders it through the app in the site's frame (see `ui::answer` and the server's
//! `framed_answers` layer), so the person keeps their header, menu and a way on.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FramedAnswer {
    pub status: u16,
    pub title: String,
    pub message: String,
    /// A new calendar or invitation link: in this response only, never stored (not in the
    /// session, not in a URL), so it is shown once.
    pub secret_link: Option<String>,
    /// `(local path, label)`: where to go on.
    pub way_on: (String, String),
    /// The visitor must log in (again): the login leads back to `way_on`.
    pub needs_login: bool,
    /// Asks before a form post that cannot be undone: the same post again, confirmed.
    pub confirm: Option<Confirmation>,
}

/// A confirmation asked in the answer to a form post: a form that posts the same fields to
/// the same address with [`CONFIRMED_FIELD`] added, and `way_on` as "no". Works without
/// JavaScript, and one answer serves every form that needs one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    pub action: String,
    /// The fields as posted, sent along again.
    pub fields: Vec<(String, String)>,
    pub button: String,
}

/// The field a confirmed post carries.
pub const CONFIRMED_FIELD: &str = "bevestigd";

/// Whether a posted form was confirmed (see [`FramedAnswer::confirmation`]).
pub fn confirmed(fields: &[(String, String)]) -> bool {
    fields
        .iter()
        .any(|(name, value)| name == CONFIRMED_FIELD && value == "ja")
}

/// The fields of a posted group named `<name>[<key>]` (ticked boxes, a mark per row), as
/// (key, value) in the order posted.
pub fn keyed_fields<'a>(
    fields: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    fields.iter().filter_map(move |(field, value)| {
        let key = field
            .strip_prefix(name)?
            .strip_prefix('[')?
            .strip_suffix(']')?;
        Some((key, value.as_str()))
    })
}

impl FramedAnswer {
    /// A new secret link, shown in this response only.
    pub fn secret_link(title: &str, message: String, link: String, way_on: (&str, &str)) -> Self {
        Self {
            status: 200,
            title: title.to_owned(),
            message,
            secret_link: Some(link),
            way_on: (way_on.0.to_owned(), way_on.1.to_owned()),
            needs_login: false,
            confirm: None,
        }
    }

    /// What a post did, when there is no page of its own to go back to (e.g. after leaving a
    /// group, whose pages are closed to the person now).
    pub fn done(title: &str, message: String, way_on: (&str, &str)) -> Self {
        Self {
            status: 200,
            title: title.to_owned(),
            message,
            secret_link: None,
            way_on: (way_on.0.to_owned(), way_on.1.to_owned()),
            needs_login: false,
            confirm: None,
        }
    }

    /// Asks "`message`" before the post to `action` (with `fields`) is carried out; `button`
    /// confirms, `way_on` declines.
    pub fn confirmation(
        title: &str,
        message: String,
        action: String,
        fields: Vec<(String, String)>,
        button: &str,
        way_on: (&str, &str),
    ) -> Self {
        Self {
            status: 200,
            title: title.to_owned(),
            message,
            secret_link: None,
            way_on: (way_on.0.to_owned(), way_on.1.to_owned()),
            needs_login: false,
            confirm: Some(Confirmation {
                action,
                fields: fields
                    .into_iter()
                    .filter(|(name, _)| name != CONFIRMED_FIELD)
                    .collect(),
                button: button.to_owned(),
            }),
        }
    }

    /// The refusal of `error`, with one way on.
    pub fn refusal(error: &crate::error::AppError, back_href: &str, back_label: &str) -> Self {
        Self {
            status: error.status_code(),
            title: error.title(),
            message: error.to_string(),
            secret_link: None,
            way_on: (back_href.to_owned(), back_label.to_owned()),
            needs_login: *error == crate::error::AppError::Unauthenticated,
            confirm: None,
        }
    }
}

#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for FramedAnswer {
    /// The status, never cached, and the answer for the server's layer to render; the plain
    /// text body is what remains where no layer renders it.
    fn into_response(self) -> axum::response::Response {
        use axum::http::{HeaderValue, StatusCode, header};
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = format!("{}\n\n{}", self.title, self.message);
        let mut response = (status, body).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response.extensions_mut().insert(self);
        response
    }
}

/// The page a plain form post answers with when it fails for a reason that is not the user's
/// typing: the error's status, title and Dutch message, and one link onwards, in the site's
/// frame.
#[cfg(feature = "ssr")]
pub fn error_response(
    error: &crate::error::AppError,
    back_href: &str,
    back_label: &str,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    FramedAnswer::refusal(error, back_href, back_label).into_response()
}

/// Where a domain's refusals lead on: its own start page.
pub trait WayOn {
    const HREF: &'static str;
    const LABEL: &'static str;
}

/// A form handler's error: any [`crate::error::AppError`] (or service error, mapped once by
/// its `From`) answered as a framed refusal with the way on of `W`. Handlers return
/// `Result<Response, Refusal<W>>` and use `?`.
#[cfg(feature = "ssr")]
pub struct Refusal<W: WayOn> {
    pub error: crate::error::AppError,
    way_on: std::marker::PhantomData<W>,
}

#[cfg(feature = "ssr")]
impl<W: WayOn> From<crate::error::AppError> for Refusal<W> {
    fn from(error: crate::error::AppError) -> Self {
        Self {
            error,
            way_on: std::marker::PhantomData,
        }
    }
}

#[cfg(feature = "ssr")]
impl<W: WayOn> From<crate::error::ServiceError> for Refusal<W> {
    fn from(error: crate::error::ServiceError) -> Self {
        crate::error::AppError::from(error).into()
    }
}

#[cfg(feature = "ssr")]
impl<W: WayOn> axum::response::IntoResponse for Refusal<W> {
    fn into_response(self) -> axum::response::Response {
        error_response(&self.error, W::HREF, W::LABEL)
    }
}
