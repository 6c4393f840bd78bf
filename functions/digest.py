"""Scheduled, every hour: each therapist's morning digest, at about 07:00 in their zone."""


def handler(event, context):
    from functions._guard import guarded
    from portal.services.messaging.digest import send_digests

    return guarded("digest", lambda deps, stop: send_digests(deps), context)
