"""Attendance figures as SVG charts with the same numbers in tables, and a CSV export."""
from flask import Response, render_template
from flask.typing import ResponseReturnValue

from portal.domain.model import Status
from portal.services.workspace.figures import PERIODS, attendance_figures, figures_csv
from portal.web import deps
from portal.web.svg_charts import Bar, bar_chart
from portal.web.workspace import bp
from portal.web.workspace.common import me

DUE, HAPPENED = "sessions due", "sessions that have happened"


def share(rate, base: int, counted: str) -> str:
    """A rate with what it counts: "67% of 36 sessions that have happened"."""
    return f"none yet (no {counted})" if rate is None else f"{rate * 100:.0f}% of {base} {counted}"


def _charts(figures):
    practice = figures.practice[max(PERIODS)]
    rates = [Bar(label, rate or 0, share(rate, base, counted)) for label, rate, base, counted in (
        ("Attended", practice.rate(Status.ATTENDED), practice.due, DUE),
        ("Cancelled late", practice.rate(Status.LATE_CANCELLED), practice.due, DUE),
        ("No-show", practice.rate(Status.NO_SHOW), practice.due, DUE),
        ("Confirmed from a reminder", practice.reminder_share, practice.kept_to_time, HAPPENED))]
    weekday = [Bar(b.label, b.missed_rate or 0, share(b.missed_rate, b.due, DUE)) for b in figures.by_weekday]
    hour = [Bar(b.label, b.missed_rate or 0, share(b.missed_rate, b.due, DUE)) for b in figures.by_hour]
    barriers = [Bar(barrier.label, count, f"{count} session{'' if count == 1 else 's'}")
                for barrier, count in figures.barriers]
    return {
        "rates": bar_chart("chart-rates", "Practice, last 90 days: share of sessions", rates, maximum=1),
        "weekday": bar_chart("chart-weekday", "Missed or cancelled late, by weekday (90 days)",
                             weekday, maximum=1, color=1),
        "hour": bar_chart("chart-hour", "Missed or cancelled late, by starting hour (90 days)",
                          hour, maximum=1, color=1),
        "barriers": bar_chart("chart-barriers", "What got in the way (90 days)", barriers, color=3),
    }


@bp.get("/stats")
def stats() -> ResponseReturnValue:
    figures = attendance_figures(deps(), me())
    return render_template("workspace/stats.html", figures=figures, charts=_charts(figures),
                           periods=PERIODS, Status=Status)


@bp.get("/stats.csv")
def stats_csv() -> ResponseReturnValue:
    figures = attendance_figures(deps(), me())
    return Response(figures_csv(figures), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="attendance.csv"'})
