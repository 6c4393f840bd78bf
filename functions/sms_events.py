"""SNS-driven: AWS End User Messaging SMS events (delivered, failed, unreachable) give each
text its delivery state and mark clients whose number cannot take texts. Only records from
SMS_EVENTS_TOPIC_ARN are accepted. A failure raises (``EventFailed``) so that the platform retries."""


def handler(event, context):
    from functions._guard import event_handled
    from portal.services.messaging.delivery import handle_sms_events
    from portal.wiring import default_container

    def work(deps, lock_for):
        topic = default_container().config.sms_events_topic_arn
        return handle_sms_events(deps, event, topic, lock_for=lock_for)

    return event_handled("sms_events", work, context)
