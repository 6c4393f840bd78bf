"""Scheduled, every 5 minutes: send the waitlist offer waves that are due."""


def handler(event, context):
    from functions._guard import guarded
    from portal.services.waitlist.waves import send_due_offers

    return guarded("waitlist", lambda deps, stop: send_due_offers(deps, should_stop=stop), context)
