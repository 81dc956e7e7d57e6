"""Revision 0002 (staff review tables) on SQLite and PostgreSQL: it upgrades
a database that already holds records, downgrades cleanly, and the audit
trail cannot be edited or deleted even with plain SQL."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from bot.records import db
from bot.records.crypto import RecordCipher, generate_key
from bot.records.migration import alembic_config, current_revision, head_revision, migrate
from bot.records.repository import RecordRepository

STAFF_TABLES = {"staff_users", "staff_roles", "staff_sessions", "audit_events"}


def _upgrade(engine, revision: str) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), revision)


def _downgrade(engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection=connection), revision)


def test_head_is_the_filing_drafts_revision():
    assert head_revision() == "0003_filing_drafts"


def test_upgrading_a_database_with_records_keeps_them(database_url):
    engine = db.make_engine(database_url)
    try:
        _upgrade(engine, "0001_initial")
        repo = RecordRepository(db.make_session_factory(engine), RecordCipher([generate_key()]))
        filed = repo.file("disclosure", "an account", "parent", idempotency_key="before-0002")
        assert not STAFF_TABLES & set(inspect(engine).get_table_names())

        assert migrate(engine=engine) == head_revision()
        assert STAFF_TABLES <= set(inspect(engine).get_table_names())
        assert repo.get(filed.reference).account == "an account"

        _downgrade(engine, "0001_initial")
        assert current_revision(engine) == "0001_initial"
        assert not STAFF_TABLES & set(inspect(engine).get_table_names())
        assert repo.get(filed.reference).account == "an account"
    finally:
        engine.dispose()


def _insert_event(connection) -> None:
    connection.execute(
        text("INSERT INTO audit_events (at, username, action, outcome) VALUES (:at, 'dsl', 'logout', 'ok')"),
        {"at": "2025-01-01 00:00:00"},
    )


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET username = 'someone else'", "DELETE FROM audit_events"],
    ids=["update", "delete"],
)
def test_the_audit_trail_is_append_only_in_the_database(engine, statement):
    with engine.begin() as connection:
        _insert_event(connection)
    with pytest.raises(DBAPIError) as refused:
        with engine.begin() as connection:
            connection.execute(text(statement))
    assert "append-only" in str(refused.value.orig)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT username FROM audit_events")).scalars().all() == ["dsl"]


def test_truncate_is_refused_on_postgresql(engine, backend):
    if backend != "postgres":
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    with engine.begin() as connection:
        _insert_event(connection)
    with pytest.raises(DBAPIError):
        with engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_events"))


def test_the_downgrade_removes_the_triggers_too(engine):
    """After a downgrade and upgrade the triggers exist once (no leftovers)."""
    _downgrade(engine, "0001_initial")
    migrate(engine=engine)
    with engine.begin() as connection:
        _insert_event(connection)
    with pytest.raises(DBAPIError):
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_events"))


def test_unknown_roles_and_actions_are_refused_by_the_database(engine):
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO staff_users (id, username, display_name, password_hash, active, created_at, updated_at, "
                "password_changed_at) VALUES (1, 'x1', 'X', 'h', :yes, :at, :at, :at)"
            ),
            {"yes": True, "at": "2025-01-01 00:00:00"},
        )
    with pytest.raises(DBAPIError):
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO staff_roles (user_id, role) VALUES (1, 'caretaker')"))
    with pytest.raises(DBAPIError):
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO audit_events (at, action, outcome) VALUES (:at, 'record_deleted', 'ok')"),
                {"at": "2025-01-01 00:00:00"},
            )
