//! A request the back office decides once — a cancellation, a reorder, a delivery change:
//! the customer asks, the back office answers `PUT …/{id}` with one of the allowed
//! answers. The same answer twice changes nothing (a retried call is harmless); another
//! answer to a request already answered is refused (`status` / `already_decided`), also
//! when two answers race (the write only applies to a request still `requested`).
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;
use crate::tx_run;

/// The status every such request starts in, in every request table.
pub const REQUESTED: &str = "requested";

/// Where a request stands against the answer just given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Still open: record the answer.
    Open,
    /// Already has exactly this answer: change nothing.
    SameAnswer,
    /// Answered otherwise before.
    OtherAnswer,
}

impl Standing {
    /// `current`: the request's status now; `wanted`: the answer; `open`: "requested".
    pub fn of<S: PartialEq>(current: S, wanted: S, open: S) -> Standing {
        if current == wanted {
            Standing::SameAnswer
        } else if current == open {
            Standing::Open
        } else {
            Standing::OtherAnswer
        }
    }
}

/// The refusal of a second, different answer.
pub fn already_decided() -> AppError {
    AppError::invalid("status", "already_decided")
}

/// One step of [`decide_once`]: a boxed future, so that the steps may borrow what the
/// caller holds (the database, the answer) and still be sent between threads.
pub type Step<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, AppError>> + Send + 'a>>;

/// Answers a request once. `find` loads it (`None`: no such request, 404); `standing`
/// says where it stands against this answer; `record` writes the answer (in its own
/// transaction, guarded by [`record_answer`]) and says whether it applied. Returns the
/// request as it is afterwards.
pub async fn decide_once<'a, R>(
    find: impl Fn() -> Step<'a, Option<R>>,
    standing: impl Fn(&R) -> Standing,
    record: impl FnOnce(R) -> Step<'a, bool>,
) -> Result<R, AppError> {
    let request = find().await?.ok_or(AppError::NotFound)?;
    match standing(&request) {
        Standing::SameAnswer => return Ok(request),
        Standing::OtherAnswer => return Err(already_decided()),
        Standing::Open => {}
    }
    if !record(request).await? {
        return Err(already_decided());
    }
    find().await?.ok_or(AppError::Internal)
}

/// The guarded write of an answer: sets `status`, `decision_note`, `decided_at` (and the
/// `extra` columns) on request `id` of `table` only while it is still requested; `false`
/// when it was answered before (by another call). `table` and the column names are
/// constants of the calling area, never input.
pub async fn record_answer(
    tx: &mut Tx,
    table: &'static str,
    id: i64,
    status: &str,
    note: Option<&str>,
    now: Timestamp,
    extra: &[(&'static str, Option<&str>)],
) -> Result<bool, sqlx::Error> {
    let mut set = String::from("status = $2, decision_note = $3, decided_at = $4");
    for (i, (column, _)) in extra.iter().enumerate() {
        set.push_str(&format!(", {column} = ${}", i + 5));
    }
    let sql = format!("UPDATE {table} SET {set} WHERE id = $1 AND status = '{REQUESTED}'");
    tx_run!(tx, |conn| {
        let mut query = sqlx::query(&sql).bind(id).bind(status).bind(note).bind(now);
        for (_, value) in extra {
            query = query.bind(*value);
        }
        query.execute(conn).await.map(|r| r.rows_affected() == 1)
    })
}

/// [`record_answer`] in a transaction of its own, for an answer that changes nothing
/// else.
pub fn record_answer_alone<'a>(
    db: &'a Db,
    table: &'static str,
    id: i64,
    status: &'a str,
    note: Option<&'a str>,
    extra: &'a [(&'static str, Option<&'a str>)],
) -> Step<'a, bool> {
    Box::pin(async move {
        let mut tx = db.begin().await?;
        let applied =
            record_answer(&mut tx, table, id, status, note, Timestamp::now(), extra).await?;
        tx.commit().await?;
        Ok(applied)
    })
}

#[cfg(test)]
mod tests {
    use super::Standing;

    #[test]
    fn a_request_is_answered_once() {
        assert_eq!(
            Standing::of("requested", "confirmed", "requested"),
            Standing::Open
        );
        assert_eq!(
            Standing::of("confirmed", "confirmed", "requested"),
            Standing::SameAnswer
        );
        assert_eq!(
            Standing::of("declined", "confirmed", "requested"),
            Standing::OtherAnswer
        );
    }
}
