"""Conversations are kept only as long as the retention command allows."""
from __future__ import annotations

import asyncio
import sqlite3

from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.conversations import prune, tracker_store_url
from bot.tracker_store import RedactingSQLTrackerStore


def test_old_conversation_events_are_deleted_and_recent_ones_kept(tmp_path):
    path = tmp_path / "trackers.db"
    store = RedactingSQLTrackerStore(dialect="sqlite", db=str(path))
    old = UserUttered("an old question", {"name": "greet"}, timestamp=1_000.0)
    new = UserUttered("a new question", {"name": "greet"}, timestamp=100 * 86400.0)
    tracker = DialogueStateTracker.from_events("someone", [ActionExecuted("action_listen", timestamp=1_000.0), old, new])
    asyncio.run(store.save(tracker))
    removed = prune(f"sqlite:///{path}", older_than_days=30, now=100 * 86400.0 + 60)
    assert removed == 2
    texts = [row[0] for row in sqlite3.connect(path).execute("select data from events")]
    assert len(texts) == 1 and "a new question" in texts[0]


def test_the_store_is_found_from_endpoints(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: x\n  dialect: sqlite\n  db: /srv/t.db\n")
    assert str(tracker_store_url(endpoints)) == "sqlite:////srv/t.db"
    assert prune("sqlite:////nonexistent/none.db", 30) == 0
