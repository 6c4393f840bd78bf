"""The client-notice lanes of the due index, sent by the reminders run (every 5 minutes):
fresh links asked for from expired links' pages."""
from __future__ import annotations

from portal.interfaces import Deps
from portal.services.fresh_links import send_fresh_links


def send_client_notices(deps: Deps, **options) -> dict:
    return {"fresh_links": send_fresh_links(deps, **options)}
