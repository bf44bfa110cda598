//! Field checks shared by the services that take input from outside (the integration
//! API, forms). They collect every problem at once, each named by its field path
//! (`lines[2].quantity`), so a caller can fix everything in one go.
use crate::error::{AppError, FieldError};

/// Lower-case and trim an e-mail address: the form in which it is unique.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A sensible check, not RFC 5322: one `@`, something before it, a dot in the domain, no
/// spaces, not absurdly long. The verification mail proves the rest.
pub fn looks_like_email(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// ISO 4217 currencies the portal accepts (the EU's, the neighbours', and the dollar).
pub const CURRENCIES: &[&str] = &[
    "EUR", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN", "CZK", "HUF", "RON", "BGN", "USD",
];

#[derive(Default, Debug)]
pub struct Checks(Vec<FieldError>);

/// A quantity typed for one line of a "quantity per order line" form (cancel, buy again,
/// return): the field it came from (`quantity[<line>]`), the line, the number, and what
/// the form offered for that line.
#[derive(Debug)]
pub struct TypedQuantity<'a, T> {
    pub field: String,
    pub line: i32,
    pub quantity: i32,
    pub offered: &'a T,
}

/// The `quantity[<line>]` fields of a "quantity per order line" form (a server function
/// receives them as a map from line to what was typed) as `(line, typed)` pairs.
pub fn quantities_by_line(fields: &std::collections::BTreeMap<String, String>) -> Vec<(i32, &str)> {
    fields
        .iter()
        .filter_map(|(line, typed)| line.parse().ok().map(|n| (n, typed.as_str())))
        .collect()
}

/// The same fields by their names, as typed: what the form keeps after an error.
pub fn kept_quantities(
    fields: &std::collections::BTreeMap<String, String>,
) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(line, typed)| (format!("quantity[{line}]"), typed.clone()))
        .collect()
}

/// Reads the quantities typed per order line against the lines the form offered, in the
/// order they were typed. Empty fields are skipped; a field that is not a number or
/// names no offered line is its problem (`not_a_number`, `unknown_line`, for
/// [`Checks::keep`]); every other number (zero and negative ones too) is returned for
/// the area's own rules.
pub fn typed_quantities<'a, T>(
    typed: &[(i32, &str)],
    offered: &'a [T],
    line_of: impl Fn(&T) -> i32,
) -> Vec<Result<TypedQuantity<'a, T>, FieldError>> {
    let problem = |field: String, code: &str| {
        Err(FieldError {
            field,
            code: code.into(),
        })
    };
    let mut found = Vec::with_capacity(typed.len());
    for (line, text) in typed {
        let field = format!("quantity[{line}]");
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let Ok(quantity) = text.parse::<i32>() else {
            found.push(problem(field, "not_a_number"));
            continue;
        };
        let Some(offered) = offered.iter().find(|o| line_of(o) == *line) else {
            found.push(problem(field, "unknown_line"));
            continue;
        };
        found.push(Ok(TypedQuantity {
            field,
            line: *line,
            quantity,
            offered,
        }));
    }
    found
}

impl Checks {
    pub fn new() -> Checks {
        Checks::default()
    }

    pub fn push(&mut self, field: impl Into<String>, code: &str) {
        self.0.push(FieldError {
            field: field.into(),
            code: code.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Text that must be there and not be absurdly long.
    pub fn text(&mut self, field: &str, value: &str, max_chars: usize) {
        if value.trim().is_empty() {
            self.push(field, "required");
        } else if value.chars().count() > max_chars {
            self.push(field, "too_long");
        }
    }

    /// Text that may be left out, but not be absurdly long.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max_chars: usize) {
        if value.is_some_and(|v| v.chars().count() > max_chars) {
            self.push(field, "too_long");
        }
    }

    /// The identifier another system gives a record: order number, customer number, SKU.
    pub fn external_id(&mut self, field: &str, value: &str) {
        if !is_external_id(value) {
            self.push(
                field,
                if value.is_empty() {
                    "required"
                } else {
                    "invalid"
                },
            );
        }
    }

    pub fn currency(&mut self, field: &str, value: &str) {
        if !CURRENCIES.contains(&value) {
            self.push(field, "unknown_currency");
        }
    }

    pub fn not_negative(&mut self, field: &str, value: i64) {
        if value < 0 {
            self.push(field, "negative");
        }
    }

    /// A back-office answer to a customer's request (cancellation, reorder, delivery
    /// change): `status` must parse to one of the final `answers`; the optional note is
    /// trimmed (empty: none) and at most 500 characters.
    pub fn answer<'a, S: Copy + PartialEq>(
        &mut self,
        parsed: Option<S>,
        answers: &[S],
        note: Option<&'a str>,
    ) -> (Option<S>, Option<&'a str>) {
        let status = parsed.filter(|s| answers.contains(s));
        if status.is_none() {
            self.push("status", "unknown_value");
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        self.optional_text("note", note, 500);
        (status, note)
    }

    /// Stops here when something is wrong already (before asking the database), and
    /// keeps collecting otherwise.
    pub fn stop_if_any(&mut self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(std::mem::take(&mut self.0)))
        }
    }

    /// The value, or `None` with its problem recorded.
    pub fn keep<T>(&mut self, checked: Result<T, FieldError>) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(problem) => {
                self.0.push(problem);
                None
            }
        }
    }

    /// Stops when something is wrong, else gives the value the checks were about (the
    /// answer read by [`Checks::answer`]); a missing value without a recorded problem is
    /// a bug, not the caller's.
    pub fn stop_or<T>(&mut self, checked: Option<T>) -> Result<T, AppError> {
        self.stop_if_any()?;
        checked.ok_or(AppError::Internal)
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

/// 1–64 characters of letters, digits and `-_./`: safe in a URL path and in a log line.
/// An amount of euros as typed (`4,95`, `€ 4.95`, `5`, `1.250,00`, `1,250.00`,
/// `2.500.000`) in cents; `None` when it is not one (negative, more than two decimals,
/// letters) — or when it could be read two ways: `1.500` is fifteen hundred to a Dutch
/// reader and one and a half to an English one, so it is refused rather than guessed.
pub fn parse_euros(typed: &str) -> Option<i64> {
    let typed: String = typed
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if typed.is_empty() || typed.starts_with('-') {
        return None;
    }
    let separators: Vec<(usize, char)> = typed
        .char_indices()
        .filter(|(_, c)| *c == '.' || *c == ',')
        .collect();
    let decimal_at = match separators.last() {
        None => None,
        Some(&(at, last)) => {
            let digits_after = typed.len() - at - 1;
            let mixed = separators.iter().any(|&(_, c)| c != last);
            match (separators.len(), digits_after) {
                (1, 3) => return None,
                (1, _) => Some(at),
                _ if mixed => Some(at),
                // The same separator more than once: it groups thousands.
                _ => None,
            }
        }
    };
    let (whole, cents) = match decimal_at {
        Some(at) => (&typed[..at], &typed[at + 1..]),
        None => (typed.as_str(), ""),
    };
    if cents.len() > 2 || !cents.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // The whole part: digits, optionally grouped by threes with one kind of separator.
    let groups: Vec<&str> = whole.split(['.', ',']).collect();
    let grouped_well = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_well || !groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let digits: String = groups.concat();
    let whole: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let cents: i64 = format!("{cents:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(cents)
}

pub fn is_external_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        && !value.starts_with('.')
}

/// Trimmed text, or `None` when nothing is left.
pub fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(looks_like_email("anna@example.nl"));
        assert!(looks_like_email(" Anna.de.Vries+portal@Example.NL "));
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.nl",
            "anna@example",
            "an na@example.nl",
            "a@b@c.nl",
            "anna@example.",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
        assert_eq!(normalize_email(" Anna@Example.NL "), "anna@example.nl");
    }

    #[test]
    fn external_ids_are_url_and_log_safe() {
        assert!(is_external_id("WS-2026-000123"));
        assert!(is_external_id("sku/160x200"));
        assert!(!is_external_id(""));
        assert!(!is_external_id("has space"));
        assert!(!is_external_id("../etc"));
        assert!(!is_external_id(&"x".repeat(65)));
    }

    #[test]
    fn collects_every_problem() {
        let mut checks = Checks::new();
        checks.text("name", " ", 10);
        checks.currency("currency", "XYZ");
        checks.not_negative("lines[0].unit_price", -1);
        let Err(AppError::Invalid(errors)) = checks.finish() else {
            panic!("three problems expected");
        };
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("name", "required"),
                ("currency", "unknown_currency"),
                ("lines[0].unit_price", "negative")
            ]
        );
    }

    #[test]
    fn an_answer_must_be_final_and_its_note_is_trimmed() {
        #[derive(Clone, Copy, Debug, PartialEq)]
        enum S {
            Requested,
            Confirmed,
            Declined,
        }
        let finals = [S::Confirmed, S::Declined];
        let mut checks = Checks::new();
        assert_eq!(
            checks.answer(Some(S::Declined), &finals, Some("  out of stock ")),
            (Some(S::Declined), Some("out of stock"))
        );
        assert_eq!(
            checks.answer(Some(S::Confirmed), &finals, Some("   ")),
            (Some(S::Confirmed), None)
        );
        assert!(checks.is_empty());
        // Back to "requested", or a word we do not know: refused; so is a note of 501.
        let long = "x".repeat(501);
        checks.answer(Some(S::Requested), &finals, None);
        checks.answer(None, &finals, Some(&long));
        let Err(AppError::Invalid(errors)) = checks.stop_if_any() else {
            panic!("problems expected");
        };
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("status", "unknown_value"),
                ("status", "unknown_value"),
                ("note", "too_long")
            ]
        );
    }
}
