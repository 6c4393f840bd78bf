"""Scheduled, every 30 minutes: "we missed you" after a missed or late-cancelled session."""


def handler(event, context):
    from functions._guard import guarded
    from portal.services.messaging.followups import send_due_followups

    return guarded("followups", lambda deps, stop: send_due_followups(deps, should_stop=stop), context)
