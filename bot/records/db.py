"""Engine and session factory for the records database.

Nothing here connects at import time: call `make_engine()` (or
`open_repository()` in `bot.records.repository`) when records are needed.

`DATABASE_URL` selects the database:

- unset: SQLite at `<project>/var/records.db` (var/ is created, owner-only);
- `sqlite:////absolute/path/records.db`: another SQLite file;
- `postgresql://user:password@host:5432/dbname` (psycopg2): PostgreSQL.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Callable, Dict, Optional, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.paths import PROJECT_ROOT
from bot.records.errors import RecordsUnavailable

T = TypeVar("T")

ENV_DATABASE_URL = "DATABASE_URL"
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def default_database_path() -> Path:
    return PROJECT_ROOT / "var" / "records.db"


def database_url(environ: Optional[Dict[str, str]] = None) -> str:
    """The configured URL: `DATABASE_URL`, else the project's SQLite file."""
    env = os.environ if environ is None else environ
    value = (env.get(ENV_DATABASE_URL) or "").strip()
    if value:
        return value
    return f"sqlite:///{default_database_path()}"


def normalise_url(url: str | URL) -> URL:
    parsed = make_url(url) if isinstance(url, str) else url
    # Some hosts hand out "postgres://"; SQLAlchemy only knows "postgresql".
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed


def safe_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages."""
    return normalise_url(url).render_as_string(hide_password=True)


def _sqlite_file(url: URL) -> Optional[Path]:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _prepare_sqlite_file(path: Path) -> None:
    """Create var/ for the default location, and create a new database file
    owner-only (SQLite gives its journal files the database's permissions).
    Any other missing folder is left for SQLite to report."""
    if path.resolve() == default_database_path().resolve():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.parent.is_dir() and not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        except OSError:
            return  # SQLite will report it as an OperationalError
        os.close(fd)


def _enable_sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        # Overwrite freed pages with zeros, so that superseded ciphertexts
        # (for example after a key rotation) do not linger in the file.
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def make_engine(url: str | URL | None = None, **kwargs: Any) -> Engine:
    """A SQLAlchemy 1.4 engine in 2.0 style (`future=True`).

    Bound parameters are never included in error messages
    (`hide_parameters=True`)."""
    parsed = normalise_url(url if url is not None else database_url())
    options: Dict[str, Any] = {"future": True, "hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_file(parsed)
        if path is not None:
            _prepare_sqlite_file(path)
        options["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
    else:
        options["pool_pre_ping"] = True
    options.update(kwargs)
    engine = create_engine(parsed, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker:
    """Sessions in 2.0 style. Objects stay readable after commit, so a filed
    record can be returned without another round trip."""
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


def log_failure(log: logging.Logger, what: str, operation: str, exc: BaseException) -> None:
    """Log a database error as the driver's one-line message (e.g.
    "connection refused"), never the SQL statement or its values. Sensitive
    values are encrypted before they reach the database, so they cannot
    appear in a driver message either."""
    original = getattr(exc, "orig", None)
    message = str(original).strip().splitlines()[0] if original is not None and str(original).strip() else ""
    log.error("%s database error while %s: %s: %s", what, operation, type(original or exc).__name__, message)


def run(
    session_factory: sessionmaker,
    operation: str,
    work: Callable[[Session], T],
    *,
    log: logging.Logger,
    what: str = "records",
    message: str = RecordsUnavailable.DEFAULT,
) -> T:
    """Run `work` in a session; any database error is logged and raised as
    `RecordsUnavailable(message)`.

    Closing the session (which rolls back anything uncommitted) may fail on
    a broken connection; that failure is logged, never allowed to replace
    the outcome of `work` (a committed record stays reported as filed, an
    unconfirmed commit stays reported as unconfirmed)."""
    session = session_factory()
    try:
        return work(session)
    except SQLAlchemyError as exc:
        log_failure(log, what, operation, exc)
        raise RecordsUnavailable(message) from None
    finally:
        try:
            session.close()
        except SQLAlchemyError as exc:
            log_failure(log, what, "closing a session", exc)
