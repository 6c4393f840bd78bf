"""The "Closed days" section of the practice settings page: its own small form (country,
state, the coming year's public holidays ticked by default, the practice's own dates) and the
sessions already booked on a closed day, listed for their therapist to move."""
from flask import flash, g, redirect, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField

from portal.domain.errors import StaleVersion, ValidationError
from portal.domain.timemath import to_local
from portal.services.workspace import closed_days
from portal.services.workspace import settings as practice
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import admin_required, me
from portal.web.workspace.forms import SHORT, MultiCheckboxField, cap, capped, version_of

OWN_MAX, LISTED_MAX = 4000, 4000
LISTED_SEP = "\n"


class ClosedDaysForm(FlaskForm):
    version = HiddenField(validators=cap(SHORT))
    country = SelectField("Country", validate_choice=False)
    state = SelectField("State or region", validate_choice=False)
    holidays = MultiCheckboxField("Public holidays, closed when ticked", validate_choice=False)
    listed = HiddenField(validators=cap(LISTED_MAX))
    own = TextAreaField("The practice's own closed days", cap(OWN_MAX))


def _label(class_name: str) -> str:
    """``UnitedStates`` reads "United States"."""
    return "".join(f" {c}" if c.isupper() and i else c for i, c in enumerate(class_name)).strip()


def _country_choices(codes) -> list[tuple[str, str]]:
    from holidays.registry import COUNTRIES  # the settings page only (see services/workspace/closed_days.py)

    names = {entry[1]: _label(entry[0]) for entry in COUNTRIES.values()}
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda c: c[1])


def closed_days_form():
    """The section as stored now, or as posted back with its problem (settings page only)."""
    d, problem = deps(), g.get("closed_problem", "")
    current = d.store.get_settings()
    today = to_local(d.clock.now(), current.timezone).date()
    supported = closed_days.countries()
    country = current.holiday_country if current.holiday_country in supported else "US"
    upcoming = closed_days.upcoming_holidays(current, today)
    form = ClosedDaysForm(formdata=request.form if problem else None, data={
        "version": str(current.version), "country": country, "state": current.holiday_state,
        "holidays": [h.name for h in upcoming if h.closed],
        "listed": LISTED_SEP.join(h.name for h in upcoming),
        "own": "\n".join(f"{day:%Y-%m-%d}" for day in current.own_closed_days if day >= today)})
    form.country.choices = _country_choices(supported)
    form.state.choices = [("", "The whole country")] + [(s, s) for s in supported.get(country, [])]
    seen, form.holidays.choices = set(), []
    for h in upcoming:
        if h.name not in seen:
            seen.add(h.name)
            form.holidays.choices.append((h.name, f"{h.name}, {h.day:%a %b %-d, %Y}"))
    if problem:
        form.own.errors = [problem]
    booked = closed_days.booked_on_closed_days(d, current)
    return {"form": form, "booked": booked, "closed": [day for day in current.closed_days if day >= today]}


def _names(listed) -> list[str]:
    """A browser sends the hidden list's line ends as CRLF."""
    return [name.strip() for name in (listed or "").splitlines() if name.strip()]


@bp.context_processor
def _closed_days_for_settings():
    return {"closed_days_section": closed_days_form}


@bp.post("/settings/closed-days")
@admin_required
@capped(ClosedDaysForm)
def save_closed_days():
    form = ClosedDaysForm()
    stored = practice.current_settings(deps())
    country = (form.country.data or "US").strip().upper()
    # A new country's states differ: its holidays are the whole country's until one is picked.
    state = form.state.data if country == stored.holiday_country else ""
    try:
        saved = closed_days.change_closed_days(
            deps(), me(), country, state or "", _names(form.listed.data),
            form.holidays.data or [], form.own.data or "", version_of(form.version.data))
    except StaleVersion as problem:
        flash(str(problem) + " Please choose the closed days again.", "warning")
        return redirect(url_for("workspace.settings"))
    except ValidationError as problem:
        from portal.web.workspace.settings import settings

        g.closed_problem = str(problem)
        return settings()[0], 400
    booked = closed_days.booked_on_closed_days(deps(), saved)
    many = f"{len(booked)} booked sessions fall" if len(booked) > 1 else "1 booked session falls"
    flash(f"Closed days saved: {len(saved.closed_days)} days in the next two years."
          + (f" {many} on a closed day. They are still on, listed below to move." if booked else ""), "info")
    return redirect(url_for("workspace.settings") + "#closed-h")
