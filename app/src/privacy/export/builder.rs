//! Writes a customer's data export as a ZIP into a file, a page of rows at a time, so a
//! customer with thousands of orders never sits in memory whole:
//!
//! - `data.json`: one document, `{"schema": "mijn-portaal/export/v1", …}`, valid against
//!   `data.schema.json` (also in the ZIP; `docs/export-schema.json` in the repository);
//! - a CSV file per section (UTF-8, comma-separated, a header row), the same rows;
//! - `README.txt` in the customer's language, explaining every file and field.
//!
//! Each section's rows come from the area that owns them (`<area>::privacy_repo` or
//! `export_*` in its repo); their field names are the columns listed here, which the
//! schema and both READMEs describe (tests keep the three in step).
use std::io::{Seek, Write};

use serde::Serialize;
use serde_json::{Map, Value};
use zip::write::SimpleFileOptions;

use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::language::Language;

/// The `schema` value of `data.json`; a new version when a field changes meaning or goes.
pub const SCHEMA: &str = "mijn-portaal/export/v1";
/// The JSON Schema `data.json` is valid against.
pub const SCHEMA_JSON: &str = include_str!("../../../../docs/export-schema.json");
const README_NL: &str = include_str!("README.nl.txt");
const README_EN: &str = include_str!("README.en.txt");
/// Rows (or, for lines, orders and returns) read at a time.
pub const PAGE: i64 = 500;

/// Whose data: the customer record and the user who asked (their login).
#[derive(Clone, Copy, Debug)]
pub struct Owner {
    pub customer_id: i64,
    pub user_id: i64,
}

pub use super::sections::Section;

impl Section {
    /// `profile` is one object in `data.json`; every other section a list.
    fn single(self) -> bool {
        self == Section::Profile
    }

    /// The rows after paging key `after` (0: from the start) and the key to go on from;
    /// no key when this was the last page.
    async fn page(self, db: &Db, owner: Owner, after: i64) -> Result<Page, AppError> {
        let (c, u) = (owner.customer_id, owner.user_id);
        let page = match self {
            Section::Profile => {
                let customer = crate::customers::privacy_repo::profile(db, c)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let account = crate::accounts::privacy_repo::account(db, u)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let mut row = object(&customer)?;
                row.extend(object(&account)?);
                Page {
                    rows: vec![row],
                    next: None,
                }
            }
            Section::Addresses => keyed(
                crate::customers::privacy_repo::addresses(db, c, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::Orders => keyed(
                crate::orders::privacy_repo::orders(db, c, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::OrderLines => keyed(
                crate::orders::privacy_repo::order_lines(db, c, after, PAGE).await?,
                |r| r.order_id,
            )?,
            Section::StorePurchases => keyed(
                crate::orders::privacy_repo::store_purchases(db, c, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::Parcels => keyed(
                crate::shipments::repo::export_parcels(db, c, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::Returns => keyed(
                crate::returns::privacy_repo::returns(db, c, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::ReturnLines => keyed(
                crate::returns::privacy_repo::return_lines(db, c, after, PAGE).await?,
                |r| r.return_id,
            )?,
            Section::Consents => Page {
                rows: crate::privacy::service::states(db, c)
                    .await?
                    .iter()
                    .map(object)
                    .collect::<Result<_, _>>()?,
                next: None,
            },
            Section::ConsentHistory => keyed(
                crate::privacy::repo::export_history(db, c, u, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::Loyalty => keyed(
                crate::loyalty::repo::export_claims(db, u, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::Logins => keyed(
                crate::accounts::privacy_repo::logins(db, u, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::StaffAccess => keyed(
                crate::audit::repo::export_rows(db, c, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::ContactNotes => keyed(
                crate::customer_service::repo::export_notes(db, c, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::HelpPermissions => keyed(
                crate::customers::help_repo::export_permissions(db, c, after, PAGE).await?,
                |r| r.id,
            )?,
            Section::Advice => keyed(
                crate::advisor::repo::export_advice(db, c, after, PAGE).await?,
                |r| r.id,
            )?,
        };
        for row in &page.rows {
            let columns = self.columns();
            if row.len() != columns.len() || !columns.iter().all(|c| row.contains_key(*c)) {
                tracing::error!(
                    section = self.name(),
                    "export row out of step with its columns"
                );
                return Err(AppError::Internal);
            }
        }
        Ok(page)
    }
}

struct Page {
    rows: Vec<Map<String, Value>>,
    next: Option<i64>,
}

fn object<T: Serialize>(row: &T) -> Result<Map<String, Value>, AppError> {
    match serde_json::to_value(row) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(AppError::Internal),
    }
}

/// A page of rows, going on after the last row's key (an empty page ends the section).
fn keyed<T: Serialize>(rows: Vec<T>, key: impl Fn(&T) -> i64) -> Result<Page, AppError> {
    let next = rows.last().map(&key);
    Ok(Page {
        rows: rows.iter().map(object).collect::<Result<_, _>>()?,
        next,
    })
}

/// A CSV cell: text as it is, numbers and true/false as written, empty for nothing.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// What the export is about, for `data.json`'s head and the README.
pub struct About<'a> {
    pub retailer: &'a str,
    pub language: Language,
    pub generated_at: Timestamp,
}

/// The export whose progress a build records (none: just write the file).
#[derive(Clone, Copy)]
pub struct Progress<'a> {
    pub export_id: i64,
    pub claim_token: &'a str,
}

async fn report(
    db: &Db,
    progress: Option<Progress<'_>>,
    done: i32,
    total: i32,
) -> Result<(), AppError> {
    if let Some(p) = progress {
        super::repo::progress(db, p.export_id, p.claim_token, done, total).await?;
    }
    Ok(())
}

/// Writes the whole export as a ZIP into `out`, recording how far it is after each step.
pub async fn write_zip<W: Write + Seek>(
    db: &Db,
    owner: Owner,
    about: &About<'_>,
    out: W,
    progress: Option<Progress<'_>>,
) -> Result<W, AppError> {
    let io = |e: std::io::Error| {
        tracing::error!(error = %e, "cannot write the export file");
        AppError::Internal
    };
    let zip_err = |e: zip::result::ZipError| {
        tracing::error!(error = %e, "cannot write the export file");
        AppError::Internal
    };
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(out);
    let total = (Section::ALL.len() * 2) as i32;
    let mut done = 0;

    // data.json: the sections one after the other, each streamed a page at a time.
    zip.start_file("data.json", options).map_err(zip_err)?;
    let head = serde_json::json!({
        "schema": SCHEMA,
        "generated_at": about.generated_at,
        "retailer": about.retailer,
        "language": about.language.as_str(),
    });
    let head = serde_json::to_string(&head).map_err(|_| AppError::Internal)?;
    // The head's fields, then one key per section.
    zip.write_all(head.trim_end_matches('}').as_bytes())
        .map_err(io)?;
    for section in Section::ALL {
        write!(zip, ",\n\"{}\":", section.name()).map_err(io)?;
        if section.single() {
            let page = section.page(db, owner, 0).await?;
            let row = page.rows.into_iter().next().ok_or(AppError::NotFound)?;
            serde_json::to_writer(&mut zip, &row).map_err(|_| AppError::Internal)?;
        } else {
            zip.write_all(b"[").map_err(io)?;
            let mut first = true;
            let mut after = 0;
            loop {
                let page = section.page(db, owner, after).await?;
                for row in &page.rows {
                    if !first {
                        zip.write_all(b",").map_err(io)?;
                    }
                    first = false;
                    zip.write_all(b"\n").map_err(io)?;
                    serde_json::to_writer(&mut zip, row).map_err(|_| AppError::Internal)?;
                }
                match page.next {
                    Some(next) => after = next,
                    None => break,
                }
            }
            zip.write_all(b"]").map_err(io)?;
        }
        done += 1;
        report(db, progress, done, total).await?;
    }
    zip.write_all(b"\n}\n").map_err(io)?;

    // The same rows as CSV, a file per section.
    for section in Section::ALL {
        zip.start_file(format!("{}.csv", section.name()), options)
            .map_err(zip_err)?;
        let mut csv = csv::Writer::from_writer(&mut zip);
        csv.write_record(section.columns())
            .map_err(|_| AppError::Internal)?;
        let mut after = 0;
        loop {
            let page = section.page(db, owner, after).await?;
            for row in &page.rows {
                csv.write_record(section.columns().iter().map(|c| cell(row.get(*c))))
                    .map_err(|_| AppError::Internal)?;
            }
            match page.next {
                Some(next) => after = next,
                None => break,
            }
        }
        csv.flush().map_err(io)?;
        drop(csv);
        done += 1;
        report(db, progress, done, total).await?;
    }

    zip.start_file("data.schema.json", options)
        .map_err(zip_err)?;
    zip.write_all(SCHEMA_JSON.as_bytes()).map_err(io)?;
    zip.start_file("README.txt", options).map_err(zip_err)?;
    zip.write_all(readme(about).as_bytes()).map_err(io)?;
    zip.finish().map_err(zip_err)
}

/// The README in the customer's language, with the retailer and the moment filled in.
pub fn readme(about: &About<'_>) -> String {
    let template = match about.language {
        Language::Nl => README_NL,
        Language::En => README_EN,
    };
    template
        .replace("{retailer}", about.retailer)
        .replace(
            "{generated_at}",
            &crate::time::local_time(about.generated_at.0).replacen('T', " ", 1),
        )
        .replace("{schema}", SCHEMA)
}

/// The README template of `language`, unfilled (tests check it names every field).
pub fn readme_template(language: Language) -> &'static str {
    match language {
        Language::Nl => README_NL,
        Language::En => README_EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_plain_text() {
        assert_eq!(cell(None), "");
        assert_eq!(cell(Some(&Value::Null)), "");
        assert_eq!(cell(Some(&Value::from("a, \"b\""))), "a, \"b\"");
        assert_eq!(cell(Some(&Value::from(3))), "3");
        assert_eq!(cell(Some(&Value::from(true))), "true");
    }

    #[test]
    fn both_readmes_explain_every_file_and_field() {
        for language in [Language::Nl, Language::En] {
            let text = readme_template(language);
            for section in Section::ALL {
                // A block per file: "<name>.csv: …" on its own line, a line per field, a
                // blank line.
                let file = format!("{}.csv", section.name());
                let header = format!("\n{file}: ");
                let start = text
                    .find(&header)
                    .unwrap_or_else(|| panic!("{language:?} README lacks {file}"));
                let block = &text[start + 1..];
                let block = &block[..block.find("\n\n").unwrap_or(block.len())];
                for column in section.columns() {
                    assert!(
                        block.contains(&format!("\n- {column}: ")),
                        "{language:?} README lacks {file} → {column}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_schema_names_every_section_and_column() {
        let schema: Value = serde_json::from_str(SCHEMA_JSON).expect("schema is JSON");
        let props = &schema["properties"];
        assert_eq!(props["schema"]["const"], SCHEMA);
        for section in Section::ALL {
            let item = if section.single() {
                &props[section.name()]
            } else {
                &props[section.name()]["items"]
            };
            let mut named: Vec<&str> = item["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("schema lacks {}", section.name()))
                .keys()
                .map(String::as_str)
                .collect();
            named.sort_unstable();
            let mut columns = section.columns().to_vec();
            columns.sort_unstable();
            assert_eq!(named, columns, "schema of {}", section.name());
        }
    }
}
