"""`make run` (`python -m devstack`): the whole product on one machine, in one process.

moto in server mode (unless AWS_ENDPOINT_URL names another endpoint), the
CloudFormation template deployed into it, a seeded demo practice, the scheduled
functions firing on their zappa_settings.json schedules against the dev clock,
and the portal with its dev panel.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
import sys
import threading
import urllib.error
import urllib.request
from typing import Any

log = logging.getLogger("attune.localstack")
STACK_NAME = "attune-local"


class StartupError(Exception):
    """One clear line for the person running `make run`."""


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
            return True
        except OSError:
            return False


def parse_port(raw: str | None) -> int:
    try:
        port = int(raw or 5000)
    except ValueError:
        raise StartupError(f"PORT must be a number between 1024 and 65535, got {raw!r}") from None
    if not 1024 <= port <= 65535:
        raise StartupError(f"PORT must be a number between 1024 and 65535, got {port}")
    return port


class SerializedApp:
    """Runs the emulator's requests one at a time, as DynamoDB applies each transaction
    atomically; moto's own backend does not lock between threads."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return list(self.app(environ, start_response))


class _Untracked(list):
    """A list that keeps nothing: see start_emulator."""

    def append(self, _item):
        pass


def _one_backup_per_table() -> None:
    """moto backs up a table before a transaction once per item the transaction writes to it, a
    deep copy of the whole table each time, though it keeps one backup per table: a booking of
    six items copied the table six times. Here the copies made within one transaction, on its
    thread, are of the same untouched table, so the first is handed out again: the same backup."""
    import copy
    import threading

    from moto.dynamodb import models

    if isinstance(models.copy, _OneCopyPerTable):
        return
    state = threading.local()
    models.copy = _OneCopyPerTable(copy, models.Table, state)
    transact = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items: Any) -> Any:
        state.tables = {}
        try:
            return transact(self, transact_items)
        finally:
            state.tables = None

    models.DynamoDBBackend.transact_write_items = transact_write_items


class _OneCopyPerTable:
    """The ``copy`` module as moto's DynamoDB models see it: see _one_backup_per_table."""

    def __init__(self, module: Any, table_class: Any, state: dict) -> None:
        self._module, self._table, self._state = module, table_class, state

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        made = getattr(self._state, "tables", None)
        if made is None or not isinstance(value, self._table):
            return self._module.deepcopy(value, memo)
        if id(value) not in made:
            made[id(value)] = self._module.deepcopy(value)
        return made[id(value)]


def start_emulator(host="127.0.0.1", port=0):
    """moto in server mode on a free loopback port; returns (server, endpoint_url)."""
    import moto.dynamodb.models  # noqa: F401 - defines the DynamoDB model classes
    from moto.core.model_instances import model_data
    from moto.server import ThreadedMotoServer

    # moto remembers every model object it ever made (for /moto-api/data.json), and a
    # transaction deep-copies its table, items and all, once per item it writes: memory
    # would grow without end. We never read DynamoDB state from that dump (the outbox reads
    # the table), so DynamoDB's objects are not remembered.
    for model in model_data["dynamodb"].values():
        model.instances_tracked = _Untracked()
    _one_backup_per_table()

    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    server._server.app = SerializedApp(server._server.app)  # noqa: SLF001 - see SerializedApp
    bound_host, bound_port = server.get_host_and_port()
    return server, f"http://{bound_host}:{bound_port}"


def check_endpoint(endpoint_url: str):
    try:
        with urllib.request.urlopen(f"{endpoint_url}/moto-api/data.json", timeout=5):
            return
    except urllib.error.HTTPError:
        return  # it answers HTTP: some other emulator, let the AWS calls speak for themselves
    except (urllib.error.URLError, OSError, ValueError) as problem:
        reason = getattr(problem, "reason", problem)
        raise StartupError(f"AWS_ENDPOINT_URL={endpoint_url} does not answer ({reason})") from None


def ensure_fake_credentials(environ):
    # The emulator accepts any credentials; boto3 still insists on having some.
    environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    environ.setdefault("AWS_DEFAULT_REGION", environ.get("AWS_REGION", "us-east-1"))


def prepare(container):
    """Deploy the template, verify the sender, seed unless data exists. Returns the seed summary."""
    from portal.adapters.aws.infra import deploy_template

    config = container.config
    deploy_template(container.client("cloudformation"), STACK_NAME, config.table_name,
                    config.sender_email)
    container.client("ses").verify_email_identity(EmailAddress=config.sender_email)
    return container


def invoke_function(target: str, container, payload: dict | None = None) -> dict:
    """Run one scheduled function the way Zappa would, against this stack's clock.

    ``payload`` (the dev panel's JSON body) is added to the event: an event-driven
    function such as sms_inbound reads it (an inbound SMS's JSON, or SNS ``Records``)."""
    import importlib

    from devstack.schedule import short_name
    from portal.wiring import set_default_container

    set_default_container(container)
    module, _, attribute = target.rpartition(".")
    handler = getattr(importlib.import_module(module), attribute)
    event = {"source": "aws.events", "detail-type": "Scheduled Event",
             "resources": [f"arn:aws:events:local:000000000000:rule/attune-dev-{target}"],
             "attune_function": short_name(target)}
    if payload:
        event = {**event, **payload}
    from functions._guard import HandlerFailed

    try:
        return handler(event, None)
    except HandlerFailed as failure:  # on AWS, Lambda counts an error (and may retry); here, say so
        return {"error": str(failure)}


class Scheduler(threading.Thread):
    """Fires each scheduled function when the dev clock passes its next rate()/cron() time."""

    def __init__(self, container, functions, poll_seconds=1.0):
        super().__init__(daemon=True, name="attune-scheduler")
        self.container, self.functions, self.poll = container, functions, poll_seconds
        self.stopped = threading.Event()
        now = container.clock.now()
        self.next_at = {name: fn.next_after(now) for name, fn in functions.items()}
        self.runs: list[tuple[str, object]] = []

    def tick(self):
        now = self.container.clock.now()
        for name, fn in self.functions.items():
            if now >= self.next_at[name]:
                self.next_at[name] = fn.next_after(now)
                try:
                    summary = invoke_function(fn.target, self.container)
                    self.runs.append((name, summary))
                    log.info("ran %s: %s", name, summary)
                except Exception:  # a failing run must not stop the others
                    log.exception("scheduled function %s failed", name)

    def run(self):
        while not self.stopped.wait(self.poll):
            self.tick()

    def stop(self):
        self.stopped.set()


def banner(port, seed, password, password_known):
    lines = [
        "",
        "Attune is running.",
        f"  Portal:        http://127.0.0.1:{port}/",
        f"  Dev panel:     http://127.0.0.1:{port}/dev/",
        f"  Therapist sign-in: http://127.0.0.1:{port}/t/login",
    ]
    for email in seed["therapists"]:
        lines.append(f"    {email}")
    if password_known:
        lines.append(f"  Demo password: {password}")
    else:
        lines.append("  Demo password: unchanged (set PORTAL_DEMO_PASSWORD to reset it)")
    lines.append("  Import a CSV into this stack: make import-clients FILE=clients.csv "
                 "(then import-appointments)")
    lines.append("Press Ctrl+C to stop.")
    return "\n".join(lines)


def main(argv=None) -> int:
    import warnings

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("werkzeug", "botocore", "moto"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    # moto skips the template's SES configuration set and CloudFront, as documented.
    warnings.filterwarnings("ignore", message="Tried to parse")
    environ = os.environ
    environ.setdefault("PORTAL_ENV", "dev")
    ensure_fake_credentials(environ)
    server = None
    try:
        port = parse_port(environ.get("PORT"))
        if not port_free("127.0.0.1", port):
            raise StartupError(f"Port {port} is already in use: stop the other program or run "
                               f"`PORT=5001 make run`")
        endpoint = environ.get("AWS_ENDPOINT_URL")
        if endpoint:
            check_endpoint(endpoint)
        else:
            server, endpoint = start_emulator()
            environ["AWS_ENDPOINT_URL"] = endpoint
        environ.setdefault("BASE_URL", f"http://127.0.0.1:{port}")

        from devstack import DevContainer, create_dev_app
        from devstack.schedule import scheduled_functions
        from devstack.seed import reset_demo_passwords, seed_demo
        from portal.config import ConfigError, load
        from portal.wiring import set_default_container

        try:
            config = load(environ)
        except ConfigError as problem:
            raise StartupError(str(problem)) from None
        container = DevContainer(config)
        try:
            prepare(container)
        except Exception as problem:  # a bad endpoint that answers HTTP but is not AWS
            raise StartupError(f"Could not set up the table at {endpoint}: {problem}") from None
        password = config.demo_password or secrets.token_urlsafe(9)
        seed = seed_demo(container.deps, password)
        password_known = seed["seeded"] or bool(config.demo_password)
        if not seed["seeded"] and config.demo_password:
            reset_demo_passwords(container.store, config.demo_password)
        app = create_dev_app(config, container=container)
        set_default_container(container)
        scheduler = Scheduler(container, scheduled_functions("dev"))
        scheduler.start()
    except StartupError as problem:
        print(f"make run: {problem}", file=sys.stderr)
        if server:
            server.stop()
        return 2

    from devstack import stackfile

    stackfile.write(environ, config.table_name)  # so `make import-clients` finds this stack
    print(banner(port, seed, password, password_known), flush=True)
    from werkzeug.serving import run_simple

    try:
        run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        stackfile.remove()
        scheduler.stop()
        if server:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
