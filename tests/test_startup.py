"""Start-up checks (bot/startup.py): owner-only files, usable keys, a disk
that can be written."""
from __future__ import annotations

import os
import stat

import pytest

from bot import startup


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_var_is_made_owner_only_with_its_files(tmp_path, monkeypatch, caplog):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    (var / "trackers.db").write_text("x")
    os.chmod(var / "trackers.db", 0o644)
    os.chmod(var, 0o755)
    monkeypatch.setattr(startup, "var_dir", lambda: var)
    startup.prepare(var)
    assert mode(var) == 0o700 and mode(var / "trackers.db") == 0o600
    assert "readable by other users" in caplog.text


def test_a_missing_var_is_created_owner_only(tmp_path, monkeypatch):
    var = tmp_path / "fresh" / "var"
    monkeypatch.setattr(startup, "var_dir", lambda: var)
    startup.prepare(var)
    assert mode(var) == 0o700


def test_another_folder_is_not_changed_but_must_be_writable(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(startup, "var_dir", lambda: tmp_path / "var")
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    startup.prepare(shared)
    assert mode(shared) == 0o755 and "can be read by other users" in caplog.text


def test_a_file_where_a_folder_should_be_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(startup, "var_dir", lambda: tmp_path / "var")
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    with pytest.raises(startup.StartupError, match="Cannot prepare"):
        startup.prepare(blocker / "sub")


def test_a_disk_that_cannot_be_written_is_a_clear_error(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", fail)
    with pytest.raises(startup.StartupError, match="No space left on device.*disk may be full"):
        startup.probe_writable(tmp_path)
    assert not list(tmp_path.iterdir())  # no probe left behind


def test_an_unreadable_key_stops_the_action_server(tmp_path, monkeypatch):
    key = tmp_path / "records.key"
    key.write_text("not a key\n")
    os.chmod(key, 0o600)
    monkeypatch.setenv("RECORDS_KEY_FILE", str(key))
    monkeypatch.setenv("DRAFTS_KEY_FILE", str(tmp_path / "drafts.key"))
    monkeypatch.setenv("ACTION_SERVER_TOKEN_FILE", str(tmp_path / "token"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'records.db'}")
    monkeypatch.setattr(startup, "var_dir", lambda: tmp_path / "var")
    with pytest.raises(startup.StartupError, match="not a valid Fernet key"):
        startup.check_action_server()
