"""Help for what got in the way: what might keep a session, for the barrier the client named.

Offered after the first step of cancelling and on the check-in thank-you page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from portal.domain.model import Barrier, Mode
from portal.domain.slots import Slot
from portal.domain.timemath import is_evening, is_weekend
from portal.interfaces import AppointmentContext, Deps
from portal.services.client.changes import choices
from portal.services.sessions.open_times import evening_or_weekend, free_times

OFFERED_SLOTS = 8


@dataclass(frozen=True)
class Offer:
    barrier: Barrier | None
    heading: str
    message: str
    video_switch: bool = False  # offer this session by video
    keep: bool = False  # offer to keep the session as it is
    reschedule: bool = False  # point to all open times
    slots: list[Slot] = field(default_factory=list)  # a few times that answer the barrier
    slots_mode: Mode | None = None  # the mode those times would be booked in
    resources: str = ""  # the practice's text: cost help or crisis lines
    resources_heading: str = ""
    crisis: bool = False  # the crisis lines go first on the page, in addition to this help
    equal_choices: bool = False  # video, another time and cancel stand as equals: none pushed


LOWEST_SCORE = 1
CRISIS_BARRIERS = frozenset({Barrier.ILLNESS})  # "Not feeling well, or an emergency"


def crisis_help(score: int | None = None, barrier: Barrier | None = None) -> bool:
    """The one rule for when crisis lines show: the lowest check-in score, or illness/emergency."""
    return score == LOWEST_SCORE or barrier in CRISIS_BARRIERS


def crisis_choice(score: str | int | None = None, barrier: str | None = None) -> bool:
    """The same rule for a form's raw values: a radio's value, or a choice the link's URL made."""
    return crisis_help(_score(score), _barrier(barrier))


def _score(value: str | int | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _barrier(value: str | None) -> Barrier | None:
    try:
        return Barrier(value) if value else None
    except ValueError:
        return None


def offer_for(deps: Deps, ctx: AppointmentContext, barrier: Barrier | None) -> Offer:
    """What might keep this session, for the barrier the client named (read once if times help)."""
    video_possible = choices(ctx, deps.clock.now()).switch_to is Mode.TELE
    return _OFFERS.get(barrier, _other)(deps, ctx, barrier, video_possible)


def _transport(deps: Deps, ctx: AppointmentContext, barrier: Barrier | None, video_possible: bool) -> Offer:
    therapist = ctx.therapist.name
    if ctx.appointment.mode is Mode.TELE:
        return Offer(barrier, "No travel needed",
                     "This session is already by video, so you can join from home or "
                     "anywhere quiet. The join link is on your session page.", keep=True)
    if video_possible:
        return Offer(barrier, "You could join by video instead",
                     f"{therapist} can see you by video at the same time, so there is "
                     "nothing to travel to. One tap switches this session.", video_switch=True)
    return Offer(barrier, "Video times that could work",
                 f"{therapist} doesn't offer video at this time, but these times are by video:",
                 slots=free_times(deps, ctx, Mode.TELE)[:OFFERED_SLOTS], slots_mode=Mode.TELE,
                 reschedule=True)


def _schedule(deps: Deps, ctx: AppointmentContext, barrier: Barrier | None, video_possible: bool) -> Offer:
    """Another time first (video at the same time rarely solves a clash), naming only the
    kinds of times the therapist really has open."""
    therapist, zone_name = ctx.therapist.name, ctx.client.timezone
    free = free_times(deps, ctx)
    later = evening_or_weekend(free, zone_name)
    kinds = [kind for kind, test in (("evening", is_evening), ("weekend", is_weekend))
             if any(test(s.start, zone_name) for s in later)]
    if kinds:
        text = f"{therapist} has {' and '.join(kinds)} times. Pick one and your session moves there."
    elif free:
        text = f"Another time might suit you better. Here are {therapist}'s next open times."
    else:
        text = f"{therapist} has no other open times right now. The practice can help you find one."
    return Offer(barrier, "Let's find a time that fits", text, slots=(later or free)[:OFFERED_SLOTS],
                 reschedule=True)


def _cost(deps: Deps, ctx: AppointmentContext, barrier: Barrier | None, video_possible: bool) -> Offer:
    return Offer(barrier, "Cost shouldn't stand in your way", "You don't have to sort this out alone.",
                 keep=True, resources=ctx.settings.cost_text, resources_heading="Help with cost")


def _anxiety(deps: Deps, ctx: AppointmentContext, barrier: Barrier | None, video_possible: bool) -> Offer:
    video = " If it feels easier, you could join by video from home." if video_possible else ""
    return Offer(barrier, "It's okay to feel this way",
                 "Many people feel anxious or unsure before a session. You don't need to prepare "
                 f"anything: you can start by telling {ctx.therapist.name} how you feel, and go at "
                 f"your own pace.{video}", keep=True, video_switch=video_possible)


def _illness(deps: Deps, ctx: AppointmentContext, barrier: Barrier | None, video_possible: bool) -> Offer:
    choice = ("this session could be by video from home, or you can pick another time"
              if video_possible else "you can pick another time")
    return Offer(barrier, "We're sorry you're not feeling well",
                 f"Please look after yourself. If you feel up to talking, {choice}.",
                 video_switch=video_possible, reschedule=True,
                 crisis=crisis_help(barrier=barrier), equal_choices=True)


def _other(deps: Deps, ctx: AppointmentContext, barrier: Barrier | None, video_possible: bool) -> Offer:
    change = "another time or joining by video" if video_possible else "another time"
    return Offer(barrier, "Before you go",
                 f"If {change} would help, you can change your session instead.",
                 video_switch=video_possible, reschedule=True)


_OFFERS: dict[Barrier | None, Callable[[Deps, AppointmentContext, Barrier | None, bool], Offer]] = {
    Barrier.TRANSPORT: _transport, Barrier.SCHEDULE: _schedule, Barrier.COST: _cost,
    Barrier.ANXIETY: _anxiety, Barrier.ILLNESS: _illness}
