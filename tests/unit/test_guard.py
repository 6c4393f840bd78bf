"""How a scheduled run ends (functions/_guard.py): a whole-run failure raises RunFailed, so
Lambda counts an error and the alarm fires; never a TypeError, because Zappa would call the
handler again (DESIGN.md, Deployment); one message that fails is counted, not raised."""
import importlib
import logging
from datetime import datetime, timedelta, timezone

import pytest

from devstack.localstack import Scheduler
from devstack.schedule import scheduled_functions
from functions._guard import HandlerFailed, RunFailed, guarded
from portal.domain.audit import Actor
from portal.domain.model import Channel, Mode
from portal.services.sessions import booking
from portal.wiring import Container, set_default_container
from tests import builders

SCHEDULED = scheduled_functions("dev")  # every scheduled function zappa_settings.json lists


class UnreachableStore:
    """A table that cannot be reached: every call fails, as when DynamoDB is down."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("could not connect to the endpoint URL")
        return fail


@pytest.fixture
def unreachable(config, clock, notifier, links):
    container = Container(config, clock=clock, store=UnreachableStore(), notifier=notifier, links=links)
    set_default_container(container)
    yield container
    set_default_container(None)


def handler_of(fn):
    module, _, attribute = fn.target.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def test_zappa_schedules_the_five_runs_these_tests_cover():
    assert set(SCHEDULED) == {"reminders", "waitlist", "followups", "checkins", "digest"}


@pytest.mark.parametrize("name", sorted(SCHEDULED))
def test_a_run_that_fails_as_a_whole_raises_a_run_failure_and_logs_which_run(name, unreachable, caplog):
    handler = handler_of(SCHEDULED[name])
    with caplog.at_level(logging.ERROR, logger="attune.functions"), \
            pytest.raises(RunFailed) as failure:
        handler({"detail-type": "Scheduled Event"}, None)
    assert not isinstance(failure.value, TypeError)
    assert isinstance(failure.value, RuntimeError)
    assert isinstance(failure.value.__cause__, ConnectionError)
    [record] = [r for r in caplog.records if r.getMessage() == "scheduled run failed"]
    assert record.function == name and record.exc_info[0] is ConnectionError


def test_a_type_error_inside_a_run_comes_out_as_a_run_failure(handlers):
    def work(deps, should_stop):
        raise TypeError("unsupported operand type(s)")

    with pytest.raises(RunFailed) as failure:
        guarded("reminders", work)
    assert type(failure.value) is RunFailed and not isinstance(failure.value, TypeError)
    assert isinstance(failure.value.__cause__, TypeError)
    assert "reminders run failed (TypeError)" in str(failure.value)


def test_a_run_that_works_returns_its_summary_and_logs_its_counts(handlers, caplog):
    with caplog.at_level(logging.INFO, logger="attune.functions"):
        assert guarded("digest", lambda deps, stop: {"sent": 3}) == {"sent": 3}
    [record] = [r for r in caplog.records if r.getMessage() == "scheduled run finished"]
    assert record.function == "digest" and record.summary == {"sent": 3}


def test_one_message_that_fails_is_counted_and_does_not_fail_the_run(store, clock, notifier, deps, handlers):
    from functions import reminders

    therapist, client = builders.practice(store, c=builders.client(channels=(Channel.EMAIL,)))
    start = datetime(2026, 3, 6, 20, 0, tzinfo=timezone.utc)
    booking.record_booking(deps, therapist, client, start, Mode.IN_PERSON,
                             actor=Actor.system("test"))

    def rejected(email):
        raise RuntimeError("MessageRejected: address is not verified")

    notifier.send_email = rejected
    clock.set(start - timedelta(hours=24))
    summary = reminders.handler({"detail-type": "Scheduled Event"}, None)  # no raise
    assert summary["failed"] == 1 and summary["sent"] == 0


def test_the_dev_scheduler_logs_a_failed_run_and_keeps_firing_the_others(unreachable, clock):
    scheduler = Scheduler(unreachable, SCHEDULED)
    clock.advance(timedelta(hours=2))  # every rate() has come round
    scheduler.tick()  # must not raise
    ran = dict(scheduler.runs)
    assert set(ran) == set(SCHEDULED)
    assert all("run failed" in summary["error"] for summary in ran.values())
    clock.advance(timedelta(hours=2))
    scheduler.tick()  # and it fires them again on their next time
    assert len(scheduler.runs) == 2 * len(SCHEDULED)


def test_event_and_run_failures_share_a_base_the_dev_stack_catches():
    from functions._guard import EventFailed

    assert issubclass(RunFailed, HandlerFailed) and issubclass(EventFailed, HandlerFailed)
    assert not issubclass(HandlerFailed, TypeError)
