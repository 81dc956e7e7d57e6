"""The databases the storage tests run on: a SQLite file, and a fresh
PostgreSQL schema (dropped afterwards) when `TEST_POSTGRES_URL` is set, e.g.
postgresql://user:pass@127.0.0.1:5432/dbname (`.ci/postgres.sh` starts one).

Used by tests/records/conftest.py and tests/web/conftest.py.
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine

from bot.records import db

POSTGRES_ENV = "TEST_POSTGRES_URL"
POSTGRES_URL = os.environ.get(POSTGRES_ENV, "").strip()

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(
            not POSTGRES_URL,
            reason=f"PostgreSQL not tested: set {POSTGRES_ENV} (e.g. postgresql://user:pass@127.0.0.1:5432/dbname)",
        ),
    ),
]


def with_pg_options(url: str, *options: str) -> str:
    """The URL with libpq `options` added (e.g. '-csearch_path=x')."""
    parsed = db.normalise_url(url)
    existing = parsed.query.get("options", "")
    merged = " ".join(part for part in (existing, *options) if part)
    return parsed.update_query_dict({"options": merged}).render_as_string(hide_password=False)


@contextmanager
def empty_database(backend: str, folder: Path, schema_prefix: str) -> Iterator[str]:
    """The URL of an empty database of `backend` ("sqlite" or "postgres")."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'records.db'}"
        return
    schema = f"{schema_prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(db.normalise_url(POSTGRES_URL), future=True)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield with_pg_options(POSTGRES_URL, f"-csearch_path={schema}")
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()
