"""WTForms for the workspace. Fields stay strings: the services parse them and answer
in words written for the therapist, which the views attach to the fields."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, Form, FieldList, FormField, HiddenField, PasswordField, SelectField,
    SelectMultipleField, StringField, TextAreaField,
)
from wtforms.widgets import (
    CheckboxInput, DateInput, EmailInput, ListWidget, NumberInput, TelInput, TimeInput,
)

from portal.domain.model import BARRIER_LABELS, WEEKDAYS, Channel

CHANNEL_CHOICES = [(Channel.EMAIL.value, "Email"), (Channel.SMS.value, "Text message (SMS)"),
                   (Channel.VOICE.value, "Phone call")]
MODE_CHOICES = [("in_person", "In person"), ("tele", "Video (teletherapy)")]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):
    email = StringField("Email", widget=EmailInput())
    password = PasswordField("Password")
    next = HiddenField()


class PasswordForm(FlaskForm):
    current = PasswordField("Current password")
    new = PasswordField("New password (at least 10 characters)")
    repeat = PasswordField("New password again")


class WindowForm(Form):
    weekday = SelectField("Day", choices=[(str(n), name) for n, name in enumerate(WEEKDAYS)])
    start = StringField("From", widget=TimeInput())
    end = StringField("Until", widget=TimeInput())
    modes = MultiCheckboxField("Offered", choices=[("in_person", "In person"), ("tele", "Video")])
    remove = BooleanField("Remove")


class TimeOffForm(Form):
    first_day = StringField("First day off", widget=DateInput())
    last_day = StringField("Last day off", widget=DateInput())
    reason = StringField("Note (only you see it)")
    remove = BooleanField("Remove")


class AvailabilityForm(FlaskForm):
    version = HiddenField()
    session_minutes = StringField("Session length (minutes)", widget=NumberInput(min=15, max=150, step=5))
    buffer_minutes = StringField("Buffer after each session (minutes)", widget=NumberInput(min=0, max=30, step=5))
    windows = FieldList(FormField(WindowForm))
    time_off = FieldList(FormField(TimeOffForm))


class BookingRulesForm(FlaskForm):
    version = HiddenField()
    min_notice_hours = StringField("Minimum notice (hours)", widget=NumberInput(min=0, max=336))
    booking_horizon_days = StringField("Booking horizon (days ahead)", widget=NumberInput(min=1, max=365))


class ClientForm(FlaskForm):
    first_name = StringField("First name")
    last_name = StringField("Last name")
    email = StringField("Email", widget=EmailInput())
    phone = StringField("Mobile or phone number", widget=TelInput())
    timezone = StringField("Time zone")
    channels = MultiCheckboxField("Send reminders by", choices=CHANNEL_CHOICES)
    sms_consent = BooleanField("The client agreed to receive text messages")


class BookForm(FlaskForm):
    start = StringField("Time")
    mode = SelectField("How you meet", choices=MODE_CHOICES)
    location = StringField("Place (for in-person sessions)")
    repeat = SelectField("Repeat", choices=[("0", "Just this session"), ("1", "Every week"),
                                            ("2", "Every two weeks")])
    count = StringField("Number of sessions (for a series)", widget=NumberInput(min=1, max=26))


class RescheduleForm(FlaskForm):
    version = HiddenField()
    start = StringField("New time")
    mode = SelectField("How you meet", choices=[("", "Keep as it is")] + MODE_CHOICES)


class CancelForm(FlaskForm):
    version = HiddenField()
    barrier = SelectField("What got in the way (optional)",
                          choices=[("", "Not said")] + [(b.value, label) for b, label in BARRIER_LABELS.items()])
    note = TextAreaField("Note (optional, only therapists see it)")


class ReminderRuleForm(Form):
    hours_before = StringField("Hours before", widget=NumberInput(min=1, max=336))
    channels = MultiCheckboxField("Send by", choices=CHANNEL_CHOICES)
    remove = BooleanField("Remove")


class SettingsForm(FlaskForm):
    version = HiddenField()
    display_name = StringField("Practice name used in messages")
    contact_phone = StringField("Contact phone", widget=TelInput())
    late_cancel_hours = StringField("Late-cancel window (hours before a session)", widget=NumberInput(min=0, max=336))
    min_notice_hours = StringField("Minimum notice for booking (hours)", widget=NumberInput(min=0, max=336))
    booking_horizon_days = StringField("Booking horizon (days ahead)", widget=NumberInput(min=1, max=365))
    reminders = FieldList(FormField(ReminderRuleForm))
    nudge_hours = StringField("Nudge if still not confirmed (hours before)", widget=NumberInput(min=0, max=336))
    quiet_start = StringField("Quiet hours start (no texts or calls)", widget=TimeInput())
    quiet_end = StringField("Quiet hours end", widget=TimeInput())
    cost_text = TextAreaField("Help with cost (shown to clients who say cost is in the way)")
    crisis_text = TextAreaField("Crisis resources (shown to clients)")
    tele_link_template = StringField("Teletherapy link template ({appointment_id} is replaced)")


class TherapistForm(FlaskForm):
    name = StringField("Name clients see")
    email = StringField("Sign-in email", widget=EmailInput())
    timezone = StringField("Time zone")
    role = SelectField("Role", choices=[("therapist", "Therapist"), ("admin", "Practice admin")])


def apply_errors(form, errors: dict):
    """Attach a service's FormErrors to the form's fields (unknown names go to the top)."""
    general = []
    for name, message in errors.items():
        if name in form._fields:
            form[name].errors = list(form[name].errors or []) + [message]
        else:
            general.append(message)
    return general
