"""Scheduled: send the reminders that are due."""


def handler(event, context):
    from portal.services.compose import send_reminder
    from portal.services.reminders import send_due_reminders
    from portal.wiring import default_container

    return send_due_reminders(default_container().deps, send_reminder)
