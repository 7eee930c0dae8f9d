//! The tables `dsg data show` prints: cells that show a missing value as DfE's symbol, never 0,
//! rules across a table at a series break, and wrapping to the terminal's 100 columns.

/// The widest text table, in columns.
pub(super) const WIDTH: usize = 100;

/// How a number is shown.
#[derive(Clone, Copy)]
pub(super) enum Fmt {
    /// A count: 8,007.
    Count,
    /// A percentage as published: 46.4.
    Pct,
    /// A growth on the year before: +9.8%.
    Growth,
    /// Pounds, shown in millions: 41.20.
    Money,
}

/// A cell of a table.
#[derive(Clone)]
pub(super) enum Cell {
    /// A number.
    Num(f64, Fmt),
    /// Not published: DfE's symbol.
    Missing(String),
    /// Text (a row's label).
    Text(String),
    /// No row in the panel.
    Empty,
}

impl Cell {
    pub(super) fn text(&self) -> String {
        match self {
            Cell::Num(v, Fmt::Count) => thousands(*v),
            Cell::Num(v, Fmt::Pct) => format!("{v:.1}"),
            Cell::Num(v, Fmt::Growth) => format!("{:+.1}%", 100.0 * v),
            Cell::Num(v, Fmt::Money) => format!("{:.2}", v / 1e6),
            Cell::Missing(s) => shown_symbol(s).to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Empty => String::new(),
        }
    }
}

/// A missing value's symbol as shown: DfE's own (x, z, c, low); `-` for a blank cell, `rt` for
/// a region's total given as a council's.
pub(super) fn shown_symbol(s: &str) -> &str {
    match s {
        "blank" => "-",
        "region-total" => "rt",
        other => other,
    }
}

/// A count with thousands separators (a fraction kept to one decimal).
pub(super) fn thousands(v: f64) -> String {
    if v.fract() != 0.0 {
        return format!("{v:.1}");
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

/// A line of a table: cells, or a rule with a note across it.
pub(super) enum Line {
    Cells(Vec<Cell>),
    Rule(String),
}

/// A table: title, column headers (the first labels the rows), lines and notes below.
pub(super) struct Table {
    pub(super) title: String,
    pub(super) columns: Vec<String>,
    pub(super) lines: Vec<Line>,
    pub(super) notes: Vec<String>,
}

impl Table {
    /// The table as text: columns right-aligned (the first left-aligned), split into several
    /// tables of at most [`WIDTH`] columns each (the first column repeated) when too wide.
    pub(super) fn render(&self) -> String {
        let cells = |l: &Line| match l {
            Line::Cells(c) => Some(c.iter().map(Cell::text).collect::<Vec<_>>()),
            Line::Rule(_) => None,
        };
        let texts: Vec<Option<Vec<String>>> = self.lines.iter().map(cells).collect();
        let width = |i: usize| {
            texts
                .iter()
                .flatten()
                .map(|r| r.get(i).map_or(0, |t| t.chars().count()))
                .chain([self.columns[i].chars().count()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.columns.len()).map(width).collect();
        // Columns in groups that fit.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut used = widths[0];
        for i in 1..widths.len() {
            if groups.is_empty() || used + 2 + widths[i] > WIDTH {
                groups.push(Vec::new());
                used = widths[0];
            }
            used += 2 + widths[i];
            if let Some(g) = groups.last_mut() {
                g.push(i);
            }
        }
        let mut out = format!("{}\n", self.title);
        for group in &groups {
            let row = |t: &dyn Fn(usize) -> String| {
                let mut s = format!("{:<w$}", t(0), w = widths[0]);
                for i in group {
                    s.push_str(&format!("  {:>w$}", t(*i), w = widths[*i]));
                }
                s.trim_end().to_string() + "\n"
            };
            out.push_str(&row(&|i| self.columns[i].clone()));
            let total: usize = widths[0] + group.iter().map(|i| widths[*i] + 2).sum::<usize>();
            for (line, text) in self.lines.iter().zip(&texts) {
                match (line, text) {
                    (_, Some(t)) => out.push_str(&row(&|i| t.get(i).cloned().unwrap_or_default())),
                    (Line::Rule(note), None) => {
                        let dashes = total.saturating_sub(note.chars().count() + 4).max(2);
                        out.push_str(&format!("-- {note} {}\n", "-".repeat(dashes)));
                    }
                    _ => {}
                }
            }
        }
        for n in &self.notes {
            out.push_str(&wrap(n, WIDTH));
        }
        out.push('\n');
        out
    }
}

/// `text` wrapped at `width` columns, keeping its leading spaces (continuation lines indented by
/// two more).
pub(super) fn wrap(text: &str, width: usize) -> String {
    let lead = " ".repeat(text.len() - text.trim_start().len());
    let mut out = String::new();
    let mut line = lead.clone();
    for word in text.split_whitespace() {
        let fresh = line.trim().is_empty();
        if !fresh && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = format!("{lead}  ");
        } else if !fresh {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_keep_their_indent_and_width() {
        assert_eq!(wrap("  a bb ccc", 6), "  a bb\n    ccc\n");
        assert_eq!(wrap("one", 100), "one\n");
        assert_eq!(thousands(8007.0), "8,007");
        assert_eq!(thousands(638_745.0), "638,745");
        assert_eq!(thousands(12.0), "12");
    }
}
