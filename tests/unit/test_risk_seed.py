"""On the demo practice the risk score picks out a few sessions, not most of them."""
from devstack.seed import seed_demo
from portal.domain.risk_score import Level
from portal.services.workspace.dashboard import week_ahead


def test_high_marks_at_most_a_quarter_of_the_demo_sessions_and_the_struggling_client_leads(deps):
    seed_demo(deps, "demo-password-123")
    counts = {level: 0 for level in Level}
    top = {}
    for tid in ("mchen1", "sokaf1"):
        view = week_ahead(deps, [deps.store.get_therapist(tid)])
        for level, n in view.level_counts.items():
            counts[level] += n
        top[tid] = view.reach_out
        print(tid, {lv.value: n for lv, n in view.level_counts.items()},
              [(r.client_name, r.risk.points, [f.text for f in r.reasons]) for r in view.reach_out])
    upcoming = sum(counts.values())
    assert upcoming >= 10
    assert 2 <= counts[Level.HIGH] <= upcoming / 4  # a few, never most
    assert counts[Level.LOW] >= upcoming / 3  # most sessions need nothing from the therapist
    # Priya rated her week 1 of 5 (devstack.seed): Maya's list starts with her.
    assert top["mchen1"][0].client.first_name == "Priya"
    assert "Rated their week 1 of 5" in top["mchen1"][0].reasons[0].text or \
        any("Rated their week 1 of 5" in f.text for f in top["mchen1"][0].reasons)
    # Noor, who has missed before, said getting there is hard this week: Sam's list leads with her.
    noor = top["sokaf1"][0]
    assert noor.client.first_name == "Noor" and noor.risk.level is Level.HIGH
    assert "Said this is in the way: getting there (transportation)" in [f.text for f in noor.reasons]
