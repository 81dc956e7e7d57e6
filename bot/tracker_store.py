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

import json
import logging
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from bot.redaction import redact_events

logger = logging.getLogger(__name__)


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("event_broker") is not None:
            # A broker is sent every event as it happens, before redaction.
            raise ValueError(
                "RedactingSQLTrackerStore cannot be used with an event broker: the broker would "
                "receive filing conversations in plain text. Remove event_broker from endpoints.yml."
            )
        super().__init__(*args, **kwargs)

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
