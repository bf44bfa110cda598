//! What a person typed never travels in an address. Without JavaScript a form is a plain
//! POST; when a server function refuses it, leptos sends the browser back to the form
//! with the error in the address (`?__path=…&__err=<base64 JSON>`), and that error carries
//! what was typed (e-mail, phone, address) so the form comes back filled in. Addresses
//! end up in browser history, proxy and server logs and `Referer` headers.
//!
//! So, on the way out, this keeps the full error in the session and puts in the address
//! the error without the typed values plus `__kept=<id>`; on the way back in (the page
//! the browser is sent to) it puts the full error back into the request the page renders
//! from. The browser only ever sees field names and error codes.
use axum::body::Body;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use http::header::LOCATION;
use http::{HeaderValue, Request, Uri};
use tower_sessions::Session;

const SESSION_KEY: &str = "form_errors";
/// Forms refused in one session whose typed values are kept (a reload shows them again).
const KEPT: usize = 5;

pub async fn keep_typed_values_out_of_urls(mut req: Request<Body>, next: Next) -> Response {
    let session = req.extensions().get::<Session>().cloned();
    if let Some(session) = &session
        && let Some(uri) = restored_uri(req.uri(), session).await
    {
        *req.uri_mut() = uri;
    }
    let mut response = next.run(req).await;
    if let Some(session) = &session
        && response.status().is_redirection()
        && let Some(location) = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
        && let Some(safe) = safe_location(location, session).await
        && let Ok(value) = HeaderValue::from_str(&safe)
    {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

type Stored = Vec<(String, String)>;

/// The Location without typed values, the full error kept in the session. A form refused
/// a second time on the same page comes back to an address that still carries the first
/// refusal (leptos appends to the page's address): only the newest `__path`/`__err` stay.
async fn safe_location(location: &str, session: &Session) -> Option<String> {
    let (path, query) = location.split_once('?')?;
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let newest_error = pairs.iter().rposition(|(k, _)| k == "__err")?;
    let newest_path = pairs.iter().rposition(|(k, _)| k == "__path");
    let encoded = pairs[newest_error].1.clone();
    let mut error: serde_json::Value =
        serde_json::from_slice(&URL_SAFE.decode(&encoded).ok()?).ok()?;
    let (error_value, kept_id) = if strip_typed_values(&mut error) {
        let id = {
            use rand::RngCore;
            let mut bytes = [0u8; 9];
            rand::rng().fill_bytes(&mut bytes);
            URL_SAFE.encode(bytes)
        };
        let mut stored: Stored = session
            .get(SESSION_KEY)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        stored.push((id.clone(), encoded));
        let excess = stored.len().saturating_sub(KEPT);
        stored.drain(..excess);
        session.insert(SESSION_KEY, stored).await.ok()?;
        (URL_SAFE.encode(serde_json::to_vec(&error).ok()?), Some(id))
    } else if pairs.iter().filter(|(k, _)| k == "__err").count() > 1 {
        // Nothing typed to keep out, but an older refusal to drop.
        (encoded, None)
    } else {
        return None;
    };
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (i, (key, value)) in pairs.iter().enumerate() {
        match key.as_str() {
            "__err" if i == newest_error => {
                out.append_pair("__err", &error_value);
                if let Some(id) = &kept_id {
                    out.append_pair("__kept", id);
                }
            }
            "__err" | "__kept" => {}
            "__path" if Some(i) != newest_path => {}
            _ => {
                out.append_pair(key, value);
            }
        }
    }
    let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
    Some(format!("{path}?{}{fragment}", out.finish()))
}

/// Removes what was typed from an `AppError` in JSON; true when there was any.
fn strip_typed_values(error: &mut serde_json::Value) -> bool {
    if let Some(kept) = error
        .get_mut("FormInvalid")
        .and_then(|f| f.get_mut("kept"))
        .and_then(|k| k.as_array_mut())
        .filter(|k| !k.is_empty())
    {
        kept.clear();
        return true;
    }
    if let Some(email) = error
        .get_mut("LoginRefused")
        .and_then(|l| l.get_mut("email"))
        .filter(|e| e.as_str().is_some_and(|s| !s.is_empty()))
    {
        *email = serde_json::Value::String(String::new());
        return true;
    }
    false
}

/// The request's address with the full error from the session, for `?__kept=<id>`.
async fn restored_uri(uri: &Uri, session: &Session) -> Option<Uri> {
    let query = uri.query()?;
    if !query.contains("__kept=") {
        return None;
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let id = &pairs.iter().find(|(k, _)| k == "__kept")?.1;
    let stored: Stored = session.get(SESSION_KEY).await.ok().flatten()?;
    let full = &stored.iter().find(|(k, _)| k == id)?.1;
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in &pairs {
        match key.as_str() {
            "__err" => {
                out.append_pair("__err", full);
            }
            "__kept" => {}
            _ => {
                out.append_pair(key, value);
            }
        }
    }
    format!("{}?{}", uri.path(), out.finish()).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::strip_typed_values;
    use app::error::{AppError, FieldError};

    #[test]
    fn typed_values_are_removed_codes_stay() {
        let error = AppError::FormInvalid {
            errors: vec![FieldError {
                field: "phone".into(),
                code: "invalid_phone".into(),
            }],
            kept: vec![("phone".into(), "06 1234 5678".into())],
        };
        let mut json = serde_json::to_value(&error).expect("json");
        assert!(strip_typed_values(&mut json));
        let back: AppError = serde_json::from_value(json.clone()).expect("error");
        assert_eq!(
            back.field_codes("phone").collect::<Vec<_>>(),
            ["invalid_phone"]
        );
        assert!(!json.to_string().contains("1234"));
        assert!(!strip_typed_values(&mut json), "nothing left to remove");

        let mut login = serde_json::to_value(AppError::LoginRefused {
            email: "anna@example.nl".into(),
            retry_minutes: None,
        })
        .expect("json");
        assert!(strip_typed_values(&mut login));
        assert!(!login.to_string().contains("anna"));
    }
}
