"""A word to the therapist from the session's page: a note, or "I'm running late". POSTs only."""
from __future__ import annotations

from flask import flash
from flask.typing import ResponseReturnValue

from portal.interfaces import AppointmentContext
from portal.services.client import notes
from portal.web import deps
from portal.web.client import to_page
from portal.web.client.changes import client_change
from portal.web.client.forms import LateForm, NoteForm


@client_change("/<token>/note", NoteForm)
def send_note(ctx: AppointmentContext, form: NoteForm) -> ResponseReturnValue:
    notes.send_note(deps(), ctx.appointment, ctx.therapist, ctx.settings, form.text.data)
    flash(f"Sent. {ctx.therapist.name} will see your note.", "info")
    return to_page(ctx.appointment)


@client_change("/<token>/late", LateForm)
def running_late(ctx: AppointmentContext, form: LateForm) -> ResponseReturnValue:
    minutes = int(form.minutes.data)
    notes.running_late(deps(), ctx.appointment, ctx.therapist, ctx.settings, minutes)
    flash(f"Thanks for letting us know. {ctx.therapist.name} knows you'll be about {minutes} minutes late.",
          "info")
    return to_page(ctx.appointment)
