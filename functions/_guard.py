"""What every handler shares: the container, a time budget, and how a failure ends.

Two kinds of handler, two endings:

- Scheduled runs (reminders, follow-ups, check-ins, digest, waitlist) go through ``guarded``.
  One message that cannot be sent is logged by the service, counted in the run's summary
  (``failed``) and tried again by a later run. A run that fails as a whole (the table
  unreachable, a bug) is logged and raised as ``RunFailed``, so that Lambda counts an error
  and the errors alarm (infra/template.yaml) tells the admin. Their cursors and once-only
  claims make every run idempotent, so a retried or the next scheduled run picks up where
  this one stopped.
- Event-driven handlers (inbound SMS, SES events) go through ``event_handled``: a failure
  is logged and then raised as ``EventFailed``, so the platform retries the event (Lambda's
  asynchronous retries). An event comes once; swallowing its failure would lose it, a STOP
  among them. Their services handle each message once (``portal.services.messaging.inbound``).

Neither lets a ``TypeError`` escape: Zappa then calls the handler again as
``handler(event)`` and ``handler()``, re-running its side effects. ``RunFailed`` and
``EventFailed`` are ``RuntimeError``s, chained from their cause.
"""
import logging
from datetime import timedelta

from portal.logs import configure_logging

configure_logging()  # JSON lines, allow-listed fields (portal/logs.py): no PHI in the logs
log = logging.getLogger("attune.functions")
SAFETY_MS = 20_000  # stop starting new sends this long before Lambda's timeout


class HandlerFailed(RuntimeError):
    """A handler failed as a whole. A RuntimeError, never a TypeError (see above)."""


class RunFailed(HandlerFailed):
    """A scheduled run failed as a whole: Lambda should count an error."""


class EventFailed(HandlerFailed):
    """An event-driven handler failed: the platform should deliver the event again."""


def time_budget(context):
    """A should_stop() for the run: true when the Lambda is about to time out."""
    remaining = _remaining_ms(context)
    if remaining is None:
        return None
    return lambda: remaining() < SAFETY_MS


def lock_for(context) -> timedelta:
    """How long an event's lock must hold: until this Lambda would time out (Powertools
    does the same), or the services' default outside Lambda."""
    from portal.services.messaging.inbound import LOCK_FOR

    remaining = _remaining_ms(context)
    return timedelta(milliseconds=remaining() + 1000) if remaining else LOCK_FOR


def _remaining_ms(context):
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return remaining if callable(remaining) else None


def _deps():
    from portal.wiring import default_container

    return default_container().deps


def guarded(name, work, context=None):
    """A scheduled run: ``work(deps, should_stop)`` with the default container. Returns its
    summary; a whole-run failure is logged and raised as RunFailed (never a TypeError)."""
    try:
        summary = work(_deps(), time_budget(context))
    except Exception as problem:  # noqa: BLE001 - see the module docstring
        # The name goes in ``function``: the JSON logs drop string arguments (portal/logs.py).
        log.exception("scheduled run failed", extra={"function": name, "event": "run_failed"})
        raise RunFailed(f"the {name} run failed ({type(problem).__name__}); "
                        "the next scheduled run will try again") from problem
    log.info("scheduled run finished", extra={"function": name, "event": "run_finished",
                                              "summary": summary})
    return summary


def event_handled(name, work, context=None):
    """An event: ``work(deps, lock_for)`` with the default container. A failure is logged and
    raised as EventFailed (never a TypeError) so that the platform retries the event."""
    try:
        return work(_deps(), lock_for(context))
    except Exception as problem:  # noqa: BLE001 - see the module docstring
        log.exception("event handler failed; the event will be retried",
                      extra={"function": name, "event": "event_failed"})
        raise EventFailed(f"the {name} handler failed ({type(problem).__name__}); "
                          "the event will be retried") from problem
