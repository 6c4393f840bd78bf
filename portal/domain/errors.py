"""Domain exceptions. Each carries a message written for the person who caused it."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # model imports this module
    from portal.domain.model import Status


class DomainError(Exception):
    """Base: something a person or caller did that the rules refuse."""


class ValidationError(DomainError, ValueError):
    pass


class InvalidTransition(DomainError):
    def __init__(self, current: Status, wanted: Status) -> None:
        self.current, self.wanted = current, wanted
        super().__init__(f"This session is {current.value.replace('_', ' ')} and can't become "
                         f"{wanted.value.replace('_', ' ')}.")


class NotFound(DomainError):
    pass


class SlotTaken(DomainError):
    def __init__(self, message: str = "Someone else just took that time. Please pick another.") -> None:
        super().__init__(message)


class StaleVersion(DomainError):
    """The object changed since the page was shown; the caller shows the current state."""

    def __init__(self, message: str = "This session was changed a moment ago.") -> None:
        super().__init__(message)


class SlotUnavailable(DomainError):
    """The chosen time is not an open slot (outside availability, too soon, too far)."""


class ServiceBusy(Exception):
    """AWS stayed throttled, slow or failing past the retries. Not a DomainError: nobody did
    anything wrong, and nothing was written by the call that raised it. The web answers
    503 with Retry-After; a scheduled run leaves the work for its next run."""

    retry_after = 5  # seconds: the retry mode has already waited; a person can try again soon

    def __init__(self, message: str = "We're very busy for a moment. Please try again shortly.") -> None:
        super().__init__(message)
