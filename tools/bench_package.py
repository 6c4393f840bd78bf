"""Package size, and the cold start of the packaged handler (import + first /healthz event)
against importing flask + boto3 and creating one DynamoDB client: fresh interpreters with only
the package and boto3 on the path, as on Lambda, run alternately; medians compared."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

RUNS = 9
HANDLER = r"""
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import handler
event = json.loads(sys.argv[3])
answer = handler.lambda_handler(event, None)
assert answer["statusCode"] == 200, answer
"""
BASELINE = r"""
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import flask, boto3
boto3.session.Session().client("dynamodb", region_name="us-east-1")
"""


def _time(code, args, env, cwd):
    started = time.perf_counter()
    subprocess.run([sys.executable, "-I", "-S", "-c", code, *args], env=env, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run():
    from tests.integration.test_package import api_event, ensure_runtime
    from tools.package import package

    artifact = package("dev")
    size = artifact.stat().st_size
    runtime = ensure_runtime()
    with tempfile.TemporaryDirectory() as folder:
        zipfile.ZipFile(artifact).extractall(folder)
        env = {"PATH": os.environ["PATH"], "HOME": folder, "LANG": "C.UTF-8",
               "SECRET_KEY": "bench-secret-key-long-enough-for-production-0123",
               "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
               "AWS_DEFAULT_REGION": "us-east-1"}
        args = [folder, str(runtime)]
        event = json.dumps(api_event("/healthz"))
        _time(HANDLER, args + [event], env, folder), _time(BASELINE, args, env, folder)  # warm caches
        handler, base = [], []
        for _ in range(RUNS):
            handler.append(_time(HANDLER, args + [event], env, folder))
            base.append(_time(BASELINE, args, env, folder))
    h, b = statistics.median(handler), statistics.median(base)
    return [
        f"package size: dist/attune-lambda.zip {size / 1024 / 1024:.2f} MiB (goal <= 10 MiB)",
        f"packaged cold start: handler import + first /healthz {h * 1000:.0f} ms vs flask+boto3+dynamodb "
        f"client {b * 1000:.0f} ms = {h / b:.2f}x (goal <= 1.3x, medians of {RUNS})",
    ]
