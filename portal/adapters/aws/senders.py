"""Message senders: SES email, SNS SMS, End User Messaging voice, and fakes beside them."""
from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any, NoReturn

from portal.adapters.aws.errors import is_busy
from portal.domain.errors import ServiceBusy
from portal.interfaces import Email, Throttled

THROTTLE_CODES = {"Throttling", "ThrottlingException", "TooManyRequestsException",
                  "MaxSendRateExceeded"}


class VoiceNotConfigured(RuntimeError):
    """Voice calls are on (VOICE_MODE=aws) without an origination identity."""


class ProviderBusy(ServiceBusy, Throttled):
    """The provider refused for now (throttled, or a 5xx past botocore's retries): nothing
    went out. A reminder run treats it as throttled (the message stays pending); a page
    treats it as busy."""


def _raise_mapped(error: BaseException) -> NoReturn:
    """Throttling and 5xx: ProviderBusy. A timeout or lost connection: ServiceBusy only,
    since the provider may have taken the message (a retry could send it twice), so a
    run counts it as a failure rather than trying again at once. Anything else as it is."""
    response = getattr(error, "response", None)  # requests' timeouts carry response=None
    code = response.get("Error", {}).get("Code", "") if isinstance(response, dict) else ""
    if code in THROTTLE_CODES or "Throttl" in code or (is_busy(error) and code):
        raise ProviderBusy(code) from error
    if is_busy(error):
        raise ServiceBusy() from error
    raise error


def build_mime(email: Email, sender: str) -> bytes:
    """Multipart: plain text and HTML alternatives, with any attachments (the .ics)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message.set_content(email.text)
    if email.html:
        message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=attachment.filename)
    return message.as_bytes()


class AwsNotifier:
    """SES for email, SNS for SMS, SMS-and-Voice v2 for voice (or a table record in dev)."""

    def __init__(self, clients: Callable[[str], Any], sender_email: str, configuration_set: str = "",
                 sms_origination: str = "", voice_origination: str = "",
                 voice_recorder: Callable[[str, str], str] | None = None,
                 sms_configuration_set: str = "") -> None:
        self._clients = clients  # a callable: service name -> boto3 client (built lazily)
        self.sender_email = sender_email
        self.configuration_set = configuration_set
        self.sms_origination = sms_origination
        self.voice_origination = voice_origination
        self.voice_recorder = voice_recorder
        self.sms_configuration_set = sms_configuration_set

    def send_email(self, email: Email) -> str:
        ses = self._clients("ses")
        params = {"Source": self.sender_email, "Destinations": [email.to],
                  "RawMessage": {"Data": build_mime(email, self.sender_email)}}
        if self.configuration_set:
            params["ConfigurationSetName"] = self.configuration_set
        try:
            return ses.send_raw_email(**params)["MessageId"]
        except Exception as error:  # noqa: BLE001 - mapped or raised as it is
            _raise_mapped(error)

    def send_sms(self, to: str, text: str) -> str:
        if self.sms_configuration_set:  # End User Messaging: its events report delivery
            return self._send_text_with_receipts(to, text)
        sns = self._clients("sns")
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self.sms_origination:
            attributes["AWS.MM.SMS.OriginationNumber"] = {
                "DataType": "String", "StringValue": self.sms_origination}
        try:
            return sns.publish(PhoneNumber=to, Message=text, MessageAttributes=attributes)["MessageId"]
        except Exception as error:  # noqa: BLE001 - mapped or raised as it is
            _raise_mapped(error)

    def _send_text_with_receipts(self, to: str, text: str) -> str:
        voice = self._clients("pinpoint-sms-voice-v2")
        params = {"DestinationPhoneNumber": to, "MessageBody": text, "MessageType": "TRANSACTIONAL",
                  "ConfigurationSetName": self.sms_configuration_set}
        if self.sms_origination:
            params["OriginationIdentity"] = self.sms_origination
        try:
            return voice.send_text_message(**params)["MessageId"]
        except voice.exceptions.ClientError as error:
            _raise_mapped(error)

    def send_voice(self, to: str, text: str) -> str:
        if self.voice_recorder is not None:
            return self.voice_recorder(to, text)
        if not self.voice_origination:  # SendVoiceMessage requires one: say which setting
            raise VoiceNotConfigured("VOICE_ORIGINATION_NUMBER is not set: a voice call needs "
                                     "an origination number or pool (see the README)")
        voice = self._clients("pinpoint-sms-voice-v2")
        params = {"DestinationPhoneNumber": to, "OriginationIdentity": self.voice_origination,
                  "MessageBody": text, "MessageBodyTextType": "TEXT", "VoiceId": "JOANNA"}
        try:
            return voice.send_voice_message(**params)["MessageId"]
        except Exception as error:  # noqa: BLE001 - mapped or raised as it is
            _raise_mapped(error)


def emulated_voice(to: str, text: str) -> str:
    """Local stack: moto has no voice API, so the call is not placed; the dev outbox
    (devstack.outbox.SentLog) records it with the id returned here."""
    return f"voice-{uuid.uuid4().hex}"


class FakeNotifier:
    """Unit tests: remembers what was sent; can be told to throttle."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, object]] = []  # (channel, to, payload)
        self.throttle: Callable[[str], bool] | None = None
        self._lock = threading.Lock()

    def _record(self, channel: str, to: str, payload: object) -> str:
        if self.throttle and self.throttle(channel):
            raise Throttled(channel)
        with self._lock:
            self.sent.append((channel, to, payload))
            return f"{channel}-{len(self.sent)}"

    def send_email(self, email: Email) -> str:
        return self._record("email", email.to, email)

    def send_sms(self, to: str, text: str) -> str:
        return self._record("sms", to, text)

    def send_voice(self, to: str, text: str) -> str:
        return self._record("voice", to, text)

    def of(self, channel: str) -> list[tuple[str, str, object]]:
        return [s for s in self.sent if s[0] == channel]
