"""Domain exceptions. Each carries a message written for the person who caused it."""


class DomainError(Exception):
    """Base: something a person or caller did that the rules refuse."""


class ValidationError(DomainError, ValueError):
    pass


class InvalidTransition(DomainError):
    def __init__(self, current, wanted):
        self.current, self.wanted = current, wanted
        super().__init__(f"This session is {current.value.replace('_', ' ')} and can't become "
                         f"{wanted.value.replace('_', ' ')}.")


class NotFound(DomainError):
    pass


class SlotTaken(DomainError):
    def __init__(self, message="Someone else just took that time. Please pick another."):
        super().__init__(message)


class StaleVersion(DomainError):
    """The object changed since the page was shown; the caller shows the current state."""

    def __init__(self, message="This session was changed a moment ago."):
        super().__init__(message)


class SlotUnavailable(DomainError):
    """The chosen time is not an open slot (outside availability, too soon, too far)."""
