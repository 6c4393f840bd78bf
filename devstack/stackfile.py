"""Where a running `make run` says how to reach it: its emulator, table and base URL.

`make run` writes ``.local-stack.json`` at the project root when it is ready and removes it
when it stops, so a second terminal's command (the CSV import) finds the same stack. It
holds no secret: the dev stack runs on the dev secret, which needs none.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping, MutableMapping

from portal.paths import ROOT

STACK_FILE = ROOT / ".local-stack.json"
KEYS = ("PORTAL_ENV", "AWS_ENDPOINT_URL", "TABLE_NAME", "BASE_URL", "AWS_REGION")


class NoLocalStack(RuntimeError):
    """No `make run` is running (or it stopped before writing where it is)."""


def write(environ: Mapping[str, str], table_name: str) -> None:
    values = {key: environ[key] for key in KEYS if environ.get(key)}
    values["TABLE_NAME"] = table_name
    STACK_FILE.write_text(json.dumps(values, indent=2) + "\n")


def remove() -> None:
    if STACK_FILE.exists():
        STACK_FILE.unlink()


def apply(environ: MutableMapping[str, str] = os.environ) -> dict[str, str]:
    """Point this process at the running local stack; NoLocalStack when there is none."""
    try:
        values = json.loads(STACK_FILE.read_text())
    except FileNotFoundError:
        raise NoLocalStack("No local stack is running. Start it with `make run` in another terminal, "
                           "then run this again.") from None
    except ValueError:
        raise NoLocalStack(f"{STACK_FILE.name} can't be read: stop `make run`, start it again, "
                           "then run this again.") from None
    environ.update({key: str(values[key]) for key in KEYS if values.get(key)})
    environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    return values
