//! The one CSV writer of every export (participants, accreditation registers): UTF-8 with a
//! byte-order mark so spreadsheet programs read the accents, `;` between fields (Dutch Excel),
//! every field quoted, and no cell that a spreadsheet would run as a formula.

/// Characters that make a spreadsheet read a cell as a formula (or a DDE call) when they come
/// first; tab and carriage return let one slip past a trim (OWASP, CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as it is safe to open: one that would start a formula gets a leading apostrophe,
/// which spreadsheets show as text and do not evaluate.
pub fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A CSV file written row by row.
pub struct CsvFile {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvFile {
    /// A file whose first row is `headers`.
    pub fn new(headers: &[&str]) -> Self {
        let mut file = Self {
            writer: csv::WriterBuilder::new()
                .delimiter(b';')
                .quote_style(csv::QuoteStyle::Always)
                .terminator(csv::Terminator::CRLF)
                .from_writer("\u{feff}".as_bytes().to_vec()),
        };
        file.row(headers.iter().copied());
        file
    }

    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) {
        // Writing to memory cannot fail.
        let _ = self
            .writer
            .write_record(cells.into_iter().map(|cell| neutralised(cell).into_owned()));
    }

    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cell_starts_a_formula_and_quotes_are_doubled() {
        let mut file = CsvFile::new(&["naam", "uren"]);
        file.row(["=HYPERLINK(\"http://x\")", "6"]);
        file.row(["+31 6", "-2"]);
        file.row(["@SUM(A1)", "\tx"]);
        file.row(["\r=1", "Jansen; \"Piet\""]);
        let text = file.finish();
        assert_eq!(
            text,
            "\u{feff}\"naam\";\"uren\"\r\n\
             \"'=HYPERLINK(\"\"http://x\"\")\";\"6\"\r\n\
             \"'+31 6\";\"'-2\"\r\n\
             \"'@SUM(A1)\";\"'\tx\"\r\n\
             \"'\r=1\";\"Jansen; \"\"Piet\"\"\"\r\n"
        );
    }
}
