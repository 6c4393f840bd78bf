"""The scenarios: each a set of practice settings and features, run on the same clients and seed.

A feature is on when the practice has it: reminder rules and the nudge are practice
settings; follow-ups and check-ins are scheduled functions (off = not deployed); two-way
links and barrier offers are always in the product, so "off" means the simulated clients
don't use them (a one-way reminder is read, never answered). The waitlist is a practice
setting (``waitlist_on``) and a scheduled function (its offer waves): off, neither.
"""
from __future__ import annotations

from dataclasses import dataclass

from portal.domain.model import DEFAULT_REMINDER_SCHEDULE, Channel, ReminderRule

CORE_FUNCTIONS = frozenset({"reminders", "digest"})


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    reminders: tuple = DEFAULT_REMINDER_SCHEDULE
    nudge_hours: int = 24
    two_way: bool = False  # clients confirm, move and cancel through the links and by text
    offers: bool = False  # clients answer the help offered for what got in the way
    followups_checkins: bool = False  # the follow-up and check-in functions are deployed
    waitlist: bool = False  # freed times are offered; clients join the list and answer offers

    @property
    def functions(self) -> frozenset:
        return CORE_FUNCTIONS | ({"followups", "checkins"} if self.followups_checkins else set()) \
            | ({"waitlist"} if self.waitlist else set())

    def settings_changes(self) -> dict:
        return {"reminder_schedule": self.reminders, "nudge_hours": self.nudge_hours,
                "waitlist_on": self.waitlist}


EVERYTHING = dict(two_way=True, offers=True, followups_checkins=True)
ALL = (
    Scenario("none", "No reminders", reminders=(), nudge_hours=0),
    Scenario("email24", "Email at 24 h only", reminders=(ReminderRule(24, (Channel.EMAIL,)),),
             nudge_hours=0),
    Scenario("sms24", "SMS at 24 h only", reminders=(ReminderRule(24, (Channel.SMS,)),), nudge_hours=0),
    Scenario("default", "The default schedule"),
    Scenario("two_way", "+ two-way links", two_way=True),
    Scenario("offers", "+ barrier offers", two_way=True, offers=True),
    Scenario("checkins", "+ check-ins and follow-ups", **EVERYTHING),
    Scenario("waitlist", "+ the waitlist", **EVERYTHING, waitlist=True),
    Scenario("everything", "Everything", **EVERYTHING, waitlist=True),
)
BY_KEY = {s.key: s for s in ALL}

