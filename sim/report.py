"""The report: a table for the terminal, results.csv, and a self-contained report.html
(server-rendered SVG bars from portal.web.svg_charts, as the figures page draws them)."""
from __future__ import annotations

import csv
import statistics
from pathlib import Path

from markupsafe import escape

from portal.web.svg_charts import Bar, bar_chart
from sim.invariants import NAMES
from sim.metrics import COLUMNS
from sim.parameters import all_parameters

PROJECTION = ("These figures are a model's projection under the listed assumptions, not "
              "measurements of any practice.")
SHORT = {"booked": "Booked", "attended": "Kept", "no_show_pct": "NoShow%", "late_cancel_pct": "Late%",
         "missed_pct": "Missed%", "freed": "Freed", "refilled_pct": "Refill%", "utilisation_pct": "Util%",
         "messages_per_kept": "Msg/kept", "calls_per_session": "DDB/sess", "calls_per_kept": "DDB/kept",
         "cost_per_500": "$/500"}


def relative_change(rows: list[dict], baseline_key="none", metric="missed_pct") -> dict:
    """Scenario -> (mean %, low, high): the change in ``metric`` against the baseline, over seeds
    (a t-interval at 95% when there are several seeds; one seed gives no interval)."""
    by_seed = {}
    for row in rows:
        by_seed.setdefault(row["seed"], {})[row["scenario"]] = row
    out = {}
    for scenario in dict.fromkeys(r["scenario"] for r in rows):
        changes = [100.0 * (seeded[scenario][metric] - seeded[baseline_key][metric]) / seeded[baseline_key][metric]
                   for seeded in by_seed.values()
                   if scenario in seeded and baseline_key in seeded and seeded[baseline_key][metric]]
        if not changes:
            continue
        mean = statistics.fmean(changes)
        if len(changes) < 2:
            out[scenario] = (mean, None, None)
            continue
        half = T95.get(len(changes) - 1, 2.0) * statistics.stdev(changes) / len(changes) ** 0.5
        out[scenario] = (mean, mean - half, mean + half)
    return out


T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26}


def _ordered(rows, seed):
    from sim.scenarios import ALL

    order = {s.key: n for n, s in enumerate(ALL)}
    return sorted((r for r in rows if r["seed"] == seed), key=lambda r: order.get(r["scenario"], 99))


def terminal_table(rows: list[dict], seed: int) -> str:
    shown = _ordered(rows, seed)
    heads = ["Scenario"] + [SHORT[k] for k, _ in COLUMNS]
    body = [[r["title"]] + [_fmt(r[k]) for k, _ in COLUMNS] for r in shown]
    widths = [max(len(str(x)) for x in col) for col in zip(heads, *body)]
    line = lambda cells: "  ".join(str(c).rjust(w) if n else str(c).ljust(w)  # noqa: E731
                                   for n, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(heads), line(["-" * w for w in widths])] + [line(b) for b in body])


def markdown_table(rows: list[dict], seed: int) -> str:
    shown = _ordered(rows, seed)
    heads = ["Scenario"] + [label for _, label in COLUMNS]
    out = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    out += ["| " + " | ".join([r["title"]] + [_fmt(r[k]) for k, _ in COLUMNS]) + " |" for r in shown]
    return "\n".join(out)


def _fmt(value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def write_csv(path: Path, rows: list[dict], columns: tuple = ()):
    """One row per dict; ``columns`` first (kept even when there are no rows), then any others."""
    names = list(dict.fromkeys([*columns, *(k for r in rows for k in r)]))
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)


def write_html(path: Path, rows: list[dict], *, seed: int, passed: dict, run: dict):
    shown = _ordered(rows, seed)
    change = relative_change(rows)
    seeds = sorted({r["seed"] for r in rows})
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Simulated practice</title>"
             f"<style>{CSS}</style></head><body><main>",
             "<h1>A simulated practice's quarter</h1>",
             f"<p class='warn'><strong>{escape(PROJECTION)}</strong></p>",
             f"<p>{escape(run['summary'])}</p>",
             "<h2>Per scenario</h2>", _table(shown),
             "<h2>Missed sessions (no-shows and late cancels)</h2>",
             bar_chart("missed", "Missed sessions, % of booked",
                       [Bar(r["title"], r["missed_pct"], f"{r['missed_pct']:.1f}%") for r in shown]),
             f"<h2>Change in missed sessions against \u201cno reminders\u201d</h2>"
             f"<p>Mean over {len(seeds)} seed(s) ({', '.join(map(str, seeds))})"
             f"{', with a 95% interval' if len(seeds) > 1 else '; run with --ci-seeds 5 for an interval'}.</p>",
             _change_table(shown, change),
             "<h2>The risk score, 24 hours before each session</h2>",
             f"<pre>{escape(run.get('risk', ''))}</pre>"]
    parts += ["<h2>Invariants (each fatal when broken)</h2><table><tr><th>Invariant</th><th>Checks passed</th></tr>"]
    parts += [f"<tr><td>{escape(label)}</td><td>{passed.get(name, 0)}</td></tr>" for name, label in NAMES.items()]
    parts += ["</table><h2>Assumptions and sources</h2><table><tr><th>Parameter</th><th>Value</th>"
              "<th>Meaning</th><th>Source</th></tr>"]
    parts += [f"<tr><td>{escape(name)}</td><td>{escape(str(p.value))}</td><td>{escape(p.meaning)}</td>"
              f"<td>{escape(p.source)}</td></tr>" for name, p in all_parameters().items()]
    limits = "".join(f"<li>{escape(x)}</li>" for x in LIMITS)
    parts += ["</table>", f"<h2>What the model cannot tell</h2><ul>{limits}</ul>", "</main></body></html>"]
    path.write_text("".join(str(p) for p in parts))


def _table(rows):
    head = "".join(f"<th>{escape(label)}</th>" for _, label in COLUMNS)
    body = "".join(f"<tr><td>{escape(r['title'])}</td>"
                   + "".join(f"<td>{escape(_fmt(r[k]))}</td>" for k, _ in COLUMNS) + "</tr>" for r in rows)
    return f"<table><tr><th>Scenario</th>{head}</tr>{body}</table>"


def _change_table(rows, change):
    out = ["<table><tr><th>Scenario</th><th>Missed %</th><th>Change</th><th>95% interval</th></tr>"]
    for r in rows:
        mean, low, high = change.get(r["scenario"], (None, None, None))
        interval = f"{low:+.0f}% to {high:+.0f}%" if low is not None else "(one seed)"
        out.append(f"<tr><td>{escape(r['title'])}</td><td>{r['missed_pct']:.1f}</td>"
                   f"<td>{'' if mean is None else f'{mean:+.0f}%'}</td><td>{interval}</td></tr>")
    return "".join(out) + "</table>"


LIMITS = (
    "It cannot say what real clients do: every behaviour is a parameter above, most assumed.",
    "Two-way links and barrier offers cannot be switched off in the product; 'off' means the "
    "simulated clients ignore them, so the difference is the clients' use, not the pages'.",
    "Forgetting is one curve reset by any cue; real memory, habits and life events are richer.",
    "Barriers are independent week to week; real ones cluster (a bad month, a long illness).",
    "No new clients, no therapist absences, no dropping out of care.",
    "Waitlist clients are drawn from one share and answer every offer alike; whether real "
    "clients in a weekly series want earlier times at all is unmeasured.",
    "Costs use list prices and count one request unit per read call; large items cost more.",
)
CSS = ("body{font-family:system-ui,sans-serif;margin:0;color:#1f2a30}main{max-width:1100px;margin:auto;"
       "padding:1rem}table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}td,th{border:1px solid "
       "#c9d3d0;padding:.3rem .5rem;text-align:left;vertical-align:top}.warn{background:#fff4e0;padding:.6rem;"
       "border-left:4px solid #7a4b00}.chart{max-width:640px;display:block}")
