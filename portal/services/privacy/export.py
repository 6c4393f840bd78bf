"""A client's data on request (45 CFR 164.524): one ZIP with the record, every session with
its history, barriers and notes, check-ins, the messages and the access log, each as JSON
and CSV, and a readable HTML summary.

Reads only the client's partition, the client's index, each session's partition and the
therapist's inbox: never a Scan. The export is itself audited (written first, so the ZIP's
access log shows it).
"""
from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Any, cast

from portal.domain.errors import NotFound
from portal.interfaces import Deps
from portal.services.privacy import access_log


@dataclass(frozen=True)
class Export:
    filename: str
    data: bytes
    sessions: int


def export_client(deps: Deps, client_id: str, viewer_id: str, ip: str | None = None) -> Export:
    """Raises NotFound for a client we don't hold."""
    store = deps.store
    client = store.get_client(client_id)
    if client is None:
        raise NotFound("There is no client with that id.")
    access_log.record(deps, viewer_id, client.id, "export", ip)
    sessions, history, messages = [], [], []
    for appointment in store.all_client_sessions(client.id):
        sessions.append(_row(appointment, barrier=appointment.barrier, note=appointment.note))
        events, sent = store.session_records(appointment.id)
        history += [dict(_row(e), session=appointment.id) for e in events]
        messages += [dict(_row(m, detail=None), session=appointment.id) for m in sent]
    tables = {
        "client": [_row(client)],
        "sessions": sessions,
        "session_history": history,
        "notes_and_barriers": [_row(i) for i in store.client_inbox(client.therapist_id, client.id)],
        "checkins": [_row(c) for c in store.all_checkins(client.id)],
        "messages": messages,
        "access_log": [_row(e) for e in store.whole_access_log(client.id)],
        "waitlist": [_row(e) for e in [store.waitlist_entry(client.id)] if e is not None],
    }
    stamp = deps.clock.now().strftime("%Y%m%d-%H%M")
    return Export(f"client-{client.id}-{stamp}.zip", _zip(tables, client.first_name, stamp), len(sessions))


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):  # a waitlist entry's days and parts of the day
        return sorted(str(_plain(v)) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _row(thing: Any, **override: object) -> dict:
    row = asdict(cast(Any, thing)) if is_dataclass(thing) else dict(thing)
    row.pop("password_hash", None)
    row.update(override)
    return {k: _plain(v) for k, v in row.items() if v is not None or k in override}


def _csv(rows: list[dict]) -> str:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in row.items()})
    return out.getvalue()


def _zip(tables: dict[str, list[dict]], first_name: str, stamp: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            archive.writestr(f"{name}.json", json.dumps(rows, indent=1, sort_keys=True))
            archive.writestr(f"{name}.csv", _csv(rows))
        archive.writestr("summary.html", _summary(tables, first_name, stamp))
    return buffer.getvalue()


def _summary(tables: dict[str, list[dict]], first_name: str, stamp: str) -> str:
    """A page a person can read without opening a spreadsheet."""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Your data, {html.escape(first_name)}"
             f"</title></head><body><h1>The data we hold for {html.escape(first_name)}</h1>"
             f"<p>Made {html.escape(stamp)} UTC. Each section is also in this archive as JSON and CSV.</p>"]
    for name, rows in tables.items():
        parts.append(f"<h2>{html.escape(name.replace('_', ' ').capitalize())} ({len(rows)})</h2>")
        if not rows:
            parts.append("<p>None.</p>")
            continue
        columns = list(dict.fromkeys(k for row in rows for k in row))
        head = "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(row.get(c, '')))}</td>" for c in columns) + "</tr>"
                       for row in rows)
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    return "".join(parts) + "</body></html>"
