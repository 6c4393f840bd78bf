"""Event-driven: replies to our texts, published by AWS End User Messaging to the inbound topic.

The event is SNS's (``Records[].Sns.Message`` holds the JSON with ``originationNumber``,
``destinationNumber``, ``messageBody``, ``inboundMessageId``). For the local stack, the dev
panel's ``POST /dev/run/sms_inbound`` also accepts that JSON itself as the body. A failure
raises (``EventFailed``) so that the platform retries: a lost STOP is a compliance failure.
"""


def handler(event, context):
    from functions._guard import event_handled
    from portal.services.messaging.sms_inbound import handle_event

    def work(deps, lock_for):
        return handle_event(deps, event, lock_for=lock_for)

    return event_handled("sms_inbound", work, context)
