//! Postal addresses: the Dutch rules (postcode `1234 AB`, house number, addition) and
//! sensible ones for the other countries the retailer delivers to.
use serde::{Deserialize, Serialize};

/// An address as printed on a parcel label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostalAddress {
    /// Who it is for: a person, or a company and department.
    pub name: String,
    pub street: String,
    pub house_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addition: Option<String>,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2, e.g. `NL`.
    pub country: String,
}

/// Countries we deliver to: the EU, plus the UK, Switzerland and Norway.
pub const COUNTRIES: &[&str] = &[
    "NL", "BE", "LU", "DE", "FR", "AT", "DK", "SE", "FI", "IE", "IT", "ES", "PT", "PL", "CZ", "SK",
    "HU", "SI", "HR", "RO", "BG", "GR", "EE", "LV", "LT", "MT", "CY", "GB", "CH", "NO",
];

/// The postcode written the way the country's post writes it, or `None` when it cannot
/// be one of that country.
pub fn normalize_postcode(country: &str, postcode: &str) -> Option<String> {
    let compact: String = postcode
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match country {
        "NL" => {
            let (num, letters) = compact.split_at_checked(4)?;
            let ok = digits(num)
                && !num.starts_with('0')
                && letters.len() == 2
                && letters.chars().all(|c| c.is_ascii_uppercase())
                // PostNL never issues these letter pairs.
                && !matches!(letters, "SA" | "SD" | "SS");
            ok.then(|| format!("{num} {letters}"))
        }
        "BE" | "LU" | "AT" | "DK" | "CH" | "NO" | "HU" | "SI" | "BG" | "CY" => {
            (compact.len() == 4 && digits(&compact)).then_some(compact)
        }
        "DE" | "FR" | "IT" | "ES" | "FI" | "HR" | "EE" | "GR" => {
            (compact.len() == 5 && digits(&compact)).then_some(compact)
        }
        "SE" | "CZ" | "SK" => (compact.len() == 5 && digits(&compact))
            .then(|| format!("{} {}", &compact[..3], &compact[3..])),
        "PL" => (compact.len() == 5 && digits(&compact))
            .then(|| format!("{}-{}", &compact[..2], &compact[2..])),
        "PT" => (compact.len() == 7 && digits(&compact))
            .then(|| format!("{}-{}", &compact[..4], &compact[4..])),
        "RO" => (compact.len() == 6 && digits(&compact)).then_some(compact),
        "LT" | "LV" => {
            let number = compact.trim_start_matches(country);
            (number.len() == if country == "LT" { 5 } else { 4 } && digits(number))
                .then(|| format!("{country}-{number}"))
        }
        // UK, Irish (Eircode) and Maltese postcodes: letters and digits, written with one
        // space before the last three characters (GB) or four (IE, MT).
        "IE" | "GB" | "MT" => {
            let tail = if country == "GB" { 3 } else { 4 };
            let ok = (5..=8).contains(&compact.len())
                && compact.chars().all(|c| c.is_ascii_alphanumeric());
            ok.then(|| {
                let (head, rest) = compact.split_at(compact.len() - tail);
                format!("{head} {rest}")
            })
        }
        _ => None,
    }
}

/// A Dutch house number is digits only; additions (`A`, `bis`, `2-hoog`) go separately.
pub fn house_number_ok(country: &str, number: &str) -> bool {
    if country == "NL" {
        !number.is_empty()
            && number.len() <= 5
            && number.chars().all(|c| c.is_ascii_digit())
            && !number.starts_with('0')
    } else {
        !number.is_empty() && number.chars().count() <= 10
    }
}

#[cfg(feature = "ssr")]
impl PostalAddress {
    /// Trims, normalises the postcode and country, and reports each bad field under
    /// `prefix` (`delivery_address.postcode`).
    pub fn check(&mut self, prefix: &str, checks: &mut crate::validate::Checks) {
        let field = |name: &str| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            }
        };
        for value in [
            &mut self.name,
            &mut self.street,
            &mut self.house_number,
            &mut self.postcode,
            &mut self.city,
            &mut self.country,
        ] {
            *value = value.trim().to_string();
        }
        self.country = self.country.to_uppercase();
        self.addition = crate::validate::non_empty(self.addition.as_deref()).map(String::from);
        checks.text(&field("name"), &self.name, 200);
        checks.text(&field("street"), &self.street, 200);
        checks.text(&field("city"), &self.city, 100);
        checks.optional_text(&field("addition"), self.addition.as_deref(), 10);
        if !COUNTRIES.contains(&self.country.as_str()) {
            checks.push(
                field("country"),
                if self.country.is_empty() {
                    "required"
                } else {
                    "unsupported_country"
                },
            );
            return;
        }
        if !house_number_ok(&self.country, &self.house_number) {
            checks.push(
                field("house_number"),
                if self.house_number.is_empty() {
                    "required"
                } else {
                    "invalid"
                },
            );
        }
        match normalize_postcode(&self.country, &self.postcode) {
            Some(postcode) => self.postcode = postcode,
            None if self.postcode.is_empty() => checks.push(field("postcode"), "required"),
            None => checks.push(field("postcode"), "invalid_postcode"),
        }
    }
}

/// Countries by their own name (the same in every language of the portal).
pub fn country_name(code: &str) -> &'static str {
    match code {
        "NL" => "Nederland",
        "BE" => "België / Belgique",
        "LU" => "Luxembourg",
        "DE" => "Deutschland",
        "FR" => "France",
        "AT" => "Österreich",
        "DK" => "Danmark",
        "SE" => "Sverige",
        "FI" => "Suomi",
        "IE" => "Ireland",
        "IT" => "Italia",
        "ES" => "España",
        "PT" => "Portugal",
        "PL" => "Polska",
        "CZ" => "Česko",
        "SK" => "Slovensko",
        "HU" => "Magyarország",
        "SI" => "Slovenija",
        "HR" => "Hrvatska",
        "RO" => "România",
        "BG" => "България",
        "GR" => "Ελλάδα",
        "EE" => "Eesti",
        "LV" => "Latvija",
        "LT" => "Lietuva",
        "MT" => "Malta",
        "CY" => "Κύπρος",
        "GB" => "United Kingdom",
        "CH" => "Schweiz / Suisse",
        "NO" => "Norge",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_postcode as pc;

    #[test]
    fn dutch_postcodes() {
        assert_eq!(pc("NL", "1012pk").as_deref(), Some("1012 PK"));
        assert_eq!(pc("NL", " 3511 AB ").as_deref(), Some("3511 AB"));
        assert_eq!(pc("NL", "0123 AB"), None);
        assert_eq!(pc("NL", "1234 SS"), None);
        assert_eq!(pc("NL", "1234"), None);
        assert_eq!(pc("NL", "12345"), None);
    }

    #[test]
    fn other_countries() {
        assert_eq!(pc("BE", "1000").as_deref(), Some("1000"));
        assert_eq!(pc("DE", "10115").as_deref(), Some("10115"));
        assert_eq!(pc("DE", "1011"), None);
        assert_eq!(pc("PL", "00950").as_deref(), Some("00-950"));
        assert_eq!(pc("SE", "11455").as_deref(), Some("114 55"));
        assert_eq!(pc("IE", "d02x285").as_deref(), Some("D02 X285"));
        assert_eq!(pc("GB", "sw1a1aa").as_deref(), Some("SW1A 1AA"));
        assert_eq!(pc("LT", "LT-01100").as_deref(), Some("LT-01100"));
        assert_eq!(pc("XX", "1234"), None);
    }
}
