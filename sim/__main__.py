"""`make simulate`: python -m sim [--therapists 8] [--clients 240] [--weeks 12]
[--scenarios none,default,...] [--seed 1] [--ci-seeds 1] [--store memory|dynamodb] [--jobs 2]."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def parse(argv):
    from sim.scenarios import ALL

    parser = argparse.ArgumentParser(prog="python -m sim", description=__doc__)
    parser.add_argument("--therapists", type=int, default=8)
    parser.add_argument("--clients", type=int, default=240)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--scenarios", default=",".join(s.key for s in ALL),
                        help="comma-separated keys: " + ", ".join(s.key for s in ALL))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ci-seeds", type=int, default=1,
                        help="run seeds seed..seed+N-1 for the confidence interval (5 gives one)")
    parser.add_argument("--store", choices=("memory", "dynamodb"), default="memory")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=OUT)
    return parser.parse_args(argv)


def run_one(scenario_key: str, options, show_progress=False) -> dict:
    """One scenario on one seed; returns its figures and invariant counts (a process's job)."""
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("portal").setLevel(logging.CRITICAL)  # an expected failure logs; the invariants judge
    logging.getLogger("attune").setLevel(logging.WARNING)  # a line per request would bury the progress bar
    from sim.engine import START, Simulation
    from sim.metrics import figures
    from sim.scenarios import BY_KEY

    scenario = BY_KEY[scenario_key]
    started = time.process_time()
    progress = _bar(f"{scenario.title} (seed {options.seed})") if show_progress else None
    sim = Simulation(scenario, options, progress).run()
    if progress:
        progress(1.0, done=True)
    row = {"scenario": scenario.key, "title": scenario.title, "seed": options.seed,
           **figures(sim, START), "cpu_seconds": round(time.process_time() - started, 1),
           **{f"waitlist_{name}": sim.ledger[label] for name, label in WAITLIST_COUNTS.items()}}
    return {"row": row, "passed": dict(sim.invariants.passed), "ledger": dict(sim.ledger),
            "sessions": sim.sessions_log.rows()}


WAITLIST_COUNTS = {"joins": "waitlist joins", "times_freed": "waitlist: times freed",
                   "offers_sent": "waitlist: offers sent",
                   "refilled_by_claim": "waitlist: times refilled by a claim"}


def _bar(label):
    last = [-1]
    live = sys.stderr.isatty()

    def show(fraction, done=False):
        step = int(fraction * 40)
        if (live and step != last[0]) or done:
            last[0] = step
            sys.stderr.write(f"\r{label[:34]:<34} [{'#' * step}{'.' * (40 - step)}] {fraction:4.0%}")
            if done:
                sys.stderr.write("\n")
            sys.stderr.flush()
    return show


def main(argv=None) -> int:
    from sim.engine import Options
    from sim.scenarios import BY_KEY

    args = parse(argv)
    keys = []
    for key in [k.strip() for k in args.scenarios.split(",") if k.strip()]:
        if key not in BY_KEY:
            print(f"python -m sim: no scenario {key!r}; choose from {', '.join(BY_KEY)}", file=sys.stderr)
            return 2
        keys.append(key)
    server = None
    endpoint = ""
    if args.store == "dynamodb":
        import warnings

        from devstack.localstack import ensure_fake_credentials, start_emulator

        ensure_fake_credentials(os.environ)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the emulator's request log
        warnings.filterwarnings("ignore", message="Tried to parse")  # moto skips SES config sets
        server, endpoint = start_emulator()
        args.jobs = 1
    heaviest_first = sorted(keys, key=lambda k: -BY_KEY[k].followups_checkins)  # better packed
    jobs = [(key, Options(args.therapists, args.clients, args.weeks, seed, args.store, endpoint))
            for seed in range(args.seed, args.seed + max(1, args.ci_seeds)) for key in heaviest_first]
    started = time.monotonic()
    from sim.invariants import InvariantBroken

    try:
        results = _run_all(jobs, args.jobs)
        if args.store == "dynamodb":  # the same runs on the in-memory table, to compare the counts
            memory = _run_all([(k, replace(o, store="memory", endpoint="")) for k, o in jobs], 1)
            for result, twin in zip(results, memory):
                result["row"]["memory_calls_per_kept"] = twin["row"]["calls_per_kept"]
    except InvariantBroken as broken:
        print(f"\nAn invariant broke, so the run stopped: {broken}", file=sys.stderr)
        return 1
    finally:
        if server:
            server.stop()
    wall = time.monotonic() - started
    return _report(args, results, wall)


def _run_all(jobs, workers):
    if workers <= 1:
        return [run_one(key, options, show_progress=True) for key, options in jobs]
    results = [None] * len(jobs)
    with ProcessPoolExecutor(workers) as pool:
        futures = {pool.submit(run_one, key, options): n for n, (key, options) in enumerate(jobs)}
        done = 0
        for future in _as_completed(futures):
            results[futures[future]] = future.result()
            done += 1
            row = results[futures[future]]["row"]
            sys.stderr.write(f"\r[{'#' * (40 * done // len(jobs)):<40}] {done}/{len(jobs)} done "
                             f"(last: {row['title']}, seed {row['seed']})\n")
    return results


def _as_completed(futures):
    from concurrent.futures import as_completed

    return as_completed(futures)


def _report(args, results, wall) -> int:
    from collections import Counter

    from sim import report, risk_report
    from sim.sessions_log import COLUMNS

    rows = [r["row"] for r in results]
    passed = Counter()
    for r in results:
        passed.update(r["passed"])
    sessions = sum(r["booked"] for r in rows)
    summary = (f"{args.therapists} therapists, {args.clients} clients, {args.weeks} weeks, "
               f"{len({r['scenario'] for r in rows})} scenarios, seeds {args.seed}.."
               f"{args.seed + max(1, args.ci_seeds) - 1}, {args.store} table: {wall:.0f} s wall, "
               f"{sum(r['cpu_seconds'] for r in rows):.0f} s CPU, {sessions / wall:.1f} sessions/s.")
    args.out.mkdir(parents=True, exist_ok=True)
    report.write_csv(args.out / "results.csv", rows)
    observed = [s for r in results for s in r["sessions"]]
    report.write_csv(args.out / "sessions.csv", observed, columns=COLUMNS)
    risk = risk_report.text(observed, weeks=args.weeks, seed=args.seed)
    report.write_html(args.out / "report.html", rows, seed=args.seed, passed=passed,
                      run={"summary": summary, "risk": risk})
    print(report.terminal_table(rows, args.seed))
    print(risk)
    if args.store == "dynamodb":
        print("DynamoDB calls per kept session, end to end (botocore, DynamoDB table) vs the same "
              "run on the in-memory table:")
        for r in rows:
            print(f"  {r['title']}: DynamoDB {r.get('dynamodb_api_calls_per_kept')}, "
                  f"in-memory {r.get('memory_calls_per_kept')}")
    print(report.PROJECTION)
    print("Invariants held: " + ", ".join(f"{k} {v}" for k, v in passed.items()))
    print(summary)
    print(f"Report: {args.out / 'report.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
