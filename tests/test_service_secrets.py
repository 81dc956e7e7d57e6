"""Shared secrets between the assistant's processes (bot/service_secrets.py)."""
from __future__ import annotations

import os
import stat

import pytest

from bot.service_secrets import ACTION_SERVER_TOKEN, SecretError


def test_a_token_file_is_made_owner_only_once_and_read_back(tmp_path):
    env = {"ACTION_SERVER_TOKEN_FILE": str(tmp_path / "var" / "action-server.token")}
    first = ACTION_SERVER_TOKEN.load(env)
    assert len(first) >= 32 and ACTION_SERVER_TOKEN.load(env) == first
    path = tmp_path / "var" / "action-server.token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700


def test_the_variable_wins_and_must_be_long_enough(tmp_path):
    env = {"ACTION_SERVER_TOKEN_FILE": str(tmp_path / "t"), "ACTION_SERVER_TOKEN": "x" * 40}
    assert ACTION_SERVER_TOKEN.load(env) == "x" * 40 and not (tmp_path / "t").exists()
    with pytest.raises(SecretError, match="too short"):
        ACTION_SERVER_TOKEN.load({**env, "ACTION_SERVER_TOKEN": "short"})


def test_a_token_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "t"
    path.write_text("y" * 40)
    os.chmod(path, 0o644)
    with pytest.raises(SecretError, match="can be read by other users"):
        ACTION_SERVER_TOKEN.load({"ACTION_SERVER_TOKEN_FILE": str(path)})


def test_a_missing_file_is_an_error_when_it_must_not_be_created(tmp_path):
    with pytest.raises(SecretError, match="No action server token"):
        ACTION_SERVER_TOKEN.load({"ACTION_SERVER_TOKEN_FILE": str(tmp_path / "none")}, create=False)


def test_an_unwritable_folder_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    with pytest.raises(SecretError, match="Cannot create"):
        ACTION_SERVER_TOKEN.load({"ACTION_SERVER_TOKEN_FILE": str(locked / "t")})
