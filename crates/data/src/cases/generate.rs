//! Realistic synthetic case lists, deterministic from a seed, with known flow rates and planted
//! errors, so that the checks and the baseline can be tested without real children's data.

use std::io::Write;

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::date::Date;
use super::record::{Need, Status};

/// One provision of the synthetic council, with the rates the generator uses.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthProvision {
    /// Scenario provision name.
    pub name: &'static str,
    /// The council's setting codes for it.
    pub codes: &'static [&'static str],
    /// DfE placement category.
    pub dfe_category: &'static str,
    /// Median annual cost, pounds.
    pub cost: f64,
    /// Share of the opening caseload.
    pub opening_share: f64,
    /// Share of new plans.
    pub joiner_share: f64,
    /// Yearly chance that an open plan ceases.
    pub leaver_rate: f64,
    /// Yearly chance of moving to another provision, `(index, rate)`.
    pub movers: &'static [(usize, f64)],
    /// Ages at joining, `(lowest, highest)`.
    pub ages: (i32, i32),
}

/// The synthetic council's provisions (named as in `scenarios/cambridgeshire.toml`).
///
/// ```
/// let p = dsg_data::cases::generate::provisions();
/// assert!((p.iter().map(|p| p.joiner_share).sum::<f64>() - 1.0).abs() < 1e-12);
/// ```
pub fn provisions() -> Vec<SynthProvision> {
    let p = |name,
             codes,
             dfe_category,
             cost,
             opening_share,
             joiner_share,
             leaver_rate,
             movers,
             ages| {
        SynthProvision {
            name,
            codes,
            dfe_category,
            cost,
            opening_share,
            joiner_share,
            leaver_rate,
            movers,
            ages,
        }
    };
    vec![
        p(
            "mainstream_top_up",
            &["MS-PRI", "MS-SEC"],
            "Mainstream schools or academies",
            8_700.0,
            0.45,
            0.55,
            0.12,
            &[(1, 0.02), (2, 0.04), (3, 0.02)],
            (2, 15),
        ),
        p(
            "resourced_provision",
            &["RP"],
            "Resourced provision or SEN units",
            18_000.0,
            0.05,
            0.06,
            0.10,
            &[(2, 0.03)],
            (4, 14),
        ),
        p(
            "maintained_special",
            &["SP-MNT"],
            "Maintained special schools or special academies",
            21_000.0,
            0.13,
            0.10,
            0.07,
            &[(4, 0.03)],
            (2, 15),
        ),
        p(
            "academy_special",
            &["SP-ACA"],
            "Maintained special schools or special academies",
            26_000.0,
            0.11,
            0.08,
            0.07,
            &[(4, 0.02)],
            (2, 15),
        ),
        p(
            "inmss",
            &["IND"],
            "NMSS or independent schools",
            68_000.0,
            0.07,
            0.06,
            0.10,
            &[],
            (5, 15),
        ),
        p(
            "alternative_provision",
            &["AP"],
            "Hospital schools or alternative provision",
            20_000.0,
            0.03,
            0.05,
            0.20,
            &[(0, 0.10)],
            (6, 15),
        ),
        p(
            "post16_fe",
            &["FE"],
            "Post-16 further education",
            11_000.0,
            0.16,
            0.10,
            0.25,
            &[],
            (16, 18),
        ),
    ]
}

/// The kinds of error the generator can plant: the ten checks (by [`super::Check::key`]) and two
/// kinds of unreadable row.
pub const PLANTED_KINDS: [&str; 12] = [
    "duplicate_plan",
    "duplicate_person",
    "ceased_still_active",
    "dormant",
    "missing_cost",
    "cost_outlier",
    "unknown_setting",
    "age_out_of_range",
    "overlapping_placements",
    "past_end_date",
    "unparseable_date",
    "negative_cost",
];

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// About how many rows (the list has roughly this many; flows decide the exact number).
    pub rows: usize,
    /// The seed: the same spec always gives the same list.
    pub seed: u64,
    /// Errors planted of each of [`PLANTED_KINDS`].
    pub errors: usize,
    /// The extract date: the list runs to it.
    pub as_at: Date,
    /// Financial years simulated before it (at most 7, so that nobody is older than 25).
    pub years: i32,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            rows: 1_000,
            seed: 1,
            errors: 0,
            as_at: Date::from_ymd(2026, 3, 31).unwrap_or(Date::from_days(20_543)),
            years: 6,
        }
    }
}

#[derive(Debug, Clone)]
struct Ep {
    plan: u64,
    child: u64,
    birth: Date,
    code: String,
    prov: usize,
    need: Need,
    start: Date,
    end: Option<Date>,
    ceased: Option<Date>,
    status: Status,
    cost: Option<f64>,
    child_prefix: char,
    /// A text written in place of a value: (column, text).
    bad: Option<(usize, String)>,
}

/// A generated case list and what was planted in it.
///
/// ```
/// use dsg_data::cases::generate::{Spec, Synthetic};
/// let s = Synthetic::generate(&Spec { rows: 500, errors: 2, ..Spec::default() });
/// assert!(s.rows() > 300);
/// assert_eq!(s.planted.len(), 24);
/// let mut csv = Vec::new();
/// s.write_csv(&mut csv)?;
/// assert!(csv.starts_with(b"# Synthetic"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Synthetic {
    eps: Vec<Ep>,
    /// The planted errors: (kind from [`PLANTED_KINDS`], row number with the header as row 1
    /// after the comment line, as the reader numbers it).
    pub planted: Vec<(&'static str, usize)>,
    /// The provisions used.
    pub provisions: Vec<SynthProvision>,
}

const NEED_WEIGHTS: [(Need, f64); 12] = [
    (Need::Semh, 0.20),
    (Need::Asd, 0.32),
    (Need::Slcn, 0.15),
    (Need::Mld, 0.08),
    (Need::Spld, 0.04),
    (Need::Sld, 0.05),
    (Need::Pmld, 0.02),
    (Need::Hi, 0.02),
    (Need::Vi, 0.01),
    (Need::Msi, 0.005),
    (Need::Pd, 0.03),
    (Need::Oth, 0.075),
];

/// The date `y`-`m`-`d` (the epoch for a day that does not exist).
fn day(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).unwrap_or(Date::from_days(0))
}

/// The episodes of a synthetic list as they are drawn, one random stream throughout.
struct Builder<'p> {
    rng: Xoshiro256PlusPlus,
    provs: &'p [SynthProvision],
    eps: Vec<Ep>,
    next_child: u64,
    next_plan: u64,
}

impl Builder<'_> {
    /// Draws an index with probabilities `weights` (the last when they sum to less than one).
    fn pick(&mut self, weights: impl Iterator<Item = f64>) -> usize {
        let u: f64 = self.rng.random();
        let mut acc = 0.0;
        let mut last = 0;
        for (k, w) in weights.enumerate() {
            acc += w;
            last = k;
            if u < acc {
                return k;
            }
        }
        last
    }

    /// An annual cost in provision `p`: log-normal about its cost, sigma 0.3, cut at 3 sigma, to
    /// the pound.
    fn cost(&mut self, p: usize) -> f64 {
        let z = loop {
            let (u1, u2): (f64, f64) = (self.rng.random(), self.rng.random());
            let z = (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
            if z.abs() <= 3.0 {
                break z;
            }
        };
        (self.provs[p].cost * (0.3 * z).exp()).round()
    }

    /// A setting code of provision `p`.
    fn code(&mut self, p: usize) -> String {
        let codes = self.provs[p].codes;
        codes[self.rng.random_range(0..codes.len())].to_string()
    }

    /// A new child's first plan in provision `p` from `start`; returns its episode.
    fn new_child(&mut self, p: usize, start: Date) -> usize {
        let (lo, hi) = self.provs[p].ages;
        let age = self.rng.random_range(lo..=hi);
        let birth = start.add_days(-(age * 365 + self.rng.random_range(0..365)));
        let need = NEED_WEIGHTS[self.pick(NEED_WEIGHTS.iter().map(|w| w.1))].0;
        let code = self.code(p);
        let c = self.cost(p);
        self.eps.push(Ep {
            plan: self.next_plan,
            child: self.next_child,
            birth,
            code,
            prov: p,
            need,
            start,
            end: None,
            ceased: None,
            status: Status::Active,
            cost: Some(c),
            child_prefix: 'C',
            bad: None,
        });
        self.next_plan += 1;
        self.next_child += 1;
        self.eps.len() - 1
    }

    /// One year of the `open` episodes (the year from `year_start`, `span` days long): each
    /// leaves, moves to another provision (a new plan for the same child) or stays. Returns the
    /// episodes open at its end.
    fn leavers_and_movers(&mut self, open: &[usize], year_start: Date, span: i32) -> Vec<usize> {
        let mut still = Vec::with_capacity(open.len() * 2);
        for &e in open {
            let p = self.eps[e].prov;
            let u: f64 = self.rng.random();
            let d = year_start.add_days(self.rng.random_range(0..span));
            let mut acc = self.provs[p].leaver_rate;
            if u < acc {
                let ep = &mut self.eps[e];
                ep.end = Some(d);
                ep.ceased = Some(d);
                ep.status = Status::Ceased;
                continue;
            }
            let mut moved = None;
            for &(q, r) in self.provs[p].movers {
                acc += r;
                if u < acc {
                    moved = Some(q);
                    break;
                }
            }
            let Some(q) = moved else {
                still.push(e);
                continue;
            };
            self.eps[e].end = Some(d);
            self.eps[e].status = Status::Ceased;
            let code = self.code(q);
            let c = self.cost(q);
            let old = self.eps[e].clone();
            self.eps.push(Ep {
                plan: self.next_plan,
                start: d.add_days(1),
                end: None,
                ceased: None,
                status: Status::Active,
                cost: Some(c),
                code,
                prov: q,
                ..old
            });
            self.next_plan += 1;
            still.push(self.eps.len() - 1);
        }
        still
    }
}

impl Synthetic {
    /// Generates a list by `spec`.
    pub fn generate(spec: &Spec) -> Synthetic {
        let provs = provisions();
        let years = spec.years.clamp(1, 7);
        let last_fy = spec.as_at.add_days(1).financial_year() - 1;
        let first_fy = last_fy - years + 1;
        let n0 = ((spec.rows as f64) / (1.0 + 0.2 * years as f64)).max(10.0) as usize;
        let j0 = 0.12 * n0 as f64;
        let mut b = Builder {
            rng: Xoshiro256PlusPlus::seed_from_u64(spec.seed),
            provs: &provs,
            eps: Vec::with_capacity(spec.rows + spec.rows / 4),
            next_child: 1,
            next_plan: 1,
        };
        // The opening caseload, started in the year before the first simulated year.
        let s0 = day(first_fy, 3, 31);
        let mut open: Vec<usize> = Vec::with_capacity(n0 * 2);
        for _ in 0..n0 {
            let p = b.pick(provs.iter().map(|p| p.opening_share));
            let start = s0.add_days(-b.rng.random_range(0..365));
            open.push(b.new_child(p, start));
        }
        for (k, fy) in (first_fy..=last_fy).enumerate() {
            let year_start = day(fy, 4, 1);
            let span = day(fy + 1, 3, 31).days() - year_start.days();
            let mut still = b.leavers_and_movers(&open, year_start, span);
            let joiners = (j0 * 1.05f64.powi(k as i32)).round() as usize;
            for _ in 0..joiners {
                let p = b.pick(provs.iter().map(|p| p.joiner_share));
                let start = year_start.add_days(b.rng.random_range(0..=span));
                still.push(b.new_child(p, start));
            }
            open = still;
        }
        let (mut eps, mut rng) = (b.eps, b.rng);
        eps.sort_by_key(|e| (e.start, e.plan));
        let mut s = Synthetic {
            eps,
            planted: Vec::new(),
            provisions: provs,
        };
        s.plant(spec, &mut rng);
        s
    }

    /// Plants `spec.errors` errors of each kind on distinct rows.
    fn plant(&mut self, spec: &Spec, rng: &mut Xoshiro256PlusPlus) {
        let k = spec.errors;
        if k == 0 {
            return;
        }
        let as_at = spec.as_at;
        let n = self.eps.len();
        let mut used = vec![false; n];
        let mut marks: Vec<(&'static str, usize)> = Vec::new();
        let choose = |rng: &mut Xoshiro256PlusPlus,
                      used: &mut Vec<bool>,
                      ok: &dyn Fn(&Ep) -> bool,
                      eps: &[Ep]|
         -> Option<usize> {
            for _ in 0..100_000 {
                let i = rng.random_range(0..eps.len());
                if !used[i] && ok(&eps[i]) {
                    used[i] = true;
                    return Some(i);
                }
            }
            None
        };
        let open = move |e: &Ep| e.status == Status::Active && e.start <= as_at;
        let mut max_plan = self.eps.iter().map(|e| e.plan).max().unwrap_or(0);
        let mut max_child = self.eps.iter().map(|e| e.child).max().unwrap_or(0);
        let mut extra: Vec<(&'static str, Ep)> = Vec::new();
        for kind in PLANTED_KINDS {
            for j in 0..k {
                let eps = &self.eps;
                let pick = match kind {
                    "ceased_still_active" => choose(rng, &mut used, &|e| e.ceased.is_some(), eps),
                    "past_end_date" => choose(
                        rng,
                        &mut used,
                        &|e| e.end.is_some() && e.ceased.is_none(),
                        eps,
                    ),
                    "unparseable_date" | "negative_cost" => choose(rng, &mut used, &|_| true, eps),
                    _ => choose(rng, &mut used, &open, eps),
                };
                let Some(i) = pick else { continue };
                let e = &mut self.eps[i];
                match kind {
                    "duplicate_plan" => extra.push((kind, e.clone())),
                    "duplicate_person" => {
                        max_plan += 1;
                        max_child += 1;
                        extra.push((
                            kind,
                            Ep {
                                plan: max_plan,
                                child: max_child,
                                child_prefix: 'D',
                                ..e.clone()
                            },
                        ));
                    }
                    "overlapping_placements" => {
                        max_plan += 1;
                        let q = (e.prov + 1 + j % 6) % self.provisions.len();
                        let code = self.provisions[q].codes[0].to_string();
                        let start = e.start.add_days(rng.random_range(10..100)).min(as_at);
                        let c = (self.provisions[q].cost * (1.0 + 0.01 * j as f64)).round();
                        extra.push((
                            kind,
                            Ep {
                                plan: max_plan,
                                start,
                                code,
                                prov: q,
                                cost: Some(c),
                                ..e.clone()
                            },
                        ));
                    }
                    "ceased_still_active" | "past_end_date" => {
                        e.status = Status::Active;
                        marks.push((kind, i));
                    }
                    "dormant" => {
                        e.status = Status::Dormant;
                        marks.push((kind, i));
                    }
                    "missing_cost" => {
                        e.cost = if j % 2 == 0 { None } else { Some(0.0) };
                        marks.push((kind, i));
                    }
                    "cost_outlier" => {
                        e.cost = e.cost.map(|c| {
                            if j % 2 == 0 {
                                (c * 12.0).round()
                            } else {
                                (c / 12.0).round()
                            }
                        });
                        marks.push((kind, i));
                    }
                    "unknown_setting" => {
                        e.code = format!("ZZ{}", j % 7);
                        marks.push((kind, i));
                    }
                    "age_out_of_range" => {
                        e.birth = if j % 3 == 2 {
                            e.start.add_days(30)
                        } else {
                            as_at.add_days(-365 * (27 + (j % 10) as i32))
                        };
                        marks.push((kind, i));
                    }
                    "unparseable_date" => {
                        e.bad = Some((5, "30/02/2024".into()));
                        marks.push((kind, i));
                    }
                    "negative_cost" => {
                        e.bad = Some((9, format!("-{}", e.cost.unwrap_or(100.0))));
                        marks.push((kind, i));
                    }
                    _ => {}
                }
            }
        }
        // Rows are numbered with the comment line as row 1 and the header as row 2.
        self.planted = marks.into_iter().map(|(kind, i)| (kind, i + 3)).collect();
        for (kind, e) in extra {
            self.eps.push(e);
            self.planted.push((kind, self.eps.len() + 2));
        }
        self.planted.sort();
    }

    /// Data rows in the list.
    pub fn rows(&self) -> usize {
        self.eps.len()
    }

    /// Writes the list as CSV: a comment line saying it is synthetic, the header, the rows.
    pub fn write_csv(&self, w: &mut impl Write) -> std::io::Result<()> {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, w);
        writeln!(
            w,
            "# Synthetic case list made by dsg synth-cases: no real children's data"
        )?;
        writeln!(
            w,
            "plan_id,child_id,date_of_birth,setting,primary_need,start_date,end_date,ceased_date,status,annual_cost"
        )?;
        let opt = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        for e in &self.eps {
            let mut f = [
                format!("P{:08}", e.plan),
                format!("{}{:07}", e.child_prefix, e.child),
                e.birth.to_string(),
                e.code.clone(),
                e.need.code().to_string(),
                e.start.to_string(),
                opt(e.end),
                opt(e.ceased),
                e.status.as_str().to_string(),
                e.cost.map(|c| format!("{c:.0}")).unwrap_or_default(),
            ];
            if let Some((col, text)) = &e.bad {
                f[*col] = text.clone();
            }
            writeln!(w, "{}", f.join(","))?;
        }
        w.flush()
    }

    /// The setting map for the list, as CSV.
    ///
    /// ```
    /// let s = dsg_data::cases::generate::Synthetic::generate(&Default::default());
    /// assert!(s.mapping_csv().contains("IND,inmss,"));
    /// ```
    pub fn mapping_csv(&self) -> String {
        let mut s = String::from(
            "# Synthetic setting map made by dsg synth-cases\nsetting,provision,dfe_category\n",
        );
        for p in &self.provisions {
            for c in p.codes {
                s.push_str(&format!("{c},{},{}\n", p.name, p.dfe_category));
            }
        }
        s
    }
}
