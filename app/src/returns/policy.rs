//! The return policy: per order line, whether and until when it can be returned, and why
//! not when it cannot. Pure functions: every edge is unit-tested.
use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

/// The retailer's policy (admin-set; one row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Days to return, counted from the day the customer received it.
    pub default_days: i32,
    /// Other windows per product category.
    pub categories: Vec<(String, i32)>,
    /// Products of this category may be tried at home (e.g. mattresses, 100 nights).
    pub trial_category: Option<String>,
    pub trial_nights: i32,
    /// What sending it back by carrier costs (minor units); dropping off is free.
    pub carrier_cost: i64,
    /// The conditions customers read on the return form (may be empty).
    pub conditions_nl: String,
    pub conditions_en: String,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            default_days: 30,
            categories: Vec::new(),
            trial_category: Some("mattresses".into()),
            trial_nights: 100,
            carrier_cost: 0,
            conditions_nl: String::new(),
            conditions_en: String::new(),
        }
    }
}

/// What the policy needs to know about one order line.
#[derive(Clone, Debug)]
pub struct LineFacts<'a> {
    pub category: Option<&'a str>,
    /// `false` for e.g. opened pillows or custom-made mattresses.
    pub returnable: bool,
    /// The product's own window, when it has one.
    pub product_days: Option<i32>,
    /// Pieces bought (minus cancelled).
    pub bought: i32,
    /// Pieces already in a return (not cancelled, not rejected).
    pub returned: i32,
    /// The local day the customer got it (delivered, collected or bought in store).
    pub received_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// May be returned up to and including `until`; `left` pieces.
    Returnable {
        until: NaiveDate,
        left: i32,
        /// The trial period applies (sleep on it first).
        trial: bool,
    },
    /// Cannot be returned: `reason` is `not_returnable`, `not_received`, `window_ended`
    /// (with the last day) or `all_returned`.
    NotReturnable {
        reason: String,
        ended_on: Option<NaiveDate>,
    },
}

fn not(reason: &str, ended_on: Option<NaiveDate>) -> Verdict {
    Verdict::NotReturnable {
        reason: reason.into(),
        ended_on,
    }
}

impl Policy {
    /// Days to return a product of this category with this own window.
    pub fn window_days(&self, category: Option<&str>, product_days: Option<i32>) -> i32 {
        product_days
            .or_else(|| {
                category.and_then(|c| {
                    self.categories
                        .iter()
                        .find(|(name, _)| name == c)
                        .map(|(_, d)| *d)
                })
            })
            .unwrap_or(self.default_days)
            .max(0)
    }

    fn on_trial(&self, category: Option<&str>) -> bool {
        self.trial_nights > 0 && category.is_some() && self.trial_category.as_deref() == category
    }

    /// Whether (and until when, and how many) this line can be returned on `today`.
    pub fn verdict(&self, line: &LineFacts<'_>, today: NaiveDate) -> Verdict {
        if !line.returnable {
            return not("not_returnable", None);
        }
        let left = line.bought - line.returned;
        if left <= 0 {
            return not("all_returned", None);
        }
        let Some(received) = line.received_on else {
            return not("not_received", None);
        };
        let days = self.window_days(line.category, line.product_days);
        let trial = self.on_trial(line.category) && self.trial_nights > days;
        let days = if trial { self.trial_nights } else { days };
        let until = received + TimeDelta::days(i64::from(days));
        if today > until {
            return not("window_ended", Some(until));
        }
        Verdict::Returnable { until, left, trial }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date")
    }

    fn line(category: &'static str, received: &str) -> LineFacts<'static> {
        LineFacts {
            category: Some(category),
            returnable: true,
            product_days: None,
            bought: 2,
            returned: 0,
            received_on: Some(day(received)),
        }
    }

    fn policy() -> Policy {
        Policy {
            categories: vec![("linen".into(), 14)],
            ..Policy::default()
        }
    }

    #[test]
    fn the_window_counts_from_receipt_and_includes_its_last_day() {
        let p = policy();
        let l = line("pillow", "2026-11-01");
        assert_eq!(
            p.verdict(&l, day("2026-12-01")),
            Verdict::Returnable {
                until: day("2026-12-01"),
                left: 2,
                trial: false
            }
        );
        assert_eq!(
            p.verdict(&l, day("2026-12-02")),
            not("window_ended", Some(day("2026-12-01")))
        );
        // The day it arrived counts as day zero.
        assert!(matches!(
            p.verdict(&l, day("2026-11-01")),
            Verdict::Returnable { .. }
        ));
    }

    #[test]
    fn categories_and_products_have_their_own_windows() {
        let p = policy();
        let linen = line("linen", "2026-11-01");
        assert_eq!(
            p.verdict(&linen, day("2026-11-16")),
            not("window_ended", Some(day("2026-11-15")))
        );
        let mut own = line("linen", "2026-11-01");
        own.product_days = Some(60);
        assert!(matches!(
            p.verdict(&own, day("2026-12-31")),
            Verdict::Returnable { .. }
        ));
        own.product_days = Some(0);
        assert_eq!(
            p.verdict(&own, day("2026-11-02")),
            not("window_ended", Some(day("2026-11-01")))
        );
    }

    #[test]
    fn mattresses_can_be_tried_for_a_hundred_nights() {
        let p = policy();
        let mattress = line("mattresses", "2026-08-01");
        assert_eq!(
            p.verdict(&mattress, day("2026-11-09")),
            Verdict::Returnable {
                until: day("2026-11-09"),
                left: 2,
                trial: true
            }
        );
        assert_eq!(
            p.verdict(&mattress, day("2026-11-10")),
            not("window_ended", Some(day("2026-11-09")))
        );
        let no_trial = Policy {
            trial_nights: 0,
            ..policy()
        };
        assert_eq!(
            no_trial.verdict(&mattress, day("2026-09-01")),
            not("window_ended", Some(day("2026-08-31")))
        );
    }

    #[test]
    fn some_lines_cannot_be_returned_at_all() {
        let p = policy();
        let mut custom = line("mattresses", "2026-11-01");
        custom.returnable = false;
        assert_eq!(
            p.verdict(&custom, day("2026-11-02")),
            not("not_returnable", None)
        );
        let mut done = line("pillow", "2026-11-01");
        done.returned = 2;
        assert_eq!(
            p.verdict(&done, day("2026-11-02")),
            not("all_returned", None)
        );
        let mut on_its_way = line("pillow", "2026-11-01");
        on_its_way.received_on = None;
        assert_eq!(
            p.verdict(&on_its_way, day("2026-11-02")),
            not("not_received", None)
        );
    }

    #[test]
    fn only_what_is_left_can_be_returned() {
        let p = policy();
        let mut half = line("pillow", "2026-11-01");
        half.returned = 1;
        assert!(matches!(
            p.verdict(&half, day("2026-11-02")),
            Verdict::Returnable { left: 1, .. }
        ));
    }
}

#[cfg(test)]
mod euro_tests {
    use crate::returns::admin::parse_euros;

    #[test]
    fn amounts_in_euros_become_cents() {
        assert_eq!(parse_euros("4,95"), Some(495));
        assert_eq!(parse_euros("€ 4.95"), Some(495));
        assert_eq!(parse_euros("5"), Some(500));
        assert_eq!(parse_euros("0,5"), Some(50));
        assert_eq!(parse_euros("4,955"), None);
        assert_eq!(parse_euros("vier"), None);
        assert_eq!(parse_euros("-1"), None);
        assert_eq!(
            parse_euros("1.500"),
            None,
            "fifteen hundred or one and a half"
        );
        assert_eq!(parse_euros("1500"), Some(150_000));
        assert_eq!(parse_euros("1.250,50"), Some(125_050));
        assert_eq!(parse_euros("1,250.50"), Some(125_050));
        assert_eq!(parse_euros("2.500.000"), Some(250_000_000));
        assert_eq!(parse_euros("1.5"), Some(150));
        assert_eq!(parse_euros("12,5"), Some(1250));
        assert_eq!(parse_euros("1.2.3"), None);
        assert_eq!(parse_euros(""), None);
        assert_eq!(parse_euros("€"), None);
    }
}
