"""The simulator's own parts: the indexed in-memory table answers as MemoryTable does, the call
counter counts DynamoDB's calls, the browser finds forms as a person would, every parameter
names its source."""
import random

from markupsafe import escape

from portal.adapters.tables import Delete, Put
from portal.adapters.tables.memory import MemoryTable
from sim.browser import ends, mode_form, parse, time_form
from sim.parameters import all_parameters
from sim.table import CallCounter, IndexedMemoryTable

INDEXES = (None, "by_therapist", "by_client", "due")


def _item(rng, n):
    item = {"pk": f"P{rng.randrange(5)}", "sk": f"S{n % 13:02d}", "n": n, "tags": [n, {"x": n}]}
    if rng.random() < 0.5:
        item.update(gsi1pk=f"T{rng.randrange(3)}", gsi1sk=f"{rng.randrange(100):03d}")
    if rng.random() < 0.5:
        item.update(due_bucket=f"D{rng.randrange(2)}", due_sk=f"{rng.randrange(100):03d}")
    return item


def test_the_indexed_table_answers_every_query_as_the_memory_table_does():
    rng = random.Random(7)
    plain, indexed = MemoryTable(), IndexedMemoryTable()
    for n in range(400):
        item = _item(rng, n)
        roll = rng.random()
        for table in (plain, indexed):
            if roll < 0.6:
                table.put(dict(item))
            elif roll < 0.75:
                table.transact([Delete(item["pk"], item["sk"])])
            elif roll < 0.9:
                table.update(item["pk"], item["sk"], {"gsi1pk": None, "due_bucket": "D1", "due_sk": "050"},
                             condition=None)
            else:
                table.put_many([dict(item), {**item, "sk": "S99"}])
        for index in INDEXES:
            for pk in ("P0", "P3", "T1", "T2", "D0", "D1"):
                for kwargs in ({}, {"begins": "0"}, {"between": ("010", "060")}, {"limit": 3, "reverse": True}):
                    if index is None:
                        kwargs = {k: v for k, v in kwargs.items() if k != "between"}
                    assert indexed.query(pk, index=index, **kwargs) == plain.query(pk, index=index, **kwargs)
    got = indexed.query("P1")
    if got:  # answers are copies: changing one changes nothing stored
        got[0]["tags"][1]["x"] = "changed"
        assert indexed.query("P1")[0]["tags"] == plain.query("P1")[0]["tags"]


def test_the_counter_counts_the_calls_dynamodb_would_get():
    table = IndexedMemoryTable()
    counter = CallCounter(table)
    table.put_many([{"pk": f"P{n}", "sk": "S"} for n in range(30)])  # BatchWriteItem: 25 a call
    table.batch_get([(f"P{n}", "S") for n in range(150)])  # BatchGetItem: 100 keys a call
    table.transact([Put({"pk": "X", "sk": "S"}), Delete("P1", "S")])
    with counter.paused():
        table.get("X", "S")
    table.query("P2")
    table.put({"pk": "Y", "sk": "S"})  # one PutItem, though MemoryTable makes it a transaction
    assert dict(counter.calls) == {"BatchWriteItem": 2, "BatchGetItem": 2, "TransactWriteItems": 1,
                                   "Query": 1, "PutItem": 1}
    assert counter.total == 7 and counter.write_units == 30 + 4 + 1


PAGE = """<a href="/a/tok/reschedule">Choose another time</a><a href="/a/tok/cancel">I can't make it</a>
<form method="post" action="/a/tok/confirm"><input type="hidden" name="csrf_token" value="c1">
<input type="hidden" name="version" value="3"><button type="submit">Confirm, I'll be there</button></form>
<form method="post" action="/a/tok/mode"><input type="hidden" name="csrf_token" value="c1">
<input type="hidden" name="mode" value="tele"><button type="submit">Switch to video</button></form>
<form method="post" action="/a/tok/reschedule"><input type="hidden" name="csrf_token" value="c1">
<ul><li><button type="submit" name="start" value="20260303T2200Z">5:00 PM<small>Evening</small></button></li>
</ul></form>"""


def test_the_browser_finds_each_form_by_what_it_does():
    page = parse("/a/tok", 200, PAGE)
    confirm = page.form(ends("/confirm"))
    assert confirm.fields == {"csrf_token": "c1", "version": "3"}
    assert page.form(mode_form("tele")).fields["mode"] == "tele"
    assert page.form(mode_form("in_person")) is None
    times = page.form(time_form)
    assert times.buttons == [("start", "20260303T2200Z", "5:00 PMEvening")]
    assert page.link(lambda href, text: href.endswith("/cancel")) == "/a/tok/cancel"


def test_every_parameter_names_a_source_or_says_assumed():
    for name, parameter in all_parameters().items():
        assert parameter.meaning, name
        assert parameter.source.startswith("assumed") or "http" in parameter.source or "§" in parameter.source, name


def _row(scenario, seed, missed):
    from sim.metrics import COLUMNS

    return {"scenario": scenario, "title": scenario.title(), "seed": seed,
            **{k: 1.0 for k, _ in COLUMNS}, "missed_pct": missed}


def test_the_report_shows_the_change_against_no_reminders_with_an_interval_over_seeds(tmp_path):
    from sim import report

    rows = [_row("none", s, 20.0 + s) for s in range(1, 6)] + \
        [_row("default", s, 10.0 + s % 2) for s in range(1, 6)]
    change = report.relative_change(rows)
    mean, low, high = change["default"]
    assert -54 < mean < -53 and low < mean < high < 0  # (11-21)/21, (10-22)/22, ...: -53.7% on average
    path = tmp_path / "report.html"
    report.write_html(path, rows, seed=1, passed={"no_5xx": 7}, run={"summary": "a run"})
    html = path.read_text()
    assert str(escape(report.PROJECTION)) in html and "&lt;tr&gt;" not in html and "<svg" in html
    assert "<td>No request answers 5xx</td><td>7</td>" in html and "WAITLIST_CLAIM" in html
    assert "95% interval" in html and "FORGET_MAX" in html
