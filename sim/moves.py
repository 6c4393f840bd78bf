"""What a simulated client does with what Attune sent them, through its pages and texts only.

Reading a message brings the session to mind (a cue). Then, depending on the message and
the scenario: confirm a reminder (a tap, or a "C" by text), answer a check-in, book a new
time after a missed session. When a barrier hits they move the session, cancel it through
the link (answering the help offered on the way), phone the practice, or just don't come.
"""
from __future__ import annotations

import re
from datetime import timedelta

from portal.domain.errors import DomainError
from portal.domain.model import Barrier, Status
from portal.links import CHECKIN_SALT, LinkExpired, LinkInvalid
from portal.services.sessions import on_behalf
from sim import parameters as P
from sim import waitlist_moves
from sim.browser import ends, links_in, mode_form, time_form

LINK = re.compile(r"/(a|c)/([^/?#\s]+)(/[a-z/]*)?")
VIDEO_HELPS = (Barrier.TRANSPORT, Barrier.ILLNESS, Barrier.ANXIETY)


class Moves:
    def __init__(self, sim):
        self.sim = sim

    # --- reading -----------------------------------------------------------------------------
    def sessions_linked(self, person, text):
        """(appointment id, kind "a"/"c", suffix, url) for each of our links in the text."""
        found = []
        for url in links_in(text):
            match = LINK.search(url)
            if not match:
                continue
            kind, token, suffix = match.group(1), match.group(2), match.group(3) or ""
            salt = CHECKIN_SALT if kind == "c" else None
            try:
                claims = self.sim.links.read(token, self.sim.now(), *((salt,) if salt else ()))
            except (LinkInvalid, LinkExpired):
                continue
            if claims.client_id == person.client.id:
                found.append((claims.appointment_id, kind, suffix, url))
        return found

    def read(self, person, channel, text, context):
        now = self.sim.now()
        linked = self.sessions_linked(person, text)
        if not linked and not links_in(text):  # a call says the time aloud: it brings their next session to mind
            upcoming = self.sim.next_session(person)
            if upcoming is not None:
                person.cue(upcoming.id, now)
            return
        for appointment_id, kind, suffix, url in linked:
            person.cue(appointment_id, now)
            if kind == "a":
                person.links[appointment_id] = url[:len(url) - len(suffix)] if suffix else url
        if not self.sim.scenario.two_way:
            return  # one-way: read, never answered
        if self.sim.scenario.waitlist:
            self.waitlist(person, channel, text, context, linked)
        checkin = next((u for _, k, _, u in linked if k == "c"), None)
        if context == "checkins" and checkin:
            self.answer_checkin(person, checkin)
        elif context == "followups":
            rebook = next((u for _, _, s, u in linked if s == "/rebook"), None)
            if rebook and person.chance(P.REBOOK_AFTER_FOLLOWUP.value):
                self.pick_time(person, person.browser.get(rebook), "rebooked")
        elif context == "reminders" and linked and person.chance(P.CONFIRM_CHANCE.value) \
                and linked[0][0] not in person.barriers:  # knowing it's in doubt, they don't confirm
            _, _, _, url = linked[0]
            self.confirm(person, url, by_text=channel == "sms")

    def confirm(self, person, url, by_text):
        """A "C" by text, or a tap: the confirm form on the page, or behind its confirm link."""
        if by_text and person.chance(P.CONFIRM_BY_TEXT.value):
            self.sim.text(person, "C")
            return
        browser = person.browser
        page = browser.get(url)
        form = page.form(ends("/confirm"))
        if form is None:
            link = page.link(lambda href, text: href.endswith("/confirm"))
            page = browser.get(link) if link else page
            form = page.form(ends("/confirm"))
        if form is not None:
            browser.submit(page, form)

    def waitlist(self, person, channel, text, context, linked):
        """An offer is answered at the client's pace; any session link is a way onto the list."""
        offer = waitlist_moves.offer_link(links_in(text))
        if context == "waitlist" and offer:
            waitlist_moves.offer_read(self.sim, person, channel, offer)
            return
        session = next((a for a, kind, _, _ in linked if kind == "a"), None)
        if session is not None:
            waitlist_moves.join(self.sim, person, session, person.links[session])

    def answer_checkin(self, person, url):
        if not person.chance(P.CHECKIN_ANSWER.value):
            return
        page = person.browser.get(url)
        form = page.form(lambda f: "score" in f.radios)
        if form is None:
            return
        upcoming = self.sim.next_session(person)
        barrier = person.barriers.get(upcoming.id) if upcoming else None
        struggling = barrier is not None or person.missed_last
        values = {"score": person.rng.choice(P.CHECKIN_SCORES.value["struggling" if struggling else "usual"])}
        named = barrier is not None and "barrier" in form.radios and \
            person.chance(P.CHECKIN_NAMES_BARRIER.value)
        if named:
            values["barrier"] = barrier.value
        thanks = person.browser.submit(page, form, values)
        self.sim.ledger["checkins answered"] += 1
        if named and self.sim.scenario.offers and person.chance(P.OFFER_ACCEPT.value[barrier.value]):
            if self.take_help(person, thanks, barrier):
                self.resolved(person, upcoming.id, "help taken at a check-in")

    # --- barriers ------------------------------------------------------------------------------
    def barrier_hits(self, person, barrier):
        now = self.sim.now()
        session = self.sim.next_session(person, within=timedelta(days=7))
        if session is None or session.id in person.barriers:
            return
        person.barriers[session.id] = barrier
        style = person.response()
        if style == "no_show":
            person.skipping.add(session.id)
            return
        when = now
        if style == "late":
            low, high = P.LATE_CANCEL_HOURS_BEFORE.value
            when = max(now, session.start - timedelta(hours=person.rng.uniform(low, high)))
        self.sim.at(person.awake_from(when), lambda: self.act(person, session.id, barrier))

    def act(self, person, appointment_id, barrier):
        session = self.sim.appointment(appointment_id)
        if session is None or not session.status.is_open or session.start <= self.sim.now() \
                or person.barriers.get(appointment_id) is not barrier:
            return
        link = person.links.get(appointment_id)
        if self.sim.scenario.two_way and link:
            self.through_link(person, session, link, barrier)
        elif person.chance(P.CALL_TO_CANCEL.value):
            when = self.sim.call_time(person)
            if when < session.start:
                self.sim.at(when, lambda: self.phone_to_cancel(person, appointment_id, barrier))
                return
            person.skipping.add(appointment_id)
        else:
            person.skipping.add(appointment_id)

    def through_link(self, person, session, link, barrier):
        browser = person.browser
        page = browser.get(link)
        if person.chance(P.SELF_RESCHEDULE.value):
            move = page.link(lambda href, text: href.endswith("/reschedule"))
            if move and self.pick_time(person, browser.get(move), "moved by the client"):
                self.resolved(person, session.id, None)
                return
        cancel = page.link(lambda href, text: href.endswith("/cancel"))
        if cancel is None:
            person.skipping.add(session.id)
            return
        page = browser.get(cancel)
        form = page.form(ends("/cancel/help"))
        if form is None:
            return
        help_page = browser.submit(page, form, {"barrier": barrier.value})
        if self.sim.scenario.offers and person.chance(P.OFFER_ACCEPT.value[barrier.value]):
            if self.take_help(person, help_page, barrier):
                self.resolved(person, session.id, "help taken when cancelling")
                return
            help_page = browser.get(cancel)  # nothing kept it: a fresh page, then cancel
            form = help_page.form(ends("/cancel/help"))
            help_page = browser.submit(help_page, form, {"barrier": barrier.value}) if form else help_page
        final = help_page.form(ends("/cancel"))
        if final is not None and browser.submit(help_page, final).status == 200:
            self.sim.cancelled(session, "link")

    def take_help(self, person, page, barrier) -> bool:
        """Press what the page offers for this barrier; True when the session is kept."""
        browser = person.browser
        video = page.form(mode_form("tele"))
        if barrier in VIDEO_HELPS and video is not None:
            return browser.submit(page, video).status == 200
        if barrier in (Barrier.COST, Barrier.ANXIETY):
            keep = page.form(ends("/confirm"))
            if keep is not None:
                browser.submit(page, keep)
            return True  # the cost text or a warm word: they keep the session
        times = page.form(time_form)
        if times is not None:
            return self.press_time(person, page, times, "moved to an offered time")
        more = page.link(lambda href, text: "/reschedule" in href)
        if more is not None:
            return self.pick_time(person, browser.get(more), "moved to an offered time")
        return False

    def pick_time(self, person, page, what) -> bool:
        form = page.form(time_form)
        return form is not None and self.press_time(person, page, form, what)

    def press_time(self, person, page, form, what) -> bool:
        buttons = [b for b in form.buttons if b[0] == "start"]
        button = buttons[min(len(buttons) - 1, int(person.rng.random() * min(6, len(buttons))))]
        answer = person.browser.submit(page, form, button=button)
        done = answer.status == 200 and "/reschedule" not in answer.url and "/rebook" not in answer.url
        if done:
            self.sim.ledger[what] += 1
        return done

    def resolved(self, person, appointment_id, what):
        person.barriers.pop(appointment_id, None)
        person.skipping.discard(appointment_id)
        if what:
            self.sim.ledger[what] += 1

    def phone_to_cancel(self, person, appointment_id, barrier):
        therapist = self.sim.therapists[person.client.therapist_id]
        ctx = self.sim.deps.store.load_context(appointment_id, person.client.id, therapist.id)
        if ctx is None or not ctx.appointment.status.is_open:
            return
        self.sim.notifier_context = "therapist"
        try:
            after = on_behalf.cancel(self.sim.deps, ctx, ctx.appointment.version, therapist,
                                     barrier=barrier)
        except DomainError:
            return
        finally:
            self.sim.notifier_context = ""
        self.sim.cancelled(after, "phone")

    # --- the therapist ------------------------------------------------------------------------
    def mark(self, appointment_id, came: bool):
        session = self.sim.appointment(appointment_id)
        if session is None or not session.status.is_open:
            return
        therapist = self.sim.therapists[session.therapist_id]
        ctx = self.sim.deps.store.load_context(session.id, session.client_id, therapist.id)
        status = Status.ATTENDED if came else Status.NO_SHOW
        self.sim.notifier_context = "therapist"
        try:
            on_behalf.mark_attendance(self.sim.deps, ctx, status, ctx.appointment.version, therapist)
        finally:
            self.sim.notifier_context = ""
