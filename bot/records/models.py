"""Tables for safeguarding records (SQLAlchemy 1.4, 2.0-style declarative).

Sensitive text is never stored in the clear: the person's account, the
filer's name and contact, and the reason for a status change are Fernet
tokens (`bot.records.crypto`). What is stored in the clear is only what is
needed to find and route a record: reference, kind, status, times, the
filer's role, and `details` (non-sensitive structured facts: never put names,
contact details or the account there).

The staff review app's tables (staff accounts and roles, sessions, the audit
trail) are at the end of this module, in the same metadata, so that one
migration chain and one backup cover records and every look at them.
"""
from __future__ import annotations

import datetime as dt
from typing import Dict, FrozenSet, Optional, Tuple

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import registry, relationship
from sqlalchemy.types import TypeDecorator

# --- vocabularies ----------------------------------------------------------------

DISCLOSURE = "disclosure"
FAMILY_LINK_DECLARATION = "family_link_declaration"
SERVICE_PROPOSAL = "service_proposal"
CONCERN_REPORT = "concern_report"
KINDS: Tuple[str, ...] = (DISCLOSURE, FAMILY_LINK_DECLARATION, SERVICE_PROPOSAL, CONCERN_REPORT)

FILER_ROLES: Tuple[str, ...] = ("parent", "staff", "pupil", "governor", "other")

# statuses
PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
RECEIVED, IN_REVIEW, REFERRED, CLOSED = "received", "in_review", "referred", "closed"
STATUSES: Tuple[str, ...] = (PENDING, APPROVED, DECLINED, RECEIVED, IN_REVIEW, REFERRED, CLOSED)

_PROPOSAL_TRANSITIONS: Dict[str, FrozenSet[str]] = {PENDING: frozenset({APPROVED, DECLINED})}
_CASE_TRANSITIONS: Dict[str, FrozenSet[str]] = {
    RECEIVED: frozenset({IN_REVIEW, CLOSED}),
    IN_REVIEW: frozenset({REFERRED, CLOSED}),
}

#: kind -> status -> the statuses it may move to. A status absent here is final.
TRANSITIONS: Dict[str, Dict[str, FrozenSet[str]]] = {
    SERVICE_PROPOSAL: _PROPOSAL_TRANSITIONS,
    DISCLOSURE: _CASE_TRANSITIONS,
    FAMILY_LINK_DECLARATION: _CASE_TRANSITIONS,
    CONCERN_REPORT: _CASE_TRANSITIONS,
}

#: The status a newly filed record starts in.
INITIAL_STATUS: Dict[str, str] = {
    SERVICE_PROPOSAL: PENDING,
    DISCLOSURE: RECEIVED,
    FAMILY_LINK_DECLARATION: RECEIVED,
    CONCERN_REPORT: RECEIVED,
}

#: (kind, new status) pairs that must be given a reason.
REASON_REQUIRED: FrozenSet[Tuple[str, str]] = frozenset({(SERVICE_PROPOSAL, APPROVED), (SERVICE_PROPOSAL, DECLINED)})


def allowed_transitions(kind: str, status: str) -> FrozenSet[str]:
    return TRANSITIONS[kind].get(status, frozenset())


def _in(values: Tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


# --- types -------------------------------------------------------------------------


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL stores `timestamp with time zone`; SQLite has no time zones,
    so values are stored as UTC and given their zone back when read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[dt.datetime], dialect) -> Optional[dt.datetime]:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError("UTCDateTime needs a datetime")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        value = value.astimezone(dt.timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Optional[dt.datetime], dialect) -> Optional[dt.datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# --- tables ------------------------------------------------------------------------

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

mapper_registry = registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))
Base = mapper_registry.generate_base()


class Record(Base):
    __tablename__ = "records"

    id = Column(Integer, primary_key=True)
    reference = Column(String(32), nullable=False, unique=True)
    kind = Column(String(32), nullable=False, index=True)
    status = Column(String(32), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, index=True)
    updated_at = Column(UTCDateTime(), nullable=False)
    filer_role = Column(String(16), nullable=False)
    filer_name_encrypted = Column(Text, nullable=True)
    filer_contact_encrypted = Column(Text, nullable=True)
    account_encrypted = Column(Text, nullable=False)
    details = Column(JSON, nullable=False)
    #: SHA-256 (hex) of the caller's idempotency key: the same confirmation
    #: files once, and the stored value says nothing about the conversation.
    idempotency_key = Column(String(64), nullable=False, unique=True)

    history = relationship(
        "StatusChange",
        back_populates="record",
        order_by="[StatusChange.changed_at, StatusChange.id]",
        lazy="selectin",
        cascade="all",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(KINDS)})", name="kind"),
        CheckConstraint(f"status IN ({_in(STATUSES)})", name="status"),
        CheckConstraint(f"filer_role IN ({_in(FILER_ROLES)})", name="filer_role"),
    )


class StatusChange(Base):
    __tablename__ = "status_changes"

    id = Column(Integer, primary_key=True)
    record_id = Column(Integer, ForeignKey("records.id", ondelete="RESTRICT"), nullable=False, index=True)
    from_status = Column(String(32), nullable=True)  # NULL: the record was filed
    to_status = Column(String(32), nullable=False)
    changed_at = Column(UTCDateTime(), nullable=False)
    changed_by = Column(String(200), nullable=False)
    reason_encrypted = Column(Text, nullable=True)

    record = relationship("Record", back_populates="history")

    __table_args__ = (
        CheckConstraint(f"to_status IN ({_in(STATUSES)})", name="to_status"),
        CheckConstraint(f"from_status IS NULL OR from_status IN ({_in(STATUSES)})", name="from_status"),
    )


#: (table, column) of every encrypted value: what key rotation rewrites.
ENCRYPTED_COLUMNS: Tuple[Tuple[type, str], ...] = (
    (Record, "filer_name_encrypted"),
    (Record, "filer_contact_encrypted"),
    (Record, "account_encrypted"),
    (StatusChange, "reason_encrypted"),
)


# --- staff review: users, roles, sessions, audit trail -----------------------------
#
# The review web app (`bot.web.review`) keeps its staff accounts, their
# sessions and the audit trail in the records database, so that a record and
# every look at it live and are backed up together. Nothing sensitive is
# stored in the clear here either: passwords are scrypt hashes, session tokens
# SHA-256 hashes, and an audit event names a reference, never an account.

HEAD_TEACHER, DSL, OFFICE, ADMIN = "head_teacher", "dsl", "office", "admin"
STAFF_ROLES: Tuple[str, ...] = (HEAD_TEACHER, DSL, OFFICE, ADMIN)

AUDIT_ACTIONS: Tuple[str, ...] = (
    "login_succeeded",
    "login_failed",
    "login_throttled",
    "logout",
    "session_expired",
    "csrf_rejected",
    "records_listed",
    "record_viewed",
    "status_changed",
    "audit_viewed",
    "users_listed",
    "user_created",
    "user_password_set",
    "user_deactivated",
    "user_reactivated",
    "user_roles_set",
    "own_password_changed",
)
#: ok: done; denied: not allowed for this person; not_found: nothing there;
#: refused: allowed but not possible (e.g. a final status); failed: wrong password.
AUDIT_OUTCOMES: Tuple[str, ...] = ("ok", "denied", "not_found", "refused", "failed")


class StaffUser(Base):
    __tablename__ = "staff_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(200), nullable=False)
    #: "scrypt$n$r$p$salt$hash" (see bot.web.review_passwords)
    password_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)
    password_changed_at = Column(UTCDateTime(), nullable=False)

    roles = relationship(
        "StaffRole", back_populates="user", lazy="selectin", cascade="all, delete-orphan", passive_deletes=True
    )


class StaffRole(Base):
    __tablename__ = "staff_roles"

    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True)
    role = Column(String(32), primary_key=True)

    user = relationship("StaffUser", back_populates="roles")

    __table_args__ = (CheckConstraint(f"role IN ({_in(STAFF_ROLES)})", name="role"),)


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    id = Column(Integer, primary_key=True)
    #: SHA-256 (hex) of the cookie's random token: a copy of the database
    #: does not give anyone a working session.
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)
    last_seen_at = Column(UTCDateTime(), nullable=False)
    #: the absolute end, however busy the session is
    expires_at = Column(UTCDateTime(), nullable=False)


class AuditEvent(Base):
    """One line of the audit trail. Append-only: the app never updates or
    deletes one, and the database refuses to (triggers, see revision 0002)."""

    __tablename__ = "audit_events"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime(), nullable=False, index=True)
    #: who (NULL: nobody signed in, or a sign-in attempt for an unknown name)
    username = Column(String(64), nullable=True, index=True)
    action = Column(String(32), nullable=False)
    outcome = Column(String(16), nullable=False)
    reference = Column(String(32), nullable=True, index=True)
    ip = Column(String(64), nullable=True)
    #: short, non-sensitive facts (filters used, "received -> in_review");
    #: never an account, a name, contact details or a reason
    detail = Column(String(300), nullable=True)

    __table_args__ = (
        CheckConstraint(f"action IN ({_in(AUDIT_ACTIONS)})", name="action"),
        CheckConstraint(f"outcome IN ({_in(AUDIT_OUTCOMES)})", name="outcome"),
    )


# --- filing drafts: a filing conversation's answers while it runs ------------------
#
# What a person types for a record (their account, name, contact) is held
# here, never in the conversation store, until it is filed or abandoned. A
# draft is found by the hash of an opaque id that only its conversation's
# tracker holds, and only together with that conversation (hashed too); its
# answers are one AES-GCM ciphertext under the drafts key (not the records
# key), bound to both hashes as associated data (bot.records.drafts).


class FilingDraft(Base):
    __tablename__ = "filing_drafts"

    id = Column(Integer, primary_key=True)
    #: SHA-256 (hex) of the draft's opaque id (the `filing_id` slot)
    draft_hash = Column(String(64), nullable=False, unique=True)
    #: SHA-256 (hex) of the conversation (sender) id it belongs to
    conversation_hash = Column(String(64), nullable=False, index=True)
    kind = Column(String(32), nullable=False)
    #: the answers so far (account, first message, name, contact): one ciphertext
    answers_encrypted = Column(Text, nullable=True)
    created_at = Column(UTCDateTime(), nullable=False)
    updated_at = Column(UTCDateTime(), nullable=False)
    expires_at = Column(UTCDateTime(), nullable=False, index=True)
    #: set once filed; the answers are then removed
    filed_reference = Column(String(32), nullable=True)

    __table_args__ = (CheckConstraint(f"kind IN ({_in(KINDS)})", name="kind"),)
