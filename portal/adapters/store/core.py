"""The store: every role's records on one object, written once over either table.

``Store(MemoryTable())`` is the unit tests' fake; ``Store(DynamoTable(...))`` is the real
thing. Every write that must not race is one conditional write or one transaction.
"""
from __future__ import annotations

from portal.adapters.store.appointments import AppointmentRecords
from portal.adapters.store.checkins import CheckinRecords
from portal.adapters.store.clients import ClientRecords
from portal.adapters.store.cursors import RunCursors
from portal.adapters.store.delivery import DeliveryRecords
from portal.adapters.store.inbound import InboundLocks
from portal.adapters.store.inbox import InboxRecords
from portal.adapters.store.messages import MessageRecords
from portal.adapters.store.once import OnceClaims
from portal.adapters.store.privacy import PrivacyRecords
from portal.adapters.store.settings import SettingsRecords
from portal.adapters.store.sign_in import SignInCounters
from portal.adapters.store.team import TeamRecords
from portal.adapters.store.two_step import TwoStepRecords
from portal.adapters.store.waitlist import WaitlistRecords


class Store(SettingsRecords, ClientRecords, AppointmentRecords, InboxRecords, MessageRecords,
            RunCursors, OnceClaims, CheckinRecords, SignInCounters, InboundLocks,
            DeliveryRecords, PrivacyRecords, TwoStepRecords, TeamRecords, WaitlistRecords):
    """Each base is one role (see portal.interfaces); StoreBase holds the table and clock."""
