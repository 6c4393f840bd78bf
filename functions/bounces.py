"""SNS-driven: SES events (delivery, bounce, complaint) give each email its delivery state and
stop email to the clients at an address that bounces or complains. Only records from
SES_EVENTS_TOPIC_ARN are accepted. A failure raises (``EventFailed``) so that the platform
retries: no block is lost."""


def handler(event, context):
    from functions._guard import event_handled
    from portal.services.messaging.bounces import handle_event
    from portal.wiring import default_container

    def work(deps, lock_for):
        topic = default_container().config.ses_events_topic_arn
        return handle_event(deps, event, topic, lock_for=lock_for)

    return event_handled("bounces", work, context)
