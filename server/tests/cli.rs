//! The binary as an operator meets it: --help, and start-up problems reported in one
//! sentence with exit code 1 (never a panic trace).
use std::process::{Command, Output};

fn server(args: &[&str], env: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.args(args).current_dir(dir.path()).env_clear();
    cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd.env(
        "DATABASE_URL",
        format!("sqlite://{}/portal.db", dir.path().display()),
    );
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().expect("run server")
}

fn one_error_line(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "exit code 1");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<_> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "one error sentence, got:\n{stderr}");
    assert!(!stderr.contains("panicked"), "no panic:\n{stderr}");
    errors[0].to_string()
}

#[test]
fn help_lists_the_commands() {
    let out = server(&["--help"], &[]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["serve", "migrate", "seed"] {
        assert!(help.contains(cmd), "{help}");
    }
}

#[test]
fn migrate_creates_the_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/nested/dir/portal.db", dir.path().display());
    let out = server(&["migrate"], &[("DATABASE_URL", &url)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("nested/dir/portal.db").exists());
}

#[test]
fn unknown_database_scheme() {
    let out = server(
        &["migrate"],
        &[("DATABASE_URL", "mysql://localhost/portal")],
    );
    let line = one_error_line(&out);
    assert!(
        line.contains("DATABASE_URL must start with sqlite:// or postgres://"),
        "{line}"
    );
}

#[test]
fn unwritable_data_directory() {
    let out = server(
        &["migrate"],
        &[("DATABASE_URL", "sqlite:///proc/mijn-portaal/portal.db")],
    );
    let line = one_error_line(&out);
    assert!(
        line.contains("cannot create the data directory /proc/mijn-portaal"),
        "{line}"
    );
}

#[test]
fn unreachable_postgres() {
    let out = server(
        &["migrate"],
        &[(
            "DATABASE_URL",
            "postgres://portal:secret@127.0.0.1:1/portal",
        )],
    );
    let line = one_error_line(&out);
    assert!(line.contains("cannot open the database"), "{line}");
    assert!(
        !line.contains("secret"),
        "the password is not shown: {line}"
    );
}

#[test]
fn port_in_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let out = server(&["serve"], &[("PORT", &port)]);
    let line = one_error_line(&out);
    assert!(
        line.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{line}"
    );
}

#[test]
fn bad_setting() {
    let out = server(&["migrate"], &[("BRAND_COLOUR", "blue")]);
    let line = one_error_line(&out);
    assert!(line.contains("BRAND_COLOUR"), "{line}");
}

#[test]
fn serves_logs_json_and_stops_gracefully_on_sigterm() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve", "--demo"])
        .current_dir(dir.path())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/portal.db", dir.path().display()),
        )
        .env("PORT", port.to_string())
        .env("LOG_FORMAT", "json")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start server");

    let get = |path: &str| -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        Some(response)
    };
    let started = Instant::now();
    let ready = loop {
        if let Some(res) = get("/readyz") {
            break res;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("wait");
    assert!(exit.success(), "clean exit after SIGTERM: {exit:?}");

    let stdout = child.stdout.take().expect("stdout");
    let messages: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .filter(|line| line.starts_with('{'))
        .map(|line| {
            let json: serde_json::Value = serde_json::from_str(&line).expect("a JSON log line");
            json["message"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    for expected in [
        "database ready",
        "Mijn Portaal is listening",
        "shutting down: finishing requests under way",
        "stopped",
    ] {
        assert!(
            messages.iter().any(|m| m == expected),
            "log has {expected:?}: {messages:?}"
        );
    }
}

#[test]
fn user_create_makes_a_verified_staff_account_with_a_generated_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/portal.db", dir.path().display());
    let env = [("DATABASE_URL", url.as_str())];
    let out = server(
        &[
            "user",
            "create",
            "--email",
            "beheer@slaapwereld.nl",
            "--role",
            "admin",
        ],
        &env,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Created user 1 <beheer@slaapwereld.nl>. Password (shown once): "),
        "{stdout}"
    );

    let again = server(
        &[
            "user",
            "create",
            "--email",
            "Beheer@Slaapwereld.nl",
            "--role",
            "admin",
        ],
        &env,
    );
    let line = one_error_line(&again);
    assert!(line.contains("already exists"), "{line}");

    let bad_role = server(
        &[
            "user",
            "create",
            "--email",
            "x@slaapwereld.nl",
            "--role",
            "root",
        ],
        &env,
    );
    assert!(one_error_line(&bad_role).contains("unknown role \"root\""));
}

#[test]
fn user_create_links_a_store_employee_to_their_store_and_the_trail_records_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/portal.db", dir.path().display());
    let data = dir.path().display().to_string();
    let env = [("DATABASE_URL", url.as_str()), ("DATA_DIR", data.as_str())];
    let create = |extra: &[&str]| {
        let mut args = vec!["user", "create", "--email", "kassa@slaapwereld.nl"];
        args.extend_from_slice(extra);
        server(&args, &env)
    };
    // No stores yet: the code is refused, with what is known.
    let unknown = create(&["--role", "store_staff", "--store", "ams"]);
    assert!(one_error_line(&unknown).contains("unknown store \"AMS\"; known stores: none yet"));
    assert!(server(&["seed", "demo"], &env).status.success());

    let without = create(&["--role", "store_staff"]);
    assert!(one_error_line(&without).contains("needs --store"));
    let customer = create(&["--role", "customer", "--store", "AMS"]);
    assert!(one_error_line(&customer).contains("--store is for staff"));
    let unknown = create(&["--role", "store_staff", "--store", "XYZ"]);
    assert!(one_error_line(&unknown).contains("known stores: "));

    let out = create(&[
        "--role",
        "store_staff",
        "--store",
        "ams",
        "--name",
        "Kees Kassa",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("<kassa@slaapwereld.nl>. Works at: AMS. Password (shown once): "),
        "{stdout}"
    );

    // The making of the account is in the audit trail, and the chain holds.
    let verify = server(&["audit", "verify"], &env);
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{report}");
    assert!(report.contains("intact: 1 rows"), "{report}");
}

#[test]
fn user_reset_two_step_lets_a_locked_out_admin_link_a_new_phone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/portal.db", dir.path().display());
    let data = dir.path().display().to_string();
    let env = [("DATABASE_URL", url.as_str()), ("DATA_DIR", data.as_str())];
    assert!(server(&["seed", "demo"], &env).status.success());
    let unknown = server(
        &["user", "reset-two-step", "--email", "niemand@example.nl"],
        &env,
    );
    assert!(one_error_line(&unknown).contains("no account for niemand@example.nl"));

    let out = server(
        &["user", "reset-two-step", "--email", "Beheer@Slaapwereld.nl"],
        &env,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Two-step login of Beheerder <beheer@slaapwereld.nl> removed"),
        "{stdout}"
    );
    let verify = server(&["audit", "verify"], &env);
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{report}");
    assert!(report.contains("intact: 1 rows"), "{report}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let enrolled = rt.block_on(async {
        let db = app::db::Db::connect(&url, &app::db::PoolSettings::default())
            .await
            .expect("db");
        let admin = app::accounts::repo::find_by_email(&db, "beheer@slaapwereld.nl")
            .await
            .expect("query")
            .expect("admin");
        app::accounts::two_factor_repo::is_enrolled(&db, admin.id)
            .await
            .expect("query")
    });
    assert!(!enrolled, "the admin links an app again at the next login");
}

#[test]
fn apikey_create_shows_the_key_once_and_revoke_stops_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/portal.db", dir.path().display());
    let env = [("DATABASE_URL", url.as_str())];
    let out = server(
        &[
            "apikey",
            "create",
            "--name",
            "webshop",
            "--scopes",
            "stores:write,orders:write",
        ],
        &env,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Key (shown once, store it now): mp_"),
        "{stdout}"
    );

    let bad = server(
        &["apikey", "create", "--name", "x", "--scopes", "everything"],
        &env,
    );
    assert!(one_error_line(&bad).contains("unknown scope \"everything\""));
    let revoked = server(&["apikey", "revoke", "--name", "webshop"], &env);
    assert!(revoked.status.success());
    let again = server(&["apikey", "revoke", "--name", "webshop"], &env);
    assert!(one_error_line(&again).contains("no active API key"));
}
