//! `/account/company/invoices/{number}/invoice.pdf`: an invoice of the logged-in member's
//! company as a PDF — the one the back office sent, or one made from its lines in the member's
//! language. Another company's invoice is 404, like one that does not exist; while a
//! support agent helps a customer, the look is recorded in the trail first.
use app::error::AppError;
use axum::extract::{Path, State};
use axum::response::Response;
use http::HeaderMap;
use tower_sessions::Session;

use crate::receipt_pdf::{Request, answered, customer_shown, locale, pdf_response};
use crate::state::AppState;

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    client: Option<axum::Extension<app::context::ClientAddr>>,
    Path(number): Path<String>,
) -> Response {
    // Invoice numbers are letters, digits and dashes (checked when stored); keep it so.
    let safe: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    let here = format!("/account/company/invoices/{safe}/invoice.pdf");
    let request = Request {
        path: &here,
        headers: &headers,
        client: client.map(|axum::Extension(c)| c),
    };
    let result = async {
        let (user, customer_id) = customer_shown(&state, &session, &request).await?;
        let pdf = app::company_orders::invoices::pdf_for_member(
            &state.db,
            customer_id,
            &number,
            &state.branding.retailer_name,
            locale(request.headers, user.language),
        )
        .await?;
        Ok::<_, AppError>(pdf_response(pdf, &format!("{safe}.pdf")))
    }
    .await;
    answered(result, &here)
}
