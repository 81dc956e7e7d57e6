"""Errors raised by the records layer.

Every message here is written for the person at the keyboard: it never
contains SQL, a stored value, or the text of anyone's account.
"""
from __future__ import annotations


class RecordsError(Exception):
    """Base class for every error the records layer raises on purpose."""


class RecordsUnavailable(RecordsError):
    """The records database could not be used. The message says what that
    means for the operation: nothing was filed or changed, or (when the
    connection broke while committing) the outcome could not be confirmed;
    retrying a filing with the same idempotency key is always safe."""

    DEFAULT = "The records database is unavailable. Please try again later."

    def __init__(self, message: str = DEFAULT) -> None:
        super().__init__(message)


class KeyConfigurationError(RecordsError):
    """The encryption key is missing, malformed, or kept insecurely."""


class DecryptionError(RecordsError):
    """A stored value could not be decrypted with any configured key."""


class UnknownReference(RecordsError, LookupError):
    """No record has this reference."""


class InvalidTransition(RecordsError, ValueError):
    """This status change is not allowed for this kind of record."""


class ReasonRequired(InvalidTransition):
    """This status change needs a reason (approving or declining a proposal)."""


class ConcurrentChange(InvalidTransition):
    """Someone else changed the record's status at the same moment."""


class IdempotencyConflict(RecordsError, ValueError):
    """The idempotency key was already used to file a *different* record."""
