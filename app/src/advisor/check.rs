//! The check before publishing: walk the conversation through every combination of
//! answers a visitor can give (for numbers: the telling numbers, see
//! `engine::telling_numbers`, which include the products' own limits; for multiple
//! choice: each answer on its own), and list the dead ends (a question where every answer leaves no product) and the combinations that
//! end without a product meeting every must. Large trees are walked up to a limit, in
//! order, and the report says it was a sample.
use super::definition::{Definition, Kind};
use super::engine::{self, Answers, Candidate, Given};

/// One walked path: question key and answer, in order.
pub type Path = Vec<(String, Given)>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Complete answer combinations walked.
    pub combinations: usize,
    /// Whether every combination was walked (else: the first `combinations` of them).
    pub complete: bool,
    /// Where the visitor gets stuck: the answers so far, and the question where every
    /// answer leaves no product.
    pub dead_ends: Vec<(Path, String)>,
    /// Combinations after which no product meets every must.
    pub without_product: Vec<Path>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.dead_ends.is_empty() && self.without_product.is_empty()
    }
}

/// Lists kept in a report at most (the counts go on).
const LISTED: usize = 50;

/// Walks at most `limit` combinations.
pub fn check(definition: &Definition, candidates: &[Candidate], limit: usize) -> Report {
    let mut report = Report {
        complete: true,
        ..Report::default()
    };
    let mut path = Path::new();
    walk(
        definition,
        candidates,
        &Answers::new(),
        &mut path,
        limit,
        &mut report,
    );
    report
}

fn walk(
    definition: &Definition,
    candidates: &[Candidate],
    answers: &Answers,
    path: &mut Path,
    limit: usize,
    report: &mut Report,
) {
    if report.combinations >= limit {
        report.complete = false;
        return;
    }
    let Some(question) = engine::next_question(definition, answers) else {
        report.combinations += 1;
        let advice = engine::advise(definition, answers, candidates, 1);
        if !advice.exact && report.without_product.len() < LISTED {
            report.without_product.push(path.clone());
        }
        return;
    };
    let options: Vec<Given> = match question.kind {
        Kind::Number => engine::telling_numbers(definition, question, candidates)
            .into_iter()
            .map(Given::Number)
            .collect(),
        Kind::Single | Kind::Multiple => {
            let hidden = engine::hidden_answers(definition, answers, question, candidates);
            let shown: Vec<Given> = question
                .answers
                .iter()
                .filter(|a| !hidden.contains(&a.key))
                .map(|a| Given::Choices(vec![a.key.clone()]))
                .collect();
            // Nothing hidden although some product is left: every answer leads nowhere.
            if hidden.is_empty() && !leaves_a_product(definition, answers, question, candidates) {
                if report.dead_ends.len() < LISTED {
                    report.dead_ends.push((path.clone(), question.key.clone()));
                }
                report.combinations += 1;
                return;
            }
            shown
        }
    };
    for option in options {
        path.push((question.key.clone(), option.clone()));
        let next = engine::with(answers, &question.key, option);
        walk(definition, candidates, &next, path, limit, report);
        path.pop();
        if !report.complete {
            return;
        }
    }
}

/// Whether some answer of `question` leaves a product meeting every must — or nothing
/// did before it either (then it is not this question's fault).
fn leaves_a_product(
    definition: &Definition,
    answers: &Answers,
    question: &super::definition::Question,
    candidates: &[Candidate],
) -> bool {
    let before = engine::advise(definition, answers, candidates, 1);
    if !before.exact {
        return true;
    }
    question.answers.iter().any(|a| {
        let tried = engine::with(answers, &question.key, Given::Choices(vec![a.key.clone()]));
        engine::advise(definition, &tried, candidates, 1).exact
    })
}
