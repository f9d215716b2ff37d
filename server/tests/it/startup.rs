//! Start-up failures: the binary prints one clear line on stderr and exits non-zero.

use std::process::Command;

fn run_with(vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leerplatform"));
    command
        .env_clear()
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "off");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().expect("run leerplatform");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_one_line_failure(vars: &[(&str, &str)], expected: &str) {
    let (code, stderr) = run_with(vars);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
}

#[test]
fn malformed_database_url() {
    assert_one_line_failure(
        &[("DATABASE_URL", "mysql://app:geheim@localhost/lp")],
        "DATABASE_URL must start with sqlite: or postgres://",
    );
    let (_, stderr) = run_with(&[("DATABASE_URL", "mysql://app:geheim@localhost/lp")]);
    assert!(!stderr.contains("geheim"));
}

#[test]
fn database_that_cannot_be_opened() {
    assert_one_line_failure(
        &[(
            "DATABASE_URL",
            "sqlite:///proc/leerplatform/db.sqlite?mode=rwc",
        )],
        "cannot open database sqlite:///proc/leerplatform/db.sqlite",
    );
}

#[test]
fn unreachable_postgres_hides_the_password() {
    let (code, stderr) = run_with(&[("DATABASE_URL", "postgres://app:geheim@127.0.0.1:1/lp")]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot open database postgres://app:***@127.0.0.1:1/lp"),
        "{stderr}"
    );
    assert!(!stderr.contains("geheim"));
}

#[test]
fn unreadable_content_dir() {
    assert_one_line_failure(
        &[
            ("DATABASE_URL", "sqlite::memory:"),
            ("CONTENT_DIR", "/bestaat/niet"),
        ],
        "cannot read CONTENT_DIR '/bestaat/niet'",
    );
}

#[test]
fn unknown_command_prints_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_leerplatform"))
        .arg("bogus")
        .env_clear()
        .env("RUST_LOG", "off")
        .output()
        .expect("run leerplatform");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: leerplatform"));
}

#[test]
fn content_export_of_the_shipped_content_reproduces_it_byte_for_byte() {
    let work = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}/cli.db?mode=rwc", work.path().display());
    let content = concat!(env!("CARGO_MANIFEST_DIR"), "/../content");
    let cli = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_leerplatform"))
            .args(args)
            .env_clear()
            .env("DATABASE_URL", &database)
            .env("RUST_LOG", "off")
            .output()
            .expect("run leerplatform");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let imported = cli(&["content", "import", content]);
    assert!(
        imported.starts_with("added 15, updated 0, unchanged 0"),
        "{imported}"
    );
    let out = work.path().join("export");
    let exported = cli(&["content", "export", out.to_str().unwrap()]);
    assert_eq!(exported.trim(), "written 15, unchanged 0");
    // Every shipped file, factsheets, course modules and trainings alike, comes back byte for byte.
    for entry in walkdir::WalkDir::new(content).min_depth(2) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(content).unwrap();
        assert_eq!(
            std::fs::read(entry.path()).unwrap(),
            std::fs::read(out.join(relative)).unwrap_or_default(),
            "{relative:?}"
        );
    }
    let again = cli(&["content", "import", content]);
    assert!(
        again.starts_with("added 0, updated 0, unchanged 15"),
        "{again}"
    );
}

fn privacy_scan(input: &[u8]) -> (Option<i32>, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_leerplatform"))
        .args(["privacy", "scan"])
        // No configuration and no database: the scan needs neither.
        .env("DATABASE_URL", "not-a-database")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn privacy_scan_prints_each_finding_as_json_and_says_by_exit_code() {
    let text = "Mevrouw Jansen belde met 06-12345678 over BSN 111222333.";
    let (code, stdout, _) = privacy_scan(text.as_bytes());
    assert_eq!(code, Some(1));
    let findings: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    let kinds: Vec<&str> = findings
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["name", "phone", "bsn"]);
    // Byte offsets into the input.
    let phone = &findings[1];
    let (start, end) = (
        phone["start"].as_u64().unwrap() as usize,
        phone["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "06-12345678");
    assert_eq!(phone["text"], "06-12345678");

    let (code, stdout, _) = privacy_scan("De leerling (16) sprak met de mentor.".as_bytes());
    assert_eq!((code, stdout.as_str()), (Some(0), ""));
    let (code, _, stderr) = privacy_scan(&[0x66, 0xff, 0xfe]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("not UTF-8"), "{stderr}");
}

#[test]
fn a_reader_that_stops_early_is_no_panic() {
    let content = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_leerplatform"))
        .args(["content", "import"])
        .arg(content.path())
        .env_clear()
        .env("DATABASE_URL", "sqlite::memory:")
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run leerplatform");
    // Like `| head -0`: the reader is gone before the import prints its lines.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // The logs go to standard error, so a closed output loses none of them.
    assert!(stderr.contains("migrations"), "{stderr}");
    assert!(!stderr.contains("Unable to write"), "{stderr}");
}
