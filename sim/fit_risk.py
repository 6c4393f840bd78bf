"""Fit the risk score's factor weights on simulated history: a logistic regression of missed
(no-show or late cancel) against attended on the factors the dashboard showed (sessions.csv).

python -m sim.fit_risk sim/out/sessions.csv [weeks]  -> each factor's fitted odds ratio beside the
score's, and both AUCs. Plain Python: Newton's method with a small ridge penalty, from zero,
so the same file always gives the same weights (the file itself is seeded by the run).
"""
from __future__ import annotations

import csv
import math
import sys

from sim.ranking import auc

RIDGE = 1.0  # pulls a factor seen on few sessions towards no effect


def fit(rows: list[set[str]], labels: list[bool], kinds: list[str], *, steps: int = 25) -> dict:
    """kind -> fitted log odds ratio, plus "intercept"."""
    names = ["intercept", *kinds]
    x = [[1.0] + [1.0 if k in row else 0.0 for k in kinds] for row in rows]
    w = [0.0] * len(names)
    for _ in range(steps):
        grad = [-RIDGE * wi if n else 0.0 for n, wi in enumerate(w)]
        hess = [[(RIDGE if i == j and i else 0.0) for j in range(len(w))] for i in range(len(w))]
        for xi, yi in zip(x, labels):
            on = [i for i, xa in enumerate(xi) if xa]  # the factors are 0/1: only these count
            p = 1 / (1 + math.exp(-sum(w[i] for i in on)))
            for i in on:
                grad[i] += yi - p
                for j in on:
                    hess[i][j] += p * (1 - p)
        step = _solve(hess, grad)
        w = [a + b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return dict(zip(names, w))


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and positive definite)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col and m[r][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def main(argv=None) -> int:
    from portal.domain.risk_score import WEIGHTS
    from sim.risk_report import measured

    args = argv or sys.argv[1:] or ["sim/out/sessions.csv"]
    path = args[0]
    with open(path, newline="") as handle:
        raw = [dict(r, missed=int(r["missed"]) if r["missed"] else "") for r in csv.DictReader(handle)]
    rows = measured(raw, weeks=int(args[1]) if len(args) > 1 else _weeks(raw))
    factors = [set(r["factors"].split()) for r in rows]
    labels = [r["missed"] == 1 for r in rows]
    kinds = sorted(WEIGHTS)
    fitted = fit(factors, labels, kinds)
    print(f"{len(rows)} sessions, {sum(labels)} missed. Factor: sessions with it, score OR, fitted OR")
    for kind in kinds:
        seen = sum(kind in f for f in factors)
        print(f"  {kind:<17}{seen:>6}{math.exp(WEIGHTS[kind]):>8.2f}{math.exp(fitted[kind]):>8.2f}")
    as_is = auc([sum(WEIGHTS[k] for k in f) for f in factors], labels)
    refit = auc([sum(fitted[k] for k in f) for f in factors], labels)
    print(f"AUC with the score's weights {as_is:.3f}; with the fitted weights {refit:.3f}")
    return 0


def _weeks(rows) -> int:
    from datetime import datetime

    from sim.engine import START

    last = max((datetime.fromisoformat(r["start"]) for r in rows), default=START)
    return max(1, (last - START).days // 7)  # a session just past the end is the run's last day


if __name__ == "__main__":
    sys.exit(main())
