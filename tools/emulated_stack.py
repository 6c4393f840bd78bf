"""What the benches share: moto in server mode with the infra template deployed into it.

Not a benchmark itself (``tools/bench.py`` runs ``bench_*`` modules that define ``run``).
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager

BENCH_SECRET = "bench-secret-key-long-enough-0123456789abcdef"


@contextmanager
def emulator():
    """The embedded emulator (as `make run` starts it) for one bench; its endpoint URL."""
    from devstack.localstack import start_emulator

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "bench")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    server, endpoint = start_emulator()
    try:
        yield endpoint
    finally:
        server.stop()


def deployed_container(endpoint: str, table_name: str, now, *, verify_sender: bool = False, **env):
    """A container on a fresh table deployed from infra/template.yaml, with a fixed clock.
    ``env``: more settings, e.g. a longer AWS_READ_TIMEOUT for moto on a very large table."""
    from portal.adapters.aws.infra import deploy_template
    from portal.clock import FixedClock
    from portal.config import load
    from portal.wiring import Container

    config = load({"PORTAL_ENV": "test", "AWS_ENDPOINT_URL": endpoint, "TABLE_NAME": table_name,
                   "SECRET_KEY": BENCH_SECRET, "BASE_URL": "https://portal.bench",
                   "AWS_REGION": "us-east-1", **env})
    container = Container(config, clock=FixedClock(now))
    deploy_template(container.client("cloudformation"), table_name, table_name, config.sender_email)
    if verify_sender:
        container.client("ses").verify_email_identity(EmailAddress=config.sender_email)
    return container
