"""Domain errors raised by the services and turned into form errors or API errors by the web."""

from typing import Any


class DomainError(Exception):
    """Base class: a request the incubator's rules do not allow."""

    code = "invalid"

    def __init__(self, message: Any = "", details: dict[str, Any] | None = None) -> None:
        # Kept lazy: translated when shown, after the failed transaction has been rolled back.
        super().__init__(message)
        self.message = message
        self.details = details or {}


class RuleViolation(DomainError):
    """A field breaks a rule; ``field`` names it so a form can show the error beside it."""

    code = "invalid"

    def __init__(self, field: str, message: Any) -> None:
        super().__init__(message, {"fields": {field: str(message)}})
        self.field = field


class NotAllowed(DomainError):
    code = "forbidden"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    """The request overlaps something that already holds the same space and time."""

    code = "conflict"

    def __init__(self, message: Any, conflicts: list[dict[str, Any]]) -> None:
        super().__init__(message, {"conflicts": conflicts})
        self.conflicts = conflicts
