"""Client links on DynamoDB (moto, server mode): the call budget per action, and a cancel's
barrier, inbox record and audit event written together, with the confirmations sent."""
import re
from datetime import timedelta

from portal import create_app
from portal.domain.audit import Actor
from portal.domain.model import Barrier, Mode, Status
from portal.services.sessions.booking import book_open_time
from tests import builders
from tests.conftest import BASE_URL, T0
from tests.seed_support import seeded_demo
from tools.bench_client_calls import GOALS, lines, measure


def test_each_action_keeps_to_its_dynamodb_call_budget(aws):
    seeded_demo(aws.deps, "demo-password-123")
    calls, pages = measure(aws, create_app(aws.config, container=aws))
    for name, made in calls.items():
        own = [op for op, sending in made if not sending]
        sending = [op for op, during_send in made if during_send]
        assert "Scan" not in own + sending
        assert len(own) <= GOALS.get(name, 4), (name, own)
        assert sending == [], (name, sending)  # sending a confirmation reads nothing more
    assert calls["open the page"] == [("BatchGetItem", False)]
    assert [op for op, _ in calls["commit a reschedule"]] == ["BatchGetItem", "TransactWriteItems"]
    assert max(pages.values()) < 30 * 1024
    assert len(lines(calls, pages)) == len(calls) + 1


def test_a_cancel_on_dynamodb_keeps_what_the_client_said_and_tells_them(aws):
    store = aws.store
    therapist, client = builders.practice(store)
    a = book_open_time(aws.deps, therapist, client, T0 + timedelta(days=3, hours=1), Mode.IN_PERSON,
                       actor=Actor.system("test"))
    http = create_app(aws.config, container=aws).test_client()
    path = aws.links.appointment_url(a).removeprefix(BASE_URL)
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(path).get_data(as_text=True)).group(1)
    ses = aws.client("ses")
    sent_before = ses.get_send_quota()["SentLast24Hours"]
    answer = http.post(path + "/cancel", data={"csrf_token": token, "version": a.version,
                                              "barrier": "transport", "note": "The bus is on strike"})
    assert answer.status_code == 302
    stored = store.get_appointment(a.id, consistent=True)
    assert (stored.status, stored.barrier, stored.note) == \
        (Status.CANCELLED, Barrier.TRANSPORT, "The bus is on strike")
    [item] = store.inbox(therapist.id)
    assert (item.kind, item.appointment_id, item.text) == ("barrier", a.id, "The bus is on strike")
    assert [(e.actor, e.via) for e in store.audit_trail(a.id) if e.action == "cancelled"] == \
        [("client", "link")]
    assert ses.get_send_quota()["SentLast24Hours"] >= sent_before + 2  # the client and the therapist
    page = http.get(answer.headers["Location"])
    assert page.status_code == 200 and b"Your session is cancelled" in page.data
