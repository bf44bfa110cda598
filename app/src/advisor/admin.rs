//! The retailer's advisor screens (`/admin/advisors`): every advisor with its published
//! version and draft; per advisor the draft's JSON to edit (or a new definition to import),
//! the check before publishing, a preview of the draft as a customer gets it, publishing,
//! and the definition to download. Admins only.
// A server function's arguments are its form's fields, one each.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// An advisor in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorRow {
    pub key: String,
    pub title: String,
    /// The newest published version, if any.
    pub published: Option<i32>,
    pub has_draft: bool,
}

/// A problem with a definition typed in, by its place (`questions[1].range.max`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemView {
    pub at: String,
    pub message: String,
}

/// The check before publishing, in words an admin reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub combinations: usize,
    pub complete: bool,
    /// "position = side → weight = 200 → partner": where every answer leaves nothing.
    pub dead_ends: Vec<String>,
    /// Answer paths after which no product meets every must (at most 50 listed).
    pub without_product: Vec<String>,
}

/// A definition typed in that was refused, kept to correct.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    /// The advisor whose screen it was typed on ("" for a new one).
    pub on: String,
    pub typed: String,
    pub problems: Vec<ProblemView>,
}

/// One advisor's screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorDetail {
    pub key: String,
    pub title: String,
    pub published: Option<i32>,
    /// The draft's JSON (else the published version's, to start a draft from).
    pub definition: String,
    pub has_draft: bool,
    /// When asked for (`check`): the draft's check against today's catalogue.
    pub report: Option<ReportView>,
    /// The questions (of the draft, else the published version), to edit one in a form.
    pub questions: Vec<QuestionLink>,
}

/// A question in the admin's list: its key and its text in the admin's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionLink {
    pub key: String,
    pub text: String,
}

/// One question's words, as its form shows them (both languages).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionEdit {
    pub advisor: String,
    pub advisor_title: String,
    pub key: String,
    pub kind: super::AskKind,
    pub personal: bool,
    pub text_nl: String,
    pub text_en: String,
    pub why_nl: String,
    pub why_en: String,
    pub answers: Vec<AnswerEdit>,
    /// For a number.
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub unit_nl: String,
    pub unit_en: String,
    /// The icons an answer may show.
    pub icons: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerEdit {
    pub key: String,
    pub text_nl: String,
    pub text_en: String,
    /// "" for none.
    pub icon: String,
}

/// How often an answer was chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerShare {
    pub text: String,
    pub count: i64,
    /// Of those who answered the question.
    pub percent: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionInsight {
    pub text: String,
    /// Conversations in which it was answered.
    pub answered: i64,
    /// Of those who answered the question before it, the share that stopped here (for
    /// questions everyone is asked).
    pub stopped_percent: Option<u8>,
    pub answers: Vec<AnswerShare>,
}

/// A product advised first in saved advice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInsight {
    pub name: String,
    pub advised: i64,
    /// The advice led to an order (linked when the order came in).
    pub bought: i64,
    /// … and the product went back (a return, e.g. within the trial nights).
    pub returned: i64,
}

/// An advisor's insights: aggregated, nothing about anyone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insights {
    pub key: String,
    pub title: String,
    /// Over how many days.
    pub days: i64,
    /// Conversations begun (a first answer given).
    pub started: i64,
    /// Conversations that reached the advice.
    pub advised: i64,
    pub questions: Vec<QuestionInsight>,
    pub products: Vec<ProductInsight>,
}

/// The session key of a refused definition.
#[cfg(feature = "ssr")]
const REFUSED: &str = "advisor-admin:refused";

/// Every advisor, titles in `language`; and a definition refused at import, if any.
#[server(prefix = "/api/fn", endpoint = "advisors_admin", input = server_fn::codec::GetUrl)]
pub async fn advisors_admin(
    language: String,
) -> Result<(Vec<AdvisorRow>, Option<Refused>), AppError> {
    crate::context::answered(
        async {
            crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let db = crate::context::db()?;
            let rows = super::service::admin_list(&db, &language).await?;
            let session = crate::context::session().await?;
            let refused: Option<Refused> = session.get(REFUSED).await.ok().flatten();
            Ok((rows, refused.filter(|r| r.on.is_empty())))
        }
        .await,
    )
}

/// One advisor's screen; with `check`, the check before publishing is run on its draft.
#[server(prefix = "/api/fn", endpoint = "advisor_admin", input = server_fn::codec::GetUrl)]
pub async fn advisor_admin(
    key: String,
    language: String,
    #[server(default)] check: bool,
) -> Result<(AdvisorDetail, Option<Refused>), AppError> {
    crate::context::answered(
        async {
            crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let db = crate::context::db()?;
            let admin = super::service::admin_view(&db, key.trim(), &language, check).await?;
            let session = crate::context::session().await?;
            let refused: Option<Refused> = session.get(REFUSED).await.ok().flatten();
            Ok((admin, refused.filter(|r| r.on == key.trim())))
        }
        .await,
    )
}

/// Saves `definition` (JSON) as the draft of the advisor it names (a new key: a new
/// advisor). Refused whole, with every problem by its place and the text kept, when it
/// does not read or does not hold together.
#[server(prefix = "/api/fn", endpoint = "save_advisor_draft")]
pub async fn save_advisor_draft(
    #[server(default)] from: String,
    definition: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let db = crate::context::db()?;
            let session = crate::context::session().await?;
            let back = if from.trim().is_empty() {
                "/admin/advisors".to_string()
            } else {
                format!("/admin/advisors/{}", from.trim())
            };
            match super::service::import_draft(&db, &definition, Some(asking.actor.id)).await? {
                Ok(key) => {
                    let _ = session.remove::<Refused>(REFUSED).await;
                    leptos_axum::redirect(&format!("/admin/advisors/{key}?saved=1"));
                }
                Err(problems) => {
                    let refused = Refused {
                        on: from.trim().to_string(),
                        typed: definition,
                        problems: problems
                            .into_iter()
                            .map(|p| ProblemView {
                                at: p.at,
                                message: p.message,
                            })
                            .collect(),
                    };
                    session
                        .insert(REFUSED, &refused)
                        .await
                        .map_err(|_| AppError::Internal)?;
                    leptos_axum::redirect(&format!("{back}?refused=1"));
                }
            }
            Ok(())
        }
        .await,
    )
}

/// The insights of advisor `key` (its newest published version's questions), in
/// `language`.
#[server(prefix = "/api/fn", endpoint = "advisor_insights", input = server_fn::codec::GetUrl)]
pub async fn advisor_insights(key: String, language: String) -> Result<Insights, AppError> {
    crate::context::answered(
        async {
            crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let db = crate::context::db()?;
            let version = super::service::published(&db, key.trim())
                .await?
                .ok_or(AppError::NotFound)?;
            super::insights::insights(
                &db,
                version.row.advisor_id,
                &version.definition,
                &language,
                crate::db::Timestamp::now(),
            )
            .await
        }
        .await,
    )
}

/// Publishes the draft of `key` as its next version, unless the check finds a dead end
/// (`publish` / `dead_ends`).
#[server(prefix = "/api/fn", endpoint = "publish_advisor")]
pub async fn publish_advisor(key: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let db = crate::context::db()?;
            let report = super::service::check_draft(&db, key.trim()).await?;
            if !report.dead_ends.is_empty() {
                return Err(AppError::invalid("publish", "dead_ends"));
            }
            let version = super::service::publish(&db, key.trim(), Some(asking.actor.id)).await?;
            leptos_axum::redirect(&format!(
                "/admin/advisors/{}?published={version}",
                key.trim()
            ));
            Ok(())
        }
        .await,
    )
}

/// Question `question` of advisor `key` (its draft, else the published version) to edit.
#[server(prefix = "/api/fn", endpoint = "advisor_question", input = server_fn::codec::GetUrl)]
pub async fn advisor_question(
    key: String,
    question: String,
    language: String,
) -> Result<QuestionEdit, AppError> {
    crate::context::answered(
        async {
            crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let db = crate::context::db()?;
            let definition = super::service::to_edit(&db, key.trim()).await?;
            super::question_edit::form(&definition, question.trim(), &language)
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// Saves the words of question `question` of advisor `key` into its draft (started from
/// the published version when there is none): on to the advisor's screen to check,
/// preview and publish. Every problem comes back by its field, everything typed kept.
#[server(prefix = "/api/fn", endpoint = "save_advisor_question")]
pub async fn save_advisor_question(
    key: String,
    question: String,
    #[server(default)] text_nl: String,
    #[server(default)] text_en: String,
    #[server(default)] why_nl: String,
    #[server(default)] why_en: String,
    #[server(default)] answer_nl: std::collections::BTreeMap<String, String>,
    #[server(default)] answer_en: std::collections::BTreeMap<String, String>,
    #[server(default)] icon: std::collections::BTreeMap<String, String>,
    #[server(default)] min: String,
    #[server(default)] max: String,
    #[server(default)] unit_nl: String,
    #[server(default)] unit_en: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let db = crate::context::db()?;
            let (key, question) = (key.trim(), question.trim());
            let definition = super::service::to_edit(&db, key).await?;
            let typed = super::question_edit::Typed {
                text_nl: &text_nl,
                text_en: &text_en,
                why_nl: &why_nl,
                why_en: &why_en,
                answer_nl: &answer_nl,
                answer_en: &answer_en,
                icon: &icon,
                min: &min,
                max: &max,
                unit_nl: &unit_nl,
                unit_en: &unit_en,
            };
            let changed =
                super::question_edit::apply(&definition, question, &typed).map_err(|e| {
                    let mut kept: Vec<(String, String)> = [
                        ("text_nl", &text_nl),
                        ("text_en", &text_en),
                        ("why_nl", &why_nl),
                        ("why_en", &why_en),
                        ("min", &min),
                        ("max", &max),
                        ("unit_nl", &unit_nl),
                        ("unit_en", &unit_en),
                    ]
                    .into_iter()
                    .map(|(field, value)| (field.to_string(), value.clone()))
                    .collect();
                    for (name, map) in [
                        ("answer_nl", &answer_nl),
                        ("answer_en", &answer_en),
                        ("icon", &icon),
                    ] {
                        kept.extend(
                            map.iter().map(|(answer, value)| {
                                (format!("{name}[{answer}]"), value.clone())
                            }),
                        );
                    }
                    e.keeping(kept)
                })?;
            super::service::save_edited(&db, &changed, Some(asking.actor.id)).await?;
            leptos_axum::redirect(&format!("/admin/advisors/{key}?saved=1"));
            Ok(())
        }
        .await,
    )
}
