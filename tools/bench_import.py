"""CSV import throughput on the local stack (moto in server mode): rows per second.

2,000 client rows (batched), then sessions for them: past ones recorded as history
(batched) and upcoming ones booked one transaction each (their time is claimed). The
figures are wall-clock on a shared machine, so read them as an order of magnitude:
the goal is 10,000 rows in minutes, not hours. BENCH_IMPORT_ROWS sets the client rows.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
THERAPIST = "maya@riverbend.example"
UPCOMING = 20  # sessions booked through the transaction (each claims its time cells)


def _clients_csv(rows: int) -> bytes:
    lines = ["therapist_email,first_name,last_name,email,timezone,channels"]
    lines += [f"{THERAPIST},Bench{n},Row{n},bench{n}@example.com,America/New_York,email"
              for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _sessions_csv(rows: int) -> bytes:
    """Past sessions on distinct 5-minute steps, then UPCOMING future ones an hour apart."""
    lines = ["therapist_email,client_email,start,mode,status"]
    for n in range(rows):
        start = NOW - timedelta(days=1, minutes=5 * (n + 12))
        lines.append(f"{THERAPIST},bench{n}@example.com,{start:%Y-%m-%dT%H:%M:00Z},tele,attended")
    for n in range(UPCOMING):
        start = NOW + timedelta(days=30, hours=n)
        lines.append(f"{THERAPIST},bench{n}@example.com,{start:%Y-%m-%dT%H:%M:00Z},tele,")
    return ("\n".join(lines) + "\n").encode()


def _timed(import_rows, rows) -> tuple[float, dict]:
    from collections import Counter

    started = time.perf_counter()
    outcomes = Counter(outcome for _, outcome, _ in import_rows(rows))
    return time.perf_counter() - started, outcomes


def measure(container, client_rows: int) -> list[str]:
    from portal.services.workspace.importer import (
        APPOINTMENT_REQUIRED,
        CLIENT_REQUIRED,
        Importer,
        read_rows,
    )

    seconds, outcomes = _timed(Importer(container.deps).import_clients,
                               read_rows(_clients_csv(client_rows), CLIENT_REQUIRED))
    out = [(f"import: {client_rows} client rows in {seconds:.1f} s = {client_rows / seconds:.0f} rows/s "
            f"(batched; {dict(outcomes)})")]
    past = client_rows // 4
    sessions = read_rows(_sessions_csv(past), APPOINTMENT_REQUIRED)
    seconds, outcomes = _timed(Importer(container.deps).import_appointments, sessions[:past])
    out.append(f"import: {past} past session rows in {seconds:.1f} s = {past / seconds:.0f} rows/s "
               f"(history, batched; {dict(outcomes)})")
    return out


def measure_bookings(container) -> str:
    """On a table of its own: moto deep-copies the whole table for each transaction, so on a
    table of thousands of items one booking takes seconds there (tens of ms on DynamoDB)."""
    from portal.services.workspace.importer import (
        APPOINTMENT_REQUIRED,
        CLIENT_REQUIRED,
        Importer,
        read_rows,
    )

    list(Importer(container.deps).import_clients(read_rows(_clients_csv(UPCOMING), CLIENT_REQUIRED)))
    upcoming = read_rows(_sessions_csv(0), APPOINTMENT_REQUIRED)
    seconds, outcomes = _timed(Importer(container.deps).import_appointments, upcoming)
    return (f"import: {UPCOMING} upcoming session rows in {seconds:.1f} s = {UPCOMING / seconds:.0f} "
            f"rows/s (one booking transaction each, on a small table; {dict(outcomes)})")


def _stack(endpoint: str, name: str):
    from devstack.seed import seed_demo
    from tools.emulated_stack import deployed_container

    container = deployed_container(endpoint, name, NOW)
    seed_demo(container.deps, "bench-password-123", history=False)
    return container


def run():
    from tools.emulated_stack import emulator

    with emulator() as endpoint:
        rows = int(os.environ.get("BENCH_IMPORT_ROWS", "2000"))
        return (measure(_stack(endpoint, "bench-import"), rows)
                + [measure_bookings(_stack(endpoint, "bench-import-bookings"))])


if __name__ == "__main__":
    print("\n".join(run()))
