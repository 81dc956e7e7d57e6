"""The audit trail: who looked at or changed what, when, from where.

Append-only: this module can add and read events, nothing else (and the
database refuses UPDATE and DELETE on the table, see migration 0002). An
event names a record by its reference; it never holds an account, a name,
contact details or a status-change reason.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.records.models import AUDIT_ACTIONS, AUDIT_OUTCOMES, AuditEvent, utcnow
from bot.records.references import is_valid_reference, normalise_reference
from bot.web import review_db

MAX_DETAIL = 300
MAX_IP = 64
PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    username: Optional[str]
    action: str
    outcome: str
    reference: Optional[str]
    ip: Optional[str]
    detail: Optional[str]


def clean_reference(reference: Optional[str]) -> Optional[str]:
    """The canonical reference, or None for anything that is not one (so
    that whatever was typed into an address bar is not stored)."""
    if not reference:
        return None
    canonical = normalise_reference(str(reference)[:64])
    return canonical if is_valid_reference(canonical) else None


def _clip(value: Optional[str], limit: int) -> Optional[str]:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text[:limit] or None


class AuditTrail:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._sessions = session_factory

    def record(
        self,
        action: str,
        outcome: str = "ok",
        *,
        username: Optional[str] = None,
        reference: Optional[str] = None,
        ip: Optional[str] = None,
        detail: Optional[str] = None,
    ) -> None:
        """Append one event (committed when this returns; raises
        RecordsUnavailable when it could not be stored)."""
        if action not in AUDIT_ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        if outcome not in AUDIT_OUTCOMES:
            raise ValueError(f"unknown audit outcome {outcome!r}")
        event = AuditEvent(
            at=utcnow(),
            username=_clip(username, 64),
            action=action,
            outcome=outcome,
            reference=clean_reference(reference),
            ip=_clip(ip, MAX_IP),
            detail=_clip(detail, MAX_DETAIL),
        )

        def insert(session: Session) -> None:
            session.add(event)
            session.commit()

        review_db.run(self._sessions, "writing the audit trail", insert)

    def failures_since(self, since: dt.datetime, *, username: Optional[str], ip: Optional[str]) -> Tuple[int, int]:
        """Failed sign-ins since `since`: (for this username, from this address)."""

        def count(session: Session, column, value) -> int:
            if not value:
                return 0
            query = (
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "login_failed", AuditEvent.at >= since, column == value)
            )
            return int(session.execute(query).scalar_one())

        def read(session: Session) -> Tuple[int, int]:
            return count(session, AuditEvent.username, username), count(session, AuditEvent.ip, ip)

        return review_db.run(self._sessions, "counting failed sign-ins", read)

    def page(
        self,
        *,
        username: Optional[str] = None,
        action: Optional[str] = None,
        reference: Optional[str] = None,
        page: int = 1,
        page_size: int = PAGE_SIZE,
    ) -> Tuple[List[AuditEntry], bool]:
        """Events newest first, filtered; (entries, whether there are more)."""
        query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        if username:
            query = query.where(AuditEvent.username == username)
        if action:
            query = query.where(AuditEvent.action == action)
        if reference:
            query = query.where(AuditEvent.reference == reference)
        query = query.offset((max(page, 1) - 1) * page_size).limit(page_size + 1)

        def read(session: Session) -> Tuple[List[AuditEntry], bool]:
            rows = list(session.execute(query).scalars())
            entries = [
                AuditEntry(row.at, row.username, row.action, row.outcome, row.reference, row.ip, row.detail)
                for row in rows[:page_size]
            ]
            return entries, len(rows) > page_size

        return review_db.run(self._sessions, "reading the audit trail", read)
