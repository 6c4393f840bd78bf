"""SNS-driven: SES bounce and complaint events stop email to the clients at that address."""


def handler(event, context):
    from functions._guard import guarded
    from portal.services.bounces import handle_event

    return guarded("bounces", lambda deps, stop: handle_event(deps, event), context)
