"""Retention: the windows, the practice's settings for them, and reads that treat an item past
its ``expires_at`` as absent (DynamoDB's TTL deletes late)."""
from dataclasses import replace
from datetime import date, timedelta

import pytest

from devstack.outbox import SentLog, read_outbox
from portal.adapters.aws.senders import FakeNotifier
from portal.domain.errors import ValidationError
from portal.domain.model import PracticeSettings
from portal.domain.retention import (
    AUDIT_RETENTION,
    BODY_DAYS,
    MARKER_DAYS,
    SIGN_IN_COUNTER,
    expired,
    marker_expiry,
)
from portal.interfaces import Email
from portal.services.workspace import settings as practice
from tests.conftest import T0


def test_the_documented_defaults():
    assert (BODY_DAYS, MARKER_DAYS, SIGN_IN_COUNTER) == (90, 30, timedelta(days=1))
    assert AUDIT_RETENTION >= timedelta(days=6 * 365 + 1)
    s = PracticeSettings()
    assert (s.body_days, s.marker_days) == (90, 30)


def test_an_item_expires_at_its_second_not_before():
    item = {"expires_at": int(T0.timestamp())}
    assert not expired(item, T0 - timedelta(seconds=1))
    assert expired(item, T0)
    assert not expired({"sk": "x"}, T0) and not expired(None, T0)  # no expiry: kept


@pytest.mark.parametrize("body, marker", [(6, 30), (366, 30), (90, 6), (90, 91)])
def test_the_windows_stay_within_safe_bounds(body, marker):
    with pytest.raises(ValidationError):
        PracticeSettings(body_days=body, marker_days=marker)


def _form(**changes):
    values = {"display_name": "Riverbend", "late_cancel_hours": "24", "min_notice_hours": "12",
              "booking_horizon_days": "28", "nudge_hours": "24", "quiet_start": "21:00",
              "quiet_end": "08:00", "crisis_text": "Call 988.", "version": "0"}
    return {**values, **changes}


def test_the_admin_changes_the_windows_on_the_settings_page(deps, store):
    saved = practice.change_settings(deps, _form(body_days="30", marker_days="14"), [])
    assert (store.get_settings().body_days, store.get_settings().marker_days) == (30, 14)
    with pytest.raises(practice.SettingsProblems) as problems:
        practice.change_settings(deps, _form(body_days="3", marker_days="365", version=str(saved.version)), [])
    assert "between 7 and 365" in problems.value.fields["body_days"]
    assert "between 7 and 90" in problems.value.fields["marker_days"]
    assert store.get_settings().body_days == 30  # a rejected form leaves them as they were


def test_markers_are_kept_for_the_practices_window(deps, store, clock):
    from portal.domain.audit import Actor
    from portal.domain.model import Mode
    from portal.services.messaging.digest import send_digests
    from portal.services.sessions import booking
    from tests import builders

    store.save_settings(PracticeSettings(marker_days=7))
    therapist, client = builders.practice(store)
    booking.record_booking(deps, therapist, client, T0 + timedelta(hours=3), Mode.IN_PERSON,
                           actor=Actor.system("test"))
    clock.set(T0.replace(hour=12))  # 07:00 in New York: digest time
    assert send_digests(deps)["sent"] == 1
    record = store.table.get(f"THER#{therapist.id}", f"DIGEST#{date(2026, 3, 2).isoformat()}")
    assert record["expires_at"] == marker_expiry(clock.now(), 7)


def test_a_claim_on_an_expired_marker_succeeds_though_the_ttl_has_not_run(store, clock):
    store.finish_followup("appt01", "run-a", marker_expiry(clock.now(), 7))
    assert not store.claim_followup("appt01", "run-b")
    clock.advance(timedelta(days=7))
    assert store.claim_followup("appt01", "run-b")


def test_the_dev_outboxs_message_bodies_go_after_the_body_window(store, clock):
    store.save_settings(replace(PracticeSettings(), body_days=7))
    log = SentLog(FakeNotifier(), store, clock)
    log.send_sms("+12025550100", "See you Tuesday")
    log.send_email(Email(to="a@example.org", subject="Hi", text="A body", html="<p>A body</p>"))
    assert len(read_outbox(store)) == 2
    clock.advance(timedelta(days=7))
    assert read_outbox(store) == []  # still in the table until the TTL runs; read as gone
