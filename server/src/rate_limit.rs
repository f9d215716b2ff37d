//! Per-client rate limits on login routes, server functions and the expensive public pages
//! (governor's GCRA limiter).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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

    fn client_key(&self, request: &Request) -> IpAddr {
        let forwarded = self.client_ip_header.as_ref().and_then(|name| {
            let lines: Vec<&str> = request
                .headers()
                .get_all(name)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .collect();
            forwarded_client(&lines)
        });
        let ip = forwarded
            .or_else(|| {
                request
                    .extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|ConnectInfo(addr)| addr.ip())
            })
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        rate_limit_key(ip)
    }
}

/// The client our trusted proxy saw: the rightmost entry over all lines of the header (a
/// proxy appends the address it saw, possibly as a line of its own, so anything to the left
/// may be forged). Entries may be `ip`, `ip:port`, `[ipv6]:port` or RFC 7239 `for=…`.
fn forwarded_client(lines: &[&str]) -> Option<IpAddr> {
    let entry = lines
        .iter()
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .rfind(|entry| !entry.is_empty())?;
    let address = entry
        .split(';')
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("for")
                .then_some(value.trim())
        })
        .unwrap_or(entry)
        .trim_matches('"');
    if let Some(rest) = address.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    address
        .parse::<IpAddr>()
        .ok()
        .or_else(|| address.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// One bucket per IPv4 address, and per /64 for IPv6: a single IPv6 client usually holds a
/// whole /64 and could otherwise take a fresh bucket for every request.
fn rate_limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(
                u128::from(v6) & 0xffff_ffff_ffff_ffff_0000_0000_0000_0000,
            )),
        },
        v4 => v4,
    }
}

pub async fn limit(
    State(limits): State<Arc<RateLimits>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // Search and the data export cost more than a page, and certificate codes must not be
    // guessed by trying: limited like server functions.
    let limiter = if path.starts_with("/auth/") {
        &limits.auth
    } else if path.starts_with("/api/")
        || path == "/zoeken"
        || path == "/profiel/export"
        || path.starts_with("/certificaat/")
    {
        &limits.api
    } else {
        return next.run(request).await;
    };
    let client = limits.client_key(&request);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_rightmost_entry_over_all_lines_is_the_client() {
        // A client forges a first line; the proxy appends its own line.
        assert_eq!(
            forwarded_client(&["6.6.6.6", "203.0.113.7"]),
            Some(ip("203.0.113.7"))
        );
        assert_eq!(
            forwarded_client(&["6.6.6.6, 203.0.113.7"]),
            Some(ip("203.0.113.7"))
        );
        assert_eq!(
            forwarded_client(&["203.0.113.7:51234"]),
            Some(ip("203.0.113.7"))
        );
        assert_eq!(
            forwarded_client(&["[2001:db8::1]:443"]),
            Some(ip("2001:db8::1"))
        );
        assert_eq!(
            forwarded_client(&["for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\""]),
            Some(ip("2001:db8:cafe::17"))
        );
        assert_eq!(forwarded_client(&["unknown"]), None);
        assert_eq!(forwarded_client(&[]), None);
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64() {
        assert_eq!(
            rate_limit_key(ip("2001:db8:1:2:aaaa::1")),
            rate_limit_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            rate_limit_key(ip("2001:db8:1:2::1")),
            rate_limit_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(rate_limit_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
        assert_eq!(rate_limit_key(ip("192.0.2.1")), ip("192.0.2.1"));
    }
}
