"""The AWS senders, request by request (botocore's Stubber), and for real against moto.

moto has no SMS-and-Voice v2 API, so the voice call's exact request is checked with the
Stubber; so are the providers' real throttling error codes, which become ``Throttled``.
"""
from email import message_from_bytes

import boto3
import pytest
from botocore.stub import Stubber

from portal.adapters.aws.senders import AwsNotifier, VoiceNotConfigured
from portal.interfaces import Attachment, Email, Throttled

SENDER = "reminders@example.org"
EMAIL = Email(to="alex@example.com", subject="Reminder: your session tomorrow", text="Hi Alex",
              html="<p>Hi Alex</p>", attachments=(Attachment("session.ics", "text/calendar", b"BEGIN:VCALENDAR"),))


def stubbed(service):
    client = boto3.session.Session().client(service, region_name="us-east-1")
    return client, Stubber(client)


def notifier_for(client, **kw):
    return AwsNotifier(lambda name: client, SENDER, **kw)


def test_voice_call_request_has_the_exact_shape():
    client, stub = stubbed("pinpoint-sms-voice-v2")
    stub.add_response("send_voice_message", {"MessageId": "voice-123"}, {
        "DestinationPhoneNumber": "+12025550146", "OriginationIdentity": "+18005550100",
        "MessageBody": "Hello Sam. This is Riverbend Counseling.", "MessageBodyTextType": "TEXT",
        "VoiceId": "JOANNA"})
    with stub:
        sent = notifier_for(client, voice_origination="+18005550100").send_voice(
            "+12025550146", "Hello Sam. This is Riverbend Counseling.")
    assert sent == "voice-123"
    stub.assert_no_pending_responses()


def test_voice_without_an_origination_number_says_which_setting_is_missing():
    client, _ = stubbed("pinpoint-sms-voice-v2")
    with pytest.raises(VoiceNotConfigured, match="VOICE_ORIGINATION_NUMBER"):
        notifier_for(client).send_voice("+12025550146", "Hello")


@pytest.mark.parametrize("service, call, code, send", [
    ("ses", "send_raw_email", "Throttling", lambda n: n.send_email(EMAIL)),  # SES: "Maximum sending rate exceeded."
    ("sns", "publish", "Throttled", lambda n: n.send_sms("+12025550143", "Hi")),  # SNS ThrottledException
    ("pinpoint-sms-voice-v2", "send_voice_message", "ThrottlingException",
     lambda n: n.send_voice("+12025550143", "Hi")),
])
def test_the_providers_real_throttling_codes_become_throttled(service, call, code, send):
    client, stub = stubbed(service)
    stub.add_client_error(call, service_error_code=code, service_message="Rate exceeded",
                          http_status_code=400)
    with stub, pytest.raises(Throttled):
        send(notifier_for(client, voice_origination="+18005550100"))


def test_other_provider_errors_are_not_mistaken_for_throttling():
    client, stub = stubbed("ses")
    stub.add_client_error("send_raw_email", service_error_code="MessageRejected",
                          service_message="Email address is not verified.")
    with stub, pytest.raises(client.exceptions.MessageRejected):
        notifier_for(client).send_email(EMAIL)


def test_sms_is_transactional_from_the_origination_number():
    client, stub = stubbed("sns")
    stub.add_response("publish", {"MessageId": "sms-1"}, {
        "PhoneNumber": "+12025550143", "Message": "Riverbend Counseling: Alex, see you",
        "MessageAttributes": {
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
            "AWS.MM.SMS.OriginationNumber": {"DataType": "String", "StringValue": "+18005550100"}}})
    with stub:
        assert notifier_for(client, sms_origination="+18005550100").send_sms(
            "+12025550143", "Riverbend Counseling: Alex, see you") == "sms-1"


def test_email_goes_through_ses_on_moto_as_raw_multipart_with_the_calendar_file(aws):
    message_id = aws.notifier.send_email(EMAIL)
    assert message_id
    import json
    import urllib.request

    state = json.load(urllib.request.urlopen(f"{aws.config.endpoint_url}/moto-api/data.json", timeout=120))
    raw = next(m for m in state["ses"]["RawMessage"] if m["id"] == message_id)
    parsed = message_from_bytes(raw["raw_data"].encode())
    assert parsed["From"] == aws.config.sender_email and parsed["To"] == "alex@example.com"
    assert [p.get_content_type() for p in parsed.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"]


def test_sms_goes_through_sns_on_moto(aws):
    import json
    import urllib.request

    message_id = aws.notifier.send_sms("+12025550143", "Riverbend Counseling: Alex, see you")
    state = json.load(urllib.request.urlopen(f"{aws.config.endpoint_url}/moto-api/data.json", timeout=120))
    assert any(m["message_id"] == message_id for m in state["sns"]["SMS"])
