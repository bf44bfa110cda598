//! What the retailer learns from an advisor (`/admin/advisors/{key}/insights`): how often
//! each answer is chosen, where visitors stop, and for each product advised first how
//! often that advice led to a purchase and to a return. Aggregated, from anonymous events
//! (migration 0029) and saved advice; nothing here names a visitor.
use std::collections::BTreeMap;

use super::admin::{AnswerShare, Insights, ProductInsight, QuestionInsight};
use super::definition::{Definition, Kind, Question};
use super::engine::Given;
use super::repo::{self, VersionRow};
use crate::db::{Db, Timestamp};
use crate::error::AppError;

/// How long events are kept, and how far back the insights look.
pub const EVENTS_DAYS: i64 = 730;

pub const STARTED: &str = "started";
pub const ANSWERED: &str = "answered";
pub const ADVISED: &str = "advised";

/// How an answer is counted: the chosen keys, or a number by its range of ten ("70-79"),
/// so no exact body weight is kept.
pub fn counted_answer(given: &Given) -> String {
    match given {
        Given::Number(n) => {
            let low = n.div_euclid(10) * 10;
            format!("{low}-{}", low + 9)
        }
        Given::Choices(keys) => keys.join(","),
    }
}

/// Records an event; a failure is logged and does not stop the visitor.
pub async fn record(
    db: &Db,
    version: &VersionRow,
    kind: &str,
    question: Option<&str>,
    answer: Option<&str>,
) {
    if let Err(err) =
        repo::record_event(db, version, kind, question, answer, Timestamp::now()).await
    {
        tracing::warn!(error = %err, kind, "could not count an advisor event");
    }
}

fn percent(part: i64, whole: i64) -> Option<u8> {
    (whole > 0).then(|| u8::try_from((part * 100 + whole / 2) / whole).unwrap_or(100))
}

fn answer_text(question: &Question, counted: &str, language: &str) -> String {
    match question.kind {
        Kind::Number => {
            let unit = question.range.as_ref().map_or("", |r| r.unit.get(language));
            format!("{} {unit}", counted.replace('-', "–"))
                .trim()
                .to_string()
        }
        _ => question
            .answer(counted)
            .map_or(counted.to_string(), |a| a.text.get(language).to_string()),
    }
}

/// The insights of `definition`'s advisor (`advisor_id`) over the last `EVENTS_DAYS`.
pub async fn insights(
    db: &Db,
    advisor_id: i64,
    definition: &Definition,
    language: &str,
    now: Timestamp,
) -> Result<Insights, AppError> {
    let since = now - chrono::TimeDelta::days(EVENTS_DAYS);
    let mut started = 0;
    let mut advised = 0;
    // question → answer (one key, or a range) → count; and per question, the visitors.
    let mut answers: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut answered: BTreeMap<String, i64> = BTreeMap::new();
    for (kind, question, answer, count) in repo::event_counts(db, advisor_id, since).await? {
        match (kind.as_str(), question, answer) {
            (STARTED, _, _) => started += count,
            (ADVISED, _, _) => advised += count,
            (ANSWERED, Some(question), Some(answer)) => {
                *answered.entry(question.clone()).or_default() += count;
                let per_answer = answers.entry(question).or_default();
                // A multiple choice counts each answer picked.
                for key in answer.split(',') {
                    *per_answer.entry(key.to_string()).or_default() += count;
                }
            }
            _ => {}
        }
    }
    let mut questions = Vec::new();
    // Who answered the question before, among those every visitor is asked.
    let mut before = started;
    for question in &definition.questions {
        let count = answered.get(&question.key).copied().unwrap_or_default();
        let always_asked = question.show_if.is_empty();
        let mut counted: Vec<(&String, &i64)> = answers
            .get(&question.key)
            .map(|per| per.iter().collect())
            .unwrap_or_default();
        // As the visitor saw them: choices in the definition's order, ranges from low to high.
        counted.sort_by_key(|(key, _)| match question.kind {
            Kind::Number => key
                .split('-')
                .next()
                .and_then(|low| low.parse::<i64>().ok())
                .unwrap_or(i64::MAX),
            _ => question
                .answers
                .iter()
                .position(|a| &a.key == *key)
                .map_or(i64::MAX, |n| n as i64),
        });
        let shares: Vec<AnswerShare> = counted
            .into_iter()
            .map(|(key, n)| AnswerShare {
                text: answer_text(question, key, language),
                count: *n,
                percent: percent(*n, count).unwrap_or(0),
            })
            .collect();
        questions.push(QuestionInsight {
            text: question.text.get(language).to_string(),
            answered: count,
            stopped_percent: if always_asked {
                percent((before - count).max(0), before)
            } else {
                None
            },
            answers: shares,
        });
        if always_asked {
            before = count;
        }
    }
    Ok(Insights {
        key: definition.key.clone(),
        title: definition.title.get(language).to_string(),
        days: EVENTS_DAYS,
        started,
        advised,
        questions,
        products: products(db, advisor_id, since).await?,
    })
}

/// Per product advised first in saved advice: how often, how often it led to a purchase
/// (the advice linked to an order) and how often that was returned.
async fn products(
    db: &Db,
    advisor_id: i64,
    since: Timestamp,
) -> Result<Vec<ProductInsight>, AppError> {
    let mut by_sku: BTreeMap<String, ProductInsight> = BTreeMap::new();
    let mut after = 0;
    loop {
        let page = repo::advice_of_advisor(db, advisor_id, since, after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for advice in &page {
            let Some(first) = super::service::picked(advice).into_iter().next() else {
                continue;
            };
            let purchase = super::service::purchase(db, advice).await?;
            let row = match by_sku.entry(first) {
                std::collections::btree_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::btree_map::Entry::Vacant(new) => {
                    let name = crate::catalog::repo::find(db, new.key())
                        .await?
                        .map_or_else(|| new.key().clone(), |p| p.name);
                    new.insert(ProductInsight {
                        name,
                        advised: 0,
                        bought: 0,
                        returned: 0,
                    })
                }
            };
            row.advised += 1;
            if let Some(purchase) = purchase {
                row.bought += 1;
                row.returned += i64::from(purchase.returned);
            }
        }
    }
    let mut rows: Vec<ProductInsight> = by_sku.into_values().collect();
    rows.sort_by(|a, b| b.advised.cmp(&a.advised).then(a.name.cmp(&b.name)));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_counted_by_its_range_of_ten_never_exactly() {
        assert_eq!(counted_answer(&Given::Number(72)), "70-79");
        assert_eq!(counted_answer(&Given::Number(130)), "130-139");
        assert_eq!(
            counted_answer(&Given::Choices(vec!["back".into(), "hot".into()])),
            "back,hot"
        );
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 0), None);
    }
}
