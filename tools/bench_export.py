"""DynamoDB calls for one client's export (right of access) with 1,000 sessions, against moto.

Counted at the botocore client as in bench_workspace. The export reads the client's item, the
client's index (paged), one Query per session partition (its history and messages), the
therapist's inbox, the client's check-ins and the access log: never a Scan.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

SESSIONS = 1000
NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


def _history(container, client_id: str, therapist_id: str):
    from portal.domain.audit import AuditEvent
    from portal.domain.model import Appointment, Mode, Status

    sessions = []
    for n in range(SESSIONS):
        start = NOW - timedelta(days=1 + n, hours=3)
        a = Appointment(f"bx{n:05d}", therapist_id, client_id, start, start + timedelta(minutes=50),
                        Mode.IN_PERSON, status=Status.ATTENDED if n % 5 else Status.NO_SHOW)
        sessions.append((a, AuditEvent(a.id, start, "system", a.status.value, "import")))
    container.store.record_past_sessions(sessions)


def run():
    from devstack.seed import seed_demo
    from portal.services.privacy.export import export_client
    from tools.bench_workspace import CallCounter
    from tools.emulated_stack import deployed_container, emulator

    with emulator() as endpoint:
        container = deployed_container(endpoint, "bench-export", NOW)
        seed_demo(container.deps, "bench-password-123", history=False)
        _history(container, "calex01", "mchen1")
        counter = CallCounter(container.client("dynamodb"), container.notifier)
        made = export_client(container.deps, "calex01", "cli")
        ops = [op for op, _ in counter.take()]
    detail = ", ".join(f"{ops.count(op)} {op}" for op in dict.fromkeys(ops))
    return [f"export: one client with {made.sessions} sessions: {len(ops)} DynamoDB calls [{detail}], "
            f"{ops.count('Scan')} Scans, ZIP {len(made.data) // 1024} KB"]


if __name__ == "__main__":
    print("\n".join(run()))
