//! Maps key paths such as `provisions[2].unit_cost` to line and column in the scenario text, and
//! byte offsets back to key paths, so that every error can point at the right line.

use toml::de::{DeTable, DeValue};

/// A parsed document kept only for its spans.
pub struct SourceMap<'a> {
    text: &'a str,
    root: Option<toml::Spanned<DeTable<'a>>>,
    /// Byte offset of every new line, in order: a position is found by bisection, so reporting
    /// many problems takes time linear in the file, not quadratic.
    newlines: Vec<usize>,
}

enum Segment<'k> {
    Key(&'k str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            out.push(Segment::Key(name));
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

impl<'a> SourceMap<'a> {
    /// Parses `text` for its spans (a text that does not parse gives no positions).
    pub fn new(text: &'a str) -> Self {
        SourceMap {
            text,
            root: DeTable::parse(text).ok(),
            newlines: newline_offsets(text),
        }
    }

    /// 1-based line and column of the deepest part of `path` present in the document.
    pub fn position_of(&self, path: &str) -> Option<(usize, usize)> {
        let root = self.root.as_ref()?;
        let mut span = None;
        let mut table: Option<&DeTable<'a>> = Some(root.get_ref());
        let mut value: Option<&DeValue<'a>> = None;
        for seg in segments(path) {
            let next = match seg {
                Segment::Key(k) => table.and_then(|t| t.get(k)),
                Segment::Index(i) => value
                    .and_then(|v| v.as_array())
                    .and_then(|a| a.as_ref().get(i)),
            };
            let Some(next) = next else { break };
            span = Some(next.span());
            value = Some(next.get_ref());
            table = next.get_ref().as_table();
        }
        span.map(|s| self.line_column(s.start))
    }

    /// The key path of the value that byte `offset` falls in. A table written with a `[header]`
    /// is spanned by its header alone, so at each level this takes the last entry that starts at
    /// or before the offset.
    pub fn path_at(&self, offset: usize) -> String {
        let mut path = String::new();
        let Some(root) = self.root.as_ref() else {
            return path;
        };
        let mut current: &DeTable<'a> = root.get_ref();
        loop {
            // An array of tables (`[[calibration]]`) may be written in several places: it starts
            // where its last element before the offset does, not where its first does.
            let start = |k: &toml::Spanned<_>, v: &toml::Spanned<DeValue<'a>>| {
                let first = k.span().start.min(v.span().start);
                v.get_ref()
                    .as_array()
                    .and_then(|a| {
                        a.as_ref()
                            .iter()
                            .map(|e| e.span().start)
                            .filter(|&s| s <= offset)
                            .max()
                    })
                    .map_or(first, |last| last.max(first))
            };
            let Some((key, value)) = current
                .iter()
                .filter(|(k, v)| start(k, v) <= offset)
                .max_by_key(|(k, v)| start(k, v))
            else {
                break;
            };
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key.get_ref());
            let mut v = value.get_ref();
            while let Some(array) = v.as_array() {
                let last = array
                    .as_ref()
                    .iter()
                    .rposition(|e| e.span().start <= offset);
                match last {
                    Some(i) => {
                        path.push_str(&format!("[{i}]"));
                        v = array.as_ref()[i].get_ref();
                    }
                    None => break,
                }
            }
            match v.as_table() {
                Some(t) => current = t,
                None => break,
            }
        }
        path
    }

    /// 1-based line and column of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.newlines.partition_point(|&nl| nl < offset);
        let column = match before {
            0 => offset,
            n => offset - self.newlines[n - 1] - 1,
        };
        (before + 1, column + 1)
    }
}

/// The byte offsets of every `\n` in `text`.
fn newline_offsets(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[scenario]\nname = \"x\"\n\n[[provisions]]\nname = \"a\"\nunit_cost = 1\n\n[[provisions]]\nname = \"b\"\nunit_cost = -5\n";

    #[test]
    fn finds_line_of_a_nested_array_key() {
        let map = SourceMap::new(TEXT);
        assert_eq!(map.position_of("provisions[1].unit_cost"), Some((10, 13)));
        assert_eq!(map.position_of("scenario.name"), Some((2, 8)));
    }

    #[test]
    fn missing_key_falls_back_to_its_parent() {
        let map = SourceMap::new(TEXT);
        let (line, _) = map.position_of("provisions[1].caseload").unwrap();
        assert!(line >= 8, "line {line}");
    }

    /// Issue 30, fault 6: an array of tables written in two places (`[[calibration]]`, then
    /// `[[options]]`, then `[[calibration]]` again) is found at its later element, not at the
    /// table written between them.
    #[test]
    fn offset_in_a_split_array_of_tables_maps_to_its_element() {
        let text = "[[calibration]]\nseries = \"a\"\nvalue = 1\n\n[[options]]\nname = \"x\"\n\n[[calibration]]\nseries = \"b\"\n";
        let map = SourceMap::new(text);
        let offset = text.find("series = \"b\"").unwrap();
        assert_eq!(map.path_at(offset), "calibration[1].series");
        let header = text.rfind("[[calibration]]").unwrap();
        assert!(map.path_at(header + 2).starts_with("calibration[1]"));
        let first = text.find("value").unwrap();
        assert_eq!(map.path_at(first), "calibration[0].value");
        assert_eq!(map.path_at(text.find("name").unwrap()), "options[0].name");
    }

    #[test]
    fn line_and_column_of_every_offset_match_counting() {
        let map = SourceMap::new(TEXT);
        for offset in 0..=TEXT.len() + 3 {
            let before = &TEXT[..offset.min(TEXT.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |nl| nl + 1) + 1;
            assert_eq!(map.line_column(offset), (line, column), "offset {offset}");
        }
    }

    #[test]
    fn offset_maps_back_to_a_key_path() {
        let map = SourceMap::new(TEXT);
        let offset = TEXT.find("-5").unwrap();
        assert_eq!(map.path_at(offset), "provisions[1].unit_cost");
    }
}
