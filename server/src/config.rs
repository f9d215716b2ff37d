//! Configuration, read only from environment variables. Every variable has a default that
//! suits the embedded run (`make run`).

use std::net::SocketAddr;
use std::path::PathBuf;

pub const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/leerplatform.db?mode=rwc";
pub const DEFAULT_CONTENT_DIR: &str = "content";
pub const DEFAULT_SITE_ROOT: &str = "target/site";
pub const DEFAULT_MAIL_FROM: &str = "Leerplatform <noreply@leerplatform.invalid>";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub site_addr: SocketAddr,
    pub database_url: String,
    pub content_dir: PathBuf,
    /// Where cargo-leptos put the compiled CSS, JS and WASM (`LEPTOS_SITE_ROOT`).
    pub site_root: PathBuf,
    /// Base name of the compiled assets (`LEPTOS_OUTPUT_NAME`).
    pub output_name: String,
    /// `LEPTOS_ENV=PROD` turns off the development reload script.
    pub production: bool,
    /// Where users reach the platform (`PUBLIC_URL`); https makes the session cookie `Secure`
    /// and `__Host-` prefixed.
    pub public_url: String,
    /// A request that takes longer is answered with a Dutch 503 (`REQUEST_TIMEOUT_MS`).
    pub request_timeout: std::time::Duration,
    /// OpenID Connect login; without it nobody can log in (there is no other way).
    pub oidc: Option<OidcSettings>,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub rate_limit_auth_per_minute: u32,
    pub rate_limit_api_per_minute: u32,
    /// Header a trusted reverse proxy puts the client address in (`CLIENT_IP_HEADER`), used
    /// for rate limiting; without it the peer address counts.
    pub client_ip_header: Option<String>,
    /// The mail server (`SMTP_URL`, e.g. `smtp://127.0.0.1:1025`); without it mail stays queued.
    pub smtp_url: Option<String>,
    /// The sender of the platform's mail (`MAIL_FROM`, `Naam <adres>`).
    pub mail_from: String,
    /// Who signs the platform's mail (`ORGANISATION_NAME`).
    pub organisation_name: String,
    /// How often the job runner looks for due work (`JOB_POLL_SECONDS`).
    pub job_poll_seconds: u32,
    /// The key intervision content is sealed with (`INTERVISION_KEY`, 32 bytes in base64);
    /// without it intervision groups cannot be read or written.
    pub intervision_key: Option<SecretKey>,
    /// Where the platform's clock starts (`CLOCK_START`, `2029-03-01` for 09:00 Amsterdam time
    /// or an RFC 3339 instant); it runs on from there. Unset: the system clock.
    pub clock_start: Option<chrono::DateTime<chrono::Utc>>,
    /// `DEMO_DATA=1` (set by `make run`): the demo intervision group (see `app::demo`).
    pub demo_data: bool,
    /// The bearer token `/metrics` asks for (`METRICS_TOKEN`); unset, there is no `/metrics`.
    pub metrics_token: Option<String>,
}

impl Config {
    /// The one clock of this process.
    pub fn clock(&self) -> app::clock::Clock {
        match self.clock_start {
            Some(start) => app::clock::Clock::starting_at(start),
            None => app::clock::Clock::system(),
        }
    }
}

/// `CLOCK_START`: an RFC 3339 instant, or a date meaning 09:00 that day in Amsterdam.
fn clock_start(value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    if let Ok(instant) = chrono::DateTime::parse_from_rfc3339(value) {
        return Some(instant.with_timezone(&chrono::Utc));
    }
    let date = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
    chrono_tz::Europe::Amsterdam
        .from_local_datetime(&date.and_hms_opt(9, 0, 0)?)
        .single()
        .map(|at| at.with_timezone(&chrono::Utc))
}

/// A key from the environment: checked at start-up, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(pub String);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcSettings {
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// ID-token claim holding role names (`OIDC_ROLES_CLAIM`); when set, the provider decides
    /// roles and the admin page only shows them.
    pub roles_claim: Option<String>,
    /// Subjects of this issuer who get the admin role at each login while the platform manages
    /// roles (`ADMIN_SUBJECTS`, comma separated); ignored when `roles_claim` is set.
    pub listed_admins: Vec<String>,
}

impl Config {
    /// Scheme, host and port of `PUBLIC_URL`, as browsers send it in `Origin`.
    /// Serialised as browsers do: default ports dropped, hosts in punycode.
    pub fn public_origin(&self) -> String {
        match openidconnect::url::Url::parse(&self.public_url) {
            Ok(url) => url.origin().ascii_serialization(),
            Err(_) => self.public_url.clone(),
        }
    }

    pub fn public_url_is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Exactly `PUBLIC_URL` + `/auth/callback`.
    pub fn redirect_url(&self) -> String {
        format!("{}/auth/callback", self.public_url.trim_end_matches('/'))
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("LEPTOS_SITE_ADDR='{0}' is not a socket address such as 127.0.0.1:3000")]
    SiteAddr(String),
    #[error("PORT='{0}' is not a port number between 1 and 65535")]
    Port(String),
    #[error("DATABASE_URL must start with sqlite: or postgres:// (got '{0}')")]
    DatabaseUrl(String),
    #[error("PUBLIC_URL='{0}' must start with http:// or https://")]
    PublicUrl(String),
    #[error("{0} is set but {1} is missing")]
    Incomplete(&'static str, &'static str),
    #[error("{name}='{value}' is not a whole number of at least 1")]
    Number { name: &'static str, value: String },
    #[error("{0}")]
    IntervisionKey(app::intervision::service::sealing::KeyError),
    #[error("CLOCK_START='{0}' is neither a date (2029-03-01) nor an RFC 3339 instant")]
    ClockStart(String),
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let site_addr = match (lookup("LEPTOS_SITE_ADDR"), lookup("PORT")) {
            (Some(addr), _) => addr.parse().map_err(|_| ConfigError::SiteAddr(addr))?,
            // PORT is the convention of container platforms, which expect every interface.
            (None, Some(port)) => match port.parse::<u16>() {
                Ok(number) if number > 0 => SocketAddr::from(([0, 0, 0, 0], number)),
                _ => return Err(ConfigError::Port(port)),
            },
            (None, None) => DEFAULT_SITE_ADDR
                .parse()
                .map_err(|_| ConfigError::SiteAddr(DEFAULT_SITE_ADDR.into()))?,
        };
        let database_url = lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::DatabaseUrl(redact_password(&database_url)));
        }
        let public_url = lookup("PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::PublicUrl(public_url));
        }
        let oidc = match (lookup("OIDC_ISSUER_URL"), lookup("OIDC_CLIENT_ID")) {
            (Some(issuer_url), Some(client_id)) => Some(OidcSettings {
                issuer_url,
                client_id,
                client_secret: lookup("OIDC_CLIENT_SECRET"),
                roles_claim: lookup("OIDC_ROLES_CLAIM").filter(|claim| !claim.trim().is_empty()),
                listed_admins: lookup("ADMIN_SUBJECTS")
                    .map(|list| {
                        list.split(',')
                            .map(str::trim)
                            .filter(|subject| !subject.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            }),
            (Some(_), None) => {
                return Err(ConfigError::Incomplete("OIDC_ISSUER_URL", "OIDC_CLIENT_ID"));
            }
            (None, Some(_)) => {
                return Err(ConfigError::Incomplete("OIDC_CLIENT_ID", "OIDC_ISSUER_URL"));
            }
            (None, None) => None,
        };
        let number = |name: &'static str, default: u32| -> Result<u32, ConfigError> {
            match lookup(name) {
                None => Ok(default),
                Some(value) => match value.parse::<u32>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err(ConfigError::Number { name, value }),
                },
            }
        };
        Ok(Self {
            public_url,
            oidc,
            session_idle_minutes: number("SESSION_IDLE_MINUTES", 30)?.into(),
            session_absolute_hours: number("SESSION_ABSOLUTE_HOURS", 12)?.into(),
            rate_limit_auth_per_minute: number("RATE_LIMIT_AUTH_PER_MINUTE", 30)?,
            rate_limit_api_per_minute: number("RATE_LIMIT_API_PER_MINUTE", 600)?,
            request_timeout: std::time::Duration::from_millis(
                number("REQUEST_TIMEOUT_MS", 30_000)?.into(),
            ),
            client_ip_header: lookup("CLIENT_IP_HEADER"),
            smtp_url: lookup("SMTP_URL"),
            mail_from: lookup("MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.into()),
            organisation_name: lookup("ORGANISATION_NAME")
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| app::messaging::rules::DEFAULT_ORGANISATION.into()),
            job_poll_seconds: number("JOB_POLL_SECONDS", 5)?,
            intervision_key: match lookup("INTERVISION_KEY") {
                Some(key) => {
                    app::intervision::service::sealing::Sealer::from_base64(&key)
                        .map_err(ConfigError::IntervisionKey)?;
                    Some(SecretKey(key))
                }
                None => None,
            },
            demo_data: lookup("DEMO_DATA").is_some_and(|value| value == "1"),
            metrics_token: lookup("METRICS_TOKEN").filter(|token| !token.trim().is_empty()),
            clock_start: match lookup("CLOCK_START") {
                Some(value) => Some(clock_start(&value).ok_or(ConfigError::ClockStart(value))?),
                None => None,
            },
            site_addr,
            database_url,
            content_dir: lookup("CONTENT_DIR")
                .unwrap_or_else(|| DEFAULT_CONTENT_DIR.into())
                .into(),
            site_root: lookup("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| DEFAULT_SITE_ROOT.into())
                .into(),
            output_name: lookup("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "leerplatform".into()),
            production: lookup("LEPTOS_ENV").is_some_and(|env| env.eq_ignore_ascii_case("prod")),
        })
    }
}

/// The URL with any password replaced, fit for logs and error messages.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// `LOG_FORMAT=json`: one JSON object per log line, for a log collector (read before the rest
/// of the configuration, so that its errors are logged in that format too).
pub fn json_logs(lookup: impl Fn(&str) -> Option<String>) -> bool {
    lookup("LOG_FORMAT").is_some_and(|format| format.trim().eq_ignore_ascii_case("json"))
}

/// For SQLite files: the directory the database file lives in, to be created if missing.
pub fn sqlite_parent_dir(url: &str) -> Option<PathBuf> {
    sqlite_file(url)?
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(PathBuf::from)
}

/// For SQLite files: the database file (None for another database or one in memory).
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_clock_can_start_on_another_date() {
        assert_eq!(config(&[]).unwrap().clock_start, None);
        let start = config(&[("CLOCK_START", "2029-03-01")])
            .unwrap()
            .clock_start
            .unwrap();
        assert_eq!(start.to_rfc3339(), "2029-03-01T08:00:00+00:00");
        let instant = config(&[("CLOCK_START", "2030-07-01T12:00:00+02:00")])
            .unwrap()
            .clock_start
            .unwrap();
        assert_eq!(instant.to_rfc3339(), "2030-07-01T10:00:00+00:00");
        assert!(matches!(
            config(&[("CLOCK_START", "morgen")]),
            Err(ConfigError::ClockStart(_))
        ));
    }

    #[test]
    fn defaults_suit_the_embedded_run() {
        let config = config(&[]).unwrap();
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.content_dir, PathBuf::from("content"));
        assert!(!config.production);
        assert_eq!(config.public_origin(), "http://127.0.0.1:3000");
        let behind_proxy = Config::from_lookup(|name| {
            (name == "PUBLIC_URL").then(|| "https://leer.example.nl/platform/".to_owned())
        })
        .unwrap();
        assert_eq!(behind_proxy.public_origin(), "https://leer.example.nl");
        let default_port = Config::from_lookup(|name| {
            (name == "PUBLIC_URL").then(|| "https://Leer.Example.nl:443".to_owned())
        })
        .unwrap();
        assert_eq!(default_port.public_origin(), "https://leer.example.nl");
    }

    #[test]
    fn mail_is_signed_by_the_configured_organisation() {
        assert_eq!(
            config(&[]).unwrap().organisation_name,
            "Landelijk Steunpunt Extremisme"
        );
        let named = config(&[("ORGANISATION_NAME", "  Expertisecentrum Noord ")]).unwrap();
        assert_eq!(named.organisation_name, "Expertisecentrum Noord");
        let blank = config(&[("ORGANISATION_NAME", "  ")]).unwrap();
        assert_eq!(blank.organisation_name, "Landelijk Steunpunt Extremisme");
    }

    #[test]
    fn port_and_site_addr() {
        assert_eq!(
            config(&[("PORT", "8080")]).unwrap().site_addr.to_string(),
            "0.0.0.0:8080"
        );
        let both = config(&[("PORT", "8080"), ("LEPTOS_SITE_ADDR", "127.0.0.1:4000")]).unwrap();
        assert_eq!(both.site_addr.to_string(), "127.0.0.1:4000");
        assert_eq!(config(&[("PORT", "0")]), Err(ConfigError::Port("0".into())));
        assert_eq!(
            config(&[("LEPTOS_SITE_ADDR", "localhost")]),
            Err(ConfigError::SiteAddr("localhost".into()))
        );
    }

    #[test]
    fn bad_database_url_is_reported_without_password() {
        let err = config(&[("DATABASE_URL", "mysql://u:geheim@h/db")]).unwrap_err();
        assert!(!err.to_string().contains("geheim"), "{err}");
        assert_eq!(
            redact_password("postgres://app:geheim@db:5432/lp"),
            "postgres://app:***@db:5432/lp"
        );
    }

    #[test]
    fn login_settings() {
        let plain = config(&[]).unwrap();
        assert_eq!(plain.public_url, "http://127.0.0.1:3000");
        assert_eq!(plain.redirect_url(), "http://127.0.0.1:3000/auth/callback");
        assert_eq!(plain.oidc, None);
        assert_eq!(plain.session_idle_minutes, 30);
        assert_eq!(plain.session_absolute_hours, 12);
        let https = config(&[
            ("PUBLIC_URL", "https://leer.example.nl/"),
            ("OIDC_ISSUER_URL", "https://id.example.nl"),
            ("OIDC_CLIENT_ID", "leerplatform"),
        ])
        .unwrap();
        assert!(https.public_url_is_https());
        assert_eq!(
            https.redirect_url(),
            "https://leer.example.nl/auth/callback"
        );
        assert_eq!(
            config(&[("OIDC_ISSUER_URL", "https://id.example.nl")]),
            Err(ConfigError::Incomplete("OIDC_ISSUER_URL", "OIDC_CLIENT_ID"))
        );
        assert!(config(&[("PUBLIC_URL", "leer.example.nl")]).is_err());
        assert!(config(&[("SESSION_IDLE_MINUTES", "0")]).is_err());
    }

    #[test]
    fn sqlite_directories() {
        assert_eq!(
            sqlite_parent_dir("sqlite://data/leerplatform.db?mode=rwc"),
            Some(PathBuf::from("data"))
        );
        assert_eq!(sqlite_parent_dir("sqlite::memory:"), None);
        assert_eq!(sqlite_parent_dir("sqlite://x.db"), None);
        assert_eq!(sqlite_parent_dir("postgres://h/db"), None);
    }
}
