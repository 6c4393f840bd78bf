"""Privacy records: who read a client's data (the access log), an erasure's tombstone, and
how long things are kept. Plain values; the store maps them to items."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from portal.domain.retention import AUDIT_RETENTION, AUDIT_YEARS, expiry_epoch  # noqa: F401

# What a read was of: the access log's "what" column, in words an auditor reads.
READS = {
    "client": "opened the client page",
    "appointment": "opened a session page",
    "inbox": "opened an inbox item",
    "figures": "opened the figures drill-down",
    "export": "exported the client's data",
    "erase": "erased the client's data",
}

# Retention (AUDIT_RETENTION, expiry_epoch, re-exported here) lives in domain/retention.py.


@dataclass(frozen=True)
class AccessEvent:
    client_id: str
    at: datetime
    viewer_id: str  # the therapist or admin who read
    what: str  # a key of READS
    ref: str = ""  # the session or inbox item read, if any
    ip: str = ""  # truncated: see truncate_ip

    @property
    def described(self) -> str:
        return READS.get(self.what, self.what)


@dataclass(frozen=True)
class Tombstone:
    """What is left of an erased client: who erased whom, and when."""

    client_id: str
    erased_at: datetime
    erased_by: str  # the therapist id, or "cli"


def truncate_ip(address: str | None) -> str:
    """The network, not the person: IPv4 to /24, IPv6 to /48 (as analytics tools do)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
