"""Attendance figures as SVG charts with the same numbers in tables, and a CSV export."""
from flask import Response, render_template

from portal.domain.model import Status
from portal.services.stats import PERIODS, attendance_figures, figures_csv
from portal.web import deps
from portal.web.svg_charts import Bar, bar_chart
from portal.web.workspace import bp
from portal.web.workspace.common import me


def _pct(value):
    return "none yet" if value is None else f"{value * 100:.0f}%"


def _charts(figures):
    practice = figures.practice[max(PERIODS)]
    rates = [Bar(label, rate or 0, _pct(rate)) for label, rate in (
        ("Attended", practice.rate(Status.ATTENDED)),
        ("Cancelled late", practice.rate(Status.LATE_CANCELLED)),
        ("No-show", practice.rate(Status.NO_SHOW)),
        ("From a reminder", practice.reminder_share))]
    weekday = [Bar(b.label, b.missed_rate or 0, f"{_pct(b.missed_rate)} of {b.due}") for b in figures.by_weekday]
    hour = [Bar(b.label, b.missed_rate or 0, f"{_pct(b.missed_rate)} of {b.due}") for b in figures.by_hour]
    barriers = [Bar(barrier.label, count, str(count)) for barrier, count in figures.barriers]
    return {
        "rates": bar_chart("chart-rates", "Practice, last 90 days: share of sessions", rates, maximum=1),
        "weekday": bar_chart("chart-weekday", "Missed or cancelled late, by weekday (90 days)",
                             weekday, maximum=1, color=1),
        "hour": bar_chart("chart-hour", "Missed or cancelled late, by starting hour (90 days)",
                          hour, maximum=1, color=1),
        "barriers": bar_chart("chart-barriers", "What got in the way (90 days)", barriers, color=3),
    }


@bp.get("/stats")
def stats():
    figures = attendance_figures(deps(), me())
    return render_template("therapist/stats.html", figures=figures, charts=_charts(figures),
                           periods=PERIODS, Status=Status)


@bp.get("/stats.csv")
def stats_csv():
    figures = attendance_figures(deps(), me())
    return Response(figures_csv(figures), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="attendance.csv"'})
