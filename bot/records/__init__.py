"""Safeguarding records: storage for disclosures, family-link declarations,
service proposals and concern reports.

- `db`: engine and sessions from `DATABASE_URL` (SQLite file by default).
- `models`: the tables; `migration`: Alembic migrations run in code.
- `crypto`: encryption at rest of accounts, contact details and reasons.
- `drafts`: a filing conversation's answers while it runs (drafts key).
- `references`: human-readable, random references with a check character.
- `repository`: `RecordRepository` (file, get, list, change_status, export)
  and `open_repository()`.
- `cli`: `python -m bot records migrate | export --json | rotate-key | new-key`.

Importing this package opens nothing: no engine, connection or key file.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple

__all__ = ["open_repository", "RecordRepository", "FiledRecord", "RecordsUnavailable", "RecordsError"]


def open_repository(database_url: Optional[str] = None, *, migrate_first: bool = True) -> Any:
    """A ready RecordRepository: the cipher from the environment (key file
    created on first use), the database from `database_url` or
    `DATABASE_URL`, migrated to the newest revision first."""
    from bot.records import db
    from bot.records.crypto import load_cipher
    from bot.records.migration import migrate
    from bot.records.repository import RecordRepository

    cipher = load_cipher()
    engine = db.make_engine(database_url if database_url is not None else db.database_url())
    if migrate_first:
        migrate(engine=engine)
    return RecordRepository(db.make_session_factory(engine), cipher)


def open_stores(database_url: Optional[str] = None) -> Tuple[Any, Any]:
    """(RecordRepository, DraftStore) sharing one engine, migrated first.
    The records key and the drafts key are loaded (created on first use)."""
    from bot.records import db
    from bot.records.crypto import load_cipher
    from bot.records.drafts import DraftStore, load_draft_cipher
    from bot.records.migration import migrate
    from bot.records.repository import RecordRepository

    cipher, draft_cipher = load_cipher(), load_draft_cipher()
    engine = db.make_engine(database_url if database_url is not None else db.database_url())
    migrate(engine=engine)
    sessions = db.make_session_factory(engine)
    return RecordRepository(sessions, cipher), DraftStore(sessions, draft_cipher)


def __getattr__(name: str) -> Any:
    if name in ("RecordRepository", "FiledRecord"):
        from bot.records import repository

        return getattr(repository, name)
    if name in ("RecordsUnavailable", "RecordsError"):
        from bot.records import errors

        return getattr(errors, name)
    raise AttributeError(name)
