"""Database plumbing shared by the review app's stores.

Every store runs its work through `run()` (`bot.records.db.run`, as the
RecordRepository does): a database error is logged (the driver's one-line
message, never SQL or values) and raised as `RecordsUnavailable`, which the
pages turn into a polite 503.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.records import db

logger = logging.getLogger(__name__)

T = TypeVar("T")


def session_factory_of(repository: Any) -> sessionmaker:
    """The session factory of an open RecordRepository: staff accounts,
    sessions and the audit trail live in the same database as the records
    (one migration chain, one backup), so they share its engine."""
    factory = getattr(repository, "session_factory", None)
    if not isinstance(factory, sessionmaker):
        raise TypeError("the review app needs a RecordRepository (bot.records.open_repository())")
    return factory


def run(session_factory: sessionmaker, operation: str, work: Callable[[Session], T]) -> T:
    return db.run(session_factory, operation, work, log=logger, what="review")
