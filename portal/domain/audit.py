"""Who did what to a session: the actor of a change and the audit event that records it."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Role(str, enum.Enum):
    CLIENT = "client"
    THERAPIST = "therapist"  # a practice admin acting for a colleague is a therapist too
    SYSTEM = "system"  # scheduled functions, the import, the demo seed


@dataclass(frozen=True)
class Actor:
    """Who made a change and through what ("link", "sms", "workspace", "import", ...).

    The rules that depend on who acts (a late cancel counts only for the client; a time the
    client picked needs no confirming) ask ``is_client``, never compare strings."""
    role: Role
    via: str
    therapist_id: str = ""

    @classmethod
    def client(cls, via: str = "link") -> Actor:
        return cls(Role.CLIENT, via)

    @classmethod
    def therapist(cls, therapist_id: str, via: str = "workspace") -> Actor:
        return cls(Role.THERAPIST, via, therapist_id)

    @classmethod
    def system(cls, via: str) -> Actor:
        return cls(Role.SYSTEM, via)

    @classmethod
    def from_label(cls, label: str, via: str = "") -> Actor:
        """The actor an audit line names; anything unknown reads as the system."""
        role, _, therapist_id = (label or "").partition(":")
        if role == Role.CLIENT.value:
            return cls.client(via)
        if role == Role.THERAPIST.value and therapist_id:
            return cls.therapist(therapist_id, via)
        return cls.system(via)

    @property
    def is_client(self) -> bool:
        return self.role is Role.CLIENT

    @property
    def label(self) -> str:
        """How the audit trail stores it: "client", "therapist:<id>" or "system"."""
        return f"therapist:{self.therapist_id}" if self.role is Role.THERAPIST else self.role.value


@dataclass(frozen=True)
class AuditEvent:
    appointment_id: str
    at: datetime
    actor: str  # Actor.label: "client", "therapist:<id>", "system"
    action: str
    via: str = ""  # "link", "sms", "workspace", "function", "import"
    detail: dict = field(default_factory=dict)

    @property
    def by(self) -> Actor:
        return Actor.from_label(self.actor, self.via)
