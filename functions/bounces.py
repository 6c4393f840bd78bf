"""SNS-driven: SES bounce and complaint events stop email to the clients at that address.
A failure raises (``EventFailed``) so that the platform retries: no block is lost."""


def handler(event, context):
    from functions._guard import event_handled
    from portal.services.bounces import handle_event

    def work(deps, lock_for):
        return handle_event(deps, event, lock_for=lock_for)

    return event_handled("bounces", work, context)
