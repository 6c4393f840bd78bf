"""Practice settings edited by the admin: what messages say, when reminders go, what counts as late."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, cast
from urllib.parse import urlparse

from portal.domain.errors import ValidationError
from portal.domain.model import CHANGE_GRACE_MAX, Channel, PracticeSettings, ReminderRule
from portal.domain.retention import BODY_DAYS, BODY_DAYS_RANGE, MARKER_DAYS, MARKER_DAYS_RANGE
from portal.interfaces import Deps
from portal.services.workspace.inputs import FormErrors, normalized_phone, parse_time

TEXT_MAX = 1000
REMINDER_RULES_MAX = 6


def _whole(raw: object, label: str, low: int, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValidationError(f"Please enter {label} as a whole number.") from None
    if not low <= value <= high:
        raise ValidationError(f"Please enter {label} between {low} and {high}.")
    return value


def reminder_rules(rows: list[dict]) -> tuple[tuple[ReminderRule, ...], dict[int, str]]:
    """Rows of hours_before + channels; blank or removed rows are dropped. Errors by row."""
    rules, errors, seen = [], {}, set()
    for n, row in enumerate(rows):
        if row.get("remove") or not str(row.get("hours_before") or "").strip():
            continue
        try:
            hours = _whole(row["hours_before"], "the hours before", 1, 24 * 14)
            channels = tuple(Channel(c) for c in row.get("channels") or ())
            if not channels:
                raise ValidationError("Pick at least one way to send this reminder.")
            if hours in seen:
                raise ValidationError(f"There is already a reminder {hours} hours before.")
        except (ValidationError, ValueError) as problem:
            errors[n] = str(problem) if isinstance(problem, ValidationError) else "Pick email, text or call."
            continue
        seen.add(hours)
        rules.append(ReminderRule(hours, channels))
    if len(rules) > REMINDER_RULES_MAX:
        errors[len(rows) - 1] = f"At most {REMINDER_RULES_MAX} reminders per session."
    return tuple(sorted(rules, key=lambda r: -r.hours_before)), errors


def settings_from_input(current: PracticeSettings, values: dict,
                        reminders: tuple[ReminderRule, ...]) -> PracticeSettings:
    """Validated settings at the version the form was opened with."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    out["display_name"] = (values.get("display_name") or "").strip()
    if not out["display_name"]:
        errors["display_name"] = "Please enter the name clients see in messages."
    elif len(out["display_name"]) > 60:
        errors["display_name"] = "Please keep the name under 60 characters (it goes in texts)."
    checks = (
        ("contact_phone", lambda v: _display_phone(v)),
        ("late_cancel_hours", lambda v: _whole(v, "the late-cancel window", 0, 336)),
        ("min_notice_hours", lambda v: _whole(v, "the minimum notice", 0, 336)),
        ("booking_horizon_days", lambda v: _whole(v, "the booking horizon", 1, 365)),
        ("nudge_hours", lambda v: _whole(v or "0", "the nudge", 0, 336)),
        ("change_grace_minutes", lambda v: _whole(v or str(PracticeSettings.change_grace_minutes),
                                                  "the wait before confirming a change", 0, CHANGE_GRACE_MAX)),
        ("quiet_start", parse_time), ("quiet_end", parse_time),
        ("tele_link_template", _tele_template),
        ("wave_size", lambda v: _whole(v or "3", "the clients per wave", 1, 10)),
        ("claim_minutes", lambda v: _whole(v or "15", "the claim window", 5, 120)),
        ("grace_minutes", lambda v: _whole(v or "3", "the grace period", 0, 60)),
        ("body_days", lambda v: _whole(v or BODY_DAYS, "how long message texts are kept", *BODY_DAYS_RANGE)),
        ("marker_days", lambda v: _whole(v or MARKER_DAYS, "how long sending records are kept",
                                         *MARKER_DAYS_RANGE)),
    )
    out["waitlist_on"] = bool(values.get("waitlist_on"))
    for name, check in checks:
        try:
            out[name] = check(values.get(name) or "")
        except ValidationError as problem:
            errors[name] = str(problem)
    for name in ("cost_text", "crisis_text"):
        out[name] = (values.get(name) or "").strip()
        if len(out[name]) > TEXT_MAX:
            errors[name] = f"Please keep this under {TEXT_MAX} characters."
    if not out.get("crisis_text") and "crisis_text" not in errors:
        errors["crisis_text"] = "Clients need crisis resources: please keep this filled in."
    if errors:
        raise FormErrors(errors)
    try:
        version = int(values.get("version") or 0)
    except ValueError:
        version = -1  # a tampered version is simply stale
    try:
        return replace(current, reminder_schedule=reminders, version=version, **out)
    except ValidationError as problem:
        raise FormErrors({"settings": str(problem)}) from None


def _display_phone(raw: str) -> str:
    """Kept as typed (messages show it to people) once it parses as a number."""
    raw = raw.strip()
    if raw:
        normalized_phone(raw)
    return raw


def _tele_template(raw: str) -> str:
    raw = raw.strip()
    if not raw:
        return ""
    parsed = urlparse(raw.replace("{appointment_id}", "x"))
    if parsed.scheme != "https" or not parsed.netloc:
        raise ValidationError("Use an https:// address, such as https://meet.example.org/room-{appointment_id}.")
    return raw


def save_settings(deps: Deps, settings: PracticeSettings) -> PracticeSettings:
    """Version-guarded: StaleVersion if someone saved since the form was opened."""
    return deps.store.save_settings(settings)


def current_settings(deps: Deps) -> PracticeSettings:
    """The practice's settings as stored (one GetItem)."""
    return deps.store.get_settings()


class SettingsProblems(FormErrors):
    """The settings form's problems: ``fields`` by field name, ``rows`` by reminder row."""

    def __init__(self, fields: dict, rows: dict) -> None:
        super().__init__({**fields, **{f"reminders-{n}": m for n, m in rows.items()}})
        self.fields, self.rows = fields, rows


def change_settings(deps: Deps, values: dict, reminder_rows: list[dict]) -> PracticeSettings:
    """The admin's form, checked whole and saved at the version it was opened with.

    SettingsProblems lists every problem; StaleVersion if someone saved since."""
    rules, rule_errors = reminder_rules(reminder_rows)
    try:
        updated, field_errors = settings_from_input(current_settings(deps), values, rules), {}
    except FormErrors as problems:
        updated, field_errors = None, problems.fields
    if field_errors or rule_errors:
        raise SettingsProblems(field_errors, rule_errors)
    return save_settings(deps, cast(PracticeSettings, updated))  # None only when it raised above


def change_booking_rules(deps: Deps, min_notice_hours: str, booking_horizon_days: str,
                         version: str) -> PracticeSettings:
    """Minimum notice and horizon (practice-wide), at the version the form was opened with."""
    try:
        notice, horizon, at_version = int(min_notice_hours), int(booking_horizon_days), int(version or 0)
    except ValueError:
        raise ValidationError("Please enter whole numbers of hours and days.") from None
    return save_settings(deps, replace(current_settings(deps), min_notice_hours=notice,
                                       booking_horizon_days=horizon, version=at_version))
