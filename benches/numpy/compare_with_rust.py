#!/usr/bin/env python3
"""Compare benchmark_numpy.py results with a Rust `dsg run` output folder (summary.json).

    python3 compare_with_rust.py NUMPY_RESULTS.json NUMPY_CENTRAL.json RUST_OUT_DIR

Monte Carlo: means within 4 combined standard errors; quantiles within 4 combined standard
errors of the quantile, estimated as sqrt(q(1-q)/n) / density, the density taken from the
NumPy quantiles either side (a conservative, binned estimate; a flag, not a proof).
Central projection: equal to the pound (|difference| < 0.5).
"""

import json
import math
import sys

SERIES = ("spend.total", "balance.in_year", "balance.cumulative")
QS = {"p5": 0.05, "p10": 0.10, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p90": 0.90, "p95": 0.95}
NEIGH = {"p5": ("p5", "p10"), "p10": ("p5", "p25"), "p25": ("p10", "p50"), "p50": ("p25", "p75"),
         "p75": ("p50", "p90"), "p90": ("p75", "p95"), "p95": ("p90", "p95")}


def main():
    npres = json.load(open(sys.argv[1]))
    npcen = json.load(open(sys.argv[2]))["central"]
    rust = json.load(open(sys.argv[3] + "/summary.json"))
    n_np, n_rs = npres["run"]["paths"], rust["run"]["paths"]
    bad = 0
    worst = {}
    for s in SERIES:
        for a, b in zip(npres["series"][s], rust["series"][s]):
            assert a["year"] == b["year"]
            se = math.hypot(a["se"], b["se"])
            z = (a["mean"] - b["mean"]) / se if se else 0.0
            worst[(s, "mean")] = max(worst.get((s, "mean"), 0.0), abs(z))
            if abs(z) > 4:
                bad += 1
                print(f"MEAN  {s} {a['year']}: numpy {a['mean']:.0f} rust {b['mean']:.0f} z={z:.1f}")
            for qn, q in QS.items():
                lo, hi = NEIGH[qn]
                dens = (QS[hi] - QS[lo]) / (a[hi] - a[lo]) if a[hi] != a[lo] else float("inf")
                qse = math.sqrt(q * (1 - q)) * math.sqrt(1 / n_np + 1 / n_rs) / dens
                z = (a[qn] - b[qn]) / qse if qse else 0.0
                worst[(s, qn)] = max(worst.get((s, qn), 0.0), abs(z))
                if abs(z) > 4:
                    bad += 1
                    print(f"QUANT {s} {a['year']} {qn}: numpy {a[qn]:.0f} rust {b[qn]:.0f} "
                          f"z={z:.1f}")
    print("largest |z| per series/statistic over the years:")
    for (s, st), z in sorted(worst.items()):
        print(f"  {s:20} {st:5} {z:5.2f}")

    # Probabilities.
    pr = rust["probabilities"]
    pn = npres["probabilities"]
    for a, b in zip(pn["deficit_exceeds_reserves"], pr["deficit_exceeds_reserves"]):
        se = math.hypot(a["se"], b["se"])
        print(f"P(deficit > reserves) {a['year']}: numpy {a['probability']:.5f} "
              f"rust {b['probability']:.5f}" + (f" z={(a['probability'] - b['probability']) / se:.1f}"
                                                if se else ""))
    p1, p2 = pn["all_instalments_received"], pr["all_instalments_received"]
    se = math.hypot(math.sqrt(p1 * (1 - p1) / n_np), math.sqrt(p2 * (1 - p2) / n_rs))
    print(f"P(all instalments): numpy {p1:.5f} rust {p2:.5f} z={(p1 - p2) / se:.1f}")
    for a, b in zip(pn["safety_valve_instalments"], pr["safety_valve_instalments"]):
        print(f"P(instalment {a['year']}): numpy {a['probability']:.5f} rust {b['probability']:.5f}")

    # Central projection, to the pound.
    cbad = 0
    for s in SERIES:
        rc = rust["central"][s]
        for t, (x, r) in enumerate(zip(npcen[s], rc)):
            rv = r["value"] if isinstance(r, dict) else r
            if abs(x - rv) >= 0.5:
                cbad += 1
                print(f"CENTRAL {s} year {t + 1}: numpy {x:.2f} rust {rv:.2f}")
    print(f"central: {'all equal to the pound' if not cbad else f'{cbad} differences'}; "
          f"max |diff| cumulative = "
          f"{max(abs(x - (r['value'] if isinstance(r, dict) else r)) for x, r in zip(npcen['balance.cumulative'], rust['central']['balance.cumulative'])):.2e}")
    print(f"Monte Carlo: {bad} statistics beyond 4 combined standard errors")


if __name__ == "__main__":
    main()
