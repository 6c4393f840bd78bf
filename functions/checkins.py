"""Scheduled, every hour: check-ins between sessions (planned when their moment comes, then sent)."""


def handler(event, context):
    from functions._guard import guarded
    from portal.services.messaging.checkins import send_checkins

    return guarded("checkins", lambda deps, stop: send_checkins(deps, should_stop=stop), context)
