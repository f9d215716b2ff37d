//! Per-client rate limits on login routes and server functions (governor's GCRA limiter).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::auth::auth_error;
use crate::config::Config;

pub struct RateLimits {
    auth: DefaultKeyedRateLimiter<IpAddr>,
    api: DefaultKeyedRateLimiter<IpAddr>,
    client_ip_header: Option<HeaderName>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RateLimits")
    }
}

fn per_minute(n: u32) -> Quota {
    // A burst of the whole minute's allowance, refilled evenly.
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(n).allow_burst(n)
}

impl RateLimits {
    pub fn new(config: &Config) -> Arc<Self> {
        Arc::new(Self {
            auth: RateLimiter::keyed(per_minute(config.rate_limit_auth_per_minute)),
            api: RateLimiter::keyed(per_minute(config.rate_limit_api_per_minute)),
            client_ip_header: config
                .client_ip_header
                .as_deref()
                .and_then(|name| HeaderName::try_from(name).ok()),
        })
    }

    /// Forgets clients that are back under their limit; run now and then.
    pub fn forget_idle_clients(&self) {
        self.auth.retain_recent();
        self.api.retain_recent();
    }

    fn client_ip(&self, request: &Request) -> IpAddr {
        // The proxy appends the address it saw last, so the rightmost entry is the one to trust.
        let forwarded = self.client_ip_header.as_ref().and_then(|name| {
            request
                .headers()
                .get(name)?
                .to_str()
                .ok()?
                .rsplit(',')
                .next()?
                .trim()
                .parse()
                .ok()
        });
        forwarded
            .or_else(|| {
                request
                    .extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|ConnectInfo(addr)| addr.ip())
            })
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }
}

pub async fn limit(
    State(limits): State<Arc<RateLimits>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let limiter = if path.starts_with("/auth/") {
        &limits.auth
    } else if path.starts_with("/api/") {
        &limits.api
    } else {
        return next.run(request).await;
    };
    let client = limits.client_ip(&request);
    if limiter.check_key(&client).is_err() {
        tracing::warn!(path, "rate limit reached");
        let mut response = auth_error(
            StatusCode::TOO_MANY_REQUESTS,
            "U heeft in korte tijd te veel verzoeken gedaan. Wacht een minuut en probeer het dan opnieuw.",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return response;
    }
    next.run(request).await
}
