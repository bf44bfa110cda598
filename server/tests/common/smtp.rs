//! A real SMTP server for tests: an in-process sink that keeps every message it gets,
//! and an outbox worker that delivers to it.
use std::sync::{Arc, Mutex};

use server::config::Config;
use server::jobs::OutboxWorker;

use super::TestDb;

/// Collects every message it receives.
#[derive(Clone, Default)]
struct Sink {
    current: Vec<u8>,
    received: Arc<Mutex<Vec<String>>>,
}

impl mailin_embedded::Handler for Sink {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let message = String::from_utf8_lossy(&std::mem::take(&mut self.current)).into_owned();
        self.received.lock().expect("lock").push(message);
        mailin_embedded::response::OK
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

/// Starts the sink on `port` and returns what it receives.
pub fn start_sink(port: u16) -> Arc<Mutex<Vec<String>>> {
    let sink = Sink::default();
    let received = sink.received.clone();
    let mut server = mailin_embedded::Server::new(sink);
    server
        .with_name("sink.test")
        .with_addr(("127.0.0.1", port))
        .expect("address");
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    // Wait until it accepts connections.
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    received
}

pub fn worker(t: &TestDb, port: u16) -> OutboxWorker {
    let config = Config {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        mail_from: "Slaapwereld <service@slaapwereld.example>".into(),
        data_dir: std::env::temp_dir().join("mijn-portaal-mail-tests"),
        ..Config::default()
    };
    OutboxWorker::from_config(t.db.clone(), &config).expect("senders")
}

/// A message as a person reads it: quoted-printable soft line breaks joined and `=XX`
/// bytes decoded (headers and other parts pass through unchanged).
pub fn readable(message: &str) -> String {
    let joined = message.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
