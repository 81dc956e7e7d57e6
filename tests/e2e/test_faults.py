"""Faults, on a stack of their own: a service killed mid-filing, a database
that goes away for a while, a conversation store that cannot be used. Each
gets an honest reply, nothing already given is lost, and a retry files
exactly once."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from e2e.http import custom, request, say, texts
from e2e.stack import MODEL, ROOT, start_stack

# (says nothing of who is writing, so the role question is asked)
OPENING = "I want to report a teacher who keeps messaging a girl in Year 5"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make model` (make test does)")
    running = start_stack(tmp_path_factory.mktemp("fault-stack"))
    yield running
    running.stop()


def sender() -> str:
    return "fault-" + uuid.uuid4().hex[:12]


def to_read_back(stack, who: str, account: str) -> None:
    assert "parent or carer" in texts(say(stack, who, OPENING)[1])
    say(stack, who, '/inform{"filer_role": "parent"}')
    say(stack, who, account)
    say(stack, who, "skip")
    status, turn = say(stack, who, "skip")
    assert status == 200 and "Shall I file it now?" in texts(turn), turn


def export(stack) -> list:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "records", "export", "--json"],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(out.stdout)


def filed_with(stack, text: str) -> list:
    return [record for record in export(stack) if text in record["account"]]


@contextmanager
def unusable(path: Path):
    """The SQLite file is replaced by a folder of the same name: every new
    connection fails (both stores open a connection per session)."""
    aside = path.with_name(path.name + ".aside")
    os.replace(path, aside)
    path.mkdir()
    try:
        yield
    finally:
        path.rmdir()
        os.replace(aside, path)


def test_the_action_server_killed_mid_filing_gives_an_honest_reply_and_a_retry_files_once(stack):
    who, account = sender(), f"Mr Crash{uuid.uuid4().hex[:6]} messages my daughter on TikTok"
    to_read_back(stack, who, account)
    stack.kill("actions")
    try:
        status, turn = say(stack, who, "yes")
        assert custom(turn, "reference") == [] if isinstance(turn, list) else True
        assert "something went wrong on my side" in texts(turn).lower() or status == 503, (status, turn)
        assert stack.processes["rasa"].poll() is None  # the Rasa server keeps serving
    finally:
        stack.restart("actions")
    status, turn = say(stack, who, "yes")
    [reference] = custom(turn, "reference")
    assert status == 200 and reference in texts(turn)
    [record] = filed_with(stack, account)
    assert record["reference"] == reference
    # and once more: told the same reference, not filed again
    status, turn = say(stack, who, "yes")
    assert len(filed_with(stack, account)) == 1


def test_the_records_database_away_for_a_while_files_nothing_then_files_once(stack):
    who, account = sender(), f"Mr Outage{uuid.uuid4().hex[:6]} follows my daughter on Instagram"
    to_read_back(stack, who, account)
    with unusable(stack.folder / "var" / "records.db"):
        status, turn = say(stack, who, "yes")
        assert status == 200 and "not been filed yet" in texts(turn) and custom(turn, "reference") == []
    status, turn = say(stack, who, "try again")
    [reference] = custom(turn, "reference")
    [record] = filed_with(stack, account)
    assert record["reference"] == reference


def test_the_conversation_store_unusable_fails_that_request_only(stack):
    who = sender()
    with unusable(stack.folder / "var" / "trackers.db"):
        status, turn = say(stack, who, "can I friend an ex-pupil?")
        assert status == 503 and "something went wrong on my side" in texts(turn).lower()
        assert "999" in texts(turn)
        assert all(p.poll() is None for p in stack.processes.values())
    status, turn = say(stack, who, "can I friend an ex-pupil?")
    assert status == 200 and turn


def test_the_rasa_server_restarted_mid_conversation_resumes_from_the_store(stack):
    who, account = sender(), f"Mr Restart{uuid.uuid4().hex[:6]} messages my daughter on WhatsApp"
    to_read_back(stack, who, account)
    stack.kill("rasa")
    stack.restart("rasa")
    status, turn = say(stack, who, "yes")
    [reference] = custom(turn, "reference")
    [record] = filed_with(stack, account)
    assert record["reference"] == reference


# --- start-up: files that cannot be written --------------------------------------------


def _start(stack, command, **env):
    return subprocess.run(
        [sys.executable, "-m", "bot", command], cwd=ROOT, env={**stack.env, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_an_unwritable_key_file_location_is_a_clear_error_at_start_up(stack, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = _start(stack, "serve-actions", DRAFTS_KEY_FILE=str(blocker / "drafts.key"), ACTIONS_PORT="1")
    assert result.returncode == 1
    assert "cannot start the action server" in result.stderr and str(blocker) in result.stderr


def test_a_full_disk_is_a_clear_error_at_start_up(stack, tmp_path):
    def no_room():  # every write fails as on a full disk
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    env = {**stack.env, "DRAFTS_KEY_FILE": str(tmp_path / "fresh" / "drafts.key"), "ACTIONS_PORT": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve-actions"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, preexec_fn=no_room,
    )
    assert result.returncode == 1
    assert "cannot start the action server" in result.stderr and "File too large" in result.stderr
