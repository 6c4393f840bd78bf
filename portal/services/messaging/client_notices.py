"""The client-notice lanes of the due index, sent by the reminders run (every 5 minutes):
fresh links asked for from expired links' pages, and the confirmations of a client's
changes after their grace period (portal.services.client.change_notices)."""
from __future__ import annotations

from typing import Any

from portal.interfaces import Deps
from portal.services.client.change_notices import send_change_notices
from portal.services.client.fresh_links import send_fresh_links


def send_client_notices(deps: Deps, **options: Any) -> dict:
    return {"fresh_links": send_fresh_links(deps, **options),
            "changes": send_change_notices(deps, **options)}
