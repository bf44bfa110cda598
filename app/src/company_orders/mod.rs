//! The company's orders and invoices (issue #22 §2) at `/account/company/orders`: every
//! order of the company, whoever placed it, filtered by buyer, delivery location and
//! period; what the company ordered per month (for its admin); and the invoices the back
//! office sends (`PUT /api/v1/invoices/{number}`), each as a PDF — the one sent, or one
//! made from its lines. A member sees only their own company's.
pub mod api;
#[cfg(feature = "ssr")]
pub mod invoice_pdf;
#[cfg(feature = "ssr")]
pub mod invoices;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

use crate::orders::OrderStatus;

/// Whether an invoice has been paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Open,
    Paid,
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Open => "open",
            InvoiceStatus::Paid => "paid",
        }
    }

    pub fn parse(value: &str) -> Option<InvoiceStatus> {
        [InvoiceStatus::Open, InvoiceStatus::Paid]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// One line of an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: i32,
    /// Price per piece, minor units (cents), VAT included.
    pub unit_price: i64,
    /// The line's amount, minor units.
    pub amount: i64,
}

/// An invoice as the API stores and answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub number: String,
    /// The company's id.
    pub company: String,
    /// The order it invoices, when one.
    pub order: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `YYYY-MM-DD`.
    pub due_date: String,
    /// Minor units (cents), VAT included.
    pub amount: i64,
    pub currency: String,
    pub status: InvoiceStatus,
    /// Whether the back office sent the PDF (else the portal makes one from `lines`).
    pub pdf: bool,
    pub lines: Vec<InvoiceLine>,
}

/// An invoice in the company's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRow {
    pub number: String,
    pub order: Option<String>,
    pub date: String,
    pub due_date: String,
    pub amount: i64,
    pub currency: String,
    pub status: InvoiceStatus,
    /// Open and past its due date.
    pub overdue: bool,
}

/// An order of the company in its list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyOrderRow {
    pub number: String,
    /// Local `YYYY-MM-DDTHH:MM`.
    pub placed_local: String,
    /// Who placed it.
    pub buyer: Option<String>,
    /// The company location it went to, when its address is one of them.
    pub location: Option<String>,
    pub status: OrderStatus,
    pub total: i64,
    pub currency: String,
}

/// What the company's orders (as filtered) came to in one calendar month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotal {
    /// `YYYY-MM`.
    pub month: String,
    pub orders: i64,
    pub total: i64,
    pub currency: String,
}

/// The filters of the company's orders, as the form (a plain GET) sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyOrdersQuery {
    pub company: String,
    /// A member's customer id (as the form sends it); empty: every buyer.
    pub buyer: String,
    /// A location's id; empty: every address.
    pub location: String,
    /// `30d`, `6m`, `12m`, a year or `all`; empty: the last 12 months.
    pub period: String,
}

/// What the page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyOrdersData {
    pub company: String,
    pub company_name: String,
    pub other_companies: Vec<(String, String)>,
    /// The company's admin sees the totals per month.
    pub admin: bool,
    /// The members to filter by: (customer id, name).
    pub members: Vec<(i64, String)>,
    pub locations: Vec<(i64, String)>,
    /// The years with orders, newest first, for the period filter.
    pub years: Vec<i32>,
    pub orders: Vec<CompanyOrderRow>,
    /// Orders matching the filters (the list shows the newest [`ORDERS_SHOWN`]).
    pub matching: i64,
    pub months: Vec<MonthTotal>,
    pub invoices: Vec<InvoiceRow>,
}

/// Orders listed on the page; the totals count every matching one.
pub const ORDERS_SHOWN: usize = 50;
