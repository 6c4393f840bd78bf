"""The therapist's inbox: what clients said (barriers, notes, check-ins) until it is handled."""
from __future__ import annotations

from portal.domain.errors import NotFound
from portal.domain.model import InboxItem, Therapist
from portal.interfaces import Deps
from portal.services.workspace.dashboard import find_inbox_item


def mark_handled(deps: Deps, therapist: Therapist, item_id: str) -> InboxItem:
    """NotFound when the item is not in this therapist's inbox (or went a moment ago)."""
    item = find_inbox_item(deps, therapist, item_id)
    if item is None:
        raise NotFound("That inbox item isn't there any more.")
    deps.store.mark_inbox_handled(item)
    return item
