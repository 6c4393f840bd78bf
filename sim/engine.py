"""One scenario's quarter: the practice on the real app, the clock moved event by event.

Time moves only through the clock. Every scheduled function the scenario deploys fires on
its zappa_settings.json schedule (devstack.schedule, fired as devstack.localstack fires
them); between those, the simulated people act: they read what was sent, turn up or don't,
hit barriers; therapists mark attendance. The notifier and the store are watched (without
changing either) for the invariants; the simulator's own look-ups are not counted as the
product's table calls.
"""
from __future__ import annotations

import heapq
import json
import logging
import uuid
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from devstack.localstack import invoke_function
from devstack.schedule import scheduled_functions
from portal import create_app
from portal.adapters.aws.senders import FakeNotifier
from portal.clock import FixedClock
from portal.config import load
from portal.domain.messages import SENT
from portal.domain.timemath import to_local
from portal.links import Links
from portal.wiring import Container, set_default_container
from sim import parameters as P
from sim import practice
from sim.browser import Browser
from sim.invariants import Invariants
from sim.moves import Moves
from sim.people import draw_people
from sim.sessions_log import SessionsLog

# A Monday, noon in New York and 9 AM in Los Angeles (the therapists book the series then);
# the US clocks change on day 7.
START = datetime(2026, 3, 2, 17, 0, tzinfo=timezone.utc)
SECRET = "simulation-secret-key-long-enough-0123456789"
BASE_URL = "https://portal.sim"


@dataclass(frozen=True)
class Options:
    therapists: int = 8
    clients: int = 240
    weeks: int = 12
    seed: int = 1
    store: str = "memory"  # or "dynamodb"
    endpoint: str = ""  # the emulator, for "dynamodb"
    days: int = 0  # a shorter window than ``weeks`` (the DynamoDB comparison test)


class Simulation:
    def __init__(self, scenario, options: Options, progress=None):
        self.scenario, self.options, self.progress = scenario, options, progress
        self.base_url = BASE_URL
        self.invariants = Invariants()
        self.ledger: Counter = Counter()
        self.cancels: dict = {}  # appointment id -> (late, by)
        self.messages: Counter = Counter()  # channel -> messages to clients
        self.notifier_context = ""
        self._events, self._seq = [], 0
        self.end = START + (timedelta(days=options.days) if options.days else timedelta(weeks=options.weeks))

    # --- wiring ------------------------------------------------------------------------------
    def _container(self):
        environ = {"PORTAL_ENV": "test", "SECRET_KEY": SECRET, "BASE_URL": BASE_URL}
        clock, notifier = FixedClock(START), FakeNotifier()
        if self.options.store == "dynamodb":
            from portal.adapters.aws.infra import deploy_template

            table_name = f"sim-{uuid.uuid4().hex[:8]}"
            environ.update(AWS_ENDPOINT_URL=self.options.endpoint, TABLE_NAME=table_name,
                           AWS_REGION="us-east-1")
            config = load(environ)
            container = Container(config, clock=clock, notifier=notifier,
                                  links=Links(SECRET, BASE_URL, config.link_ttl_days))
            deploy_template(container.client("cloudformation"), table_name, table_name,
                            config.sender_email)
            return container
        from portal.adapters.store import Store
        from sim.table import IndexedMemoryTable

        config = load(environ)
        return Container(config, clock=clock, store=Store(IndexedMemoryTable()), notifier=notifier,
                         links=Links(SECRET, BASE_URL, config.link_ttl_days))

    def setup(self):
        from sim.table import BotocoreCounter, CallCounter

        self.container = container = self._container()
        self.deps, self.links, self.clock = container.deps, container.links, container.clock
        self.counters = [CallCounter(container.store.table)]
        if self.options.store == "dynamodb":
            self.counters.append(BotocoreCounter(container.client("dynamodb")))
        self.app = create_app(container.config, container=container)
        set_default_container(container)
        self._watch_notifier(container.notifier)
        self._watch_sent(container.store)
        self.settings = practice.practice_settings(**self.scenario.settings_changes())
        self.moves = Moves(self)
        self.sessions_log = SessionsLog(self)
        practice.build(self.deps, self.options.therapists, self.options.clients, self.options.weeks,
                       self.options.seed, self.settings, ready=self._meet)
        self.settings = self.deps.store.get_settings()

    def _meet(self, staff, clients):
        self.therapists = {t.id: t for t, _ in staff}
        self.availability = {t.id: a for t, a in staff}
        self.people = draw_people(clients, self.options.seed)
        for person in self.people:
            person.browser = Browser(self.app, BASE_URL, self.invariants.answer)
        self.by_email = {p.client.email: p for p in self.people}
        self.by_phone = {p.client.phone: p for p in self.people}
        self.by_id = {p.client.id: p for p in self.people}

    def _watch_notifier(self, notifier):
        for channel in ("email", "sms", "voice"):
            inner = getattr(notifier, f"send_{channel}")

            def send(*args, _inner=inner, _channel=channel):
                self._observe(_channel, *args)
                return _inner(*args)
            setattr(notifier, f"send_{channel}", send)

    def _observe(self, channel, *args):
        if channel == "email":
            email = args[0]
            person, texts = self.by_email.get(email.to), [email.subject, email.text, email.html or ""]
        else:
            person, texts = self.by_phone.get(args[0]), [args[1]]
        if person is None:
            self.messages["to therapists"] += 1
            return
        self.messages[channel] += 1
        therapist = self.therapists[person.client.therapist_id]
        self.invariants.client_message(person, therapist, self.settings, texts)
        if channel != "email":
            self.invariants.phone_message(person, self.settings, self.now(), channel)
        self._inbox.append((person, channel, texts[1] if channel == "email" else texts[0],
                            self.notifier_context))

    def _watch_sent(self, store):
        inner = store.finish_message

        def finish(message, status, provider_id=""):
            done = inner(message, status, provider_id)
            if status == SENT:
                self.invariants.message_sent(message, self.appointment(message.appointment_id),
                                             self.now())
            return done
        store.finish_message = finish

    # --- time ----------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def at(self, when: datetime, action):
        self._seq += 1
        heapq.heappush(self._events, (when, self._seq, action))

    @contextmanager
    def quiet(self):
        """The simulator's own look-ups: not the product's calls."""
        with ExitStack() as stack:
            for counter in self.counters:
                stack.enter_context(counter.paused())
            yield

    def run(self):
        self._inbox = []
        self.setup()
        functions = {name: fn for name, fn in scheduled_functions().items()
                     if name in self.scenario.functions}
        next_at = {name: fn.next_after(self.now()) for name, fn in functions.items()}
        self.at(self.now().replace(minute=0) + timedelta(hours=1), self._hourly)
        self.at(self.now().replace(hour=0, minute=0) + timedelta(days=1), self._daily)
        stop = self.end + timedelta(days=1)  # the last sessions get marked
        while True:
            fire = min(next_at.values())
            when = min(fire, self._events[0][0] if self._events else stop)
            if when >= stop:
                break
            self.clock.set(when)
            if fire <= when:
                for name in [n for n, t in next_at.items() if t <= when]:
                    next_at[name] = functions[name].next_after(when)
                    self.notifier_context = name
                    invoke_function(functions[name].target, self.container)
                    self.notifier_context = ""
            else:
                heapq.heappop(self._events)[2]()
            self.invariants.raise_if_broken()
            self._deliver()
            if self.progress:
                self.progress((when - START) / (stop - START))
        self.invariants.raise_if_broken()
        self._final_checks()
        return self

    def _deliver(self):
        """Each message to a client is read (or not), a while later."""
        inbox, self._inbox = self._inbox, []
        for person, channel, text, context in inbox:
            if not person.chance(P.READ_CHANCE.value[channel]):
                continue
            delay = timedelta(minutes=person.rng.expovariate(1 / P.READ_DELAY_MINUTES.value[channel]))
            when = person.awake_from(self.now() + delay)
            self.at(when, lambda p=person, c=channel, t=text, x=context: self.moves.read(p, c, t, x))

    def _hourly(self):
        """Sessions starting this hour: the client comes or not; the therapist marks it."""
        now = self.now()
        self.at(now + timedelta(hours=1), self._hourly)
        self.sessions_log.hour(now)  # what the dashboard shows of the sessions a day away
        with self.quiet():
            for therapist_id in self.therapists:
                for session in self.deps.store.therapist_appointments(therapist_id, now,
                                                                      now + timedelta(hours=1)):
                    if session.status.is_open and now <= session.start < now + timedelta(hours=1):
                        self.at(session.start, lambda s=session: self._session_starts(s.id))

    def _session_starts(self, appointment_id):
        session = self.appointment(appointment_id)
        if session is None or not session.status.is_open or session.start != self.now():
            return
        person = self.by_id[session.client_id]
        came = person.comes(session, self.now())
        person.after_session(came, session.end)
        mark_at = session.end + timedelta(minutes=P.MARK_AFTER_MINUTES.value)
        self.at(mark_at, lambda: self.moves.mark(appointment_id, came))

    def _daily(self):
        self.at(self.now() + timedelta(days=1), self._daily)
        for person in self.people:
            for barrier in person.barriers_today():
                when = person.awake_from(self.now() + timedelta(hours=person.rng.uniform(0, 24)))
                self.at(when, lambda p=person, b=barrier: self.moves.barrier_hits(p, b))

    # --- look-ups and actions the moves share ---------------------------------------------------
    def appointment(self, appointment_id):
        with self.quiet():
            return self.deps.store.get_appointment(appointment_id, consistent=True)

    def next_session(self, person, within=timedelta(days=60)):
        now = self.now()
        with self.quiet():
            upcoming = self.deps.store.client_appointments(person.client.id, now, now + within)
        return next((a for a in sorted(upcoming, key=lambda a: a.start)
                     if a.status.is_open and a.start > now), None)

    def call_time(self, person) -> datetime:
        """The first moment both the client is awake and the practice answers the phone."""
        first, last = P.PRACTICE_PHONE_HOURS.value
        when = person.awake_from(self.now())
        for _ in range(200):
            local = to_local(when, self.settings.timezone)
            if first <= local.hour < last and person.awake_from(when) == when:
                return when
            when = person.awake_from(when + timedelta(minutes=30))
        return when

    def text(self, person, body: str):
        """The client texts us: the inbound-SMS function gets it as SNS delivers it."""
        from functions.sms_inbound import handler

        payload = {"originationNumber": person.client.phone, "destinationNumber": "+12025550100",
                   "messageBody": body, "inboundMessageId": uuid.uuid4().hex}
        self.notifier_context = "sms_inbound"
        try:
            handler({"Records": [{"Sns": {"Message": json.dumps(payload)}}]}, None)
        finally:
            self.notifier_context = ""
        self.ledger["texts from clients"] += 1

    def cancelled(self, session, by: str):
        late = session.start - self.now() < timedelta(hours=self.settings.late_cancel_hours)
        self.cancels[session.id] = (late, by)

    # --- the end -------------------------------------------------------------------------------
    def _final_checks(self):
        from portal.adapters.codec.keys import slot_key

        self.sessions = {}
        with self.quiet():
            for therapist in self.therapists.values():
                own = self.deps.store.therapist_appointments(
                    therapist.id, START - timedelta(days=1), self.end + timedelta(days=60))
                self.sessions[therapist.id] = own
                self.invariants.calendar(therapist, own)
                prefix = slot_key(therapist.id, "")[0]
                held = {item["pk"][len(prefix):]: item.get("appointment_id")
                        for item in self._slot_items(prefix)}
                self.invariants.slot_cells(therapist, own, held)
                self._count_openings(therapist)
        logging.getLogger(__name__).debug("ledger %s", self.ledger)

    def _count_openings(self, therapist):
        """What the waitlist did with the freed times, as the store tells it."""
        from portal.domain.waitlist import CLAIMED

        for opening in self.deps.store.openings_of(therapist.id, START - timedelta(days=1),
                                                   self.end + timedelta(days=60)):
            self.ledger["waitlist: times freed"] += 1
            self.ledger["waitlist: times offered"] += bool(opening.offers)
            self.ledger["waitlist: offers sent"] += len(opening.offers)
            self.ledger["waitlist: times refilled by a claim"] += opening.status == CLAIMED

    def _slot_items(self, prefix):
        table = self.deps.store.table
        if hasattr(table, "_items"):
            return [item for key, item in list(table._items.items()) if key[0].startswith(prefix)]
        client, items, start = self.container.client("dynamodb"), [], None
        while True:
            kwargs = {"TableName": self.container.config.table_name,
                      "FilterExpression": "begins_with(pk, :p)",
                      "ExpressionAttributeValues": {":p": {"S": prefix}}}
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = client.scan(**kwargs)
            items += [{"pk": i["pk"]["S"], "appointment_id": i.get("appointment_id", {}).get("S")}
                      for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start:
                return items
