"""The check-in forms (Flask-WTF: each carries the CSRF token). Messages are in plain words."""
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.domain.model import Barrier
from portal.services.messaging import checkins

PICK_SCORE = "Please choose one answer, from 1 to 5, then tap Send my check-in."
NO_BARRIER = ""


class CheckinForm(FlaskForm):
    score = RadioField("How are you doing?", choices=[(str(n), label) for n, label in checkins.SCORES],
                       validators=[InputRequired(PICK_SCORE)], validate_choice=False)
    barrier = RadioField("Is anything getting in the way of your next session?",
                         choices=[(NO_BARRIER, "No, nothing right now")] +
                         [(b.value, b.label) for b in Barrier],
                         validators=[Optional()], validate_choice=False, default=NO_BARRIER)
    note = TextAreaField("Anything you'd like to add? (optional)",
                         validators=[Optional(), Length(max=checkins.NOTE_MAX,
                                                        message=f"Please keep your note under "
                                                                f"{checkins.NOTE_MAX} characters.")])


class ToggleForm(FlaskForm):
    pass
