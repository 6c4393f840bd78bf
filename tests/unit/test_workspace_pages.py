"""The workspace's read side (workspace_pages, workspace_access) and its small writes
(practice settings, booking rules, the inbox) on the in-memory store."""
from datetime import timedelta

import pytest

from portal.domain.audit import Actor
from portal.domain.errors import NotFound, StaleVersion, ValidationError
from portal.domain.model import InboxItem, Mode, PracticeSettings
from portal.services.sessions.booking import book_open_time
from portal.services.workspace import access, inbox
from portal.services.workspace import pages as workspace_pages
from portal.services.workspace import settings as practice
from tests import builders
from tests.conftest import T0

TUE_10 = T0 + timedelta(days=1, hours=1)  # Tuesday 10:00 in New York


@pytest.fixture
def two_practices(store):
    maya, alex = builders.practice(store)
    sam = builders.therapist("ther02", name="Sam Lee")
    jo = builders.client("cli002", tid=sam.id, first_name="Jo")
    builders.practice(store, sam, c=jo)
    admin = builders.therapist("adm01", name="Pat Admin", role="admin")
    store.add_therapist(admin)
    return maya, alex, sam, jo, admin


# --- who sees what ------------------------------------------------------------------------------
def test_a_therapist_sees_only_their_own_and_the_admin_sees_everyones(deps, two_practices):
    maya, alex, sam, jo, admin = two_practices
    theirs = book_open_time(deps, sam, jo, TUE_10, Mode.TELE, actor=Actor.system("test"))
    assert access.visible_client(deps, maya, alex.id) == alex
    assert access.visible_client(deps, maya, jo.id) is None
    assert access.visible_appointment(deps, maya, theirs.id) is None
    assert access.visible_therapist(deps, maya, sam.id) is None
    assert access.colleagues(deps, maya) == []
    assert access.visible_client(deps, admin, jo.id) == jo
    assert access.visible_appointment(deps, admin, theirs.id).appointment == theirs
    assert access.visible_therapist(deps, admin, sam.id) == sam
    assert {t.id for t in access.colleagues(deps, admin)} == {maya.id, sam.id, admin.id}


# --- pages --------------------------------------------------------------------------------------
def test_the_client_page_lists_sessions_newest_first_and_only_open_times(deps, store):
    maya, alex = builders.practice(store)
    first = book_open_time(deps, maya, alex, TUE_10, Mode.IN_PERSON, actor=Actor.system("test"))
    later = book_open_time(deps, maya, alex, TUE_10 + timedelta(days=1), Mode.IN_PERSON,
                           actor=Actor.system("test"))
    view = workspace_pages.client_page(deps, alex, maya, maya)
    assert [a.id for a in view.sessions] == [later.id, first.id]
    starts = [s.start for _, slots in view.slot_days for s in slots]
    assert starts and first.start not in starts and later.start not in starts
    assert all(day <= next_day for (day, _), (next_day, _) in zip(view.slot_days, view.slot_days[1:]))


def test_the_appointment_page_offers_the_other_mode_and_knows_a_late_cancel(deps, store):
    store.save_settings(PracticeSettings(late_cancel_hours=48))  # the session is 25 hours away
    maya, alex = builders.practice(store)
    soon = book_open_time(deps, maya, alex, TUE_10, Mode.IN_PERSON, actor=Actor.system("test"))
    ctx = store.load_context(soon.id, alex.id, maya.id)
    view = workspace_pages.appointment_page(deps, ctx)
    assert view.can_switch_to is Mode.TELE and view.late and not view.started and not view.outside
    assert [e.action for e in view.audit] == ["booked"]


# --- small writes -------------------------------------------------------------------------------
def settings_values(**kw):
    values = {"display_name": "Riverbend", "contact_phone": "", "late_cancel_hours": "24",
              "min_notice_hours": "12", "booking_horizon_days": "28", "nudge_hours": "24",
              "quiet_start": "21:00", "quiet_end": "08:00", "cost_text": "", "crisis_text": "Call 988.",
              "tele_link_template": "", "version": "0"}
    values.update(kw)
    return values


def test_settings_are_checked_whole_and_a_rejected_form_changes_nothing(deps, store):
    rows = [{"hours_before": "48", "channels": ["email"]}, {"hours_before": "soon", "channels": ["sms"]}]
    with pytest.raises(practice.SettingsProblems) as refused:
        practice.change_settings(deps, settings_values(display_name=""), rows)
    assert set(refused.value.fields) == {"display_name"} and set(refused.value.rows) == {1}
    assert store.get_settings() == PracticeSettings()
    saved = practice.change_settings(deps, settings_values(), rows[:1])
    assert practice.current_settings(deps).display_name == "Riverbend" == saved.display_name
    with pytest.raises(StaleVersion):  # a form opened before that save
        practice.change_settings(deps, settings_values(display_name="Old tab"), rows[:1])
    assert practice.current_settings(deps).display_name == "Riverbend"


def test_booking_rules_need_whole_numbers_and_a_current_version(deps, store):
    with pytest.raises(ValidationError, match="whole numbers"):
        practice.change_booking_rules(deps, "twelve", "28", "0")
    with pytest.raises(ValidationError, match="between 1 and 365"):
        practice.change_booking_rules(deps, "12", "400", "0")
    practice.change_booking_rules(deps, "6", "60", "0")
    assert (store.get_settings().min_notice_hours, store.get_settings().booking_horizon_days) == (6, 60)
    with pytest.raises(StaleVersion):
        practice.change_booking_rules(deps, "1", "10", "0")
    assert store.get_settings().min_notice_hours == 6


def test_only_ones_own_inbox_item_can_be_marked_handled(deps, store, two_practices):
    maya, alex, sam, jo, _ = two_practices
    store.add_inbox(InboxItem(sam.id, T0, "note", jo.id, text="running late", id="i1"))
    with pytest.raises(NotFound):
        inbox.mark_handled(deps, maya, "i1")
    assert [i.handled for i in store.inbox(sam.id)] == [False]
    inbox.mark_handled(deps, sam, "i1")
    assert [i.handled for i in store.inbox(sam.id)] in ([True], [])


def test_the_wait_before_confirming_a_change_is_set_within_0_to_30_minutes(deps, store):
    rows = [{"hours_before": "24", "channels": ["email"]}]
    assert practice.change_settings(deps, settings_values(), rows).change_grace_minutes == 3  # blank: default
    for bad in ("31", "-1", "soon"):
        with pytest.raises(practice.SettingsProblems) as refused:
            practice.change_settings(deps, settings_values(change_grace_minutes=bad, version="1"), rows)
        assert set(refused.value.fields) == {"change_grace_minutes"}
    saved = practice.change_settings(deps, settings_values(change_grace_minutes="0", version="1"), rows)
    assert saved.change_grace_minutes == 0 == store.get_settings().change_grace_minutes
