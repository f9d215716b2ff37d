//! Pure rules of messaging: a mail's content as blocks, rendered to plain text and HTML with
//! absolute links at send time, and the retry schedule.

use serde::{Deserialize, Serialize};

/// A mail's text as structured blocks, so one source gives both the plain-text and the HTML
/// part, and links become absolute only when sent (the site address is configuration).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailContent {
    pub blocks: Vec<MailBlock>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailBlock {
    Paragraph(String),
    /// Label–value lines ("Training: …").
    Facts(Vec<(String, String)>),
    /// A link to a page of the platform, by path ("/mijn/trainingen").
    Link {
        label: String,
        path: String,
    },
}

impl MailContent {
    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(MailBlock::Paragraph(text.into()));
        self
    }

    pub fn facts(mut self, facts: Vec<(String, String)>) -> Self {
        self.blocks.push(MailBlock::Facts(facts));
        self
    }

    pub fn link(mut self, label: impl Into<String>, path: impl Into<String>) -> Self {
        self.blocks.push(MailBlock::Link {
            label: label.into(),
            path: path.into(),
        });
        self
    }
}

const GREETING: &str = "Goedendag,";
pub use crate::vocabulary::DEFAULT_ORGANISATION;

fn signature(organisation: &str) -> String {
    format!("Met vriendelijke groet,\n{organisation}")
}
const FOOTER: &str = "Dit bericht is automatisch verstuurd; u kunt er niet op antwoorden. \
Het bevat bewust geen persoonlijke of inhoudelijke gegevens. Wat u bij ons heeft staan, ziet u \
na inloggen op het leerplatform.";

fn absolute(base_url: &str, path: &str) -> String {
    format!("{}{path}", base_url.trim_end_matches('/'))
}

/// The plain-text part.
pub fn render_text(content: &MailContent, base_url: &str, organisation: &str) -> String {
    let mut parts = vec![GREETING.to_owned()];
    for block in &content.blocks {
        parts.push(match block {
            MailBlock::Paragraph(text) => text.clone(),
            MailBlock::Facts(facts) => facts
                .iter()
                .map(|(label, value)| format!("{label}: {value}"))
                .collect::<Vec<_>>()
                .join("\n"),
            MailBlock::Link { label, path } => format!("{label}:\n{}", absolute(base_url, path)),
        });
    }
    parts.push(signature(organisation));
    parts.push(format!("--\n{FOOTER}"));
    parts.join("\n\n") + "\n"
}

/// The HTML part: the same blocks, every text escaped.
#[cfg(feature = "ssr")]
pub fn render_html(content: &MailContent, base_url: &str, organisation: &str) -> String {
    use html_escape::{encode_double_quoted_attribute as attribute, encode_text as escape};
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family:sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:40em\">",
    );
    html.push_str(&format!("<p>{}</p>", escape(GREETING)));
    for block in &content.blocks {
        match block {
            MailBlock::Paragraph(text) => html.push_str(&format!("<p>{}</p>", escape(text))),
            MailBlock::Facts(facts) => {
                html.push_str("<table role=\"presentation\" style=\"border-collapse:collapse\">");
                for (label, value) in facts {
                    html.push_str(&format!(
                        "<tr><th style=\"text-align:left;padding:0 1em 0 0;vertical-align:top\">{}</th><td>{}</td></tr>",
                        escape(label),
                        escape(value)
                    ));
                }
                html.push_str("</table>");
            }
            MailBlock::Link { label, path } => html.push_str(&format!(
                "<p><a href=\"{}\" style=\"color:#00527a\">{}</a></p>",
                attribute(&absolute(base_url, path)),
                escape(label)
            )),
        }
    }
    html.push_str(&format!(
        "<p>{}</p><hr><p style=\"font-size:13px;color:#555\">{}</p></body></html>",
        escape(&signature(organisation)).replace('\n', "<br>"),
        escape(FOOTER)
    ));
    html
}

/// How often a job is tried before it counts as failed.
pub const MAX_ATTEMPTS: i32 = 6;

/// The wait before try `attempts + 1`, after `attempts` failed tries: 1, 5, 15, 60 minutes,
/// then 4 hours, so an SMTP outage of half a day loses nothing.
pub fn retry_delay_minutes(attempts: i32) -> i64 {
    match attempts {
        ..=1 => 1,
        2 => 5,
        3 => 15,
        4 => 60,
        _ => 240,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> MailContent {
        MailContent::default()
            .paragraph("Er is een plaats vrijgekomen <voor u>.")
            .facts(vec![(
                "Training".into(),
                "Gespreksvoering & radicalisering".into(),
            )])
            .link("Bekijk uw trainingen", "/mijn/trainingen")
    }

    #[test]
    fn text_has_absolute_links_and_every_block() {
        let text = render_text(
            &sample(),
            "https://leer.example.nl/",
            "Expertisecentrum Test",
        );
        assert!(text.starts_with("Goedendag,\n\n"));
        assert!(text.contains("Met vriendelijke groet,\nExpertisecentrum Test\n"));
        assert!(text.contains("Er is een plaats vrijgekomen <voor u>."));
        assert!(text.contains("Training: Gespreksvoering & radicalisering"));
        assert!(text.contains("https://leer.example.nl/mijn/trainingen"));
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn html_escapes_every_text() {
        let html = render_html(&sample(), "https://leer.example.nl", "Team <A&B>");
        assert!(
            html.contains("Met vriendelijke groet,<br>Team &lt;A&amp;B&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;voor"), "{html}");
        assert!(!html.contains("<voor u>"));
        assert!(html.contains("Gespreksvoering &amp; radicalisering"));
    }

    #[test]
    fn retries_back_off_and_stop() {
        let delays: Vec<i64> = (1..MAX_ATTEMPTS).map(retry_delay_minutes).collect();
        assert_eq!(delays, vec![1, 5, 15, 60, 240]);
        assert!(delays.windows(2).all(|w| w[0] < w[1]));
    }
}
