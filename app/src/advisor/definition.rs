//! An advisor's definition: its questions, when each is asked, and the rules that turn
//! answers into product choices. Retailers write it as JSON (README "Advisor
//! definitions"); [`parse`] reads it and names the first field that is wrong, and
//! [`Definition::problems`] lists what is inconsistent (a rule about a question that does
//! not exist, a condition on a later question), so nothing half-right is ever stored.
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// A text in both languages the portal speaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub nl: String,
    pub en: String,
}

impl Text {
    /// The text in `language` (`"en"`, else Dutch).
    pub fn get(&self, language: &str) -> &str {
        if language == "en" { &self.en } else { &self.nl }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// The address of the conversation: `/advies/{key}` (lower case letters, digits, `-`).
    pub key: String,
    /// The catalogue category its products come from (`products.category`).
    pub category: String,
    pub title: Text,
    /// What the visitor reads before the first question.
    pub intro: Text,
    pub questions: Vec<Question>,
    pub rules: Vec<Rule>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One of the answers.
    Single,
    /// One or more of the answers.
    Multiple,
    /// A whole number within `range` (height, weight).
    Number,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub key: String,
    pub kind: Kind,
    pub text: Text,
    /// Why it is asked (shown under the question; required for personal questions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<Text>,
    /// Body data (weight, complaints): kept only with the visitor's consent.
    #[serde(default)]
    pub personal: bool,
    /// For single and multiple choice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// For numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    /// Asked only when all of these hold for earlier answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub show_if: Vec<Condition>,
}

impl Question {
    pub fn answer(&self, key: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.key == key)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub key: String,
    pub text: Text,
    /// One of [`ICONS`] (optional), drawn next to the answer's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    pub min: i64,
    pub max: i64,
    pub unit: Text,
}

/// Something about an earlier answer: it is one of `any_of` (choices; for multiple
/// choice, at least one picked is), or a number `between` two bounds (both included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub question: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub between: Option<[i64; 2]>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// A filter: products that do not match are not advised (or only as "nearest").
    Must,
    /// A wish, weighted: the match score is the share of the fired wishes' weight a
    /// product meets.
    Prefer,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The attribute is the value (a list attribute: contains it).
    Equals,
    /// The attribute is one of the listed values (a list attribute: contains one).
    OneOf,
    /// A number attribute within `[low, high]`, both included.
    Between,
    AtLeast,
    AtMost,
}

/// When all of `when` hold, products should (`prefer`) or must have `attribute` `op`
/// `value`. `value` is a string, number or boolean; a list for `one_of`; `[low, high]`
/// for `between`; or `{"answer": "<question>"}` for the number the visitor gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
    pub effect: Effect,
    /// How much a wish counts (1 when left out); musts ignore it.
    #[serde(default = "one")]
    pub weight: u32,
    pub attribute: String,
    pub op: Op,
    pub value: serde_json::Value,
    /// Why a product that matches fits, in plain words ("medium-firm: good when you sleep
    /// on your side").
    pub fits: Text,
    /// What a product that does not match misses ("not medium-firm, which suits side
    /// sleepers"); for a must, the wish that could not be met.
    pub misses: Text,
}

fn one() -> u32 {
    1
}

/// A problem with a definition, and where: `questions[2].answers[0].key`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionProblem {
    pub at: String,
    pub message: String,
}

impl std::fmt::Display for DefinitionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.at, self.message)
        }
    }
}

/// Reads a definition from JSON: the first field that cannot be read, by its path, or
/// every inconsistency found.
pub fn parse(json: &str) -> Result<Definition, Vec<DefinitionProblem>> {
    let mut reader = serde_json::Deserializer::from_str(json);
    let definition: Definition = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let at = e.path().to_string();
        vec![DefinitionProblem {
            at: if at == "." { String::new() } else { at },
            message: e.inner().to_string(),
        }]
    })?;
    let problems = definition.problems();
    if problems.is_empty() {
        Ok(definition)
    } else {
        Err(problems)
    }
}

/// The icons an answer may show, each a file `app/public/icons/advisor/{name}.svg`
/// (served as `/icons/advisor/{name}.svg`).
pub const ICONS: &[&str] = &[
    "side",
    "back",
    "stomach",
    "mixed",
    "back-pain",
    "shoulder",
    "hot",
    "cold",
    "springs",
    "foam",
    "latex",
    "soft",
    "firm",
    "one-person",
    "two-people",
];

fn problem(at: impl Into<String>, message: impl Into<String>) -> DefinitionProblem {
    DefinitionProblem {
        at: at.into(),
        message: message.into(),
    }
}

fn is_key(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 40
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn check_text(at: &str, text: &Text, problems: &mut Vec<DefinitionProblem>) {
    for (language, value) in [("nl", &text.nl), ("en", &text.en)] {
        if value.trim().is_empty() {
            problems.push(problem(format!("{at}.{language}"), "is empty"));
        }
    }
}

impl Definition {
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// Everything inconsistent in the definition (empty: it can be used).
    pub fn problems(&self) -> Vec<DefinitionProblem> {
        let mut problems = Vec::new();
        if !is_key(&self.key) {
            problems.push(problem(
                "key",
                "use lower case letters, digits and - (at most 40)",
            ));
        }
        if self.key == "code" {
            problems.push(problem(
                "key",
                "\"code\" is taken: /advies/code opens saved advice",
            ));
        }
        if self.category.trim().is_empty() {
            problems.push(problem("category", "is empty"));
        }
        check_text("title", &self.title, &mut problems);
        check_text("intro", &self.intro, &mut problems);
        if self.questions.is_empty() {
            problems.push(problem(
                "questions",
                "an advisor needs at least one question",
            ));
        }
        let mut earlier: BTreeMap<&str, &Question> = BTreeMap::new();
        for (n, question) in self.questions.iter().enumerate() {
            let at = format!("questions[{n}]");
            if !is_key(&question.key) {
                problems.push(problem(
                    format!("{at}.key"),
                    "use lower case letters, digits, - and _ (at most 40)",
                ));
            }
            if earlier.contains_key(question.key.as_str()) {
                problems.push(problem(
                    format!("{at}.key"),
                    format!("\"{}\" is used twice", question.key),
                ));
            }
            check_text(&format!("{at}.text"), &question.text, &mut problems);
            match &question.why {
                Some(why) => check_text(&format!("{at}.why"), why, &mut problems),
                None if question.personal => problems.push(problem(
                    format!("{at}.why"),
                    "a personal question must say why it is asked",
                )),
                None => {}
            }
            match question.kind {
                Kind::Single | Kind::Multiple => {
                    if question.answers.len() < 2 {
                        problems.push(problem(
                            format!("{at}.answers"),
                            "a choice needs at least two answers",
                        ));
                    }
                    if question.range.is_some() {
                        problems.push(problem(format!("{at}.range"), "only numbers have a range"));
                    }
                    let mut keys = BTreeSet::new();
                    for (m, answer) in question.answers.iter().enumerate() {
                        if !is_key(&answer.key) || !keys.insert(answer.key.as_str()) {
                            problems.push(problem(
                                format!("{at}.answers[{m}].key"),
                                "missing, badly written or used twice",
                            ));
                        }
                        check_text(
                            &format!("{at}.answers[{m}].text"),
                            &answer.text,
                            &mut problems,
                        );
                        if let Some(icon) = &answer.icon
                            && !ICONS.contains(&icon.as_str())
                        {
                            problems.push(problem(
                                format!("{at}.answers[{m}].icon"),
                                format!("no icon \"{icon}\"; use one of {}", ICONS.join(", ")),
                            ));
                        }
                    }
                }
                Kind::Number => {
                    match &question.range {
                        Some(range) if range.min < range.max => {
                            check_text(&format!("{at}.range.unit"), &range.unit, &mut problems);
                        }
                        Some(_) => {
                            problems.push(problem(format!("{at}.range"), "min must be below max"))
                        }
                        None => {
                            problems.push(problem(format!("{at}.range"), "a number needs a range"))
                        }
                    }
                    if !question.answers.is_empty() {
                        problems.push(problem(
                            format!("{at}.answers"),
                            "a number has a range, not answers",
                        ));
                    }
                }
            }
            for (m, condition) in question.show_if.iter().enumerate() {
                check_condition(
                    &format!("{at}.show_if[{m}]"),
                    condition,
                    &earlier,
                    "an earlier question",
                    &mut problems,
                );
            }
            earlier.insert(question.key.as_str(), question);
        }
        for (n, rule) in self.rules.iter().enumerate() {
            let at = format!("rules[{n}]");
            for (m, condition) in rule.when.iter().enumerate() {
                check_condition(
                    &format!("{at}.when[{m}]"),
                    condition,
                    &earlier,
                    "a question",
                    &mut problems,
                );
            }
            if rule.attribute.trim().is_empty() {
                problems.push(problem(format!("{at}.attribute"), "is empty"));
            }
            if rule.effect == Effect::Prefer && rule.weight == 0 {
                problems.push(problem(format!("{at}.weight"), "a wish weighs at least 1"));
            }
            if let Some(message) = value_problem(rule, &earlier) {
                problems.push(problem(format!("{at}.value"), message));
            }
            check_text(&format!("{at}.fits"), &rule.fits, &mut problems);
            check_text(&format!("{at}.misses"), &rule.misses, &mut problems);
        }
        problems
    }
}

fn check_condition(
    at: &str,
    condition: &Condition,
    known: &BTreeMap<&str, &Question>,
    what: &str,
    problems: &mut Vec<DefinitionProblem>,
) {
    let Some(question) = known.get(condition.question.as_str()) else {
        problems.push(problem(
            format!("{at}.question"),
            format!("\"{}\" is not {what}", condition.question),
        ));
        return;
    };
    match (question.kind, &condition.any_of, &condition.between) {
        (Kind::Number, any_of, Some([low, high])) if any_of.is_empty() => {
            if low > high {
                problems.push(problem(
                    format!("{at}.between"),
                    "low must not be above high",
                ));
            }
        }
        (Kind::Number, _, _) => problems.push(problem(
            at,
            "a condition on a number uses between: [low, high] only",
        )),
        (_, any_of, None) if !any_of.is_empty() => {
            for (n, key) in any_of.iter().enumerate() {
                if question.answer(key).is_none() {
                    problems.push(problem(
                        format!("{at}.any_of[{n}]"),
                        format!("\"{key}\" is not an answer of \"{}\"", question.key),
                    ));
                }
            }
        }
        _ => problems.push(problem(at, "a condition on a choice uses any_of only")),
    }
}

/// What is wrong with a rule's value for its operator, if anything.
fn value_problem(rule: &Rule, questions: &BTreeMap<&str, &Question>) -> Option<String> {
    use serde_json::Value;
    let scalar = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let number = |v: &Value| match v {
        Value::Number(_) => true,
        Value::Object(map) => map
            .get("answer")
            .and_then(Value::as_str)
            .is_some_and(|q| questions.get(q).is_some_and(|q| q.kind == Kind::Number)),
        _ => false,
    };
    let fine = match (rule.op, &rule.value) {
        (Op::Equals, v) => scalar(v),
        (Op::OneOf, Value::Array(items)) => !items.is_empty() && items.iter().all(scalar),
        (Op::Between, Value::Array(items)) => items.len() == 2 && items.iter().all(number),
        (Op::AtLeast | Op::AtMost, v) => number(v),
        _ => false,
    };
    (!fine).then(|| {
        match rule.op {
            Op::Equals => "a text, number or true/false",
            Op::OneOf => "a list of texts or numbers",
            Op::Between => "[low, high]: numbers, or {\"answer\": \"<number question>\"}",
            Op::AtLeast | Op::AtMost => {
                "a number, or {\"answer\": \"<number question>\"} for the visitor's number"
            }
        }
        .to_string()
    })
}
