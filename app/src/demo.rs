//! Demo data for the embedded run (`make run` sets `DEMO_DATA=1`): the local provider's
//! facilitator ("begeleider") leads an intervision group that always has a meeting ahead, so
//! the platform shows a living group on whatever day it is started. Never for production.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use sea_orm::DatabaseConnection;

use crate::error::ServiceError;
use crate::identity::access::Role;
use crate::intervision::model::{DEFAULT_AGREEMENT, GroupForm};
use crate::intervision::rules::{SeriesSpec, parse_group_form};

pub const DEMO_GROUP: &str = "Intervisiegroep Demo";
/// The local provider's facilitator account (end2end/oidc/provider.mjs).
pub const DEMO_FACILITATOR: &str = "begeleider";

/// Makes sure the demo group exists, led by the demo facilitator of `issuer`, with a meeting
/// ahead of `now`: a series every four weeks from next Monday when none lies ahead. Running it
/// again changes nothing while one does.
pub async fn seed(
    db: &DatabaseConnection,
    issuer: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let facilitator = crate::identity::service::accounts::record_login(
        db,
        issuer,
        DEMO_FACILITATOR,
        Some(&[Role::Facilitator]),
        now,
    )
    .await?;
    let existing = crate::intervision::service::groups::my_groups(db, facilitator)
        .await?
        .into_iter()
        .find(|group| group.name == DEMO_GROUP);
    let group = match existing {
        Some(group) => group.id,
        None => {
            let spec = parse_group_form(&GroupForm {
                name: DEMO_GROUP.into(),
                max_members: "8".into(),
                retention_months: "12".into(),
                agreement: DEFAULT_AGREEMENT.into(),
            })
            .map_err(|errors| ServiceError::Invalid(format!("{errors:?}")))?;
            crate::intervision::service::groups::create_group(db, &spec, facilitator, now).await?
        }
    };
    let ahead = crate::intervision::service::meetings::meetings_of(db, group, now)
        .await?
        .iter()
        .any(|meeting| !meeting.past && !meeting.cancelled);
    if !ahead {
        let today = crate::dates::amsterdam_date(now);
        let next_monday =
            today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
        let series = SeriesSpec {
            first_date: next_monday,
            start: NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default(),
            every_weeks: 4,
            count: 24,
            location: "Utrecht".into(),
            link: None,
        };
        crate::intervision::service::meetings::add_series(db, group, &series, now).await?;
    }
    Ok(())
}
