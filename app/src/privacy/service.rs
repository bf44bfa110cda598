//! The rules of the consent centre: which consents count, recording a change with its
//! proof (from the portal or from the back office), and defining purposes and their
//! versioned texts.
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::repo::{self, NewEvent, NewText, PurposeText};
use super::{ChannelChoice, ConsentSource, ContactChannel, HistoryEntry, PrivacyView, PurposeView};
use crate::accounts::UserSummary;
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;
use crate::language::Language;
use crate::validate::Checks;

/// The webhook the back office receives for every change, so the marketing system follows.
pub const EVENT_CONSENT_CHANGED: &str = "customer.consent_changed";

/// SHA-256 (hex) of a text as the customer read it: title, a newline, body.
pub fn text_hash(title: &str, body: &str) -> String {
    hex::encode(Sha256::digest(format!("{title}\n{body}").as_bytes()))
}

/// Whether a consent counts: granted, and on a text no later version asks again for.
pub fn counts(granted: bool, version: i32, asks_again_from: Option<i32>) -> bool {
    granted && asks_again_from.is_none_or(|from| version >= from)
}

/// Whether the soft opt-in makes a "yes" where the customer never chose: only e-mail,
/// only for a purpose the retailer marked, only for someone who bought from it.
pub fn by_soft_opt_in(
    purpose_has_it: bool,
    channel: ContactChannel,
    chose_before: bool,
    has_bought: bool,
) -> bool {
    purpose_has_it && channel == ContactChannel::Email && !chose_before && has_bought
}

/// What one purpose × channel amounts to now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effective {
    /// Marketing may use it.
    pub granted: bool,
    /// Why it is on (none when off).
    pub basis: Option<ConsentBasis>,
    /// Given on a text that has since asked again: off until agreed anew.
    pub asked_again: bool,
}

/// The one rule the privacy page, the API and [`may_contact`] share: the customer's own
/// choice (`granted`, text version) counts while no later text asks again; without a
/// choice, the soft opt-in may make it a yes.
pub fn effective(
    chosen: Option<(bool, i32)>,
    asks_again_from: Option<i32>,
    soft_opt_in_purpose: bool,
    channel: ContactChannel,
    has_bought: bool,
) -> Effective {
    match chosen {
        Some((granted, version)) => {
            let on = counts(granted, version, asks_again_from);
            Effective {
                granted: on,
                basis: on.then_some(ConsentBasis::Consent),
                asked_again: granted && !on,
            }
        }
        None => {
            let soft = by_soft_opt_in(soft_opt_in_purpose, channel, false, has_bought);
            Effective {
                granted: soft,
                basis: soft.then_some(ConsentBasis::SoftOptIn),
                asked_again: false,
            }
        }
    }
}

/// The text in the customer's language, else in Dutch, else any.
fn in_language<'a>(texts: &[&'a PurposeText], language: Language) -> Option<&'a PurposeText> {
    texts
        .iter()
        .find(|t| t.language == language.as_str())
        .or_else(|| texts.iter().find(|t| t.language == Language::Nl.as_str()))
        .or_else(|| texts.first())
        .copied()
}

fn channels_of(list: &str) -> Vec<ContactChannel> {
    list.split(',')
        .filter_map(|c| ContactChannel::parse(c.trim()))
        .collect()
}

/// The privacy page: every purpose × channel with the current text, and the history.
pub async fn view(
    db: &Db,
    user: &UserSummary,
    customer_id: Option<i64>,
    language: Language,
) -> Result<PrivacyView, AppError> {
    let texts = repo::current_texts(db).await?;
    let current = match customer_id {
        Some(id) => repo::current(db, id).await?,
        None => Vec::new(),
    };
    let has_bought = match customer_id {
        Some(id) if texts.iter().any(|t| t.soft_opt_in) => {
            crate::orders::repo::has_bought(db, id).await?
        }
        _ => false,
    };
    let mut purposes: Vec<PurposeView> = Vec::new();
    let mut ids: Vec<i64> = texts.iter().map(|t| t.purpose_id).collect();
    ids.dedup();
    for id in ids {
        let of_purpose: Vec<&PurposeText> = texts.iter().filter(|t| t.purpose_id == id).collect();
        let Some(text) = in_language(&of_purpose, language) else {
            continue;
        };
        let channels = channels_of(&text.channels)
            .into_iter()
            .map(|channel| {
                let chosen = current
                    .iter()
                    .find(|(p, c, _, _)| *p == id && c == channel.as_str())
                    .map(|s| (s.2, s.3));
                let now = effective(
                    chosen,
                    text.asks_again_from,
                    text.soft_opt_in,
                    channel,
                    has_bought,
                );
                ChannelChoice {
                    channel,
                    granted: now.granted,
                    asked_again: now.asked_again,
                    soft_opt_in: now.basis == Some(ConsentBasis::SoftOptIn),
                }
            })
            .collect();
        purposes.push(PurposeView {
            code: text.code.clone(),
            title: text.title.clone(),
            body: text.body.clone(),
            version: text.version,
            marketing: text.marketing,
            channels,
        });
    }
    let history = match customer_id {
        Some(id) => repo::history(db, id, language.as_str())
            .await?
            .into_iter()
            .map(|h| HistoryEntry {
                purpose_title: h.title,
                channel: ContactChannel::parse(&h.channel).unwrap_or(ContactChannel::Email),
                granted: h.granted,
                version: h.text_version,
                at_local: crate::time::local_time(h.recorded_at.0),
                source: ConsentSource::parse(&h.source).unwrap_or(ConsentSource::Api),
                by_staff: h.actor_user_id != Some(user.id),
            })
            .collect(),
        None => Vec::new(),
    };
    let export = match customer_id {
        Some(id) => super::export::service::newest(db, id).await?,
        None => None,
    };
    let erasure = match customer_id {
        Some(id) => super::erasure::repo::newest(db, id).await?,
        None => None,
    };
    let erasure_status = erasure
        .as_ref()
        .and_then(|r| super::erasure::ErasureStatus::parse(&r.status));
    Ok(PrivacyView {
        purposes,
        history,
        verified: user.verified,
        export,
        erasure_asked: erasure_status == Some(super::erasure::ErasureStatus::AwaitingConfirmation),
        erasure_from: erasure
            .and_then(|r| r.erase_after)
            .filter(|_| erasure_status == Some(super::erasure::ErasureStatus::CoolingOff))
            .map(|at| crate::time::local_time(at.0)),
        access_log: match customer_id {
            Some(id) => super::access_log::of_customer(db, id).await?,
            None => Vec::new(),
        },
        help: match customer_id {
            Some(id) => super::help::current(db, id, crate::db::Timestamp::now()).await?,
            None => None,
        },
    })
}

/// A switch turned on the privacy page: the text version and language the customer saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalChange {
    pub purpose: String,
    pub channel: String,
    pub granted: bool,
    pub version: i32,
    pub language: String,
}

/// Where a portal change came from, for the proof.
pub struct Origin<'a> {
    pub ip: &'a str,
    pub user_agent: Option<&'a str>,
}

/// Records a change the customer made in the portal. Giving consent makes the customer
/// record when there is none yet (that needs a confirmed address); withdrawing one that
/// was never given changes nothing.
pub async fn change_by_customer(
    db: &Db,
    user: &UserSummary,
    customer_id: Option<i64>,
    change: &PortalChange,
    origin: &Origin<'_>,
) -> Result<(), AppError> {
    let channel = ContactChannel::parse(&change.channel)
        .ok_or_else(|| AppError::invalid("channel", "invalid"))?;
    let language = Language::parse(&change.language)
        .ok_or_else(|| AppError::invalid("language", "invalid"))?;
    let customer_id = match customer_id {
        Some(id) => id,
        None if !change.granted => return Ok(()),
        None => crate::accounts::current::ensure_customer(db, user).await?,
    };
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let text = checked_text(&mut tx, &change.purpose, channel, change.version, language).await?;
    record_in(
        &mut tx,
        &NewEvent {
            customer_id,
            text: &text,
            channel: channel.as_str(),
            granted: change.granted,
            source: ConsentSource::Portal.as_str(),
            actor_user_id: Some(user.id),
            actor_name: None,
            ip: Some(origin.ip),
            user_agent: origin.user_agent,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The text a change agrees to: it must be the purpose's newest version (a customer who
/// saw an older one is shown the new one first), for a channel the purpose uses.
async fn checked_text(
    tx: &mut Tx,
    purpose: &str,
    channel: ContactChannel,
    version: i32,
    language: Language,
) -> Result<PurposeText, AppError> {
    let Some(newest) = repo::newest_version(tx, purpose).await? else {
        return Err(AppError::invalid("purpose", "unknown"));
    };
    if version != newest {
        return Err(AppError::invalid("version", "text_changed"));
    }
    let text = match repo::text(tx, purpose, version, language.as_str()).await? {
        Some(text) => text,
        None => repo::text(tx, purpose, version, Language::Nl.as_str())
            .await?
            .ok_or_else(|| AppError::invalid("language", "invalid"))?,
    };
    if !channels_of(&text.channels).contains(&channel) {
        return Err(AppError::invalid("channel", "not_for_purpose"));
    }
    Ok(text)
}

/// Appends the event, updates the state and tells the back office, in the caller's
/// transaction.
async fn record_in(tx: &mut Tx, event: &NewEvent<'_>) -> Result<i64, AppError> {
    let event_id = repo::record(tx, event).await?;
    let external_id = crate::customers::repo::external_id(tx, event.customer_id).await?;
    crate::outbox::repo::enqueue_webhook(
        tx,
        EVENT_CONSENT_CHANGED,
        json!({
            "customer": external_id,
            "purpose": event.text.code,
            "channel": event.channel,
            "granted": event.granted,
            "text_version": event.text.version,
            "text_language": event.text.language,
            "text_sha256": event.text.sha256,
            "source": event.source,
            "given_at": event.at.0.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "consent_event_id": event_id,
        }),
        Timestamp::now(),
    )
    .await?;
    Ok(event_id)
}

/// Consents given or withdrawn elsewhere (at the till, in a store, by phone), as the back
/// office sends them.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentsInput {
    pub consents: Vec<ConsentInput>,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// The purpose's code, e.g. `newsletter`.
    pub purpose: String,
    pub channel: ContactChannel,
    pub granted: bool,
    /// The text version the customer was shown; it must be the newest.
    pub text_version: i32,
    /// The language of that text (`nl` or `en`).
    pub language: Language,
    /// Where it was given: `store`, `till`, `customer_service` or `api`.
    pub source: ConsentSource,
    /// When it was given (RFC 3339; default now). Not in the future.
    pub given_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who took it (a till or staff name), kept with the proof.
    pub taken_by: Option<String>,
}

/// A customer's consents now, as the API answers them.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ConsentState {
    pub purpose: String,
    pub channel: ContactChannel,
    /// Whether it counts now (given, on a text that has not since asked again; or the
    /// soft opt-in).
    pub granted: bool,
    /// The text version it was given on (for the soft opt-in: the current one).
    pub text_version: i32,
    /// `consent`, or `soft_opt_in`: an existing customer's e-mail for a purpose the
    /// retailer marked, until they say no (Telecommunicatiewet art. 11.7 lid 3).
    pub basis: ConsentBasis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentBasis {
    Consent,
    SoftOptIn,
}

/// Records consents the back office sends for customer `external_id`: all or nothing,
/// each bad field named (`consents[1].text_version`). Returns the state after.
pub async fn record_from_back_office(
    db: &Db,
    external_id: &str,
    input: ConsentsInput,
) -> Result<Vec<ConsentState>, AppError> {
    let mut checks = Checks::new();
    if input.consents.is_empty() {
        checks.push("consents", "required");
    }
    if input.consents.len() > 100 {
        checks.push("consents", "too_many");
    }
    let now = Timestamp::now();
    for (i, c) in input.consents.iter().enumerate() {
        if c.source == ConsentSource::Portal {
            checks.push(format!("consents[{i}].source"), "invalid");
        }
        if c.given_at
            .is_some_and(|at| at > now.0 + chrono::TimeDelta::minutes(5))
        {
            checks.push(format!("consents[{i}].given_at"), "in_future");
        }
        checks.optional_text(
            &format!("consents[{i}].taken_by"),
            c.taken_by.as_deref(),
            200,
        );
    }
    checks.finish()?;
    let mut tx = db.begin().await?;
    let customer_id = crate::customers::repo::id_by_external_id(&mut tx, external_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut checks = Checks::new();
    let mut texts = Vec::new();
    for (i, c) in input.consents.iter().enumerate() {
        match checked_text(&mut tx, &c.purpose, c.channel, c.text_version, c.language).await {
            Ok(text) => texts.push(text),
            Err(AppError::Invalid(errors)) => {
                for e in errors {
                    let field = match e.field.as_str() {
                        "version" => "text_version",
                        other => other,
                    };
                    checks.push(format!("consents[{i}].{field}"), &e.code);
                }
            }
            Err(other) => return Err(other),
        }
    }
    checks.finish()?;
    for (c, text) in input.consents.iter().zip(&texts) {
        record_in(
            &mut tx,
            &NewEvent {
                customer_id,
                text,
                channel: c.channel.as_str(),
                granted: c.granted,
                source: c.source.as_str(),
                actor_user_id: None,
                actor_name: c.taken_by.as_deref(),
                ip: None,
                user_agent: None,
                at: c
                    .given_at
                    .map(|at| Timestamp(at.with_timezone(&chrono::Utc)))
                    .unwrap_or(now),
            },
        )
        .await?;
    }
    tx.commit().await?;
    states(db, customer_id).await
}

/// A customer's consents now, for the API.
pub async fn states(db: &Db, customer_id: i64) -> Result<Vec<ConsentState>, AppError> {
    let texts = repo::current_texts(db).await?;
    let current = repo::current(db, customer_id).await?;
    let mut out = Vec::new();
    for (purpose_id, channel, granted, version) in &current {
        let Some(text) = texts.iter().find(|t| t.purpose_id == *purpose_id) else {
            continue;
        };
        let channel = ContactChannel::parse(channel).unwrap_or(ContactChannel::Email);
        let now = effective(
            Some((*granted, *version)),
            text.asks_again_from,
            text.soft_opt_in,
            channel,
            false,
        );
        out.push(ConsentState {
            purpose: text.code.clone(),
            channel,
            granted: now.granted,
            text_version: *version,
            basis: ConsentBasis::Consent,
        });
    }
    if texts.iter().any(|t| t.soft_opt_in)
        && crate::orders::repo::has_bought(db, customer_id).await?
    {
        let mut soft: Vec<&PurposeText> = texts.iter().filter(|t| t.soft_opt_in).collect();
        soft.dedup_by_key(|t| t.purpose_id);
        for text in soft {
            let chose = current
                .iter()
                .any(|(p, c, _, _)| *p == text.purpose_id && c == ContactChannel::Email.as_str());
            let now = effective(None, None, true, ContactChannel::Email, true);
            if !chose && now.granted && channels_of(&text.channels).contains(&ContactChannel::Email)
            {
                out.push(ConsentState {
                    purpose: text.code.clone(),
                    channel: ContactChannel::Email,
                    granted: true,
                    text_version: text.version,
                    basis: ConsentBasis::SoftOptIn,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.purpose, a.channel.as_str()).cmp(&(&b.purpose, b.channel.as_str())));
    Ok(out)
}

/// The customer number's consents now; `NotFound` for an unknown number.
pub async fn states_of(db: &Db, external_id: &str) -> Result<Vec<ConsentState>, AppError> {
    let mut tx = db.begin().await?;
    let customer_id = crate::customers::repo::id_by_external_id(&mut tx, external_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    states(db, customer_id).await
}

/// Whether marketing for `purpose` may reach this customer through `channel`: only
/// with consent that counts now, or by the soft opt-in where the customer never chose.
/// (Service mails about orders, parcels and returns never ask.)
pub async fn may_contact(
    db: &Db,
    customer_id: i64,
    purpose: &str,
    channel: ContactChannel,
) -> Result<bool, AppError> {
    let Some(state) = repo::contact_state(db, customer_id, purpose, channel.as_str()).await? else {
        return Ok(false);
    };
    if !state.uses_channel {
        return Ok(false);
    }
    let chosen = state.granted.zip(state.text_version);
    // Whether they bought matters only for the soft opt-in: asked only then.
    let has_bought = chosen.is_none()
        && state.soft_opt_in
        && crate::orders::repo::has_bought(db, customer_id).await?;
    Ok(effective(
        chosen,
        state.asks_again_from,
        state.soft_opt_in,
        channel,
        has_bought,
    )
    .granted)
}

/// A purpose as the admin (or the demo) defines it, with its text in both languages.
pub struct PurposeDefinition<'a> {
    pub code: &'a str,
    pub channels: &'a [ContactChannel],
    pub marketing: bool,
    pub position: i32,
    /// Shown to customers; an inactive purpose never contacts anyone.
    pub active: bool,
    /// Existing customers get its e-mail until they say no (marketing with e-mail only).
    pub soft_opt_in: bool,
    /// (language, title, body) for nl and en.
    pub texts: &'a [(Language, &'a str, &'a str)],
    /// Whether a changed text needs fresh consent (a material change).
    pub asks_again: bool,
}

/// Creates or updates a purpose. A text that differs from the newest version becomes a
/// new version (both languages together); the old rows stay as the proof refers to
/// them. Returns the version now current.
pub async fn define_purpose(db: &Db, def: &PurposeDefinition<'_>) -> Result<i32, AppError> {
    let mut checks = Checks::new();
    checks.external_id("code", def.code);
    if def.channels.is_empty() {
        checks.push("channels", "required");
    }
    if def.soft_opt_in && !(def.marketing && def.channels.contains(&ContactChannel::Email)) {
        checks.push("soft_opt_in", "email_marketing_only");
    }
    for language in [Language::Nl, Language::En] {
        match def.texts.iter().find(|t| t.0 == language) {
            Some((_, title, body)) => {
                checks.text(&format!("texts.{}.title", language.as_str()), title, 200);
                checks.text(&format!("texts.{}.body", language.as_str()), body, 4000);
            }
            None => checks.push(format!("texts.{}", language.as_str()), "required"),
        }
    }
    checks.finish()?;
    let channels: Vec<&str> = def.channels.iter().map(|c| c.as_str()).collect();
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let purpose_id = repo::upsert_purpose(
        &mut tx,
        &repo::PurposeSettings {
            code: def.code,
            channels: &channels.join(","),
            marketing: def.marketing,
            position: def.position,
            active: def.active,
            soft_opt_in: def.soft_opt_in,
        },
        now,
    )
    .await?;
    let mut newest = 0;
    let mut changed = false;
    for (language, title, body) in def.texts {
        match repo::newest_text(&mut tx, purpose_id, language.as_str()).await? {
            Some((version, sha)) => {
                newest = newest.max(version);
                changed |= sha != text_hash(title, body);
            }
            None => changed = true,
        }
    }
    if changed {
        newest += 1;
        for (language, title, body) in def.texts {
            repo::insert_text(
                &mut tx,
                &NewText {
                    purpose_id,
                    version: newest,
                    language: language.as_str(),
                    title,
                    body,
                    sha256: &text_hash(title, body),
                    asks_again: def.asks_again,
                    at: now,
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(newest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_counts_until_asked_again_and_the_soft_opt_in_only_without_one() {
        use ContactChannel::{Email, Sms};
        let on = effective(Some((true, 2)), Some(2), true, Email, true);
        assert_eq!((on.granted, on.basis), (true, Some(ConsentBasis::Consent)));
        let stale = effective(Some((true, 1)), Some(2), false, Email, false);
        assert!(!stale.granted && stale.asked_again && stale.basis.is_none());
        let said_no = effective(Some((false, 2)), None, true, Email, true);
        assert!(
            !said_no.granted && !said_no.asked_again,
            "a no beats the soft opt-in"
        );
        let soft = effective(None, None, true, Email, true);
        assert_eq!(
            (soft.granted, soft.basis),
            (true, Some(ConsentBasis::SoftOptIn))
        );
        assert!(
            !effective(None, None, true, Sms, true).granted,
            "e-mail only"
        );
        assert!(
            !effective(None, None, true, Email, false).granted,
            "buyers only"
        );
        assert!(
            !effective(None, None, false, Email, true).granted,
            "marked purposes only"
        );
    }

    #[test]
    fn a_consent_counts_until_a_text_asks_again() {
        assert!(counts(true, 1, None));
        assert!(!counts(false, 1, None));
        // Version 2 was an editorial change; version 3 asks again.
        assert!(counts(true, 2, Some(1)));
        assert!(!counts(true, 2, Some(3)));
        assert!(counts(true, 3, Some(3)));
    }

    #[test]
    fn the_soft_opt_in_is_email_to_buyers_who_never_chose() {
        use ContactChannel::{Email, Sms};
        assert!(by_soft_opt_in(true, Email, false, true));
        assert!(!by_soft_opt_in(false, Email, false, true), "not marked");
        assert!(!by_soft_opt_in(true, Sms, false, true), "e-mail only");
        assert!(
            !by_soft_opt_in(true, Email, true, true),
            "they chose: their choice counts"
        );
        assert!(!by_soft_opt_in(true, Email, false, false), "never bought");
    }

    #[test]
    fn the_hash_covers_title_and_body() {
        assert_eq!(text_hash("a", "b"), text_hash("a", "b"));
        assert_ne!(text_hash("a", "b"), text_hash("a\nb", ""));
        assert_eq!(text_hash("a", "b").len(), 64);
    }
}
