"""What every handler shares: the container, a time budget, and no escaping exception.

Zappa calls a handler again as ``handler(event)`` and ``handler()`` when a ``TypeError``
escapes it, which would re-run a run's side effects; so nothing escapes. A failed run is
logged and reported in its summary; the next scheduled run picks up where it stopped
(every run is idempotent).
"""
import logging

log = logging.getLogger("attune.functions")
SAFETY_MS = 20_000  # stop starting new sends this long before Lambda's timeout


def time_budget(context):
    """A should_stop() for the run: true when the Lambda is about to time out."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return None
    return lambda: remaining() < SAFETY_MS


def guarded(name, work, context=None):
    """``work(deps, should_stop)`` with the default container; never raises."""
    try:
        from portal.wiring import default_container

        return work(default_container().deps, time_budget(context))
    except Exception as problem:  # noqa: BLE001 - see the module docstring
        log.exception("%s failed", name)
        return {"error": f"{type(problem).__name__}: the {name} run failed; see the log"}
