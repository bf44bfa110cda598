//! `/dev/mail`: without SMTP (the `make run` default) the portal writes its mails to
//! `DATA_DIR/mail`; this development-only page lists them so a person trying the demo can
//! open a verification or reset mail and click its link. It is not routed when SMTP_URL
//! is set.
use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, State};
use axum::response::{Html, IntoResponse, Response};
use html_escape::{encode_double_quoted_attribute, encode_text};
use http::StatusCode;

use crate::state::AppState;

struct MailFile {
    file: String,
    modified: std::time::SystemTime,
    to: String,
    subject: String,
    text: String,
}

fn read_mail(path: &Path) -> Option<MailFile> {
    let raw = std::fs::read(path).ok()?;
    let parsed = mail_parser::MessageParser::default().parse(&raw)?;
    let to = parsed
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_string();
    Some(MailFile {
        file: path.file_name()?.to_string_lossy().into_owned(),
        modified: std::fs::metadata(path).and_then(|m| m.modified()).ok()?,
        to,
        subject: parsed.subject().unwrap_or_default().to_string(),
        text: parsed
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
    })
}

fn mail_files(dir: &Path) -> Vec<MailFile> {
    let mut mails: Vec<MailFile> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "eml"))
                .filter_map(|p| read_mail(&p))
                .collect()
        })
        .unwrap_or_default();
    mails.sort_by_key(|m| std::cmp::Reverse(m.modified));
    mails
}

pub(crate) fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"{}\"><title>{}</title></head>\
         <body><main class=\"container\">{body}</main></body></html>",
        app::assets::stylesheet_href(),
        encode_text(title)
    ))
}

fn mail_dir(state: &AppState) -> PathBuf {
    crate::mail::mail_dir(&state.config)
}

pub async fn list(State(state): State<AppState>) -> Html<String> {
    let rows: String = mail_files(&mail_dir(&state))
        .iter()
        .map(|m| {
            format!(
                "<li><a href=\"/dev/mail/{}\">{}</a><br><span class=\"muted\">{}</span></li>",
                encode_text(&m.file),
                encode_text(&m.subject),
                encode_text(&m.to)
            )
        })
        .collect();
    let list = if rows.is_empty() {
        "<p>No mails yet. / Nog geen mails.</p>".to_string()
    } else {
        format!("<ul class=\"mail-list\">{rows}</ul>")
    };
    page(
        "Mails (development)",
        &format!(
            "<h1>Mails (development) · Mails (ontwikkeling)</h1>\
             <p class=\"lead\">Without SMTP_URL the portal writes its mails here instead of sending them. \
             / Zonder SMTP_URL schrijft het portaal zijn mails hierheen in plaats van ze te versturen.</p>{list}"
        ),
    )
}

/// A mail's text as HTML: links clickable, everything else escaped (a link's address is
/// escaped for the attribute too, quotes included, so a mail cannot add attributes).
fn linked_text(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                let tail = &word[trimmed.len()..];
                format!(
                    "<a href=\"{}\">{}</a>{}",
                    encode_double_quoted_attribute(trimmed),
                    encode_text(trimmed),
                    encode_text(tail)
                )
            } else {
                encode_text(word).into_owned()
            }
        })
        .collect()
}

/// One mail: its text part, with links made clickable (everything else escaped).
pub async fn show(State(state): State<AppState>, UrlPath(file): UrlPath<String>) -> Response {
    // Only a plain file name in the mail folder: no path tricks.
    if file.contains(['/', '\\']) || file.starts_with('.') || !file.ends_with(".eml") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(mail) = read_mail(&mail_dir(&state).join(&file)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let text = linked_text(&mail.text);
    page(
        &mail.subject,
        &format!(
            "<p><a href=\"/dev/mail\">← Mails</a></p><h1>{}</h1><p class=\"muted\">To: {}</p><pre class=\"mail-text\">{text}</pre>",
            encode_text(&mail.subject),
            encode_text(&mail.to)
        ),
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::linked_text;

    #[test]
    fn a_link_cannot_add_attributes() {
        let html = linked_text("Klik https://x.example/a\"onmouseover=\"alert(1) nu");
        let tag = html.split("<a ").nth(1).and_then(|t| t.split('>').next());
        let quotes = tag.map(|t| t.matches('"').count());
        assert_eq!(quotes, Some(2), "one attribute, href: {html}");
        assert!(
            html.starts_with(
                "Klik <a href=\"https://x.example/a&quot;onmouseover=&quot;alert(1)\">"
            ),
            "{html}"
        );
        assert!(linked_text("<b>").contains("&lt;b&gt;"));
    }
}
