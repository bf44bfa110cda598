//! Money and dates the way each language writes them. Pure functions, so the server and
//! the browser render the very same text (hydration must match).
use crate::i18n::Locale;

/// `€ 1.234,50` in Dutch, `€1,234.50` in English; other currencies by their code.
pub fn money(minor: i64, currency: &str, locale: Locale) -> String {
    let negative = minor < 0;
    let minor = minor.unsigned_abs();
    let (units, cents) = (minor / 100, minor % 100);
    let (thousands, decimal) = match locale {
        Locale::nl => ('.', ','),
        Locale::en => (',', '.'),
    };
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let symbol = match currency {
        "EUR" => "€",
        "GBP" => "£",
        "USD" => "$",
        other => other,
    };
    let sign = if negative { "-" } else { "" };
    let space = if matches!(locale, Locale::nl) || symbol.chars().count() == 3 {
        " "
    } else {
        ""
    };
    format!("{sign}{symbol}{space}{grouped}{decimal}{cents:02}")
}

/// The month's name, from the translation files.
fn month_name(month: u32, locale: Locale) -> Option<String> {
    use crate::i18n::td_string;
    Some(
        match month {
            1 => td_string!(locale, month.m01),
            2 => td_string!(locale, month.m02),
            3 => td_string!(locale, month.m03),
            4 => td_string!(locale, month.m04),
            5 => td_string!(locale, month.m05),
            6 => td_string!(locale, month.m06),
            7 => td_string!(locale, month.m07),
            8 => td_string!(locale, month.m08),
            9 => td_string!(locale, month.m09),
            10 => td_string!(locale, month.m10),
            11 => td_string!(locale, month.m11),
            12 => td_string!(locale, month.m12),
            _ => return None,
        }
        .to_string(),
    )
}

/// `24 november 2026` / `24 November 2026` from a local `2026-11-24…` date(-time).
pub fn date(local: &str, locale: Locale) -> String {
    let parts: Vec<u32> = local
        .get(..10)
        .unwrap_or_default()
        .split('-')
        .filter_map(|p| p.parse().ok())
        .collect();
    let [year, month, day] = parts[..] else {
        return local.to_string();
    };
    match month_name(month, locale) {
        Some(name) => format!("{day} {name} {year}"),
        None => local.to_string(),
    }
}

/// `24 november 2026, 14:05` from a local `2026-11-24T14:05`.
pub fn date_time(local: &str, locale: Locale) -> String {
    match local.get(11..16) {
        Some(time) => format!("{}, {time}", date(local, locale)),
        None => date(local, locale),
    }
}

/// The same for a moment that may not be there; empty when it is not.
pub fn maybe_date_time(local: Option<&str>, locale: Locale) -> String {
    local.map(|l| date_time(l, locale)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_per_language() {
        assert_eq!(money(123450, "EUR", Locale::nl), "€ 1.234,50");
        assert_eq!(money(123450, "EUR", Locale::en), "€1,234.50");
        assert_eq!(money(5, "EUR", Locale::nl), "€ 0,05");
        assert_eq!(money(-990, "EUR", Locale::en), "-€9.90");
        assert_eq!(money(100000000, "SEK", Locale::en), "SEK 1,000,000.00");
    }

    #[test]
    fn dates_per_language() {
        assert_eq!(date("2026-11-24T14:05", Locale::nl), "24 november 2026");
        assert_eq!(date("2026-03-01", Locale::en), "1 March 2026");
        assert_eq!(
            date_time("2026-11-24T14:05", Locale::en),
            "24 November 2026, 14:05"
        );
        assert_eq!(date("garbage", Locale::en), "garbage");
    }
}
