"""Event-driven: replies to our texts, published by AWS End User Messaging to the inbound topic.

The event is SNS's (``Records[].Sns.Message`` holds the JSON with ``originationNumber``,
``destinationNumber``, ``messageBody``, ``inboundMessageId``). For the local stack, the dev
panel's ``POST /dev/run/sms_inbound`` also accepts that JSON itself as the body.
"""


def handler(event, context):
    from functions._guard import guarded
    from portal.services.sms_inbound import handle_event

    return guarded("sms_inbound", lambda deps, stop: handle_event(deps, event), context)
