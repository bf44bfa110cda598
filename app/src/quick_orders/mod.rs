//! Quick order and order lists (issue #22 §4): a B2B buyer pastes lines (`SKU quantity`)
//! or uploads a CSV file and sends them as an order request of the company, each line
//! checked against the catalogue with its own error; the company saves order lists
//! ("maandelijkse linnenbestelling") its members order again in one go. Requests go the
//! way of every B2B order request (`reorders::requests`): over the buyer's limit they
//! wait for an approver, else straight to the back office.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod read;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

use crate::reorders::{Approval, ReorderChoice, ReorderLine, ReorderStatus};

/// A line of a quick order (or an order list) that cannot be ordered as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    /// The line number as the person sees it (1-based).
    pub line: usize,
    /// `no_quantity`, `not_a_whole_number`, `not_positive`, `too_many`, `too_many_fields`,
    /// `unreadable`, `unknown_sku`, `replaced` (hint: the successor's SKU),
    /// `no_longer_sold`, `out_of_stock`, `more_than_in_stock` (hint: how many there are),
    /// `not_pack_multiple` (hint: the pack size).
    pub code: String,
    pub hint: Option<String>,
}

/// Text put into the quick order form before anything was sent: an uploaded file's
/// lines, or an order list's, with what is wrong with them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub text: String,
    /// The list it came from (its name), or `None` for an uploaded file.
    pub list: Option<String>,
    pub problems: Vec<LineError>,
}

/// An order list of the company, each line as it can be ordered today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderListView {
    pub id: i64,
    pub name: String,
    /// Who saved it.
    pub by: Option<String>,
    /// Local `YYYY-MM-DDTHH:MM`.
    pub updated_local: String,
    /// `price_then` is the price when the list was saved.
    pub lines: Vec<ReorderChoice>,
}

/// A request of the company that repeats no order (a quick order or an order list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: i64,
    pub status: ReorderStatus,
    /// The buyer's note (an order list's name when a list was ordered).
    pub note: Option<String>,
    pub lines: Vec<ReorderLine>,
    pub new_order: Option<String>,
    pub decision_note: Option<String>,
    pub requested_local: String,
    pub approval: Option<Approval>,
    /// When the approver decided, local `YYYY-MM-DDTHH:MM`.
    pub approval_local: Option<String>,
    /// Where it goes: the delivery location's name.
    pub deliver_to: Option<String>,
}

/// What the quick order page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickOrderData {
    /// The company's number and name.
    pub company: String,
    pub company_name: String,
    /// The member's other companies (number, name), to switch to.
    pub other_companies: Vec<(String, String)>,
    /// A viewer may look, not order.
    pub may_order: bool,
    /// The delivery locations the member may order to (id, label); empty: the company
    /// has none.
    pub locations: Vec<(i64, String)>,
    pub draft: Option<Draft>,
    pub lists: Vec<OrderListView>,
    pub requests: Vec<RequestView>,
}

/// The field errors of a refused quick order as lines: `line[<n>]` with its code, the
/// hint kept as `hint[<n>]`.
pub fn line_errors(error: &crate::error::AppError) -> Vec<LineError> {
    let crate::error::AppError::FormInvalid { errors, .. } = error else {
        return Vec::new();
    };
    errors
        .iter()
        .filter_map(|e| {
            let line = e.field.strip_prefix("line[")?.strip_suffix(']')?;
            Some(LineError {
                line: line.parse().ok()?,
                code: e.code.clone(),
                hint: error.kept(&format!("hint[{line}]")).map(str::to_string),
            })
        })
        .collect()
}
