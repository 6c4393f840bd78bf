"""The risk score measured where it is used: from sessions.csv's rows, per scenario (seeds
pooled), on the quarter's last 6 weeks, missed (no-show or late cancel) against attended."""
from __future__ import annotations

from datetime import datetime, timedelta

from sim.ranking import auc, bootstrap_auc, calibration

LAST_WEEKS = 6
LEVELS = ("Low", "Medium", "High")
HEADLINE = "everything"  # the calibration table's scenario, when it ran


def measured(rows: list[dict], weeks: int) -> list[dict]:
    """Sessions in the last ``LAST_WEEKS`` weeks that were either attended or missed."""
    from sim.engine import START

    since = START + timedelta(weeks=max(0, weeks - LAST_WEEKS))
    return [r for r in rows if r["missed"] in (0, 1) and datetime.fromisoformat(r["start"]) >= since]


def summary(rows: list[dict], seed: int = 1) -> dict:
    """The figures for one set of sessions: AUCs, the interval over clients, levels."""
    labels = [r["missed"] == 1 for r in rows]
    scores = [float(r["score"]) for r in rows]
    clients = [(r["seed"], r["client_id"]) for r in rows]
    rank = {level: n for n, level in enumerate(LEVELS)}
    return {"sessions": len(rows), "missed": sum(labels) / len(rows) if rows else 0.0,
            "auc": auc(scores, labels), "interval": bootstrap_auc(scores, labels, clients, seed=seed),
            "oracle_auc": auc([float(r["oracle"]) for r in rows], labels),
            "traits_auc": auc([float(r["oracle_traits"]) for r in rows], labels),
            "level_auc": auc([rank[r["level"]] for r in rows], labels),
            "levels": calibration([r["level"] for r in rows], labels, LEVELS)}


def text(rows: list[dict], *, weeks: int, seed: int = 1) -> str:
    kept = measured(rows, weeks)
    by_scenario: dict[str, list[dict]] = {}
    for row in kept:
        by_scenario.setdefault(row["scenario"], []).append(row)
    out = [f"Risk score 24 h before each session (last {LAST_WEEKS} weeks; missed = no-show or late "
           "cancel, against attended; interval: 95% bootstrap over clients). Oracle: the simulator's "
           "own chance; Traits: the same without what clients decided and told no one; Level: the "
           "level alone:",
           f"  {'Scenario':<11}{'Sess':>6}{'Miss%':>7}  {'AUC [95%]':<20}{'Oracle':>7}{'Traits':>7}{'Level':>7}"
           f"   {'High% / Med% / Low%':<20}{'missed% High / Med / Low':<24}"]
    for scenario, picked in by_scenario.items():
        s = summary(picked, seed)
        out.append(f"  {scenario:<11}{s['sessions']:>6}{100 * s['missed']:>7.1f}  {_auc(s):<20}"
                   f"{_f(s['oracle_auc']):>7}{_f(s['traits_auc']):>7}{_f(s['level_auc']):>7}   "
                   f"{_shares(s, 2):<20}{_shares(s, 3)}")
    headline = by_scenario.get(HEADLINE) or (list(by_scenario.values())[-1] if by_scenario else [])
    if headline:
        s = summary(headline, seed)
        out.append(f"Calibration ({headline[0]['scenario']}): level, sessions, share of sessions, share missed")
        out += [f"  {level:<7}{n:>6}{100 * share:>7.1f}%{100 * missed:>7.1f}%"
                for level, n, share, missed in reversed(s["levels"])]
    return "\n".join(out)


def _f(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _auc(s) -> str:
    low_high = s["interval"]
    return _f(s["auc"]) + (f" [{low_high[0]:.3f}-{low_high[1]:.3f}]" if low_high else "")


def _shares(s, column) -> str:
    high, medium, low = (row[column] for row in reversed(s["levels"]))
    return f"{100 * high:.1f} / {100 * medium:.1f} / {100 * low:.1f}"
