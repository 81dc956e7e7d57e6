"""Fixtures for the records tests.

Every test gets its own database: a SQLite file in a temporary folder and,
when `TEST_POSTGRES_URL` is set (e.g. postgresql://user:pass@127.0.0.1:5432/db),
also a fresh PostgreSQL schema that is dropped afterwards. Nothing touches the
project's var/ folder: DATABASE_URL and the key file point at the test's
temporary folder.
"""
from __future__ import annotations

import socket
from typing import Iterator

import pytest

from bot.records import db
from bot.records.crypto import RecordCipher, generate_key
from bot.records.migration import migrate
from bot.records.repository import RecordRepository

from database_backends import BACKENDS, empty_database, with_pg_options


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path, monkeypatch):
    """No test reads the developer's keys or writes the project's var/."""
    for name in ("RECORDS_KEY", "RECORDS_OLD_KEYS", "RECORDS_REFERENCE_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RECORDS_KEY_FILE", str(tmp_path / "keys" / "records.key"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'default-records.db'}")


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, tmp_path) -> Iterator[str]:
    """An empty database of the parametrised backend."""
    with empty_database(backend, tmp_path, "records_test") as url:
        yield url


@pytest.fixture
def engine(database_url):
    engine = db.make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated_engine(engine):
    migrate(engine=engine)
    return engine


@pytest.fixture
def session_factory(migrated_engine):
    return db.make_session_factory(migrated_engine)


@pytest.fixture
def key() -> str:
    return generate_key()


@pytest.fixture
def cipher(key) -> RecordCipher:
    return RecordCipher([key])


@pytest.fixture
def repo(session_factory, cipher) -> RecordRepository:
    return RecordRepository(session_factory, cipher)


@pytest.fixture
def read_only_url(backend, database_url, tmp_path) -> str:
    """The same database, opened so that every write fails."""
    if backend == "sqlite":
        return f"sqlite:///file:{tmp_path / 'records.db'}?mode=ro&uri=true"
    return with_pg_options(database_url, "-cdefault_transaction_read_only=on")


@pytest.fixture
def closed_postgres_url() -> str:
    """A PostgreSQL URL where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql://nobody:secret@127.0.0.1:{port}/records?connect_timeout=3"


def count_records(url: str) -> int:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql("SELECT COUNT(*) FROM records").scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def record_count(database_url):
    return lambda: count_records(database_url)

