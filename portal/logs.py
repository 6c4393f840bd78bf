"""Logs as JSON lines whose fields come from an allow-list, so no PHI reaches CloudWatch.

Log calls in this codebase are written ``log.info("template %s", arg)``. A line carries the
template (``msg``), never the interpolated text; of the arguments only numbers are kept
(counts), because a string argument may be a name, a phone number or a note. ``extra``
fields are kept only when their name is allowed (route, status, duration, ids, counts). An
exception keeps its type and its frames (file, line, function), never its message, which
may quote a value. Standard library only.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from datetime import datetime, timezone

# Fields a line may carry from ``extra``: what happened, never to whom in words.
ALLOWED_EXTRA = frozenset({
    "event", "route", "method", "status", "duration_ms", "count", "counts", "summary",
    "function", "lane", "request_id", "therapist_id", "client_id", "appointment_id",
    "message_id", "kind", "channel", "outcome",
})
_MARK = "_attune_json"


def _allowed_value(value: object) -> object:
    """Numbers and booleans as they are; a dict of counts keeps its number values; short
    id-like strings only under an allowed name (see ALLOWED_EXTRA)."""
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    if isinstance(value, str) and len(value) <= 120:
        return value
    return None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "msg": str(record.msg),
        }
        args = record.args if isinstance(record.args, tuple) else ()
        numbers = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
        if numbers:
            line["args"] = numbers
        for name in ALLOWED_EXTRA & record.__dict__.keys():
            value = _allowed_value(record.__dict__[name])
            if value is not None:
                line[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            line["exc_type"] = kind.__name__
            line["exc_frames"] = [f"{os.path.basename(f.filename)}:{f.lineno}:{f.name}"
                                  for f in traceback.extract_tb(trace)][-8:]
        return json.dumps(line, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """Once per process: JSON lines on the root logger. On Lambda the runtime's own handler
    gets the formatter (so its request id prefix stays out); elsewhere one stderr handler
    is added. Handlers that others added (a test's capture) are left as they are."""
    root = logging.getLogger()
    if any(getattr(h, _MARK, False) for h in root.handlers):
        return
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        for handler in root.handlers:
            handler.setFormatter(JsonFormatter())
            setattr(handler, _MARK, True)
    if not any(getattr(h, _MARK, False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    # The AWS SDK's own INFO lines ("Found credentials ...") say nothing about Attune.
    for chatty in ("botocore", "boto3", "urllib3"):
        logging.getLogger(chatty).setLevel(max(logging.getLogger(chatty).level, logging.WARNING))
