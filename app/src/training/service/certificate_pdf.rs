//! A certificate as an A4 PDF: krilla with DejaVu Sans embedded (subset), so it prints the
//! same everywhere, and a QR code of the verification address. No browser at run time.
//! Written as PDF/A-2a (to archive) and PDF/UA-1 (tagged, Dutch, titled, for screen readers):
//! krilla's validators refuse to write a document that breaks either.

use std::sync::LazyLock;

use std::num::NonZeroU16;

use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::surface::Surface;
use krilla::tagging::{ContentTag, Node, SpanTag, Tag, TagGroup, TagKind, TagTree};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

use crate::dates::{format_date_nl, hours_nl};
use crate::error::ServiceError;
use crate::training::entity::certificate;

static REGULAR: LazyLock<Option<Font>> = LazyLock::new(|| {
    Font::new(
        (include_bytes!("../../../assets/fonts/DejaVuSans.ttf") as &'static [u8]).into(),
        0,
    )
});
static BOLD: LazyLock<Option<Font>> = LazyLock::new(|| {
    Font::new(
        (include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf") as &'static [u8]).into(),
        0,
    )
});

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 64.0;

/// Lines of at most `chars` characters, broken between words.
fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= chars => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// What a block of text is in the document's structure (what a screen reader announces).
#[derive(Clone, Copy)]
enum Block {
    Heading,
    Paragraph,
}

struct Pen<'a, 'b> {
    surface: &'a mut Surface<'b>,
    regular: Font,
    bold: Font,
    y: f32,
    /// The structure tree, block by block in reading order.
    blocks: Vec<Node>,
}

impl Pen<'_, '_> {
    /// Writes `text` wrapped to the page width as one block of the structure, then moves down.
    fn write(&mut self, text: &str, size: f32, bold: bool, block: Block) {
        let font = if bold { &self.bold } else { &self.regular };
        // DejaVu Sans averages a little over half the size per character.
        let chars = ((WIDTH - 2.0 * MARGIN) / (size * 0.56)) as usize;
        let tag: TagKind = match block {
            Block::Heading => Tag::Hn(NonZeroU16::MIN, Some(text.to_owned())).into(),
            Block::Paragraph => Tag::P.into(),
        };
        let mut group = TagGroup::new(tag);
        for line in wrap(text, chars) {
            self.y += size * 1.35;
            let line_id = self
                .surface
                .start_tagged(ContentTag::Span(SpanTag::empty()));
            self.surface.draw_text(
                Point::from_xy(MARGIN, self.y),
                font.clone(),
                size,
                &line,
                false,
                TextDirection::Auto,
            );
            self.surface.end_tagged();
            group.push(line_id);
        }
        self.blocks.push(group.into());
    }

    /// Writes one line at (x, y) as its own paragraph, without moving the pen.
    fn write_at(&mut self, text: &str, size: f32, x: f32, y: f32) {
        let line_id = self
            .surface
            .start_tagged(ContentTag::Span(SpanTag::empty()));
        self.surface.draw_text(
            Point::from_xy(x, y),
            self.regular.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
        self.surface.end_tagged();
        let mut group = TagGroup::new(Tag::P);
        group.push(line_id);
        self.blocks.push(group.into());
    }

    fn space(&mut self, points: f32) {
        self.y += points;
    }
}

/// The modules of a QR code of `text`, row by row (`true` is dark), and its width: what the
/// PDF draws.
pub fn qr_modules(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let dark = code
        .to_colors()
        .iter()
        .map(|color| *color == qrcode::Color::Dark)
        .collect();
    Some((code.width(), dark))
}

/// The dark modules of a QR code of `text` as one path, `size` points square at (x, y).
fn draw_qr(surface: &mut Surface<'_>, text: &str, x: f32, y: f32, size: f32) -> Option<()> {
    let (width, modules) = qr_modules(text)?;
    let module = size / width as f32;
    let mut path = PathBuilder::new();
    for (index, dark) in modules.iter().enumerate() {
        if *dark {
            let (row, column) = (index / width, index % width);
            path.push_rect(Rect::from_xywh(
                x + column as f32 * module,
                y + row as f32 * module,
                module,
                module,
            )?);
        }
    }
    surface.draw_path(&path.finish()?);
    Some(())
}

/// The day of issue as the PDF's date (UTC): the same certificate gives the same file.
fn pdf_date(issued_at: chrono::DateTime<chrono::Utc>) -> krilla::metadata::DateTime {
    use chrono::{Datelike, Timelike};
    let clamp = |n: u32| u8::try_from(n).unwrap_or(0);
    krilla::metadata::DateTime::new(u16::try_from(issued_at.year()).unwrap_or(2000))
        .month(clamp(issued_at.month()))
        .day(clamp(issued_at.day()))
        .hour(clamp(issued_at.hour()))
        .minute(clamp(issued_at.minute()))
        .second(clamp(issued_at.second()))
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// The certificate as PDF bytes; `verify_url` is the public address of its verification page.
pub fn certificate_pdf(
    found: &certificate::Model,
    verify_url: &str,
    organisation: &str,
) -> Result<Vec<u8>, ServiceError> {
    let broken = |what: &str| ServiceError::Corrupt(format!("certificate PDF: {what}"));
    let (Some(regular), Some(bold)) = (REGULAR.clone(), BOLD.clone()) else {
        return Err(broken("font"));
    };
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_A)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|error| broken(&format!("{error:?}")))?;
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    document.set_metadata(
        Metadata::new()
            .title(format!("Certificaat {}", found.training_title))
            .language("nl-NL".to_owned())
            .creator("leerplatform".to_owned())
            .creation_date(pdf_date(found.issued_at)),
    );
    // PDF/UA wants an outline: one entry, the certificate itself.
    let mut outline = Outline::new();
    outline.push_child(OutlineNode::new(
        format!("Certificaat {}", found.training_title),
        XyzDestination::new(0, Point::from_xy(0.0, 0.0)),
    ));
    document.set_outline(outline);
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| broken("page"))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut pen = Pen {
        surface: &mut surface,
        regular,
        bold,
        y: MARGIN,
        blocks: Vec::new(),
    };
    pen.write(
        &format!("{organisation} · leerplatform"),
        10.0,
        false,
        Block::Paragraph,
    );
    pen.space(36.0);
    pen.write("Certificaat", 30.0, true, Block::Heading);
    pen.space(18.0);
    pen.write("Hierbij verklaren wij dat", 12.0, false, Block::Paragraph);
    pen.space(6.0);
    pen.write(&found.participant_name, 22.0, true, Block::Paragraph);
    pen.space(6.0);
    pen.write(
        "met goed gevolg heeft deelgenomen aan de specialistische verdiepingstraining",
        12.0,
        false,
        Block::Paragraph,
    );
    pen.space(6.0);
    pen.write(&found.training_title, 16.0, true, Block::Paragraph);
    pen.space(18.0);
    pen.write(
        &format!("Data: {}", found.dates),
        12.0,
        false,
        Block::Paragraph,
    );
    pen.write(
        &format!(
            "Gevolgde contacturen: {}",
            hours_nl(i64::from(found.net_minutes))
        ),
        12.0,
        false,
        Block::Paragraph,
    );
    if !found.trainers.is_empty() {
        pen.write(
            &format!("Trainers: {}", found.trainers),
            12.0,
            false,
            Block::Paragraph,
        );
    }
    if !found.points.0.is_empty() {
        pen.space(18.0);
        pen.write("Accreditatie", 13.0, true, Block::Paragraph);
        for line in &found.points.0 {
            let number = match &line.number {
                Some(number) => format!("registratienummer {number}"),
                None => "geen registratienummer opgegeven".to_owned(),
            };
            pen.write(
                &format!("{}: {} punten · {number}", line.register, line.points),
                12.0,
                false,
                Block::Paragraph,
            );
        }
    }
    pen.space(18.0);
    pen.write(
        &format!(
            "Uitgegeven op {}",
            format_date_nl(crate::dates::amsterdam_date(found.issued_at))
        ),
        12.0,
        false,
        Block::Paragraph,
    );
    // The verification block at the foot of the page.
    let qr_size = 120.0;
    let top = HEIGHT - MARGIN - qr_size;
    let qr_id = pen.surface.start_tagged(ContentTag::Other);
    draw_qr(pen.surface, verify_url, MARGIN, top, qr_size).ok_or_else(|| broken("QR code"))?;
    pen.surface.end_tagged();
    let mut figure = TagGroup::new(Tag::Figure(Some(
        "QR-code met het adres van de controlepagina van dit certificaat".to_owned(),
    )));
    figure.push(qr_id);
    pen.blocks.push(figure.into());
    let text_x = MARGIN + qr_size + 20.0;
    for (offset, (text, size)) in [
        ("Controleer dit certificaat:".to_owned(), 11.0),
        (verify_url.to_owned(), 9.0),
        (format!("Verificatiecode: {}", found.code), 11.0),
    ]
    .into_iter()
    .enumerate()
    {
        pen.write_at(&text, size, text_x, top + 30.0 + offset as f32 * 22.0);
    }
    let blocks = std::mem::take(&mut pen.blocks);
    surface.finish();
    page.finish();
    let mut tree = TagTree::new();
    for block in blocks {
        tree.push(block);
    }
    document.set_tag_tree(tree);
    document
        .finish()
        .map_err(|error| broken(&format!("{error:?}")))
}
