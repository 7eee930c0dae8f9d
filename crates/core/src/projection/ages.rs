//! Children by age band (docs/model.md section 14): run only when the scenario has `[ages]`.
//!
//! Each year, within each provision, every band keeps the share `1 - 1/width` of last year's
//! plans and takes the share `1/width` of the band below (the top band's share leaves at 26);
//! leavers go at their band's rate, net growth multiplies every band alike, new plans arrive with
//! the joiners' age mix. Then the reform ends a share of the plans of the children who reached a
//! transfer age (5, 11, 16), and moves at a phase transfer take a share of those who reached a
//! band from one provision to another. A provision's caseload is the sum of its bands; the steps
//! that act on whole provisions (movers, placement shifts, capacity) change a provision's bands
//! in proportion ([`reconcile`]).
//!
//! With one open band (`"0+"`) and no transfers every step is the aggregate model's arithmetic,
//! bit for bit: a band keeps `prev - prev * 0 + 0 = prev`.

use crate::params::Inputs;
use crate::scenario::{Ages, Scenario};
use crate::series::{BY_AGE, Series};

use super::Projection;
use super::layout::disjoint;
use super::workspace::Workspace;

/// How a provision's caseload grows (docs/model.md section 2).
#[derive(Clone, Copy)]
pub(super) enum Growth {
    /// Net growth: every band is multiplied by the factor in this row of `ws.factors`.
    Net(usize),
    /// Flows: this share of the year's new plans joins, with the joiners' age mix.
    Flows(f64),
}

/// Sets every band's opening caseload: the provision's opening caseload (in `ws.previous`) times
/// its opening mix.
#[inline(always)]
pub(super) fn open(a: &Ages, provisions: usize, ws: &mut Workspace) {
    let (n, nb) = (ws.lanes, a.len());
    for p in 0..provisions {
        let total = &ws.previous[p * n..(p + 1) * n];
        for b in 0..nb {
            let share = a.opening[p * nb + b];
            let band = &mut ws.bands[(p * nb + b) * n..(p * nb + b + 1) * n];
            for l in 0..n {
                band[l] = total[l] * share;
            }
        }
    }
}

/// Provision `p`'s bands from last year's: ageing, leavers, then growth or new plans, and its
/// caseload, their sum; the children who reached each band are kept in `ws.aged_in`. Bands are
/// updated in place from the oldest down, so the band below still holds last year's plans when a
/// band takes its share.
#[inline(always)]
pub(super) fn grow(a: &Ages, x: &Inputs, t: usize, p: usize, g: Growth, ws: &mut Workspace) {
    let (n, nb) = (ws.lanes, a.len());
    for b in (0..nb).rev() {
        let i = p * nb + b;
        let up = a.ageing[b];
        let (lower, upper) = ws.bands.split_at_mut(i * n);
        let band = &mut upper[..n];
        let aged_in = &mut ws.aged_in[i * n..(i + 1) * n];
        if b > 0 {
            age_in(aged_in, &lower[(i - 1) * n..i * n], a.ageing[b - 1]);
        } else {
            aged_in.fill(0.0);
        }
        let aged_in = &aged_in[..n];
        let leave = a.leavers[i].map(|id| &x.year_lanes(id, t)[..n]);
        match (g, leave) {
            (Growth::Net(row), None) => {
                net(band, aged_in, &ws.factors[row * n..(row + 1) * n], up);
            }
            (Growth::Net(row), Some(r)) => {
                net_leaving(band, aged_in, &ws.factors[row * n..(row + 1) * n], r, up);
            }
            (Growth::Flows(share), None) => {
                flows(
                    band,
                    aged_in,
                    &ws.lane.joiners[..n],
                    up,
                    (share, a.joiners[b]),
                );
            }
            (Growth::Flows(share), Some(r)) => {
                let joiners = &ws.lane.joiners[..n];
                flows_leaving(band, aged_in, joiners, r, up, (share, a.joiners[b]));
            }
        }
        // The provision's caseload, the sum of its bands (oldest first; with one band, that
        // band exactly), while the band is in cache.
        let cur = &mut ws.caseload[p * n..(p + 1) * n];
        if b + 1 == nb {
            cur.copy_from_slice(band);
        } else {
            add_to(cur, band);
        }
    }
}

// The lane loops of the band step go through `map_lanes`, four lanes at a time: each group is
// read whole before it is written, so the compiler makes whole-vector operations of it with no
// run-time check that the rows do not overlap (written as plain loops over rows of the same
// workspace, that check failed and they ran a lane at a time).

/// `out[l] = f(out[l], [ins[0][l], ...])` for every lane `l` of `out`, four lanes at a time.
#[inline(always)]
fn map_lanes<const K: usize>(out: &mut [f64], ins: [&[f64]; K], f: impl Fn(f64, [f64; K]) -> f64) {
    let n = out.len();
    let ins = ins.map(|row| &row[..n]);
    let (groups, rest) = out.as_chunks_mut::<4>();
    let whole = groups.len() * 4;
    for (g, old) in groups.iter_mut().enumerate() {
        let x: [&[f64; 4]; K] = ins.map(|row| row[4 * g..].first_chunk::<4>().unwrap_or(&[0.0; 4]));
        *old = std::array::from_fn(|j| f(old[j], std::array::from_fn(|k| x[k][j])));
    }
    for (l, o) in rest.iter_mut().enumerate() {
        *o = f(*o, std::array::from_fn(|k| ins[k][whole + l]));
    }
}

/// The children reaching a band: the share `up` of the band below.
#[inline(always)]
fn age_in(came: &mut [f64], below: &[f64], up: f64) {
    map_lanes(came, [below], |_, [b]| b * up);
}

/// `sum += part`, lane by lane.
#[inline(always)]
fn add_to(sum: &mut [f64], part: &[f64]) {
    map_lanes(sum, [part], |s, [v]| s + v);
}

// Last year's plans kept in the band (before leavers) and the children aged in:
// `prev - prev * up + came`, with one open band `prev - 0 + 0 = prev` exactly.

/// Net growth: `(kept + came) x factor`.
#[inline(always)]
fn net(band: &mut [f64], came: &[f64], factor: &[f64], up: f64) {
    map_lanes(band, [came, factor], |v, [came, f]| {
        ((v - v * up + came) * f).max(0.0)
    });
}

/// Net growth with the band's own leaving rate.
#[inline(always)]
fn net_leaving(band: &mut [f64], came: &[f64], factor: &[f64], rate: &[f64], up: f64) {
    map_lanes(band, [came, factor, rate], |v, [came, f, r]| {
        ((v - v * up + came - v * r) * f).max(0.0)
    });
}

/// Flows: the provision's share of the year's new plans times the band's share `mix` joins.
#[inline(always)]
fn flows(band: &mut [f64], came: &[f64], joiners: &[f64], up: f64, (share, mix): (f64, f64)) {
    map_lanes(band, [came, joiners], |v, [came, j]| {
        (v - v * up + came + j * share * mix).max(0.0)
    });
}

/// Flows with the band's leaving rate.
#[inline(always)]
fn flows_leaving(
    band: &mut [f64],
    came: &[f64],
    joiners: &[f64],
    rate: &[f64],
    up: f64,
    (share, mix): (f64, f64),
) {
    map_lanes(band, [came, joiners, rate], |v, [came, j, r]| {
        (v - v * up + came - v * r + j * share * mix).max(0.0)
    });
}

/// The reform at phase transfer with ages (docs/model.md section 14): once started, the share
/// `ending x (1 - protected)` of the children who reached a transfer age in the year lose their
/// plan (every one reaching a transfer age is reviewed, so the aggregate model's share reviewed
/// does not apply). Those who keep theirs stay counted in `ws.aged_in`.
#[inline(always)]
pub(super) fn reform(s: &Scenario, a: &Ages, x: &Inputs, t: usize, ws: &mut Workspace) {
    let Some(r) = &s.reform else {
        return;
    };
    if t < r.from {
        return;
    }
    let (n, nb) = (ws.lanes, a.len());
    let happens = x.scalar_lanes(r.happens);
    let delay = x.scalar_lanes(r.delay_years);
    let ending = x.scalar_lanes(r.ending_share);
    let protected = x.scalar_lanes(r.protected_share);
    let elapsed = (t + 1 - r.from) as f64;
    // Each lane's share ending, then every transfer band lanes side by side (a lane at a time
    // would stride through the bands, a page apart).
    let share = &mut ws.lane.band_placed[..n];
    for (l, share) in share.iter_mut().enumerate() {
        let started = (elapsed - delay[l]).clamp(0.0, 1.0);
        *share = (happens[l] * started * ending[l] * (1.0 - protected[l])).max(0.0);
    }
    if share.iter().all(|&s| s == 0.0) {
        return;
    }
    for p in 0..s.provisions.len() {
        for &b in &a.reform_bands {
            let k = (p * nb + b) * n;
            let (band, aged_in) = (&mut ws.bands[k..k + n], &mut ws.aged_in[k..k + n]);
            end_plans(band, aged_in, &mut ws.caseload[p * n..(p + 1) * n], share);
        }
    }
}

/// The share `share` of the children who reached the band (`came`) lose their plan, never more
/// than the band holds: out of the band, those reaching it and the caseload.
#[inline(always)]
fn end_plans(band: &mut [f64], came: &mut [f64], caseload: &mut [f64], share: &[f64]) {
    for (((v, came), c), share) in band.iter_mut().zip(came).zip(caseload).zip(share) {
        let ended = (share * *came).min(*v).max(0.0);
        *v -= ended;
        *came -= ended;
        *c -= ended;
    }
}

/// Moves at a phase transfer: the share `rate` of the children of `from` who reached the band
/// move to `to`, never more than the band holds.
#[inline(always)]
pub(super) fn transfer(a: &Ages, x: &Inputs, t: usize, ws: &mut Workspace) {
    let (n, nb) = (ws.lanes, a.len());
    for m in &a.transfers {
        let rate = &x.year_lanes(m.rate, t)[..n];
        let (from, to) = ((m.from * nb + m.band) * n, (m.to * nb + m.band) * n);
        // Different provisions (validated), so the two bands and the two caseloads are apart.
        let [from_band, to_band] = disjoint(&mut ws.bands, [from..from + n, to..to + n]);
        let [from_plans, to_plans] = disjoint(
            &mut ws.caseload,
            [m.from * n..(m.from + 1) * n, m.to * n..(m.to + 1) * n],
        );
        let came = &ws.aged_in[from..from + n];
        move_plans((from_band, to_band), (from_plans, to_plans), came, rate);
    }
}

/// The share `rate` of the children who reached the band (`came`) moves, never more than the
/// band holds: out of one band and caseload, into the other's.
#[inline(always)]
fn move_plans(
    (from_band, to_band): (&mut [f64], &mut [f64]),
    (from_plans, to_plans): (&mut [f64], &mut [f64]),
    came: &[f64],
    rate: &[f64],
) {
    let n = rate.len();
    let (from_band, to_band) = (&mut from_band[..n], &mut to_band[..n]);
    let (from_plans, to_plans, came) = (&mut from_plans[..n], &mut to_plans[..n], &came[..n]);
    for l in 0..n {
        let moved = (rate[l] * came[l]).min(from_band[l]).max(0.0);
        from_band[l] -= moved;
        to_band[l] += moved;
        from_plans[l] -= moved;
        to_plans[l] += moved;
    }
}

/// Keeps each provision's caseload as its bands add up to (`ws.band_sums`), before the steps
/// that act on whole provisions.
#[inline(always)]
pub(super) fn keep_sums(ws: &mut Workspace) {
    ws.band_sums.copy_from_slice(&ws.caseload);
}

/// After the steps that act on whole provisions (movers, placement shifts, capacity): each
/// provision's bands scaled to its caseload (the oldest band takes the rounding, so they add up),
/// or, for a provision that had no plans, its caseload spread by its opening mix. Lanes run side
/// by side: `ws.lane.band_ratio` holds each lane's `caseload / sum of bands` (-1 when the bands
/// hold nothing; the sum is `ws.band_sums`), `ws.lane.band_placed` what the bands below the
/// oldest hold.
#[inline(always)]
pub(super) fn reconcile(a: &Ages, provisions: usize, ws: &mut Workspace) {
    let (n, nb) = (ws.lanes, a.len());
    let (ratio, placed) = (&mut ws.lane.band_ratio[..n], &mut ws.lane.band_placed[..n]);
    for p in 0..provisions {
        let bands = &mut ws.bands[p * nb * n..(p + 1) * nb * n];
        let total = &ws.caseload[p * n..(p + 1) * n];
        let sums = &ws.band_sums[p * n..(p + 1) * n];
        if sums.iter().zip(total).all(|(s, t)| s == t) {
            continue;
        }
        let mix = &a.opening[p * nb..(p + 1) * nb];
        rescale(bands, (total, sums), mix, (ratio, placed));
    }
}

/// One provision's bands (`nb` rows of the lanes, `nb` the length of `mix`) scaled to its
/// caseload `total` from what they add up to, `sums`; see [`reconcile`].
#[inline(always)]
fn rescale(
    bands: &mut [f64],
    (total, sums): (&[f64], &[f64]),
    mix: &[f64],
    (ratio, placed): (&mut [f64], &mut [f64]),
) {
    let (n, nb) = (total.len(), mix.len());
    let (ratio, placed, sums) = (&mut ratio[..n], &mut placed[..n], &sums[..n]);
    for ((r, s), t) in ratio.iter_mut().zip(sums).zip(total) {
        *r = if *s > 0.0 { t / *s } else { -1.0 };
    }
    placed.fill(0.0);
    for (b, &mix) in mix.iter().enumerate().take(nb - 1) {
        let band = &mut bands[b * n..(b + 1) * n];
        for (((v, r), t), placed) in band.iter_mut().zip(&*ratio).zip(total).zip(&mut *placed) {
            *v = if *r >= 0.0 { *v * r } else { t * mix };
            *placed += *v;
        }
    }
    let oldest = &mut bands[(nb - 1) * n..nb * n];
    for ((v, t), placed) in oldest.iter_mut().zip(total).zip(&*placed) {
        *v = (t - placed).max(0.0);
    }
}

/// Writes the caseload by the management plan's bands (docs/model.md section 14), each provision's
/// and all provisions', when the scenario's bands each lie within one of them. All provisions'
/// band is the sum of the provisions' (in provision order), so the two tables reconcile exactly.
#[inline(always)]
pub(super) fn record(a: &Ages, provisions: usize, t: usize, ws: &Workspace, out: &mut Projection) {
    // A projection that keeps no series by age (the runs behind each mitigation's effect) needs
    // none written: nothing else reads them.
    let kept = |k: usize| {
        out.records(BY_AGE[k]) || (0..provisions).any(|p| out.records(Series::CaseloadByAge(p, k)))
    };
    if a.plan_band.is_empty() || !(0..BY_AGE.len()).any(kept) {
        return;
    }
    let (n, nb) = (ws.lanes, a.len());
    for (k, &series) in BY_AGE.iter().enumerate() {
        for p in 0..provisions {
            let row = &mut out.row_mut(Series::CaseloadByAge(p, k), t)[..n];
            let mut first = true;
            for b in (0..nb).filter(|&b| a.plan_band[b] == k) {
                let band = &ws.bands[(p * nb + b) * n..(p * nb + b + 1) * n];
                if first {
                    row.copy_from_slice(band);
                    first = false;
                } else {
                    for (r, v) in row.iter_mut().zip(band) {
                        *r += v;
                    }
                }
            }
            if first {
                row.fill(0.0);
            }
        }
        // A projection may keep only some series: the total is summed from the provisions'
        // rows, which every projection holds (as scratch when not kept).
        for p in 0..provisions {
            let [sum, part] = out.rows_rw(t, [series, Series::CaseloadByAge(p, k)], 1);
            if p == 0 {
                sum[..n].copy_from_slice(&part[..n]);
            } else {
                for (s, v) in sum[..n].iter_mut().zip(&part[..n]) {
                    *s += v;
                }
            }
        }
    }
}
