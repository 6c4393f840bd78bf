"""One log line per request: the route's rule (never the path, which carries client tokens),
the method, the status and the duration. Fields are allow-listed by portal.logs."""
from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

log = logging.getLogger("attune.request")


def init_app(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _line(response: Response) -> Response:
        started = getattr(g, "request_started", None)
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        log.info("request", extra={"event": "request", "route": rule, "method": request.method,
                                   "status": response.status_code, "duration_ms": duration})
        return response
