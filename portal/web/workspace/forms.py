"""WTForms for the workspace. Fields stay strings: the services parse them and answer
in words written for the therapist, which the views attach to the fields.

Every field has a length cap (rendered as ``maxlength``, so a browser stops a person at
it); ``capped`` refuses a crafted POST over any cap before its view does any work.
"""
from __future__ import annotations

from functools import wraps

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length
from wtforms.widgets import (
    CheckboxInput,
    DateInput,
    EmailInput,
    ListWidget,
    NumberInput,
    TelInput,
    TimeInput,
)

from portal.domain.model import BARRIER_LABELS, WEEKDAYS, Channel
from portal.services.accounts.sign_in import EMAIL_MAX, PASSWORD_MAX
from portal.services.sessions.booking import NOTE_MAX
from portal.services.workspace.clients import NAME_MAX
from portal.services.workspace.settings import TEXT_MAX
from portal.web.errors import error_page

# Caps on what a field may hold; the services check meaning and tighter limits.
SHORT, TIME, NUMBER, PHONE, ZONE, PLACE, URL = 20, 20, 20, 40, 64, 200, 500
NEXT_MAX = 500
VERSION_MAX = 10 ** 9  # a stored version never gets near; DynamoDB numbers stay small

CHANNEL_CHOICES = [(Channel.EMAIL.value, "Email"), (Channel.SMS.value, "Text message (SMS)"),
                   (Channel.VOICE.value, "Phone call")]
MODE_CHOICES = [("in_person", "In person"), ("tele", "Video (teletherapy)")]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def cap(limit: int):
    """A field's length cap, with the words shown if a crafted request goes over it."""
    return [Length(max=limit, message=f"Please keep this under {limit} characters.")]


class LoginForm(FlaskForm):
    email = StringField("Email", cap(EMAIL_MAX), widget=EmailInput())
    password = PasswordField("Password", cap(PASSWORD_MAX))
    next = HiddenField(validators=cap(NEXT_MAX))


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", cap(PASSWORD_MAX))
    new = PasswordField("New password (at least 10 characters)", cap(PASSWORD_MAX))
    repeat = PasswordField("New password again", cap(PASSWORD_MAX))


class WindowForm(Form):
    weekday = SelectField("Day", choices=[(str(n), name) for n, name in enumerate(WEEKDAYS)])
    start = StringField("From", cap(TIME), widget=TimeInput())
    end = StringField("Until", cap(TIME), widget=TimeInput())
    modes = MultiCheckboxField("Offered", choices=[("in_person", "In person"), ("tele", "Video")])
    remove = BooleanField("Remove")


class TimeOffForm(Form):
    first_day = StringField("First day off", cap(SHORT), widget=DateInput())
    last_day = StringField("Last day off", cap(SHORT), widget=DateInput())
    reason = StringField("Note (only you see it)", cap(NAME_MAX))
    remove = BooleanField("Remove")


class AvailabilityForm(FlaskForm):
    version = HiddenField(validators=cap(SHORT))
    session_minutes = StringField("Session length (minutes)", cap(NUMBER),
                                  widget=NumberInput(min=15, max=150, step=5))
    buffer_minutes = StringField("Buffer after each session (minutes)", cap(NUMBER),
                                 widget=NumberInput(min=0, max=30, step=5))
    windows = FieldList(FormField(WindowForm), max_entries=60)
    time_off = FieldList(FormField(TimeOffForm), max_entries=60)


class BookingRulesForm(FlaskForm):
    version = HiddenField(validators=cap(SHORT))
    min_notice_hours = StringField("Minimum notice (hours)", cap(NUMBER), widget=NumberInput(min=0, max=336))
    booking_horizon_days = StringField("Booking horizon (days ahead)", cap(NUMBER),
                                       widget=NumberInput(min=1, max=365))


class ClientForm(FlaskForm):
    first_name = StringField("First name", cap(NAME_MAX))
    last_name = StringField("Last name", cap(NAME_MAX))
    email = StringField("Email", cap(EMAIL_MAX), widget=EmailInput())
    phone = StringField("Mobile or phone number", cap(PHONE), widget=TelInput())
    timezone = StringField("Time zone", cap(ZONE))
    channels = MultiCheckboxField("Send reminders by", choices=CHANNEL_CHOICES)
    sms_consent = BooleanField("The client agreed to receive text messages")


class BookForm(FlaskForm):
    start = StringField("Time", cap(SHORT * 2))
    mode = SelectField("How you meet", choices=MODE_CHOICES)
    location = StringField("Place (for in-person sessions)", cap(PLACE))
    repeat = SelectField("Repeat", choices=[("0", "Just this session"), ("1", "Every week"),
                                            ("2", "Every two weeks")])
    count = StringField("Number of sessions (for a series)", cap(NUMBER), widget=NumberInput(min=1, max=26))


class RescheduleForm(FlaskForm):
    version = HiddenField(validators=cap(SHORT))
    start = StringField("New time", cap(SHORT * 2))
    mode = SelectField("How you meet", choices=[("", "Keep as it is")] + MODE_CHOICES)


class CancelForm(FlaskForm):
    version = HiddenField(validators=cap(SHORT))
    barrier = SelectField("What got in the way (optional)",
                          choices=[("", "Not said")] + [(b.value, label) for b, label in BARRIER_LABELS.items()])
    note = TextAreaField("Note (optional, only therapists see it)", cap(NOTE_MAX))


class ReassignForm(FlaskForm):
    """A deactivated therapist's session: handed to ``to``, or cancelled kindly (version only)."""
    version = HiddenField(validators=cap(SHORT))
    to = StringField("Reassign to", cap(SHORT * 4))


class ReminderRuleForm(Form):
    hours_before = StringField("Hours before", cap(NUMBER), widget=NumberInput(min=1, max=336))
    channels = MultiCheckboxField("Send by", choices=CHANNEL_CHOICES)
    remove = BooleanField("Remove")


class SettingsForm(FlaskForm):
    version = HiddenField(validators=cap(SHORT))
    display_name = StringField("Practice name used in messages", cap(NAME_MAX))
    contact_phone = StringField("Contact phone", cap(PHONE), widget=TelInput())
    late_cancel_hours = StringField("Late-cancel window (hours before a session)", cap(NUMBER),
                                    widget=NumberInput(min=0, max=336))
    min_notice_hours = StringField("Minimum notice for booking (hours)", cap(NUMBER),
                                   widget=NumberInput(min=0, max=336))
    booking_horizon_days = StringField("Booking horizon (days ahead)", cap(NUMBER),
                                       widget=NumberInput(min=1, max=365))
    reminders = FieldList(FormField(ReminderRuleForm), max_entries=20)
    nudge_hours = StringField("Nudge if still not confirmed (hours before)", cap(NUMBER),
                              widget=NumberInput(min=0, max=336))
    quiet_start = StringField("Quiet hours start (no texts or calls)", cap(TIME), widget=TimeInput())
    quiet_end = StringField("Quiet hours end", cap(TIME), widget=TimeInput())
    cost_text = TextAreaField("Help with cost (shown to clients who say cost is in the way)", cap(TEXT_MAX))
    crisis_text = TextAreaField("Crisis resources (shown to clients)", cap(TEXT_MAX))
    tele_link_template = StringField("Teletherapy link template ({appointment_id} is replaced)", cap(URL))
    change_grace_minutes = StringField("Wait before confirming a client's change (minutes)", cap(NUMBER),
                                       widget=NumberInput(min=0, max=30))
    # The waitlist (templates/workspace/_waitlist_settings.html)
    waitlist_on = BooleanField("Offer freed times to clients on the waitlist")
    wave_size = StringField("Clients per wave", cap(NUMBER), widget=NumberInput(min=1, max=10))
    claim_minutes = StringField("Claim window (minutes before the next wave)", cap(NUMBER),
                                widget=NumberInput(min=5, max=120))
    grace_minutes = StringField("Wait before offering a freed time (minutes)", cap(NUMBER),
                                widget=NumberInput(min=0, max=60))
    body_days = StringField("Keep the text of sent messages (days)", cap(NUMBER),
                            widget=NumberInput(min=7, max=365))
    marker_days = StringField("Keep records of one-off messages sent (days)", cap(NUMBER),
                              widget=NumberInput(min=7, max=90))


class TherapistForm(FlaskForm):
    name = StringField("Name clients see", cap(NAME_MAX))
    email = StringField("Sign-in email", cap(EMAIL_MAX), widget=EmailInput())
    timezone = StringField("Time zone", cap(ZONE))
    role = SelectField("Role", choices=[("therapist", "Therapist"), ("admin", "Practice admin")])


def over_caps(form) -> list[str]:
    """What goes over a length cap, field by field (rows of a list included), in words."""
    problems = []
    for field in form:
        if field.type == "FieldList":
            for entry in field.entries:
                problems += over_caps(entry.form)
        elif field.type == "FormField":
            problems += over_caps(field.form)
        else:
            for check in field.validators:
                if isinstance(check, Length) and len(str(field.data or "")) > check.max:
                    problems.append(f"{field.label.text}: please keep it under {check.max} characters.")
    return problems


def capped(form_class):
    """A POST whose fields go over their caps is refused (400) before the view does any work."""
    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            problems = over_caps(form_class(meta={"csrf": False}))
            if problems:
                return error_page(400, "Some of that is too long", " ".join(problems))
            return view(*args, **kwargs)
        return checked
    return decorate


def version_of(raw) -> int:
    """The version a form was opened with; a missing or tampered one is stale (-1)."""
    try:
        value = int(str(raw or "").strip())
    except ValueError:
        return -1
    return value if 0 <= value < VERSION_MAX else -1


def apply_errors(form, errors: dict):
    """Attach a service's FormErrors to the form's fields (unknown names go to the top)."""
    general = []
    for name, message in errors.items():
        if name in form._fields:
            form[name].errors = list(form[name].errors or []) + [message]
        else:
            general.append(message)
    return general
