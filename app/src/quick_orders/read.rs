//! Quick order (#22): lines typed or pasted as `SKU quantity`, or a CSV file, read into
//! lines to check against the catalogue. Each line may separate its two fields with
//! spaces, a tab, a comma or a semicolon (what a spreadsheet copies, what a webshop
//! export writes); a CSV field may be quoted (`"BED-LINNEN, wit";4`). A byte-order mark
//! and a header line (`sku;aantal`) are skipped. Nothing here knows the catalogue: the
//! service checks each SKU (unknown, no longer sold, pack size) and adds up duplicates.
//!
//! Parsing goes through the `csv` crate, one line at a time with the separator that line
//! uses, so quoting and escaped quotes follow RFC 4180 rather than hand-made splitting.
use crate::reorders::MAX_QUANTITY;

/// A line that reads: its line number (1-based, as the person sees it), the SKU as typed
/// (trimmed) and the quantity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypedLine {
    pub line: usize,
    pub sku: String,
    pub quantity: i32,
}

/// A line that does not read, with why (`code`, for the error next to it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    /// The line as typed, so the message can quote it.
    pub text: String,
    /// `no_quantity`, `not_a_whole_number`, `not_positive`, `too_many`, `too_many_fields`
    /// or `unreadable` (a quote left open).
    pub code: &'static str,
}

/// Header names a spreadsheet's first line may carry instead of a product.
const HEADERS: &[&str] = &[
    "sku",
    "artikel",
    "artikelnummer",
    "artikelcode",
    "product",
    "productcode",
    "code",
    "item",
];

/// Reads every non-empty line of `text` (pasted, or a CSV file's contents).
pub fn read(text: &str) -> (Vec<TypedLine>, Vec<LineProblem>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let problem = |code| LineProblem {
            line,
            text: raw.to_string(),
            code,
        };
        let fields = match fields(raw) {
            Some(fields) => fields,
            None => {
                problems.push(problem("unreadable"));
                continue;
            }
        };
        let fields: Vec<&str> = fields
            .iter()
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
            .collect();
        if lines.is_empty() && problems.is_empty() && is_header(&fields) {
            continue;
        }
        match fields.as_slice() {
            [] => {}
            [_] => problems.push(problem("no_quantity")),
            [sku, quantity] => match quantity_of(quantity) {
                Ok(quantity) => lines.push(TypedLine {
                    line,
                    sku: sku.to_string(),
                    quantity,
                }),
                Err(code) => problems.push(problem(code)),
            },
            _ => problems.push(problem("too_many_fields")),
        }
    }
    (lines, problems)
}

/// The fields of one line, split on the separator it uses: a semicolon, else a tab, else
/// a comma, else spaces. A comma only separates when the line quotes its fields or the
/// SKU before it has no space: `LAKEN 2,5` is a quantity typed with a decimal comma.
/// `None` when a quote is left open.
fn fields(raw: &str) -> Option<Vec<String>> {
    let quoted = raw.contains('"');
    if quoted && raw.matches('"').count() % 2 == 1 {
        return None;
    }
    let by_spaces = || Some(raw.split_whitespace().map(str::to_string).collect());
    if let Some(separator) = [b';', b'\t']
        .into_iter()
        .find(|s| raw.as_bytes().contains(s))
    {
        return split(raw, separator);
    }
    if !raw.contains(',') {
        return by_spaces();
    }
    let by_comma = split(raw, b',')?;
    let sku_has_space = by_comma
        .first()
        .is_some_and(|sku| sku.trim().contains(char::is_whitespace));
    if quoted || !sku_has_space {
        Some(by_comma)
    } else {
        by_spaces()
    }
}

/// One line as a CSV record with `separator` (quotes and escaped quotes as RFC 4180).
fn split(raw: &str, separator: u8) -> Option<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(separator)
        .flexible(true)
        .from_reader(raw.as_bytes());
    let record = reader.records().next()?.ok()?;
    Some(record.iter().map(str::to_string).collect())
}

fn is_header(fields: &[&str]) -> bool {
    matches!(fields, [first, second, ..]
        if HEADERS.contains(&first.to_lowercase().as_str()) && quantity_of(second).is_err())
}

/// A quantity: a positive whole number of at most [`MAX_QUANTITY`].
fn quantity_of(typed: &str) -> Result<i32, &'static str> {
    let typed = typed.trim();
    match typed.parse::<i64>() {
        Ok(n) if n <= 0 => Err("not_positive"),
        Ok(n) if n > i64::from(MAX_QUANTITY) => Err("too_many"),
        Ok(n) => Ok(n as i32),
        Err(_) => Err("not_a_whole_number"),
    }
}

/// The same SKU on several lines counts once, with the quantities added up (at the first
/// line it was typed on). SKUs are compared as the catalogue stores them: upper case.
pub fn add_up(lines: &[TypedLine]) -> Vec<TypedLine> {
    let mut out: Vec<TypedLine> = Vec::new();
    for typed in lines {
        let sku = typed.sku.to_uppercase();
        match out.iter_mut().find(|l| l.sku == sku) {
            Some(known) => known.quantity = known.quantity.saturating_add(typed.quantity),
            None => out.push(TypedLine {
                sku,
                ..typed.clone()
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(line: usize, sku: &str, quantity: i32) -> TypedLine {
        TypedLine {
            line,
            sku: sku.to_string(),
            quantity,
        }
    }

    #[test]
    fn every_separator_a_person_pastes_reads() {
        let (lines, problems) = read(
            "LIN-LAKEN-160 12\nLIN-SLOOP\t24\nBAD-HANDDOEK,30\n  BAD-GAST ; 6  \n\nLIN-HOES   2\n",
        );
        assert_eq!(problems, []);
        assert_eq!(
            lines,
            [
                typed(1, "LIN-LAKEN-160", 12),
                typed(2, "LIN-SLOOP", 24),
                typed(3, "BAD-HANDDOEK", 30),
                typed(4, "BAD-GAST", 6),
                typed(6, "LIN-HOES", 2),
            ]
        );
    }

    #[test]
    fn a_csv_file_with_a_bom_a_header_and_quoted_fields() {
        let file =
            "\u{feff}sku;aantal\r\n\"LIN-LAKEN-160\";\"12\"\r\n\"BED \"\"LUXE\"\", wit\";1\r\n";
        let (lines, problems) = read(file);
        assert_eq!(problems, []);
        assert_eq!(
            lines,
            [
                typed(2, "LIN-LAKEN-160", 12),
                typed(3, "BED \"LUXE\", wit", 1)
            ]
        );
    }

    #[test]
    fn each_bad_line_is_named_with_why_and_the_good_ones_stay() {
        let (lines, problems) = read(
            "LIN-LAKEN-160 12\nLIN-SLOOP\nLIN-HOES 2,5\nBAD-GAST;0\nBAD-MAT;-3\nLIN-X 100000\nA B C\n\"LIN-OPEN;4\nLIN-SLOOP 24",
        );
        assert_eq!(
            lines,
            [typed(1, "LIN-LAKEN-160", 12), typed(9, "LIN-SLOOP", 24)]
        );
        let named: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.code)).collect();
        assert_eq!(
            named,
            [
                (2, "no_quantity"),
                (3, "not_a_whole_number"),
                (4, "not_positive"),
                (5, "not_positive"),
                (6, "too_many"),
                (7, "too_many_fields"),
                (8, "unreadable"),
            ]
        );
        assert_eq!(problems[0].text, "LIN-SLOOP");
    }

    #[test]
    fn a_header_is_only_skipped_on_the_first_line() {
        let (lines, problems) = read("code 4\nsku aantal");
        assert_eq!(lines, [typed(1, "code", 4)]);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].line, problems[0].code),
            (2, "not_a_whole_number")
        );
    }

    #[test]
    fn the_same_product_twice_is_added_up_at_its_first_line() {
        let (lines, _) = read("lin-sloop 4\nLIN-LAKEN 2\nLIN-SLOOP 6");
        assert_eq!(
            add_up(&lines),
            [typed(1, "LIN-SLOOP", 10), typed(2, "LIN-LAKEN", 2)]
        );
    }
}
