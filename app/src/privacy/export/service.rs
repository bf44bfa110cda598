//! The rules of "Download my data": asking (one at a time), building in the background
//! (claimed like outbox rows, so several server processes share the work), the mail
//! when it is ready, who may download it and until when.
use chrono::TimeDelta;

use super::builder::{self, About, Owner};
use super::repo::{self, ExportRow};
use super::{ExportStatus, ExportView};
use crate::accounts::UserSummary;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::language::Language;
use crate::mail::{MailContext, Parts, compose, locale, recipient};

/// How long a ready export can be downloaded.
pub const VALID_FOR: TimeDelta = TimeDelta::days(7);
/// How long a builder holds a claimed export before another may take it over.
pub const LEASE: TimeDelta = TimeDelta::minutes(10);
/// Builds tried before an export is marked failed.
pub const MAX_ATTEMPTS: i32 = 3;
/// The ZIP is stored (and streamed) in parts of this size.
pub const PART_BYTES: usize = 256 * 1024;

fn new_code() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn view_of(row: &ExportRow, downloads: i64) -> ExportView {
    let now = Timestamp::now();
    let status = ExportStatus::parse(&row.status).unwrap_or(ExportStatus::Failed);
    let percent = match status {
        ExportStatus::Ready => 100,
        _ if row.steps_total > 0 => {
            // Never 100 before it is ready: the last step is storing the file.
            ((row.steps_done * 100 / row.steps_total).clamp(0, 99)) as u8
        }
        _ => 0,
    };
    ExportView {
        code: row.code.clone(),
        status,
        percent,
        requested_local: crate::time::local_time(row.requested_at.0),
        until_local: row
            .expires_at
            .filter(|_| status == ExportStatus::Ready)
            .map(|at| crate::time::local_time(at.0)),
        size_bytes: row.size_bytes.filter(|_| status == ExportStatus::Ready),
        downloads,
        checked_at: crate::time::local_time_of_day(now.0),
        check_key: now.0.timestamp_millis().to_string(),
    }
}

/// The customer's newest export, as the privacy page shows it.
pub async fn newest(db: &Db, customer_id: i64) -> Result<Option<ExportView>, AppError> {
    let Some(row) = repo::newest(db, customer_id).await? else {
        return Ok(None);
    };
    let downloads = repo::downloads(db, row.id).await?;
    Ok(Some(view_of(&row, downloads)))
}

/// Asks for an export of the customer's data, in `language` (its README and mail). While
/// one is queued or being built, that one is the answer.
pub async fn request(
    db: &Db,
    user: &UserSummary,
    customer_id: Option<i64>,
    language: Language,
) -> Result<ExportView, AppError> {
    // Without a customer record (an unconfirmed address) there are no orders, consents
    // or addresses to take along; the page asks to confirm the address first.
    let customer_id = customer_id.ok_or_else(|| AppError::invalid("export", "verify_first"))?;
    for _ in 0..2 {
        if let Some(row) = repo::newest(db, customer_id).await?
            && ExportStatus::parse(&row.status).is_some_and(ExportStatus::in_progress)
        {
            return Ok(view_of(&row, 0));
        }
        let now = Timestamp::now();
        if repo::insert(
            db,
            &new_code(),
            customer_id,
            user.id,
            language.as_str(),
            now,
        )
        .await?
        .is_some()
        {
            let row = repo::newest(db, customer_id)
                .await?
                .ok_or(AppError::Internal)?;
            tracing::info!(export = %row.code, "data export requested");
            return Ok(view_of(&row, 0));
        }
        // Another request made one between our look and our insert: that one it is.
    }
    Err(AppError::Unavailable)
}

/// Builds the oldest waiting export, if any: the ZIP into a temporary file, then into the
/// database in parts, then "ready" and the customer's mail in one transaction. Returns
/// the export's code when one was built.
pub async fn build_next(
    db: &Db,
    mail: &MailContext,
    now: Timestamp,
) -> Result<Option<String>, AppError> {
    let token = new_code();
    let Some(row) = repo::claim(db, now, LEASE, &token).await? else {
        return Ok(None);
    };
    match build(db, mail, &row, &token).await {
        Ok(()) => Ok(Some(row.code)),
        Err(err) => {
            let give_up = row.attempts >= MAX_ATTEMPTS;
            tracing::error!(export = %row.code, error = ?err, attempts = row.attempts, give_up, "data export failed");
            // Tried again once the back-off has passed (the claim query takes it then).
            let retry_at = Timestamp::now() + TimeDelta::minutes(i64::from(row.attempts));
            repo::mark_failed(db, row.id, &token, &format!("{err:?}"), give_up, retry_at).await?;
            Err(err)
        }
    }
}

async fn build(db: &Db, mail: &MailContext, row: &ExportRow, token: &str) -> Result<(), AppError> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |e: std::io::Error| {
        tracing::error!(error = %e, "cannot use the export's temporary file");
        AppError::Internal
    };
    repo::clear_parts(db, row.id).await?;
    let language = Language::parse(&row.language).unwrap_or_default();
    let about = About {
        retailer: &mail.retailer,
        language,
        generated_at: Timestamp::now(),
    };
    let owner = Owner {
        customer_id: row.customer_id,
        user_id: row.user_id,
    };
    // An unnamed temporary file: gone when dropped, also if the build stops half-way.
    let file = tempfile::tempfile().map_err(io)?;
    let progress = builder::Progress {
        export_id: row.id,
        claim_token: token,
    };
    let mut file = builder::write_zip(db, owner, &about, file, Some(progress)).await?;
    let size = file.seek(SeekFrom::End(0)).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut buffer = vec![0u8; PART_BYTES];
    let mut seq = 0;
    loop {
        let mut filled = 0;
        while filled < PART_BYTES {
            let n = file.read(&mut buffer[filled..]).map_err(io)?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        if filled == 0 {
            break;
        }
        repo::add_part(db, row.id, seq, &buffer[..filled]).await?;
        seq += 1;
    }
    let now = Timestamp::now();
    let message = ready_mail(db, mail, row, language, now + VALID_FOR).await?;
    let mut tx = db.begin().await?;
    if !repo::mark_ready(
        &mut tx,
        row.id,
        token,
        seq,
        size as i64,
        now,
        now + VALID_FOR,
    )
    .await?
    {
        // Another builder took it over after our lease ran out: theirs to finish.
        return Ok(());
    }
    if let Some(message) = message {
        crate::outbox::repo::enqueue_mail(&mut tx, &message, now).await?;
    }
    tx.commit().await?;
    tracing::info!(export = %row.code, bytes = size, parts = seq, "data export ready");
    Ok(())
}

/// "Your data is ready": a link to the download (it asks to log in first), until when.
async fn ready_mail(
    db: &Db,
    ctx: &MailContext,
    row: &ExportRow,
    language: Language,
    until: Timestamp,
) -> Result<Option<crate::outbox::OutgoingMail>, AppError> {
    use crate::i18n::*;
    let Some(account) = crate::accounts::privacy_repo::account(db, row.user_id).await? else {
        return Ok(None);
    };
    let l = locale(language);
    let until = crate::time::local_time(until.0).replacen('T', " ", 1);
    let link = format!("{}{}", ctx.public_url, super::download_path(&row.code));
    Ok(Some(compose(
        ctx,
        Parts {
            to: recipient(&account.account_name, &account.login_email),
            name: &account.account_name,
            subject: td_string!(l, mail.export_subject).to_string(),
            language,
            paragraph: td_string!(l, mail.export_text, until = until.as_str()).to_string(),
            button: td_string!(l, mail.export_button).to_string(),
            link: &link,
            note: Some(td_string!(l, mail.export_note).to_string()),
        },
    )))
}

/// The export `code` for downloading by `user` (the customer themself): `NotFound` for
/// anyone else's or an unknown code, `Invalid(export: expired)` past its date or when it
/// is not (yet) ready. Records the download.
pub async fn for_download(
    db: &Db,
    user: &UserSummary,
    customer_id: Option<i64>,
    code: &str,
    origin: &crate::privacy::service::Origin<'_>,
) -> Result<ExportRow, AppError> {
    let row = repo::by_code(db, code).await?.ok_or(AppError::NotFound)?;
    // Only the user who asked, logged in as the customer the data is about.
    if row.user_id != user.id || Some(row.customer_id) != customer_id {
        return Err(AppError::NotFound);
    }
    let now = Timestamp::now();
    let ready = row.status == ExportStatus::Ready.as_str();
    if !ready || row.expires_at.is_none_or(|at| at <= now) {
        let why = if ready || row.status == ExportStatus::Expired.as_str() {
            "expired"
        } else {
            "not_ready"
        };
        return Err(AppError::invalid("export", why));
    }
    repo::record_download(db, row.id, user.id, origin.ip, origin.user_agent, now).await?;
    tracing::info!(export = %row.code, "data export downloaded");
    Ok(row)
}

/// The file's name for the customer: `my-data-2026-11-29.zip` / `mijn-gegevens-…`.
pub fn file_name(row: &ExportRow) -> String {
    let day = row
        .ready_at
        .map(|at| {
            crate::time::local_time(at.0)
                .chars()
                .take(10)
                .collect::<String>()
        })
        .unwrap_or_default();
    match Language::parse(&row.language) {
        Some(Language::En) => format!("my-data-{day}.zip"),
        _ => format!("mijn-gegevens-{day}.zip"),
    }
}

/// Ready exports past their date lose their file (the request stays, for the record).
pub async fn expire(db: &Db, now: Timestamp) -> Result<u64, sqlx::Error> {
    repo::expire(db, now).await
}

/// For the admin's queue: the newest exports with their download counts.
pub async fn queue(db: &Db) -> Result<Vec<ExportView>, AppError> {
    let rows = repo::recent(db, 20).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let downloads = repo::downloads_of(db, &ids).await?;
    Ok(rows
        .iter()
        .map(|row| view_of(row, downloads.get(&row.id).copied().unwrap_or(0)))
        .collect())
}
