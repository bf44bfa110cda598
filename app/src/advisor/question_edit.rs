//! Editing one question of an advisor in a form (`/admin/advisors/{key}/questions/{q}`):
//! its words in both languages, why it is asked, its answers' words and icons, a number's
//! range and unit. What the question does (its kind, when it is asked, the rules) stays in
//! the definition's JSON. Pure: the server functions load and save the draft around it.
use std::collections::BTreeMap;

use super::admin::{AnswerEdit, QuestionEdit};
use super::definition::{Definition, ICONS, Kind, Range, Text};
use crate::error::AppError;
use crate::validate::Checks;

/// The longest text of a question or answer.
pub const MAX_TEXT: usize = 300;

/// What the admin typed, field by field (`answer_nl[side]`: the maps are keyed by answer).
#[derive(Debug)]
pub struct Typed<'a> {
    pub text_nl: &'a str,
    pub text_en: &'a str,
    pub why_nl: &'a str,
    pub why_en: &'a str,
    pub answer_nl: &'a BTreeMap<String, String>,
    pub answer_en: &'a BTreeMap<String, String>,
    pub icon: &'a BTreeMap<String, String>,
    pub min: &'a str,
    pub max: &'a str,
    pub unit_nl: &'a str,
    pub unit_en: &'a str,
}

static NOTHING: BTreeMap<String, String> = BTreeMap::new();

impl Default for Typed<'_> {
    /// Every field empty, no answer typed.
    fn default() -> Self {
        Typed {
            text_nl: "",
            text_en: "",
            why_nl: "",
            why_en: "",
            answer_nl: &NOTHING,
            answer_en: &NOTHING,
            icon: &NOTHING,
            min: "",
            max: "",
            unit_nl: "",
            unit_en: "",
        }
    }
}

/// The form of question `key` of `definition`, texts as they are.
pub fn form(definition: &Definition, key: &str, language: &str) -> Option<QuestionEdit> {
    let question = definition.question(key)?;
    let why = question.why.clone().unwrap_or_default();
    let range = question.range.clone();
    Some(QuestionEdit {
        advisor: definition.key.clone(),
        advisor_title: definition.title.get(language).to_string(),
        key: question.key.clone(),
        kind: match question.kind {
            Kind::Single => super::AskKind::Single,
            Kind::Multiple => super::AskKind::Multiple,
            Kind::Number => super::AskKind::Number,
        },
        personal: question.personal,
        text_nl: question.text.nl.clone(),
        text_en: question.text.en.clone(),
        why_nl: why.nl,
        why_en: why.en,
        answers: question
            .answers
            .iter()
            .map(|a| AnswerEdit {
                key: a.key.clone(),
                text_nl: a.text.nl.clone(),
                text_en: a.text.en.clone(),
                icon: a.icon.clone().unwrap_or_default(),
            })
            .collect(),
        min: range.as_ref().map(|r| r.min),
        max: range.as_ref().map(|r| r.max),
        unit_nl: range
            .as_ref()
            .map(|r| r.unit.nl.clone())
            .unwrap_or_default(),
        unit_en: range.map(|r| r.unit.en).unwrap_or_default(),
        icons: ICONS.iter().map(|i| i.to_string()).collect(),
    })
}

/// `definition` with question `key` changed as typed; every problem by its field.
pub fn apply(
    definition: &Definition,
    key: &str,
    typed: &Typed<'_>,
) -> Result<Definition, AppError> {
    let mut changed = definition.clone();
    let question = changed
        .questions
        .iter_mut()
        .find(|q| q.key == key)
        .ok_or(AppError::NotFound)?;
    let mut checks = Checks::new();
    checks.text("text_nl", typed.text_nl, MAX_TEXT);
    checks.text("text_en", typed.text_en, MAX_TEXT);
    question.text = text(typed.text_nl, typed.text_en);
    let (why_nl, why_en) = (typed.why_nl.trim(), typed.why_en.trim());
    if why_nl.is_empty() && why_en.is_empty() && !question.personal {
        question.why = None;
    } else {
        // Both languages, or neither; a personal question always says why.
        checks.text("why_nl", why_nl, MAX_TEXT);
        checks.text("why_en", why_en, MAX_TEXT);
        question.why = Some(text(why_nl, why_en));
    }
    for answer in &mut question.answers {
        let field = |name: &str| format!("{name}[{}]", answer.key);
        // A field left out of the form keeps its text; one emptied is refused.
        if let Some(nl) = typed.answer_nl.get(&answer.key) {
            checks.text(&field("answer_nl"), nl, MAX_TEXT);
            answer.text.nl = nl.trim().to_string();
        }
        if let Some(en) = typed.answer_en.get(&answer.key) {
            checks.text(&field("answer_en"), en, MAX_TEXT);
            answer.text.en = en.trim().to_string();
        }
        if let Some(icon) = typed.icon.get(&answer.key) {
            let icon = icon.trim();
            if icon.is_empty() {
                answer.icon = None;
            } else if ICONS.contains(&icon) {
                answer.icon = Some(icon.to_string());
            } else {
                checks.push(field("icon"), "unknown_icon");
            }
        }
    }
    if question.kind == Kind::Number {
        let min = number(&mut checks, "min", typed.min);
        let max = number(&mut checks, "max", typed.max);
        if let (Some(min), Some(max)) = (min, max)
            && min >= max
        {
            checks.push("max", "not_above_min");
        }
        checks.text("unit_nl", typed.unit_nl, 20);
        checks.text("unit_en", typed.unit_en, 20);
        if let (Some(min), Some(max)) = (min, max) {
            question.range = Some(Range {
                min,
                max,
                unit: text(typed.unit_nl, typed.unit_en),
            });
        }
    }
    checks.stop_if_any()?;
    // What the form cannot break, the definition's own check would still catch.
    if !changed.problems().is_empty() {
        return Err(AppError::invalid("question", "inconsistent"));
    }
    Ok(changed)
}

fn text(nl: &str, en: &str) -> Text {
    Text {
        nl: nl.trim().to_string(),
        en: en.trim().to_string(),
    }
}

fn number(checks: &mut Checks, field: &str, typed: &str) -> Option<i64> {
    match typed.trim().parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) if typed.trim().is_empty() => {
            checks.push(field, "required");
            None
        }
        Err(_) => {
            checks.push(field, "not_a_number");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mattress() -> Definition {
        super::super::definition::parse(super::super::MATTRESS).expect("the demo's")
    }

    fn codes(err: AppError) -> Vec<(String, String)> {
        match err {
            AppError::Invalid(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_words_and_icons_of_a_choice_change_and_nothing_else() {
        let before = mattress();
        let form = form(&before, "position", "en").expect("asked");
        assert_eq!(form.answers.len(), 4);
        assert_eq!(form.answers[0].icon, "side");
        let answer_nl = BTreeMap::from([("side".to_string(), "Op mijn zij, opgerold".to_string())]);
        let icon = BTreeMap::from([
            ("side".to_string(), String::new()),
            ("mixed".to_string(), "soft".to_string()),
        ]);
        let typed = Typed {
            text_nl: " Hoe lig je meestal? ",
            text_en: "How do you usually lie?",
            answer_nl: &answer_nl,
            icon: &icon,
            ..Typed::default()
        };
        let after = apply(&before, "position", &typed).expect("saved");
        let question = after.question("position").expect("there");
        assert_eq!(question.text.nl, "Hoe lig je meestal?");
        assert_eq!(question.answers[0].text.nl, "Op mijn zij, opgerold");
        assert_eq!(
            question.answers[0].text.en,
            before.questions[0].answers[0].text.en
        );
        assert_eq!(question.answers[0].icon, None);
        assert_eq!(question.answers[3].icon.as_deref(), Some("soft"));
        assert_eq!(
            question.why, None,
            "emptied in both languages: no longer said"
        );
        assert_eq!(after.rules, before.rules);
        assert_eq!(after.questions[1..], before.questions[1..]);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let before = mattress();
        let answer_en = BTreeMap::from([("side".to_string(), " ".to_string())]);
        let icon = BTreeMap::from([("back".to_string(), "unicorn".to_string())]);
        let typed = Typed {
            text_nl: "",
            text_en: "Position?",
            why_nl: "Omdat het uitmaakt.",
            answer_en: &answer_en,
            icon: &icon,
            ..Typed::default()
        };
        assert_eq!(
            codes(apply(&before, "position", &typed).expect_err("refused")),
            [
                ("text_nl".to_string(), "required".to_string()),
                ("why_en".to_string(), "required".to_string()),
                ("answer_en[side]".to_string(), "required".to_string()),
                ("icon[back]".to_string(), "unknown_icon".to_string()),
            ]
        );
        // A number's range: numbers, the highest above the lowest, a unit in both.
        let typed = Typed {
            text_nl: "Gewicht?",
            text_en: "Weight?",
            why_nl: "Zwaarder vraagt steviger.",
            why_en: "Heavier needs firmer.",
            min: "120",
            max: "veel",
            unit_nl: "kg",
            ..Typed::default()
        };
        assert_eq!(
            codes(apply(&before, "weight", &typed).expect_err("refused")),
            [
                ("max".to_string(), "not_a_number".to_string()),
                ("unit_en".to_string(), "required".to_string()),
            ]
        );
        let typed = Typed {
            max: "100",
            unit_en: "kg",
            ..typed
        };
        assert_eq!(
            codes(apply(&before, "weight", &typed).expect_err("refused")),
            [("max".to_string(), "not_above_min".to_string())]
        );
        let typed = Typed {
            min: "40",
            max: "180",
            ..typed
        };
        let after = apply(&before, "weight", &typed).expect("saved");
        let range = after
            .question("weight")
            .and_then(|q| q.range.clone())
            .expect("range");
        assert_eq!(
            (range.min, range.max, range.unit.en.as_str()),
            (40, 180, "kg")
        );
    }
}
