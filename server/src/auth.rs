//! OpenID Connect login (authorization-code flow with PKCE, state and nonce), logout, and
//! the middleware that turns the session into the request's user.
//!
//! Tokens never leave this module: the session holds only the account id and login time.

use std::time::Duration;

use app::identity::access::{Action, Role, can};
use app::identity::model::AuditEventKind;
use app::identity::service::accounts;
use app::identity::service::current::{
    AUTHENTICATED_AT_KEY, CurrentViewer, ID_TOKEN_HINT_KEY, PENDING_LOGIN_KEY, SUGGESTED_NAME_KEY,
    USER_ID_KEY,
};
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreIdTokenClaims, CoreIdTokenVerifier,
    CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, reqwest,
};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::AppState;
use crate::config::{Config, OidcSettings};

type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A login started more than this long ago is refused at the callback.
const PENDING_LOGIN_LIFETIME_SECONDS: i64 = 10 * 60;

/// Asymmetric algorithms only: never `none`, never HMAC with the client secret.
const ALLOWED_ALGORITHMS: [CoreJwsSigningAlgorithm; 5] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EdDsa,
];

/// The provider, discovered once at start-up.
pub struct Oidc {
    client: DiscoveredClient,
    http: reqwest::Client,
    issuer: String,
    roles_claim: Option<String>,
    listed_admins: Vec<String>,
    /// The provider's `end_session_endpoint`, if it offers RP-initiated logout.
    end_session: Option<openidconnect::url::Url>,
    client_id: String,
    /// Where the provider sends the browser after logging out there.
    post_logout_redirect: String,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.issuer)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("OIDC_ISSUER_URL '{0}' is not a URL")]
    IssuerUrl(String),
    #[error("PUBLIC_URL gives no valid redirect URL: {0}")]
    RedirectUrl(String),
    #[error("HTTP client: {0}")]
    Http(String),
    #[error("discovery at {issuer} failed: {reason}")]
    Discovery { issuer: String, reason: String },
    #[error("the provider says its issuer is '{found}', not the configured '{configured}'")]
    IssuerMismatch { configured: String, found: String },
}

impl Oidc {
    pub async fn discover(
        settings: &OidcSettings,
        config: &Config,
    ) -> Result<Self, DiscoveryError> {
        let issuer_url = IssuerUrl::new(settings.issuer_url.clone())
            .map_err(|_| DiscoveryError::IssuerUrl(settings.issuer_url.clone()))?;
        // No redirects: a provider endpoint that redirects elsewhere is an error (SSRF).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| DiscoveryError::Http(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer_url, &http)
            .await
            .map_err(|e| DiscoveryError::Discovery {
                issuer: settings.issuer_url.clone(),
                reason: error_chain(&e),
            })?;
        let found = metadata.issuer().as_str().to_owned();
        let end_session = end_session_endpoint(&http, &settings.issuer_url).await;
        if found != settings.issuer_url {
            return Err(DiscoveryError::IssuerMismatch {
                configured: settings.issuer_url.clone(),
                found,
            });
        }
        let redirect = RedirectUrl::new(config.redirect_url())
            .map_err(|e| DiscoveryError::RedirectUrl(e.to_string()))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id.clone()),
            settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect);
        Ok(Self {
            client,
            http,
            issuer: found,
            roles_claim: settings.roles_claim.clone(),
            listed_admins: settings.listed_admins.clone(),
            end_session,
            client_id: settings.client_id.clone(),
            post_logout_redirect: format!("{}/?uitgelogd", config.public_url),
        })
    }

    /// The origin of the provider's logout page, when it has one (the page policy must let
    /// the logout form lead there).
    pub fn logout_origin(&self) -> Option<String> {
        self.end_session
            .as_ref()
            .map(|url| url.origin().ascii_serialization())
    }

    /// Where to send the browser to end the provider's session too, when it offers that.
    fn logout_url(&self, id_token_hint: &str) -> Option<String> {
        let mut url = self.end_session.clone()?;
        url.query_pairs_mut()
            .append_pair("id_token_hint", id_token_hint)
            .append_pair("post_logout_redirect_uri", &self.post_logout_redirect)
            .append_pair("client_id", &self.client_id);
        Some(url.into())
    }

    fn verifier(&self) -> CoreIdTokenVerifier<'_> {
        self.client
            .id_token_verifier()
            .set_allowed_algs(ALLOWED_ALGORITHMS)
    }
}

/// `end_session_endpoint` from the provider's discovery document (the core metadata type does
/// not carry it). Absent, unreadable or not http(s): no RP-initiated logout.
async fn end_session_endpoint(
    http: &reqwest::Client,
    issuer: &str,
) -> Option<openidconnect::url::Url> {
    let body = http
        .get(format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        ))
        .send()
        .await
        .ok()?
        .bytes()
        .await
        .ok()?;
    let document: serde_json::Value = serde_json::from_slice(&body).ok()?;
    let url =
        openidconnect::url::Url::parse(document.get("end_session_endpoint")?.as_str()?).ok()?;
    matches!(url.scheme(), "https" | "http").then_some(url)
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// What the callback needs to finish a login this browser started. Single use.
#[derive(Serialize, Deserialize)]
struct PendingLogin {
    state: String,
    nonce: String,
    pkce_verifier: String,
    next: String,
    started_at: i64,
}

/// A local path to return to after login; anything else becomes `/`.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(app::paths::safe_local_path)
        .unwrap_or("/")
        .to_owned()
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// `GET /auth/login`: to the provider, with fresh state, nonce and PKCE challenge.
pub async fn login(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<LoginQuery>,
) -> Response {
    let Some(oidc) = state.oidc.as_deref() else {
        return auth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Inloggen is op deze installatie nog niet ingesteld. Neem contact op met de beheerder.",
        );
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = oidc
        .client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".to_owned()))
        .add_scope(Scope::new("email".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let pending = PendingLogin {
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next: safe_next(query.next.as_deref()),
        started_at: state.context.now().timestamp(),
    };
    if let Err(error) = session.insert(PENDING_LOGIN_KEY, pending).await {
        tracing::error!(%error, "session store failed at login");
        return auth_error(StatusCode::SERVICE_UNAVAILABLE, TRY_AGAIN);
    }
    Redirect::to(url.as_str()).into_response()
}

const TRY_AGAIN: &str =
    "Inloggen lukt op dit moment niet. Probeer het over een paar minuten opnieuw.";
const RESTART: &str = "Deze inlogpoging is verlopen, al gebruikt of in een andere browser begonnen. \
                       Begin opnieuw met inloggen.";

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Why a callback was refused: a short code for the audit log, never token content.
struct Refusal {
    status: StatusCode,
    reason: &'static str,
    message: &'static str,
}

impl Refusal {
    fn restart(reason: &'static str) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            reason,
            message: RESTART,
        }
    }
}

/// `GET /auth/callback`: checks state, exchanges the code with the PKCE verifier, verifies
/// the ID token (signature, algorithm, iss, aud, exp, nonce) and starts a new session.
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(oidc) = state.oidc.as_deref() else {
        return auth_error(StatusCode::SERVICE_UNAVAILABLE, TRY_AGAIN);
    };
    match finish_login(&state, oidc, &session, query).await {
        Ok(target) => Redirect::to(&target).into_response(),
        Err(refusal) => {
            tracing::warn!(reason = refusal.reason, "login refused");
            let _ = accounts::audit_session_event(
                &state.db,
                AuditEventKind::LoginFailed,
                None,
                refusal.reason,
                state.context.now(),
            )
            .await;
            auth_error(refusal.status, refusal.message)
        }
    }
}

/// The login in four steps: the pending login this callback answers, the provider's verified
/// ID token, the account it belongs to, and a fresh session for it; then where to go.
async fn finish_login(
    state: &AppState,
    oidc: &Oidc,
    session: &Session,
    query: CallbackQuery,
) -> Result<String, Refusal> {
    let (pending, code) = answered_login(state, session, query).await?;
    let (id_token, claims) = verified_id_token(oidc, &pending, code).await?;
    let user_id = account_of(state, oidc, &id_token, &claims).await?;
    start_session(state, oidc, session, user_id, &id_token).await?;
    let profile_complete = accounts::viewer(&state.db, user_id)
        .await
        .ok()
        .flatten()
        .is_some_and(|v| v.profile_complete);
    if profile_complete {
        return Ok(pending.next);
    }
    // The profile form proposes the name the provider knows.
    let suggested_name = claims
        .name()
        .and_then(|name| name.get(None))
        .map(|name| name.as_str().trim().chars().take(100).collect::<String>())
        .filter(|name| !name.is_empty());
    if let Some(name) = suggested_name {
        session
            .insert(SUGGESTED_NAME_KEY, name)
            .await
            .map_err(store_failed)?;
    }
    Ok(format!(
        "/profiel?volgende={}",
        app::paths::encode_path(&pending.next)
    ))
}

fn store_failed(error: tower_sessions::session::Error) -> Refusal {
    tracing::error!(%error, "session store failed at callback");
    Refusal {
        status: StatusCode::SERVICE_UNAVAILABLE,
        reason: "session_store",
        message: TRY_AGAIN,
    }
}

/// The pending login this callback answers (same state, not expired) and the code it brought.
async fn answered_login(
    state: &AppState,
    session: &Session,
    query: CallbackQuery,
) -> Result<(PendingLogin, String), Refusal> {
    // Taken out first, so whatever happens next this login attempt cannot be replayed.
    let pending: Option<PendingLogin> = session
        .remove(PENDING_LOGIN_KEY)
        .await
        .map_err(store_failed)?;
    // Stored now: the session layer does not save after a 5xx, which would leave it usable.
    if pending.is_some() {
        session.save().await.map_err(store_failed)?;
    }
    if query.error.is_some() {
        return Err(Refusal {
            status: StatusCode::BAD_REQUEST,
            reason: "provider_error",
            message: "De inlogdienst heeft het inloggen afgebroken. Probeer het opnieuw.",
        });
    }
    let pending = pending.ok_or_else(|| Refusal::restart("no_pending_login"))?;
    let returned_state = query
        .state
        .ok_or_else(|| Refusal::restart("missing_state"))?;
    if CsrfToken::new(returned_state) != CsrfToken::new(pending.state.clone()) {
        return Err(Refusal::restart("state_mismatch"));
    }
    if state.context.now().timestamp() - pending.started_at > PENDING_LOGIN_LIFETIME_SECONDS {
        return Err(Refusal::restart("login_expired"));
    }
    let code = query.code.ok_or_else(|| Refusal::restart("missing_code"))?;
    Ok((pending, code))
}

/// Exchanges `code` with the PKCE verifier and verifies the ID token (signature, algorithm,
/// iss, aud, exp, nonce).
async fn verified_id_token(
    oidc: &Oidc,
    pending: &PendingLogin,
    code: String,
) -> Result<(CoreIdToken, CoreIdTokenClaims), Refusal> {
    let token_failed = |reason| Refusal {
        status: StatusCode::BAD_GATEWAY,
        reason,
        message: "De inlogdienst gaf geen geldig antwoord. Probeer het opnieuw.",
    };
    let request = oidc
        .client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|_| token_failed("no_token_endpoint"))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()));
    let tokens = request.request_async(&oidc.http).await.map_err(|error| {
        tracing::warn!(error = %error_chain(&error), "token exchange failed");
        token_failed("token_exchange")
    })?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| token_failed("no_id_token"))?
        .clone();
    let claims = id_token
        .claims(&oidc.verifier(), &Nonce::new(pending.nonce.clone()))
        .map_err(|error| {
            tracing::warn!(%error, "ID token refused");
            Refusal {
                status: StatusCode::BAD_REQUEST,
                reason: claims_reason(&error),
                message: "Het inlogbewijs van de inlogdienst kon niet worden geverifieerd. Probeer het opnieuw.",
            }
        })?
        .clone();
    Ok((id_token, claims))
}

/// The account of the verified subject, with its roles and address as the provider (or the
/// list of admins) says now.
async fn account_of(
    state: &AppState,
    oidc: &Oidc,
    id_token: &CoreIdToken,
    claims: &CoreIdTokenClaims,
) -> Result<i32, Refusal> {
    // With a roles claim configured, the provider decides the roles: a token without the
    // claim is refused rather than read as "no roles" (which would silently demote everyone).
    let claimed_roles = match oidc.roles_claim.as_deref() {
        Some(claim) => Some(roles_from_token(&id_token.to_string(), claim).ok_or(Refusal {
            status: StatusCode::BAD_REQUEST,
            reason: "roles_claim_missing",
            message: "De inlogdienst gaf niet door welke rollen u heeft. Neem contact op met de beheerder van het leerplatform.",
        })?),
        None => None,
    };
    let subject = claims.subject().as_str();
    let now = state.context.now();
    let user_id = accounts::record_login(
        &state.db,
        &oidc.issuer,
        subject,
        claimed_roles.as_deref(),
        now,
    )
    .await
    .map_err(login_not_recorded)?;
    let email = claims.email().map(|address| address.as_str());
    accounts::record_email(&state.db, user_id, email)
        .await
        .map_err(login_not_recorded)?;
    if claimed_roles.is_none() && oidc.listed_admins.iter().any(|s| s == subject) {
        accounts::grant_listed_admin(&state.db, user_id, now)
            .await
            .map_err(login_not_recorded)?;
    }
    Ok(user_id)
}

/// A clean session under a new id at login: an id planted before login is worthless
/// (fixation), and nothing an earlier user of this browser left (a profile draft, an editor's
/// flash, a quiz result) carries over into this account.
async fn start_session(
    state: &AppState,
    oidc: &Oidc,
    session: &Session,
    user_id: i32,
    id_token: &CoreIdToken,
) -> Result<(), Refusal> {
    session.clear().await;
    session.cycle_id().await.map_err(store_failed)?;
    session
        .insert(USER_ID_KEY, user_id)
        .await
        .map_err(store_failed)?;
    session
        .insert(AUTHENTICATED_AT_KEY, state.context.now().timestamp())
        .await
        .map_err(store_failed)?;
    if oidc.end_session.is_some() {
        session
            .insert(ID_TOKEN_HINT_KEY, id_token.to_string())
            .await
            .map_err(store_failed)?;
    }
    let _ = accounts::audit_session_event(
        &state.db,
        AuditEventKind::LoginSucceeded,
        Some(user_id),
        "",
        state.context.now(),
    )
    .await;
    Ok(())
}

fn claims_reason(error: &ClaimsVerificationError) -> &'static str {
    match error {
        ClaimsVerificationError::Expired(_) => "token_expired",
        ClaimsVerificationError::InvalidAudience(_) => "token_audience",
        ClaimsVerificationError::InvalidIssuer(_) => "token_issuer",
        ClaimsVerificationError::InvalidNonce(_) => "token_nonce",
        ClaimsVerificationError::SignatureVerification(_) => "token_signature",
        ClaimsVerificationError::Unsupported(_) => "token_unsupported",
        _ => "token_invalid",
    }
}

/// Roles from a claim of an ID token that has already been verified. Unknown names are
/// ignored; a missing claim means no extra roles.
/// The roles named in the token's `claim` (a list or a space/comma-separated string; unknown
/// names ignored); `None` when the token does not carry the claim at all.
fn login_not_recorded(error: app::error::ServiceError) -> Refusal {
    tracing::error!(%error, "recording login failed");
    Refusal {
        status: StatusCode::SERVICE_UNAVAILABLE,
        reason: "database",
        message: TRY_AGAIN,
    }
}

fn roles_from_token(jwt: &str, claim: &str) -> Option<Vec<Role>> {
    let payload = jwt
        .split('.')
        .nth(1)
        .and_then(|part| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(part)
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())?;
    let names: Vec<String> = match payload.get(claim)? {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        serde_json::Value::String(text) => text.split([' ', ',']).map(str::to_owned).collect(),
        _ => return None,
    };
    Some(
        names
            .iter()
            .filter_map(|n| Role::from_slug(n.trim()))
            .collect(),
    )
}

/// `POST /auth/logout`: the session is destroyed on the server, not only forgotten by the
/// browser.
pub async fn logout(State(state): State<AppState>, session: Session) -> Response {
    let user_id: Option<i32> = session.get(USER_ID_KEY).await.ok().flatten();
    let id_token_hint: Option<String> = session.get(ID_TOKEN_HINT_KEY).await.ok().flatten();
    if let Err(error) = session.flush().await {
        tracing::error!(%error, "session store failed at logout");
        return auth_error(StatusCode::SERVICE_UNAVAILABLE, TRY_AGAIN);
    }
    if user_id.is_some() {
        let _ = accounts::audit_session_event(
            &state.db,
            AuditEventKind::Logout,
            user_id,
            "",
            state.context.now(),
        )
        .await;
    }
    // Also end the provider's session when it offers that; it sends the browser back to
    // "/?uitgelogd".
    let provider_logout = state
        .oidc
        .as_deref()
        .zip(id_token_hint)
        .and_then(|(oidc, hint)| oidc.logout_url(&hint));
    Redirect::to(provider_logout.as_deref().unwrap_or("/?uitgelogd")).into_response()
}

/// `POST /profiel/export` (from the profile page's form; cross-site posts are refused):
/// everything held about the logged-in user, as a JSON download.
pub async fn export_profile(
    State(state): State<AppState>,
    axum::Extension(current): axum::Extension<CurrentViewer>,
) -> Response {
    let Some(viewer) = current.0.filter(|v| can(Some(v), Action::ManageOwnProfile)) else {
        return auth_error(
            StatusCode::UNAUTHORIZED,
            "Log in om uw gegevens te downloaden.",
        );
    };
    match app::personal_data::export(&state.db, viewer.user_id, state.context.now()).await {
        Ok(data) => app::download::attachment(
            serde_json::to_string_pretty(&data).unwrap_or_default(),
            "application/json; charset=utf-8",
            "mijn-gegevens-leerplatform.json",
        ),
        Err(error) => {
            tracing::error!(%error, "export failed");
            auth_error(StatusCode::INTERNAL_SERVER_ERROR, TRY_AGAIN)
        }
    }
}

/// `POST /profiel/verwijderen`: erases the viewer's account at once (after the page that said
/// what goes and stays) and ends the session; a refusal (an open run, a group they lead) comes
/// back in Dutch with nothing changed.
pub async fn erase_profile(
    State(state): State<AppState>,
    session: Session,
    axum::Extension(current): axum::Extension<CurrentViewer>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Response {
    use app::answer::FramedAnswer;
    let Some(viewer) = current.0.filter(|v| can(Some(v), Action::ManageOwnProfile)) else {
        return auth_error(
            StatusCode::UNAUTHORIZED,
            "Log in om uw account te laten wissen.",
        );
    };
    if !app::answer::confirmed(&fields) {
        return Redirect::to("/profiel/verwijderen").into_response();
    }
    match app::personal_data::erase(&state.db, viewer.user_id, state.context.now()).await {
        Ok(_) => {
            let _ = session.flush().await;
            FramedAnswer::done(
                "Uw account is gewist",
                "Uw gegevens zijn gewist en u bent uitgelogd. Wat om wettelijke redenen blijft, staat niet meer op uw naam.".to_owned(),
                ("/", "Naar de startpagina"),
            )
            .into_response()
        }
        Err(app::error::ServiceError::Invalid(message)) => {
            auth_error(StatusCode::CONFLICT, &message)
        }
        Err(error) => {
            tracing::error!(%error, "erasure failed");
            auth_error(StatusCode::INTERNAL_SERVER_ERROR, TRY_AGAIN)
        }
    }
}

/// Session timeouts applied by [`resolve_viewer`].
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    pub absolute_seconds: i64,
}

/// Resolves the session's user once per request (for pages, server functions and routes),
/// enforces the absolute session lifetime, and marks responses for logged-in users
/// `Cache-Control: no-store`.
pub async fn resolve_viewer(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz" {
        return next.run(request).await;
    }
    let viewer = match viewer_of(&state, &session).await {
        Ok(viewer) => viewer,
        Err(message) => {
            tracing::error!(%message, "resolving the session failed");
            return auth_error(StatusCode::SERVICE_UNAVAILABLE, TRY_AGAIN);
        }
    };
    let logged_in = viewer.is_some();
    request.extensions_mut().insert(CurrentViewer(viewer));
    let mut response = next.run(request).await;
    if logged_in {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn viewer_of(
    state: &AppState,
    session: &Session,
) -> Result<Option<app::identity::access::Viewer>, String> {
    let Some(user_id) = session
        .get::<i32>(USER_ID_KEY)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let authenticated_at: i64 = session
        .get(AUTHENTICATED_AT_KEY)
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or(0);
    let expired =
        state.context.now().timestamp() - authenticated_at > state.session_policy.absolute_seconds;
    let viewer = if expired {
        None
    } else {
        accounts::viewer(&state.db, user_id)
            .await
            .map_err(|e| e.to_string())?
    };
    if viewer.is_none() {
        // Past its absolute lifetime, or the account is gone: the session ends here.
        session.flush().await.map_err(|e| e.to_string())?;
    }
    Ok(viewer)
}

/// A small Dutch page for refusals outside the Leptos app (login, logout, rate limit).
pub fn auth_error(status: StatusCode, message: &str) -> Response {
    let title = match status {
        StatusCode::TOO_MANY_REQUESTS => "Even geduld",
        StatusCode::UNAUTHORIZED => "Inloggen nodig",
        StatusCode::BAD_REQUEST => "Inloggen mislukt",
        _ => "Er ging iets mis",
    };
    crate::plain_page::plain_page(status, title, message, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_limited_to_local_paths() {
        assert_eq!(
            safe_next(Some("/factsheets/jihadisme")),
            "/factsheets/jihadisme"
        );
        assert_eq!(safe_next(Some("/profiel?x=1")), "/profiel?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/auth/logout",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn roles_claim_accepts_lists_and_strings() {
        let encode = |json: &str| {
            format!(
                "h.{}.s",
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
            )
        };
        assert_eq!(
            roles_from_token(&encode(r#"{"roles":["editor","root","admin"]}"#), "roles"),
            Some(vec![Role::Editor, Role::Admin])
        );
        assert_eq!(
            roles_from_token(&encode(r#"{"roles":"trainer facilitator"}"#), "roles"),
            Some(vec![Role::Trainer, Role::Facilitator])
        );
        assert_eq!(
            roles_from_token(&encode(r#"{"roles":[]}"#), "roles"),
            Some(vec![])
        );
        // No claim at all is not the same as no roles.
        assert_eq!(roles_from_token(&encode(r#"{}"#), "roles"), None);
        assert_eq!(roles_from_token("garbage", "roles"), None);
    }
}
