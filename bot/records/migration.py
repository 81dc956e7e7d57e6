"""Schema migrations for the records database, run in code (no alembic.ini).

`migrate()` brings a database to the newest revision; on an up-to-date
database it only reads the version table. Migrating is serialised: an
exclusive lock on SQLite (`BEGIN IMMEDIATE`), an advisory lock on
PostgreSQL, so the assistant and the command line can start together.

New revision (for developers), after changing `models.py`:

    .venv/bin/python -c "from alembic import command; from bot.records.migration import alembic_config; \\
        command.revision(alembic_config('sqlite:////tmp/scratch.db'), autogenerate=True, message='...')"

(upgrade the scratch database first with `migrate('sqlite:////tmp/scratch.db')`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.records import db as _db
from bot.records.db import make_engine, safe_url
from bot.records.errors import RecordsUnavailable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant unique to this application: the PostgreSQL advisory lock id.
_PG_LOCK_ID = 0x5AFE_C0DE


def alembic_config(url: Optional[str] = None, connection: Optional[Connection] = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # ConfigParser interpolates "%": escape it (passwords may contain it)
        config.set_main_option("sqlalchemy.url", str(url).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # pysqlite does not begin a transaction before DDL by itself: take the
        # write lock now so the whole migration is one transaction, alone.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})


def current_revision(engine: Engine) -> Optional[str]:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError:
        raise RecordsUnavailable(f"The records database at {safe_url(engine.url)} is unavailable.") from None


def migrate(database_url: Optional[str] = None, *, engine: Optional[Engine] = None) -> str:
    """Upgrade the database (default: `DATABASE_URL`) to the newest revision
    and return it. Database errors raise RecordsUnavailable."""
    own_engine = engine is None
    if engine is None:
        engine = make_engine(database_url if database_url is not None else _db.database_url())
    head = head_revision()
    try:
        if current_revision(engine) == head:
            return head
        with engine.begin() as connection:
            _lock(connection)
            command.upgrade(alembic_config(connection=connection), "head")
    except SQLAlchemyError:
        raise RecordsUnavailable(
            f"The records database at {safe_url(engine.url)} could not be prepared (migrated); nothing was changed."
        ) from None
    finally:
        if own_engine:
            engine.dispose()
    return head
