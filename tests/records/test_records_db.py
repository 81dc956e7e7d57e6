"""Engine and session factory: configuration, no connection at import time."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from bot import paths
from bot.records import db


def test_default_url_is_the_project_sqlite_file():
    assert db.database_url({}) == f"sqlite:///{paths.PROJECT_ROOT / 'var' / 'records.db'}"
    assert db.database_url({"DATABASE_URL": " postgresql://u:p@h/d "}) == "postgresql://u:p@h/d"


def test_postgres_urls_use_psycopg2_and_hide_passwords():
    assert db.normalise_url("postgres://u:pw@h/d").drivername == "postgresql+psycopg2"
    assert "pw" not in db.safe_url("postgresql://u:pw@h:5432/d")


def test_default_location_creates_var(tmp_path, monkeypatch):
    target = tmp_path / "project" / "var" / "records.db"
    monkeypatch.setattr(db, "default_database_path", lambda: target)
    monkeypatch.delenv("DATABASE_URL")
    engine = db.make_engine()
    try:
        assert engine.url.database == str(target)
        assert target.parent.is_dir() and target.exists()
        assert target.stat().st_mode & 0o077 == 0
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    finally:
        engine.dispose()


def test_future_engine_and_sessions(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        from sqlalchemy.future import Engine as FutureEngine

        assert isinstance(engine, FutureEngine)
        with db.make_session_factory(engine)() as session:
            assert session.future
    finally:
        engine.dispose()


def test_importing_the_package_opens_nothing(tmp_path):
    code = textwrap.dedent(
        """
        import gc
        import bot.records, bot.records.db, bot.records.models, bot.records.crypto
        import bot.records.references, bot.records.repository, bot.records.migration, bot.records.cli
        from sqlalchemy.engine import Engine
        assert not [o for o in gc.get_objects() if isinstance(o, Engine)], "an engine exists"
        """
    )
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'r.db'}", RECORDS_KEY_FILE=str(tmp_path / "k"))
    env.pop("RECORDS_KEY", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "r.db").exists() and not (tmp_path / "k").exists()
