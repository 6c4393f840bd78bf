"""Cold start: importing portal.wsgi and building the app, against importing flask + boto3 and
creating one DynamoDB client. Fresh interpreters, run alternately, medians compared."""
import os
import statistics
import subprocess
import sys
import time

from portal.paths import ROOT

RUNS = 9
APP = "import portal.wsgi"
BASELINE = ("import flask, boto3; "
            "boto3.session.Session().client('dynamodb', region_name='us-east-1')")


def _time(code: str, env) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure():
    env = dict(os.environ, SECRET_KEY="bench-secret-key-long-enough-for-production-0123",
               AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    env.pop("PORTAL_ENV", None)
    _time(APP, env), _time(BASELINE, env)  # warm the file cache for both
    app, base = [], []
    for _ in range(RUNS):
        app.append(_time(APP, env))
        base.append(_time(BASELINE, env))
    return statistics.median(app), statistics.median(base)


def run():
    app, base = measure()
    return [f"cold start: portal.wsgi import + create_app {app * 1000:.0f} ms vs flask+boto3+dynamodb "
            f"client {base * 1000:.0f} ms = {app / base:.2f}x (goal <= 1.3x, medians of {RUNS})"]
