"""Change notices' revision fields on a message item (see portal.domain.notices).

A change notice is rewritten by the next change in place, so its claim and its marks must
be conditional on the exact state a run read: ``rev`` (the session version that wrote it)
and ``tag`` (rev, status and lease together, as DynamoDB conditions take one attribute).
"""
from __future__ import annotations

from portal.domain.messages import PendingMessage
from portal.domain.timemath import iso_utc


def revision_of(m: PendingMessage) -> int | None:
    return (m.detail or {}).get("rev")


def state_tag(m: PendingMessage) -> str:
    lease = iso_utc(m.claimed_until) if m.claimed_until else ""
    return f"{revision_of(m)}:{m.status}:{lease}"


def revision_fields(m: PendingMessage) -> dict[str, object]:
    if revision_of(m) is None:
        return {}
    return {"rev": revision_of(m), "tag": state_tag(m)}
