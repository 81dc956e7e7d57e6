"""Filing drafts: the answers of a filing conversation while it runs.

Nothing a person types for a record is kept in the conversation (Rasa's
tracker): the tracker holds only an opaque draft id (the `filing_id` slot)
and markers saying which questions are answered. The answers live here, in
the records database:

- a draft is found only by its id *and* its conversation: a draft id copied
  into another conversation finds nothing. Both are stored as SHA-256
  hashes, so a copy of the database gives neither away;
- the answers are one AES-256-GCM ciphertext under the **drafts key**
  (`DRAFTS_KEY`, or the owner-only file `DRAFTS_KEY_FILE`, default
  `var/drafts.key`, created on first use), which is not the records key.
  The ciphertext is bound to its draft and conversation (associated data):
  moved to another row, it does not decrypt;
- a draft expires `DRAFT_LIFETIME` after its last change (an abandoned
  conversation leaves nothing behind for long): expired drafts are never
  read, and are deleted whenever a draft is created and by
  `python -m bot conversations prune`;
- once filed, its answers are deleted and only the record's reference is
  kept, so that a retried confirmation (the action server restarted before
  the reply reached the person) is told the same reference instead of
  filing again.

Rotating the drafts key (delete the key file, or change `DRAFTS_KEY`, with
the assistant stopped) abandons the drafts in progress: people filing at
that moment are asked to start again. Filed records are not affected.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Mapping, Optional

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from bot.paths import PROJECT_ROOT
from bot.records import db
from bot.records.crypto import ENV_KEY, KeyConfigurationError, ensure_key_file
from bot.records.errors import RecordsError
from bot.records.models import KINDS, FilingDraft, utcnow

logger = logging.getLogger(__name__)

ENV_DRAFTS_KEY = "DRAFTS_KEY"
ENV_DRAFTS_KEY_FILE = "DRAFTS_KEY_FILE"
DRAFT_LIFETIME = dt.timedelta(hours=2)
TOKEN_PREFIX = "d1."
#: The answers a draft holds (all optional while the conversation runs).
FIELDS = ("opening", "account", "name", "contact")

_UNAVAILABLE = "The records database is unavailable, so the answer could not be kept. Please try again."


class DraftNotFound(RecordsError):
    """No live draft with that id in this conversation (never made, expired,
    abandoned, or another conversation's)."""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def new_draft_id() -> str:
    return secrets.token_urlsafe(18)


# --- the drafts key ----------------------------------------------------------------


def drafts_key_path(environ: Optional[Mapping[str, str]] = None) -> Path:
    env = os.environ if environ is None else environ
    value = (env.get(ENV_DRAFTS_KEY_FILE) or "").strip()
    return Path(value).expanduser() if value else PROJECT_ROOT / "var" / "drafts.key"


def _aes_key(text: str, source: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeError):
        key = b""
    if len(key) != 32:
        raise KeyConfigurationError(
            f"{source} is not a valid key (32 random bytes in url-safe base64, as printed by "
            "`python -m bot records new-key`)."
        )
    return key


class DraftCipher:
    """AES-256-GCM with associated data; tokens are "d1." + base64url(nonce + ciphertext)."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "<DraftCipher>"

    def encrypt(self, plaintext: bytes, associated: bytes) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext, associated)
        return TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str, associated: bytes) -> bytes:
        if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
            raise InvalidTag()
        try:
            raw = base64.urlsafe_b64decode(token[len(TOKEN_PREFIX):].encode("ascii"))
        except (ValueError, UnicodeError):
            raise InvalidTag() from None
        return self._aead.decrypt(raw[:12], raw[12:], associated)


def load_draft_cipher(environ: Optional[Mapping[str, str]] = None) -> DraftCipher:
    """The drafts key from `DRAFTS_KEY`, else the key file (created if
    missing). It must not be the records key."""
    env = os.environ if environ is None else environ
    value = (env.get(ENV_DRAFTS_KEY) or "").strip()
    if value:
        if value == (env.get(ENV_KEY) or "").strip():
            raise KeyConfigurationError(f"{ENV_DRAFTS_KEY} must not be the same key as {ENV_KEY}.")
        return DraftCipher(_aes_key(value, ENV_DRAFTS_KEY))
    path = drafts_key_path(env)
    try:
        keys = ensure_key_file(path)
    except OSError as exc:
        raise KeyConfigurationError(f"The drafts key file {path} could not be read or created ({exc.strerror or exc}).") from None
    return DraftCipher(_aes_key(keys[0], f"The key in {path}"))


# --- the store ---------------------------------------------------------------------


@dataclass(frozen=True)
class DraftAnswers:
    """A draft as read back, decrypted (kept only in memory)."""

    kind: str
    opening: Optional[str] = field(default=None, repr=False)
    account: Optional[str] = field(default=None, repr=False)
    name: Optional[str] = field(default=None, repr=False)
    contact: Optional[str] = field(default=None, repr=False)
    filed_reference: Optional[str] = None


class DraftStore:
    def __init__(self, session_factory: sessionmaker, cipher: DraftCipher, lifetime: dt.timedelta = DRAFT_LIFETIME, clock=utcnow) -> None:
        self._sessions = session_factory
        self._cipher = cipher
        self._lifetime = lifetime
        self._clock = clock

    # --- encryption, bound to the draft and its conversation ---------------------------

    @staticmethod
    def _associated(draft_hash: str, conversation_hash: str) -> bytes:
        return f"filing-draft:v1:{draft_hash}:{conversation_hash}".encode("ascii")

    def _seal(self, row: FilingDraft, answers: Dict[str, Optional[str]]) -> Optional[str]:
        kept = {key: answers.get(key) for key in FIELDS if answers.get(key) is not None}
        if not kept:
            return None
        plaintext = json.dumps(kept, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return self._cipher.encrypt(plaintext, self._associated(row.draft_hash, row.conversation_hash))

    def _open(self, row: FilingDraft) -> Dict[str, Optional[str]]:
        if row.answers_encrypted is None:
            return {}
        try:
            plaintext = self._cipher.decrypt(row.answers_encrypted, self._associated(row.draft_hash, row.conversation_hash))
        except InvalidTag:
            # another key (rotated), or a ciphertext that is not this draft's
            logger.warning("a filing draft could not be decrypted with the drafts key: treated as abandoned")
            raise DraftNotFound("the draft could not be read") from None
        return json.loads(plaintext.decode("utf-8", "surrogatepass"))

    # --- operations ----------------------------------------------------------------------

    def _live(self, session: Any, draft_id: str, conversation_id: str) -> FilingDraft:
        row = session.execute(
            select(FilingDraft).where(
                FilingDraft.draft_hash == _digest(draft_id),
                FilingDraft.conversation_hash == _digest(conversation_id),
            )
        ).scalar_one_or_none()
        if row is None or (row.filed_reference is None and row.expires_at <= self._clock()):
            raise DraftNotFound("no such draft in this conversation")
        return row

    def _run(self, operation: str, work):
        return db.run(self._sessions, operation, work, log=logger, what="drafts", message=_UNAVAILABLE)

    def create(self, conversation_id: str, kind: str, opening: Optional[str] = None) -> str:
        """A new draft for this conversation; returns its opaque id."""
        if kind not in KINDS:
            raise ValueError(f"unknown record kind {kind!r}")
        draft_id = new_draft_id()

        def work(session: Any) -> str:
            now = self._clock()
            session.execute(delete(FilingDraft).where(FilingDraft.expires_at <= now))
            row = FilingDraft(
                draft_hash=_digest(draft_id), conversation_hash=_digest(conversation_id), kind=kind,
                created_at=now, updated_at=now, expires_at=now + self._lifetime,
            )
            row.answers_encrypted = self._seal(row, {"opening": opening})
            session.add(row)
            session.commit()
            return draft_id

        return self._run("creating a filing draft", work)

    def get(self, draft_id: str, conversation_id: str) -> DraftAnswers:
        def work(session: Any) -> DraftAnswers:
            row = self._live(session, draft_id, conversation_id)
            answers = self._open(row)
            return DraftAnswers(kind=row.kind, filed_reference=row.filed_reference, **{k: answers.get(k) for k in FIELDS})

        return self._run("reading a filing draft", work)

    def update(self, draft_id: str, conversation_id: str, **changes: Optional[str]) -> DraftAnswers:
        """Set (or, with None, clear) some answers; the draft lives on for
        another DRAFT_LIFETIME."""
        unknown = set(changes) - set(FIELDS)
        if unknown:
            raise ValueError(f"not draft answers: {sorted(unknown)}")

        def work(session: Any) -> DraftAnswers:
            row = self._live(session, draft_id, conversation_id)
            if row.filed_reference is not None:
                raise DraftNotFound("the draft is already filed")
            answers = {**self._open(row), **changes}
            now = self._clock()
            row.answers_encrypted = self._seal(row, answers)
            row.updated_at, row.expires_at = now, now + self._lifetime
            session.commit()
            return DraftAnswers(kind=row.kind, **{k: answers.get(k) for k in FIELDS})

        return self._run("keeping an answer in a filing draft", work)

    def change_kind(self, draft_id: str, conversation_id: str, kind: str) -> None:
        """What is being filed turned out to be another kind ("I need to
        report something", then an account of a teacher and a child: a
        disclosure). The answers so far are kept."""
        if kind not in KINDS:
            raise ValueError(f"unknown record kind {kind!r}")

        def work(session: Any) -> None:
            row = self._live(session, draft_id, conversation_id)
            if row.filed_reference is not None:
                raise DraftNotFound("the draft is already filed")
            row.kind = kind
            row.updated_at = self._clock()
            session.commit()

        self._run("changing the kind of a filing draft", work)

    def mark_filed(self, draft_id: str, conversation_id: str, reference: str) -> None:
        """The record is filed: forget the answers, remember the reference."""

        def work(session: Any) -> None:
            row = self._live(session, draft_id, conversation_id)
            row.answers_encrypted = None
            row.filed_reference = reference
            row.updated_at = self._clock()
            row.expires_at = row.updated_at + self._lifetime
            session.commit()

        self._run("closing a filed draft", work)

    def discard(self, draft_id: str, conversation_id: str) -> bool:
        def work(session: Any) -> bool:
            result = session.execute(
                delete(FilingDraft).where(
                    FilingDraft.draft_hash == _digest(draft_id),
                    FilingDraft.conversation_hash == _digest(conversation_id),
                )
            )
            session.commit()
            return bool(result.rowcount)

        return self._run("discarding a filing draft", work)

    def purge_expired(self) -> int:
        def work(session: Any) -> int:
            result = session.execute(delete(FilingDraft).where(FilingDraft.expires_at <= self._clock()))
            session.commit()
            return int(result.rowcount or 0)

        return self._run("deleting expired filing drafts", work)


def open_draft_store(database_url: Optional[str] = None, *, migrate_first: bool = True) -> DraftStore:
    from bot.records.migration import migrate

    cipher = load_draft_cipher()
    engine = db.make_engine(database_url if database_url is not None else db.database_url())
    if migrate_first:
        migrate(engine=engine)
    return DraftStore(db.make_session_factory(engine), cipher)
