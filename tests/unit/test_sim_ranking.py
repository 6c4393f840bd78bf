"""The ranking maths the simulated practice reports, on inputs small enough to check by hand."""
import pytest

from sim.ranking import auc, bootstrap_auc, calibration


def test_auc_is_one_when_every_miss_scores_above_every_attended_session():
    assert auc([0.1, 0.2, 0.8, 0.9], [False, False, True, True]) == 1.0
    assert auc([0.9, 0.8, 0.2, 0.1], [False, False, True, True]) == 0.0


def test_auc_counts_pairs_and_ties_count_half():
    # pairs (miss, kept): (0.5 vs 0.1) win, (0.5 vs 0.5) tie, (0.3 vs 0.1) win, (0.3 vs 0.5) loss
    assert auc([0.1, 0.5, 0.5, 0.3], [False, False, True, True]) == pytest.approx(2.5 / 4)
    assert auc([1, 1, 1, 1], [True, False, True, False]) == 0.5


def test_auc_needs_both_outcomes():
    assert auc([0.1, 0.2], [True, True]) is None


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    scores = [n % 7 + (3 if n % 5 == 0 else 0) for n in range(200)]
    labels = [n % 5 == 0 or n % 11 == 0 for n in range(200)]
    clients = [n // 4 for n in range(200)]
    low, high = bootstrap_auc(scores, labels, clients, reps=200, seed=3)
    assert (low, high) == bootstrap_auc(scores, labels, clients, reps=200, seed=3)
    assert low < auc(scores, labels) < high
    assert bootstrap_auc(scores, labels, clients, reps=200, seed=4) != (low, high)


def test_bootstrap_resamples_whole_clients():
    # one client holds every session: resampling clients gives the same sample each time
    scores, labels = [0.1, 0.9, 0.4, 0.6], [False, True, False, True]
    assert bootstrap_auc(scores, labels, ["c1"] * 4, reps=50) is None
    assert bootstrap_auc(scores, labels, ["c1", "c1", "c2", "c2"], reps=50) == (1.0, 1.0)


def test_calibration_gives_sessions_shares_and_share_missed_per_level():
    rows = calibration(["Low", "Low", "High", "Medium", "Low", "High"],
                       [False, True, True, False, False, True], ("Low", "Medium", "High"))
    assert rows == [("Low", 3, 0.5, pytest.approx(1 / 3)), ("Medium", 1, pytest.approx(1 / 6), 0.0),
                    ("High", 2, pytest.approx(1 / 3), 1.0)]


def test_the_fit_recovers_known_odds_ratios_from_seeded_data():
    import math
    import random

    from sim.fit_risk import fit

    rng, truth = random.Random(7), {"a": math.log(4.0), "b": 0.0, "c": math.log(2.0)}
    rows, labels = [], []
    for _ in range(6000):
        on = {k for k in truth if rng.random() < 0.3}
        odds = math.exp(-2.0 + sum(truth[k] for k in on))
        rows.append(on)
        labels.append(rng.random() < odds / (1 + odds))
    fitted = fit(rows, labels, sorted(truth))
    assert fitted == fit(rows, labels, sorted(truth))  # the same data, the same weights
    for kind, weight in truth.items():
        assert abs(fitted[kind] - weight) < 0.2
    assert abs(fitted["intercept"] + 2.0) < 0.15
