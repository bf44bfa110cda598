//! The conversation as the visitor sees it: from a definition and the answers so far to
//! the page's [`Step`] (the next question, or the advice), in the visitor's language.
//! Pure, like the engine it reads.
use super::definition::{Definition, Kind, Question};
use super::engine::{self, Answers, Given};
use super::service::Shelf;
use super::{
    AdviceView, AnswerView, AnsweredView, AskKind, ChangeView, PickView, QuestionView, Step,
};

/// How many products the advice shows.
pub const PICKS: usize = 3;
/// How many "what would change the advice" answers it names.
pub const CHANGES: usize = 2;

fn kind(kind: Kind) -> AskKind {
    match kind {
        Kind::Single => AskKind::Single,
        Kind::Multiple => AskKind::Multiple,
        Kind::Number => AskKind::Number,
    }
}

/// An answer in words: the chosen answers' texts, or the number with its unit.
pub fn in_words(question: &Question, given: &Given, language: &str) -> String {
    match given {
        Given::Number(n) => match &question.range {
            Some(range) => format!("{n} {}", range.unit.get(language)),
            None => n.to_string(),
        },
        Given::Choices(keys) => keys
            .iter()
            .filter_map(|k| question.answer(k))
            .map(|a| a.text.get(language).to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The questions answered, in the order asked, in words.
pub fn answered(definition: &Definition, answers: &Answers, language: &str) -> Vec<AnsweredView> {
    engine::asked(definition, answers)
        .into_iter()
        .filter_map(|(question, given)| {
            given.map(|given| AnsweredView {
                question: question.key.clone(),
                text: question.text.get(language).to_string(),
                answer: in_words(question, &given, language),
                personal: question.personal,
            })
        })
        .collect()
}

/// The advice for `answers`, explained, with what would change it.
pub fn advice(
    definition: &Definition,
    answers: &Answers,
    shelf: &Shelf,
    language: &str,
) -> AdviceView {
    let texts = |texts: &[&super::definition::Text]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for text in texts {
            let text = text.get(language).to_string();
            // Two rules can say the same ("medium-firm") for different reasons.
            if !out.contains(&text) {
                out.push(text);
            }
        }
        out
    };
    let given = engine::advise(definition, answers, &shelf.candidates, PICKS);
    let picks = given
        .picks
        .iter()
        .map(|pick| PickView {
            sku: pick.sku.clone(),
            name: pick.name.clone(),
            score: pick.score,
            price: shelf
                .candidates
                .iter()
                .find(|c| c.sku == pick.sku)
                .map_or(0, |c| c.price),
            currency: shelf.currency(&pick.sku).to_string(),
            fits: texts(&pick.fits),
            misses: texts(&pick.misses),
            unmet: texts(&pick.unmet),
            showrooms: shelf.showrooms.get(&pick.sku).cloned().unwrap_or_default(),
        })
        .collect();
    let changes = engine::what_would_change(definition, answers, &shelf.candidates, CHANGES)
        .into_iter()
        .filter_map(|change| {
            let question = definition.question(&change.question)?;
            Some(ChangeView {
                question: question.key.clone(),
                question_text: question.text.get(language).to_string(),
                answer: in_words(question, &change.given, language),
                first: shelf.name(&change.first)?.to_string(),
            })
        })
        .collect();
    AdviceView {
        picks,
        exact: given.exact,
        unmet: texts(&given.unmet),
        changes,
    }
}

fn question_view(
    definition: &Definition,
    answers: &Answers,
    question: &Question,
    shelf: &Shelf,
    language: &str,
) -> QuestionView {
    let given = answers.get(&question.key);
    let chosen: Vec<String> = match given {
        Some(Given::Choices(keys)) => keys.clone(),
        _ => Vec::new(),
    };
    let hidden = engine::hidden_answers(definition, answers, question, &shelf.candidates);
    QuestionView {
        key: question.key.clone(),
        kind: kind(question.kind),
        text: question.text.get(language).to_string(),
        why: question.why.as_ref().map(|w| w.get(language).to_string()),
        personal: question.personal,
        answers: question
            .answers
            .iter()
            // An answer chosen before stays, so that changing it shows what was chosen.
            .filter(|a| !hidden.contains(&a.key) || chosen.contains(&a.key))
            .map(|a| AnswerView {
                key: a.key.clone(),
                text: a.text.get(language).to_string(),
                icon: a.icon.clone(),
            })
            .collect(),
        min: question.range.as_ref().map_or(0, |r| r.min),
        max: question.range.as_ref().map_or(0, |r| r.max),
        unit: question
            .range
            .as_ref()
            .map(|r| r.unit.get(language).to_string())
            .unwrap_or_default(),
        chosen,
        number: match given {
            Some(Given::Number(n)) => Some(*n),
            _ => None,
        },
    }
}

/// The page for `answers`: the question being changed (`change`, when it is asked), else
/// the first one not answered, else the advice.
pub fn step(
    definition: &Definition,
    answers: &Answers,
    shelf: &Shelf,
    change: Option<&str>,
    language: &str,
) -> Step {
    let asked = engine::asked(definition, answers);
    let current = change
        .and_then(|key| asked.iter().position(|(q, _)| q.key == key))
        .or_else(|| asked.iter().position(|(_, given)| given.is_none()));
    let in_effect = engine::in_effect(definition, answers);
    let personal_given = asked.iter().any(|(q, given)| q.personal && given.is_some());
    Step {
        key: definition.key.clone(),
        title: definition.title.get(language).to_string(),
        intro: definition.intro.get(language).to_string(),
        question: current
            .map(|i| question_view(definition, &in_effect, asked[i].0, shelf, language)),
        number: current.map_or(asked.len(), |i| i + 1),
        total: asked.len(),
        previous: current
            .and_then(|i| i.checked_sub(1))
            .map(|i| asked[i].0.key.clone()),
        answered: answered(definition, answers, language),
        advice: current
            .is_none()
            .then(|| advice(definition, answers, shelf, language)),
        personal_given,
        logged_in: false,
        was_first: None,
        preview: false,
    }
}

/// The answer given in a form for `question`: `choice` (single), the keys of `choices`
/// (multiple), or `number`; a field error (`choice`/`choices`: `required`; `number`:
/// `required`, `not_a_number`, `out_of_range`) when it is none of the question's.
pub fn read_answer(
    question: &Question,
    choice: &str,
    choices: &std::collections::BTreeMap<String, String>,
    number: &str,
) -> Result<Given, crate::error::FieldError> {
    let refused = |field: &str, code: &str| crate::error::FieldError {
        field: field.into(),
        code: code.into(),
    };
    match question.kind {
        Kind::Single => question
            .answer(choice.trim())
            .map(|a| Given::Choices(vec![a.key.clone()]))
            .ok_or_else(|| refused("choice", "required")),
        Kind::Multiple => {
            let picked: Vec<String> = question
                .answers
                .iter()
                .filter(|a| choices.contains_key(&a.key))
                .map(|a| a.key.clone())
                .collect();
            if picked.is_empty() {
                Err(refused("choices", "nothing_chosen"))
            } else {
                Ok(Given::Choices(picked))
            }
        }
        Kind::Number => {
            let typed = number.trim();
            if typed.is_empty() {
                return Err(refused("number", "required"));
            }
            let n: i64 = typed
                .parse()
                .map_err(|_| refused("number", "not_a_number"))?;
            match &question.range {
                Some(range) if n < range.min || n > range.max => {
                    Err(refused("number", "out_of_range"))
                }
                _ => Ok(Given::Number(n)),
            }
        }
    }
}

/// Saved advice as its page shows it: worked out again from the answers kept, against
/// today's catalogue (products no longer sold never appear).
pub fn saved_view(
    saved: &super::service::Saved,
    shelf: &Shelf,
    language: &str,
    public_url: &str,
) -> Result<super::SavedView, crate::error::AppError> {
    let definition = &saved.version.definition;
    let code = &saved.advice.code;
    let link = format!("{public_url}/advies/code/{code}");
    let personal_missing = !saved.advice.keeps_personal
        && engine::asked(definition, &saved.answers)
            .iter()
            .any(|(q, given)| q.personal && given.is_none());
    Ok(super::SavedView {
        code: code.clone(),
        key: definition.key.clone(),
        title: definition.title.get(language).to_string(),
        saved_local: crate::time::local_time(saved.advice.created_at.0),
        expires_local: saved
            .advice
            .expires_at
            .map(|at| crate::time::local_time(at.0)),
        version: saved.version.row.version,
        keeps_personal: saved.advice.keeps_personal,
        personal_missing,
        answered: answered(definition, &saved.answers, language),
        advice: advice(definition, &saved.answers, shelf, language),
        qr_svg: crate::codes::qr_svg(&link)?,
        link,
        store: false,
        purchase: None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::tests::{answers, choose, mattress, mattresses, side_sleeper};
    use super::*;

    fn shelf() -> Shelf {
        Shelf {
            candidates: mattresses(),
            currencies: BTreeMap::new(),
            showrooms: BTreeMap::new(),
        }
    }

    fn refused(result: Result<Given, crate::error::FieldError>) -> (String, String) {
        let e = result.expect_err("refused");
        (e.field, e.code)
    }

    #[test]
    fn a_form_answer_is_one_of_the_questions_answers_or_a_number_in_its_range() {
        let definition = mattress();
        let q = |key: &str| definition.question(key).expect("a question");
        let none = BTreeMap::new();
        assert_eq!(
            read_answer(q("position"), " side ", &none, ""),
            Ok(choose("side"))
        );
        assert_eq!(
            refused(read_answer(q("position"), "upside_down", &none, "")),
            ("choice".into(), "required".into())
        );
        let picked = BTreeMap::from([
            ("hot".to_string(), "on".to_string()),
            ("back".to_string(), "on".to_string()),
            ("made_up".to_string(), "on".to_string()),
        ]);
        // In the question's order; a key it does not have is left out.
        assert_eq!(
            read_answer(q("complaints"), "", &picked, ""),
            Ok(Given::Choices(vec!["back".into(), "hot".into()]))
        );
        let made_up = BTreeMap::from([("made_up".to_string(), "on".to_string())]);
        assert_eq!(
            refused(read_answer(q("complaints"), "", &made_up, "")),
            ("choices".into(), "nothing_chosen".into())
        );
        assert_eq!(
            read_answer(q("weight"), "", &none, " 75 "),
            Ok(Given::Number(75))
        );
        for (typed, code) in [
            ("", "required"),
            ("75,5", "not_a_number"),
            ("39", "out_of_range"),
            ("201", "out_of_range"),
        ] {
            assert_eq!(
                refused(read_answer(q("weight"), "", &none, typed)),
                ("number".into(), code.into()),
                "{typed}"
            );
        }
    }

    #[test]
    fn the_page_shows_the_next_question_an_earlier_one_to_change_or_the_advice() {
        let definition = mattress();
        let first = step(&definition, &Answers::new(), &shelf(), None, "en");
        let question = first.question.expect("the first question");
        assert_eq!((question.key.as_str(), first.number), ("position", 1));
        assert_eq!(question.text, "Which position do you usually sleep in?");
        assert!(first.previous.is_none() && first.advice.is_none());

        let partly = answers(&[("position", choose("back")), ("weight", Given::Number(80))]);
        let third = step(&definition, &partly, &shelf(), None, "nl");
        assert_eq!(
            third.question.as_ref().map(|q| q.key.as_str()),
            Some("partner")
        );
        assert_eq!(third.number, 3);
        assert_eq!(third.previous.as_deref(), Some("weight"));
        assert_eq!(third.answered[0].answer, "Op mijn rug");
        assert_eq!(third.answered[1].answer, "80 kg");
        assert!(third.personal_given, "the weight is personal");

        let all = side_sleeper();
        let done = step(&definition, &all, &shelf(), None, "en");
        assert!(done.question.is_none());
        assert_eq!((done.number, done.total), (6, 6));
        let advice = done.advice.expect("the advice");
        assert_eq!(advice.picks.len(), PICKS);
        assert!(advice.picks.iter().all(|p| !p.fits.is_empty()));

        // Changing the weight: that question, with the number given.
        let changing = step(&definition, &all, &shelf(), Some("weight"), "en");
        let weight = changing.question.expect("the weight again");
        assert_eq!(weight.number, Some(75));
        assert_eq!(
            (weight.min, weight.max, weight.unit.as_str()),
            (40, 200, "kg")
        );
        assert_eq!(changing.previous.as_deref(), Some("position"));
        // A question that is not asked (no partner) cannot be changed: the advice.
        let not_asked = step(&definition, &all, &shelf(), Some("partner_weight"), "en");
        assert!(not_asked.question.is_none() && not_asked.advice.is_some());
    }
}
