"""Scheduled, every 5 minutes: send the reminders and nudges that are due."""


def handler(event, context):
    from functions._guard import guarded
    from portal.services.reminders import send_due_reminders

    return guarded("reminders", lambda deps, stop: send_due_reminders(deps, should_stop=stop), context)
