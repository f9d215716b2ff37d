//! Static assets are served precompressed by `Accept-Encoding`, HTML is compressed on the fly,
//! and each page links the WASM bundle meant for it.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::test_app;

async fn fetch(
    app: &axum::Router,
    uri: &str,
    accept_encoding: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::get(uri);
    if let Some(encoding) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

#[tokio::test]
async fn assets_come_precompressed_as_the_browser_accepts() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("leerplatform.js"), "plain javascript").unwrap();
    std::fs::write(pkg.join("leerplatform.js.br"), "brotli bytes").unwrap();
    std::fs::write(pkg.join("leerplatform.js.gz"), "gzip bytes").unwrap();
    let root = site.path().to_string_lossy().into_owned();
    let app = test_app(None, &[("LEPTOS_SITE_ROOT", root.as_str())]).await;

    let (status, headers, body) =
        fetch(&app.router, "/pkg/leerplatform.js", Some("gzip, br")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(body, b"brotli bytes");
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("javascript")
    );

    let (_, headers, body) = fetch(&app.router, "/pkg/leerplatform.js", Some("gzip")).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(body, b"gzip bytes");

    let (_, headers, body) = fetch(&app.router, "/pkg/leerplatform.js", None).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, b"plain javascript");
}

#[tokio::test]
async fn pages_are_compressed_and_link_their_bundle() {
    let app = test_app(None, &[]).await;
    let (status, headers, body) = fetch(&app.router, "/factsheets/jihadisme", Some("br")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert!(body.len() > 100);

    let (_, headers, body) = fetch(&app.router, "/factsheets/jihadisme", None).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("/pkg/leerplatform.wasm"), "visitors' bundle");
    assert!(!html.contains("leerplatform-redactie"));
    // A factsheet page hydrates one island only: the marker that says the WASM has loaded.
    assert_eq!(html.matches("<leptos-island").count(), 1);
    assert!(html.contains("data-component=\"HydrationMarker"));

    let (_, _, body) = fetch(&app.router, "/redactie", None).await;
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("/pkg/leerplatform-redactie.wasm"),
        "staff bundle"
    );
}
