"""Which AWS failures mean "busy, try again": throttling, timeouts, lost connections and 5xx.

botocore's retry mode (configured once in wiring.Container.client) has already retried
them with backoff by the time one reaches us; past that the adapters raise the domain's
ServiceBusy instead of botocore's exception, so nothing above the adapters sees botocore.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from portal.domain.errors import ServiceBusy

F = TypeVar("F", bound=Callable[..., Any])

BUSY_CODES = {
    "ProvisionedThroughputExceededException", "ThrottlingException", "Throttling",
    "RequestLimitExceeded", "TooManyRequestsException", "InternalServerError",
    "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException", "LimitExceededException",
    "TransactionInProgressException",
}


def is_busy(error: BaseException) -> bool:
    """True for a failure worth a "try again in a moment", False for anything else (a bug)."""
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    if isinstance(error, (ConnectionError, HTTPClientError)):  # timeouts, refused, reset
        return True
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        code = error.response.get("Error", {}).get("Code", "")
        return status >= 500 or code in BUSY_CODES
    return False


def busy_on_trouble(method: F) -> F:
    """Decorate an adapter method: a busy AWS answer becomes ServiceBusy, the rest passes."""

    @functools.wraps(method)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except Exception as error:
            if is_busy(error):
                raise ServiceBusy() from error
            raise
    return cast(F, guarded)
