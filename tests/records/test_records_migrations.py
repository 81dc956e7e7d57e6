"""Alembic migrations: the initial revision builds exactly the models' schema."""
from __future__ import annotations

import threading

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.records import db
from bot.records.migration import alembic_config, current_revision, head_revision, migrate
from bot.records.models import Base


def _differences(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_head_gives_exactly_the_models_schema(engine):
    assert current_revision(engine) is None
    assert migrate(engine=engine) == head_revision()
    assert current_revision(engine) == head_revision()
    assert _differences(engine) == []
    tables = set(inspect(engine).get_table_names())
    assert tables == {
        "records",
        "status_changes",
        # staff review (revision 0002)
        "staff_users",
        "staff_roles",
        "staff_sessions",
        "audit_events",
        # filing drafts (revision 0003)
        "filing_drafts",
        "alembic_version",
    }


def test_migrate_by_url_and_again_is_a_no_op(database_url):
    assert migrate(database_url) == head_revision()
    assert migrate(database_url) == head_revision()
    engine = db.make_engine(database_url)
    try:
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_downgrade_and_upgrade_round_trip(migrated_engine):
    with migrated_engine.begin() as connection:
        command.downgrade(alembic_config(connection=connection), "base")
    assert set(inspect(migrated_engine).get_table_names()) == {"alembic_version"}
    migrate(engine=migrated_engine)
    assert _differences(migrated_engine) == []


def test_concurrent_first_migrations_both_succeed(database_url):
    barrier = threading.Barrier(3)
    errors = []

    def run():
        engine = db.make_engine(database_url)
        try:
            barrier.wait()
            migrate(engine=engine)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    engine = db.make_engine(database_url)
    try:
        assert current_revision(engine) == head_revision()
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_no_alembic_ini_needed():
    config = alembic_config()
    assert config.config_file_name is None
    assert config.get_main_option("script_location").endswith("bot/records/migrations")


def test_models_differ_from_an_empty_database(engine):
    """The comparison is real: an empty database does differ."""
    assert _differences(engine) != []
