//! `POST /account/company/quick-order/upload`: a CSV (or text) file for the quick order
//! form, as a plain multipart form so it works without JavaScript. The file's text is
//! kept in the session and the browser goes back to the quick order page (303), which
//! puts it in the text box with each line checked — nothing is sent until the buyer
//! sends it. Refused: `?file_error=required|too_large` on the same page.
use app::error::AppError;
use app::quick_orders::api::UPLOAD_SESSION_KEY;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use tower_sessions::Session;

use crate::receipt_pdf::{answered, logged_in_customer};
use crate::state::AppState;

const HERE: &str = "/account/company/quick-order";
/// A quick order of a thousand lines is some 30 KB; more is not a quick order.
const MAX_FILE_BYTES: usize = 100 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/account/company/quick-order/upload",
        post(upload).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 16 * 1024)),
    )
}

fn page(company: &str, outcome: &str) -> String {
    let company: String = url::form_urlencoded::byte_serialize(company.as_bytes()).collect();
    format!("{HERE}?company={company}&{outcome}")
}

/// The form's fields: the company's number and the file's bytes (`Err` when over the
/// limit or the connection broke).
async fn read_form(mut form: Multipart) -> (String, Result<Vec<u8>, ()>) {
    let mut company = String::new();
    let mut file = Ok(Vec::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("company") => {
                company = field.text().await.unwrap_or_default();
            }
            Ok(Some(field)) if field.name() == Some("file") => {
                file = field.bytes().await.map(|b| b.to_vec()).map_err(|_| ());
            }
            Ok(Some(_)) => {}
            Ok(None) => return (company, file),
            Err(_) => return (company, Err(())),
        }
    }
}

/// UTF-8 (with or without a byte-order mark); else read as Latin-1, which is what a
/// spreadsheet saved as "CSV" on Windows mostly is, so an accented name still shows.
fn text_of(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().into_iter().map(char::from).collect(),
    }
}

async fn upload(State(state): State<AppState>, session: Session, form: Multipart) -> Response {
    let result = async {
        let (_, customer_id) = logged_in_customer(&state, &session).await?;
        let (company, file) = read_form(form).await;
        let (member, _) =
            app::quick_orders::service::membership(&state.db, customer_id, &company).await?;
        let company = member.external_id;
        let bytes = match file {
            Ok(bytes) if bytes.len() > MAX_FILE_BYTES => Err("too_large"),
            Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => Err("required"),
            Ok(bytes) => Ok(bytes),
            Err(()) => Err("too_large"),
        };
        let outcome = match bytes {
            Ok(bytes) => {
                session
                    .insert(UPLOAD_SESSION_KEY, (company.clone(), text_of(bytes)))
                    .await
                    .map_err(|_| AppError::Internal)?;
                "uploaded=1".to_string()
            }
            Err(code) => format!("file_error={code}"),
        };
        Ok(Redirect::to(&page(&company, &outcome)).into_response())
    }
    .await;
    answered(result, HERE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_file_is_read_as_latin_1() {
        assert_eq!(text_of(b"LIN-SLOOP;4\n".to_vec()), "LIN-SLOOP;4\n");
        assert_eq!(text_of(vec![b'C', 0xe9, b';', b'1']), "Cé;1");
        assert_eq!(text_of("é".as_bytes().to_vec()), "é");
    }
}
