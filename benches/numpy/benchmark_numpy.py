#!/usr/bin/env python3
"""Independent, vectorised NumPy implementation of the DSG benchmark scenario.

Written from docs/model.md (sections 1-7) and scenarios/benchmark.toml only, without reading the Rust
source for the arithmetic. It is a speed yardstick for the Rust tool and an independent check of
its numbers (statistical for the Monte Carlo run, to the pound for the central projection).

    python3 benchmark_numpy.py --paths N [--seed S] [--out results.json] [--scenario FILE]
    python3 benchmark_numpy.py --central [--scenario FILE]

Only the features the benchmark scenario uses are implemented (net-growth provisions, one shared
demand growth, cost inflation, fixed other lines, funding growth, general-fund contributions,
safety-valve instalments, growth-reduction mitigations, correlations between yearly normal inputs).
Any other key stops the run with an error rather than being silently ignored.

Every path is held in memory at once: per year, arrays of shape (N,) (or (P, N) per provision).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import tomllib
from pathlib import Path

import numpy as np

QUANTILES = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
QNAMES = tuple(f"p{int(round(q * 100))}" for q in QUANTILES)


# --------------------------------------------------------------------------------------------
# Scenario reading
# --------------------------------------------------------------------------------------------

def year_label(base_year: str, t: int) -> str:
    start = int(base_year.split("-")[0]) + t
    return f"{start}-{(start + 1) % 100:02d}"


def unsupported(what: str):
    raise SystemExit(f"benchmark_numpy.py: unsupported scenario feature: {what}")


def norm_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def norm_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


class Input:
    """One numeric input: a number or a distribution (docs/model.md section 7)."""

    def __init__(self, name: str, spec):
        self.name = name
        if isinstance(spec, (int, float)):
            self.dist, self.p, self.per, self.phi = "fixed", {"value": float(spec)}, "path", 0.0
            return
        if not isinstance(spec, dict) or "dist" not in spec:
            unsupported(f"{name} = {spec!r}")
        known = {"dist", "per", "persistence", "mean", "sd", "min", "max", "mode", "value"}
        extra = set(spec) - known
        if extra:
            unsupported(f"{name}: keys {sorted(extra)}")
        self.dist = spec["dist"]
        self.per = spec.get("per", "path")
        self.phi = float(spec.get("persistence", 0.0))
        self.p = {k: float(v) for k, v in spec.items() if k not in ("dist", "per")}
        if self.dist not in ("fixed", "normal", "truncated_normal", "pert"):
            unsupported(f"{name}: dist {self.dist}")
        if self.phi != 0.0 and (self.dist != "normal" or self.per != "year"):
            unsupported(f"{name}: persistence on a non-normal or per-path input")
        if not -1.0 < self.phi < 1.0:
            raise SystemExit(f"{name}: persistence must be in (-1, 1)")

    @property
    def uncertain(self) -> bool:
        return self.dist != "fixed"

    def central(self) -> float:
        """docs/model.md section 7: the mean; the mode for PERT (and triangular)."""
        p = self.p
        if self.dist == "fixed":
            return p["value"]
        if self.dist == "normal":
            return p["mean"]
        if self.dist == "pert":
            return p["mode"]
        if self.dist == "truncated_normal":
            a = (p["min"] - p["mean"]) / p["sd"]
            b = (p["max"] - p["mean"]) / p["sd"]
            z = norm_cdf(b) - norm_cdf(a)
            return p["mean"] + p["sd"] * (norm_pdf(a) - norm_pdf(b)) / z
        raise AssertionError


def load_scenario(path: Path) -> dict:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)

    allowed = {"scenario", "demand", "cost", "provisions", "other_lines", "funding", "dsg",
               "general_fund", "safety_valve", "mitigations", "correlations"}
    extra = set(raw) - allowed
    if extra:
        unsupported(f"top-level tables {sorted(extra)}")
    sc = raw["scenario"]
    if "policy" in sc and sc["policy"] not in ("none",):
        unsupported(f"policy {sc['policy']}")
    base = sc["base_year"]
    H = int(sc["horizon_years"])
    years = [year_label(base, t) for t in range(1, H + 1)]
    yidx = {y: i for i, y in enumerate(years)}

    # Demand and cost.
    dem = raw.get("demand", {})
    if set(dem) - {"growth"}:
        unsupported(f"demand keys {sorted(set(dem) - {'growth'})}")
    growth = Input("demand.growth", dem.get("growth", 0.12))
    cost = raw.get("cost", {})
    if set(cost) - {"inflation"}:
        unsupported(f"cost keys {sorted(set(cost) - {'inflation'})}")
    inflation = Input("cost.inflation", cost.get("inflation", 0.0))

    provs = raw["provisions"]
    for p in provs:
        extra = set(p) - {"name", "label", "caseload", "unit_cost", "drift"}
        if extra:
            unsupported(f"provision {p['name']}: keys {sorted(extra)} (per-provision growth, "
                        "capacity, flows)")
    pnames = [p["name"] for p in provs]
    N0 = np.array([float(p["caseload"]) for p in provs])
    u0 = np.array([float(p["unit_cost"]) for p in provs])
    drift = np.array([float(p.get("drift", 0.0)) for p in provs])

    other = []
    for line in raw.get("other_lines", []):
        g = line.get("growth", 0.0)
        if not isinstance(g, (int, float)):
            unsupported(f"other line {line['name']}: uncertain or per-year growth")
        other.append((float(line["amount"]), float(g)))

    fund = raw["funding"]
    if set(fund) - {"allocation", "growth"}:
        unsupported(f"funding keys {sorted(set(fund) - {'allocation', 'growth'})}")
    F0 = float(fund["allocation"])
    fgrowth = Input("funding.growth", fund.get("growth", 0.07))

    B0 = float(raw.get("dsg", {}).get("opening_balance", 0.0))

    gf = raw.get("general_fund", {})
    if set(gf) - {"usable_reserves", "statutory_override_ends", "contributions"}:
        unsupported("general_fund keys beyond usable_reserves/override/contributions")
    reserves = float(gf.get("usable_reserves", 0.0))
    contrib = np.zeros(H)
    c = gf.get("contributions", {})
    if isinstance(c, (int, float)):
        contrib[:] = float(c)
    else:
        for y, v in c.items():
            if y in yidx:
                contrib[yidx[y]] = float(v)

    sv = raw.get("safety_valve", {})
    on_miss = sv.get("on_miss", "withhold")
    if on_miss not in ("withhold", "defer"):
        raise SystemExit(f"safety_valve.on_miss {on_miss!r}")
    instalments = []
    for ins in sv.get("instalments", []):
        if set(ins) - {"year", "amount", "max_in_year_deficit"}:
            unsupported("safety-valve target other than max_in_year_deficit")
        if ins["year"] in yidx:
            instalments.append((yidx[ins["year"]], float(ins["amount"]),
                                float(ins["max_in_year_deficit"])))

    mits = []
    for m in raw.get("mitigations", []):
        if m.get("kind") != "growth_reduction":
            unsupported(f"mitigation kind {m.get('kind')}")
        if set(m) - {"name", "label", "kind", "provision", "effect", "start", "ramp_years",
                     "delivery", "enabled"}:
            unsupported(f"mitigation {m['name']}: keys beyond effect/start/ramp/delivery")
        if not m.get("enabled", True):
            continue
        prov = m.get("provision", "all")
        mask = np.ones(len(provs)) if prov == "all" else np.array(
            [1.0 if n == prov else 0.0 for n in pnames])
        start = int(m["start"].split("-")[0]) - int(base.split("-")[0])  # year index t (1-based)
        ramp_years = float(m.get("ramp_years", 1))
        ramp = np.array([0.0 if t < start else min(1.0, (t - start + 1) / ramp_years)
                         for t in range(1, H + 1)])
        delivery = Input(f"mitigations.{m['name']}.delivery", m.get("delivery", 1.0))
        if delivery.uncertain and delivery.per != "path":
            unsupported("per-year delivery")
        mits.append(dict(name=m["name"], effect=float(m["effect"]), ramp=ramp, mask=mask,
                         delivery=delivery))

    inputs = {"demand.growth": growth, "cost.inflation": inflation, "funding.growth": fgrowth}
    corr = []
    for cdef in raw.get("correlations", []):
        a, b = cdef["between"]
        for n in (a, b):
            if n not in inputs or inputs[n].dist != "normal" or inputs[n].per != "year":
                unsupported(f"correlation on {n} (only yearly normal inputs are supported)")
        corr.append((a, b, float(cdef["rho"])))

    return dict(name=sc.get("name", ""), base=base, H=H, years=years, pnames=pnames, N0=N0,
                u0=u0, drift=drift, other=other, F0=F0, B0=B0, reserves=reserves,
                override_ends=gf.get("statutory_override_ends"), contrib=contrib,
                on_miss=on_miss, instalments=instalments, mits=mits, inputs=inputs, corr=corr)


# --------------------------------------------------------------------------------------------
# Monte Carlo draws (all paths at once)
# --------------------------------------------------------------------------------------------

def draw_inputs(sc: dict, n: int, rng: np.random.Generator) -> dict:
    """Return yearly rate arrays of shape (H, n) and per-path deliveries of shape (n,)."""
    H = sc["H"]
    inputs = sc["inputs"]

    # Standard normal scores for the yearly normal inputs, correlated by a Gaussian copula on the
    # innovations z[t] (docs/model.md section 7).
    normals = [k for k, v in inputs.items() if v.dist == "normal" and v.per == "year"]
    k = len(normals)
    R = np.eye(k)
    for a, b, rho in sc["corr"]:
        i, j = normals.index(a), normals.index(b)
        R[i, j] = R[j, i] = rho
    if np.linalg.eigvalsh(R).min() < -1e-12:
        raise SystemExit("correlation matrix is not positive semi-definite")
    L = np.linalg.cholesky(R) if k else R
    raw = [rng.standard_normal((H, n)) for _ in range(k)]
    # z_i = sum_j L[i, j] raw_j, L lower triangular: fill from the last row up, in place.
    for i in range(k - 1, -1, -1):
        if L[i, i] != 1.0:
            raw[i] *= L[i, i]
        for j in range(i):
            if L[i, j] != 0.0:
                raw[i] += L[i, j] * raw[j]
    z = dict(zip(normals, raw))

    out = {}
    for name, inp in inputs.items():
        p = inp.p
        if inp.dist == "fixed":
            out[name] = np.full((H, 1), p["value"])
        elif inp.dist == "normal":
            if inp.per != "year":
                unsupported(f"{name}: per-path normal")
            e = z[name]  # reused in place: e becomes the value array
            sd, phi = p["sd"], inp.phi
            e *= sd
            if phi != 0.0:  # AR(1): e[1] = sd z[1]; e[t] = phi e[t-1] + sqrt(1-phi^2) sd z[t]
                s = math.sqrt(1.0 - phi * phi)
                e[1:] *= s
                for t in range(1, H):
                    e[t] += phi * e[t - 1]
            e += p["mean"]
            out[name] = e
        elif inp.dist == "truncated_normal":
            if inp.per != "year":
                unsupported(f"{name}: per-path truncated normal")
            lo = (p["min"] - p["mean"]) / p["sd"]
            hi = (p["max"] - p["mean"]) / p["sd"]
            zz = rng.standard_normal((H, n))
            bad = np.flatnonzero((zz < lo) | (zz > hi))   # rejection: redraw, never clamp
            flat = zz.reshape(-1)
            while bad.size:
                new = rng.standard_normal(bad.size)
                flat[bad] = new
                bad = bad[(new < lo) | (new > hi)]
            zz *= p["sd"]
            zz += p["mean"]
            out[name] = zz
        else:
            unsupported(f"{name}: {inp.dist} as a yearly input")

    deliveries = []
    for m in sc["mits"]:
        d = m["delivery"]
        if d.dist == "fixed":
            deliveries.append(np.full(n, d.p["value"]))
        elif d.dist == "pert":  # PERT(min, mode, max): min + (max-min) Beta(a, b), lambda = 4
            lo, mo, hi = d.p["min"], d.p["mode"], d.p["max"]
            a = 1.0 + 4.0 * (mo - lo) / (hi - lo)
            b = 1.0 + 4.0 * (hi - mo) / (hi - lo)
            x = rng.beta(a, b, n)
            x *= hi - lo
            x += lo
            deliveries.append(x)
        else:
            unsupported(f"delivery {d.dist}")
    out["deliveries"] = deliveries
    return out


def central_inputs(sc: dict) -> dict:
    H = sc["H"]
    out = {name: np.full((H, 1), inp.central()) for name, inp in sc["inputs"].items()}
    out["deliveries"] = [np.full(1, m["delivery"].central()) for m in sc["mits"]]
    return out


# --------------------------------------------------------------------------------------------
# Projection (docs/model.md sections 2-6), vectorised over paths
# --------------------------------------------------------------------------------------------

def project(sc: dict, d: dict, n: int) -> dict:
    H, P = sc["H"], len(sc["pnames"])
    g, infl, f = d["demand.growth"], d["cost.inflation"], d["funding.growth"]
    dels = d["deliveries"]

    cas = np.repeat(sc["N0"][:, None], n, axis=1)          # (P, n) caseload
    uc = np.repeat(sc["u0"][:, None], n, axis=1)           # (P, n) unit cost
    drift = sc["drift"][:, None]
    F = np.full(n, sc["F0"])
    B = np.full(n, sc["B0"])
    other = np.array([a for a, _ in sc["other"]])
    ogrowth = np.array([gr for _, gr in sc["other"]])
    pending = np.zeros(n)                                  # deferred instalments (on_miss=defer)
    inst_by_year = {t: (amt, x) for t, amt, x in sc["instalments"]}

    spend_total = np.empty((H, n))
    in_year = np.empty((H, n))
    cumulative = np.empty((H, n))
    received = []                                          # (n,) bool per instalment
    exceeds = np.empty(H)                                  # P(deficit > usable reserves)

    # Does every mitigation apply to every provision? Then m[t] is one (n,) vector.
    all_prov = all(m["mask"].all() for m in sc["mits"])
    fac = np.empty(n)
    mt = np.empty(n)
    no_drift = not sc["drift"].any()
    tmp = None if no_drift else np.empty((P, n))
    for t in range(H):
        # Section 2 + 6: N[p,t] = N[p,t-1] (1 + g[t] - m[p,t]), never negative.
        if all_prov:
            mt.fill(0.0)
            for m, dl in zip(sc["mits"], dels):
                if m["ramp"][t] != 0.0:
                    mt += (m["effect"] * m["ramp"][t]) * dl
            np.subtract(g[t], mt, out=fac)
            fac += 1.0
            np.maximum(fac, 0.0, out=fac)
            cas *= fac
        else:
            mp = np.zeros((P, n))
            for m, dl in zip(sc["mits"], dels):
                mp += (m["effect"] * m["ramp"][t]) * m["mask"][:, None] * dl
            fp = 1.0 + g[t] - mp
            np.maximum(fp, 0.0, out=fp)
            cas *= fp
        # Section 3: u[p,t] = u[p,t-1] (1 + i[t] + d[p]); P = N u (no unit-cost savings here).
        if no_drift:
            np.add(infl[t], 1.0, out=fac)                  # one (n,) factor for every provision
            uc *= fac
        else:
            np.add(infl[t], drift, out=tmp)
            tmp += 1.0
            uc *= tmp
        st = spend_total[t]
        np.einsum("pn,pn->n", cas, uc, out=st)             # sum over provisions of N * u
        other *= 1.0 + ogrowth
        st += other.sum()
        # Section 4: F[t] = F[t-1] (1 + f[t]).
        F *= 1.0 + f[t]
        # Section 5: I[t] = F + T + other income - S (no transfer, other income or other blocks).
        iy = in_year[t]
        np.subtract(F, st, out=iy)
        B += iy
        B += sc["contrib"][t]
        if t in inst_by_year:
            amt, x = inst_by_year[t]
            met = iy >= -x
            received.append(met)
            if sc["on_miss"] == "withhold":
                B += amt * met
            else:
                pending += amt
                B += pending * met
                pending *= ~met
        cumulative[t] = B
        # Headroom = reserves - max(0, -B) < 0  <=>  -B > reserves.
        exceeds[t] = np.count_nonzero(B < -sc["reserves"]) / n

    return dict(spend_total=spend_total, in_year=in_year, cumulative=cumulative,
                received=received, exceeds=exceeds)


# --------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------

def summarise(arr: np.ndarray, years: list[str]) -> list[dict]:
    n = arr.shape[1]
    mean = arr.mean(axis=1)
    se = arr.std(axis=1, ddof=1) / math.sqrt(n) if n > 1 else np.zeros(len(years))
    q = np.quantile(arr, QUANTILES, axis=1, method="linear")     # (7, H)
    rows = []
    for t, y in enumerate(years):
        row = {"year": y}
        row.update({qn: float(q[i, t]) for i, qn in enumerate(QNAMES)})
        row["mean"] = float(mean[t])
        row["se"] = float(se[t])
        rows.append(row)
    return rows


def main(argv=None) -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", type=Path, default=here / "../../scenarios/benchmark.toml")
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20260401)
    ap.add_argument("--out", type=Path, default=None, help="write results as JSON here")
    ap.add_argument("--central", action="store_true",
                    help="project once with every input at its central value and print it")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    sc = load_scenario(args.scenario)
    years = sc["years"]

    if args.central:
        r = project(sc, central_inputs(sc), 1)
        print(f"Central projection of {sc['name']} (every input at its central value):")
        print(f"{'year':8} {'spend.total':>18} {'balance.in_year':>18} {'balance.cumulative':>20}")
        for t, y in enumerate(years):
            print(f"{y:8} {r['spend_total'][t, 0]:18.2f} {r['in_year'][t, 0]:18.2f} "
                  f"{r['cumulative'][t, 0]:20.2f}")
        if args.out:
            res = {"central": {
                "spend.total": r["spend_total"][:, 0].tolist(),
                "balance.in_year": r["in_year"][:, 0].tolist(),
                "balance.cumulative": r["cumulative"][:, 0].tolist(),
                "safety_valve_received": [bool(x[0]) for x in r["received"]]},
                "years": years}
            args.out.write_text(json.dumps(res, indent=1))
        return 0

    n = args.paths
    if n < 1:
        raise SystemExit("--paths must be at least 1")
    rng = np.random.Generator(np.random.PCG64(args.seed))
    t1 = time.perf_counter()
    draws = draw_inputs(sc, n, rng)
    t2 = time.perf_counter()
    r = project(sc, draws, n)
    del draws
    t3 = time.perf_counter()
    series = {"spend.total": summarise(r["spend_total"], years),
              "balance.in_year": summarise(r["in_year"], years),
              "balance.cumulative": summarise(r["cumulative"], years)}
    all_received = np.logical_and.reduce(r["received"]) if r["received"] else np.ones(n, bool)
    p_all = float(all_received.mean())
    probs = {
        "deficit_exceeds_reserves": [
            {"year": y, "probability": float(p), "se": math.sqrt(p * (1 - p) / n)}
            for y, p in zip(years, r["exceeds"])],
        "safety_valve_instalments": [
            {"year": years[t], "amount": amt, "probability": float(m.mean())}
            for (t, amt, _), m in zip(sc["instalments"], r["received"])],
        "all_instalments_received": p_all,
        "all_instalments_received_se": math.sqrt(p_all * (1 - p_all) / n),
    }
    ov = sc["override_ends"]
    if ov in years:
        probs["deficit_exceeds_reserves_at_override_end"] = {
            "year": ov, "probability": float(r["exceeds"][years.index(ov)])}
    t4 = time.perf_counter()
    res = {
        "format": "dsg-numpy-ref/1",
        "scenario": {"name": sc["name"], "file": str(args.scenario), "years": years},
        "run": {"paths": n, "seed": args.seed, "rng": "numpy.random.Generator(PCG64(seed))",
                "numpy": np.__version__, "quantile_method": "np.quantile(method='linear')"},
        "series": series,
        "probabilities": probs,
        "timings_seconds": {"load": t1 - t0, "draw": t2 - t1, "project": t3 - t2,
                            "summarise": t4 - t3},
    }
    if args.out:
        args.out.write_text(json.dumps(res, indent=1))
    cum = series["balance.cumulative"]
    i_ov = years.index(ov) if ov in years else len(years) - 1
    print(f"{sc['name']}: {n} paths, seed {args.seed}; median cumulative balance "
          f"{years[i_ov]}: {cum[i_ov]['p50'] / 1e6:.1f}m; P(deficit > reserves, {years[i_ov]}) = "
          f"{r['exceeds'][i_ov]:.4f}; P(all instalments) = {p_all:.4f}; "
          f"draw {t2 - t1:.2f}s project {t3 - t2:.2f}s summarise {t4 - t3:.2f}s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
