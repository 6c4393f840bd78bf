"""DynamoDB calls to plan a waitlist wave with 10 and with 1,000 clients on the therapist's
list, and the calls of a claim, counted at the botocore client against moto (server mode).

Planning reads the therapist's entries with one Query of the sparse index (1,000 entries
fit one 1 MB page), so its call count stays flat and it never Scans; the claim is the
offer's BatchGetItem, the session's BatchGetItem and the transaction.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)  # a Monday, 9:00 in New York
FREED = NOW + timedelta(days=2, hours=1)
CLAIM_GOAL = 3


def _practice(container, tid: str, listed: int):
    """A therapist, ``listed`` entries (the first ten real clients with sessions next week),
    and a cancelled session whose first wave is due."""
    from dataclasses import replace

    from portal.domain.audit import Actor
    from portal.domain.model import Mode
    from portal.domain.waitlist import WaitlistEntry, WaitlistPrefs
    from portal.services.sessions import booking
    from portal.services.waitlist import entries as waitlist
    from tests import builders

    deps, store = container.deps, container.store
    therapist = builders.therapist(tid=tid)
    store.add_therapist(therapist, builders.weekday_availability())
    for n in range(min(listed, 10)):
        c = builders.client(cid=f"{tid}c{n:03d}", tid=tid, phone=f"+1202555{n:04d}")
        store.add_client(c)
        a = booking.record_booking(deps, therapist, c, NOW + timedelta(days=7 + n % 5, hours=n // 5),
                                   Mode.TELE, actor=Actor.system("bench"))
        waitlist.join(deps, store.load_context(a.id, c.id, tid), WaitlistPrefs())
    # Sessions a day after the freed time: they gain less, so the real clients rank first.
    template = WaitlistEntry("", tid, "America/New_York", WaitlistPrefs(), NOW,
                             NOW + timedelta(days=60), current_start=FREED + timedelta(days=1))
    for n in range(10, listed):  # the long tail: plain puts (moto copies tables per transaction)
        store.save_waitlist_entry(replace(template, client_id=f"{tid}x{n:04d}",
                                          joined_at=NOW + timedelta(seconds=n)))
    c = builders.client(cid=f"{tid}freed", tid=tid)
    store.add_client(c)
    a = booking.record_booking(deps, therapist, c, FREED, Mode.TELE, actor=Actor.system("bench"))
    booking.cancel(deps, store.load_context(a.id, c.id, tid), a.version, actor=Actor.client())


def _plan(container, counter, listed: int) -> list[str]:
    from portal.services.waitlist.waves import send_due_offers

    tid = f"b{listed}"
    _practice(container, tid, listed)
    container.clock.set(NOW + timedelta(minutes=3))
    counter.take()
    send_due_offers(container.deps)
    calls = counter.take()
    container.clock.set(NOW)
    return calls


def measure(container) -> dict:
    from portal.services.waitlist import claims
    from portal.services.waitlist.waves import send_due_offers
    from tools.bench_client_calls import CallCounter

    counter = CallCounter(container.client("dynamodb"))
    counter.watch(container.notifier)
    send_due_offers(container.deps)  # the lane's first run catches up 3 days of buckets: not a wave's cost
    out = {"plan 10": _plan(container, counter, 10), "plan 1000": _plan(container, counter, 1000)}
    opening = container.store.openings_of("b10", FREED, FREED)[0]
    opening = container.store.get_opening(opening.id, consistent=True)
    link = container.links.offer_url(opening, opening.offers[0].client_id)
    container.clock.set(NOW + timedelta(minutes=4))
    counter.take()
    state = claims.claim(container.deps, link.rsplit("/", 1)[-1]).state
    out["claim"] = [(op, sending) for op, sending in counter.take()]
    out["claim state"] = state
    return out


def lines(measured: dict) -> list[str]:
    out = []
    for name in ("plan 10", "plan 1000"):
        calls = measured[name]
        own = [op for op, sending in calls if not sending]
        scans = sum(op == "Scan" for op in own)
        out.append(f"waitlist: plan a wave, {name.split()[1]:>4} on the list: {len(own)} calls "
                   f"({', '.join(sorted(set(own)))}), {scans} Scans")
    claim = [op for op, sending in measured["claim"] if not sending]
    verdict = "ok" if len(claim) <= CLAIM_GOAL and measured["claim state"] == "mine" else "OVER"
    out.append(f"waitlist: claim an offer: {len(claim)} calls ({', '.join(claim)}), goal <= {CLAIM_GOAL}: {verdict}")
    return out


def run():
    import logging
    import os

    from devstack.localstack import start_emulator
    from portal.adapters.aws.infra import deploy_template
    from portal.clock import FixedClock
    from portal.config import load
    from portal.wiring import Container

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "bench")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server, endpoint = start_emulator()
    try:
        config = load({"PORTAL_ENV": "test", "AWS_ENDPOINT_URL": endpoint, "TABLE_NAME": "bench-waitlist",
                       "SECRET_KEY": "bench-secret-key-long-enough-0123456789abcdef",
                       "BASE_URL": "https://portal.bench", "AWS_REGION": "us-east-1"})
        container = Container(config, clock=FixedClock(NOW))
        deploy_template(container.client("cloudformation"), "bench-waitlist", config.table_name,
                        config.sender_email)
        container.client("ses").verify_email_identity(EmailAddress=config.sender_email)
        return lines(measure(container))
    finally:
        server.stop()


if __name__ == "__main__":
    print("\n".join(run()))
