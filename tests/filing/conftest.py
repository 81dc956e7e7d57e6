"""Fixtures for the filing conversation tests: a real records repository on a
temporary SQLite file (and the real cipher), and a driver that plays the
filing form the way Rasa's form loop does, with real SDK objects."""
from __future__ import annotations

import asyncio
import os
from typing import Any, Dict, Iterable, List, Tuple

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import filing as filing_actions
from actions.records_client import RecordsClient, use_records_client
from bot.records import db
from bot.records.crypto import RecordCipher, generate_key
from bot.records.drafts import DraftCipher, DraftStore
from bot.records.migration import migrate
from bot.records.repository import RecordRepository


@pytest.fixture
def cipher() -> RecordCipher:
    return RecordCipher([generate_key()])


@pytest.fixture
def sessions(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'records.db'}")
    migrate(engine=engine)
    return db.make_session_factory(engine)


@pytest.fixture
def repository(sessions, cipher) -> RecordRepository:
    return RecordRepository(sessions, cipher)


@pytest.fixture
def drafts(sessions) -> DraftStore:
    return DraftStore(sessions, DraftCipher(os.urandom(32)))


@pytest.fixture
def client(repository, drafts):
    client = RecordsClient(open_stores=lambda: (repository, drafts))
    use_records_client(client)
    yield client
    use_records_client(None)


def _run(action, dispatcher, tracker, domain):
    result = action.run(dispatcher, tracker, domain)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


class FilingConversation:
    """Plays the filing form as Rasa's loop would: start, then for each
    message validate, then ask the next question or file."""

    def __init__(self, domain: Dict[str, Any], sender: str = "parent-1") -> None:
        self.domain = domain
        self.sender = sender
        self.slots: Dict[str, Any] = {}
        self.active = False
        self.messages: List[Dict[str, Any]] = []  # everything the assistant said
        self.last: List[Dict[str, Any]] = []  # what it said in the latest turn
        self.rejected = False
        self.metadata: Dict[str, Any] = {}  # a signed-in user's, on every message (as the widget sends it)
        self.events: List[Dict[str, Any]] = []  # the actions run so far, as Rasa's tracker lists them

    def tracker(self, intent: str, text: str, entities: Iterable[Tuple[str, str]] = (), metadata=None, validating: bool = False) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": [{"name": intent, "confidence": 0.9}],
            "entities": [{"entity": e, "value": v} for e, v in entities],
            "metadata": metadata or self.metadata,
        }
        events = [*self.events, {"event": "user", "text": text}]
        if validating and self.slots.get("requested_slot"):
            # Rasa's form sets requested_slot again while it validates an answer
            events.append({"event": "slot", "name": "requested_slot", "value": self.slots["requested_slot"]})
        return Tracker(
            self.sender, dict(self.slots), latest, events, False, None,
            {"name": "filing_form"} if self.active else {}, "action_listen",
        )

    def _apply(self, events: List[Dict[str, Any]]) -> None:
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
            elif event.get("event") == "active_loop":
                self.active = event.get("name") == "filing_form"

    def run(self, action, tracker: Tracker, logged: bool = True) -> List[Dict[str, Any]]:
        dispatcher = CollectingDispatcher()
        if logged:  # a form's ask action runs inside the form: Rasa logs no action event for it
            self.events.append({"event": "action", "name": action.name()})
        events = _run(action, dispatcher, tracker, self.domain)
        self._apply(events)
        self.last += dispatcher.messages
        self.messages += dispatcher.messages
        return events

    def text(self) -> str:
        return " ".join(m.get("text") or "" for m in self.last)

    def custom(self, key: str) -> List[Any]:
        return [(m.get("custom") or {}).get(key) for m in self.last if (m.get("custom") or {}).get(key) is not None]

    def _next(self, tracker_for_ask: Tracker) -> None:
        form = filing_actions.ValidateFilingForm()
        required = asyncio.run(form.required_slots([], CollectingDispatcher(), tracker_for_ask, self.domain))
        missing = next((slot for slot in required if self.slots.get(slot) is None), None)
        self.slots["requested_slot"] = missing
        # as Rasa's form does: it asks by setting requested_slot, every time,
        # and then listens
        self.events.append({"event": "slot", "name": "requested_slot", "value": missing})
        if missing is None:
            self.active = False
            self.run(filing_actions.ActionFileRecord(), self.tracker("affirm", ""))
            return
        ask = {
            "filer_role": filing_actions.ActionAskFilerRole,
            "filing_account": filing_actions.ActionAskFilingAccount,
            "filer_name": filing_actions.ActionAskFilerName,
            "filer_contact": filing_actions.ActionAskFilerContact,
            "filing_confirmed": filing_actions.ActionAskFilingConfirmed,
        }[missing]()
        self.run(ask, self.tracker("inform", ""), logged=False)
        self.events.append({"event": "action", "name": "action_listen"})

    def start(self, intent: str, text: str, entities=(), metadata=None) -> "FilingConversation":
        self.last = []
        self.metadata = metadata or {}
        events = self.run(filing_actions.ActionStartFiling(), self.tracker(intent, text, entities, metadata))
        if any(e.get("event") == "followup" and e.get("name") == "action_listen" for e in events):
            return self  # filing did not start
        self.active = True
        self._next(self.tracker("inform", ""))
        return self

    def say(self, text: str, intent: str = "inform", entities=()) -> "FilingConversation":
        """One message while the form is active (or after a failed filing)."""
        self.last = []
        assert self.active, "the filing form is not active"
        events = self.run(filing_actions.ValidateFilingForm(), self.tracker(intent, text, entities, validating=True))
        filled = [e for e in events if e.get("event") == "slot" and e["name"] != "requested_slot"]
        self.rejected = not filled
        if self.rejected or not self.active:
            return self
        # the form asks its next question, or the same one again when the
        # answer was not taken (as Rasa's form does)
        self._next(self.tracker("inform", ""))
        return self

    def click(self, title_pattern: str) -> "FilingConversation":
        import json
        import re

        for message in reversed(self.last):
            for button in message.get("buttons") or []:
                if re.search(title_pattern, button["title"], re.I):
                    payload = button["payload"]
                    intent, _, rest = payload[1:].partition("{")
                    entities = list(json.loads("{" + rest).items()) if rest else []
                    return self.say(payload, intent, entities)
        raise AssertionError(f"no button matching {title_pattern!r} in {self.last}")


@pytest.fixture
def conversation(domain, client) -> FilingConversation:
    return FilingConversation(domain)
