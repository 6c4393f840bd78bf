"""The Lambda artifact itself, not just the source: build it with Zappa, unzip it into an empty
folder and call Zappa's handler in a fresh interpreter with only boto3 beside it, as on Lambda."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from portal.paths import ROOT

MAX_BYTES = 7 * 1024 * 1024  # 6.4 MiB now (holidays is 1.6 of it): a cache or a test tool would show
# boto3 as the Lambda runtime provides it, kept beside the packaging venv (outside the project).
RUNTIME = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "attune" / "lambda-runtime"

BOOTSTRAP = r"""
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import handler

class Context:
    function_name = "attune-dev"
    aws_request_id = "test-request"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:attune-dev"
    def get_remaining_time_in_millis(self):
        return 30000

results = []
for event in json.loads(sys.stdin.read()):
    answer = handler.lambda_handler(event, Context())
    results.append(answer)
print("RESULTS=" + json.dumps(results, default=str))
"""


def api_event(path, method="GET"):
    return {
        "resource": "/{proxy+}", "path": path, "httpMethod": method,
        "headers": {"Host": "abc.execute-api.us-east-1.amazonaws.com", "Accept": "text/html",
                    "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"},
        "multiValueHeaders": {}, "queryStringParameters": None,
        "multiValueQueryStringParameters": None, "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None, "body": None, "isBase64Encoded": False,
        "requestContext": {"resourcePath": "/{proxy+}", "httpMethod": method, "path": f"/dev{path}",
                           "stage": "dev", "identity": {"sourceIp": "203.0.113.9"},
                           "requestId": "r1"},
    }


def scheduled_event(function):
    return {"version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "000000000000", "time": "2026-03-02T14:00:00Z", "region": "us-east-1",
            "resources": [f"arn:aws:events:us-east-1:000000000000:rule/attune-dev-{function}"],
            "detail": {}}


def ensure_runtime():
    stamp = RUNTIME / ".boto3"
    wanted = next(line for line in (ROOT / "requirements.txt").read_text().splitlines()
                  if line.startswith("boto3=="))
    if stamp.exists() and stamp.read_text() == wanted:
        return RUNTIME
    RUNTIME.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--target", str(RUNTIME), "--upgrade", wanted], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stamp.write_text(wanted)
    return RUNTIME


@pytest.fixture(scope="module")
def artifact():
    from tools.package import package

    return package("dev")


def test_package_is_small_and_holds_runtime_code_only(artifact):
    assert artifact.stat().st_size <= MAX_BYTES
    names = zipfile.ZipFile(artifact).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {"handler.py", "zappa_settings.py", "portal", "functions", "templates", "static",
            "flask", "zappa"} <= tops
    for unwanted in ("boto3", "botocore", "moto", "pytest", "playwright", "tests", "tools",
                     "cfnlint", "infra", ".venv", "build", "devstack", "sim", "mypy", ".mypy_cache",
                     ".pytest_cache", ".ruff_cache", ".local-stack.json"):
        assert unwanted not in tops, unwanted
    # The local stack, demo seed, dev outbox and dev panel (and its template) stay out.
    dev_code = [n for n in names if n.startswith(("templates/dev/", "portal/seed", "portal/localstack",
                                                  "portal/schedule", "portal/web/dev", "portal/adapters/outbox"))
                or "devstack" in n]
    assert dev_code == []


def test_unzipped_package_answers_api_gateway_and_scheduled_events(artifact, tmp_path):
    from devstack.localstack import start_emulator
    from portal.adapters.aws.infra import deploy_template

    lambda_dir = tmp_path / "task"
    zipfile.ZipFile(artifact).extractall(lambda_dir)
    runtime = ensure_runtime()
    server, endpoint = start_emulator()
    try:
        import boto3

        kwargs = dict(endpoint_url=endpoint, region_name="us-east-1")
        # The table the package's settings name (TABLE_NAME=attune-dev), from the one template.
        deploy_template(boto3.client("cloudformation", **kwargs), "attune-dev", "attune-dev",
                        "reminders@example.org")
        events = [api_event("/healthz"), api_event("/a/not-a-real-link"),
                  api_event("/static/css/attune.css"), scheduled_event("functions.reminders.handler")]
        env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8",
               "SECRET_KEY": "artifact-test-secret-key-0123456789abcdef",
               "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
               "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
               "AWS_REGION": "us-east-1", "BASE_URL": "https://portal.example.org"}
        done = subprocess.run([sys.executable, "-I", "-S", "-c", BOOTSTRAP, str(lambda_dir),
                               str(runtime)], input=json.dumps(events), cwd=lambda_dir, env=env,
                              capture_output=True, text=True, timeout=120)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(row for row in done.stdout.splitlines() if row.startswith("RESULTS="))
    health, bad_link, css, reminders = json.loads(line.removeprefix("RESULTS="))
    assert health["statusCode"] == 200 and json.loads(health["body"]) == {"status": "ok"}
    assert 400 <= bad_link["statusCode"] < 500
    assert "<html" in bad_link["body"] and "Traceback" not in bad_link["body"]
    assert css["statusCode"] == 200 and ".card" in css["body"]
    assert isinstance(reminders, dict) and reminders["sent"] == 0  # ran against the empty table



def test_a_package_holding_dev_code_is_refused_not_shipped(tmp_path):
    from tools.package import refuse_dev_code

    leaky = tmp_path / "leaky.zip"
    with zipfile.ZipFile(leaky, "w") as archive:
        archive.writestr("portal/__init__.py", "")
        archive.writestr("devstack/seed.py", "")
    with pytest.raises(SystemExit, match=r"dev-only code \['devstack'\]"):
        refuse_dev_code(leaky)
    assert not leaky.exists()
    with zipfile.ZipFile(leaky, "w") as archive:  # the simulated practice stays out too
        archive.writestr("portal/__init__.py", "")
        archive.writestr("sim/engine.py", "")
    with pytest.raises(SystemExit, match=r"dev-only code \['sim'\]"):
        refuse_dev_code(leaky)
