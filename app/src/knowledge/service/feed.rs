//! The Atom feed of published factsheets (`/feed.xml`), written with `atom_syndication`.

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::ServiceError;
use crate::knowledge::entity::{Column, Entity as Documents};
use crate::knowledge::model::{DocumentKind, DocumentStatus};

/// How many of the most recently changed factsheets the feed carries.
pub const FEED_SIZE: u64 = 50;

/// The feed as XML. `public_url` makes the links absolute, as feed readers need.
pub async fn atom_feed(db: &DatabaseConnection, public_url: &str) -> Result<String, ServiceError> {
    let base = public_url.trim_end_matches('/');
    let rows = Documents::find()
        .filter(Column::Status.eq(DocumentStatus::Published))
        .filter(Column::Kind.eq(DocumentKind::Factsheet))
        .order_by_desc(Column::UpdatedAt)
        .order_by_asc(Column::Slug)
        .limit(FEED_SIZE)
        .all(db)
        .await?;
    let to_fixed = |t: chrono::DateTime<chrono::Utc>| -> FixedDateTime {
        t.with_timezone(&chrono_tz::Europe::Amsterdam)
            .fixed_offset()
    };
    let updated = rows
        .first()
        .map(|r| to_fixed(r.updated_at))
        .unwrap_or_else(|| to_fixed(chrono::DateTime::UNIX_EPOCH));
    let entries: Vec<Entry> = rows
        .into_iter()
        .map(|row| {
            let url = format!("{base}/factsheets/{}", row.slug);
            let mut entry = Entry::default();
            entry.set_id(url.clone());
            entry.set_title(Text::plain(row.title));
            entry.set_updated(to_fixed(row.updated_at));
            entry.set_summary(Some(Text::plain(row.summary)));
            entry.set_authors(vec![Person {
                name: row.owner,
                ..Default::default()
            }]);
            let mut link = Link::default();
            link.set_href(url);
            link.set_rel("alternate");
            link.set_mime_type(Some("text/html".to_owned()));
            entry.set_links(vec![link]);
            entry.set_categories(
                row.phenomena
                    .0
                    .iter()
                    .map(|p| Category {
                        term: p.slug().to_owned(),
                        label: Some(p.label().to_owned()),
                        ..Default::default()
                    })
                    .collect::<Vec<_>>(),
            );
            entry
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_id(format!("{base}/feed.xml"));
    feed.set_title(Text::plain("Factsheets · Leerplatform LSE"));
    feed.set_subtitle(Some(Text::plain(
        "Onderbouwde en actuele kennis over radicalisering en extremisme van het Landelijk Steunpunt Extremisme.",
    )));
    feed.set_lang(Some("nl".to_owned()));
    feed.set_updated(updated);
    let mut self_link = Link::default();
    self_link.set_href(format!("{base}/feed.xml"));
    self_link.set_rel("self");
    let mut site_link = Link::default();
    site_link.set_href(format!("{base}/factsheets"));
    site_link.set_rel("alternate");
    feed.set_links(vec![self_link, site_link]);
    feed.set_entries(entries);
    Ok(feed.to_string())
}
