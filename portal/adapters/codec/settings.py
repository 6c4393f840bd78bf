"""The practice settings to an item and back (its waitlist part as one map inside it)."""
from __future__ import annotations

from datetime import date, time

from portal.adapters.codec.keys import SETTINGS_KEY
from portal.adapters.tables import Item
from portal.domain.model import Channel, PracticeSettings, ReminderRule
from portal.domain.retention import BODY_DAYS, MARKER_DAYS

WAITLIST_FIELDS = ("waitlist_on", "wave_size", "claim_minutes", "grace_minutes")


def waitlist_settings_to_item(settings: PracticeSettings) -> Item:
    return {name: getattr(settings, name) for name in WAITLIST_FIELDS}


def waitlist_settings_from_item(item: Item | None) -> Item:
    """Only what was stored: settings saved before the waitlist keep its defaults."""
    stored = item or {}
    values = {name: stored[name] for name in WAITLIST_FIELDS if name in stored}
    if "waitlist_on" in values:
        values["waitlist_on"] = bool(values["waitlist_on"])
    for name in WAITLIST_FIELDS[1:]:
        if name in values:
            values[name] = int(values[name])
    return values


def closed_to_item(s: PracticeSettings) -> Item:
    return {"country": s.holiday_country, "state": s.holiday_state, "open": list(s.holidays_open),
            "own": [d.isoformat() for d in s.own_closed_days],
            "days": [d.isoformat() for d in s.closed_days]}


def closed_from_item(item: Item | None) -> Item:
    """Settings saved before closed days keep the defaults (no closed day)."""
    if not item:
        return {}
    return {"holiday_country": item.get("country", "US"), "holiday_state": item.get("state", ""),
            "holidays_open": tuple(item.get("open") or ()),
            "own_closed_days": tuple(date.fromisoformat(d) for d in item.get("own") or ()),
            "closed_days": tuple(date.fromisoformat(d) for d in item.get("days") or ())}


def settings_to_item(s: PracticeSettings) -> Item:
    return {
        "pk": SETTINGS_KEY[0], "sk": SETTINGS_KEY[1], "type": "settings",
        "display_name": s.display_name, "timezone": s.timezone, "contact_phone": s.contact_phone,
        "late_cancel_hours": s.late_cancel_hours, "min_notice_hours": s.min_notice_hours,
        "booking_horizon_days": s.booking_horizon_days,
        "reminder_schedule": [
            {"hours_before": r.hours_before, "channels": [c.value for c in r.channels]}
            for r in s.reminder_schedule
        ],
        "quiet_start": s.quiet_start.strftime("%H:%M"), "quiet_end": s.quiet_end.strftime("%H:%M"),
        "cost_text": s.cost_text, "crisis_text": s.crisis_text,
        "tele_link_template": s.tele_link_template, "version": s.version,
        "nudge_hours": s.nudge_hours, "two_step_required": s.two_step_required,
        "change_grace_minutes": s.change_grace_minutes, "waitlist": waitlist_settings_to_item(s),
        "body_days": s.body_days, "marker_days": s.marker_days, "closed": closed_to_item(s),
    }


def settings_from_item(item: Item | None) -> PracticeSettings:
    if not item:
        return PracticeSettings()
    return PracticeSettings(
        display_name=item["display_name"], timezone=item["timezone"],
        contact_phone=item.get("contact_phone", ""),
        late_cancel_hours=item["late_cancel_hours"], min_notice_hours=item["min_notice_hours"],
        booking_horizon_days=item["booking_horizon_days"],
        reminder_schedule=tuple(
            ReminderRule(r["hours_before"], tuple(Channel(c) for c in r["channels"]))
            for r in item["reminder_schedule"]
        ),
        quiet_start=time.fromisoformat(item["quiet_start"]), quiet_end=time.fromisoformat(item["quiet_end"]),
        cost_text=item.get("cost_text", ""), crisis_text=item.get("crisis_text", ""),
        tele_link_template=item.get("tele_link_template", ""), version=item.get("version", 0),
        nudge_hours=item.get("nudge_hours", 24),
        two_step_required=bool(item.get("two_step_required", False)),
        change_grace_minutes=item.get("change_grace_minutes", 3),
        **waitlist_settings_from_item(item.get("waitlist")),
        body_days=int(item.get("body_days", BODY_DAYS)), marker_days=int(item.get("marker_days", MARKER_DAYS)),
        **closed_from_item(item.get("closed")),
    )
