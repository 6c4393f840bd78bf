"""Erasure on request: identifying data gone from every attribute of every item, the figures
unchanged, future sessions cancelled without a message, links answering 410, a tombstone,
and a second run changing nothing."""
import pytest

from portal.domain.messages import PENDING
from portal.domain.model import Status
from portal.services.privacy.erasure import ErasureRefused, erase_client
from portal.services.workspace import figures as stats
from tests.privacy_support import SENTINELS, erasable_client, items_holding
from tests.workspace_support import MAYA, SAM, Web, app_on, seeded


@pytest.fixture
def practice(deps):
    seeded(deps)
    client, ahead = erasable_client(deps)
    return deps, client, ahead


def _figures(deps):
    admin = deps.store.get_therapist("mchen1")
    f = stats.attendance_figures(deps, admin)
    return f.practice, f.by_weekday, f.by_hour, f.barriers, [(t.id, r) for t, r in f.therapists]


def test_erasure_leaves_no_erased_value_in_any_attribute_of_any_item(practice):
    deps, client, _ = practice
    assert items_holding(deps.store.table._items.values(), SENTINELS.values())  # the search finds them before
    erase_client(deps, client.id, "mchen1")
    assert items_holding(deps.store.table._items.values(), SENTINELS.values()) == []


def test_the_practice_figures_are_the_same_before_and_after(practice):
    deps, client, _ = practice
    before = _figures(deps)
    erase_client(deps, client.id, "mchen1")
    assert _figures(deps) == before
    assert before[0][90].due > 0  # the figures counted the erased client's sessions


def test_future_sessions_are_cancelled_first_and_nothing_is_sent(practice):
    deps, client, ahead = practice
    sent_before = len(deps.notifier.sent)
    erased = erase_client(deps, client.id, "mchen1")
    assert erased.cancelled == 2
    for appointment in ahead:
        assert deps.store.get_appointment(appointment.id).status is Status.CANCELLED
        assert [m for m in deps.store.messages_of(appointment.id) if m.status == PENDING] == []
    assert len(deps.notifier.sent) == sent_before


def test_released_time_can_be_booked_again(practice):
    deps, client, ahead = practice
    erase_client(deps, client.id, "mchen1")
    slot_keys = [k for k in deps.store.table._items if k[0].startswith("SLOT#") and
                 deps.store.table._items[k].get("appointment_id") in {a.id for a in ahead}]
    assert slot_keys == []


def test_a_tombstone_says_who_erased_whom_and_when(practice):
    deps, client, _ = practice
    erase_client(deps, client.id, "mchen1")
    stone = deps.store.tombstone(client.id)
    assert (stone.client_id, stone.erased_by, stone.erased_at) == (client.id, "mchen1", deps.clock.now())


def test_erasing_twice_or_an_unknown_client_changes_nothing_and_says_so(practice):
    deps, client, _ = practice
    erase_client(deps, client.id, "mchen1")
    snapshot = dict(deps.store.table._items)
    with pytest.raises(ErasureRefused, match="erased already"):
        erase_client(deps, client.id, "mchen1")
    with pytest.raises(ErasureRefused, match="no client with that id"):
        erase_client(deps, "cnobody", "mchen1")
    assert deps.store.table._items == snapshot


def test_a_wrong_typed_name_erases_nothing(practice):
    deps, client, _ = practice
    snapshot = dict(deps.store.table._items)
    with pytest.raises(ErasureRefused, match="type the client's first name"):
        erase_client(deps, client.id, "mchen1", confirmation="Zeb")
    assert deps.store.table._items == snapshot


def test_the_erased_clients_links_answer_410(practice):
    deps, client, ahead = practice
    app = app_on(deps)
    token = deps.links.token(ahead[0])
    assert app.test_client().get(f"/a/{token}").status_code == 200
    erase_client(deps, client.id, "mchen1")
    answer = app.test_client().get(f"/a/{token}")
    assert answer.status_code == 410
    assert SENTINELS["first"] not in answer.get_data(as_text=True)


def test_the_admin_erases_behind_the_typed_first_name(practice):
    deps, client, _ = practice
    web = Web(app_on(deps))
    web.login(MAYA)
    assert web.get(f"/t/clients/{client.id}/erase").status_code == 200
    wrong = web.post(f"/t/clients/{client.id}/erase", {"confirm_name": "someone"})
    assert wrong.status_code == 400 and "Nothing was changed" in wrong.get_data(as_text=True)
    assert deps.store.get_client(client.id).first_name == SENTINELS["first"]
    done = web.post(f"/t/clients/{client.id}/erase", {"confirm_name": SENTINELS["first"].lower()})
    assert done.status_code == 302
    assert deps.store.get_client(client.id).erased


def test_a_therapist_gets_404_for_erase_export_and_the_access_log(practice):
    deps, client, _ = practice
    web = Web(app_on(deps))
    web.login(SAM)
    sam_client = deps.store.list_clients("sokaf1")[0]
    for c in (client, sam_client):
        assert web.get(f"/t/clients/{c.id}/erase").status_code == 404
        assert web.post(f"/t/clients/{c.id}/erase", {"confirm_name": c.first_name}).status_code == 404
        assert web.post(f"/t/clients/{c.id}/export").status_code == 404
        assert web.get(f"/t/clients/{c.id}/access-log").status_code == 404
    assert not deps.store.get_client(sam_client.id).erased


def test_the_command_line_exports_and_erases(practice, tmp_path):
    deps, client, _ = practice
    runner = app_on(deps).test_cli_runner()
    out = tmp_path / "export.zip"
    done = runner.invoke(args=["export-client", client.id, "--out", str(out)])
    assert done.exit_code == 0 and out.stat().st_size > 0 and "8 sessions" in done.output
    refused = runner.invoke(args=["erase-client", client.id], input="Wrong\n")
    assert refused.exit_code == 1 and not deps.store.get_client(client.id).erased
    erased = runner.invoke(args=["erase-client", client.id], input=f"{SENTINELS['first']}\n")
    assert erased.exit_code == 0 and "2 future sessions cancelled" in erased.output
    again = runner.invoke(args=["erase-client", client.id, "--yes"])
    assert again.exit_code == 1 and "erased already" in again.output
    unknown = runner.invoke(args=["export-client", "cnobody"])
    assert unknown.exit_code == 1 and "no client with that id" in unknown.output
