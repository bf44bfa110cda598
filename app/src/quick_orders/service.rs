//! The rules of quick orders and order lists: which company the member orders for, each
//! typed line checked against the catalogue, lists saved and ordered in one go.
use super::read::{self, TypedLine};
use super::{Draft, LineError, OrderListView, QuickOrderData, RequestView, repo};
use crate::companies::repo::Membership;
use crate::db::{Db, Timestamp};
use crate::error::{AppError, FieldError};
use crate::mail::MailContext;
use crate::reorders::requests::{NewOrderRequest, request};
use crate::reorders::service::{Then, offer};
use crate::reorders::{MAX_QUANTITY, Reorder, ReorderChoice};
use crate::validate::Checks;

/// Requests shown on the page, newest first.
const REQUESTS_SHOWN: i64 = 20;

/// The member's company `company` (its number); empty: their first. Not a member: 404.
pub async fn membership(
    db: &Db,
    customer_id: Option<i64>,
    company: &str,
) -> Result<(Membership, Vec<Membership>), AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let mut all = crate::companies::repo::memberships(db, customer_id).await?;
    let company = company.trim();
    let at = if company.is_empty() {
        // The first where they may order, else the first.
        all.iter()
            .position(|m| m.role.may_order())
            .or((!all.is_empty()).then_some(0))
    } else {
        all.iter().position(|m| m.external_id == company)
    };
    let at = at.ok_or(AppError::NotFound)?;
    let member = all.remove(at);
    Ok((member, all))
}

/// What is wrong with ordering `quantity` of a product as offered now, if anything:
/// the code and the hint that goes with it.
fn problem_with(c: &ReorderChoice, quantity: i32) -> Option<(&'static str, Option<String>)> {
    if quantity > MAX_QUANTITY {
        Some(("too_many", None))
    } else if c.price_now.is_none() {
        Some(("no_longer_sold", None))
    } else if c.stock == Some(0) {
        Some(("out_of_stock", None))
    } else if let Some(stock) = c.stock.filter(|&s| quantity > s) {
        Some(("more_than_in_stock", Some(stock.to_string())))
    } else if quantity % c.pack_size.max(1) != 0 {
        Some(("not_pack_multiple", Some(c.pack_size.to_string())))
    } else {
        None
    }
}

/// Typed lines against the catalogue: what can be ordered, and what is wrong with the
/// rest, by line (the same SKU on several lines added up at its first line).
pub async fn check(
    db: &Db,
    typed: &[TypedLine],
) -> Result<(Vec<(ReorderChoice, i32)>, Vec<LineError>), AppError> {
    let mut chosen = Vec::new();
    let mut problems = Vec::new();
    for t in read::add_up(typed) {
        let problem = |code: &str, hint: Option<String>| LineError {
            line: t.line,
            code: code.to_string(),
            hint,
        };
        let Some(product) = crate::catalog::repo::find(db, &t.sku).await? else {
            problems.push(problem("unknown_sku", None));
            continue;
        };
        if !product.active {
            let successor = match product.successor.as_deref() {
                Some(s) => crate::catalog::repo::find(db, s)
                    .await?
                    .filter(|s| s.active)
                    .map(|s| s.sku),
                None => None,
            };
            problems.push(match successor {
                Some(sku) => problem("replaced", Some(sku)),
                None => problem("no_longer_sold", None),
            });
            continue;
        }
        let choice = ReorderChoice {
            line: t.line as i32,
            sku: product.sku,
            name: product.name,
            ordered: t.quantity,
            price_now: Some(product.price),
            currency: product.currency,
            price_then: product.price,
            replaces: None,
            stock: product.stock,
            pack_size: product.pack_size,
        };
        match problem_with(&choice, t.quantity) {
            Some((code, hint)) => problems.push(problem(code, hint)),
            None => chosen.push((choice, t.quantity)),
        }
    }
    Ok((chosen, problems))
}

/// Reads and checks pasted text (or a file's): every problem, read or catalogue, by line.
pub async fn check_text(
    db: &Db,
    text: &str,
) -> Result<(Vec<(ReorderChoice, i32)>, Vec<LineError>), AppError> {
    let (typed, unread) = read::read(text);
    let (chosen, mut problems) = check(db, &typed).await?;
    problems.extend(unread.into_iter().map(|p| LineError {
        line: p.line,
        code: p.code.to_string(),
        hint: None,
    }));
    problems.sort_by_key(|p| p.line);
    Ok((chosen, problems))
}

/// The problems as a refused form: `line[<n>]` with its code, hints kept as `hint[<n>]`.
pub fn refused(problems: Vec<LineError>) -> AppError {
    let mut kept = Vec::new();
    let errors = problems
        .into_iter()
        .map(|p| {
            if let Some(hint) = p.hint {
                kept.push((format!("hint[{}]", p.line), hint));
            }
            FieldError {
                field: format!("line[{}]", p.line),
                code: p.code,
            }
        })
        .collect();
    AppError::FormInvalid { errors, kept }
}

fn may_order(member: &Membership) -> Result<(), AppError> {
    if member.role.may_order() {
        Ok(())
    } else {
        Err(AppError::invalid("lines", "viewer_cannot_order"))
    }
}

/// What the buyer filled in on the quick order form.
pub struct QuickOrderForm<'a> {
    pub company: &'a str,
    pub lines: &'a str,
    pub note: &'a str,
    pub location: &'a str,
}

fn note_of(note: &str) -> Result<Option<&str>, AppError> {
    let note = Some(note.trim()).filter(|n| !n.is_empty());
    let mut checks = Checks::new();
    checks.optional_text("note", note, 500);
    checks.finish()?;
    Ok(note)
}

/// Sends the lines as an order request of the company. Nothing is sent while any line is
/// wrong (each named by its line number); field errors `lines` / `nothing_chosen` (no
/// line at all) or `viewer_cannot_order`; `location` as in
/// [`crate::companies::service::chosen_location`]; `note` / `too_long`.
pub async fn send(
    db: &Db,
    ctx: &MailContext,
    user_id: i64,
    customer_id: Option<i64>,
    form: QuickOrderForm<'_>,
) -> Result<Reorder, AppError> {
    let (member, _) = membership(db, customer_id, form.company).await?;
    may_order(&member)?;
    let (chosen, problems) = check_text(db, form.lines).await?;
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    if chosen.is_empty() {
        return Err(AppError::invalid("lines", "nothing_chosen"));
    }
    let buyer = Buyer {
        user_id,
        customer_id: customer_id.ok_or(AppError::NotFound)?,
        member: &member,
    };
    send_chosen(db, ctx, buyer, &chosen, form.note, form.location).await
}

/// Who orders: the user, as member (`customer_id`) of a company.
struct Buyer<'a> {
    user_id: i64,
    customer_id: i64,
    member: &'a Membership,
}

async fn send_chosen(
    db: &Db,
    ctx: &MailContext,
    buyer: Buyer<'_>,
    chosen: &[(ReorderChoice, i32)],
    note: &str,
    location: &str,
) -> Result<Reorder, AppError> {
    let Buyer {
        user_id,
        customer_id,
        member,
    } = buyer;
    let note = note_of(note)?;
    let allowed =
        crate::companies::service::delivery_locations(db, member.company_id, customer_id).await?;
    let deliver_to = crate::companies::service::chosen_location(&allowed, location)?;
    let currency = chosen
        .first()
        .map_or_else(|| "EUR".to_string(), |(c, _)| c.currency.clone());
    request(
        db,
        ctx,
        NewOrderRequest {
            order: None,
            company: &member.external_id,
            customer_id,
            user_id,
            chosen,
            currency: &currency,
            note,
            deliver_to: deliver_to.as_ref(),
        },
    )
    .await
}

/// Saves the typed lines as the company's order list `name` (a list of that name gets
/// the new lines). Every line must be orderable now, as for sending. Field errors
/// `list_name` / `required` or `too_long`, and those of [`send`].
pub async fn save_list(
    db: &Db,
    user_id: i64,
    customer_id: Option<i64>,
    company: &str,
    name: &str,
    text: &str,
) -> Result<i64, AppError> {
    let (member, _) = membership(db, customer_id, company).await?;
    may_order(&member)?;
    let name = name.trim();
    let mut checks = Checks::new();
    if name.is_empty() {
        checks.push("list_name", "required");
    }
    checks.optional_text("list_name", Some(name), 80);
    checks.finish()?;
    let (chosen, problems) = check_text(db, text).await?;
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    if chosen.is_empty() {
        return Err(AppError::invalid("lines", "nothing_chosen"));
    }
    let lines: Vec<repo::ListLine> = chosen
        .into_iter()
        .map(|(c, q)| (c.sku, c.name, q, c.price_now.unwrap_or(0), c.currency))
        .collect();
    let mut tx = db.begin().await?;
    let id = repo::save(
        &mut tx,
        member.company_id,
        name,
        user_id,
        &lines,
        Timestamp::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A list's lines as they can be ordered today (successors offered, prices then kept).
async fn list_choices(db: &Db, list_id: i64) -> Result<Vec<ReorderChoice>, AppError> {
    let mut out = Vec::new();
    for (line, (sku, name, quantity, price, currency)) in repo::lines(db, list_id).await? {
        let then = Then {
            line,
            sku: &sku,
            name: &name,
            quantity,
            unit_price: price,
            currency: &currency,
        };
        out.push(offer(db, then).await?);
    }
    Ok(out)
}

/// Orders list `list_id` of the company in one go, each line as offered today (a
/// successor in place of a product no longer sold). Refused, by line, when a line cannot
/// be ordered as saved (not sold, not that many in stock, not whole packs).
pub async fn order_list(
    db: &Db,
    ctx: &MailContext,
    user_id: i64,
    customer_id: Option<i64>,
    company: &str,
    list_id: i64,
    location: &str,
) -> Result<Reorder, AppError> {
    let (member, _) = membership(db, customer_id, company).await?;
    may_order(&member)?;
    let name = repo::name_of(db, member.company_id, list_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut chosen = Vec::new();
    let mut problems = Vec::new();
    for c in list_choices(db, list_id).await? {
        let quantity = c.ordered;
        match problem_with(&c, quantity) {
            Some((code, hint)) => problems.push(LineError {
                line: c.line as usize,
                code: code.to_string(),
                hint,
            }),
            None => chosen.push((c, quantity)),
        }
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    if chosen.is_empty() {
        return Err(AppError::invalid("lines", "nothing_chosen"));
    }
    let note = name.chars().take(500).collect::<String>();
    let buyer = Buyer {
        user_id,
        customer_id: customer_id.ok_or(AppError::NotFound)?,
        member: &member,
    };
    send_chosen(db, ctx, buyer, &chosen, &note, location).await
}

/// Removes one of the company's lists.
pub async fn delete_list(
    db: &Db,
    customer_id: Option<i64>,
    company: &str,
    list_id: i64,
) -> Result<(), AppError> {
    let (member, _) = membership(db, customer_id, company).await?;
    may_order(&member)?;
    if repo::delete(db, member.company_id, list_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A list as the text of the quick order form (`SKU quantity` a line).
fn as_text(lines: &[ReorderChoice]) -> String {
    lines
        .iter()
        .map(|c| {
            let sku = c.replaces.as_ref().map_or(&c.sku, |(old, _)| old);
            format!("{sku} {}\n", c.ordered)
        })
        .collect()
}

/// The quick order page of the member's company `company` (empty: their first): the
/// form's locations, the company's lists and its requests of no order; `list` (one of
/// the company's) or `uploaded` (a file's text) fill the form.
pub async fn page(
    db: &Db,
    customer_id: Option<i64>,
    company: &str,
    list: Option<i64>,
    uploaded: Option<String>,
) -> Result<QuickOrderData, AppError> {
    let (member, others) = membership(db, customer_id, company).await?;
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let locations =
        crate::companies::service::delivery_locations(db, member.company_id, customer_id)
            .await?
            .iter()
            .map(crate::companies::service::location_choice)
            .collect();
    let mut lists = Vec::new();
    let mut draft = None;
    for row in repo::lists(db, member.company_id).await? {
        let lines = list_choices(db, row.id).await?;
        if list == Some(row.id) {
            let text = as_text(&lines);
            let (_, problems) = check_text(db, &text).await?;
            draft = Some(Draft {
                text,
                list: Some(row.name.clone()),
                problems,
            });
        }
        lists.push(OrderListView {
            id: row.id,
            name: row.name,
            by: row.by,
            updated_local: crate::time::local_time(row.updated_at.0),
            lines,
        });
    }
    if let Some(text) = uploaded {
        let (_, problems) = check_text(db, &text).await?;
        draft = Some(Draft {
            text,
            list: None,
            problems,
        });
    }
    let requests = crate::reorders::repo::without_order(db, member.company_id, REQUESTS_SHOWN)
        .await?
        .into_iter()
        .map(|r| RequestView {
            id: r.id,
            status: r.status,
            note: r.note,
            lines: r.lines,
            new_order: r.new_order,
            decision_note: r.decision_note,
            requested_local: crate::time::local_time(r.requested_at),
            approval_local: r
                .approval
                .as_ref()
                .and_then(|a| a.at)
                .map(crate::time::local_time),
            approval: r.approval,
            deliver_to: r.deliver_to.map(|a| a.name),
        })
        .collect();
    Ok(QuickOrderData {
        company: member.external_id.clone(),
        company_name: member.name.clone(),
        other_companies: others
            .into_iter()
            .map(|m| (m.external_id, m.name))
            .collect(),
        may_order: member.role.may_order(),
        locations,
        draft,
        lists,
        requests,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(stock: Option<i32>, pack_size: i32, sold: bool) -> ReorderChoice {
        ReorderChoice {
            line: 1,
            sku: "LIN-SLOOP".into(),
            name: "Kussensloop".into(),
            ordered: 10,
            price_now: sold.then_some(450),
            currency: "EUR".into(),
            price_then: 450,
            replaces: None,
            stock,
            pack_size,
        }
    }

    #[test]
    fn each_problem_of_a_line_says_what_would_help() {
        assert_eq!(problem_with(&offered(None, 1, true), 7), None);
        assert_eq!(
            problem_with(&offered(None, 1, false), 7),
            Some(("no_longer_sold", None))
        );
        assert_eq!(
            problem_with(&offered(Some(0), 1, true), 7),
            Some(("out_of_stock", None))
        );
        assert_eq!(
            problem_with(&offered(Some(40), 1, true), 50),
            Some(("more_than_in_stock", Some("40".into())))
        );
        assert_eq!(
            problem_with(&offered(Some(500), 10, true), 25),
            Some(("not_pack_multiple", Some("10".into())))
        );
        assert_eq!(problem_with(&offered(Some(500), 10, true), 30), None);
        assert_eq!(
            problem_with(&offered(None, 1, true), 1000),
            Some(("too_many", None))
        );
    }

    #[test]
    fn a_refusal_names_each_line_with_its_hint() {
        let error = refused(vec![
            LineError {
                line: 2,
                code: "unknown_sku".into(),
                hint: None,
            },
            LineError {
                line: 5,
                code: "replaced".into(),
                hint: Some("LIN-NIEUW".into()),
            },
        ]);
        let lines = super::super::line_errors(&error);
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].line, lines[0].code.as_str()), (2, "unknown_sku"));
        assert_eq!(lines[1].hint.as_deref(), Some("LIN-NIEUW"));
    }
}
