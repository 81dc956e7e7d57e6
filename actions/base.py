"""Shared behaviour of the assistant's reply actions."""
from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import filing, replies, triage
from bot.filing import danger_first, mentions_immediate_danger
from bot.nlp import scope_cues
from bot.policy import Catalogue, load_catalogue
from bot.replies import Reply, choices_for_a_child, technical_problem
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


def raw_text(tracker: Tracker) -> str:
    """The latest message as typed (the user event's text, not the NLU's
    cleaned copy); a button payload is not the person's words."""
    text = ""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            text = event.get("text") if isinstance(event.get("text"), str) else ""
            break
    else:
        latest = (tracker.latest_message or {}).get("text")
        text = latest if isinstance(latest, str) else ""
    return "" if text.startswith("/") else text


def signed_role(tracker: Tracker) -> str | None:
    return filing.role_from_metadata((tracker.latest_message or {}).get("metadata"))


def latest_confidence(tracker: Tracker) -> float:
    intent = (tracker.latest_message or {}).get("intent")
    value = intent.get("confidence") if isinstance(intent, dict) else None
    return float(value) if isinstance(value, (int, float)) else 0.0


def questions_put(events, slot: str, since=lambda event: False) -> int:
    """How many times `slot` was asked and the person then had the floor. A
    form asks by setting `requested_slot` (its ask action runs inside it and
    leaves no action event); Rasa also re-sets it while validating an answer,
    so only a setting followed by listening counts. Counting restarts at an
    event for which `since` is true."""
    count, pending = 0, False
    for event in events or []:
        if since(event):
            count, pending = 0, False
        elif event.get("event") == "slot" and event.get("name") == "requested_slot":
            pending = event.get("value") == slot
        elif event.get("event") == "action" and event.get("name") == "action_listen" and pending:
            count, pending = count + 1, False
    return count


#: Set, for the rest of the conversation, once a child has told us something
#: is wrong: what they add later is heard as theirs (bot/triage.py).
CHILD_WORRIED = "child_worried"


def worry_in(tracker: Tracker, text: str) -> str | None:
    """What worries a child writing this, if a child may be (bot/triage.py):
    from the words, the NLU and what they told us before."""
    # tell_worry as one of the two likeliest readings of an unsure message
    likeliest = [e for e in latest_ranking(tracker) if e.get("name") != "nlu_fallback"][:2]
    worry_confidence = next((float(e.get("confidence") or 0.0) for e in likeliest if e.get("name") == triage.WORRY_INTENT), 0.0)
    adult_before = any(triage.adult_voice(t) for t in user_texts(tracker)[:-1])
    found = triage.child_needs_help(
        text, signed_role(tracker), latest_intent(tracker), latest_confidence(tracker),
        child_before=bool(tracker.get_slot(CHILD_WORRIED)), worry_confidence=worry_confidence,
        adult_before=adult_before,
    )
    # (not after an adult's own words: a parent's "mrs x told us all" is no child's)
    if found is None and not adult_before and triage.child_voice(text, signed_role(tracker)) \
            and filing.tells_of_adult_contacting_writer(text):
        return "help"  # a child telling of an adult at the school contacting them, however the NLU read it
    word_by_word = typed_word_by_word(tracker) if found is None and not adult_before else None
    if word_by_word is not None:
        # "people" / "in" / "my" / "class" / "said" / "im" / "ugly": read together
        found = triage.child_needs_help(word_by_word, signed_role(tracker), child_before=bool(tracker.get_slot(CHILD_WORRIED)))
    return found


#: A message this short may be one word of several typed one at a time.
_A_FEW_WORDS = 3
#: How many such messages, at most, are read together.
_WORD_BY_WORD_MESSAGES = 10


def typed_word_by_word(tracker: Tracker) -> str | None:
    """The latest messages read together, when the person has been typing a
    word or two per message (children do): three or more short messages in
    a row, ending with this one; else None."""
    run: List[str] = []
    for text in reversed(user_texts(tracker)):
        if len(text.split()) > _A_FEW_WORDS or len(run) >= _WORD_BY_WORD_MESSAGES:
            break
        run.append(text)
    return " ".join(reversed(run)) if len(run) >= 3 else None


def support_events(tracker: Tracker, text: str, worry: str) -> List[Dict[Text, Any]]:
    """After a child has been answered as a child: what a "yes" files, and
    that this conversation is a worried child's."""
    offer = child_offer(text, user_texts(tracker))
    disclosure = filing.offer_slot_value(filing.DISCLOSURE, "adult_at_school")
    if tracker.get_slot("filing_offer") == disclosure:
        # told of an adult earlier: the tracker store no longer keeps those
        # words (bot/redaction.py), so what they add later does not undo it
        offer = disclosure
    return [SlotSet("filing_offer", offer), SlotSet("child_support", worry), SlotSet(CHILD_WORRIED, worry)]


CHILD_OFFER_TOPIC = "child_needs_help"


def child_offer(text: str, earlier=()) -> str:
    """What a "yes" to the child's offer files: a disclosure when an adult at
    the school is involved (in this message or anything the child said
    before), else a report for the named person."""
    if filing.is_disclosure(text) or any(filing.is_disclosure(t) for t in earlier if isinstance(t, str)):
        return filing.offer_slot_value(filing.DISCLOSURE, "adult_at_school")
    return filing.offer_slot_value(filing.CONCERN_REPORT, CHILD_OFFER_TOPIC)


def user_texts(tracker: Tracker) -> List[str]:
    """What the person has typed in this conversation (since a restart)."""
    return [text for text, _ in user_messages(tracker)]


def user_messages(tracker: Tracker) -> List[tuple]:
    """What the person has typed in this conversation (since a restart), each
    with the entities the NLU found in it: (text, entities) pairs."""
    messages: List[tuple] = []
    for event in tracker.events or []:
        if event.get("event") == "restart":
            messages = []
        elif event.get("event") == "user" and isinstance(event.get("text"), str) and not event["text"].startswith("/"):
            entities = (event.get("parse_data") or {}).get("entities")
            messages.append((event["text"], entities if isinstance(entities, list) else []))
    return messages


def slot_before_latest_message(tracker: Tracker, name: str) -> Any:
    """A slot's value as it was before the latest user message (Rasa's slot
    mappings have already applied that message's entities to tracker.slots)."""
    value = None
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in events[:last_user]:
        if event.get("event") == "slot" and event.get("name") == name:
            value = event.get("value")
        elif event.get("event") in ("restart", "session_started"):
            value = None
    return value


def actions_this_turn(tracker: Tracker) -> List[str]:
    """The actions that have run since the latest message (listening aside)."""
    names: List[str] = []
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            break
        if event.get("event") == "action" and event.get("name") not in ("action_listen", None):
            names.append(event["name"])
    return names


def ran_since_latest_message(tracker: Tracker, action: str) -> bool:
    """The action has already run in this turn (since the latest message)."""
    return action in actions_this_turn(tracker)


def decision_told(event: Dict[Text, Any]) -> str | None:
    """The decision code a bot event told, if it told one."""
    custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
    return custom["decision"] if isinstance(custom, dict) and isinstance(custom.get("decision"), str) else None


def last_decision_given(tracker: Tracker) -> str | None:
    """The decision code of the last decision told in this conversation."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "restart":
            return None
        if decision_told(event):
            return decision_told(event)
    return None


#: The worries that may be children bullying each other (not an adult's
#: danger or secrets): decided from the child's words when they say enough.
_CASE_WORRIES = frozenset({"bullying", "feelings", "help"})


def child_case_reply(tracker: Tracker, text: str, worry: str, school: SchoolProfile, offer: bool = True):
    """A worried child's bullying, decided when everything they have told us
    says whose case it is (bot/triage.child_bullying_case) and not already
    told: the reply and the events, or None."""
    if worry not in _CASE_WORRIES or filing.is_disclosure(text):
        return None
    decision = triage.child_bullying_case(user_messages(tracker), school)
    if decision is None or decision.outcome == last_decision_given(tracker):
        return None
    reply = triage.child_decision_reply("cyberbullying", decision.outcome or "", decision.refs, school, offer=offer)
    return reply, [SlotSet("decision_topic", "cyberbullying"), *support_events(tracker, text, worry)]


#: The actions that end by offering to file what they answered.
OFFERING_ACTIONS = frozenset({"action_decide", "action_answer_policy_question"})


def message_offered_after(tracker: Tracker) -> str | None:
    """When an answer or a decision offered to file in reply to the person's
    previous message (an offering action ran between it and this one): that
    message as typed ("" for a button); else None."""
    users, offered = 0, False
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                text = event.get("text")
                return (text if isinstance(text, str) and not text.startswith("/") else "") if offered else None
        elif users == 1 and event.get("event") == "action" and event.get("name") in OFFERING_ACTIONS:
            offered = True
    return None


def accepted_offer_in_words(tracker: Tracker) -> bool:
    """An offer to file, made in the turn just before, taken up in words
    rather than with the button ("I'd like to get that on record with the
    head"): what the NLU made of the words does not matter."""
    offer = tracker.get_slot("filing_offer")
    if not isinstance(offer, str) or not offer or tracker.get_slot("child_support"):
        return False
    if actions_this_turn(tracker):
        # the message was taken up by something else first (a decision decided
        # again: "the school sent a letter to all of us ... now its happening
        # again so im reporting it again"): that answers it, then filing follows
        return False
    return filing.asks_to_file(raw_text(tracker)) and message_offered_after(tracker) is not None



def answer_worried_child(dispatcher: CollectingDispatcher, tracker: Tracker, text: str, worry: str, school: SchoolProfile) -> List[Dict[Text, Any]]:
    """Answer a child telling us something is wrong (bot/triage.py), whatever
    action the NLU chose: the decision on their bullying when their words say
    enough; passed on at once when they asked us to tell someone; else what
    every child hears, with the offer to pass it on. The events to return."""
    again = bool(tracker.get_slot(CHILD_WORRIED))
    # "can u tell a teacher", "can you tell mr obi hes my teacher": they have
    # asked; pass it on now (the first time, or later while nothing is filed)
    asked = triage.asks_us_to_tell(text) and not _filing_started(tracker)
    if not asked and filing.is_disclosure(text) and not _filing_started(tracker):
        # "mr lewis keeps sending me messages on insta and he said its our
        # secret": an adult at the school and a child. Not a secret anyone may
        # keep: passed on now (the child is told so), not offered
        asked = True
    if not asked and again and offered_enough(tracker):
        asked = True
    filed = tracker.get_slot("filing_reference")
    if filed and not asked and again:
        # what they told is already passed on ("my mum i think", after it was
        # filed): heard, and not offered again (a "yes" would file it twice)
        send(dispatcher, triage.support_reply(worry, school, offer=False, again=True))
        send(dispatcher, Reply(text=f"I have already passed on what you told me (reference {filed}), so the grown-ups at school "
                                    "know. You can tell me more, or tell your class teacher."))
        return [SlotSet("filing_offer", None), SlotSet(CHILD_WORRIED, worry)]
    pass_on = [FollowupAction("action_start_filing")] if asked else []
    decided = child_case_reply(tracker, text, worry, school, offer=not asked)
    if decided is not None:
        send(dispatcher, decided[0])
        return decided[1] + pass_on
    send(dispatcher, triage.support_reply(worry, school, offer=not asked, again=again))
    if latest_intent(tracker) == triage.POSING_INTENT and not again:
        # "is it allowed for grown ups to pretend there kids": asked, so answered too
        send(dispatcher, triage.posing_answer_for_a_child())
    if worry in ("feelings", "help") and triage.fears_trouble(text):
        # "i went on youtube on the class ipad ... will i get banned": the rules,
        # in a child's words, as well as being heard
        rules = replies.pupil_rules(load_catalogue(), school)
        if rules is not None:
            send(dispatcher, rules)
    return support_events(tracker, text, worry) + pass_on


#: How many times a child is asked "would you like me to tell ...?" before
#: what they keep telling us is passed on without asking again.
OFFERS_BEFORE_PASSING_ON = 2


def offers_to_a_child(tracker: Tracker) -> int:
    """How often this conversation has offered a child to pass it on (the
    support reply's "Would you like me to tell ...?" buttons)."""
    count = 0
    for event in tracker.events or []:
        if event.get("event") == "restart":
            count = 0
        elif event.get("event") == "bot":
            data = event.get("data") or {}
            custom = data.get("custom") or {}
            if isinstance(custom, dict) and custom.get("child_support") and data.get("buttons"):
                count += 1
    return count


def offered_enough(tracker: Tracker) -> bool:
    """A child offered twice, who never said no and is still telling us ("i
    am at home with my mum", "a girl in my clas"): the question is not asked
    a third time; what they told is passed on, and they are told so."""
    return not _filing_started(tracker) and offers_to_a_child(tracker) >= OFFERS_BEFORE_PASSING_ON \
        and not _child_said_no(tracker)


def _child_said_no(tracker: Tracker) -> bool:
    """The child answered an offer with no ("No, not now"): that choice stands."""
    offered = False
    for event in tracker.events or []:
        if event.get("event") == "restart":
            offered = False
        elif event.get("event") == "bot" and ((event.get("data") or {}).get("custom") or {}).get("child_support"):
            offered = True
        elif event.get("event") == "user" and offered and ((event.get("parse_data") or {}).get("intent") or {}).get("name") == "deny":
            return True
    return False


def _filing_started(tracker: Tracker) -> bool:
    """Filing has been started in this conversation (and perhaps stopped by
    the person: that choice stands)."""
    started = False
    for event in tracker.events or []:
        if event.get("event") == "restart":
            started = False
        elif event.get("event") == "action" and event.get("name") == "action_start_filing":
            started = True
    return started


def accepted_child_offer(tracker: Tracker) -> bool:
    offer = tracker.get_slot("filing_offer")
    if not isinstance(offer, str) or not tracker.get_slot("child_support"):
        return False
    text = raw_text(tracker) or ""
    intent = latest_intent(tracker)
    return intent == "affirm" or filing.is_yes(text) or triage.asks_us_to_tell(text) or bool(
        re.search(r"\b(?:tell (?:them|him|her|someone|sumone|somebody|miss|sir|my teacher|the head|(?:mr|mrs|miss|ms) \w+)|"
                  r"(?:you|u) can tell|pass it on|yes|ok tell)\b", text, re.I)
    )


class ReplyAction(Action, ABC):
    """An action that composes one reply from the catalogue and school profile.

    Subclasses implement `reply()`. Loading is lazy and cached (no file is read
    at import time), and any failure becomes an honest "something went wrong"
    rather than silence or a wrong answer.

    Safety first (bot/triage.py): before the reply, a message that may be a
    child telling us something is wrong gets the child's answer instead
    (you did the right thing; tell a grown-up today; 999; Childline; shall I
    tell the named person?), whatever the NLU made of it; a "yes" to that
    offer starts passing it on.
    """

    #: Whether this action answers a child's worry first (not while filing).
    triage: bool = True

    def child_worry(self, tracker: Tracker, text: str) -> str | None:
        """What worries a child writing this, if a child may be (bot/triage.py)."""
        return worry_in(tracker, text)

    def for_a_child(self, tracker: Tracker, text: str, reply: Reply, school: SchoolProfile) -> Reply:
        """The last safety net: a child is never told "not sure I understood"
        or "not the school's responsibility", whichever action composed it.
        A child who has told us something is wrong is heard again; a child
        asking something else gets the closest topics in a child's words."""
        if not self.triage:
            return reply
        words = (reply.text or "").lower()
        unsure = words.startswith("sorry, i'm not sure i understood")
        not_ours = "not the school's responsibility" in words or "not the school’s responsibility" in words
        if words.startswith("sorry, i can only help with") and not triage.adult_voice(text, signed_role(tracker)):
            # outside the policy: a child is told, in their words, who at school helps with it
            poorly = scope_cues.feels_poorly(text)
            if poorly or triage.conversation_is_child(user_texts(tracker) + [text], signed_role(tracker), strict=True):
                return replies.out_of_scope_for_a_child(school, poorly=poorly)
            return reply
        if not (unsure or not_ours):
            return reply
        worried = bool(tracker.get_slot(CHILD_WORRIED)) and not triage.adult_voice(text, signed_role(tracker))
        # text-speak is enough for child's words in place of "not sure I
        # understood" (they suit anyone); the child's answer needs more
        childs = worried or triage.conversation_is_child(user_texts(tracker) + [text], signed_role(tracker), strict=not_ours)
        if not childs:
            return reply
        if worried or not_ours:
            kind = tracker.get_slot(CHILD_WORRIED)
            kind = kind if isinstance(kind, str) and kind in triage.WORRY_KINDS else "help"  # a crafted slot is no worry kind
            return triage.support_reply(kind, school, again=worried)
        return choices_for_a_child(reply.buttons, triage.CHILDLINE)

    def triage_events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        """Events this action adds when it answered a child instead (a form
        left, say); none by default."""
        return []

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
        if self.triage and accepted_child_offer(tracker):
            return [FollowupAction("action_start_filing")]  # it reads and clears child_support
        if self.triage and accepted_offer_in_words(tracker):
            return [FollowupAction("action_start_filing")]
        text = raw_text(tracker)
        worry = self.child_worry(tracker, text) if self.triage else None
        if worry:
            return self.triage_events(tracker) + answer_worried_child(dispatcher, tracker, text, worry, school)
        if mentions_immediate_danger((tracker.latest_message or {}).get("text") or ""):
            dispatcher.utter_message(text=danger_first(school, filing=False))
        try:
            reply = self.for_a_child(tracker, text, self.reply(tracker, load_catalogue(), school), school)
        except Exception:
            logger.exception("%s failed", self.name())
            send(dispatcher, technical_problem(school))
            return []
        kind = (reply.custom or {}).get("child_support")
        if self.triage and kind and reply.buttons and tracker.get_slot(CHILD_WORRIED) and offered_enough(tracker):
            # the safety net heard the child again, after two offers: answered
            # as any worried child is, which passes it on now
            return answer_worried_child(dispatcher, tracker, text, kind, school)
        send(dispatcher, reply)
        events = self.events(tracker)
        if self.triage and kind and reply.buttons:
            # the safety net heard the child and offered again ("mean girl" ... "on
            # tablet"): a "yes" to this offer passes it on, whatever this action reset
            return [*events, *support_events(tracker, text, kind)]
        if self.triage and tracker.get_slot("child_support"):
            events = [*events, SlotSet("child_support", None)]  # the offer was not taken up
        return events
