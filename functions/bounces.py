"""SNS-driven: SES bounce and complaint events put addresses on the suppression list."""
import json
import logging

log = logging.getLogger(__name__)


def handler(event, context):
    from portal.services.bounces import record_ses_event
    from portal.wiring import default_container

    deps = default_container().deps
    suppressed = unreadable = 0
    for record in (event or {}).get("Records", []):
        try:
            message = json.loads(record["Sns"]["Message"])
        except (KeyError, TypeError, ValueError):
            unreadable += 1  # not an SES event: log it, don't retry forever
            log.warning("ignoring a record that is not an SES event")
            continue
        suppressed += record_ses_event(deps, message)
    return {"suppressed": suppressed, "unreadable": unreadable}
