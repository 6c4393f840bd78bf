"""The scenarios: each a set of practice settings and features, run on the same clients and seed.

A feature is on when the practice has it: reminder rules and the nudge are practice
settings; follow-ups and check-ins are scheduled functions (off = not deployed); two-way
links and barrier offers are always in the product, so "off" means the simulated clients
don't use them (a one-way reminder is read, never answered). A feature the product does not
have yet (the waitlist) is found missing by ``available`` and its scenario is skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from portal.domain.model import DEFAULT_REMINDER_SCHEDULE, Channel, PracticeSettings, ReminderRule

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
    waitlist: bool = False

    @property
    def functions(self) -> frozenset:
        return CORE_FUNCTIONS | ({"followups", "checkins"} if self.followups_checkins else set())

    def settings_changes(self) -> dict:
        changes = {"reminder_schedule": self.reminders, "nudge_hours": self.nudge_hours}
        if self.waitlist:
            changes[waitlist_setting()] = True
        return changes


def waitlist_setting() -> str | None:
    """The practice setting that turns a waitlist on, once the product has one."""
    return next((f.name for f in fields(PracticeSettings) if "waitlist" in f.name), None)


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


def available(scenario: Scenario) -> tuple[Scenario | None, str]:
    """The scenario as the product can run it, or None with a note saying why not."""
    if not scenario.waitlist or waitlist_setting():
        return scenario, ""
    if scenario.key == "waitlist":
        return None, "not available: the product has no waitlist setting yet"
    from dataclasses import replace

    return replace(scenario, waitlist=False), "runs without the waitlist (not available yet)"
