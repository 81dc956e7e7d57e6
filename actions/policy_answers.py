"""Answers to questions about the Social Networking Policy."""
from __future__ import annotations

from typing import Text

from rasa_sdk import Tracker

from actions.base import ReplyAction, latest_intent, latest_ranking
from bot import replies
from bot.policy import Catalogue
from bot.school import SchoolProfile


class ActionAnswerPolicyQuestion(ReplyAction):
    """Answer the topic of the latest intent, citing the clauses it rests on."""

    def name(self) -> Text:
        return "action_answer_policy_question"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        answer = replies.policy_answer(catalogue, school, latest_intent(tracker))
        if answer is None:  # not a policy topic: offer the closest ones instead
            return replies.suggestions(catalogue, school, latest_ranking(tracker))
        return answer
