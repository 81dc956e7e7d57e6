"""Conversation management: greeting, help, contacts, out of scope, and
replies to input the assistant could not understand or read."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import CHILD_WORRIED, ReplyAction, latest_intent, latest_ranking, raw_text, signed_role, support_events
from actions.decisions import decide_follow_up, facts_kept
from bot import filing, replies, triage
from bot.dialogue import TOPIC_INTENTS
from bot.nlp import scope_cues
from bot.nlp.decision_cues import children_doing_it, names_own_relative, tells_of_bullying
from bot.policy import Catalogue
from bot.school import SchoolProfile, load_school_profile
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


def _worried_child_says_more(tracker: Tracker, text: str, worry):
    """A child who has told us something is wrong and then says something we
    cannot place ("ive never seen him in real life", "i cant sleep") is
    still that child: heard, never "not sure I understood"."""
    if worry is None and tracker.get_slot(CHILD_WORRIED) and not (tracker.latest_message or {}).get(INPUT_ISSUE) \
            and not _says_they_are_an_adult(tracker, text):
        return "help"
    return worry


def _says_they_are_an_adult(tracker: Tracker, text: str) -> bool:
    """After a child's worry, only the writer saying who they are ("I'm a TA",
    "my son") makes them an adult: a child's "he used to be in my class" reads
    like a teacher's words and is not."""
    from bot.nlp.fact_reader import own_child

    role = signed_role(tracker)
    if role is not None:
        return role != "pupil"
    return filing.role_said(text) in ("staff", "parent", "governor", "other") or own_child(text)


def _disclosure_events(tracker: Tracker) -> List[Dict[Text, Any]]:
    """A message the NLU could not place that tells of an adult at the school
    and a child ("the head teacher has loads of current pupils as friends on
    her personal facebook"): filing a disclosure starts, with it as the
    opening. None of this for a button or unreadable input."""
    text = raw_text(tracker)
    if not text or (tracker.latest_message or {}).get(INPUT_ISSUE):
        return []
    if filing.asks_to_file(text) and names_own_relative(text) and not filing.is_disclosure(text) and not tells_of_bullying(text):
        # "turns out my sister's boy is in 5C ... I'd rather put it on record
        # with the head": the head is who it goes to, not an adult it is
        # about; a family link, decided (and declared) as decide_follow_up does
        return []
    if filing.is_disclosure(text) or (filing.asks_to_file(text) and filing.tells_of_adult_at_school(text)):
        return [SlotSet("filing_offer", filing.offer_slot_value(filing.DISCLOSURE, "adult_at_school")), FollowupAction("action_start_filing")]
    if filing.asks_to_file(text) and children_doing_it(text) and tells_of_bullying(text):
        # "three older lads in the car park filming one of the little ones and
        # laughing ... I want it written down and passed on": a report
        return [SlotSet("filing_offer", filing.offer_slot_value(filing.CONCERN_REPORT, "cyberbullying")), FollowupAction("action_start_filing")]
    likely = [r["name"] for r in latest_ranking(tracker)[:3]]
    if filing.asks_to_file(text) and any(name in filing.WORKING_DAY_USE_INTENTS for name in likely):
        # "someone in 5C's login has been getting onto Instagram on the library
        # laptops ... it needs reporting": what was seen in the day, to be reported
        return [SlotSet("filing_offer", filing.offer_slot_value(filing.CONCERN_REPORT, "working_day_use")), FollowupAction("action_start_filing")]
    return []



class ActionOutOfScope(ReplyAction):
    def name(self) -> Text:
        return "action_out_of_scope"

    def child_worry(self, tracker: Tracker, text: str):
        return _worried_child_says_more(tracker, text, super().child_worry(tracker, text))

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        starting = _disclosure_events(tracker) or decide_follow_up(dispatcher, tracker, domain)
        return starting if starting else super().run(dispatcher, tracker, domain)

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        return replies.out_of_scope(school)  # a decision's follow-up was decided in run()

    def events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        return facts_kept(tracker)


def _asks_about_own_childs_app(tracker: Tracker) -> bool:
    """A parent or carer asking whether their own child may have or use an
    app ("she is desperate for Instagram"): the age limits answer it."""
    from bot.nlp.fact_reader import asks_about_childs_own_use, parent_about_own_child

    text = raw_text(tracker)
    entities = {e.get("entity") for e in (tracker.latest_message or {}).get("entities") or [] if isinstance(e, dict)}
    # (not "she's started as a dinner lady ... is she allowed to do that?": an adult's conduct)
    return "platform" in entities and parent_about_own_child(text) and asks_about_childs_own_use(text) \
        and not filing.tells_of_adult_at_school(text) and not _AN_ADULTS_JOB.search(text)


#: Someone's job at the school named in the message.
_AN_ADULTS_JOB = re.compile(rf"\b(?:teacher|ta|teaching assistant|head|{triage.SCHOOL_STAFF_JOBS})\b", re.IGNORECASE)


class ActionHandleUnclearMessage(ReplyAction):
    """Input the assistant cannot act on. Unreadable input (empty, too long,
    not English) gets an explanation; low NLU confidence gets "did you mean…"
    buttons with the closest topics, never a confident guess. Also the
    dialogue's fallback when no rule applies."""

    def name(self) -> Text:
        return "action_handle_unclear_message"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        starting = _disclosure_events(tracker)  # a child telling is heard as a child by the filing's start
        if not starting and not (tracker.latest_message or {}).get(INPUT_ISSUE):
            starting = decide_follow_up(dispatcher, tracker, domain)
        return starting if starting else super().run(dispatcher, tracker, domain)

    def child_worry(self, tracker: Tracker, text: str):
        """A child the assistant cannot understand is never told "not sure I
        understood": they are answered as a child who may need help."""
        worry = _worried_child_says_more(tracker, text, super().child_worry(tracker, text))
        if worry is None and not (tracker.latest_message or {}).get(INPUT_ISSUE) and self._childs(tracker, text, strict=True) \
                and self._childs_guess(tracker) is None:
            return "help"
        return worry

    @staticmethod
    def _childs(tracker: Tracker, text: str, strict: bool = False) -> bool:
        """Written as a child writes (`strict`: more than text-speak, which some adults write too)."""
        return triage.conversation_is_child([text], signed_role(tracker), strict=strict)

    @staticmethod
    def _childs_guess(tracker: Tracker):
        from bot.policy import load_catalogue

        return replies.for_a_child_unsure(load_catalogue(), load_school_profile(), latest_ranking(tracker), triage.CHILDLINE)

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        issue = (tracker.latest_message or {}).get(INPUT_ISSUE)
        if issue:
            return replies.unreadable_input(issue, school)
        if self._childs(tracker, raw_text(tracker)):
            # a child's question, not quite understood: the closest answer
            # (ReplyAction.for_a_child words the suggestions for a child otherwise)
            guess = replies.for_a_child_unsure(catalogue, school, latest_ranking(tracker), triage.CHILDLINE)
            if guess is not None:
                return guess
        else:
            if _asks_about_own_childs_app(tracker):
                # "our girl (she's 9) is desperate for Instagram ... what's the
                # school's line on it?": a parent asking about their own child's use
                answer = replies.policy_answer(catalogue, school, "ask_pupil_age_limit")
                if answer is not None:
                    return answer
            # a long story with a question in it: its likeliest topic, said so
            likeliest = replies.likeliest_answer(
                catalogue, school, raw_text(tracker), latest_ranking(tracker), not_answered=TOPIC_INTENTS.values()
            )
            if likeliest is not None:
                return likeliest
        return replies.suggestions(catalogue, school, latest_ranking(tracker))

    def events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        if (tracker.latest_message or {}).get(INPUT_ISSUE):
            return []
        return facts_kept(tracker)  # a decision's follow-up was decided in run()


class ActionAnswerYesNo(ReplyAction):
    """A "yes" or "no" with no question of ours open. A "yes" to a child's
    offer to tell someone starts passing it on (ReplyAction's triage); a
    "no" to it is met gently."""

    def name(self) -> Text:
        return "action_answer_yes_no"

    def child_worry(self, tracker: Tracker, text: str):
        """A worried child's "i dont like it" (read as "stop") is more of what
        they are telling us, not a wish to stop; "stop" itself is respected."""
        worry = super().child_worry(tracker, text)
        if worry is None and latest_intent(tracker) == "stop" and text and not filing.says_stop(text):
            return _worried_child_says_more(tracker, text, None)
        return worry

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if latest_intent(tracker) == "affirm" and tracker.get_slot(CHILD_WORRIED) and not tracker.get_slot("child_support") \
                and not triage.adult_voice(raw_text(tracker), signed_role(tracker)):
            # a worried child's "yes ok" after we said something else in between:
            # still a yes to being passed on
            return support_events(tracker, raw_text(tracker), tracker.get_slot(CHILD_WORRIED)) + [FollowupAction("action_start_filing")]
        return super().run(dispatcher, tracker, domain)

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        if tracker.get_slot("child_support") or tracker.get_slot(CHILD_WORRIED):
            return triage.declined_reply(school)
        return replies.Reply(text=ANYTHING_ELSE)


class ActionSupportChild(ReplyAction):
    """Someone telling us something is wrong (the NLU's `tell_worry`): the
    child's answer, always, even when no pattern in bot/triage.py saw it;
    an adult who says so is pointed to the people who help."""

    def name(self) -> Text:
        return "action_support_child"

    def child_worry(self, tracker: Tracker, text: str):
        worry = super().child_worry(tracker, text)
        if worry is None and not triage.adult_voice(text, signed_role(tracker)):
            if scope_cues.medical_need(text) and triage.worry(text) in (None, "help"):
                return None  # "my tummy hurts and i dont feel well": poorly, not a worry (answered in reply())
            return triage.worry(text) or "help"
        return worry

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        if scope_cues.medical_need(raw_text(tracker)):
            return replies.out_of_scope(school)  # in a child's words for a child (ReplyAction.for_a_child)
        return replies.contacts(school)


ANYTHING_ELSE = "OK. Is there anything else you'd like to know about the Social Networking Policy?"


class ActionStartAgain(ReplyAction):
    """Forget the conversation so far and say so."""

    def name(self) -> Text:
        return "action_start_again"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        return replies.starting_again()

    def events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        return [Restarted()]
