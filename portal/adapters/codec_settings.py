"""The practice settings' waitlist part, as one map inside the settings item."""
from __future__ import annotations

WAITLIST_FIELDS = ("waitlist_on", "wave_size", "claim_minutes", "grace_minutes")


def waitlist_settings_to_item(settings) -> dict:
    return {name: getattr(settings, name) for name in WAITLIST_FIELDS}


def waitlist_settings_from_item(item: dict | None) -> dict:
    """Only what was stored: settings saved before the waitlist keep its defaults."""
    stored = item or {}
    values = {name: stored[name] for name in WAITLIST_FIELDS if name in stored}
    if "waitlist_on" in values:
        values["waitlist_on"] = bool(values["waitlist_on"])
    for name in WAITLIST_FIELDS[1:]:
        if name in values:
            values[name] = int(values[name])
    return values
