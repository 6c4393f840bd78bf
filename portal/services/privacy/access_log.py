"""Every read of a client's data leaves one line in that client's access log (45 CFR
164.312(b)): who, which client, what, when, and from which network. One PutItem per read."""
from __future__ import annotations

from dataclasses import dataclass

from portal.domain.model import Client, Therapist
from portal.domain.privacy import READS, AccessEvent, truncate_ip
from portal.interfaces import Deps

PAGE_SIZE = 20
MARK_MAX = 80  # a page mark is a sort key we made; anything longer is not one


def record(deps: Deps, viewer_id: str, client_id: str, what: str, ip: str | None = None,
           ref: str = "") -> AccessEvent:
    """``viewer_id``: the therapist's id, or "cli" for the command line."""
    if what not in READS:
        raise ValueError(f"not a kind of read: {what}")
    event = AccessEvent(client_id, deps.clock.now(), viewer_id, what, ref, truncate_ip(ip))
    deps.store.record_access(event)
    return event


@dataclass(frozen=True)
class AccessLogPage:
    events: list[AccessEvent]  # newest first
    older: str  # the mark of the next page, "" when this is the last
    names: dict[str, str]  # viewer id -> name


def page(deps: Deps, viewer: Therapist, client: Client, older_than: str = "") -> AccessLogPage | None:
    """The admin's view of a client's access log; None for anyone else."""
    if not viewer.is_admin:
        return None
    if not isinstance(older_than, str) or len(older_than) > MARK_MAX:
        older_than = ""
    events, older = deps.store.access_log(client.id, PAGE_SIZE, older_than)
    names = {t.id: t.name for t in deps.store.list_therapists()} if events else {}
    return AccessLogPage(events, older, names)
