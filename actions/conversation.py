"""Conversation management: greeting, help, contacts, out of scope, and
replies to input the assistant could not understand or read."""
from __future__ import annotations

from typing import Text

from rasa_sdk import Tracker

from actions.base import ReplyAction
from bot import replies
from bot.policy import Catalogue
from bot.school import SchoolProfile
from bot.text_guard import INPUT_ISSUE


class ActionGreet(ReplyAction):
    def name(self) -> Text:
        return "action_greet"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        return replies.greeting(school)


class ActionExplainCapabilities(ReplyAction):
    def name(self) -> Text:
        return "action_explain_capabilities"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        return replies.capabilities(catalogue, school)


class ActionShareContacts(ReplyAction):
    def name(self) -> Text:
        return "action_share_contacts"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        return replies.contacts(school)


class ActionOutOfScope(ReplyAction):
    def name(self) -> Text:
        return "action_out_of_scope"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        return replies.out_of_scope(school)


class ActionSuggestTopics(ReplyAction):
    """Low NLU confidence: "did you mean…" buttons, never a confident guess."""

    def name(self) -> Text:
        return "action_suggest_topics"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        return replies.suggestions(catalogue, school, ranking)


class ActionReplyUnreadableInput(ReplyAction):
    """Empty, over-long or non-English input gets a polite explanation."""

    def name(self) -> Text:
        return "action_reply_unreadable_input"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        latest = tracker.latest_message or {}
        issue = latest.get(INPUT_ISSUE) or (latest.get("intent") or {}).get("name") or ""
        return replies.unreadable_input(issue, school)
