"""Issue 18 item 9: every botocore failure from SES or SNS reaches the services as the domain's
busy answer (or as itself, for a bug), never as an AttributeError from the mapping."""
import pytest
from botocore import exceptions as boto

from portal.adapters.aws.senders import AwsNotifier, ProviderBusy
from portal.domain.errors import ServiceBusy
from portal.interfaces import Email

URL = "https://email.us-east-1.amazonaws.com"


def client_error(code, status):
    return boto.ClientError({"Error": {"Code": code, "Message": "x"},
                             "ResponseMetadata": {"HTTPStatusCode": status}}, "SendRawEmail")


BUSY = [  # (the failure, what the services see)
    (client_error("Throttling", 400), ProviderBusy),
    (client_error("ThrottlingException", 400), ProviderBusy),
    (client_error("MaxSendRateExceeded", 400), ProviderBusy),
    (client_error("TooManyRequestsException", 429), ProviderBusy),
    (client_error("InternalFailure", 500), ProviderBusy),
    (client_error("ServiceUnavailable", 503), ProviderBusy),
    (boto.ReadTimeoutError(endpoint_url=URL), ServiceBusy),
    (boto.ConnectTimeoutError(endpoint_url=URL), ServiceBusy),
    (boto.EndpointConnectionError(endpoint_url=URL), ServiceBusy),
    (boto.ConnectionClosedError(endpoint_url=URL), ServiceBusy),
    (boto.ProxyConnectionError(proxy_url="http://proxy:3128"), ServiceBusy),
    (boto.SSLError(endpoint_url=URL, error="bad handshake"), ServiceBusy),
    (boto.ResponseStreamingError(error="reset"), ServiceBusy),
    (boto.HTTPClientError(error="reset"), ServiceBusy),
    (boto.ConnectionError(error="refused"), ServiceBusy),
]


class Failing:
    def __init__(self, error):
        self.error = error

    def __call__(self, service):
        return self

    def send_raw_email(self, **params):
        raise self.error

    def publish(self, **params):
        raise self.error


@pytest.mark.parametrize("error,expected", BUSY, ids=lambda v: type(v).__name__ if isinstance(v, Exception) else "")
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_each_botocore_failure_reaches_the_services_as_busy(error, expected, channel):
    notifier = AwsNotifier(Failing(error), "hello@example.org")
    with pytest.raises(expected) as raised:
        if channel == "email":
            notifier.send_email(Email(to="a@example.org", subject="s", text="t"))
        else:
            notifier.send_sms("+12025550100", "hi")
    assert raised.value.__cause__ is error
    assert (type(raised.value) is ProviderBusy) is (expected is ProviderBusy)


@pytest.mark.parametrize("error", [client_error("MessageRejected", 400), ValueError("a bug")])
def test_a_refusal_or_a_bug_passes_as_itself(error):
    with pytest.raises(type(error)) as raised:
        AwsNotifier(Failing(error), "hello@example.org").send_sms("+12025550100", "hi")
    assert raised.value is error
