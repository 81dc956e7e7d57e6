"""Records as the review app may show them: every query is limited to the
kinds the person's roles may see (`review_roles.visible_kinds`), and a
disclosure about the head teacher (filed with details.about_head_teacher) is
not shown to the head teacher unless they also hold the DSL role: it goes to
the chair of governors and the DSL (`review_roles.sees_head_teacher_concerns`).

A record outside those kinds is never read for the person: the scoped query
decides, and only a reference it returned is then read (decrypted) through
the RecordRepository. No role, or only `admin`, means no query at all.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import AbstractSet, List, Optional, Tuple

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.records import models
from bot.records.models import Record
from bot.records.references import is_valid_reference, normalise_reference
from bot.records.repository import FiledRecord, RecordRepository
from bot.web import review_db
from bot.web.review_roles import may_change_status, sees_head_teacher_concerns, visible_kinds

PAGE_SIZE = 50


class NotVisible(LookupError):
    """No record with this reference that this person may see (or none at all)."""


class NotPermitted(PermissionError):
    """The person may see the record but not make this change."""


@dataclass(frozen=True)
class RecordRow:
    """What a list shows: nothing encrypted is read for a list."""

    reference: str
    kind: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    filer_role: str


@dataclass(frozen=True)
class RecordFilter:
    kind: Optional[str] = None
    status: Optional[str] = None
    created_from: Optional[dt.date] = None
    created_to: Optional[dt.date] = None  # inclusive
    page: int = 1


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _about_head_teacher():
    return func.coalesce(Record.details["about_head_teacher"].as_boolean(), false())


def _scoped(query, roles: AbstractSet[str], kinds):
    """Limit a query to what these roles may see."""
    query = query.where(Record.kind.in_(sorted(kinds)))
    if not sees_head_teacher_concerns(roles):
        query = query.where(or_(Record.kind != models.DISCLOSURE, _about_head_teacher() == false()))
    return query


def about_head_teacher(record: FiledRecord) -> bool:
    return record.kind == models.DISCLOSURE and bool((record.details or {}).get("about_head_teacher"))


def canonical_reference(reference: str) -> Optional[str]:
    canonical = normalise_reference(str(reference)[:64])
    return canonical if is_valid_reference(canonical) else None


class ScopedRecords:
    def __init__(self, session_factory: sessionmaker, repository: RecordRepository) -> None:
        self._sessions = session_factory
        self._repository = repository

    def _run(self, operation: str, work):
        return review_db.run(self._sessions, operation, work)

    def list(self, roles: AbstractSet[str], wanted: RecordFilter, page_size: int = PAGE_SIZE) -> Tuple[List[RecordRow], bool]:
        """Visible records, newest first: (rows, whether there are more)."""
        kinds = visible_kinds(roles)
        if wanted.kind is not None:
            kinds = kinds & {wanted.kind}
        if not kinds:
            return [], False
        query = _scoped(
            select(Record.reference, Record.kind, Record.status, Record.created_at, Record.updated_at, Record.filer_role),
            roles,
            kinds,
        ).order_by(Record.created_at.desc(), Record.id.desc())
        if wanted.status is not None:
            query = query.where(Record.status == wanted.status)
        if wanted.created_from is not None:
            query = query.where(Record.created_at >= _midnight(wanted.created_from))
        if wanted.created_to is not None:
            query = query.where(Record.created_at < _midnight(wanted.created_to + dt.timedelta(days=1)))
        query = query.offset((max(wanted.page, 1) - 1) * page_size).limit(page_size + 1)

        def read(session: Session) -> Tuple[List[RecordRow], bool]:
            rows = [RecordRow(*row) for row in session.execute(query)]
            return rows[:page_size], len(rows) > page_size

        return self._run("listing records", read)

    def _visible_kind(self, roles: AbstractSet[str], canonical: str) -> Optional[str]:
        kinds = visible_kinds(roles)
        if not kinds:
            return None
        query = _scoped(select(Record.kind).where(Record.reference == canonical), roles, kinds)
        return self._run("finding a record", lambda session: session.execute(query).scalar_one_or_none())

    def get(self, roles: AbstractSet[str], reference: str) -> FiledRecord:
        """The record, decrypted, if this person may see it; else NotVisible."""
        canonical = canonical_reference(reference)
        if canonical is None or self._visible_kind(roles, canonical) is None:
            raise NotVisible(reference)
        record = self._repository.get(canonical)
        if record is None or record.kind not in visible_kinds(roles):
            raise NotVisible(reference)
        if about_head_teacher(record) and not sees_head_teacher_concerns(roles):
            raise NotVisible(reference)
        return record

    def exists(self, reference: str) -> bool:
        """Whether any record has this reference, whoever may see it. For the
        audit trail only (a denied look differs from a mistyped reference);
        never shown to the person asking."""
        canonical = canonical_reference(reference)
        if canonical is None:
            return False
        query = select(Record.id).where(Record.reference == canonical)
        return self._run("finding a record", lambda session: session.execute(query).first() is not None)

    def change_status(
        self, roles: AbstractSet[str], reference: str, to_status: str, changed_by: str, reason: Optional[str]
    ) -> FiledRecord:
        """Move a visible record on. NotVisible, NotPermitted, or the
        repository's InvalidTransition / ReasonRequired / ConcurrentChange."""
        canonical = canonical_reference(reference)
        kind = None if canonical is None else self._visible_kind(roles, canonical)
        if kind is None:
            raise NotVisible(reference)
        if to_status not in models.STATUSES or not may_change_status(roles, kind):
            raise NotPermitted(reference)
        return self._repository.change_status(canonical, to_status, changed_by, reason)
