"""The decision conversations: forms that gather the facts (asking only for
what is missing), and the actions that give the decision. The rules
themselves live in bot/decisions.py; the slot handling in bot/dialogue.py."""
from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.events import EventType
from rasa_sdk.types import DomainDict

from actions.base import (
    ReplyAction, answer_worried_child, decision_told, last_decision_given, slot_before_latest_message, latest_intent, questions_put, latest_ranking, raw_text, send, signed_role, user_texts,
    worry_in,
)
from bot import dialogue, filing, replies, triage
from bot.policy import Catalogue
from bot.school import SchoolProfile, load_school_profile
from bot.nlp.fact_reader import slot_values
from bot.text_guard import INPUT_ISSUE

logger = logging.getLogger(__name__)

FORM_SLOTS = {dialogue.CONTACT: dialogue.CONTACT_SLOTS, dialogue.CYBERBULLYING: dialogue.BULLYING_SLOTS}


def _entity_slots(tracker: Tracker, domain: DomainDict) -> set:
    """Slots that the latest message's entities fill, per the domain's
    from_entity slot mappings."""
    names = {e.get("entity") for e in (tracker.latest_message or {}).get("entities", [])}
    return {
        slot
        for slot, spec in (domain.get("slots") or {}).items()
        if any(m.get("type") == "from_entity" and m.get("entity") in names for m in spec.get("mappings", []))
    }


# Entities that, after a decision, are about that decision's facts. Not a
# relationship ("my son is off sick") or a phone ("I'll text the office"),
# which ordinary out-of-scope messages mention too.
FOLLOW_UP_ENTITIES = {"age", "other_party", "escalation", "contact_request", "platform"}
EVERYDAY_VALUES = {"text message", "phone call"}


def follow_up_decision(tracker: Tracker, school: SchoolProfile) -> Optional[replies.Reply]:
    """A message misread as out of scope or unclear, but carrying facts for
    the decision in progress ("what if it was a kid from the high school?"),
    is a follow-up: decide again with the changed fact. None otherwise."""
    topic = tracker.get_slot("decision_topic")
    topic = topic if topic in (dialogue.CONTACT, dialogue.CYBERBULLYING) else None
    if topic is None:
        inferred = _out_of_the_blue(tracker)
        if inferred is not None:
            slots = {**tracker.slots, **{e["name"]: e["value"] for e in read_fact_events(tracker, inferred)}}
            decision = dialogue.decide(inferred, slots, school)
            return dialogue.decision_reply(inferred, decision, school) if decision.decided else None
    entities = {
        e.get("entity")
        for e in (tracker.latest_message or {}).get("entities", [])
        if isinstance(e.get("value"), str) and e.get("value") not in EVERYDAY_VALUES
    }
    read = follow_up_events(tracker)
    if not topic or not (entities & FOLLOW_UP_ENTITIES or read):
        return None
    slots = {**tracker.slots, **{e["name"]: e["value"] for e in read}}
    decision = dialogue.decide(topic, slots, school)
    return dialogue.decision_reply(topic, decision, school) if decision.decided else None


def escalation_follow_up(tracker: Tracker) -> bool:
    """After a cyberbullying decision, a message telling what has happened
    since ("the head wrote to all three families ... now it's kicked off
    again"), whatever question the classifier heard in it (the age rules):
    it changes the decision, so the case is decided again."""
    if tracker.get_slot("decision_topic") != dialogue.CYBERBULLYING:
        return False
    if not any(decision_told(e) for e in tracker.events or []):
        return False
    return any(e["name"] == "escalation" for e in read_fact_events(tracker, dialogue.CYBERBULLYING))


def _out_of_the_blue(tracker: Tracker) -> Optional[str]:
    """Facts with no decision in progress ("one of our midday supervisors has
    her grandson in Year 3 and they're friends on Facebook"): the question
    they are about, when their entities say so, with a platform or a request
    in them, and not a parent's "my son"; else None."""
    from bot.nlp.decision_cues import tells_of_contact
    from bot.nlp.fact_reader import parent_about_own_child

    found = (tracker.latest_message or {}).get("entities") or []
    labels = {e.get("entity") for e in found}
    inferred = dialogue.topic_from_entities(found)
    if inferred == dialogue.CYBERBULLYING and not _tells_of_a_bullying_case(raw_text(tracker)):
        inferred = None  # "parentpay keeps failing, 3rd time today": words that can go with bullying, and no bullying
    if inferred == dialogue.CONTACT and "contact_request" not in labels and not tells_of_contact(raw_text(tracker)):
        inferred = None  # "my grandson usually does whatsapp for me": a relative and an app, and no contact between them
    if inferred is not None and labels & {"platform", "contact_request", "escalation"} and not parent_about_own_child(raw_text(tracker)):
        return inferred
    if tracker.get_slot("contact_who") and _ASKS_TO_CONNECT.search(raw_text(tracker)):
        return dialogue.CONTACT  # "any reason I can't accept?" after telling who it is (facts_kept)
    return None


def _tells_of_a_bullying_case(text: str) -> bool:
    """Bullying, or the school's warning about it, in the words themselves."""
    from bot.nlp.decision_cues import tells_of_bullying
    from bot.nlp.fact_reader import tells_of_warning

    return tells_of_bullying(text) or tells_of_warning(text)


#: Asking whether to connect with the young person just described.
_ASKS_TO_CONNECT = re.compile(
    r"\b(?:accept(?:ing)?(?: (?:it|him|her|them|the request))?|add (?:him|her|them)(?: back)?|follow (?:him|her|them)(?: back)?|"
    r"friend (?:him|her|them)|say yes|connect with (?:him|her|them))\b(?=[^.!]*(?:\?|$))",
    re.IGNORECASE,
)


def follow_up_events(tracker: Tracker) -> List[Dict[Text, Any]]:
    """What a message read as a follow-up changes in the decision in progress
    ("actually she left Moat Farm in July"), or the facts of a decision given
    out of the blue and its topic (so that "what if she was 19?" can follow
    it): the slots to set."""
    from bot.nlp.fact_reader import ReadFacts, read_facts

    topic = tracker.get_slot("decision_topic")
    if topic not in (dialogue.CONTACT, dialogue.CYBERBULLYING):
        inferred = _out_of_the_blue(tracker)
        if inferred is None:
            return []
        return [SlotSet("decision_topic", inferred), *read_fact_events(tracker, inferred)]
    if read_facts(raw_text(tracker), load_school_profile()) == ReadFacts():
        return []  # nothing in the words themselves changes the case ("my son is off sick")
    return read_fact_events(tracker, topic)


def facts_kept(tracker: Tracker) -> List[Dict[Text, Any]]:
    """Who the young person is, as the words of a message that is not yet a
    question put it ("I coached a lad at after-school club, he went up to
    high school 2 years ago"): kept, corrected, for the question that
    follows ("he's asked to follow me, ok?"), which Rasa would otherwise
    decide from the entities alone ("high school": never a pupil here)."""
    if tracker.get_slot("decision_topic") in (dialogue.CONTACT, dialogue.CYBERBULLYING):
        return []
    kept = {"contact_who", "bullying_who", "age"}
    return [e for topic in (dialogue.CONTACT, dialogue.CYBERBULLYING) for e in read_fact_events(tracker, topic) if e["name"] in kept]


#: The writer is the adult a young person asked to connect with ("has sent me a
#: friend request", "wants to follow me").
_ASKED_THE_WRITER = re.compile(
    r"\b(?:sent|sends|send|added|adding|adds|followed|following|follows|requested|messag\w*|dm'?d|friended)\s+me\b"
    r"|\bto (?:add|follow|friend|message) me\b|\b(?:wants|asked|asking) (?:me )?to (?:be friends|connect)\b",
    re.IGNORECASE,
)


def read_fact_events(tracker: Tracker, topic: Optional[str]) -> List[Dict[Text, Any]]:
    """Slots corrected or added by reading the whole message: negations
    ("she was never one of ours"), contrasts, and what is implied ("in Year 9
    now", "finished uni"); see bot/nlp/fact_reader.py."""
    if topic not in (dialogue.CONTACT, dialogue.CYBERBULLYING):
        return []
    from bot.nlp.decision_cues import names_own_relative
    from bot.nlp.fact_reader import own_child, parent_about_own_child, platform_meant, read_facts, staff_about_own_pupils, their_sibling
    from bot.nlp.spelling import normalise

    school = load_school_profile()
    slots = dict(tracker.slots)
    for entity in (tracker.latest_message or {}).get("entities") or []:  # this message's facts, as Rasa set them
        if entity.get("entity") == "other_party" and isinstance(entity.get("value"), str):
            slots.setdefault("contact_who", entity["value"])
    text = raw_text(tracker)
    entities = (tracker.latest_message or {}).get("entities") or []
    parent_rule: Dict[Text, Any] = {}
    if topic == dialogue.CONTACT and parent_about_own_child(text) and slots.get("contact_who") == "family" \
            and slot_before_latest_message(tracker, "contact_who") != "family":
        # (a family link already decided stays one: "he's my stepson, i'm
        # married to his dad" confirms it)
        # "my son sent his teacher a follow request": the parent's child is the pupil
        parent_rule = {"contact_who": "current_pupil"}
    changes = {**parent_rule, **read_facts(text, school).slots(topic, {**slots, **parent_rule}, school)}
    if topic == dialogue.CONTACT and slots.get("contact_who") is None and staff_about_own_pupils(text):
        changes.setdefault("contact_who", "current_pupil")
    if topic == dialogue.CONTACT and own_child(text) and parent_about_own_child(text) \
            and slot_before_latest_message(tracker, "contact_who") is not None \
            and any(_ASKED_THE_WRITER.search(t) for t in user_texts(tracker)[:-1]) \
            and not any(own_child(t) for t in user_texts(tracker)[:-1]):  # (not a parent's "my son's teacher added me")
        # "a year 6 girl has sent me a friend request" ... "she's my stepdaughter":
        # the writer is the adult asked, so their own child is a family link
        changes["contact_who"] = "family"
    elif topic == dialogue.CONTACT and own_child(text) and not parent_about_own_child(text):
        # a member of staff's own children who are pupils here: a family link
        changes["contact_who"] = "family"
    elif topic == dialogue.CONTACT and (changes.get("contact_who") or slots.get("contact_who")) in (None, "current_pupil") \
            and names_own_relative(normalise(text)) and not parent_about_own_child(text):
        # "my grandsn is in yr 4 there": the relative the entities missed for the spelling
        changes["contact_who"] = "family"
    if topic == dialogue.CONTACT and slot_before_latest_message(tracker, "contact_who") == "family" and their_sibling(text) \
            and not (read_facts(text, school).not_here or read_facts(text, school).left):
        # "my nephew ... and what about his little sister? she's in year 3 here
        # now": the relative's brother or sister is family too, a pupil or not
        changes["contact_who"] = "family"
    meant = platform_meant(text, entities)
    if topic == dialogue.CYBERBULLYING and meant and meant != slots.get("platform"):
        changes["platform"] = meant
    elif topic == dialogue.CYBERBULLYING and meant is None and any(e.get("entity") == "platform" for e in entities):
        # only the writer's own phone call named ("just rang her back"): the platform stays what it was
        before = slot_before_latest_message(tracker, "platform")
        if before != slots.get("platform"):
            changes["platform"] = before
    if topic == dialogue.CYBERBULLYING:
        kept = _escalation_kept(tracker, changes.get("escalation"))
        if kept is not None:
            changes["escalation"] = kept
    return [SlotSet(slot, value) for slot, value in changes.items() if tracker.get_slot(slot) != value]


def _escalation_kept(tracker: Tracker, read: Any) -> Optional[List[str]]:
    """What the school and the families have already done is not forgotten
    when the next message says more ("they won't engage" and then "he's still
    sending horrible texts every night"): Rasa's slot mapping replaces the
    list with this message's entities, so the list as it was before this
    message is put back in front of what this message adds. None when
    nothing is to be put back."""
    before = slot_values(slot_before_latest_message(tracker, "escalation"))
    now = slot_values(tracker.get_slot("escalation")) + slot_values(read)
    if not before or not now:
        return None
    merged = list(dict.fromkeys([*before, *now]))
    return merged if merged != slot_values(tracker.get_slot("escalation")) else None


_ABOUT_PARENTS = re.compile(
    r"\b(?:friends?|friending|follow\w*|add\w*|messag\w*|chat\w*)\b[^.?!]{0,25}\b(?:the |some |a )?(?:parents?|mums?|dads?|carers?)\b", re.I
)
#: A child named as the one who wants the contact ("one of the office ladies'
#: daughter ... wants to follow me on tiktok, her mum says its fine").
_CHILD_ASKS = re.compile(
    r"\b(?:daughter|son|kid|boy|girl|lad|pupil|student|nephew|niece)s?(?:'s)?\b[^.?!]{0,40}\b"
    r"(?:wants?|wanted|asked|asking|sent|added|follow(?:s|ed|ing)?|request\w*|messag\w*)\b",
    re.I,
)
_ABOUT_CHILDREN = re.compile(
    r"\b(?:friends?|friending|follow\w*|add\w*|messag\w*)\s+(?:with\s+)?(?:the |a |my |our )?(?:pupils?|children|kids|students?|child)\b", re.I
)


_RELATIVE_WORD = re.compile(
    r"\b(?:auntie|aunty|aunt|uncle|niece|nephew|cousin|grand(?:son|daughter|child|ma|pa|mother|father|dad|mum)|nan|nanna|"
    r"step ?(?:son|daughter|mum|dad)|godmother|godfather|godson|goddaughter)\b",
    re.IGNORECASE,
)


#: Words of a child being harmed ("abusive WhatsApp messages from a cousin"): bullying, whoever does it.
_HARMED = re.compile(
    r"\b(?:abus\w*|threat\w*|nasty|horr?ible|vile|mean|cruel|spiteful|hateful|targeted|harass\w*|scared|upset|crying)\b"
    # "she's getting texts from a girl in her class": sent to the child by other children
    r"|\b(?:getting|gets|receiving|being sent|been sent)\b[^.?!]{0,60}\bfrom (?:a|an|some|two|three|the|other|older) (?:\w+ )?"
    r"(?:girls?|boys?|kids?|children|pupils?|lads?|classmates?|people)\b",
    re.IGNORECASE,
)


def _family_contact_not_bullying(tracker: Tracker) -> bool:
    """A message read as a bullying question that tells of no bullying at all,
    only a relative in touch with a child: the contact question."""
    from bot.nlp.decision_cues import tells_of_bullying

    text = raw_text(tracker)
    if tells_of_bullying(text) or _HARMED.search(text) or is_childs_conversation(tracker):
        return False
    from bot.nlp.fact_reader import parent_about_own_child

    if parent_about_own_child(text):
        return False  # "my son": a parent's own child, read as a relative by the entities
    family = any(e.get("entity") == "relationship" and e.get("value") == "family" for e in (tracker.latest_message or {}).get("entities") or [])
    return family or bool(_RELATIVE_WORD.search(text))


#: The writer asking about their own posting or conduct ("could i get in trouble", "am i allowed to post").
_OWN_CONDUCT = re.compile(
    r"\b(?:could|can|will|would|might|do|does|am|should|may) i\b[^?!]{0,40}?\b(?:get (?:in|into) trouble|be disciplined|get a warning|"
    r"lose my job|get sacked|be sacked|(?:be )?allowed|ok|okay|post|moan|rant|vent|say|share|put|tweet|comment)\b",
    re.IGNORECASE,
)


def _own_conduct_question(tracker: Tracker) -> Optional[str]:
    """A message read as a bullying question that tells of no bullying and asks
    about the writer's own posting: the policy topic the NLU ranked next (not
    a decision), when it is a likely reading; None otherwise."""
    from bot.nlp.decision_cues import tells_of_bullying

    text = raw_text(tracker) or ""
    if tells_of_bullying(text) or not _OWN_CONDUCT.search(text) or is_childs_conversation(tracker):
        return None
    for entry in latest_ranking(tracker)[1:3]:
        if entry["name"] not in dialogue.TOPIC_FOR_INTENT and entry["name"] not in ("out_of_scope", "nlu_fallback", "inform") \
                and float(entry.get("confidence") or 0) >= 0.15:
            return entry["name"]
    return None


def _childs_own_use(tracker: Tracker) -> bool:
    """A message read as the contact question that asks about a child's own
    use of an app, with no contact between the writer and the child in it."""
    from bot.nlp.decision_cues import names_own_relative, tells_of_contact
    from bot.nlp.fact_reader import asks_about_childs_own_use, own_child

    text = raw_text(tracker) or ""
    platform = any(e.get("entity") == "platform" for e in (tracker.latest_message or {}).get("entities") or [])
    return platform and asks_about_childs_own_use(text) and not tells_of_contact(text) \
        and (own_child(text) or names_own_relative(text))


def is_childs_conversation(tracker: Tracker, topic: Optional[str] = None) -> bool:
    """Written as a child writes. For the contact question, not when the
    writer gives an age older than any pupil ("he taught me in year 5 ages
    ago, im 17"): a young person who has left, asking about their own
    contact, decided as the policy decides it, not told the pupils' rule."""
    texts = user_texts(tracker) + [raw_text(tracker)]
    if topic == dialogue.CONTACT and signed_role(tracker) is None \
            and triage.writer_older_than_pupils(texts, load_school_profile()):
        return False
    return triage.conversation_is_child(texts, signed_role(tracker))


def child_first(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """A child telling us something is wrong is answered as a child first
    (bot/triage.py), before any decision's questions: the events to return,
    or None when this is not that."""
    text = raw_text(tracker)
    worry = worry_in(tracker, text)
    if worry is None:
        return None
    return answer_worried_child(dispatcher, tracker, text, worry, load_school_profile())


#: The writer asking about their own contact with a young person.
_OWN_CONTACT = re.compile(
    r"\b(?:can|may|should|could) i\b|\b(?:add|added|friend|follow|followed|accept)\w*\s+(?:me|him back|her back)\b"
    r"|\b(?:request|requests) (?:from|to) (?:me|him|her)\b|\bmy (?:friend request|account|profile|page)\b",
    re.IGNORECASE,
)


def _adds_to_the_bullying_case(tracker: Tracker) -> bool:
    """After a cyberbullying decision, a message that adds a fact of that case
    ("his pal Jayden who is still in our grandsons class has been sending them
    too", "Jayden is still at Moat Farm in his class, Kai has left") is still
    about it, though its words (a grandson, a class) sound like the contact
    question; never the writer asking about their own contact."""
    from bot.nlp.decision_cues import children_doing_it, tells_of_bullying
    from bot.nlp.fact_reader import read_facts, still_here

    from bot.decisions import CYBERBULLYING_OUTCOMES

    if last_decision_given(tracker) not in CYBERBULLYING_OUTCOMES:
        return False
    text = raw_text(tracker) or ""
    if _OWN_CONTACT.search(text):
        return False
    if tells_of_bullying(text) or re.search(r"\b(?:sending|sent|posting|messaging) (?:them|him|her|it|those)\b", text, re.I):
        return True
    return bool(children_doing_it(text) and read_facts(text, load_school_profile()).slots(dialogue.CYBERBULLYING, dict(tracker.slots),
                                                                                          load_school_profile())) \
        or still_here(text, load_school_profile())


def _corrects_bullying_case(text: str) -> bool:
    """After a cyberbullying decision, a message that puts a fact of that case
    right is still about it, whatever the classifier makes of its words (an
    app the children "have all got accounts on" is not a friend request)."""
    from bot.nlp.fact_reader import changes_a_fact

    return changes_a_fact(text) and not _OWN_CONTACT.search(text or "")


class ActionStartDecision(Action):
    """A contact or cyberbullying question. When it names who is involved it
    is a new case: forget facts from an earlier case that this message does not
    repeat, so they cannot leak into the new decision."""

    def name(self) -> Text:
        return "action_start_decision"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        child = child_first(dispatcher, tracker)
        if child is not None:
            # no decision's questions for a child in trouble (passing it on, if they asked, is theirs)
            return child if any(e.get("event") == "followup" for e in child) else child + [FollowupAction("action_listen")]
        topic = dialogue.TOPIC_FOR_INTENT.get(latest_intent(tracker), dialogue.CONTACT)
        if topic == dialogue.CONTACT and tracker.get_slot("decision_topic") == dialogue.CYBERBULLYING and _adds_to_the_bullying_case(tracker):
            # "his pal Jayden who is still in our grandsons class has been sending
            # them too": the same case, with a fact added (a grandson is no new "who")
            read = read_fact_events(tracker, dialogue.CYBERBULLYING)
            from bot.nlp.fact_reader import still_here

            if not any(e["name"] == "bullying_who" for e in read) and still_here(raw_text(tracker), load_school_profile()):
                read.append(SlotSet("bullying_who", "current_pupil"))
            return _file_when_asked(tracker, dialogue.CYBERBULLYING, [SlotSet("decision_topic", dialogue.CYBERBULLYING)] + read)
        if topic == dialogue.CONTACT and tracker.get_slot("decision_topic") == dialogue.CYBERBULLYING and _corrects_bullying_case(raw_text(tracker)):
            topic = dialogue.CYBERBULLYING  # "sorry, it's actually mostly in a Snapchat group they've all got accounts on"
        if topic == dialogue.CYBERBULLYING and _adult_at_school_not_children(tracker):
            # "if a mum turned up saying one of our staff has been messaging her
            # daughter on Facebook, what are the steps?": an adult at the school
            # and a child, not children bullying: the disclosure process
            answered = _answer_instead(dispatcher, "ask_disclosure_process", offer=(filing.DISCLOSURE, "adult_at_school"))
            if answered is not None:
                return answered
        if topic == dialogue.CYBERBULLYING and tracker.get_slot("decision_topic") != dialogue.CYBERBULLYING:
            instead = _own_conduct_question(tracker)
            if instead is not None:
                # "if i have a moan about a bad day on my twitter could i get in
                # trouble?? my mate at another school got a warning": no bullying,
                # the writer's own posting: the policy's answer to that
                answered = _answer_instead(dispatcher, instead)
                if answered is not None:
                    return answered
        if topic == dialogue.CYBERBULLYING and _family_contact_not_bullying(tracker) and not _adds_to_the_bullying_case(tracker):
            topic = dialogue.CONTACT  # "they've always messaged each other, she's his auntie: will she get in trouble?"
        if topic == dialogue.CONTACT and _childs_own_use(tracker):
            # "my grandson Alfie is 9 ... keeps on at me to help him put the
            # facebook on his tablet. is he allowed": the age limits, not contact
            answered = _answer_instead(dispatcher, "ask_pupil_age_limit")
            if answered is not None:
                return answered
        relative = any(e.get("entity") == "relationship" and e.get("value") == "family" for e in (tracker.latest_message or {}).get("entities") or [])
        if topic == dialogue.CONTACT and not relative and _ABOUT_PARENTS.search(raw_text(tracker)) and not _ABOUT_CHILDREN.search(raw_text(tracker)) \
                and not _CHILD_ASKS.search(raw_text(tracker)):
            # ("my nephew ... we're friends on facebook through his mum" is about the nephew)
            # "can I be friends with the parents of children in my class?": not
            # contact with a young person, but what may be discussed with parents
            answered = _answer_instead(dispatcher, "ask_discussing_school_matters")
            if answered is not None:
                return answered
        if topic == dialogue.CONTACT and is_childs_conversation(tracker, topic):
            # a child asking to be friends with a grown-up at school: they are the pupil
            return [
                SlotSet("decision_topic", topic), SlotSet("contact_who", "current_pupil"),
                SlotSet("contact_request", "pupil_initiated"), SlotSet("age", None),
            ]
        keep = _entity_slots(tracker, domain)
        read = read_fact_events(tracker, topic)
        if not keep & {"contact_who", "bullying_who"} and not any(e["name"] in ("contact_who", "bullying_who") for e in read):
            # no new "who": a follow-up on the same case, keep what we know
            return _file_when_asked(tracker, topic, [SlotSet("decision_topic", topic)] + read)
        keep |= {e["name"] for e in read}
        events = [
            SlotSet(slot, None)
            for slot in FORM_SLOTS[topic]
            if slot not in keep and tracker.get_slot(slot) is not None
        ]
        return _file_when_asked(tracker, topic, events + [SlotSet("decision_topic", topic)] + read)


def _answer_instead(dispatcher: CollectingDispatcher, intent: str, offer: Optional[tuple] = None) -> Optional[List[Dict[Text, Any]]]:
    """The policy answer for `intent` in place of a decision (with an offer to
    file `offer`, a (kind, topic)); the events to return, or None when there
    is no such answer."""
    from bot.policy import load_catalogue

    school = load_school_profile()
    answer = replies.policy_answer(load_catalogue(), school, intent)
    if answer is None:
        return None
    send(dispatcher, filing.with_offer(answer, offer[0], school) if offer else answer)
    return ([SlotSet("filing_offer", filing.offer_slot_value(*offer))] if offer else []) + [FollowupAction("action_listen")]


#: Intents that say the message is about an adult at the school.
_ABOUT_AN_ADULT = ("ask_disclosure_process", "report_adult_concern")


def _adult_at_school_not_children(tracker: Tracker) -> bool:
    """A bullying reading of a message that tells of an adult at the school in
    contact with a child, with the disclosure process among its likely
    readings and no children doing it."""
    text = raw_text(tracker)
    likely = any(r["name"] in _ABOUT_AN_ADULT and float(r.get("confidence") or 0) >= 0.15 for r in latest_ranking(tracker)[:3])
    from bot.nlp.decision_cues import children_doing_it

    return likely and filing.is_disclosure(text) and not children_doing_it(text)


def _file_when_asked(tracker: Tracker, topic: str, events: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """"I want to put in a formal report please: my daughter is getting
    threatening texts from a Year 6 boy": they asked for a report. When what
    they said decides the case, the decision is given and filing follows it
    (_asked_to_file); when it would take questions first, the report is
    started now, with their words as its opening, and the school's named
    person works out the rest."""
    if topic != dialogue.CYBERBULLYING or not filing.asks_to_file(raw_text(tracker)):
        return events
    slots = dict(tracker.slots)
    slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
    if not dialogue.missing_slots(topic, slots, load_school_profile()):
        return events
    return events + [
        SlotSet("filing_offer", filing.offer_slot_value(filing.CONCERN_REPORT, "cyberbullying")),
        FollowupAction("action_start_filing"),
    ]


class DecisionFormValidation(FormValidationAction, ABC):
    """Shared form behaviour: the engine says which fact is missing."""

    topic: str = ""

    @abstractmethod
    def name(self) -> Text:
        """validate_<form name>"""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        """A disclosure typed in answer to a question ("the PE teacher keeps
        messaging my daughter on Snapchat") is not a fact for this decision:
        the form stops and filing starts, with that message as its opening."""
        child = child_first(dispatcher, tracker)
        if child is not None:
            return [ActiveLoop(None), SlotSet("requested_slot", None), *child]
        text = (tracker.latest_message or {}).get("text") or ""
        if filing.is_disclosure(text, latest_intent(tracker)):
            return [
                ActiveLoop(None),
                SlotSet("requested_slot", None),
                SlotSet("filing_offer", filing.offer_slot_value(filing.DISCLOSURE, "adult_at_school")),
                FollowupAction("action_start_filing"),
            ]
        before = dict(tracker.slots)  # the SDK's run adds its extraction to tracker.slots without returning it
        events = await super().run(dispatcher, tracker, domain)
        events = events + self._corrections(tracker, before, events)
        asked = tracker.get_slot("requested_slot")
        filled = any(e.get("event") == "slot" and e.get("name") == asked and e.get("value") is not None for e in events)
        if asked and not filled and _times_asked(tracker, asked) >= MAX_ASKS:
            # asked twice and still not answered: stop asking (ActionReask says
            # so and gives the general answer) rather than loop
            return events + [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_reask")]
        return events

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """The form's own extraction, then what reading the whole answer adds
        or corrects ("she's never been one of ours", "he's in Year 9 now")."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        return events + read_fact_events(tracker, self.topic)

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """The facts still missing, then the form's facts given in this turn.
        The SDK validates, and returns, only the slots this lists: once an
        answer fills the missing fact it is no longer missing, and without
        the second part its SlotSet was dropped ("she'd be 14 i think" was
        read, then lost, and the question asked again)."""
        missing = dialogue.missing_slots(self.topic, tracker.slots, load_school_profile())
        given = [slot for slot in tracker.slots_to_validate()
                 if slot in domain_slots and slot not in missing and hasattr(self, f"extract_{slot}")]
        return missing + given

    def validate_contact_who(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return {"contact_who": value if value in dialogue.CONTACT_WHO_VALUES else None}

    def validate_platform(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return {"platform": value if isinstance(value, str) and value.strip() else None}

    def _corrections(self, tracker: Tracker, before: Dict[Text, Any], events: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
        """What reading the whole message corrects in the slots the form has
        just taken from its entities: when the form starts, Rasa hands it
        the message's entities again ("at the high school": another school),
        undoing what the words said ("a lad I had in my year 6 class": an
        ex-pupil, who is now at the high school)."""
        taken = {e.get("name"): e.get("value") for e in events if e.get("event") == "slot"}
        slots = {**before, **taken}
        corrected = [e for e in read_fact_events(with_slots(tracker, slots), self.topic) if e["name"] != "requested_slot"]
        if not corrected or "requested_slot" not in taken:
            return corrected
        # the question to ask next, from the corrected facts
        missing = dialogue.missing_slots(self.topic, {**slots, **{e["name"]: e["value"] for e in corrected}}, load_school_profile())
        return corrected + [SlotSet("requested_slot", missing[0] if missing else None)]

    async def extract_age(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A bare answer to "how old are they?" ("16", "sixteen", "he'd be 12 or 13", "early twenties"),
        or an age given in answer to another question ("she'd be 14 i think")."""
        if tracker.get_slot("age") is not None:
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        if text.startswith("/"):
            return {}
        if tracker.get_slot("requested_slot") != "age":
            # asked something else: only an answer that is plainly an age
            return {"age": str(dialogue.parse_age(text))} if _AN_AGE_ANSWER.match(text) and dialogue.parse_age(text) else {}
        age = dialogue.parse_age(text)
        if age is None:
            from bot.nlp.fact_reader import read_facts

            read = read_facts(text, load_school_profile())
            if read.age is not None:
                return {"age": str(read.age)}
            return {"age": dialogue.ADULT_BAND} if read.adult else {}
        return {"age": str(age)}

    async def extract_contact_who(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A typed "no" or "yes" to "Just to check: is this young person a
        pupil here...?": never one, or one now."""
        if tracker.get_slot("requested_slot") != "contact_who" or tracker.get_slot("contact_who") is not None:
            return {}
        if not _asked_the_check(tracker):
            return {}
        text = raw_text(tracker) or ""
        if _NEVER_HERE_ANSWER.match(text):
            return {"contact_who": "not_a_pupil"}
        if _PUPIL_HERE_ANSWER.match(text):
            return {"contact_who": "current_pupil"}
        return {}

    async def extract_bullying_who(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A typed "yes" or "no" to "Do they attend the school?" ("yes all Y6
        here", "no, they go to the academy"): pupils here, or not."""
        if tracker.get_slot("requested_slot") != "bullying_who" or tracker.get_slot("bullying_who") is not None:
            return {}
        text = raw_text(tracker) or ""
        if text.startswith("/"):
            return {}
        # only a "no" or "yes" that is about the school ("no, families have
        # engaged" answers something else; nor is it read as another school)
        if _NEVER_HERE_ANSWER.match(text) and _ABOUT_ATTENDING.fullmatch(_NEVER_HERE_ANSWER.sub("", text, count=1)):
            return {"bullying_who": "other_school"}
        if _PUPIL_HERE_ANSWER.match(text) and _ABOUT_ATTENDING.fullmatch(_PUPIL_HERE_ANSWER.sub("", text, count=1)):
            return {"bullying_who": "current_pupil"}
        return {}

    def validate_bullying_who(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return {"bullying_who": value if value in dialogue.BULLYING_WHO_VALUES else None}

    async def extract_platform(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """"I don't know", "I'd rather not say" to "where is it happening?":
        decided without it (it decides only whether parents may also be warned)."""
        if tracker.get_slot("requested_slot") != "platform" or tracker.get_slot("platform") is not None:
            return {}
        if _not_known(raw_text(tracker)):
            from bot.decisions import PLATFORM_UNKNOWN

            return {"platform": PLATFORM_UNKNOWN}
        return {}

    def validate_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if value in (dialogue.UNDER_18, dialogue.ADULT_BAND) or dialogue.parse_age(value) is not None:
            return {"age": value}
        return {"age": None}


class ValidateContactForm(DecisionFormValidation):
    topic = dialogue.CONTACT

    def name(self) -> Text:
        return "validate_contact_form"


class ValidateBullyingForm(DecisionFormValidation):
    topic = dialogue.CYBERBULLYING

    def name(self) -> Text:
        return "validate_bullying_form"


class AskFor(ReplyAction, ABC):
    slot: str = ""

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        first = latest_intent(tracker) in dialogue.TOPIC_FOR_INTENT  # the question that opened the form
        if is_childs_conversation(tracker):
            # a child is asked plainly, without the policy's adult paragraphs
            # (and never told what is "not the school's responsibility")
            ask = dialogue.question(self.slot, school)
            if self.slot == "bullying_who" and first:
                # the child's first message: what every child is told, before the question
                ask.text = (
                    "Thank you for telling me. You did the right thing. Our school does not allow bullying: "
                    "tell your class teacher or a grown-up you trust, and they will help. "
                    f"Childline is free, any time, on {triage.CHILDLINE}.\n\n"
                    "Do the people doing it go to our school?"
                )
                ask.custom = {**(ask.custom or {}), "policy_refs": ["pupils.report-concerns", "pupils.zero-tolerance"]}
            elif self.slot == "bullying_who":
                ask.text = "Thank you for telling me. Do the people doing it go to our school?"
            elif self.slot == "platform":
                ask.text = "Where is it happening: which app or game, or is it texts or calls?"
            return ask
        return dialogue.question(self.slot, school, first=first, catalogue=catalogue, check=self.check(tracker))

    def check(self, tracker: Tracker) -> bool:
        """Ask as a check rather than an open question (see ActionAskContactWho)."""
        return False


class ActionAskContactWho(AskFor):
    """Who the young person is. Known from a club or the street ("a girl from
    my netball club"): checked ("Just to check: is this young person a
    pupil here...?"), never assumed and never stated as what they said."""

    slot = "contact_who"

    def check(self, tracker: Tracker) -> bool:
        from bot.nlp.fact_reader import maybe_not_here

        return maybe_not_here(raw_text(tracker))

    def name(self) -> Text:
        return "action_ask_contact_who"


class ActionAskAge(AskFor):
    slot = "age"

    def name(self) -> Text:
        return "action_ask_age"


class ActionAskBullyingWho(AskFor):
    slot = "bullying_who"

    def name(self) -> Text:
        return "action_ask_bullying_who"


class ActionAskPlatform(AskFor):
    slot = "platform"

    def name(self) -> Text:
        return "action_ask_platform"


def _asked_to_file(tracker: Tracker) -> bool:
    """This message, or the one that opened the decision being given, asked
    for it to be filed ("I want to report bullying please... please log it",
    then the form's questions)."""
    if filing.asks_to_file(raw_text(tracker)):
        return True
    started = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "action" and event.get("name") == "action_start_decision":
            started = True
        elif event.get("event") == "user" and started:
            text = event.get("text")
            return isinstance(text, str) and filing.asks_to_file(text)
        elif decision_told(event):
            return False  # a decision was given since: that opening has been answered
    return False


def _wants_it_filed(tracker: Tracker, kind: str) -> bool:
    """Asked for the filing this decision offers: in words (_asked_to_file),
    or, for a family link, by asking whether they must tell the head ("do i
    need to declare it?"): the declaration is that telling."""
    if _asked_to_file(tracker):
        return True
    return kind == filing.FAMILY_LINK_DECLARATION and filing.asks_whether_to_declare(raw_text(tracker))


class ActionDecide(ReplyAction):
    """Give the decision for the current topic from the facts held; used when
    a form completes and when a fact changes afterwards ("what if he was 19?")."""

    def name(self) -> Text:
        return "action_decide"

    def topic(self, tracker: Tracker) -> Optional[str]:
        """The decision in progress, the one the intent asks, or (for facts
        given out of the blue: "my nephew is in Year 3, is it OK we're
        friends?") the one the facts are about."""
        intent = latest_intent(tracker)
        held = tracker.get_slot("decision_topic")
        held = held if held in (dialogue.CONTACT, dialogue.CYBERBULLYING) else None
        topic = held or dialogue.TOPIC_FOR_INTENT.get(intent)
        if topic is None and intent == "inform":
            from bot.nlp.fact_reader import parent_about_own_child

            entities = (tracker.latest_message or {}).get("entities") or []
            # a parent's "my son" is their own child, not a member of staff's relative
            if parent_about_own_child(raw_text(tracker)):
                entities = [e for e in entities if e.get("entity") != "relationship"]
            topic = dialogue.topic_from_entities(entities)
            if topic == dialogue.CYBERBULLYING and not _tells_of_a_bullying_case(raw_text(tracker)):
                topic = None  # "parents keep asking scores": words that can go with bullying, and no bullying
        return topic

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if self.topic(tracker) is None and latest_intent(tracker) == "inform":
            # a first message misread as an answer ("Hi, Tom Ellis, parent governor.
            # Been shown screenshots of the head's personal facebook ... want it on
            # record"): a disclosure or a request to file starts filing, as it would
            # from any message the NLU could not place
            from actions.conversation import _disclosure_events

            starting = _disclosure_events(tracker)
            if starting:
                return starting
        return super().run(dispatcher, tracker, domain)

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        topic = self.topic(tracker)
        if topic is None:
            entities = {e.get("entity") for e in (tracker.latest_message or {}).get("entities") or []}
            from bot.nlp.fact_reader import own_child

            if "platform" in entities and own_child(raw_text(tracker)):  # "my 9-year-old keeps begging for Snapchat"
                answer = replies.policy_answer(catalogue, school, "ask_pupil_age_limit")
                if answer is not None:
                    return answer
            return replies.suggestions(catalogue, school, latest_ranking(tracker))
        decision = dialogue.decide(topic, self.slots(tracker, topic), school)
        if not decision.decided:  # a fact was taken back: ask for it again
            return dialogue.question(dialogue.SLOT_FOR_FACT[decision.missing[0]], school)
        if is_childs_conversation(tracker, topic):
            return triage.child_decision_reply(topic, decision.outcome or "", decision.refs, school)
        reply = dialogue.decision_reply(topic, decision, school)
        offered = filing.OFFER_FOR_DECISION.get(decision.outcome or "")
        if offered and _wants_it_filed(tracker, offered[0]):
            return reply  # "I want to report it": filing starts next (events)
        return filing.with_offer(reply, offered[0], school) if offered else reply

    def events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        """Remember what was offered, so that a "yes" files it."""
        topic = self.topic(tracker)
        offered = None
        if topic is not None:
            decision = dialogue.decide(topic, self.slots(tracker, topic), load_school_profile())
            offered = filing.OFFER_FOR_DECISION.get(decision.outcome or "") if decision.decided else None
        events = [SlotSet("filing_offer", filing.offer_slot_value(*offered) if offered else None)]
        if offered and topic == dialogue.CYBERBULLYING and is_childs_conversation(tracker):
            events = [
                SlotSet("filing_offer", filing.offer_slot_value(filing.CONCERN_REPORT, "child_needs_help")),
                SlotSet("child_support", "bullying"),
            ]
        if topic is not None and tracker.get_slot("decision_topic") != topic:
            events.append(SlotSet("decision_topic", topic))  # inferred from the facts
        events = events + (read_fact_events(tracker, topic) if topic is not None else facts_kept(tracker))
        if offered and _wants_it_filed(tracker, offered[0]) and not is_childs_conversation(tracker):
            events.append(FollowupAction("action_start_filing"))  # asked for in the same words
        return events

    @staticmethod
    def slots(tracker: Tracker, topic: Optional[str]) -> Dict[Text, Any]:
        """The slots, with what reading the latest message corrects."""
        slots = dict(tracker.slots)
        slots.update({e["name"]: e["value"] for e in read_fact_events(tracker, topic)})
        if topic == dialogue.CONTACT and slots.get("contact_who") != "family" and signed_role(tracker) is None:
            # "he taught me in year 5 ages ago, im 17": the writer is the young
            # person, who has left (no pupil is that old), at the age they give
            own_age = triage.young_person_writing_of_own_contact(user_texts(tracker) + [raw_text(tracker)], load_school_profile())
            if own_age is not None:
                slots["contact_who"] = "ex_pupil"
                slots["age"] = own_age
                return slots
        if topic == dialogue.CONTACT and slots.get("contact_who") != "family" and is_childs_conversation(tracker, topic):
            # "when i go to big school can i follow miss patel on insta?": the
            # young person is the child writing, a pupil now or an ex-pupil
            # then, and a child either way, not someone "at another school"
            own = triage.childs_own_contact(raw_text(tracker))
            if own is not None:
                slots["contact_who"] = own
                if slots.get("age") is None:
                    slots["age"] = dialogue.UNDER_18
        return slots


def with_slots(tracker: Tracker, slots: Dict[Text, Any]) -> Tracker:
    """The same conversation, seen with these slot values (events not yet applied)."""
    return Tracker(tracker.sender_id, slots, tracker.latest_message, tracker.events, tracker.is_paused(),
                   tracker.followup_action, tracker.active_loop, tracker.latest_action_name)


def decide_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Optional[List[Dict[Text, Any]]]:
    """A message the NLU could not place, or read as out of scope, that is a
    decision's follow-up or its facts out of the blue ("my nephew Oscar is in
    year 5 and we're friends on facebook ... can i do that on here"): decided
    as ActionDecide decides, with its offer to file, and filing started when
    the words ask for it. None when it is not that."""
    if follow_up_decision(tracker, load_school_profile()) is None:
        return None
    changed = follow_up_events(tracker)
    slots = {**tracker.slots, **{e["name"]: e["value"] for e in changed}}
    return changed + ActionDecide().run(dispatcher, with_slots(tracker, slots), domain)


def _not_known(text: str) -> bool:
    """"I don't know", "dunno", "I'd rather not say" (not a button)."""
    return bool(text) and (filing.is_decline(text) or bool(_DONT_KNOW.search(text)))


_DONT_KNOW = re.compile(r"^\W*(?:i\s+)?(?:don'?t|do not|dont|dunno|not sure|no idea|idk|can'?t say|not certain)\b(?:\s+(?:know|sure|which|where))*\W*$|^\W*(?:no idea|not sure|unsure|idk|dunno)\b", re.IGNORECASE)


#: No question is asked more than this many times.
MAX_ASKS = 2


def _times_asked(tracker: Tracker, slot: str) -> int:
    """How many times the current form has asked for `slot` (actions.base.questions_put)."""
    return questions_put(tracker.events, slot, since=lambda e: e.get("event") == "active_loop" and bool(e.get("name")))


def _unanswered_so_far(tracker: Tracker) -> int:
    """How many times the current form's question has already been re-asked."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name"):
            break
        if event.get("event") == "action" and event.get("name") == "action_reask":
            count += 1
    return count


#: A short answer that is plainly an age ("she'd be 14 i think", "he's 19 now", "about 15").
_AN_AGE_ANSWER = re.compile(
    r"^\W*(?:(?:she|he|they)(?:'d| would|'s| is|'re| are) (?:be |now |probably |about |around |nearly |only )*|"
    r"(?:about|around|roughly|maybe|probably|aged?) |i think (?:she|he|they)(?:'s| is|'d be| would be) )"
    r"\d{1,2}(?: (?:now|years old|yrs? old|yo|i think|i reckon|or so|ish))*\W*$",
    re.IGNORECASE,
)
#: Typed answers to "Just to check: is this young person a pupil here...?"
_NEVER_HERE_ANSWER = re.compile(
    r"^\W*(?:no+|nope|nah|never|not at all|not a pupil)\b(?!.*\b(?:used to|was one|left|ex[- ]?pupil)\b)", re.IGNORECASE
)
_PUPIL_HERE_ANSWER = re.compile(r"^\W*(?:yes|yeah|yep|yup|she is|he is|they are)\b(?!.*\b(?:used to|was|left|ex)\b)", re.IGNORECASE)


#: What may follow a typed "yes" or "no" to "do they attend the school?":
#: nothing, or words about where they go ("all Y6 here", "they go to the academy").
_ABOUT_ATTENDING = re.compile(
    r"\W*(?:(?:[^.?!]*\b(?:here|school|class|year|yr|y\d|pupils?|attend\w*|go(?:es)? to|went to|ours|academy|primary|secondary|"
    r"high school|juniors?|both|all of them|they (?:do|are|don'?t|aren'?t))\b[^.?!]*)?[.!]*\W*)",
    re.IGNORECASE,
)


def _asked_the_check(tracker: Tracker) -> bool:
    """The last thing the assistant asked was the "Just to check" question."""
    check = dialogue.CHECK_PUPIL_HERE.split("{")[0]
    for event in reversed(tracker.events or []):
        if event.get("event") == "bot":
            return check in str(event.get("text") or "")
    return False


class ActionReask(ReplyAction):
    """The answer did not give the fact the form asked for. Say so (or thank
    them for a fact of another kind) so the form can ask again; after
    MAX_REASKS, stop asking and give the general answer instead of looping."""

    MAX_REASKS = 2

    def name(self) -> Text:
        return "action_reask"

    def giving_up(self, tracker: Tracker) -> bool:
        # the form stopped itself after asking twice (DecisionFormValidation)
        stopped = not (tracker.active_loop or {}).get("name")
        return stopped or _unanswered_so_far(tracker) >= self.MAX_REASKS

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        if self.giving_up(tracker):
            topic = tracker.get_slot("decision_topic")
            topic = topic if isinstance(topic, str) and topic in dialogue.TOPIC_INTENTS else dialogue.CONTACT
            answer = replies.policy_answer(catalogue, school, dialogue.TOPIC_INTENTS[topic])
            answer.text = "Let's leave the details there. In general:\n\n" + answer.text
            return answer
        if (tracker.latest_message or {}).get("entities"):
            return replies.Reply(text="Thanks, noted.")
        issue = (tracker.latest_message or {}).get(INPUT_ISSUE)
        if isinstance(issue, str):
            return replies.unreadable_input(issue, school)  # too long, empty, not English: say which, as elsewhere
        return replies.Reply(text="Sorry, I didn't catch that.")

    def events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        if self.giving_up(tracker):
            return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_listen")]
        return []


class ActionLeaveForm(ReplyAction):
    """The person said something that does not answer the question: stop
    asking, and answer what they said instead."""

    def name(self) -> Text:
        return "action_leave_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if self._place_not_known(tracker):
            # "I'd rather not say" to where it happens: decided without it (it
            # decides only whether the parents may also be warned)
            from bot.decisions import PLATFORM_UNKNOWN

            return [SlotSet("platform", PLATFORM_UNKNOWN), ActiveLoop(None), SlotSet("requested_slot", None),
                    FollowupAction("action_decide")]
        return super().run(dispatcher, tracker, domain)

    @staticmethod
    def _place_not_known(tracker: Tracker) -> bool:
        return tracker.get_slot("requested_slot") == "platform" and _not_known(raw_text(tracker))

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        if self._files(tracker):
            return replies.Reply(text="OK, let's leave those questions.")  # filing starts next, and says what it does
        return replies.reply_for_intent(latest_intent(tracker), catalogue, school) or replies.stopped_asking()

    @staticmethod
    def _files(tracker: Tracker) -> Optional[tuple]:
        """What to file when the message that left the form asks to report
        ("can I report it here?"): a report of the case in progress, or the
        intent's own filing; None otherwise."""
        intent = latest_intent(tracker)
        general = intent == "ask_how_to_report_concern" or intent not in filing.START_FOR_INTENT
        if general and not (intent in filing.START_FOR_INTENT or filing.asks_to_file(raw_text(tracker))):
            return None
        bullying = tracker.get_slot("decision_topic") == dialogue.CYBERBULLYING or tracker.active_loop_name == "bullying_form"
        if general and bullying:
            return (filing.CONCERN_REPORT, "cyberbullying")  # a report of the case in progress
        return filing.START_FOR_INTENT.get(intent)

    def events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        leave = [ActiveLoop(None), SlotSet("requested_slot", None)]
        files = self._files(tracker)
        if files:
            return leave + [SlotSet("filing_offer", filing.offer_slot_value(*files)), FollowupAction("action_start_filing")]
        return leave

    def triage_events(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        return self.events(tracker)
