//! The admin's privacy page: purposes and their texts (a changed text is a new version,
//! never an edit), and how many customers chose what — counts only.
use super::service::{PurposeDefinition, define_purpose};
use super::{ConsentCount, ContactChannel, PrivacyAdmin, PurposeAdmin, repo};
use crate::db::Db;
use crate::error::AppError;
use crate::language::Language;

pub async fn overview(db: &Db) -> Result<PrivacyAdmin, AppError> {
    let texts = repo::all_texts(db).await?;
    let mut purposes: Vec<PurposeAdmin> = Vec::new();
    for (text, active, position) in texts {
        let purpose = match purposes.iter_mut().find(|p| p.code == text.code) {
            Some(found) => found,
            None => {
                purposes.push(PurposeAdmin {
                    code: text.code.clone(),
                    channels: text
                        .channels
                        .split(',')
                        .filter_map(ContactChannel::parse)
                        .collect(),
                    marketing: text.marketing,
                    active,
                    soft_opt_in: text.soft_opt_in,
                    position,
                    version: text.version,
                    asks_again_from: text.asks_again_from,
                    title_nl: String::new(),
                    body_nl: String::new(),
                    title_en: String::new(),
                    body_en: String::new(),
                });
                purposes.last_mut().ok_or(AppError::Internal)?
            }
        };
        match Language::parse(&text.language) {
            Some(Language::Nl) => (purpose.title_nl, purpose.body_nl) = (text.title, text.body),
            Some(Language::En) => (purpose.title_en, purpose.body_en) = (text.title, text.body),
            None => {}
        }
    }
    let counts = repo::counts(db)
        .await?
        .into_iter()
        .filter_map(|(purpose, channel, version, granted, withdrawn)| {
            Some(ConsentCount {
                purpose,
                channel: ContactChannel::parse(&channel)?,
                version,
                granted,
                withdrawn,
            })
        })
        .collect();
    let exports = super::export::service::queue(db).await?;
    let erasures = super::erasure::service::counts(db)
        .await?
        .into_iter()
        .filter_map(|(status, n)| Some((super::erasure::ErasureStatus::parse(&status)?, n)))
        .collect();
    Ok(PrivacyAdmin {
        purposes,
        counts,
        exports,
        erasures,
        erasure_queue: super::erasure::service::queue(db).await?,
    })
}

/// What the purpose form sends.
pub struct PurposeForm<'a> {
    pub code: &'a str,
    pub channels: Vec<ContactChannel>,
    pub marketing: bool,
    pub active: bool,
    pub soft_opt_in: bool,
    pub position: &'a str,
    pub title_nl: &'a str,
    pub body_nl: &'a str,
    pub title_en: &'a str,
    pub body_en: &'a str,
    pub asks_again: bool,
}

/// Saves a purpose: a new one, or new settings and (if the words changed) a new text
/// version of an existing one. Returns the version now current.
pub async fn save(db: &Db, form: &PurposeForm<'_>) -> Result<i32, AppError> {
    let position = form
        .position
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|p| (0..=1000).contains(p))
        .ok_or_else(|| AppError::invalid("position", "out_of_range"))?;
    let (title_nl, body_nl) = (form.title_nl.trim(), form.body_nl.trim());
    let (title_en, body_en) = (form.title_en.trim(), form.body_en.trim());
    define_purpose(
        db,
        &PurposeDefinition {
            code: form.code.trim(),
            channels: &form.channels,
            marketing: form.marketing,
            position,
            active: form.active,
            soft_opt_in: form.soft_opt_in,
            texts: &[
                (Language::Nl, title_nl, body_nl),
                (Language::En, title_en, body_en),
            ],
            asks_again: form.asks_again,
        },
    )
    .await
    .map_err(|err| match err {
        // The form's fields are flat: texts.nl.title is title_nl.
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|mut e| {
                    e.field = match e.field.as_str() {
                        "texts.nl.title" => "title_nl".into(),
                        "texts.nl.body" => "body_nl".into(),
                        "texts.en.title" => "title_en".into(),
                        "texts.en.body" => "body_en".into(),
                        _ => e.field,
                    };
                    e
                })
                .collect(),
        ),
        other => other,
    })
}
