//! Advisors as the portal keeps them: a definition is imported into the draft, checked and
//! published as a new version; advice is worked out against the active catalogue and
//! saved under a code (a guest's for `GUEST_ADVICE_DAYS`, a customer's with the account).
use super::definition::{self, Definition, DefinitionProblem};
use super::engine::{self, Answers, Candidate};
use super::repo::{self, VersionRow};
use crate::db::{Db, Timestamp};
use crate::error::AppError;

/// How long a guest's advice can be opened by its code.
pub const GUEST_ADVICE_DAYS: i64 = 90;

/// How long after advice a purchase of an advised product counts as following it.
pub const ADVICE_LEADS_DAYS: i64 = 90;

/// Answer combinations the check before publishing walks at most.
pub const CHECK_LIMIT: usize = 20_000;

/// A version with its definition read.
#[derive(Clone, Debug)]
pub struct Version {
    pub row: VersionRow,
    pub definition: Definition,
}

fn read(row: VersionRow) -> Result<Version, AppError> {
    let definition = definition::parse(&row.definition).map_err(|problems| {
        tracing::error!(advisor = %row.key, version = row.version, ?problems, "a stored advisor definition no longer reads");
        AppError::Internal
    })?;
    Ok(Version { row, definition })
}

/// Puts `json` in the advisor's draft (making the advisor when its key is new); nothing
/// is written when it does not read or is inconsistent. Answers the advisor's key.
pub async fn import_draft(
    db: &Db,
    json: &str,
    user_id: Option<i64>,
) -> Result<Result<String, Vec<DefinitionProblem>>, AppError> {
    let definition = match definition::parse(json) {
        Ok(definition) => definition,
        Err(problems) => return Ok(Err(problems)),
    };
    let now = Timestamp::now();
    let stored = serde_json::to_string_pretty(&definition).map_err(|_| AppError::Internal)?;
    let mut tx = db.begin().await?;
    let advisor = repo::advisor_id(&mut tx, &definition.key, now).await?;
    repo::save_draft(&mut tx, advisor, &stored, user_id, now).await?;
    tx.commit().await?;
    Ok(Ok(definition.key))
}

/// The definition an admin edits: the draft of `key`, else its published version.
pub async fn to_edit(db: &Db, key: &str) -> Result<Definition, AppError> {
    match draft(db, key).await? {
        Some(draft) => Ok(draft.definition),
        None => Ok(published(db, key)
            .await?
            .ok_or(AppError::NotFound)?
            .definition),
    }
}

/// Saves a definition changed in a form as the draft of its advisor.
pub async fn save_edited(
    db: &Db,
    definition: &Definition,
    user_id: Option<i64>,
) -> Result<(), AppError> {
    let json = serde_json::to_string(definition).map_err(|_| AppError::Internal)?;
    match import_draft(db, &json, user_id).await? {
        Ok(_) => Ok(()),
        // `apply` checked it already; a definition that no longer reads is a bug.
        Err(_) => Err(AppError::Internal),
    }
}

/// Publishes the draft of `key` as its next version: answers the version number. Saved
/// advice keeps pointing at the version it was given with.
pub async fn publish(db: &Db, key: &str, user_id: Option<i64>) -> Result<i32, AppError> {
    let draft = repo::draft(db, key).await?.ok_or(AppError::NotFound)?;
    let draft = read(draft)?;
    let stored = serde_json::to_string_pretty(&draft.definition).map_err(|_| AppError::Internal)?;
    let mut tx = db.begin().await?;
    let (_, version) = repo::publish(
        &mut tx,
        draft.row.advisor_id,
        &stored,
        user_id,
        Timestamp::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// The version visitors get: the newest published one.
pub async fn published(db: &Db, key: &str) -> Result<Option<Version>, AppError> {
    repo::published(db, key).await?.map(read).transpose()
}

/// Every advisor visitors can use (its newest published version).
pub async fn all_published(db: &Db) -> Result<Vec<Version>, AppError> {
    repo::all_published(db)
        .await?
        .into_iter()
        .map(read)
        .collect()
}

/// The draft, for the admin's preview.
pub async fn draft(db: &Db, key: &str) -> Result<Option<Version>, AppError> {
    repo::draft(db, key).await?.map(read).transpose()
}

/// The products an advisor chooses from, with the currency of each price.
#[derive(Clone, Debug, Default)]
pub struct Shelf {
    pub candidates: Vec<Candidate>,
    pub currencies: std::collections::BTreeMap<String, String>,
    /// Per product, the stores where it can be tried (its `showrooms` attribute: store
    /// codes), as known stores.
    pub showrooms: std::collections::BTreeMap<String, Vec<super::StoreLink>>,
}

impl Shelf {
    pub fn currency(&self, sku: &str) -> &str {
        self.currencies.get(sku).map_or("EUR", String::as_str)
    }

    pub fn name(&self, sku: &str) -> Option<&str> {
        self.candidates
            .iter()
            .find(|c| c.sku == sku)
            .map(|c| c.name.as_str())
    }
}

/// The active products of the advisor's category: products no longer sold never appear.
pub async fn shelf(db: &Db, definition: &Definition) -> Result<Shelf, AppError> {
    let products = crate::catalog::repo::active_in_category(db, &definition.category).await?;
    let mut shelf = Shelf::default();
    // Stores are few: read once, and only when a product names one.
    let mut stores: Option<Vec<crate::stores::Store>> = None;
    for p in products {
        let codes = showroom_codes(&p.attributes);
        if !codes.is_empty() {
            if stores.is_none() {
                stores = Some(crate::stores::repo::search(db, "").await?);
            }
            let known = stores.as_deref().unwrap_or_default();
            let links: Vec<super::StoreLink> = codes
                .iter()
                .filter_map(|code| known.iter().find(|s| &s.code == code))
                .map(|s| super::StoreLink {
                    name: s.name.clone(),
                    city: s.city.clone(),
                })
                .collect();
            shelf.showrooms.insert(p.sku.clone(), links);
        }
        shelf.currencies.insert(p.sku.clone(), p.currency);
        shelf.candidates.push(Candidate {
            family: p.variant_of.clone().unwrap_or_else(|| p.sku.clone()),
            sku: p.sku,
            name: p.name,
            price: p.price,
            attributes: p.attributes,
        });
    }
    Ok(shelf)
}

/// The store codes of a product's `showrooms` attribute (a list; anything else: none).
fn showroom_codes(attributes: &serde_json::Value) -> Vec<String> {
    attributes
        .get("showrooms")
        .and_then(serde_json::Value::as_array)
        .map(|codes| {
            codes
                .iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The products an advisor chooses from: the active ones of its category.
pub async fn candidates(db: &Db, definition: &Definition) -> Result<Vec<Candidate>, AppError> {
    Ok(shelf(db, definition).await?.candidates)
}

/// The check before publishing the draft of `key`, against today's catalogue.
pub async fn check_draft(db: &Db, key: &str) -> Result<super::check::Report, AppError> {
    let draft = draft(db, key).await?.ok_or(AppError::NotFound)?;
    let candidates = candidates(db, &draft.definition).await?;
    Ok(super::check::check(
        &draft.definition,
        &candidates,
        CHECK_LIMIT,
    ))
}

/// The answers kept with saved advice: without consent, none to personal questions.
pub fn answers_to_keep(definition: &Definition, answers: &Answers, keep_personal: bool) -> Answers {
    engine::in_effect(definition, answers)
        .into_iter()
        .filter(|(key, _)| keep_personal || definition.question(key).is_none_or(|q| !q.personal))
        .collect()
}

/// Eight characters without 0/O or 1/I, read aloud and typed at a store's counter.
pub fn new_code() -> String {
    crate::codes::typeable(8)
}

/// What advice is saved with: the version it was given with, whose it is, the answers.
pub struct ToSave<'a> {
    pub version: &'a Version,
    pub customer_id: Option<i64>,
    pub answers: &'a Answers,
    pub keep_personal: bool,
    pub candidates: &'a [Candidate],
}

/// Saves advice; answers its code.
pub async fn save(db: &Db, advice: ToSave<'_>, now: Timestamp) -> Result<String, AppError> {
    let definition = &advice.version.definition;
    let given = engine::advise(definition, advice.answers, advice.candidates, 3);
    let picks = serde_json::to_string(
        &given
            .picks
            .iter()
            .map(|p| serde_json::json!({"sku": p.sku, "score": p.score}))
            .collect::<Vec<_>>(),
    )
    .map_err(|_| AppError::Internal)?;
    let kept = answers_to_keep(definition, advice.answers, advice.keep_personal);
    let answers = serde_json::to_string(&kept).map_err(|_| AppError::Internal)?;
    let expires_at = advice
        .customer_id
        .is_none()
        .then(|| now + chrono::TimeDelta::days(GUEST_ADVICE_DAYS));
    // A code taken already (one in a billion): try another.
    for _ in 0..3 {
        let code = new_code();
        let row = repo::NewAdvice {
            code: &code,
            advisor_version_id: advice.version.row.id,
            customer_id: advice.customer_id,
            answers: &answers,
            keeps_personal: advice.keep_personal,
            picks: &picks,
            expires_at,
        };
        if crate::db::none_if_taken(repo::insert_advice(db, &row, now).await)?.is_some() {
            return Ok(code);
        }
    }
    Err(AppError::Internal)
}

/// Saved advice with the version it was given with.
pub struct Saved {
    pub advice: repo::AdviceRow,
    pub version: Version,
    pub answers: Answers,
}

/// Advice by its code (as typed), while it lasts.
pub async fn by_code(db: &Db, typed: &str) -> Result<Option<Saved>, AppError> {
    let code = super::normalise_code(typed);
    if code.len() != 8 {
        return Ok(None);
    }
    let Some(advice) = repo::advice_by_code(db, &code, Timestamp::now()).await? else {
        return Ok(None);
    };
    let version = repo::version(db, advice.advisor_version_id)
        .await?
        .ok_or(AppError::Internal)?;
    let answers = serde_json::from_str(&advice.answers).map_err(|_| AppError::Internal)?;
    Ok(Some(Saved {
        version: read(version)?,
        answers,
        advice,
    }))
}

/// The SKUs advice picked, best first, as saved.
pub fn picked(advice: &repo::AdviceRow) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Picked {
        sku: String,
    }
    serde_json::from_str::<Vec<Picked>>(&advice.picks)
        .map(|picks| picks.into_iter().map(|p| p.sku).collect())
        .unwrap_or_default()
}

/// Mails saved advice to `email`, worked out against today's catalogue in `language`:
/// a row in the outbox, sent once it is committed. The address is kept nowhere else, and
/// the outbox blanks a mail once it is sent.
pub async fn mail(
    db: &Db,
    ctx: &crate::mail::MailContext,
    saved: &Saved,
    email: &str,
    language: crate::language::Language,
    now: Timestamp,
) -> Result<(), AppError> {
    let shelf = shelf(db, &saved.version.definition).await?;
    let view = super::conversation::saved_view(saved, &shelf, language.as_str(), &ctx.public_url)?;
    let message = super::mails::advice(ctx, email, language, &view);
    let mut tx = db.begin().await?;
    crate::outbox::repo::enqueue_mail(&mut tx, &message, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The customer's saved advice, newest first, with titles in `language`.
pub async fn of_customer(
    db: &Db,
    customer_id: i64,
    language: &str,
) -> Result<Vec<super::AdviceSummary>, AppError> {
    let rows = repo::advice_of_customer(db, customer_id).await?;
    let mut versions: std::collections::BTreeMap<i64, Version> = Default::default();
    let mut out = Vec::with_capacity(rows.len());
    for advice in rows {
        let version = match versions.entry(advice.advisor_version_id) {
            std::collections::btree_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::btree_map::Entry::Vacant(new) => {
                let row = repo::version(db, advice.advisor_version_id)
                    .await?
                    .ok_or(AppError::Internal)?;
                new.insert(read(row)?)
            }
        };
        let first = match picked(&advice).into_iter().next() {
            Some(sku) => crate::catalog::repo::find(db, &sku)
                .await?
                .filter(|p| p.active)
                .map(|p| p.name),
            None => None,
        };
        out.push(super::AdviceSummary {
            code: advice.code.clone(),
            title: version.definition.title.get(language).to_string(),
            given_local: crate::time::local_time(advice.created_at.0),
            first,
        });
    }
    Ok(out)
}

/// An order has come in (integration API): when its customer got advice in the
/// `ADVICE_LEADS_DAYS` before and the order holds an advised product (any size of it),
/// the newest such advice is linked to the order. Answers that advice's code.
pub async fn link_order(db: &Db, number: &str) -> Result<Option<String>, AppError> {
    let Some((order_id, Some(customer_id), placed_at)) = repo::order_to_link(db, number).await?
    else {
        return Ok(None);
    };
    let bought: Vec<String> = repo::bought_lines(db, order_id)
        .await?
        .into_iter()
        .map(|line| line.family)
        .collect();
    let from = placed_at - chrono::TimeDelta::days(ADVICE_LEADS_DAYS);
    for advice in repo::unlinked_advice(db, customer_id, from, placed_at).await? {
        let advised = repo::families(db, &picked(&advice)).await?;
        if advised.iter().any(|family| bought.contains(family))
            && repo::link_order(db, advice.id, order_id, Timestamp::now()).await?
        {
            return Ok(Some(advice.code));
        }
    }
    Ok(None)
}

/// What became of advice: the order it led to, the advised products bought with it, and
/// whether they were returned (within the trial nights, for a mattress).
pub async fn purchase(
    db: &Db,
    advice: &repo::AdviceRow,
) -> Result<Option<super::PurchaseView>, AppError> {
    let Some(order_id) = advice.order_id else {
        return Ok(None);
    };
    let Some(number) = repo::order_number(db, order_id).await? else {
        return Ok(None);
    };
    let advised = repo::families(db, &picked(advice)).await?;
    let lines: Vec<repo::BoughtLine> = repo::bought_lines(db, order_id)
        .await?
        .into_iter()
        .filter(|line| advised.contains(&line.family))
        .collect();
    Ok(Some(super::PurchaseView {
        order_number: number,
        products: lines.iter().map(|l| l.name.clone()).collect(),
        returned: lines.iter().any(|l| l.returned),
    }))
}

/// The advisors for the admin's list, titles in `language`.
pub async fn admin_list(
    db: &Db,
    language: &str,
) -> Result<Vec<super::admin::AdvisorRow>, AppError> {
    let mut out = Vec::new();
    for (key, published, has_draft) in repo::all_advisors(db).await? {
        let shown = match draft(db, &key).await? {
            Some(version) => Some(version),
            None => self::published(db, &key).await?,
        };
        out.push(super::admin::AdvisorRow {
            title: shown
                .map(|v| v.definition.title.get(language).to_string())
                .unwrap_or_else(|| key.clone()),
            key,
            published,
            has_draft,
        });
    }
    Ok(out)
}

/// One advisor's admin screen; with `check`, the draft's check before publishing.
pub async fn admin_view(
    db: &Db,
    key: &str,
    language: &str,
    check: bool,
) -> Result<super::admin::AdvisorDetail, AppError> {
    let published = self::published(db, key).await?;
    let draft = draft(db, key).await?;
    let shown = draft
        .as_ref()
        .or(published.as_ref())
        .ok_or(AppError::NotFound)?;
    let report = match (&draft, check) {
        (Some(draft), true) => {
            let shelf = shelf(db, &draft.definition).await?;
            let report = super::check::check(&draft.definition, &shelf.candidates, CHECK_LIMIT);
            Some(report_view(&draft.definition, &report, language))
        }
        _ => None,
    };
    Ok(super::admin::AdvisorDetail {
        key: key.to_string(),
        title: shown.definition.title.get(language).to_string(),
        published: published.as_ref().map(|v| v.row.version),
        definition: serde_json::to_string_pretty(&shown.definition)
            .map_err(|_| AppError::Internal)?,
        has_draft: draft.is_some(),
        report,
        questions: shown
            .definition
            .questions
            .iter()
            .map(|q| super::admin::QuestionLink {
                key: q.key.clone(),
                text: q.text.get(language).to_string(),
            })
            .collect(),
    })
}

/// A walked path in words: "Which position…? On my side → About how much…? 200 kg".
fn path_words(definition: &Definition, path: &super::check::Path, language: &str) -> String {
    path.iter()
        .filter_map(|(key, given)| {
            let question = definition.question(key)?;
            Some(format!(
                "{} {}",
                question.text.get(language),
                super::conversation::in_words(question, given, language)
            ))
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

fn report_view(
    definition: &Definition,
    report: &super::check::Report,
    language: &str,
) -> super::admin::ReportView {
    super::admin::ReportView {
        combinations: report.combinations,
        complete: report.complete,
        dead_ends: report
            .dead_ends
            .iter()
            .map(|(path, question)| {
                let stuck = definition
                    .question(question)
                    .map_or(question.as_str(), |q| q.text.get(language));
                let before = path_words(definition, path, language);
                if before.is_empty() {
                    stuck.to_string()
                } else {
                    format!("{before} → {stuck}")
                }
            })
            .collect(),
        without_product: report
            .without_product
            .iter()
            .map(|path| path_words(definition, path, language))
            .collect(),
    }
}
