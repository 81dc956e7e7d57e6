"""Filing, reading and moving safeguarding records through their statuses.

Guarantees:

- `file()` returns only after the record is committed; if anything goes
  wrong it raises, and no reference is ever handed out for a record that was
  not stored.
- The same idempotency key files once: a retried or double-clicked
  confirmation gets the record already filed (also when two requests race:
  the database's unique constraint decides and the loser re-reads). Reusing
  a key for *different* content raises `IdempotencyConflict` instead of
  silently dropping the second account.
- Database failures surface as one `RecordsUnavailable` with a plain message.
- The account, the filer's name and contact, and status-change reasons are
  encrypted before they reach the database.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.records import db, models
from bot.records.crypto import RecordCipher
from bot.records.errors import (
    ConcurrentChange,
    IdempotencyConflict,
    InvalidTransition,
    ReasonRequired,
    RecordsUnavailable,
    UnknownReference,
)
from bot.records.models import Record, StatusChange, utcnow
from bot.records.references import generate_reference, is_valid_reference, normalise_reference

logger = logging.getLogger(__name__)

T = TypeVar("T")

MAX_REFERENCE_ATTEMPTS = 5
MAX_IDEMPOTENCY_KEY_LENGTH = 1000
#: How long after filing the person who filed a record may still add to it
#: (a child's report is filed as soon as they have told; their name, class
#: and anything else follow in the same conversation).
ADD_WINDOW = dt.timedelta(hours=6)
#: What the history says when the filer adds to their record.
ADDED_BY_FILER = "The person who filed it added to it in the same conversation."

KIND_LABELS = {
    models.DISCLOSURE: "disclosure",
    models.FAMILY_LINK_DECLARATION: "family-link declaration",
    models.SERVICE_PROPOSAL: "service proposal",
    models.CONCERN_REPORT: "concern report",
}

_FILE_FAILED = (
    "The record could not be filed because the records database is unavailable. "
    "Nothing was filed; please try again later."
)
_COMMIT_UNCONFIRMED = (
    "The records database stopped responding while the record was being saved, so it cannot be "
    "confirmed as filed. Please try again: repeating the same confirmation will not file it twice."
)

_CHANGE_FAILED = "The records database is unavailable, so the status was not changed. Please try again later."
_CHANGE_UNCONFIRMED = (
    "The records database stopped responding while the status change was being saved, so it cannot be "
    "confirmed. Look the record up again before repeating the change."
)
_READ_FAILED = "The records database is unavailable. Please try again later."


@dataclass(frozen=True)
class HistoryEntry:
    from_status: Optional[str]
    to_status: str
    changed_at: dt.datetime
    changed_by: str
    reason: Optional[str] = field(default=None, repr=False)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "from_status": self.from_status,
            "to_status": self.to_status,
            "changed_at": self.changed_at.isoformat(),
            "changed_by": self.changed_by,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class FiledRecord:
    """A record as read back from the database, decrypted. Sensitive fields
    are left out of `repr()` so that logging a record does not log them."""

    reference: str
    kind: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    filer_role: str
    filer_name: Optional[str] = field(repr=False)
    filer_contact: Optional[str] = field(repr=False)
    account: str = field(repr=False)
    details: Dict[str, Any] = field(repr=False)
    history: Tuple[HistoryEntry, ...] = field(repr=False)
    #: True when `file()` found this record already filed under the same key.
    already_filed: bool = field(default=False, compare=False)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "reference": self.reference,
            "kind": self.kind,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "filer_role": self.filer_role,
            "filer_name": self.filer_name,
            "filer_contact": self.filer_contact,
            "account": self.account,
            "details": self.details,
            "history": [entry.to_dict() for entry in self.history],
        }


def hash_idempotency_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _since_datetime(since: dt.date | dt.datetime | None) -> Optional[dt.datetime]:
    if since is None:
        return None
    if isinstance(since, dt.datetime):
        if since.tzinfo is None or since.utcoffset() is None:
            raise ValueError("`since` must be timezone-aware (or a date, read as midnight UTC)")
        return since.astimezone(dt.timezone.utc)
    if isinstance(since, dt.date):
        return dt.datetime(since.year, since.month, since.day, tzinfo=dt.timezone.utc)
    raise TypeError("`since` is a date or a timezone-aware datetime")


def _normalised_details(details: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    if details is None:
        return {}
    if not isinstance(details, dict) or not all(isinstance(key, str) for key in details):
        raise ValueError("details must be a dict with text keys")
    try:
        return json.loads(json.dumps(details, allow_nan=False))
    except (TypeError, ValueError):
        raise ValueError("details must be plain JSON data (text, numbers, booleans, lists, dicts)") from None


def _check_choice(value: str, choices: Tuple[str, ...], what: str) -> None:
    if value not in choices:
        raise ValueError(f"Unknown {what} {value!r}: one of {', '.join(choices)}")


class RecordRepository:
    def __init__(self, session_factory: sessionmaker, cipher: RecordCipher) -> None:
        self._session_factory = session_factory
        self._cipher = cipher

    @property
    def session_factory(self) -> sessionmaker:
        """Sessions on the records database, for tables that live beside the
        records (staff accounts, sessions, audit trail: bot/web)."""
        return self._session_factory

    # --- plumbing -------------------------------------------------------------------

    def _run(self, operation: str, work: Callable[[Session], T], message: str = RecordsUnavailable.DEFAULT) -> T:
        return db.run(self._session_factory, operation, work, log=logger, message=message)

    @staticmethod
    def _log_failure(operation: str, exc: BaseException) -> None:
        db.log_failure(logger, "records", operation, exc)

    def _decrypted(self, record: Record, already_filed: bool = False) -> FiledRecord:
        cipher = self._cipher
        return FiledRecord(
            reference=record.reference,
            kind=record.kind,
            status=record.status,
            created_at=record.created_at,
            updated_at=record.updated_at,
            filer_role=record.filer_role,
            filer_name=cipher.decrypt(record.filer_name_encrypted),
            filer_contact=cipher.decrypt(record.filer_contact_encrypted),
            account=cipher.decrypt(record.account_encrypted) or "",
            details=dict(record.details or {}),
            history=tuple(
                HistoryEntry(
                    from_status=change.from_status,
                    to_status=change.to_status,
                    changed_at=change.changed_at,
                    changed_by=change.changed_by,
                    reason=cipher.decrypt(change.reason_encrypted),
                )
                for change in record.history
            ),
            already_filed=already_filed,
        )

    def _find_by_key(self, session: Session, key_hash: str) -> Optional[Record]:
        return session.execute(select(Record).where(Record.idempotency_key == key_hash)).scalar_one_or_none()

    @staticmethod
    def _find_by_reference(session: Session, reference: str) -> Optional[Record]:
        return session.execute(select(Record).where(Record.reference == reference)).scalar_one_or_none()

    def _existing(self, record: Record, wanted: Dict[str, Any]) -> FiledRecord:
        filed = self._decrypted(record, already_filed=True)
        found = {
            "kind": filed.kind,
            "filer_role": filed.filer_role,
            "filer_name": filed.filer_name,
            "filer_contact": filed.filer_contact,
            "account": filed.account,
            "details": filed.details,
        }
        if found != wanted:
            raise IdempotencyConflict(
                f"This confirmation was already used to file {filed.reference}, with different content. "
                "Nothing new was filed: file the new record with its own confirmation."
            )
        return filed

    # --- filing ---------------------------------------------------------------------

    def file(
        self,
        kind: str,
        account: str,
        filer_role: str,
        filer_name: Optional[str] = None,
        filer_contact: Optional[str] = None,
        details: Optional[Dict[str, Any]] = None,
        *,
        idempotency_key: str,
    ) -> FiledRecord:
        """File a record and return it once it is committed.

        `account` is kept exactly as typed. `idempotency_key` identifies the
        confirmation (for example the conversation id plus the form run):
        filing again with the same key returns the first record
        (`already_filed=True`)."""
        _check_choice(kind, models.KINDS, "record kind")
        _check_choice(filer_role, models.FILER_ROLES, "filer role")
        if not isinstance(account, str) or not account.strip():
            raise ValueError("The account is empty: there is nothing to file.")
        for name, value in (("filer_name", filer_name), ("filer_contact", filer_contact)):
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} must be text")
        if not isinstance(idempotency_key, str) or not idempotency_key.strip():
            raise ValueError("An idempotency key is required, so that a repeated confirmation files once.")
        if len(idempotency_key) > MAX_IDEMPOTENCY_KEY_LENGTH:
            raise ValueError("The idempotency key is too long.")
        clean_details = _normalised_details(details)
        key_hash = hash_idempotency_key(idempotency_key)
        wanted = {
            "kind": kind,
            "filer_role": filer_role,
            "filer_name": filer_name,
            "filer_contact": filer_contact,
            "account": account,
            "details": clean_details,
        }
        encrypted = {
            "account_encrypted": self._cipher.encrypt(account),
            "filer_name_encrypted": self._cipher.encrypt(filer_name),
            "filer_contact_encrypted": self._cipher.encrypt(filer_contact),
        }

        for _attempt in range(MAX_REFERENCE_ATTEMPTS):
            reference = generate_reference()

            def insert(session: Session) -> FiledRecord:
                existing = self._find_by_key(session, key_hash)
                if existing is not None:
                    return self._existing(existing, wanted)
                now = utcnow()
                status = models.INITIAL_STATUS[kind]
                record = Record(
                    reference=reference,
                    kind=kind,
                    status=status,
                    created_at=now,
                    updated_at=now,
                    filer_role=filer_role,
                    details=clean_details,
                    idempotency_key=key_hash,
                    **encrypted,
                )
                record.history.append(
                    StatusChange(from_status=None, to_status=status, changed_at=now, changed_by=f"filer:{filer_role}")
                )
                session.add(record)
                try:
                    session.flush()
                except IntegrityError:
                    raise
                except SQLAlchemyError as exc:
                    self._log_failure("filing a record", exc)
                    raise RecordsUnavailable(_FILE_FAILED) from None
                try:
                    session.commit()
                except IntegrityError:
                    raise
                except SQLAlchemyError as exc:
                    self._log_failure("committing a record", exc)
                    raise RecordsUnavailable(_COMMIT_UNCONFIRMED) from None
                return self._decrypted(record)

            try:
                return self._run("filing a record", lambda session: self._without_integrity(insert, session), _FILE_FAILED)
            except _Integrity:
                pass

            # The unique constraint fired: either the same confirmation was
            # filed concurrently (return it) or, astronomically rarely, the
            # reference was taken (try another one).
            def after_conflict(session: Session) -> Tuple[Optional[FiledRecord], bool]:
                existing = self._find_by_key(session, key_hash)
                if existing is not None:
                    return self._existing(existing, wanted), False
                return None, self._find_by_reference(session, reference) is not None

            filed, reference_taken = self._run("re-reading a record", after_conflict, _FILE_FAILED)
            if filed is not None:
                return filed
            if not reference_taken:
                logger.error("records: filing was refused by a database constraint")
                raise RecordsUnavailable(_FILE_FAILED)
            logger.warning("records: reference collision, drawing another reference")
        raise RecordsUnavailable(_FILE_FAILED)

    def add_to(
        self, idempotency_key: str, *, addition: Optional[str] = None, filer_name: Optional[str] = None
    ) -> FiledRecord:
        """Add what the filer said next to the record they filed with
        `idempotency_key` (only they hold it): `addition` is appended to the
        account, exactly as typed, and `filer_name` is kept when the record
        has none yet. Only while the record is as it was filed (nobody has
        started on it) and within ADD_WINDOW of filing; each addition is a
        line in its history. UnknownReference when there is no such record,
        InvalidTransition when it can no longer be added to."""
        for name, value in (("addition", addition), ("filer_name", filer_name)):
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} must be text")
        if not isinstance(idempotency_key, str) or not idempotency_key.strip():
            raise ValueError("The idempotency key of the filed record is required.")
        key_hash = hash_idempotency_key(idempotency_key)

        def add(session: Session) -> FiledRecord:
            record = self._find_by_key(session, key_hash)
            if record is None:
                raise UnknownReference("No record was filed with that confirmation.")
            if record.status != models.INITIAL_STATUS[record.kind] or utcnow() - record.created_at > ADD_WINDOW:
                raise InvalidTransition(f"{record.reference} can no longer be added to: file what is new as a new record.")
            account = self._cipher.decrypt(record.account_encrypted) or ""
            changes: Dict[str, Any] = {}
            if addition is not None and addition.strip():
                changes["account_encrypted"] = self._cipher.encrypt(f"{account}\n\n{addition}" if account else addition)
            if filer_name is not None and filer_name.strip() and record.filer_name_encrypted is None:
                changes["filer_name_encrypted"] = self._cipher.encrypt(filer_name)
            if not changes:
                return self._decrypted(record)
            now = max(utcnow(), record.updated_at)
            session.execute(
                update(Record).where(Record.id == record.id).values(updated_at=now, **changes).execution_options(synchronize_session=False)
            )
            session.add(StatusChange(
                record_id=record.id, from_status=record.status, to_status=record.status, changed_at=now,
                changed_by=f"filer:{record.filer_role}", reason_encrypted=self._cipher.encrypt(ADDED_BY_FILER),
            ))
            session.flush()
            added = session.execute(
                select(Record).where(Record.id == record.id).execution_options(populate_existing=True)
            ).scalar_one()
            try:
                session.commit()
            except SQLAlchemyError as exc:
                self._log_failure("committing an addition", exc)
                raise RecordsUnavailable(_COMMIT_UNCONFIRMED) from None
            return self._decrypted(added)

        return self._run("adding to a record", add, _FILE_FAILED)

    @staticmethod
    def _without_integrity(work: Callable[[Session], T], session: Session) -> T:
        """IntegrityError is expected (a race on the idempotency key); carry
        it past `_run` so that it is not reported as the database failing."""
        try:
            return work(session)
        except IntegrityError:
            session.rollback()
            raise _Integrity() from None

    # --- reading --------------------------------------------------------------------

    def get(self, reference: str) -> Optional[FiledRecord]:
        """The record with this reference (typed references are normalised),
        or None."""
        canonical = normalise_reference(reference)
        if not is_valid_reference(canonical):
            return None

        def read(session: Session) -> Optional[FiledRecord]:
            record = self._find_by_reference(session, canonical)
            return None if record is None else self._decrypted(record)

        return self._run("reading a record", read, _READ_FAILED)

    def _iter(
        self, kind: Optional[str], status: Optional[str], since: dt.date | dt.datetime | None
    ) -> List[FiledRecord]:
        if kind is not None:
            _check_choice(kind, models.KINDS, "record kind")
        if status is not None:
            _check_choice(status, models.STATUSES, "status")
        since_at = _since_datetime(since)
        query = select(Record).order_by(Record.created_at, Record.id)
        if kind is not None:
            query = query.where(Record.kind == kind)
        if status is not None:
            query = query.where(Record.status == status)
        if since_at is not None:
            query = query.where(Record.created_at >= since_at)

        def read(session: Session) -> List[FiledRecord]:
            return [self._decrypted(record) for record in session.execute(query).scalars()]

        return self._run("listing records", read, _READ_FAILED)

    def list(
        self,
        kind: Optional[str] = None,
        status: Optional[str] = None,
        since: dt.date | dt.datetime | None = None,
    ) -> List[FiledRecord]:
        """Records, oldest first. `since` is a date (midnight UTC) or an aware
        datetime; records created at or after it are returned."""
        return self._iter(kind, status, since)

    def export(self, kind: Optional[str] = None, since: dt.date | dt.datetime | None = None) -> List[Dict[str, Any]]:
        """Every matching record as plain, decrypted data (JSON-ready)."""
        return [record.to_dict() for record in self._iter(kind, None, since)]

    # --- status -----------------------------------------------------------------------

    def change_status(
        self, reference: str, to_status: str, changed_by: str, reason: Optional[str] = None
    ) -> FiledRecord:
        """Move a record to `to_status`, recording who did it and why.

        Service proposals: pending -> approved | declined (both need a reason).
        Other records: received -> in_review | closed, in_review -> referred | closed."""
        _check_choice(to_status, models.STATUSES, "status")
        if not isinstance(changed_by, str) or not changed_by.strip():
            raise ValueError("Say who is changing the status (changed_by).")
        if reason is not None and not isinstance(reason, str):
            raise ValueError("The reason must be text")
        canonical = normalise_reference(reference)
        if not is_valid_reference(canonical):
            raise UnknownReference(f"{reference!r} is not a valid record reference.")

        def change(session: Session) -> FiledRecord:
            record = self._find_by_reference(session, canonical)
            if record is None:
                raise UnknownReference(f"No record has the reference {canonical}.")
            label = KIND_LABELS[record.kind]
            allowed = models.allowed_transitions(record.kind, record.status)
            if to_status not in allowed:
                if allowed:
                    options = " or ".join(sorted(allowed))
                    raise InvalidTransition(
                        f"A {label} that is {record.status} cannot become {to_status}: it can become {options}."
                    )
                raise InvalidTransition(
                    f"A {label} that is {record.status} cannot become {to_status}: its status is final."
                )
            if (record.kind, to_status) in models.REASON_REQUIRED and not (reason and reason.strip()):
                raise ReasonRequired(f"A reason is required to mark a {label} as {to_status}.")
            from_status = record.status
            now = max(utcnow(), record.updated_at)
            result = session.execute(
                update(Record)
                .where(Record.id == record.id, Record.status == from_status)
                .values(status=to_status, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                session.rollback()
                raise ConcurrentChange(
                    f"{canonical} was changed by someone else at the same moment; reload it and try again."
                )
            session.add(
                StatusChange(
                    record_id=record.id,
                    from_status=from_status,
                    to_status=to_status,
                    changed_at=now,
                    changed_by=changed_by.strip(),
                    reason_encrypted=self._cipher.encrypt(reason),
                )
            )
            session.flush()
            # read back inside the transaction: nothing to fetch after the commit
            changed = session.execute(
                select(Record).where(Record.id == record.id).execution_options(populate_existing=True)
            ).scalar_one()
            try:
                session.commit()
            except SQLAlchemyError as exc:
                self._log_failure("committing a status change", exc)
                raise RecordsUnavailable(_CHANGE_UNCONFIRMED) from None
            return self._decrypted(changed)

        return self._run("changing a record's status", change, _CHANGE_FAILED)


class _Integrity(Exception):
    """Internal: the insert hit a unique constraint."""
