"""How well a score ranks what happened: AUC, a bootstrap interval over clients, and a
calibration table per level. Plain Python (no numpy), small enough to test by hand."""
from __future__ import annotations

import random
from collections import defaultdict


def auc(scores: list[float], labels: list[bool]) -> float | None:
    """The chance a random missed session scores above a random attended one (ties count
    half): the Mann-Whitney U over the two counts. None when either side is empty."""
    positives = sum(1 for y in labels if y)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum, n = 0.0, 0
    while n < len(order):  # equal scores share the mean of their ranks
        end = n
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[n]]:
            end += 1
        mean_rank = (n + end) / 2 + 1
        rank_sum += mean_rank * sum(1 for i in order[n:end + 1] if labels[i])
        n = end + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def bootstrap_auc(scores: list[float], labels: list[bool], clusters: list, *, reps: int = 300,
                  seed: int = 1, level: float = 0.95) -> tuple[float, float] | None:
    """A percentile interval for the AUC, resampling whole clients (a client's sessions are not
    independent of each other). Seeded, so a run's interval is reproducible."""
    members = defaultdict(list)
    for n, cluster in enumerate(clusters):
        members[cluster].append(n)
    groups = list(members.values())
    if len(groups) < 2:
        return None
    rng = random.Random(seed)
    found = []
    for _ in range(reps):
        picked = [i for _ in groups for i in rng.choice(groups)]
        value = auc([scores[i] for i in picked], [labels[i] for i in picked])
        if value is not None:
            found.append(value)
    if not found:
        return None
    found.sort()
    tail = (1 - level) / 2
    return found[int(tail * (len(found) - 1))], found[int(round((1 - tail) * (len(found) - 1)))]


def calibration(levels: list[str], labels: list[bool], order: tuple[str, ...]) -> list[tuple]:
    """(level, sessions, share of sessions, share missed) for each level in ``order``."""
    total = len(levels) or 1
    out = []
    for level in order:
        picked = [y for lv, y in zip(levels, labels) if lv == level]
        missed = sum(picked) / len(picked) if picked else 0.0
        out.append((level, len(picked), len(picked) / total, missed))
    return out
