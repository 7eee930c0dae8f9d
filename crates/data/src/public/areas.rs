//! Areas: England, its regions and its local authorities, with the ONS code changes read to
//! current codes and the boundary changes the panel keeps as published.

/// The level of an area.
///
/// ```
/// use dsg_data::public::Level;
/// assert_eq!(Level::La.as_str(), "la");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// England.
    National,
    /// A region of England (E12...).
    Regional,
    /// A local authority (E06, E08, E09, E10...).
    La,
}

impl Level {
    /// The level as the panel writes it: `national`, `regional` or `la`.
    ///
    /// ```
    /// use dsg_data::public::Level;
    /// assert_eq!(Level::Regional.as_str(), "regional");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Regional => "regional",
            Level::La => "la",
        }
    }
}

/// An area as a row names it.
///
/// ```
/// use dsg_data::public::{Area, Level};
/// let a = Area { code: "E10000003".into(), dfe_code: "873".into(), name: "Cambridgeshire".into(), level: Level::La };
/// assert_eq!(a.level.as_str(), "la");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// The ONS code (E92000001 for England, E12... for regions, E06/E08/E09/E10... for local
    /// authorities), the current one where ONS recoded the same area.
    pub code: String,
    /// The DfE three-digit local authority code (blank for England and the regions).
    pub dfe_code: String,
    /// The name, as the newest release imported spells it.
    pub name: String,
    /// England, a region or a local authority.
    pub level: Level,
}

/// ONS codes replaced for the same area (no boundary change), old code first. DfE's files use
/// both: the 2022 release has Northumberland and Gateshead under their pre-2014 codes for
/// 2010-2013, and the 2025 release has Buckinghamshire under E10000002 again for 2024 and 2025.
pub const CODE_CHANGES: &[(&str, &str, &str)] = &[
    ("E06000048", "E06000057", "Northumberland"),
    ("E08000020", "E08000037", "Gateshead"),
    ("E10000002", "E06000060", "Buckinghamshire"),
];

/// The current ONS code of an area given under `code`.
///
/// ```
/// use dsg_data::public::current_code;
/// assert_eq!(current_code("E10000002"), "E06000060");
/// assert_eq!(current_code("E10000003"), "E10000003");
/// ```
pub fn current_code(code: &str) -> &str {
    CODE_CHANGES
        .iter()
        .find(|(old, _, _)| *old == code)
        .map_or(code, |(_, new, _)| new)
}

/// A boundary change: areas that ended and the areas that replaced them. The panel keeps every
/// area under its own code, as published (a predecessor's figures cannot be split between its
/// successors); a series over the change must join them by this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundaryChange {
    /// The first January the successors count plans (their first calendar year of flows is the
    /// year before).
    pub first_january: i32,
    /// The areas that ended: (ONS code, DfE code, name).
    pub before: &'static [(&'static str, &'static str, &'static str)],
    /// The areas that replaced them.
    pub after: &'static [(&'static str, &'static str, &'static str)],
}

/// The boundary changes within the years of the two EHC plan releases.
///
/// ```
/// use dsg_data::public::BOUNDARY_CHANGES;
/// let cumbria = BOUNDARY_CHANGES.iter().find(|c| c.before[0].2 == "Cumbria").unwrap();
/// assert_eq!(cumbria.first_january, 2024);
/// ```
pub const BOUNDARY_CHANGES: &[BoundaryChange] = &[
    BoundaryChange {
        first_january: 2020,
        before: &[
            ("E06000028", "837", "Bournemouth"),
            ("E06000029", "836", "Poole"),
            ("E10000009", "835", "Dorset"),
        ],
        after: &[
            ("E06000058", "839", "Bournemouth, Christchurch and Poole"),
            ("E06000059", "838", "Dorset"),
        ],
    },
    BoundaryChange {
        first_january: 2022,
        before: &[("E10000021", "928", "Northamptonshire")],
        after: &[
            ("E06000061", "940", "North Northamptonshire"),
            ("E06000062", "941", "West Northamptonshire"),
        ],
    },
    BoundaryChange {
        first_january: 2024,
        before: &[("E10000006", "909", "Cumbria")],
        after: &[
            ("E06000063", "942", "Cumberland"),
            ("E06000064", "943", "Westmorland and Furness"),
        ],
    },
];
