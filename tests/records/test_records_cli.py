"""`python -m bot records ...` run as a real subprocess."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from bot import paths
from bot.records import db
from bot.records.crypto import RecordCipher, generate_key, load_cipher
from bot.records.migration import head_revision, migrate
from bot.records.repository import RecordRepository

ACCOUNT = "The supply teacher added pupils in Year 6 on TikTok — 'just for fun', he said."


def run_cli(*args, env_extra=None, timeout=120):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECORDS_") and k != "DATABASE_URL"}
    env.update({"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", "records", *args],
        cwd=paths.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def filed(database_url, key):
    engine = db.make_engine(database_url)
    migrate(engine=engine)
    repo = RecordRepository(db.make_session_factory(engine), RecordCipher([key]))
    records = [
        repo.file("disclosure", ACCOUNT, "parent", "A Parent", "01234 567890", {"year_group": 6}, idempotency_key="1"),
        repo.file("service_proposal", "Chess club at lunch", "staff", idempotency_key="2"),
    ]
    repo.change_status(records[1].reference, "approved", "head teacher", reason="Good idea")
    engine.dispose()
    return records


def test_export_prints_a_json_array_of_decrypted_records(database_url, key, filed):
    result = run_cli("export", "--json", env_extra={"DATABASE_URL": database_url, "RECORDS_KEY": key})
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)  # nothing but JSON on stdout
    assert isinstance(exported, list)
    assert [item["reference"] for item in exported] == [record.reference for record in filed]
    first = exported[0]
    assert first["account"] == ACCOUNT
    assert (first["kind"], first["status"], first["filer_name"], first["filer_contact"]) == (
        "disclosure", "received", "A Parent", "01234 567890")
    assert first["created_at"].endswith("+00:00") and first["details"] == {"year_group": 6}
    assert exported[1]["history"][-1]["reason"] == "Good idea"


def test_export_filters(database_url, key, filed):
    env = {"DATABASE_URL": database_url, "RECORDS_KEY": key}
    only = json.loads(run_cli("export", "--json", "--kind", "service_proposal", env_extra=env).stdout)
    assert [item["reference"] for item in only] == [filed[1].reference]
    assert json.loads(run_cli("export", "--json", "--since", "2999-01-01", env_extra=env).stdout) == []
    assert len(json.loads(run_cli("export", "--json", "--since", "2000-01-01", env_extra=env).stdout)) == 2


def test_export_migrates_an_empty_database_first(database_url, key):
    result = run_cli("export", "--json", env_extra={"DATABASE_URL": database_url, "RECORDS_KEY": key})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    "args", [["export"], ["export", "--json", "--since", "2024-13-01"], ["export", "--json", "--kind", "gossip"]]
)
def test_bad_arguments_exit_2_with_nothing_on_stdout(args, tmp_path):
    result = run_cli(*args, env_extra={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "RECORDS_KEY": generate_key()})
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr


def test_unavailable_database_exits_2_honestly(tmp_path, closed_postgres_url):
    for url in (f"sqlite:///{tmp_path / 'missing' / 'records.db'}", closed_postgres_url):
        result = run_cli("export", "--json", env_extra={"DATABASE_URL": url, "RECORDS_KEY": generate_key()})
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.startswith("records export: The records database at ")
        assert "is unavailable" in result.stderr
        assert "secret" not in result.stderr  # the password in the URL


def test_wrong_key_exits_2(database_url, filed):
    result = run_cli("export", "--json", env_extra={"DATABASE_URL": database_url, "RECORDS_KEY": generate_key()})
    assert result.returncode == 2 and result.stdout == ""
    assert "could not be decrypted" in result.stderr and ACCOUNT not in result.stderr


def test_insecure_key_file_exits_2(tmp_path, database_url):
    key_file = tmp_path / "records.key"
    key_file.write_text(generate_key())
    key_file.chmod(0o644)
    result = run_cli("export", "--json", env_extra={"DATABASE_URL": database_url, "RECORDS_KEY_FILE": str(key_file)})
    assert result.returncode == 2 and result.stdout == "" and "chmod 600" in result.stderr


def test_migrate_and_rotate_key_with_a_key_file(database_url, tmp_path, monkeypatch):
    key_file = tmp_path / "secret" / "records.key"
    env = {"DATABASE_URL": database_url, "RECORDS_KEY_FILE": str(key_file)}
    result = run_cli("migrate", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert f"is at revision {head_revision()}" in result.stdout

    monkeypatch.setenv("RECORDS_KEY_FILE", str(key_file))
    engine = db.make_engine(database_url)
    try:
        repo = RecordRepository(db.make_session_factory(engine), load_cipher())
        repo.file("concern_report", ACCOUNT, "pupil", idempotency_key="x")
        old_key = key_file.read_text()
    finally:
        engine.dispose()

    result = run_cli("rotate-key", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert key_file.read_text() != old_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    exported = json.loads(run_cli("export", "--json", env_extra=env).stdout)
    assert [item["account"] for item in exported] == [ACCOUNT]


def test_new_key_prints_a_usable_key():
    result = run_cli("new-key")
    assert result.returncode == 0
    RecordCipher([result.stdout.strip()])


def test_existing_commands_are_still_there():
    result = subprocess.run([sys.executable, "-m", "bot", "--help"], cwd=paths.PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60)
    for command in ("build-spacy", "model-hash", "ensure-model", "check-catalogue", "nlu-gate", "run", "serve-rasa", "serve-actions", "records"):
        assert command in result.stdout
