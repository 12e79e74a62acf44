"""Reference values for Cairn's evaluation metrics, written to ../resources/evaluation/eval-vectors.json.

scikit-learn's definitions, computed with numpy and scipy only:
- ROC AUC from the Mann-Whitney U statistic of the positives' scores over the negatives'
  (scipy.stats.mannwhitneyu, ties counted one half), U / (n_pos * n_neg): equal to
  sklearn.metrics.roc_auc_score, ties included.
- log-loss with probabilities clipped to [eps, 1 - eps], eps = numpy's float64 machine epsilon
  (sklearn.metrics.log_loss since 1.5); Brier score as sklearn.metrics.brier_score_loss.
- precision, recall, F1 with zero_division=0; a row is predicted positive when score >= threshold.
- RMSE, MAE, R2 (sklearn's force_finite: constant labels give 1.0 if perfect else 0.0).
- demographic-parity and equal-opportunity differences as Fairlearn's between_groups method:
  max - min of the per-group selection rate / true-positive rate.

Run: python3 make_eval_vectors.py   (deterministic: fixed seeds)
"""

import json
import os

import numpy as np
from scipy.stats import mannwhitneyu
from scipy.special import xlogy

EPS = np.finfo(np.float64).eps


def binary(name, y, s, threshold=0.5):
    y = np.asarray(y, dtype=np.int64)
    s = np.asarray(s, dtype=np.float64)
    pred = s >= threshold
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    out = {
        "name": name,
        "threshold": threshold,
        "labels": y.tolist(),
        "scores": s.tolist(),
        "accuracy": float(np.mean(pred == (y == 1))),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
    }
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) and len(neg):
        u = mannwhitneyu(pos, neg, alternative="two-sided", method="asymptotic").statistic
        out["auc"] = float(u) / (len(pos) * len(neg))
    else:
        out["auc"] = None
    if np.all((s >= 0) & (s <= 1)):
        p = np.clip(s, EPS, 1 - EPS)
        out["log_loss"] = float(-np.mean(xlogy(y, p) + xlogy(1 - y, 1 - p)))
        out["brier"] = float(np.mean((s - y) ** 2))
    else:
        out["log_loss"] = None
        out["brier"] = None
    return out


def regression(name, y, p):
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    err = p - y
    sse = float(np.sum(err**2))
    sst = float(np.sum((y - np.mean(y)) ** 2))
    if sst == 0:
        r2 = 1.0 if sse == 0 else 0.0
    else:
        r2 = 1 - sse / sst
    return {
        "name": name,
        "labels": y.tolist(),
        "predictions": p.tolist(),
        "rmse": float(np.sqrt(np.mean(err**2))),
        "mae": float(np.mean(np.abs(err))),
        "r2": r2,
    }


def fairness(name, groups, y, s, threshold=0.5):
    groups = np.asarray(groups)
    y = np.asarray(y, dtype=np.int64)
    s = np.asarray(s, dtype=np.float64)
    pred = s >= threshold
    selection, tpr = [], []
    for g in sorted(set(groups.tolist())):
        m = groups == g
        selection.append(float(np.mean(pred[m])))
        if np.any(y[m] == 1):
            tpr.append(float(np.mean(pred[m & (y == 1)])))
    return {
        "name": name,
        "threshold": threshold,
        "groups": groups.tolist(),
        "labels": y.tolist(),
        "scores": s.tolist(),
        "demographic_parity_difference": max(selection) - min(selection),
        "equal_opportunity_difference": max(tpr) - min(tpr) if tpr else None,
    }


def main():
    rng = np.random.default_rng(20261123)
    cases = []
    # Probabilities from a noisy logistic model, rounded so that many scores tie.
    n = 600
    y = rng.integers(0, 2, n)
    s = 1 / (1 + np.exp(-(1.2 * y - 0.6 + rng.normal(0, 1.3, n))))
    cases.append(binary("logistic rounded to 2 decimals", y, np.round(s, 2)))
    cases.append(binary("logistic full precision", y, s))
    cases.append(binary("logistic threshold 0.3", y, s, threshold=0.3))
    # Heavy ties: three distinct scores only.
    y = rng.integers(0, 2, 200)
    cases.append(binary("three tied levels", y, rng.choice([0.0, 0.5, 1.0], 200)))
    # Extreme probabilities 0 and 1 exercise the clipping of log-loss.
    y = rng.integers(0, 2, 50)
    s = np.where(rng.random(50) < 0.8, y, 1 - y).astype(float)
    cases.append(binary("hard 0/1 scores with mistakes", y, s))
    # Ranking scores outside [0, 1]: AUC only.
    y = rng.integers(0, 2, 300)
    cases.append(binary("margins outside [0, 1]", y, rng.normal(0, 3, 300) + 2 * y))
    # Nothing predicted positive: precision and F1 are 0 (zero_division=0).
    y = rng.integers(0, 2, 40)
    cases.append(binary("nothing predicted positive", y, rng.random(40) * 0.4))
    # Imbalanced: 3% positives.
    y = (rng.random(2000) < 0.03).astype(int)
    cases.append(binary("imbalanced 3 percent", y, np.clip(rng.beta(2, 8, 2000) + 0.3 * y, 0, 1)))
    # A single class: AUC undefined.
    cases.append(binary("single class", np.ones(20, dtype=int), rng.random(20)))

    reg = []
    y = rng.normal(20, 15, 500)
    reg.append(regression("noisy linear", y, y + rng.normal(1, 5, 500)))
    y = rng.exponential(30, 800)
    reg.append(regression("skewed delays", y, 0.6 * y + 8 + rng.normal(0, 10, 800)))
    y = 1e6 + rng.normal(0, 1, 300)
    reg.append(regression("large offset", y, y + rng.normal(0, 0.5, 300)))
    reg.append(regression("constant label", np.full(10, 3.0), np.linspace(2, 4, 10)))
    reg.append(regression("constant label predicted exactly", np.full(10, 3.0), np.full(10, 3.0)))

    fair = []
    groups = rng.choice(["ATL", "ORD", "DEN", "SEA"], 800, p=[0.4, 0.3, 0.2, 0.1])
    y = rng.integers(0, 2, 800)
    bias = np.select([groups == "ATL", groups == "ORD", groups == "DEN"], [0.1, 0.0, -0.1], -0.2)
    s = np.clip(0.35 + 0.3 * y + bias + rng.normal(0, 0.2, 800), 0, 1)
    fair.append(fairness("four airports", groups, y, s))
    groups2 = np.array(["a"] * 30 + ["b"] * 30)
    y2 = np.array([0] * 30 + list(rng.integers(0, 2, 30)))
    fair.append(fairness("group without positives", groups2, y2, rng.random(60)))

    out = {"generator": "make_eval_vectors.py", "binary": cases, "regression": reg, "fairness": fair}
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "resources", "evaluation", "eval-vectors.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
