//! Generating certificates: 100 PDFs (krilla, embedded subset font, QR code), ms per PDF and
//! the size of one. Prints figures; asserts nothing. With a path argument it also writes the
//! first PDF there, to look at.

use std::time::Instant;

use app::training::entity::certificate::{CertifiedPoints, Model};
use app::training::model::CertifiedPoint;
use app::training::service::certificate_pdf::certificate_pdf;

fn main() {
    let certificate = |i: usize| Model {
        id: i as i32,
        code: format!("pQ7sV2mK9xR4tW8yB3nL6c{i:04}"),
        user_id: Some(i as i32),
        run_id: 1,
        participant_name: format!("Deelnemer {i} van der Berg-Özdemir"),
        training_title: "Online radicalisering en extremistische memes duiden".into(),
        dates: "4 maart 2027 en 18 maart 2027".into(),
        net_minutes: 420,
        points: CertifiedPoints(vec![
            CertifiedPoint {
                register: "SKJ".into(),
                points: "7".into(),
                number: Some("100012345".into()),
            },
            CertifiedPoint {
                register: "Registerplein".into(),
                points: "7".into(),
                number: None,
            },
        ]),
        trainers: "Tom Trainer, Tess Trainer".into(),
        issued_at: chrono::Utc::now(),
        revoked_at: None,
        revoked_reason: None,
    };
    let url = "https://leerplatform.example/certificaat/pQ7sV2mK9xR4tW8yB3nL6c0000";
    // The first one loads and parses the fonts.
    let first =
        certificate_pdf(&certificate(0), url, app::vocabulary::DEFAULT_ORGANISATION).expect("pdf");
    if let Some(path) = std::env::args().nth(1) {
        std::fs::write(&path, &first).expect("write the PDF");
    }
    let started = Instant::now();
    let mut bytes = 0;
    for i in 1..=100 {
        bytes += certificate_pdf(&certificate(i), url, app::vocabulary::DEFAULT_ORGANISATION)
            .expect("pdf")
            .len();
    }
    let elapsed = started.elapsed();
    println!(
        "certificates: 100 PDFs in {:.0} ms = {:.1} ms per PDF; one PDF is {} bytes ({} on average)",
        elapsed.as_secs_f64() * 1000.0,
        elapsed.as_secs_f64() * 10.0,
        first.len(),
        bytes / 100
    );
}
