"""Rasa's SQL tracker store, with filing conversations redacted before they
are written (bot/redaction.py). Configured in endpoints.yml:

    tracker_store:
      type: bot.tracker_store.RedactingSQLTrackerStore
      dialect: sqlite
      db: var/trackers.db

The in-memory conversation is untouched: the actions still see this turn's
message. What is stored, and so what later turns and the HTTP API see, is the
redacted copy.
"""
from __future__ import annotations

import contextlib
import json
import logging
from typing import Any, Generator

from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.trackers import DialogueStateTracker

from bot.redaction import redact_events

logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(RuntimeError):
    """The conversation store cannot be used just now (the request fails;
    the server keeps running)."""


def _raise(error: Exception) -> None:
    logger.error("the conversation store failed: %s", type(error).__name__)
    raise TrackerStoreUnavailable("the conversation store cannot be used just now") from error


def fail_loudly(agent: Any) -> None:
    """Rasa's agent wraps the store in a FailSafeTrackerStore, which on any
    error carries on with an empty in-memory conversation: someone half-way
    through a report would silently start again, and what they say next would
    be kept nowhere. With this, the error fails the request instead, and the
    channel answers it with an apology (bot/rasa_channel.py)."""
    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore) and store._on_tracker_store_error is not _raise:
        store._on_tracker_store_error = _raise


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("event_broker") is not None:
            # A broker is sent every event as it happens, before redaction.
            raise ValueError(
                "RedactingSQLTrackerStore cannot be used with an event broker: the broker would "
                "receive filing conversations in plain text. Remove event_broker from endpoints.yml."
            )
        super().__init__(*args, **kwargs)

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's own turns *any* ValueError raised while a session is open
        (a UnicodeEncodeError from SQLite, say) into "schema not found" and
        exits the whole server. Here a missing schema is an error for this
        request only, and every other error reaches the channel, which
        answers that one request with an apology."""
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError as exc:
                raise TrackerStoreUnavailable(f"the PostgreSQL schema {exc} does not exist") from None
            yield session
        finally:
            session.close()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events not yet stored, redacted."""
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            events = list(tracker.events)
            redacted = redact_events([event.as_dict() for event in events])
            for event, data in zip(events[stored:], redacted[stored:]):
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        logger.debug("tracker %s stored (filing turns redacted)", tracker.sender_id)
