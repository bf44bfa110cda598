//! Server functions of the advisors' conversation. No account is needed: the answers live
//! in the visitor's session (`advisor:{key}`) until they save the advice, as a customer in
//! their account or as a guest under a code. Every step is a plain form POST that answers
//! with a redirect, so the conversation works without JavaScript.
// A server function's arguments are its form's fields, one each.
#![allow(clippy::too_many_arguments)]

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{AdviceSummary, AdvisorLink, SavedView, Step};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod on_server {
    use super::super::engine::Answers;
    use crate::accounts::{Role, UserSummary};
    use crate::error::AppError;

    pub fn session_key(key: &str) -> String {
        format!("advisor:{key}")
    }

    /// An admin trying the draft keeps those answers apart from the published one's.
    pub fn preview_key(key: &str) -> String {
        format!("advisor-preview:{key}")
    }

    /// Where the conversation goes on.
    pub fn conversation_path(key: &str, preview: bool) -> String {
        if preview {
            format!("/advies/{key}?preview=1")
        } else {
            format!("/advies/{key}")
        }
    }

    /// The questions whose first answer this conversation has counted (insights).
    pub fn counted_key(key: &str) -> String {
        format!("advisor-counted:{key}")
    }

    /// Whether this conversation's advice has been counted (insights).
    pub fn advised_key(key: &str) -> String {
        format!("advisor-advised:{key}")
    }

    /// Counts a visitor's first answer to a question (and the start of a conversation)
    /// for the insights: anonymous, a number by its range of ten.
    pub async fn count_answer(
        conversation: &Conversation,
        question: &str,
        given: &super::super::engine::Given,
    ) -> Result<(), AppError> {
        use super::super::insights::{ANSWERED, STARTED, counted_answer, record};
        let name = counted_key(&conversation.version.row.key);
        let mut counted: std::collections::BTreeSet<String> = conversation
            .session
            .get(&name)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        if counted.contains(question) {
            return Ok(());
        }
        let row = &conversation.version.row;
        if conversation.answers.is_empty() && counted.is_empty() {
            record(&conversation.db, row, STARTED, None, None).await;
        }
        let answer = counted_answer(given);
        record(
            &conversation.db,
            row,
            ANSWERED,
            Some(question),
            Some(answer.as_str()),
        )
        .await;
        counted.insert(question.to_string());
        conversation
            .session
            .insert(&name, &counted)
            .await
            .map_err(|_| AppError::Internal)
    }

    /// The SKU the saved advice the visitor goes on with put first.
    pub fn was_first_key(key: &str) -> String {
        format!("advisor-was:{key}")
    }

    pub async fn answers_of(
        session: &tower_sessions::Session,
        name: &str,
    ) -> Result<Answers, AppError> {
        session
            .get(name)
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "cannot read the session");
                AppError::Internal
            })
            .map(Option::unwrap_or_default)
    }

    pub async fn keep(
        session: &tower_sessions::Session,
        name: &str,
        answers: &Answers,
    ) -> Result<(), AppError> {
        session.insert(name, answers).await.map_err(|err| {
            tracing::error!(error = %err, "cannot write the session");
            AppError::Internal
        })
    }

    /// The advisor `key` as this visitor is talking to it.
    pub struct Conversation {
        pub db: crate::db::Db,
        pub version: super::super::service::Version,
        pub session: tower_sessions::Session,
        /// Where its answers are kept in the session.
        pub answers_key: String,
        pub answers: Answers,
    }

    /// The conversation `key`: its published version (`NotFound` when none is), or, for
    /// an admin's `preview`, its draft.
    pub async fn conversation(key: &str, preview: bool) -> Result<Conversation, AppError> {
        let db = crate::context::db()?;
        let (version, answers_key) = if preview {
            crate::accounts::current::staff(&[Role::Admin]).await?;
            let version = super::super::service::draft(&db, key.trim())
                .await?
                .ok_or(AppError::NotFound)?;
            let name = preview_key(&version.row.key);
            (version, name)
        } else {
            let version = super::super::service::published(&db, key.trim())
                .await?
                .ok_or(AppError::NotFound)?;
            let name = session_key(&version.row.key);
            (version, name)
        };
        let session = crate::context::session().await?;
        let answers = answers_of(&session, &answers_key).await?;
        Ok(Conversation {
            db,
            version,
            session,
            answers_key,
            answers,
        })
    }

    /// A customer in their own account (not staff, not an agent helping someone) whose
    /// address is confirmed: their advice is saved with the account (a customer record
    /// is only made for a confirmed address; before that, a code like a guest's).
    pub fn saves_to_account(user: &UserSummary) -> bool {
        user.roles.contains(&Role::Customer) && user.acting_for.is_none() && user.verified
    }

    /// The store staff member asking, if one does (they open many customers' codes); for
    /// anyone else, one more code tried from this address, `code` / `throttled` when too
    /// many.
    pub async fn may_try_a_code() -> Result<Option<UserSummary>, AppError> {
        let store = crate::accounts::current::user_with_role(&[Role::StoreStaff, Role::Admin])
            .await
            .ok();
        if store.is_none()
            && !crate::limits::allow(
                &crate::context::db()?,
                crate::limits::Limit::AdviceCodePerClient,
                &crate::context::client_ip(),
            )
            .await
        {
            return Err(AppError::invalid("code", "throttled"));
        }
        Ok(store)
    }

    /// The address that opens saved advice.
    pub fn saved_path(code: &str) -> String {
        format!("/advies/code/{code}")
    }
}

/// The advisors visitors can use, for the home page, in `language`.
#[server(prefix = "/api/fn", endpoint = "advisors", input = server_fn::codec::GetUrl)]
pub async fn advisors(language: String) -> Result<Vec<AdvisorLink>, AppError> {
    crate::context::answered(
        async {
            let versions = super::service::all_published(&crate::context::db()?).await?;
            Ok(versions
                .into_iter()
                .map(|v| AdvisorLink {
                    title: v.definition.title.get(&language).to_string(),
                    intro: v.definition.intro.get(&language).to_string(),
                    key: v.row.key,
                })
                .collect())
        }
        .await,
    )
}

/// Where the visitor is in the conversation `key`: the next question (or `change`, an
/// earlier one to change), or the advice; texts in `language`.
#[server(prefix = "/api/fn", endpoint = "advisor_step", input = server_fn::codec::GetUrl)]
pub async fn advisor_step(
    key: String,
    language: String,
    #[server(default)] change: Option<String>,
    #[server(default)] preview: bool,
) -> Result<Step, AppError> {
    crate::context::answered(
        async {
            let on_server::Conversation {
                db,
                version,
                session,
                answers,
                ..
            } = on_server::conversation(&key, preview).await?;
            let shelf = super::service::shelf(&db, &version.definition).await?;
            let mut step = super::conversation::step(
                &version.definition,
                &answers,
                &shelf,
                change.as_deref().filter(|c| !c.is_empty()),
                &language,
            );
            let was_first: Option<String> = session
                .get(&on_server::was_first_key(&version.row.key))
                .await
                .ok()
                .flatten();
            step.was_first = was_first.and_then(|sku| shelf.name(&sku).map(str::to_string));
            step.preview = preview;
            if step.advice.is_some() && !preview {
                let name = on_server::advised_key(&version.row.key);
                let counted: Option<bool> = session.get(&name).await.ok().flatten();
                if counted.is_none() {
                    super::insights::record(
                        &db,
                        &version.row,
                        super::insights::ADVISED,
                        None,
                        None,
                    )
                    .await;
                    session
                        .insert(&name, true)
                        .await
                        .map_err(|_| AppError::Internal)?;
                }
            }
            step.logged_in = crate::accounts::current::current_user()
                .await?
                .is_some_and(|user| on_server::saves_to_account(&user));
            Ok(step)
        }
        .await,
    )
}

/// One answer to `question`: `choice` (single choice), `choices[<answer>]=on` (multiple),
/// or `number`. Refused next to the field when it is none of the question's answers, the
/// number kept; otherwise kept in the session and on to the next question.
#[server(prefix = "/api/fn", endpoint = "advisor_answer")]
pub async fn advisor_answer(
    key: String,
    question: String,
    #[server(default)] choice: String,
    #[server(default)] choices: BTreeMap<String, String>,
    #[server(default)] number: String,
    #[server(default)] preview: Option<String>,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let preview = preview.is_some();
            let conversation = on_server::conversation(&key, preview).await?;
            let definition = &conversation.version.definition;
            let q = definition
                .question(question.trim())
                .ok_or_else(|| AppError::invalid("question", "unknown"))?;
            let given =
                super::conversation::read_answer(q, &choice, &choices, &number).map_err(|e| {
                    AppError::Invalid(vec![e]).keeping(vec![("number".into(), number.clone())])
                })?;
            if !preview {
                on_server::count_answer(&conversation, &q.key, &given).await?;
            }
            let mut answers = conversation.answers.clone();
            answers.insert(q.key.clone(), given);
            on_server::keep(&conversation.session, &conversation.answers_key, &answers).await?;
            leptos_axum::redirect(&on_server::conversation_path(&definition.key, preview));
            Ok(())
        }
        .await,
    )
}

/// Forgets the answers of conversation `key` and starts again.
#[server(prefix = "/api/fn", endpoint = "advisor_restart")]
pub async fn advisor_restart(
    key: String,
    #[server(default)] preview: Option<String>,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let preview = preview.is_some();
            let on_server::Conversation {
                version,
                session,
                answers_key,
                ..
            } = on_server::conversation(&key, preview).await?;
            let key = &version.row.key;
            for name in [
                answers_key,
                on_server::was_first_key(key),
                on_server::counted_key(key),
                on_server::advised_key(key),
            ] {
                session
                    .remove::<serde_json::Value>(&name)
                    .await
                    .map_err(|_| AppError::Internal)?;
            }
            leptos_axum::redirect(&on_server::conversation_path(&version.row.key, preview));
            Ok(())
        }
        .await,
    )
}

/// Saves the advice of conversation `key`: with a customer's account when they are
/// logged in, else under a code for `GUEST_ADVICE_DAYS`. Answers to personal questions
/// are kept only when `keep_personal` is ticked. On to the saved advice with its code
/// and QR code.
#[server(prefix = "/api/fn", endpoint = "advisor_save")]
pub async fn advisor_save(
    key: String,
    #[server(default)] keep_personal: Option<String>,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let on_server::Conversation {
                db,
                version,
                answers,
                ..
            } = on_server::conversation(&key, false).await?;
            if super::engine::next_question(&version.definition, &answers).is_some() {
                return Err(AppError::invalid("advice", "not_finished"));
            }
            let customer_id = match crate::accounts::current::current_user().await? {
                Some(user) if on_server::saves_to_account(&user) => {
                    // A customer the retailer's data does not know yet gets their record
                    // now, when their address is confirmed; otherwise a code, like a guest.
                    match crate::accounts::current::asking().await?.subject {
                        Some(id) => Some(id),
                        None => crate::accounts::current::ensure_customer(&db, &user)
                            .await
                            .ok(),
                    }
                }
                _ => None,
            };
            let shelf = super::service::shelf(&db, &version.definition).await?;
            let code = super::service::save(
                &db,
                super::service::ToSave {
                    version: &version,
                    customer_id,
                    answers: &answers,
                    keep_personal: keep_personal.is_some(),
                    candidates: &shelf.candidates,
                },
                crate::db::Timestamp::now(),
            )
            .await?;
            leptos_axum::redirect(&format!("{}?saved=1", on_server::saved_path(&code)));
            Ok(())
        }
        .await,
    )
}

/// Saved advice by its code as typed (spaces, dashes and lower case are fine), with texts
/// in `language`. An unknown or expired code is "not found"; too many tries from one
/// address give `code` / `throttled` (store staff are not counted).
#[server(prefix = "/api/fn", endpoint = "saved_advice", input = server_fn::codec::GetUrl)]
pub async fn saved_advice(code: String, language: String) -> Result<SavedView, AppError> {
    crate::context::answered(
        async {
            let store = on_server::may_try_a_code().await?.is_some();
            let db = crate::context::db()?;
            let saved = super::service::by_code(&db, &code)
                .await?
                .ok_or(AppError::NotFound)?;
            let shelf = super::service::shelf(&db, &saved.version.definition).await?;
            let public_url = crate::context::mail_context()?.public_url;
            let mut view = super::conversation::saved_view(&saved, &shelf, &language, &public_url)?;
            view.store = store;
            view.purchase = super::service::purchase(&db, &saved.advice).await?;
            Ok(view)
        }
        .await,
    )
}

/// Goes on with saved advice: its answers into this visitor's conversation, to change
/// one and see what shifts (at home, or at the store's counter).
#[server(prefix = "/api/fn", endpoint = "advisor_continue")]
pub async fn advisor_continue(code: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            on_server::may_try_a_code().await?;
            let db = crate::context::db()?;
            let saved = super::service::by_code(&db, &code)
                .await?
                .ok_or(AppError::NotFound)?;
            let session = crate::context::session().await?;
            let key = saved.version.row.key.clone();
            on_server::keep(&session, &on_server::session_key(&key), &saved.answers).await?;
            let first = super::service::picked(&saved.advice).into_iter().next();
            session
                .insert(&on_server::was_first_key(&key), first)
                .await
                .map_err(|_| AppError::Internal)?;
            leptos_axum::redirect(&format!("/advies/{key}"));
            Ok(())
        }
        .await,
    )
}

/// Mails a guest's saved advice to `email` in `language`. At the store's counter, store
/// staff tick `consent` (the customer agreed to get it by mail); a visitor mailing it to
/// themselves agrees by asking. Limits per sender (staff member or client address) and
/// per address; everything refused comes back next to its field, the address kept.
#[server(prefix = "/api/fn", endpoint = "advisor_mail")]
pub async fn advisor_mail(
    code: String,
    #[server(default)] email: String,
    #[server(default)] consent: Option<String>,
    #[server(default)] language: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            use crate::limits::{Limit, allow};
            let kept = vec![
                ("email".to_string(), email.clone()),
                ("language".to_string(), language.clone()),
            ];
            let staff = on_server::may_try_a_code().await?;
            let store = staff.is_some();
            let db = crate::context::db()?;
            let saved = super::service::by_code(&db, &code)
                .await?
                .ok_or(AppError::NotFound)?;
            // Advice kept in a customer's account is theirs to read there.
            if saved.advice.expires_at.is_none() {
                return Err(AppError::NotFound);
            }
            let mut checks = crate::validate::Checks::new();
            if email.trim().is_empty() {
                checks.push("email", "required");
            } else if !crate::validate::looks_like_email(&email) {
                checks.push("email", "invalid");
            }
            if store && consent.is_none() {
                checks.push("consent", "required");
            }
            checks.finish().map_err(|e| e.keeping(kept.clone()))?;
            let sender = match staff {
                Some(user) => format!("user:{}", user.id),
                None => crate::context::client_ip(),
            };
            let address = crate::validate::normalize_email(&email);
            let db = crate::context::db()?;
            if !allow(&db, Limit::AdviceMailPerSender, &sender).await
                || !allow(&db, Limit::AdviceMailPerAddress, &address).await
            {
                return Err(AppError::invalid("email", "throttled").keeping(kept));
            }
            let language = crate::language::Language::parse(&language).unwrap_or_default();
            super::service::mail(
                &db,
                &crate::context::mail_context()?,
                &saved,
                &address,
                language,
                crate::db::Timestamp::now(),
            )
            .await?;
            leptos_axum::redirect(&format!(
                "{}?mailed=1",
                on_server::saved_path(&saved.advice.code)
            ));
            Ok(())
        }
        .await,
    )
}

/// The logged-in customer's saved advice, newest first (their account overview).
#[server(prefix = "/api/fn", endpoint = "my_advice", input = server_fn::codec::GetUrl)]
pub async fn my_advice(language: String) -> Result<Vec<AdviceSummary>, AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let Some(customer_id) = asking.subject else {
                return Ok(Vec::new());
            };
            super::service::of_customer(&crate::context::db()?, customer_id, &language).await
        }
        .await,
    )
}
