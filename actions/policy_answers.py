"""Answers to questions about the Social Networking Policy."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet

from actions.base import ReplyAction, latest_intent, latest_ranking, raw_text, signed_role, user_texts
from actions.decisions import escalation_follow_up, follow_up_decision, follow_up_events
from bot import filing, replies, triage
from bot.nlp.decision_cues import children_doing_it, tells_of_bullying
from bot.nlp.scope_cues import outside_the_policy
from bot.policy import Catalogue
from bot.school import SchoolProfile, load_school_profile


class ActionAnswerPolicyQuestion(ReplyAction):
    """Answer the topic of the latest intent, citing the clauses it rests on.
    Where the policy asks for something to be written down (a declaration, a
    proposal, a report), offer to file it."""

    def name(self) -> Text:
        return "action_answer_policy_question"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        if escalation_follow_up(tracker):
            decided = follow_up_decision(tracker, school)
            if decided is not None:
                return decided  # "...the head wrote to all three families, now it's kicked off again"
        intent = latest_intent(tracker)
        if outside_the_policy(raw_text(tracker)):
            # "does his inhaler go to the office like the phones do?", "how do i set up
            # parental controls on the xbox": the policy's words, not its subject
            return replies.out_of_scope(school)
        topic = catalogue.topic(intent)
        if topic is not None and topic.for_staff and triage.conversation_is_child(user_texts(tracker), signed_role(tracker), strict=True):
            # (strict: text-speak alone is not a child's; adults write "im" and "its" too)
            # a child asking what the answer tells staff ("will i get in trouble
            # at school for my tiktok"): the rules for pupils, not "your employer"
            rules = replies.pupil_rules(catalogue, school)
            if rules is not None:
                return rules
        answer = replies.policy_answer(catalogue, school, intent)
        if answer is None:  # not a policy topic: offer the closest ones instead
            return replies.suggestions(catalogue, school, latest_ranking(tracker))
        offered = self.offered(tracker)
        if offered and not filing.asks_to_file(raw_text(tracker)):
            return filing.with_offer(answer, offered[0], school)
        return answer  # with a request to file it, filing starts next (events)

    @staticmethod
    def offered(tracker: Tracker):
        """What to offer to file after the answer: the topic's offer, or, when
        the question itself tells of an adult at the school and a child ("a
        teacher has a fake profile and is adding kids"), a disclosure."""
        intent = latest_intent(tracker)
        if intent in filing.OFFER_FOR_INTENT:
            return filing.OFFER_FOR_INTENT[intent]
        text = raw_text(tracker)
        if filing.is_disclosure(text):
            return (filing.DISCLOSURE, "adult_at_school")
        if filing.asks_to_file(text) and children_doing_it(text) and tells_of_bullying(text):
            # "some Year 5s have been taking snaps of one of the dinner ladies and
            # putting them on their stories with mean captions. Thought you should
            # know": children doing it (to an adult, here): a report, not a disclosure
            return (filing.CONCERN_REPORT, "cyberbullying")
        if filing.asks_to_file(text) and filing.tells_of_adult_at_school(text):
            # "a teacher keeps posting about the naughty lot in year 5: please log it"
            return (filing.DISCLOSURE, "adult_at_school")
        if filing.asks_to_file(text) and intent in filing.WORKING_DAY_USE_INTENTS:
            # "i saw 3 year 6 kids on tiktok on their phones at lunch ... i think someone should know"
            return (filing.CONCERN_REPORT, "working_day_use")
        return None

    def events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        if escalation_follow_up(tracker) and follow_up_decision(tracker, load_school_profile()) is not None:
            return follow_up_events(tracker)
        if outside_the_policy(raw_text(tracker)):
            return [SlotSet("filing_offer", None)]
        offered = self.offered(tracker)
        events: List[Dict[Text, Any]] = [SlotSet("filing_offer", filing.offer_slot_value(*offered) if offered else None)]
        if offered and filing.asks_to_file(raw_text(tracker)):
            events.append(FollowupAction("action_start_filing"))
        return events
