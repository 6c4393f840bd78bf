"""`make bench`: measured figures, one line each, as ratios measured side by side in one run.

Each ``tools/bench_*.py`` module contributes lines through ``run() -> list[str]``;
this runner prints them in name order. Benchmarks, not timed tests: the machines are
shared and noisy, so figures that matter are counts (calls, bytes) or ratios of
medians measured alternately in the same run.
"""
import importlib
import os
import pkgutil
import sys
import time


def main() -> int:
    import logging
    import warnings

    import tools

    # moto skips the template's SES configuration set and CloudFront, as documented: not news.
    logging.getLogger("moto").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Tried to parse")

    names = sorted(m.name for m in pkgutil.iter_modules(tools.__path__) if m.name.startswith("bench_"))
    only = set(sys.argv[1:])
    failed = False
    for name in names:
        if only and name.removeprefix("bench_") not in only:
            continue
        started = time.perf_counter()
        try:
            lines = importlib.import_module(f"tools.{name}").run()
        except Exception as problem:  # one broken benchmark must not hide the others
            lines = [f"{name}: FAILED: {problem!r}"]
            failed = True
        for line in lines:
            print(line, flush=True)
        if os.environ.get("BENCH_VERBOSE"):
            print(f"  ({name} took {time.perf_counter() - started:.1f}s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
