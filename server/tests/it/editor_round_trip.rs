//! The editor edits every field of every document kind. Every shipped document (factsheets,
//! courses, modules, trainings), opened in the editor, saved unchanged, submitted and approved
//! by a second editor, is stored, exported and shown exactly as before; a training keeps its
//! facts (hours, accreditation, intake, runs) and its page.

use std::collections::HashMap;

use serde_json::Value;
use server::config::Config;
use server::{AppState, import_content, open_database, router};

use crate::support::{Browser, TEST_INTERVISION_KEY, login_as};

/// `application/x-www-form-urlencoded`, as a browser writes it.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (byte as char).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The editor's form as the page posts it (`form[...]` fields, as serde_qs reads them).
fn form_fields(form: &Value, expected_head: i64) -> String {
    let text = |name: &str| form[name].as_str().unwrap_or_default().to_owned();
    let mut pairs: Vec<(String, String)> = [
        "title",
        "slug",
        "summary",
        "owner",
        "reviewed_on",
        "review_due",
        "body",
        "kind_fields",
    ]
    .iter()
    .map(|name| (format!("form[{name}]"), text(name)))
    .collect();
    for list in ["phenomena", "audience"] {
        for key in form[list]
            .as_object()
            .into_iter()
            .flat_map(|map| map.keys())
        {
            pairs.push((format!("form[{list}][{key}]"), "on".to_owned()));
        }
    }
    for (index, source) in form["sources"].as_array().into_iter().flatten().enumerate() {
        for part in ["title", "url"] {
            pairs.push((
                format!("form[sources][{index}][{part}]"),
                source[part].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    pairs.push(("expected_head".to_owned(), expected_head.to_string()));
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encoded(name), encoded(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A page without its per-response nonce (wherever it stands: Leptos 0.8 also writes it into
/// `crossorigin`).
fn without_nonce(reply: &crate::support::Reply) -> String {
    let policy = reply.headers["content-security-policy"].to_str().unwrap();
    let start = policy.find("'nonce-").unwrap() + "'nonce-".len();
    let nonce = &policy[start..start + policy[start..].find('\'').unwrap()];
    reply.body.replace(nonce, "NONCE")
}

#[tokio::test]
async fn every_shipped_document_saved_unchanged_in_the_editor_stays_the_same() {
    use app::knowledge::entity::{Column, Entity as Documents};
    use app::knowledge::model::DocumentStatus;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let db = open_database("sqlite::memory:").await.unwrap();
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    import_content(&db, &content, chrono::Utc::now())
        .await
        .unwrap();
    let vars: HashMap<&str, &str> = HashMap::from([("INTERVISION_KEY", TEST_INTERVISION_KEY)]);
    let config = Config::from_lookup(|name| vars.get(name).map(|v| (*v).to_owned())).unwrap();
    let app = router(AppState::build(&config, db.clone()).await.unwrap());
    let (_, anna) = login_as(&db, "redacteur-anna", &["editor"]).await;
    let (_, bert) = login_as(&db, "redacteur-bert", &["editor"]).await;
    let mut writer = Browser::with_session(&anna);
    let mut reviewer = Browser::with_session(&bert);
    let mut visitor = Browser::default();

    let shipped = Documents::find()
        .filter(Column::Status.eq(DocumentStatus::Published))
        .order_by_asc(Column::Slug)
        .all(&db)
        .await
        .unwrap();
    let kinds: std::collections::BTreeSet<String> = shipped
        .iter()
        .map(|row| format!("{:?}", row.kind))
        .collect();
    assert_eq!(kinds.len(), 4, "every kind is shipped: {kinds:?}");
    for row in shipped {
        let slug = row.slug.clone();
        let placement = app::knowledge::model::Placement::from_columns(
            row.kind,
            row.course.as_deref(),
            row.position,
        )
        .unwrap();
        let address = placement.public_url(&slug);
        let exported_before = app::knowledge::service::workflow::source_of_row(&row).unwrap();
        let page_before = visitor.get(&app, &address).await;
        assert_eq!(page_before.status, 200, "{address}");

        let loaded = writer
            .post_form(&app, "/api/load_editor", &format!("slug={slug}"))
            .await;
        assert_eq!(loaded.status, 200, "{slug}: {}", loaded.body);
        let state: Value = serde_json::from_str(&loaded.body).unwrap();
        let head = state["expected_head"].as_i64().unwrap();
        let saved = writer
            .post_form(
                &app,
                "/api/save_document",
                &form_fields(&state["form"], head),
            )
            .await;
        assert_eq!(saved.status, 200, "{slug}: {}", saved.body);
        let outcome: Value = serde_json::from_str(&saved.body).unwrap();
        let new_head = outcome["Saved"]["head"]
            .as_i64()
            .unwrap_or_else(|| panic!("{slug} was not saved: {outcome}"));
        let submitted = writer
            .post_form(&app, "/api/submit_document", &format!("slug={slug}"))
            .await;
        assert_eq!(submitted.status, 200, "{slug}: {}", submitted.body);
        let approved = reviewer
            .post_form(
                &app,
                "/api/approve_document",
                &format!("slug={slug}&revision={new_head}"),
            )
            .await;
        assert_eq!(approved.status, 200, "{slug}: {}", approved.body);

        let after = Documents::find()
            .filter(Column::Slug.eq(&slug))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            app::knowledge::service::workflow::source_of_row(&after).unwrap(),
            exported_before,
            "{slug}: the exported file"
        );
        assert_eq!(
            (
                &after.title,
                &after.summary,
                &after.body_markdown,
                after.kind,
                after.status
            ),
            (
                &row.title,
                &row.summary,
                &row.body_markdown,
                row.kind,
                row.status
            ),
            "{slug}: the stored document"
        );
        let page_after = visitor.get(&app, &address).await;
        assert_eq!(page_after.status, 200, "{address}: {}", page_after.body);
        assert_eq!(
            without_nonce(&page_after),
            without_nonce(&page_before),
            "{address}: the public page"
        );
    }
}
