"""The scheduled functions as zappa_settings.json lists them, and their rate()/cron() times.

Used by the dev stack (its scheduler thread and the dev panel's "run now") so the
local stack fires exactly what AWS EventBridge will fire once deployed.
"""
from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from portal.paths import ZAPPA_SETTINGS

RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
CRON = re.compile(r"^cron\((.+)\)$")
UNITS = {"minute": 60, "hour": 3600, "day": 86400}
DAY_NAMES = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
MONTH_NAMES = {m: i for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}


@dataclass(frozen=True)
class ScheduledFunction:
    name: str  # short name: "reminders"
    target: str  # "functions.reminders.handler"
    expression: str

    def handler(self):
        module, _, attribute = self.target.rpartition(".")
        return getattr(importlib.import_module(module), attribute)

    def next_after(self, instant: datetime) -> datetime:
        return next_fire(self.expression, instant)


def short_name(target: str) -> str:
    """functions.reminders.handler -> reminders"""
    parts = target.split(".")
    return parts[-2] if len(parts) >= 2 else target


def scheduled_functions(stage: str = "dev", path=None) -> dict[str, ScheduledFunction]:
    settings = json.loads((path or ZAPPA_SETTINGS).read_text())
    stage_settings = settings.get(stage, {})
    events = stage_settings.get("events", [])
    found = {}
    for event in events:
        if "expression" not in event:
            continue  # event-driven (SNS) functions run when their topic fires, not on a clock
        fn = ScheduledFunction(short_name(event["function"]), event["function"], event["expression"])
        found[fn.name] = fn
    return found


def all_functions(stage: str = "dev") -> dict[str, str]:
    """Short name -> target for every function in the stage, scheduled or event-driven."""
    settings = json.loads((ZAPPA_SETTINGS).read_text())
    return {short_name(e["function"]): e["function"] for e in settings.get(stage, {}).get("events", [])}


# --- rate() and cron() ----------------------------------------------------------------------
def next_fire(expression: str, after: datetime) -> datetime:
    """The first moment strictly after ``after`` when the expression fires (UTC)."""
    after = after.astimezone(timezone.utc)
    rate = RATE.match(expression.strip())
    if rate:
        seconds = int(rate.group(1)) * UNITS[rate.group(2).rstrip("s")]
        if seconds <= 0:
            raise ValueError(f"bad rate: {expression}")
        epoch = after.timestamp()
        return datetime.fromtimestamp((epoch // seconds + 1) * seconds, timezone.utc)
    cron = CRON.match(expression.strip())
    if not cron:
        raise ValueError(f"not a rate() or cron() expression: {expression!r}")
    fields = cron.group(1).split()
    if len(fields) != 6:
        raise ValueError(f"cron() needs 6 fields (min hour day month weekday year): {expression!r}")
    minute, hour, dom, month, dow, year = fields
    minutes = _field(minute, 0, 59)
    hours = _field(hour, 0, 23)
    days = _field(dom, 1, 31)
    months = _field(month, 1, 12, MONTH_NAMES)
    weekdays = _field(dow, 1, 7, DAY_NAMES)  # AWS: 1 = Sunday
    years = _field(year, 1970, 2199)
    cursor = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    for _ in range(60 * 24 * 366 * 2):
        aws_weekday = (cursor.isoweekday() % 7) + 1
        if (cursor.minute in minutes and cursor.hour in hours and cursor.month in months
                and cursor.day in days and aws_weekday in weekdays and cursor.year in years):
            return cursor
        if cursor.hour not in hours or cursor.day not in days or aws_weekday not in weekdays:
            cursor = (cursor + timedelta(hours=1)).replace(minute=0)
        else:
            cursor += timedelta(minutes=1)
    raise ValueError(f"cron() never fires: {expression!r}")


def _field(text: str, low: int, high: int, names: dict | None = None) -> set[int]:
    if text in ("*", "?"):
        return set(range(low, high + 1))
    values = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/")
            step = int(step_text)
        if part in ("*", ""):
            first, last = low, high
        elif "-" in part:
            first, last = (_value(p, names) for p in part.split("-"))
        else:
            first = _value(part, names)
            last = high if step > 1 else first
        values.update(range(first, last + 1, step))
    if not values or min(values) < low or max(values) > high:
        raise ValueError(f"cron field {text!r} is out of range {low}-{high}")
    return values


def _value(text, names):
    if names and text.upper() in names:
        return names[text.upper()]
    return int(text)
