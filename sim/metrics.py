"""What a scenario's quarter comes to: the figures per scenario, from the table and the counts."""
from __future__ import annotations

from datetime import datetime, timedelta

from portal.domain.model import Status
from portal.domain.timemath import local_wall_to_utc, to_local
from sim import parameters as P

COLUMNS = (
    ("booked", "Sessions booked"), ("attended", "Attended"), ("no_show_pct", "No-show %"),
    ("late_cancel_pct", "Late-cancel %"), ("missed_pct", "Missed %"), ("freed", "Slots freed"),
    ("refilled_pct", "Refilled %"), ("utilisation_pct", "Utilisation %"),
    ("messages_per_kept", "Messages / kept"), ("calls_per_session", "DynamoDB calls / session"),
    ("calls_per_kept", "DynamoDB calls / kept"), ("cost_per_500", "AWS $ / 500 sessions"),
)
CANCELLED = (Status.CANCELLED, Status.LATE_CANCELLED)


def figures(sim, start: datetime) -> dict:
    sessions = [a for own in sim.sessions.values() for a in own if start <= a.start < sim.end]
    booked = len(sessions)
    count = {s: sum(1 for a in sessions if a.status is s) for s in Status}
    late = sum(1 for a in sessions if a.status is Status.LATE_CANCELLED
               or (a.status is Status.CANCELLED and sim.cancels.get(a.id, (False,))[0]))
    freed = [a for a in sessions if a.status in CANCELLED]
    refilled = sum(1 for a in freed if _refilled(a, sim.sessions[a.therapist_id]))
    attended = count[Status.ATTENDED]
    to_clients = sum(sim.messages[c] for c in ("email", "sms", "voice"))
    counter = sim.counters[0]
    cost = (counter.read_units * P.PRICE_DYNAMODB_READ.value + counter.write_units * P.PRICE_DYNAMODB_WRITE.value
            + (sim.messages["email"] + sim.messages["to therapists"]) * P.PRICE_EMAIL.value
            + sim.messages["sms"] * P.PRICE_SMS.value + sim.messages["voice"] * P.PRICE_VOICE.value)
    out = {
        "booked": booked, "attended": attended,
        "no_show_pct": _pct(count[Status.NO_SHOW], booked), "late_cancel_pct": _pct(late, booked),
        "missed_pct": _pct(count[Status.NO_SHOW] + late, booked),
        "freed": len(freed), "refilled_pct": _pct(refilled, len(freed)),
        "utilisation_pct": _pct(attended * 1.0, _available_sessions(sim, start)),
        "messages_per_kept": round(to_clients / attended, 2) if attended else 0.0,
        "calls_per_session": round(counter.total / booked, 1) if booked else 0.0,
        "calls_per_kept": round(counter.total / attended, 1) if attended else 0.0,
        "cost_per_500": round(cost / booked * 500, 2) if booked else 0.0,
        "calls": counter.total, "messages_email": sim.messages["email"],
        "messages_sms": sim.messages["sms"], "messages_voice": sim.messages["voice"],
    }
    if len(sim.counters) > 1:
        out["dynamodb_api_calls"] = sim.counters[1].total
        out["dynamodb_api_calls_per_kept"] = round(sim.counters[1].total / attended, 1) if attended else 0.0
    return out


def _pct(part, whole) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _refilled(freed, own) -> bool:
    """Another session (not cancelled) holds some of the freed time at the end."""
    return any(a.id != freed.id and a.status not in CANCELLED and a.start < freed.end and freed.start < a.end
               for a in own)


def _available_sessions(sim, start: datetime) -> int:
    """How many sessions the therapists' weekly hours could hold over the quarter."""
    total = 0
    for therapist_id, therapist in sim.therapists.items():
        availability = sim.availability[therapist_id]
        step = timedelta(minutes=therapist.session_minutes + therapist.buffer_minutes)
        day = to_local(start, therapist.timezone).date()
        while (begin := local_wall_to_utc(day, availability.windows[0].start, therapist.timezone)) \
                and begin < sim.end:
            for window in availability.windows_on(day.weekday()):
                cursor = local_wall_to_utc(day, window.start, therapist.timezone)
                close = local_wall_to_utc(day, window.end, therapist.timezone)
                while cursor and close and cursor + timedelta(minutes=therapist.session_minutes) <= close:
                    total += start <= cursor < sim.end
                    cursor += step
            day += timedelta(days=1)
    return total
