//! Aligned text tables. Width is counted in characters, so accented names line up.

/// A table with a header row; columns whose header starts with `>` are right-aligned (the
/// `>` is not printed).
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<(String, bool)>,
    rows: Vec<Vec<String>>,
    empty: Option<String>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers
                .iter()
                .map(|h| match h.strip_prefix('>') {
                    Some(h) => (h.to_owned(), true),
                    None => ((*h).to_owned(), false),
                })
                .collect(),
            rows: Vec::new(),
            empty: None,
        }
    }

    /// What the table says under its header when it has no rows (default "(none yet)").
    pub fn when_empty(mut self, text: String) -> Table {
        self.empty = Some(text);
        self
    }

    /// Adds a row; missing cells are empty, extra cells are dropped.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as lines, columns separated by two spaces, trailing spaces trimmed; a table
    /// without rows says "(none yet)" under its header.
    pub fn render(&self) -> String {
        if self.rows.is_empty() {
            let header: Vec<&str> = self.headers.iter().map(|(h, _)| h.as_str()).collect();
            let empty = self.empty.as_deref().unwrap_or("(none yet)");
            return format!("{}\n{empty}", header.join("  ").trim_end());
        }
        let width = |s: &str| visible_width(s);
        let mut widths: Vec<usize> = self.headers.iter().map(|(h, _)| width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(widths.len()) {
                widths[i] = widths[i].max(width(cell));
            }
        }
        let line = |cells: Vec<&str>| {
            let mut out = String::new();
            for (i, (&w, (_, right))) in widths.iter().zip(&self.headers).enumerate() {
                let cell = cells.get(i).copied().unwrap_or("");
                let pad = " ".repeat(w.saturating_sub(width(cell)));
                if i > 0 {
                    out.push_str("  ");
                }
                if *right {
                    out.push_str(&pad);
                    out.push_str(cell);
                } else {
                    out.push_str(cell);
                    out.push_str(&pad);
                }
            }
            out.trim_end().to_owned()
        };
        let mut lines = vec![line(self.headers.iter().map(|(h, _)| h.as_str()).collect())];
        for row in &self.rows {
            lines.push(line(row.iter().map(String::as_str).collect()));
        }
        lines.join("\n")
    }
}

/// Characters that show, skipping ANSI colour sequences.
pub fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in text.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => width += 1,
        }
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_characters_and_numbers_align_right() {
        let mut t = Table::new(&["name", ">days"]);
        t.row(vec!["Zoë".into(), "7".into()]);
        t.row(vec!["alcohol".into(), "120".into()]);
        t.row(vec!["\x1b[32mgreen\x1b[0m".into(), "1".into()]);
        assert_eq!(
            t.render(),
            "name     days\nZoë         7\nalcohol   120\n\x1b[32mgreen\x1b[0m       1"
        );
    }
}
