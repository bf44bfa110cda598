//! From answers to advice. Pure and deterministic, so that the conversation, the saved
//! advice, the store's "what shifts if…" and the pre-publish check all agree.
//!
//! **How advice is worked out**
//! 1. *Answers in effect*: walking the questions in order, a question counts only when its
//!    `show_if` holds for the answers in effect before it, and an answer only when it is
//!    one of the question's answers (a number: within its range). Changing an early answer
//!    can so switch later questions off; their answers are kept but ignored.
//! 2. *Fired rules*: every rule whose `when` conditions all hold.
//! 3. *Candidates*: the active products of the definition's category (the caller gives
//!    them). A product *meets* a rule when its attribute satisfies the rule's operator.
//! 4. *Musts* filter: a product failing a fired must is not advised — unless no product
//!    meets every must: then the nearest products (fewest musts failed) are shown, with the
//!    wishes that could not be met.
//! 5. *Score*: the weight of the fired wishes (`prefer`) a product meets, as a share of the
//!    weight of all fired wishes, in whole percent (100 when no wish fired).
//! 6. *Order*: fewest musts failed, highest score, most wish weight met, lowest price,
//!    then SKU — so equal products always come out the same way. Of one product family
//!    (sizes of one mattress) only the first is shown.
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::definition::{Condition, Definition, Effect, Kind, Op, Question, Rule, Text};

/// One answer as given: a number, or the keys of the chosen answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Given {
    Number(i64),
    Choices(Vec<String>),
}

/// The answers by question key.
pub type Answers = BTreeMap<String, Given>;

/// A product the advisor may advise.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub sku: String,
    pub name: String,
    /// The product family (`variant_of`, else its SKU): one per family is shown.
    pub family: String,
    /// Minor units.
    pub price: i64,
    pub attributes: Value,
}

/// Whether `condition` holds for `answers` (an unanswered question: it does not).
pub fn holds(condition: &Condition, answers: &Answers) -> bool {
    match (answers.get(&condition.question), &condition.between) {
        (Some(Given::Number(n)), Some([low, high])) => low <= n && n <= high,
        (Some(Given::Choices(keys)), None) => keys.iter().any(|k| condition.any_of.contains(k)),
        _ => false,
    }
}

fn valid(question: &Question, given: &Given) -> bool {
    match (question.kind, given) {
        (Kind::Number, Given::Number(n)) => question
            .range
            .as_ref()
            .is_some_and(|r| r.min <= *n && *n <= r.max),
        (Kind::Single, Given::Choices(keys)) => {
            keys.len() == 1 && question.answer(&keys[0]).is_some()
        }
        (Kind::Multiple, Given::Choices(keys)) => {
            !keys.is_empty() && keys.iter().all(|k| question.answer(k).is_some())
        }
        _ => false,
    }
}

/// The questions asked for `answers`, in order, each with its answer in effect (if any).
pub fn asked<'d>(
    definition: &'d Definition,
    answers: &Answers,
) -> Vec<(&'d Question, Option<Given>)> {
    let mut in_effect = Answers::new();
    let mut asked = Vec::new();
    for question in &definition.questions {
        if !question.show_if.iter().all(|c| holds(c, &in_effect)) {
            continue;
        }
        let given = answers
            .get(&question.key)
            .filter(|g| valid(question, g))
            .cloned();
        if let Some(given) = &given {
            in_effect.insert(question.key.clone(), given.clone());
        }
        asked.push((question, given));
    }
    asked
}

/// The answers that count (see the module's step 1).
pub fn in_effect(definition: &Definition, answers: &Answers) -> Answers {
    asked(definition, answers)
        .into_iter()
        .filter_map(|(q, given)| given.map(|g| (q.key.clone(), g)))
        .collect()
}

/// The first question asked that has no answer yet; `None`: ready for advice.
pub fn next_question<'d>(definition: &'d Definition, answers: &Answers) -> Option<&'d Question> {
    asked(definition, answers)
        .into_iter()
        .find(|(_, given)| given.is_none())
        .map(|(q, _)| q)
}

fn fired<'d>(definition: &'d Definition, answers: &Answers) -> Vec<&'d Rule> {
    definition
        .rules
        .iter()
        .filter(|rule| rule.when.iter().all(|c| holds(c, answers)))
        .collect()
}

/// A rule's value with `{"answer": q}` replaced by the visitor's number.
fn resolve(value: &Value, answers: &Answers) -> Option<Value> {
    match value.get("answer").and_then(Value::as_str) {
        Some(question) => match answers.get(question) {
            Some(Given::Number(n)) => Some(Value::from(*n)),
            _ => None,
        },
        None => Some(value.clone()),
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Whether a product with `attributes` meets `rule`. A missing attribute meets nothing;
/// a list attribute (sleep positions) meets `equals`/`one_of` when one of its items does.
pub fn meets(rule: &Rule, attributes: &Value, answers: &Answers) -> bool {
    let Some(attribute) = attributes.get(&rule.attribute) else {
        return false;
    };
    let items: Vec<&Value> = match attribute {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    let number = |v: &Value| resolve(v, answers).and_then(|v| v.as_f64());
    match rule.op {
        Op::Equals => items.iter().any(|item| same(item, &rule.value)),
        Op::OneOf => rule.value.as_array().is_some_and(|values| {
            items
                .iter()
                .any(|item| values.iter().any(|value| same(item, value)))
        }),
        Op::Between | Op::AtLeast | Op::AtMost => {
            let Some(n) = attribute.as_f64() else {
                return false;
            };
            match (rule.op, rule.value.as_array()) {
                (Op::Between, Some(bounds)) if bounds.len() == 2 => {
                    match (number(&bounds[0]), number(&bounds[1])) {
                        (Some(low), Some(high)) => low <= n && n <= high,
                        _ => false,
                    }
                }
                (Op::AtLeast, _) => number(&rule.value).is_some_and(|v| n >= v),
                (Op::AtMost, _) => number(&rule.value).is_some_and(|v| n <= v),
                _ => false,
            }
        }
    }
}

/// How one product fares against the fired rules.
struct Assessment<'d> {
    index: usize,
    failed_musts: Vec<&'d Rule>,
    met_musts: Vec<&'d Rule>,
    met_wishes: Vec<&'d Rule>,
    missed_wishes: Vec<&'d Rule>,
    score: u8,
    met_weight: u32,
}

fn assess<'d>(
    rules: &[&'d Rule],
    candidates: &[Candidate],
    answers: &Answers,
) -> Vec<Assessment<'d>> {
    let total: u32 = rules
        .iter()
        .filter(|r| r.effect == Effect::Prefer)
        .map(|r| r.weight)
        .sum();
    candidates
        .iter()
        .enumerate()
        .map(|(index, candidate)| {
            let mut a = Assessment {
                index,
                failed_musts: Vec::new(),
                met_musts: Vec::new(),
                met_wishes: Vec::new(),
                missed_wishes: Vec::new(),
                score: 100,
                met_weight: 0,
            };
            for rule in rules {
                let met = meets(rule, &candidate.attributes, answers);
                match (rule.effect, met) {
                    (Effect::Must, true) => a.met_musts.push(rule),
                    (Effect::Must, false) => a.failed_musts.push(rule),
                    (Effect::Prefer, true) => {
                        a.met_weight += rule.weight;
                        a.met_wishes.push(rule);
                    }
                    (Effect::Prefer, false) => a.missed_wishes.push(rule),
                }
            }
            if total > 0 {
                let share =
                    (u64::from(a.met_weight) * 100 + u64::from(total) / 2) / u64::from(total);
                a.score = u8::try_from(share).unwrap_or(100);
            }
            a
        })
        .collect()
}

/// One advised product and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Pick<'d> {
    pub sku: String,
    pub name: String,
    /// Whole percent.
    pub score: u8,
    /// Why it fits: the `fits` texts of the musts and wishes it meets.
    pub fits: Vec<&'d Text>,
    /// What it misses: the `misses` texts of the wishes it does not meet.
    pub misses: Vec<&'d Text>,
    /// The musts it fails (only when no product meets every must).
    pub unmet: Vec<&'d Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Advice<'d> {
    /// At most the number asked for, best first.
    pub picks: Vec<Pick<'d>>,
    /// Whether the picks meet every must; otherwise they are the nearest alternatives.
    pub exact: bool,
    /// When not exact: the wishes the nearest product could not meet.
    pub unmet: Vec<&'d Text>,
}

/// The best `count` products for `answers` (see the module's steps 2–6).
pub fn advise<'d>(
    definition: &'d Definition,
    answers: &Answers,
    candidates: &[Candidate],
    count: usize,
) -> Advice<'d> {
    let answers = in_effect(definition, answers);
    let rules = fired(definition, &answers);
    let mut assessed = assess(&rules, candidates, &answers);
    assessed.sort_by(|a, b| {
        let (ca, cb) = (&candidates[a.index], &candidates[b.index]);
        a.failed_musts
            .len()
            .cmp(&b.failed_musts.len())
            .then(b.score.cmp(&a.score))
            .then(b.met_weight.cmp(&a.met_weight))
            .then(ca.price.cmp(&cb.price))
            .then(ca.sku.cmp(&cb.sku))
    });
    let exact = assessed.first().is_some_and(|a| a.failed_musts.is_empty());
    let mut families = BTreeSet::new();
    let picks: Vec<Pick<'d>> = assessed
        .iter()
        .filter(|a| !exact || a.failed_musts.is_empty())
        .filter(|a| families.insert(candidates[a.index].family.clone()))
        .take(count)
        .map(|a| {
            let candidate = &candidates[a.index];
            Pick {
                sku: candidate.sku.clone(),
                name: candidate.name.clone(),
                score: a.score,
                fits: a
                    .met_musts
                    .iter()
                    .chain(&a.met_wishes)
                    .map(|r| &r.fits)
                    .collect(),
                misses: a.missed_wishes.iter().map(|r| &r.misses).collect(),
                unmet: a.failed_musts.iter().map(|r| &r.misses).collect(),
            }
        })
        .collect();
    let unmet = if exact {
        Vec::new()
    } else {
        picks.first().map(|p| p.unmet.clone()).unwrap_or_default()
    };
    Advice {
        picks,
        exact,
        unmet,
    }
}

/// How many products meet every fired must for `answers`.
fn meeting_every_must(
    definition: &Definition,
    answers: &Answers,
    candidates: &[Candidate],
) -> usize {
    let answers = in_effect(definition, answers);
    let musts: Vec<&Rule> = fired(definition, &answers)
        .into_iter()
        .filter(|r| r.effect == Effect::Must)
        .collect();
    candidates
        .iter()
        .filter(|c| musts.iter().all(|r| meets(r, &c.attributes, &answers)))
        .count()
}

/// `answers` with `question` answered `given`.
pub fn with(answers: &Answers, question: &str, given: Given) -> Answers {
    let mut changed = answers.clone();
    changed.insert(question.to_string(), given);
    changed
}

/// The answers of a choice question to hide: those that would leave no product meeting
/// every must, where there still is one. When every answer would, none is hidden (the
/// visitor must be able to go on; the advice then shows the nearest products).
pub fn hidden_answers(
    definition: &Definition,
    answers: &Answers,
    question: &Question,
    candidates: &[Candidate],
) -> Vec<String> {
    if question.kind == Kind::Number || meeting_every_must(definition, answers, candidates) == 0 {
        return Vec::new();
    }
    let hidden: Vec<String> = question
        .answers
        .iter()
        .filter(|answer| {
            let tried = with(
                answers,
                &question.key,
                Given::Choices(vec![answer.key.clone()]),
            );
            meeting_every_must(definition, &tried, candidates) == 0
        })
        .map(|answer| answer.key.clone())
        .collect();
    if hidden.len() == question.answers.len() {
        Vec::new()
    } else {
        hidden
    }
}

/// Numbers worth trying for a number question: its range's ends, both sides of every
/// bound a condition puts on it, and both sides of every product's value a rule compares
/// the visitor's number with (`{"answer": …}`: a mattress carrying 90 kg makes 90 and 91
/// telling).
pub fn telling_numbers(
    definition: &Definition,
    question: &Question,
    candidates: &[Candidate],
) -> Vec<i64> {
    let Some(range) = &question.range else {
        return Vec::new();
    };
    let mut numbers = BTreeSet::from([range.min, range.max]);
    let on_it = |c: &&Condition| c.question == question.key;
    let conditions = definition
        .questions
        .iter()
        .flat_map(|q| &q.show_if)
        .chain(definition.rules.iter().flat_map(|r| &r.when))
        .filter(on_it);
    for condition in conditions {
        if let Some([low, high]) = condition.between {
            numbers.extend([low - 1, low, high, high + 1]);
        }
    }
    let asks_this =
        |value: &Value| value.get("answer").and_then(Value::as_str) == Some(question.key.as_str());
    for rule in &definition.rules {
        let compared = asks_this(&rule.value)
            || rule
                .value
                .as_array()
                .is_some_and(|bounds| bounds.iter().any(asks_this));
        if !compared {
            continue;
        }
        for candidate in candidates {
            if let Some(value) = candidate
                .attributes
                .get(&rule.attribute)
                .and_then(Value::as_f64)
            {
                // Attribute values are whole numbers in practice; a fraction is rounded
                // down and up.
                let (low, high) = (value.floor() as i64, value.ceil() as i64);
                numbers.extend([low - 1, low, high, high + 1]);
            }
        }
    }
    numbers
        .into_iter()
        .filter(|n| range.min <= *n && *n <= range.max)
        .collect()
}

/// An answer that, given instead, makes another product the first choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub question: String,
    pub given: Given,
    /// The SKU that would then come first.
    pub first: String,
}

/// What would change the advice: for at most `count` questions (in order), the first
/// other answer (for a number: the nearest telling number) that makes another product
/// the first choice.
pub fn what_would_change(
    definition: &Definition,
    answers: &Answers,
    candidates: &[Candidate],
    count: usize,
) -> Vec<Change> {
    let first = |answers: &Answers| {
        advise(definition, answers, candidates, 1)
            .picks
            .into_iter()
            .next()
            .map(|p| p.sku)
    };
    let now = first(answers);
    let mut changes = Vec::new();
    for (question, given) in asked(definition, answers) {
        let Some(given) = given else { continue };
        let mut options: Vec<Given> = match (&given, question.kind) {
            (Given::Number(n), Kind::Number) => {
                let mut numbers = telling_numbers(definition, question, candidates);
                numbers.sort_by_key(|m| (m - n).abs());
                numbers.into_iter().map(Given::Number).collect()
            }
            _ => question
                .answers
                .iter()
                .map(|a| Given::Choices(vec![a.key.clone()]))
                .collect(),
        };
        options.retain(|option| *option != given);
        let change = options.into_iter().find_map(|option| {
            let other = first(&with(answers, &question.key, option.clone()))?;
            (Some(&other) != now.as_ref()).then(|| Change {
                question: question.key.clone(),
                given: option,
                first: other,
            })
        });
        changes.extend(change);
        if changes.len() == count {
            break;
        }
    }
    changes
}
