//! Markdown to safe HTML. The one renderer for every document: headings get stable anchors,
//! and everything passes through an allow-list sanitiser before it is stored or shown.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::knowledge::model::TocEntry;

/// Bump when the output for the same Markdown changes, so stored HTML is rendered anew.
pub const RENDERER_VERSION: &str = "render-v6";

/// Every id in a document's HTML starts with this, so no heading or footnote in content can
/// take an id the page itself uses (`inhoud` for the skip link, `zelftoets`, form fields…).
pub const CONTENT_ID_PREFIX: &str = "tekst-";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

pub fn render_markdown(markdown: &str) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut events: Vec<Event> =
        limit_nesting(without_quiz_blocks(Parser::new_ext(markdown, options)));
    let toc = assign_heading_anchors(&mut events);
    let mut raw_html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw_html, events.into_iter());
    Rendered {
        html: with_scrolling_tables(&SANITISER.clean(&raw_html).to_string()),
        toc,
    }
}

/// Wraps every table of the sanitised HTML in a box that scrolls sideways on its own (and can
/// be scrolled with the keyboard), so a wide table never widens the page on a phone. Done
/// after sanitising: the markup added is ours, and the sanitiser's output is balanced.
fn with_scrolling_tables(html: &str) -> String {
    // In sanitised HTML "<table" only ever starts a table tag (a literal "<" is escaped),
    // with or without attributes.
    html.replace(
        "<table",
        "<div class=\"table-scroll\" role=\"region\" aria-label=\"Tabel\" tabindex=\"0\"><table",
    )
    .replace("</table>", "</table></div>")
}

/// Deeper nesting than any real document needs (quotes in lists in quotes…).
pub const MAX_NESTING: usize = 24;

/// Drops the start and end of elements nested deeper than [`MAX_NESTING`], keeping their
/// content. HTML tree building is quadratic in nesting depth, so a 256 KB line of `>` would
/// otherwise take minutes to sanitise.
fn limit_nesting<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut kept = Vec::new();
    let mut open: Vec<bool> = Vec::new();
    let mut depth = 0;
    let mut raw_open: Vec<String> = Vec::new();
    for event in events {
        match event {
            Event::Start(tag) => {
                let keep = depth < MAX_NESTING;
                open.push(keep);
                if keep {
                    depth += 1;
                    kept.push(Event::Start(tag));
                }
            }
            Event::End(tag) => {
                if open.pop().unwrap_or(true) {
                    depth = depth.saturating_sub(1);
                    kept.push(Event::End(tag));
                }
            }
            Event::Html(html) => kept.push(bounded_raw_html(html, &mut raw_open, Event::Html)),
            Event::InlineHtml(html) => {
                kept.push(bounded_raw_html(html, &mut raw_open, Event::InlineHtml))
            }
            other => kept.push(other),
        }
    }
    kept
}

/// Raw HTML as it came (`as_html`), or as text when it would nest deeper than any document
/// needs: html5ever would build that tree in quadratic time; as text it is shown escaped.
fn bounded_raw_html<'a>(
    html: pulldown_cmark::CowStr<'a>,
    open: &mut Vec<String>,
    as_html: fn(pulldown_cmark::CowStr<'a>) -> Event<'a>,
) -> Event<'a> {
    let (deepest, still_open) = raw_html_depth(&html, open);
    if deepest > MAX_NESTING {
        Event::Text(html)
    } else {
        *open = still_open;
        as_html(html)
    }
}

/// Follows the nesting of raw HTML across a document's HTML events: `open` holds the elements
/// open so far. Returns how deep `html` would nest, and the open elements after it. An end tag
/// closes only an element that is open (HTML parsers ignore stray end tags, so counting them
/// would let `<div></span><div></span>…` nest without limit); void elements and those whose
/// end tag may be left out (`<p>`, `<li>`, table cells…) do not count as nesting.
fn raw_html_depth(html: &str, open: &[String]) -> (usize, Vec<String>) {
    const NOT_NESTING: [&str; 27] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
        "thead", "tbody", "tfoot", "colgroup",
    ];
    let mut open = open.to_vec();
    let mut deepest = open.len();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(tag) => (true, tag),
            None => (false, tag),
        };
        let name = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !name.is_empty() && !NOT_NESTING.contains(&name.as_str()) {
            if closing {
                if let Some(at) = open.iter().rposition(|element| *element == name) {
                    open.truncate(at);
                }
            } else if !tag.ends_with('/') {
                open.push(name);
                deepest = deepest.max(open.len());
            }
        }
        rest = &rest[end.min(rest.len())..];
    }
    (deepest, open)
}

/// Drops self-check question blocks: they are shown as a quiz, and their answers must never
/// reach a page, a snippet or the search index.
fn without_quiz_blocks<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    let mut in_quiz = false;
    events.filter(move |event| match event {
        Event::Start(Tag::CodeBlock(kind))
            if crate::knowledge::rules::quiz::is_quiz_block(kind) =>
        {
            in_quiz = true;
            false
        }
        Event::End(TagEnd::CodeBlock) if in_quiz => {
            in_quiz = false;
            false
        }
        _ => !in_quiz,
    })
}

/// The words of a document without markup, for the search index and its snippets.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES);
    for event in without_quiz_blocks(parser) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            // A heading ends like a sentence, so a snippet does not run it into the text.
            Event::End(TagEnd::Heading(_)) => {
                let trimmed = text.trim_end().len();
                text.truncate(trimmed);
                if !text.ends_with(['.', '?', '!', ':']) {
                    text.push('.');
                }
                text.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !text.ends_with(' ') => {
                text.push(' ');
            }
            _ => {}
        }
    }
    text.trim_end().to_owned()
}

/// Gives every heading an id derived from its text (deduplicated with -2, -3, …) and returns the
/// table of contents for levels 2 and 3.
fn assign_heading_anchors(events: &mut [Event]) -> Vec<TocEntry> {
    let mut toc = Vec::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[index] {
            let level = *level;
            let text = heading_text(&events[index + 1..]);
            // Written prefixed: the sanitiser leaves an id that already has the prefix alone,
            // so the id, the table of contents and in-document links all agree.
            let anchor = format!("{CONTENT_ID_PREFIX}{}", unique_anchor(&text, &mut used));
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[index] {
                *id = Some(anchor.clone().into());
            }
            if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                toc.push(TocEntry {
                    level: level as u8,
                    text,
                    anchor,
                });
            }
        }
        index += 1;
    }
    toc
}

fn heading_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_owned()
}

fn unique_anchor(text: &str, used: &mut HashMap<String, usize>) -> String {
    let mut base = slug::slugify(text);
    if base.is_empty() {
        base = "sectie".to_owned();
    }
    let count = used.entry(base.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base
    } else {
        format!("{base}-{count}")
    }
}

/// A link to a place in the document itself points at the prefixed id; other relative links
/// stay as written.
fn prefix_fragment(url: &str) -> Option<Cow<'_, str>> {
    // Like the sanitiser's id prefixing: a fragment that already has the prefix is left alone.
    Some(match url.strip_prefix('#') {
        Some(fragment) if !fragment.starts_with(CONTENT_ID_PREFIX) => {
            Cow::Owned(format!("#{CONTENT_ID_PREFIX}{fragment}"))
        }
        _ => Cow::Borrowed(url),
    })
}

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("div", ["id"])
        .add_allowed_classes("div", ["footnote-definition"])
        .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
        .id_prefix(Some(CONTENT_ID_PREFIX))
        // Links within the document (footnotes, "#kop") follow their prefixed targets.
        .url_relative(ammonia::UrlRelative::Custom(Box::new(prefix_fragment)));
    for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        builder.add_tag_attributes(heading, ["id"]);
    }
    builder
});

/// Inputs known to make Markdown parsers super-linear, each at the 256 KB limit. They must
/// render (the benchmark prints how fast); the test fails by hanging, never by timing.
#[doc(hidden)]
pub fn adversarial_inputs() -> Vec<(&'static str, String)> {
    let limit = 256 * 1024;
    let fill = |unit: &str| unit.repeat(limit / unit.len());
    vec![
        ("nested footnote references", {
            let mut text = String::new();
            let mut i = 0;
            while text.len() < limit - 64 {
                text.push_str(&format!("[^{i}]: zie [^{}]\n", i + 1));
                i += 1;
            }
            text
        }),
        ("footnote reference soup", fill("[^a][^b]")),
        ("unclosed brackets", fill("[")),
        ("unclosed links", fill("[a](")),
        ("emphasis delimiters", fill("*a_ ")),
        ("nested blockquotes", fill(">")),
        (
            "nested lists",
            (0..1200)
                .map(|d| format!("{}- x\n", "  ".repeat(d % 200)))
                .collect(),
        ),
        (
            "table columns",
            format!(
                "{}\n{}\n",
                fill("|a").chars().take(limit / 2).collect::<String>(),
                fill("|-").chars().take(limit / 2).collect::<String>()
            ),
        ),
        ("html comments", fill("<!--")),
        ("backticks", fill("`` `")),
        ("nested raw html divs", fill("<div>")),
        ("raw divs between stray end tags", fill("<div></span>")),
        ("nested inline html", fill("<span>a")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeply_nested_raw_html_is_shown_as_text_not_built_as_a_tree() {
        // The structure is what is checked here; `make bench` times the full-size inputs.
        let nested = format!("{}x{}", "<div>".repeat(5_000), "</div>".repeat(5_000));
        let html = render_markdown(&nested).html;
        assert!(!html.contains("<div><div>"), "no deep tree");
        assert!(html.contains("&lt;div&gt;"), "shown as text");
        // Stray end tags do not open a way around the cap.
        let sneaky = format!("{}x", "<div></span>".repeat(5_000));
        let html = render_markdown(&sneaky).html;
        assert!(
            !html.contains(&"<div>".repeat(MAX_NESTING + 1)),
            "no deep tree"
        );
        // Ordinary raw HTML stays HTML, also many unclosed paragraphs and list items.
        let shallow = render_markdown("<div><p>ok</p></div>\n").html;
        assert!(shallow.contains("<div><p>ok</p></div>"), "{shallow}");
        let loose = render_markdown(&format!(
            "<ul>{}</ul>\n\n<div>na</div>\n",
            "<li>x".repeat(100)
        ))
        .html;
        assert!(loose.contains("<div>na</div>"), "{loose}");
    }

    #[test]
    fn tables_scroll_in_their_own_box() {
        let html = render_markdown(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n<table><tr><td>x</td></tr></table>\n\n<table align=\"left\" title=\"t\"><tr><td>y</td></tr></table>\n",
        )
        .html;
        assert_eq!(html.matches("<div class=\"table-scroll\" role=\"region\" aria-label=\"Tabel\" tabindex=\"0\"><table").count(), 3, "{html}");
        assert_eq!(html.matches("</table></div>").count(), 3, "{html}");
        assert_eq!(
            html.matches("<div").count(),
            html.matches("</div>").count(),
            "{html}"
        );
    }

    #[test]
    fn quiz_blocks_and_their_answers_stay_out_of_html_and_text() {
        let markdown = "Voor.\n\n```vraag\nGeheime vraag?\n- [x] Geheim antwoord\n- [ ] Fout\n```\n\nNa.\n\n```rust\nlet x = 1;\n```\n";
        let html = render_markdown(markdown).html;
        assert!(!html.contains("Geheim"), "{html}");
        assert!(html.contains("Voor.") && html.contains("Na."));
        assert!(html.contains("let x = 1;"), "other code blocks stay");
        let text = plain_text(markdown);
        assert!(!text.contains("Geheim"), "{text}");
    }

    #[test]
    fn nesting_is_capped_but_text_kept() {
        let html = render_markdown(&format!("{} diep", ">".repeat(100))).html;
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING);
        assert!(html.contains("diep"));
        let shallow = render_markdown("> > citaat").html;
        assert_eq!(shallow.matches("<blockquote>").count(), 2);
    }

    #[test]
    fn adversarial_inputs_render() {
        for (name, input) in adversarial_inputs() {
            assert!(input.len() <= 256 * 1024 + 1024, "{name}");
            let rendered = render_markdown(&input);
            assert!(!rendered.html.contains("<script"), "{name}");
        }
    }

    #[test]
    fn headings_get_stable_unique_anchors_and_toc() {
        let rendered = render_markdown(
            "## Wat is jihadisme?\n\ntekst\n\n### Signalen & context\n\n## Wat is jihadisme?\n\n#### Diep\n",
        );
        let anchors: Vec<_> = rendered.toc.iter().map(|t| t.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            [
                "tekst-wat-is-jihadisme",
                "tekst-signalen-context",
                "tekst-wat-is-jihadisme-2"
            ]
        );
        assert_eq!(rendered.toc[1].level, 3);
        assert_eq!(rendered.toc[1].text, "Signalen & context");
        for entry in &rendered.toc {
            assert!(
                rendered.html.contains(&format!("id=\"{}\"", entry.anchor)),
                "{}",
                rendered.html
            );
        }
        // Level 4 gets an anchor but stays out of the table of contents.
        assert!(rendered.html.contains("<h4 id=\"tekst-diep\">"));
        // Same input, same anchors.
        assert_eq!(
            rendered,
            render_markdown(
                "## Wat is jihadisme?\n\ntekst\n\n### Signalen & context\n\n## Wat is jihadisme?\n\n#### Diep\n"
            )
        );
    }

    #[test]
    fn diacritics_are_folded_in_anchors() {
        let rendered = render_markdown("## Geïnteresseerd in één `code`\n");
        assert_eq!(rendered.toc[0].anchor, "tekst-geinteresseerd-in-een-code");
    }

    #[test]
    fn content_cannot_take_the_pages_own_ids() {
        let html = render_markdown(
            "## Inhoud\n\nTekst[^1].\n\n<div id=\"zelftoets\">x</div>\n\n[Naar boven](#inhoud)\n\n[^1]: Bron.\n",
        )
        .html;
        for taken in ["id=\"inhoud\"", "id=\"zelftoets\"", "href=\"#inhoud\""] {
            assert!(!html.contains(taken), "{taken}: {html}");
        }
        assert!(html.contains("<h2 id=\"tekst-inhoud\">"), "{html}");
        assert!(html.contains("href=\"#tekst-inhoud\""), "{html}");
        // A footnote reference still reaches its definition.
        assert!(html.contains("href=\"#tekst-1\""), "{html}");
        assert!(html.contains("id=\"tekst-1\""), "{html}");
        // Headings and footnotes that already start with the prefix keep matching links.
        let rendered = render_markdown(
            "## Tekst en uitleg\n\n## Inhoud\n\n## Tekst inhoud\n\nZie [^tekst-2] en [boven](#tekst-en-uitleg).\n\n[^tekst-2]: Bron.\n",
        );
        for entry in &rendered.toc {
            assert!(
                rendered.html.contains(&format!("id=\"{}\"", entry.anchor)),
                "{}: {}",
                entry.anchor,
                rendered.html
            );
        }
        let ids: Vec<&str> = rendered.toc.iter().map(|t| t.anchor.as_str()).collect();
        assert_eq!(
            ids,
            [
                "tekst-tekst-en-uitleg",
                "tekst-inhoud",
                "tekst-tekst-inhoud"
            ]
        );
        assert!(
            rendered.html.contains("href=\"#tekst-2\""),
            "{}",
            rendered.html
        );
        assert!(
            rendered.html.contains("id=\"tekst-2\""),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn tables_and_footnotes_render() {
        let html = render_markdown(
            "| Signaal | Context |\n|---|---|\n| a | b |\n\nTekst[^1].\n\n[^1]: Bron.\n",
        )
        .html;
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<th>Signaal</th>"), "{html}");
        assert!(html.contains("class=\"footnote-reference\""), "{html}");
        assert!(
            html.contains("class=\"footnote-definition\" id=\"tekst-1\""),
            "{html}"
        );
    }

    #[test]
    fn scripts_handlers_and_dangerous_urls_never_survive() {
        let payloads = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">klik</a>",
            "[klik](javascript:alert(1))",
            "[klik](JaVaScRiPt:alert(1))",
            "<div onclick=\"alert(1)\">x</div>",
            "<svg onload=alert(1)><script>alert(1)</script></svg>",
            "<iframe src=\"https://example.org\"></iframe>",
            "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
        ];
        for payload in payloads {
            let html = render_markdown(payload).html.to_lowercase();
            for forbidden in [
                "<script",
                "javascript:",
                "onerror",
                "onclick",
                "onload",
                "<iframe",
                "<svg",
                "data:",
                "style=",
            ] {
                assert!(!html.contains(forbidden), "{payload} -> {html}");
            }
        }
    }

    #[test]
    fn external_links_get_noopener_noreferrer() {
        let html = render_markdown("[AIVD](https://www.aivd.nl)").html;
        assert!(
            html.contains("href=\"https://www.aivd.nl\" rel=\"noopener noreferrer\""),
            "{html}"
        );
    }
}
