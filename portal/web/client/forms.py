"""The client's forms (Flask-WTF: each carries the CSRF token). Messages are in plain words.

Hidden fields are written by hand in the templates (a page holds several forms, and
repeated ids would confuse assistive technology); these classes validate what comes back.
"""
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from portal.domain.model import Barrier, Mode
from portal.services.sessions.booking import NOTE_MAX

MODES = [m.value for m in Mode]
BARRIERS = [b.value for b in Barrier]
RELOAD = "This page was out of date. Please try again from the page below."
PICK_TIME = "Please pick one of the times shown."
NOTE_TOO_LONG = f"Please keep your note under {NOTE_MAX} characters."


class ChangeForm(FlaskForm):
    """Every change names the version of the session the client was looking at."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(RELOAD)])


class ConfirmForm(ChangeForm):
    pass


class ModeForm(ChangeForm):
    mode = HiddenField(validators=[AnyOf(MODES, message="Please choose in person or video.")])
    keep = HiddenField(validators=[Optional(), AnyOf(["yes"], message=RELOAD)])  # "Keep it, by video"


class SlotForm(FlaskForm):
    """One of the time buttons (name="start") was pressed."""

    start = StringField(validators=[InputRequired(PICK_TIME), Length(max=20, message=PICK_TIME)])
    mode = HiddenField(validators=[Optional(), AnyOf(MODES, message=PICK_TIME)])
    confirmed = HiddenField(validators=[Optional(), AnyOf(["yes"], message=RELOAD)])  # from the ask


class RescheduleForm(SlotForm, ChangeForm):
    pass


class UndoForm(ChangeForm):
    pass


class RebookForm(SlotForm):
    pass


class BarrierForm(FlaskForm):
    """Before cancelling: what got in the way (optional), and a note (optional)."""

    # Not feeling well comes first: its crisis help then opens high on a phone's first screen.
    barrier = RadioField("What got in the way?", choices=[(b.value, b.label) for b in sorted(
                             Barrier, key=lambda b: b is not Barrier.ILLNESS)],
                         validators=[Optional()], validate_choice=False)
    note = TextAreaField("Anything you'd like your therapist to know? (optional)",
                         validators=[Optional(), Length(max=NOTE_MAX, message=NOTE_TOO_LONG)])

    def validate_barrier(self, field):
        if field.data and field.data not in BARRIERS:
            raise ValidationError("Please choose one of the answers, or none.")


class CancelForm(ChangeForm):
    barrier = HiddenField(validators=[Optional(), AnyOf(BARRIERS, message=RELOAD)])
    note = HiddenField(validators=[Optional(), Length(max=NOTE_MAX, message=NOTE_TOO_LONG)])


def barrier_of(value: str | None) -> Barrier | None:
    return Barrier(value) if value in BARRIERS else None


def mode_of(value: str | None) -> Mode | None:
    return Mode(value) if value in MODES else None


class NoteForm(FlaskForm):
    """A note to the therapist, any time (no version: it changes nothing about the session)."""

    text = TextAreaField(validators=[InputRequired("Please write your note first, then tap Send."),
                                     Length(max=NOTE_MAX, message=NOTE_TOO_LONG)])


class LateForm(FlaskForm):
    minutes = HiddenField(validators=[AnyOf(("5", "10", "15"), message="Please choose 5, 10 or 15 minutes.")])
