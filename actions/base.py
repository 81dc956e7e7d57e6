"""Shared behaviour of the assistant's reply actions."""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.filing import danger_first, mentions_immediate_danger
from bot.policy import Catalogue, load_catalogue
from bot.replies import Reply, technical_problem
from bot.school import SchoolProfile, load_school_profile

logger = logging.getLogger(__name__)


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Hand a composed reply to the dispatcher (text, buttons, custom facts)."""
    kwargs: Dict[str, Any] = {"text": reply.text}
    if reply.buttons:
        kwargs["buttons"] = reply.buttons
    if reply.custom:
        kwargs["json_message"] = reply.custom
    dispatcher.utter_message(**kwargs)


def latest_intent(tracker: Tracker) -> str:
    intent = (tracker.latest_message or {}).get("intent")
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else ""


def latest_ranking(tracker: Tracker) -> List[Dict[Text, Any]]:
    """The NLU's intent ranking for the latest message, best first (only
    well-formed entries: a crafted tracker may hold anything)."""
    ranking = (tracker.latest_message or {}).get("intent_ranking")
    if not isinstance(ranking, list):
        return []
    return [
        entry for entry in ranking
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("confidence", 0), (int, float))
    ]


class ReplyAction(Action, ABC):
    """An action that composes one reply from the catalogue and school profile.

    Subclasses implement `reply()`. Loading is lazy and cached (no file is read
    at import time), and any failure becomes an honest "something went wrong"
    rather than silence or a wrong answer.
    """

    @abstractmethod
    def name(self) -> Text:
        """The action's name in the domain."""

    @abstractmethod
    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> Reply:
        """Compose the reply for this turn."""

    def events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        """Events to return after replying (none by default)."""
        return []

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        try:
            school = load_school_profile()
        except Exception:
            logger.exception("cannot load the school profile")
            dispatcher.utter_message(
                text="Sorry, something went wrong on my side. Please contact the school office."
            )
            return []
        if mentions_immediate_danger((tracker.latest_message or {}).get("text") or ""):
            dispatcher.utter_message(text=danger_first(school, filing=False))
        try:
            send(dispatcher, self.reply(tracker, load_catalogue(), school))
        except Exception:
            logger.exception("%s failed", self.name())
            send(dispatcher, technical_problem(school))
            return []
        return self.events(tracker)
