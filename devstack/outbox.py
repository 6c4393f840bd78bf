"""Dev only: every message sent through the emulator, for the dev panel's outbox.

The dev notifier sends through the emulator (SES, SNS; voice is recorded because moto
has no voice API) and then logs what the emulator accepted, with its message id and
the dev clock's time, in the table. The outbox reads that log with one Query.

Why not moto's ``/moto-api/data.json``: moto tracks every model instance it ever made
(each DynamoDB item write adds one), so that dump grows with every write and takes
seconds within minutes of use. Tests still cross-check the log against it.
"""
from __future__ import annotations

import re
import uuid

from portal.domain.retention import body_expiry

OUTBOX_PK = "DEVOUTBOX"
LINK = re.compile(r"https?://[^\s\"'<>)]+")


class SentLog:
    """Wraps a notifier; records each accepted message for the outbox (dev only)."""

    def __init__(self, inner, store, clock):
        self.inner, self.store, self.clock = inner, store, clock

    def _log(self, message_id, channel, to, subject, text):
        if message_id is None:
            return None  # declined (a suppressed address): nothing went out
        now = self.clock.now()
        self.store.table.put({  # a dev-only record: straight into the table
            "pk": OUTBOX_PK, "sk": f"{now.isoformat()}#{uuid.uuid4().hex[:6]}", "type": "outbox",
            "id": message_id, "channel": channel, "to": to, "subject": subject, "text": text,
            "sent_at": now.isoformat(),
            # The one place a sent message's body is kept: it goes after the practice's window
            # (the message's status stays on its own record).
            "expires_at": body_expiry(now, self.store.get_settings().body_days),
        })
        return message_id

    def send_email(self, message):
        message_id = self.inner.send_email(message)
        return self._log(message_id, "email", message.to, message.subject, message.text)

    def send_sms(self, to, text):
        return self._log(self.inner.send_sms(to, text), "sms", to, "", text)

    def send_voice(self, to, text):
        return self._log(self.inner.send_voice(to, text), "voice", to, "", text)


def read_outbox(store) -> list[dict]:
    """Newest first."""
    records = store.live_items(store.table.query(OUTBOX_PK, reverse=True))
    return [{"id": r["id"], "channel": r["channel"], "to": r["to"], "subject": r.get("subject", ""),
             "text": r["text"], "links": list(dict.fromkeys(LINK.findall(r["text"]))),
             "sent_at": r["sent_at"]} for r in records]
