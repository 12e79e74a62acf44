#!/usr/bin/env python3
"""Writes the drift test vectors: deterministic inputs and SciPy's outputs.

Run from the repository root:  python3 cairn-data/src/test/python/make_drift_vectors.py
The numeric and categorical statistics follow Evidently's legacy stattests (ks, chisquare, z, psi,
jensenshannon, wasserstein), written here with NumPy only, on SciPy's functions.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance
from scipy.stats import _stats_py

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "drift")


def binned(ref, cur, categorical, feel_zeroes):
    """Evidently's get_binned_data (numeric > 20 distinct: Sturges histogram on the concatenation)."""
    if not categorical and len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rp = np.histogram(ref, bins)[0] / len(ref)
        cp = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        rv, rc = np.unique(ref, return_counts=True)
        cv, cc = np.unique(cur, return_counts=True)
        rd = dict(zip(rv.tolist(), rc.tolist()))
        cd = dict(zip(cv.tolist(), cc.tolist()))
        rp = np.array([rd.get(k, 0) / len(ref) for k in keys])
        cp = np.array([cd.get(k, 0) / len(cur) for k in keys])
    if feel_zeroes:
        for p in (rp, cp):
            nz = p[p != 0]
            fill = nz.min() / 10**6 if nz.min() <= 0.0001 else 0.0001
            np.place(p, p == 0, fill)
    return rp, cp


def chi(ref, cur):
    keys = sorted(set(ref.tolist()) | set(cur.tolist()))
    rv, rc = np.unique(ref, return_counts=True)
    cv, cc = np.unique(cur, return_counts=True)
    rd = dict(zip(rv.tolist(), rc.tolist()))
    cd = dict(zip(cv.tolist(), cc.tolist()))
    k_norm = len(cur) / len(ref)
    f_exp = [rd.get(k, 0) * k_norm for k in keys]
    f_obs = [cd.get(k, 0) for k in keys]
    with np.errstate(divide="ignore", invalid="ignore"):
        res = stats.chisquare(f_obs, f_exp)
    return float(res[0]), float(res[1])


def ztest(ref, cur):
    if len(set(ref.tolist())) == 1 and len(set(cur.tolist())) == 1 and ref[0] == cur[0]:
        return 0.0, 1.0
    keys = sorted(set(ref.tolist()) | set(cur.tolist()))
    r = np.array([0 if x == keys[0] else 1 for x in ref.tolist()])
    c = np.array([0 if x == keys[0] else 1 for x in cur.tolist()])
    n1, n2 = len(r), len(c)
    p1 = float(sum(r)) / n1
    p2 = float(sum(c)) / n2
    pp = float(p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pp * (1 - pp) * (1.0 / n1 + 1.0 / n2))
    return float(z), float(2 * (1 - stats.norm.cdf(np.abs(z))))


def numeric_case(name, ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    ks = stats.ks_2samp(ref, cur)
    rp, cp = binned(ref, cur, False, True)
    jr, jc = binned(ref, cur, False, False)
    return {
        "name": name,
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "ks_statistic": float(ks.statistic),
        "ks_pvalue": float(ks.pvalue),
        "wasserstein": float(stats.wasserstein_distance(ref, cur)),
        "wasserstein_normed": float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)),
        "psi": float(np.sum((rp - cp) * np.log(rp / cp))),
        "jensenshannon": float(distance.jensenshannon(jr, jc)),
    }


def categorical_case(name, ref, cur):
    ref = np.asarray(ref, dtype=object).astype(str)
    cur = np.asarray(cur, dtype=object).astype(str)
    chi_stat, chi_p = chi(ref, cur)
    rp, cp = binned(ref, cur, True, True)
    jr, jc = binned(ref, cur, True, False)
    case = {
        "name": name,
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "chisquare_statistic": chi_stat,
        "chisquare_pvalue": chi_p,
        "psi": float(np.sum((rp - cp) * np.log(rp / cp))),
        "jensenshannon": float(distance.jensenshannon(jr, jc)),
        "linf": float(np.max(np.abs(jr - jc))),
    }
    if len(set(ref.tolist()) | set(cur.tolist())) <= 2:
        case["z_statistic"], case["z_pvalue"] = ztest(ref, cur)
    return case


def numeric_cases(rng):
    cases = []
    cases.append(numeric_case("tiny", [1.0, 2.0, 3.0], [2.5, 3.5]))
    cases.append(numeric_case("single_each", [0.0], [1.0]))
    cases.append(numeric_case("identical", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]))
    cases.append(numeric_case("ties", rng.integers(0, 8, 300), rng.integers(1, 9, 250)))
    cases.append(numeric_case("ties_equal_n", rng.integers(0, 30, 400), rng.integers(0, 32, 400)))
    cases.append(numeric_case("normal_small", rng.normal(0, 1, 40), rng.normal(0.3, 1, 55)))
    cases.append(numeric_case("normal_shift", rng.normal(0, 1, 900), rng.normal(0.25, 1.1, 700)))
    cases.append(numeric_case("normal_same", rng.normal(5, 2, 1000), rng.normal(5, 2, 1000)))
    cases.append(numeric_case("skewed", rng.lognormal(0, 1.5, 800), rng.lognormal(0.2, 1.5, 600)))
    cases.append(numeric_case("constant_ref", [7.0] * 50, rng.normal(7, 1, 60)))
    cases.append(numeric_case("constant_both", [3.0] * 30, [3.0] * 20))
    cases.append(numeric_case("disjoint", rng.uniform(0, 1, 120), rng.uniform(2, 3, 80)))
    cases.append(numeric_case("large_asymptotic", rng.integers(0, 500, 10001), rng.integers(10, 510, 2500)))
    cases.append(numeric_case("unbalanced", rng.normal(0, 1, 3000), rng.normal(0.1, 1, 37)))
    return cases


def categorical_cases(rng):
    cases = []
    cats = np.array(["a", "b", "c", "d", "e"])
    cases.append(categorical_case("same_dist", rng.choice(cats, 500), rng.choice(cats, 400)))
    cases.append(categorical_case(
        "shifted", rng.choice(cats, 600, p=[0.4, 0.3, 0.1, 0.1, 0.1]),
        rng.choice(cats, 300, p=[0.1, 0.2, 0.3, 0.2, 0.2])))
    cases.append(categorical_case("unseen_category", rng.choice(cats[:3], 200), rng.choice(cats, 150)))
    cases.append(categorical_case("missing_category", rng.choice(cats, 200), rng.choice(cats[:2], 100)))
    cases.append(categorical_case("binary", rng.choice(["no", "yes"], 700, p=[0.7, 0.3]),
                                  rng.choice(["no", "yes"], 500, p=[0.6, 0.4])))
    cases.append(categorical_case("binary_one_sided", ["x"] * 40, ["x"] * 30 + ["y"] * 5))
    cases.append(categorical_case("constant_same", ["k"] * 25, ["k"] * 10))
    return cases


def exact_ks_cases():
    out = []
    for n1, n2 in [(1, 1), (3, 2), (5, 5), (10, 7), (40, 55), (100, 100), (250, 300), (999, 1000),
                   (3000, 37), (10000, 9999)]:
        g = math.gcd(n1, n2)
        lcm = (n1 // g) * n2
        # The exact recursion costs O(n * h / n2g): large sizes get the small statistics only.
        for frac in [0.02, 0.05, 0.1, 0.2, 0.4, 0.7, 1.0] if n1 < 5000 else [0.005, 0.02, 0.05]:
            h = max(1, int(round(frac * lcm)))
            d = h / lcm
            ok, d2, p = _stats_py._attempt_exact_2kssamp(n1, n2, g, d, "two-sided")
            m, n = sorted([float(n1), float(n2)], reverse=True)
            auto = p if ok else stats.kstwo.sf(d2, np.round(m * n / (m + n)))
            out.append({"n1": n1, "n2": n2, "d": d, "ok": bool(ok), "pvalue": float(auto)})
    return out


def kstwo_cases():
    out = []
    for n in [1, 2, 5, 10, 50, 100, 140, 141, 500, 5000, 20000, 150000, 2000000]:
        for x in [0.001, 0.004, 0.01, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 0.99]:
            out.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
    return out


def seattle_case():
    """Drift of the committed Seattle weather samples, 2012 against 2015, per column."""
    import csv
    data = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "examples", "data")

    def read(name):
        with open(os.path.join(data, name)) as f:
            return list(csv.DictReader(f))

    ref = read("drift-seattle-weather-2012.csv")
    cur = read("drift-seattle-weather-2015.csv")
    out = {}
    for col in ["precipitation", "temp_max", "temp_min", "wind"]:
        r = np.array([float(x[col]) for x in ref])
        c = np.array([float(x[col]) for x in cur])
        out[col] = {"test": "ks", "score": float(stats.ks_2samp(r, c).pvalue)}
    out["weather"] = {
        "test": "chisquare",
        "score": chi(np.array([x["weather"] for x in ref]), np.array([x["weather"] for x in cur]))[1],
    }
    return out


def main():
    rng = np.random.default_rng(20260101)
    os.makedirs(OUT, exist_ok=True)
    doc = {
        "generator": "cairn-data/src/test/python/make_drift_vectors.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "numeric": numeric_cases(rng),
        "categorical": categorical_cases(rng),
        "ks_exact": exact_ks_cases(),
        "kstwo_sf": kstwo_cases(),
        "seattle_2012_vs_2015": seattle_case(),
    }
    with open(os.path.join(OUT, "scipy-vectors.json"), "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
