//! The words of every status, in Dutch and English, from `locales/tracking/{nl,en}.json`.
//! The retailer may replace the customer sentence (`text`) per status and language
//! (admin page; stored in `tracking_texts`); the built-in text is the default. Texts may
//! name `{carrier}`, `{store}`, `{pickup_point}` and `{deadline}`, filled in per parcel.
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{StatusLine, StatusWords, TrackingStatus};

/// The placeholders a text may use.
pub const PLACEHOLDERS: [&str; 4] = ["{carrier}", "{store}", "{pickup_point}", "{deadline}"];

/// Longest sentence, in words: one glance on a phone.
pub const MAX_WORDS_PER_SENTENCE: usize = 25;

#[derive(Clone, Debug, Deserialize)]
struct Entry {
    title: String,
    text: String,
    next: String,
    #[serde(default)]
    action: Option<String>,
}

type Table = HashMap<String, Entry>;

fn tables() -> &'static (Table, Table) {
    static TABLES: OnceLock<(Table, Table)> = OnceLock::new();
    TABLES.get_or_init(|| {
        // Checked by the unit tests below: both files parse and name every status.
        let parse = |json: &str| serde_json::from_str::<Table>(json).unwrap_or_default();
        (
            parse(include_str!("../../locales/tracking/nl.json")),
            parse(include_str!("../../locales/tracking/en.json")),
        )
    })
}

/// The built-in words of a status, placeholders not yet filled in.
pub fn builtin(status: TrackingStatus, language: &str) -> StatusWords {
    let (nl, en) = tables();
    let table = if language == "en" { en } else { nl };
    table
        .get(status.as_str())
        .map(|e| StatusWords {
            title: e.title.clone(),
            text: e.text.clone(),
            next: e.next.clone(),
            action: e.action.clone(),
        })
        .unwrap_or_default()
}

/// The retailer's own sentences: (status, language) → text.
pub type Overrides = HashMap<(TrackingStatus, String), String>;

/// What the placeholders stand for in one parcel's (or order's) texts.
#[derive(Clone, Debug, Default)]
pub struct Values {
    pub carrier: Option<String>,
    pub store: Option<String>,
    pub pickup_point: Option<String>,
    /// `YYYY-MM-DD`
    pub deadline: Option<String>,
}

fn fill(text: &str, language: &str, values: &Values) -> String {
    let en = language == "en";
    let deadline = values
        .deadline
        .as_deref()
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        .map(|d| {
            let locale = if en {
                crate::i18n::Locale::en
            } else {
                crate::i18n::Locale::nl
            };
            crate::ui::format::date(d, locale)
        })
        .unwrap_or_else(|| {
            if en {
                "the date on the notice".into()
            } else {
                "de datum op het bericht".into()
            }
        });
    let fallback = |value: &Option<String>, en_word: &str, nl_word: &str| {
        value
            .clone()
            .unwrap_or_else(|| if en { en_word.into() } else { nl_word.into() })
    };
    text.replace(
        "{carrier}",
        &fallback(&values.carrier, "the carrier", "de vervoerder"),
    )
    .replace("{store}", &fallback(&values.store, "", ""))
    .replace(
        "{pickup_point}",
        &fallback(&values.pickup_point, "a pickup point", "een afhaalpunt"),
    )
    .replace("{deadline}", &deadline)
    .replace(" .", ".")
}

fn words(
    status: TrackingStatus,
    language: &str,
    overrides: &Overrides,
    values: &Values,
) -> StatusWords {
    let mut w = builtin(status, language);
    if let Some(own) = overrides.get(&(status, language.to_string())) {
        w.text = own.clone();
    }
    StatusWords {
        title: fill(&w.title, language, values),
        text: fill(&w.text, language, values),
        next: fill(&w.next, language, values),
        action: w.action.map(|a| fill(&a, language, values)),
    }
}

/// A status in both languages, with the retailer's sentences and the values filled in.
pub fn line(status: TrackingStatus, overrides: &Overrides, values: &Values) -> StatusLine {
    StatusLine {
        status,
        nl: words(status, "nl", overrides, values),
        en: words(status, "en", overrides, values),
    }
}

/// Why a retailer's sentence cannot be used, if it cannot: too long, more than one
/// sentence over the limit, or an unknown `{placeholder}`.
pub fn check_own_text(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if text.chars().count() > 300 {
        return Some("too_long");
    }
    if sentences(text).any(|s| s.split_whitespace().count() > MAX_WORDS_PER_SENTENCE) {
        return Some("too_many_words");
    }
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Some("unknown_placeholder");
        };
        let name = &rest[open..open + close + 1];
        if !PLACEHOLDERS.contains(&name) {
            return Some("unknown_placeholder");
        }
        rest = &rest[open + close + 1..];
    }
    None
}

/// The sentences of a text (split after `.`, `!`, `?` and `;`).
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '!', '?', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shipments::carriers::CARRIERS;

    fn all_texts() -> Vec<(TrackingStatus, &'static str, String)> {
        let mut out = Vec::new();
        for status in TrackingStatus::ALL {
            for language in ["nl", "en"] {
                let w = builtin(status, language);
                for text in [Some(w.title), Some(w.text), Some(w.next), w.action]
                    .into_iter()
                    .flatten()
                {
                    out.push((status, language, text));
                }
            }
        }
        out
    }

    #[test]
    fn every_status_has_a_title_sentence_and_next_step_in_both_languages() {
        for status in TrackingStatus::ALL {
            for language in ["nl", "en"] {
                let w = builtin(status, language);
                assert!(!w.title.trim().is_empty(), "{status:?} {language} title");
                assert!(!w.text.trim().is_empty(), "{status:?} {language} text");
                assert!(!w.next.trim().is_empty(), "{status:?} {language} next");
            }
            assert_eq!(
                builtin(status, "nl").action.is_some(),
                builtin(status, "en").action.is_some(),
                "{status:?}: an action in one language only"
            );
        }
        let (nl, en) = tables();
        assert_eq!(
            nl.len(),
            TrackingStatus::ALL.len(),
            "nl.json has unknown statuses"
        );
        assert_eq!(
            en.len(),
            TrackingStatus::ALL.len(),
            "en.json has unknown statuses"
        );
    }

    #[test]
    fn every_sentence_has_at_most_25_words() {
        for (status, language, text) in all_texts() {
            for sentence in sentences(&text) {
                let count = sentence.split_whitespace().count();
                assert!(
                    count <= MAX_WORDS_PER_SENTENCE,
                    "{status:?} {language}: {count} words in \"{sentence}\""
                );
            }
        }
    }

    #[test]
    fn no_text_contains_a_carrier_code() {
        for (status, language, raw) in all_texts() {
            let text = PLACEHOLDERS
                .iter()
                .fold(raw.clone(), |t, p| t.replace(p, ""));
            assert!(
                !text.chars().any(|c| c.is_ascii_digit()),
                "{status:?} {language}: a number in \"{text}\""
            );
            for (carrier, table) in CARRIERS {
                for (code, _) in *table {
                    assert!(
                        !text.contains(code),
                        "{status:?} {language}: {carrier} code {code} in \"{text}\""
                    );
                }
            }
            assert!(
                !text.contains('_'),
                "{status:?} {language}: looks like a code: \"{text}\""
            );
            assert_eq!(check_own_text(&raw), None, "{status:?} {language}");
        }
    }

    #[test]
    fn placeholders_are_filled_with_fallbacks() {
        let values = Values {
            carrier: Some("PostNL".into()),
            pickup_point: Some("Primera Utrecht".into()),
            deadline: Some("2026-11-28".into()),
            ..Values::default()
        };
        let handed = line(TrackingStatus::HandedToCarrier, &Overrides::new(), &values);
        assert_eq!(handed.en.text, "Your parcel has been handed to PostNL.");
        assert_eq!(handed.nl.text, "Je pakket is overgedragen aan PostNL.");
        let pickup = line(TrackingStatus::AtPickupPoint, &Overrides::new(), &values);
        assert!(pickup.en.text.contains("Primera Utrecht"));
        assert!(
            pickup.en.next.contains("28 November 2026"),
            "{}",
            pickup.en.next
        );
        assert!(
            pickup.nl.next.contains("28 november 2026"),
            "{}",
            pickup.nl.next
        );
        let unknown = line(
            TrackingStatus::AtPickupPoint,
            &Overrides::new(),
            &Values::default(),
        );
        assert!(unknown.en.text.contains("a pickup point"));
        assert!(!unknown.en.next.contains('{'));
    }

    #[test]
    fn the_retailers_sentence_replaces_the_built_in_one() {
        let mut overrides = Overrides::new();
        overrides.insert(
            (TrackingStatus::Delivered, "nl".into()),
            "Je pakket is er! Fijn slapen.".into(),
        );
        let l = line(TrackingStatus::Delivered, &overrides, &Values::default());
        assert_eq!(l.nl.text, "Je pakket is er! Fijn slapen.");
        assert_eq!(l.en.text, "Your parcel has been delivered.");
        assert_eq!(l.nl.title, "Bezorgd");
    }

    #[test]
    fn own_texts_are_checked() {
        assert_eq!(check_own_text("Bezorgd door {carrier}."), None);
        assert_eq!(
            check_own_text("Bij {neighbour}."),
            Some("unknown_placeholder")
        );
        assert_eq!(check_own_text("Open {carrier"), Some("unknown_placeholder"));
        let long = vec!["woord"; 26].join(" ");
        assert_eq!(check_own_text(&long), Some("too_many_words"));
        assert_eq!(check_own_text(&"x".repeat(301)), Some("too_long"));
    }
}
