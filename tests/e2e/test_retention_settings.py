"""The practice page's retention windows, through the Flask test client."""
import pytest

from tests.workspace_support import MAYA, Web, seeded, text


@pytest.fixture(autouse=True)
def demo_practice(deps):
    return seeded(deps)


def test_the_admin_sets_how_long_texts_and_sending_records_are_kept(app, deps):
    maya = Web(app)
    maya.login(MAYA)
    page = maya.get("/t/settings").get_data(as_text=True)
    assert "How long records are kept" in page
    assert 'name="body_days"' in page and 'value="90"' in page and 'value="30"' in page
    s = deps.store.get_settings()
    data = {"version": str(s.version), "display_name": s.display_name, "late_cancel_hours": "24",
            "min_notice_hours": "12", "booking_horizon_days": "28", "nudge_hours": "24",
            "reminders-0-hours_before": "24", "reminders-0-channels": ["email"],
            "quiet_start": "21:00", "quiet_end": "08:00", "crisis_text": "Call or text 988."}
    bad = maya.post("/t/settings", dict(data, body_days="1000", marker_days="2"))
    assert bad.status_code == 400 and "between 7 and 365" in text(bad) and "between 7 and 90" in text(bad)
    assert maya.post("/t/settings", dict(data, body_days="60", marker_days="10")).status_code == 302
    saved = deps.store.get_settings()
    assert (saved.body_days, saved.marker_days) == (60, 10)
