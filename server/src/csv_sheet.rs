//! Every CSV export is written through [`Sheet`]: each cell passes through one escaping
//! function (`domain::web::csv_text`), so a name, title or unit that starts with `=`, `+`, `-`
//! or `@` is never a spreadsheet formula, whichever export it appears in, and every cell is
//! quoted, so a spreadsheet whose list separator is `;` reads a `,` in a cell as text.

use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// A CSV export being written.
pub struct Sheet {
    w: csv::Writer<Vec<u8>>,
    ok: bool,
}

impl Default for Sheet {
    fn default() -> Self {
        Sheet {
            w: csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .from_writer(Vec::new()),
            ok: true,
        }
    }
}

impl Sheet {
    /// Writes one row, every cell escaped.
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| domain::web::csv_text(c.as_ref()))
            .collect();
        self.ok &= self.w.write_record(&cells).is_ok();
    }

    /// The download `filename` (UTF-8 with a BOM so that Excel reads Chinese).
    pub fn into_response(self, filename: &str) -> Response {
        match self.w.into_inner() {
            Ok(bytes) if self.ok => crate::page::excel_csv(bytes, filename),
            _ => AppError::bad_request(crate::api::codes::INTERNAL, "导出失败 / export failed")
                .into_response(),
        }
    }
}
