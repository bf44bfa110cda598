//! How customer service finds a customer: the terms a customer is indexed by, and what a
//! typed search can mean. One box takes anything an agent hears on the phone or reads
//! from a screen — part of a name, an e-mail address, a phone number written any way,
//! postcode and house number, an order number, a loyalty card, a receipt code — and every
//! reading that fits is tried.
use unicode_normalization::UnicodeNormalization;

/// A name's word is found by its first letters; shorter starts would match half the file.
pub const MIN_WORD: usize = 2;

/// Lower case without accents or ligatures: `Ösçar Müller` → `oscar muller`, `Ĳssel` →
/// `ijssel` (compatibility decomposition, then the marks dropped).
pub fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a name as the index keeps them (`Anna de Vries-Jansen` → `anna`, `de`,
/// `vries`, `jansen`).
pub fn name_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// A phone number in international form: `06 1234 5678`, `+31 6 12345678` and
/// `0031-6-1234.5678` are all `+31612345678`. A number without a country code is Dutch.
/// `None` for what cannot be a phone number (8 to 15 digits).
pub fn normalize_phone(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-./()".contains(c))
        || text[1..].contains('+')
    {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let international = if text.starts_with('+') {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("31{rest}")
    } else {
        return None;
    };
    // "+31 (0)6 …": the trunk zero written after the country code.
    let international = match international.strip_prefix("310") {
        Some(rest) if text.contains("(0)") => format!("31{rest}"),
        _ => international,
    };
    (8..=15)
        .contains(&international.len())
        .then(|| format!("+{international}"))
}

/// Postcode and house number as the index keeps them: `3511 ab` and `12-A` → `3511AB|12`.
pub fn address_key(postcode: &str, house_number: &str) -> Option<String> {
    let postcode: String = postcode
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase();
    let number: String = house_number
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!postcode.is_empty() && !number.is_empty()).then(|| format!("{postcode}|{number}"))
}

/// Every term a customer is found by: the words of their name, their phone number, and
/// postcode with house number of each address.
pub fn terms<'a>(
    name: &str,
    phone: Option<&str>,
    addresses: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut terms: Vec<String> = name_words(name)
        .into_iter()
        .map(|w| format!("n:{w}"))
        .collect();
    terms.extend(phone.and_then(normalize_phone).map(|p| format!("p:{p}")));
    terms.extend(
        addresses
            .into_iter()
            .filter_map(|(postcode, number)| address_key(postcode, number))
            .map(|a| format!("a:{a}")),
    );
    terms.sort();
    terms.dedup();
    terms
}

/// The readings of what an agent typed. Several can apply (`0612345678` could be a phone
/// number or a card); each is tried and the customers found by any are shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Starts of name words, each of which a customer's name must have.
    pub words: Vec<String>,
    /// An e-mail address, normalised.
    pub email: Option<String>,
    /// A phone number in international form.
    pub phone: Option<String>,
    /// Postcode and house number, as [`address_key`] writes them.
    pub address: Option<String>,
    /// A loyalty card number (digits).
    pub card: Option<String>,
    /// An order number or receipt code, as typed (trimmed).
    pub code: Option<String>,
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let text = text.trim();
        let mut query = Query::default();
        if text.is_empty() {
            return query;
        }
        if text.contains('@') {
            query.email = Some(crate::validate::normalize_email(text));
            return query;
        }
        query.phone = normalize_phone(text);
        query.card = super::normalize_loyalty_card(text);
        query.address = postcode_and_number(text);
        let single_token = !text.contains(char::is_whitespace);
        if single_token && text.chars().any(|c| c.is_ascii_digit()) {
            query.code = Some(text.to_string());
        }
        // A name has letters; "3511 AB 12" and phone numbers are not names.
        if query.address.is_none() && text.chars().any(char::is_alphabetic) {
            query.words = name_words(text)
                .into_iter()
                .filter(|w| w.chars().count() >= MIN_WORD)
                .collect();
        }
        query
    }

    /// Nothing to look for (an empty search, or only one-letter words).
    pub fn is_empty(&self) -> bool {
        *self == Query::default()
    }
}

/// `3511 AB 12`, `3511ab12`, `3511 AB, 12-A`, `1000 12` (Belgium): a postcode of 4 to 7
/// letters and digits starting with a digit, then a house number.
fn postcode_and_number(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect::<String>()
        .to_uppercase();
    // The Dutch form written together: four digits, two letters, the number.
    let bytes = compact.as_bytes();
    if bytes.len() > 6
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4..6].iter().all(u8::is_ascii_uppercase)
        && bytes[6].is_ascii_digit()
    {
        return address_key(&compact[..6], &compact[6..]);
    }
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let (number, postcode) = tokens.split_last()?;
    let postcode = postcode.concat();
    let fits = (4..=7).contains(&postcode.len())
        && postcode.starts_with(|c: char| c.is_ascii_digit())
        && postcode.chars().all(|c| c.is_ascii_alphanumeric())
        && number.starts_with(|c: char| c.is_ascii_digit());
    if fits {
        address_key(&postcode, number)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_without_case_or_accents() {
        assert_eq!(
            name_words("Anna de Vries-Jansen"),
            ["anna", "de", "jansen", "vries"]
        );
        assert_eq!(name_words("Zoë Ĳsselmeer"), ["ijsselmeer", "zoe"]);
        assert_eq!(fold("Ösçar MÜLLER"), "oscar muller");
    }

    #[test]
    fn phone_numbers_written_any_way_are_one_number() {
        for typed in [
            "06 1234 5678",
            "06-12345678",
            "+31612345678",
            "+31 6 1234 5678",
            "0031 6 12345678",
            "+31 (0)6 1234 5678",
            "(06) 1234.5678",
        ] {
            assert_eq!(
                normalize_phone(typed).as_deref(),
                Some("+31612345678"),
                "{typed}"
            );
        }
        assert_eq!(
            normalize_phone("+32 470 12 34 56").as_deref(),
            Some("+32470123456")
        );
        assert_eq!(normalize_phone("12345"), None);
        assert_eq!(normalize_phone("call 0612345678"), None);
        assert_eq!(normalize_phone("06+12345678"), None);
    }

    #[test]
    fn terms_cover_name_phone_and_each_address() {
        assert_eq!(
            terms(
                "Anna de Vries",
                Some("06 1234 5678"),
                [("3511 AB", "12"), ("3511ab", "12-A"), ("1000", "5")]
            ),
            [
                "a:1000|5",
                "a:3511AB|12",
                "n:anna",
                "n:de",
                "n:vries",
                "p:+31612345678"
            ]
        );
    }

    #[test]
    fn a_search_is_read_every_way_it_can_mean() {
        let name = Query::parse("  Anna de V ");
        assert_eq!(name.words, ["anna", "de"]);
        assert_eq!((name.phone, name.code, name.address), (None, None, None));

        let email = Query::parse("Anna@Example.NL ");
        assert_eq!(email.email.as_deref(), Some("anna@example.nl"));
        assert!(email.words.is_empty());

        let phone = Query::parse("06 1234 5678");
        assert_eq!(phone.phone.as_deref(), Some("+31612345678"));
        assert_eq!(phone.card.as_deref(), Some("0612345678"));
        assert!(phone.words.is_empty());

        for typed in ["3511 AB 12", "3511ab12", "3511 AB, 12-A", "3511AB 12"] {
            let address = Query::parse(typed);
            assert_eq!(address.address.as_deref(), Some("3511AB|12"), "{typed}");
            assert!(address.words.is_empty(), "{typed}");
        }

        let order = Query::parse("WS-240310");
        assert_eq!(order.code.as_deref(), Some("WS-240310"));
        assert_eq!(order.words, ["240310", "ws"]);

        let card = Query::parse("2620001000014");
        assert_eq!(card.card.as_deref(), Some("2620001000014"));
        assert_eq!(card.code.as_deref(), Some("2620001000014"));

        assert!(Query::parse(" ").is_empty());
        assert!(Query::parse("a").is_empty());
    }
}
