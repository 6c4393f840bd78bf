"""What a simulated client does with the waitlist, through its pages and texts only.

Joining: a client who would take an earlier time opens their appointment page from a
message they were sent, follows "I'd take an earlier time" (shown only while they are not on
the list) and posts the choices they drew (days, times of day, mode, notice). Offers: a
while after reading one (their own pace), they open its link and press "Take this time",
or reply Y to the text; now and then they reply N. Losing the race is fine: the product
answers with its kind 409 page, which the 5xx invariant watches like every other answer.
"""
from __future__ import annotations

import re
from datetime import timedelta

from sim import parameters as P
from sim.browser import ends

OFFER_LINK = re.compile(r"/o/[^/?#\s]+$")
MINE, TAKEN = 200, 409


def offer_link(urls) -> str | None:
    return next((u for u in urls if OFFER_LINK.search(u)), None)


def join(sim, person, appointment_id, url):
    """From the appointment page, when it offers the list (they aren't on it now)."""
    choices = person.earlier
    if choices is None:
        return
    browser = person.browser
    page = browser.get(url)
    earlier = page.link(lambda href, text: href.endswith("/earlier") and "earlier time" in text)
    if earlier is None:
        return  # on the list already, or the session can't change any more
    page = browser.get(earlier)
    form = page.form(lambda f: f.method == "post" and ends("/earlier")(f))
    if form is None:
        return
    values = {"days": choices["days"], "parts": choices["parts"], "notice": choices["notice"],
              "mode": _mode(sim, choices["mode"], appointment_id)}
    answer = browser.submit(page, form, values)
    if answer.status == 200 and not answer.url.endswith("/earlier"):
        sim.ledger["waitlist joins"] += 1


def _mode(sim, drawn: str, appointment_id) -> str:
    if drawn != "same":
        return drawn
    session = sim.appointment(appointment_id)
    return session.mode.value if session is not None else "either"


def offer_read(sim, person, channel, url):
    """They read an offer: they answer it at their own pace (inside their waking hours)."""
    delay = timedelta(minutes=person.rng.expovariate(1 / person.answer_minutes))
    when = person.awake_from(sim.now() + delay)
    sim.at(when, lambda: answer(sim, person, channel, url))


def answer(sim, person, channel, url):
    if not person.chance(P.WAITLIST_CLAIM.value):
        if channel == "sms" and person.chance(P.WAITLIST_STOP.value):
            sim.text(person, "N")
            sim.ledger["offers stopped by N"] += 1
        return
    sim.ledger["offers answered"] += 1
    if channel == "sms" and person.chance(P.WAITLIST_CLAIM_BY_TEXT.value):
        sim.text(person, "Y")
        sim.ledger["offers answered by Y"] += 1
        return
    browser = person.browser
    page = browser.get(url)
    form = page.form(lambda f: f.method == "post" and f.button(lambda n, v, text: "Take this time" in text))
    if form is None:
        sim.ledger["offers no longer open"] += 1
        return
    status = browser.submit(page, form).status
    sim.ledger["offers claimed by link" if status == MINE else
               "offers lost to a quicker client" if status == TAKEN else f"offer answered {status}"] += 1
