//! Invoices from the back office (`PUT /api/v1/invoices/{number}`): checked, stored with
//! their PDF or lines, and answered as stored.
use base64::Engine;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{Invoice, InvoiceLine, InvoiceStatus, repo};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::validate::Checks;

/// The largest PDF taken (the API's body limit is 1 MiB, base64 adds a third).
pub const MAX_PDF_BYTES: usize = 700 * 1024;

/// An invoice as the back office sends it: a PDF, or lines the portal makes one from
/// (or both: the PDF is shown, the lines kept).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceInput {
    /// The company's id (sent before with `PUT /api/v1/companies/{id}`).
    pub company: String,
    /// The number of the order it invoices, if one (an order of that company).
    #[serde(default)]
    pub order: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `YYYY-MM-DD`, not before `date`.
    pub due_date: String,
    /// Minor units (cents), VAT included; a credit note is negative.
    pub amount: i64,
    pub currency: String,
    /// `open` (the default) or `paid`.
    #[serde(default)]
    pub status: Option<InvoiceStatus>,
    /// The PDF, base64 (at most 700 KB).
    #[serde(default)]
    pub pdf: Option<String>,
    /// The lines; their amounts add up to `amount`.
    #[serde(default)]
    pub lines: Vec<InvoiceLine>,
}

fn date(checks: &mut Checks, field: &str, value: &str) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            checks.push(field, "invalid_date");
            None
        }
    }
}

/// The PDF's bytes from base64; field errors `pdf` / `not_base64`, `too_large`,
/// `not_a_pdf`.
fn pdf_of(checks: &mut Checks, encoded: Option<&str>) -> Option<Vec<u8>> {
    let encoded = encoded?.trim();
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
        checks.push("pdf", "not_base64");
        return None;
    };
    if bytes.len() > MAX_PDF_BYTES {
        checks.push("pdf", "too_large");
        None
    } else if !bytes.starts_with(b"%PDF-") {
        checks.push("pdf", "not_a_pdf");
        None
    } else {
        Some(bytes)
    }
}

/// Stores invoice `number` (sent again: replaced). Field errors name each bad field:
/// `company` / `unknown_company`, `order` / `unknown_order` (also an order of another
/// company), `date` / `due_date` `invalid_date`, `due_date` / `before_date`, `currency`,
/// `pdf` (see above) or `pdf_or_lines` (neither given), `lines[i].description`,
/// `lines[i].quantity` / `must_be_positive`, `amount` / `total_mismatch`.
pub async fn upsert_invoice(
    db: &Db,
    number: &str,
    input: InvoiceInput,
) -> Result<Invoice, AppError> {
    let mut checks = Checks::new();
    checks.external_id("number", number);
    checks.external_id("company", &input.company);
    let issued = date(&mut checks, "date", &input.date);
    let due = date(&mut checks, "due_date", &input.due_date);
    if let (Some(issued), Some(due)) = (issued, due)
        && due < issued
    {
        checks.push("due_date", "before_date");
    }
    checks.currency("currency", &input.currency);
    let pdf = pdf_of(&mut checks, input.pdf.as_deref());
    if input.pdf.is_none() && input.lines.is_empty() {
        checks.push("pdf", "pdf_or_lines");
    }
    for (i, line) in input.lines.iter().enumerate() {
        checks.text(&format!("lines[{i}].description"), &line.description, 200);
        if line.quantity <= 0 {
            checks.push(format!("lines[{i}].quantity"), "must_be_positive");
        }
    }
    if !input.lines.is_empty()
        && input
            .lines
            .iter()
            .try_fold(0i64, |sum, l| sum.checked_add(l.amount))
            != Some(input.amount)
    {
        checks.push("amount", "total_mismatch");
    }
    let order = input
        .order
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    let order_id = match order {
        Some(number) => match crate::orders::repo::find(db, number).await? {
            Some((id, o)) if o.company.as_deref() == Some(input.company.as_str()) => Some(id),
            _ => {
                checks.push("order", "unknown_order");
                None
            }
        },
        None => None,
    };
    let mut tx = db.begin().await?;
    let company_id =
        crate::companies::repo::id_by_external_id(&mut tx, input.company.trim()).await?;
    if company_id.is_none() && !input.company.is_empty() {
        checks.push("company", "unknown_company");
    }
    checks.finish()?;
    let company_id = company_id.ok_or(AppError::Internal)?;
    let status = input.status.unwrap_or(InvoiceStatus::Open);
    repo::upsert_invoice(
        &mut tx,
        &repo::NewInvoice {
            number,
            company_id,
            order_id,
            date: input.date.trim(),
            due_date: input.due_date.trim(),
            amount: input.amount,
            currency: &input.currency,
            status: status.as_str(),
            pdf: pdf.as_deref(),
            lines: &input.lines,
        },
        Timestamp::now(),
    )
    .await?;
    tx.commit().await?;
    find(db, number).await?.ok_or(AppError::Internal)
}

/// An invoice as stored, with its lines.
pub async fn find(db: &Db, number: &str) -> Result<Option<Invoice>, AppError> {
    let Some(head) = repo::invoice(db, number).await? else {
        return Ok(None);
    };
    let lines = repo::invoice_lines(db, head.id).await?;
    Ok(Some(Invoice {
        number: head.number,
        company: head.company,
        order: head.order_number,
        date: head.issued_on,
        due_date: head.due_on,
        amount: head.amount_minor,
        currency: head.currency,
        status: InvoiceStatus::parse(&head.status).unwrap_or(InvoiceStatus::Open),
        pdf: head.has_pdf,
        lines,
    }))
}

/// The invoice's PDF for a member of its company (`customer_id`), with its number: the
/// one the back office sent, else one made from its lines in `locale`. Not a member of
/// that company, or no such invoice: 404.
pub async fn pdf_for_member(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
    retailer: &str,
    locale: crate::i18n::Locale,
) -> Result<Vec<u8>, AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let head = repo::invoice(db, number).await?.ok_or(AppError::NotFound)?;
    let member = crate::companies::repo::memberships(db, customer_id)
        .await?
        .into_iter()
        .find(|m| m.company_id == head.company_id)
        .ok_or(AppError::NotFound)?;
    if let Some(pdf) = repo::invoice_pdf(db, head.id).await? {
        return Ok(pdf);
    }
    let invoice = find(db, number).await?.ok_or(AppError::NotFound)?;
    Ok(super::invoice_pdf::render(
        &invoice,
        &member.name,
        retailer,
        locale,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_must_be_base64_of_a_pdf() {
        let mut checks = Checks::new();
        let pdf = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.7\n...");
        assert!(pdf_of(&mut checks, Some(&pdf)).is_some());
        assert!(pdf_of(&mut checks, None).is_none());
        assert!(checks.is_empty());
        assert!(pdf_of(&mut checks, Some("***")).is_none());
        let text = base64::engine::general_purpose::STANDARD.encode(b"hello");
        assert!(pdf_of(&mut checks, Some(&text)).is_none());
        let err = checks.finish().expect_err("two errors");
        let text = format!("{err:?}");
        assert!(
            text.contains("not_base64") && text.contains("not_a_pdf"),
            "{text}"
        );
    }
}
