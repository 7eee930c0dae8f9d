//! The council's own setting codes mapped to the scenario's provisions (and to the DfE's
//! placement categories for the management-plan tables).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::DataError;
use crate::cases::read::{MAX_TEXT, shown};

/// Where one setting code goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEntry {
    /// Index into [`Mapping::provisions`].
    pub provision: usize,
    /// The DfE management-plan placement category (defaults to the provision's name).
    pub dfe_category: String,
}

/// The most setting codes a mapping may list: a council uses tens to a few hundred.
pub const MAX_MAPPING_ROWS: usize = 10_000;

/// Setting codes to provisions, read from a CSV file with the columns `setting`, `provision` and
/// optionally `dfe_category` (other columns, such as a description, are ignored). Lines starting
/// with `#` are comments.
///
/// ```
/// use dsg_data::cases::Mapping;
/// let csv = "# synthetic\nsetting,provision,dfe_category\nSP1,maintained_special,Maintained special schools or special academies\nIND,inmss,NMSS or independent schools\n";
/// let m = Mapping::from_csv(csv.as_bytes(), "map.csv")?;
/// assert_eq!(m.provisions, ["maintained_special", "inmss"]);
/// assert_eq!(m.get("IND").map(|e| e.provision), Some(1));
/// assert!(m.get("XX").is_none());
/// # Ok::<(), dsg_data::DataError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// The file it came from (empty for [`Mapping::identity`]).
    pub source: String,
    /// Provision names, in order of first appearance.
    pub provisions: Vec<String>,
    /// Setting code to provision.
    pub entries: HashMap<String, MapEntry>,
    /// Whether codes missing from the mapping are reported as unknown (false for
    /// [`Mapping::identity`], where every code is its own provision).
    pub checks_codes: bool,
}

impl Mapping {
    /// Every setting code its own provision: used when no mapping file is given.
    ///
    /// ```
    /// let m = dsg_data::cases::Mapping::identity(&["special".to_string()]);
    /// assert_eq!(m.get("special").map(|e| e.provision), Some(0));
    /// assert!(!m.checks_codes);
    /// ```
    pub fn identity(settings: &[String]) -> Mapping {
        let mut m = Mapping::default();
        for s in settings {
            m.add(s, s, None);
        }
        m
    }

    /// Reads a mapping file.
    ///
    /// ```no_run
    /// let m = dsg_data::cases::Mapping::read(std::path::Path::new("data/setting-map.csv"))?;
    /// # Ok::<(), dsg_data::DataError>(())
    /// ```
    pub fn read(path: &Path) -> Result<Mapping, DataError> {
        let f = std::fs::File::open(path).map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Mapping::from_csv(f, &path.display().to_string())
    }

    /// Reads a mapping from CSV text; `source` names it in messages.
    ///
    /// ```
    /// let err = dsg_data::cases::Mapping::from_csv("code,x\n".as_bytes(), "m.csv").err();
    /// assert!(err.is_some());
    /// ```
    pub fn from_csv(reader: impl Read, source: &str) -> Result<Mapping, DataError> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .comment(Some(b'#'))
            .has_headers(false)
            .from_reader(reader);
        let invalid = |row: Option<usize>, message: String| DataError::Invalid {
            file: source.to_string(),
            row,
            message,
        };
        let mut header = csv::ByteRecord::new();
        let read = rdr
            .read_byte_record(&mut header)
            .map_err(|e| invalid(Some(1), format!("not readable as CSV: {e}")))?;
        let header_row = crate::cases::read::header_line(&header, &rdr);
        if !read {
            return Err(invalid(
                None,
                "the file is empty: it needs a header row naming the columns setting, provision (and optionally dfe_category)".into(),
            ));
        }
        let header = csv::StringRecord::from_byte_record_lossy(header);
        let col = |name: &str| {
            header.iter().position(|h| {
                h.trim()
                    .trim_start_matches('\u{feff}')
                    .eq_ignore_ascii_case(name)
            })
        };
        let (Some(sc), Some(pc)) = (col("setting"), col("provision")) else {
            return Err(DataError::MissingColumns {
                file: source.to_string(),
                row: header_row,
                missing: "`setting` or `provision`".into(),
                expected: "setting, provision (and optionally dfe_category)".into(),
            });
        };
        let dc = col("dfe_category");
        let mut m = Mapping {
            source: source.to_string(),
            checks_codes: true,
            ..Mapping::default()
        };
        for rec in rdr.records() {
            let rec = rec.map_err(|e| invalid(None, format!("not readable as CSV: {e}")))?;
            let row = rec
                .position()
                .map(|p| usize::try_from(p.line()).unwrap_or(0));
            let field = |i: usize| rec.get(i).map(str::trim).unwrap_or_default();
            let (setting, provision) = (field(sc), field(pc));
            if setting.is_empty() && provision.is_empty() {
                continue;
            }
            let long = [("setting", sc), ("provision", pc)]
                .into_iter()
                .chain(dc.map(|d| ("dfe_category", d)))
                .map(|(name, i)| (name, field(i).chars().count()))
                .find(|(_, n)| *n > MAX_TEXT);
            if let Some((name, n)) = long {
                return Err(invalid(
                    row,
                    format!(
                        "column `{name}`: {n} characters: longer than the {MAX_TEXT} a code or name may have"
                    ),
                ));
            }
            if setting.is_empty() || provision.is_empty() {
                return Err(invalid(
                    row,
                    "column `setting` and `provision` must both be given".into(),
                ));
            }
            if !provision
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(invalid(
                    row,
                    format!(
                        "column `provision`: `{}` is not a scenario provision name (lower case letters, digits and _)",
                        shown(provision)
                    ),
                ));
            }
            if m.entries.len() >= MAX_MAPPING_ROWS {
                return Err(invalid(
                    row,
                    format!(
                        "more than {MAX_MAPPING_ROWS} setting codes: a mapping has one row per code the case list uses"
                    ),
                ));
            }
            if m.entries.contains_key(setting) {
                return Err(invalid(
                    row,
                    format!("column `setting`: `{}` is mapped twice", shown(setting)),
                ));
            }
            let dfe = dc.map(field).filter(|d| !d.is_empty());
            m.add(setting, provision, dfe);
        }
        if m.entries.is_empty() {
            return Err(invalid(None, "maps no setting codes".into()));
        }
        Ok(m)
    }

    fn add(&mut self, setting: &str, provision: &str, dfe: Option<&str>) {
        let p = match self.provisions.iter().position(|x| x == provision) {
            Some(p) => p,
            None => {
                self.provisions.push(provision.to_string());
                self.provisions.len() - 1
            }
        };
        self.entries.insert(
            setting.to_string(),
            MapEntry {
                provision: p,
                dfe_category: dfe.unwrap_or(provision).to_string(),
            },
        );
    }

    /// Where setting code `code` goes, if it is mapped.
    ///
    /// ```
    /// assert!(dsg_data::cases::Mapping::default().get("X").is_none());
    /// ```
    pub fn get(&self, code: &str) -> Option<&MapEntry> {
        self.entries.get(code)
    }
}
