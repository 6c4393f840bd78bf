"""Scheduled, every 5 minutes: send the reminders and nudges that are due, then the client
notices (fresh links asked for on an expired link's page, and the confirmations of clients' changes
once their grace period is over)."""


def handler(event, context):
    from functions._guard import guarded

    return guarded("reminders", _run, context)


def _run(deps, stop):
    from portal.services.messaging.client_notices import send_client_notices
    from portal.services.messaging.reminders import send_due_reminders

    summary = send_due_reminders(deps, should_stop=stop)
    return {**summary, "notices": send_client_notices(deps, should_stop=stop)}
