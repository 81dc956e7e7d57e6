"""Filing conversations: start, the form's questions and answers, read-back,
filing, cancelling. What to say and ask lives in bot/filing.py; storage in
bot/records (through actions/records_client.py).

While the form runs, everything the person typed for the record is kept in
a server-side draft (bot/records/drafts.py), never in the conversation: the
tracker holds the draft's opaque id (`filing_id`) and, in the answer slots,
only markers (GIVEN, DECLINED) saying which questions are answered. The
tracker store also redacts the text of these turns (bot/tracker_store.py).
What is filed is the raw text of each message, exactly as typed (not the
NLU's cleaned copy).
"""
from __future__ import annotations

import asyncio
import logging
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    CHILD_WORRIED, ReplyAction, child_offer, latest_intent, latest_ranking, message_offered_after, questions_put,
    ran_since_latest_message, send, user_texts, worry_in,
)
from actions.decisions import escalation_follow_up
from actions.records_client import records_client
from bot import filing, replies, triage
from bot.filing import ABOUT_HEAD, ACCOUNT, CONFIRMED, CONTACT, DECLINED, GIVEN, NAME, ROLE
from bot.nlp.decision_cues import children_doing_it, tells_of_bullying
from bot.nlp.fact_reader import changes_a_fact
from bot.nlp.scope_cues import outside_the_policy
from bot.notify import notify_new_disclosure
from bot.policy import Catalogue, load_catalogue
from bot.records.drafts import DraftAnswers, DraftNotFound
from bot.records.errors import RecordsError, RecordsUnavailable, UnknownReference
from bot.redaction import REDACTED
from bot.school import SchoolProfile, load_school_profile
from bot.text_guard import EMPTY_MESSAGE, MAX_MESSAGE_CHARS, MESSAGE_TOO_LONG

logger = logging.getLogger(__name__)

#: Intents whose topic answer is given before filing starts (the person asked
#: a question; a report about an adult needs no lecture first).
ANSWER_FIRST = frozenset(filing.START_FOR_INTENT) - {"report_adult_concern"}
INTRO_REFS = {
    filing.DISCLOSURE: ["child-protection.record", "child-protection.refer-lado"],
    filing.CONCERN_REPORT: ["pupils.report-concerns"],
    filing.FAMILY_LINK_DECLARATION: ["staff.family-links"],
    filing.SERVICE_PROPOSAL: ["school-service.approval"],
}


def raw_text(tracker: Tracker) -> str:
    """The latest message exactly as typed: the user event's text, not the
    NLU's cleaned copy (markup and line breaks are evidence)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            text = event.get("text")
            if isinstance(text, str):
                return text
            break
    return (tracker.latest_message or {}).get("text") or ""


def user_text(tracker: Tracker) -> str:
    """What the person typed (a button's payload is not their words)."""
    text = raw_text(tracker)
    return "" if text.startswith("/") else text


#: No question is asked more than this many times: then what was typed is
#: taken as it is, or the form moves on, and says so.
MAX_ASKS = 2


def times_asked(tracker: Tracker, slot: str) -> int:
    """How often this filing has asked for `slot` so far (actions.base.questions_put)."""
    return questions_put(
        tracker.events, slot, since=lambda e: e.get("event") == "action" and e.get("name") == "action_start_filing"
    )


def signed_role(tracker: Tracker) -> Optional[str]:
    """The role of a signed-in widget user (from their validated token); it
    cannot be changed in the conversation."""
    return filing.role_from_metadata((tracker.latest_message or {}).get("metadata"))


def input_issue(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message or {}).get("input_issue")


def entity_value(tracker: Tracker, name: str) -> Optional[str]:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == name and entity.get("value") is not None:
            return str(entity["value"])
    return None


def _offer_parts(value: Optional[str]) -> tuple:
    """filing_offer slot: "kind" or "kind:topic"."""
    if not value:
        return None, None
    kind, _, topic = str(value).partition(":")
    return (kind if kind in filing.KINDS else None), (topic or None)


def reset_events() -> List[EventType]:
    return [SlotSet(slot, None) for slot in filing.ALL_SLOTS]


#: Answer slots and the draft field each one's words are kept in.
DRAFT_FIELD = {ACCOUNT: "account", NAME: "name", CONTACT: "contact"}


def _draft(tracker: Tracker, answers: DraftAnswers) -> filing.Draft:
    """The answers so far, decrypted, with the conversation's routing facts."""
    return filing.Draft(
        kind=tracker.get_slot("filing_kind"),
        role=tracker.get_slot(ROLE),
        account=answers.account or "",
        name=answers.name,
        contact=answers.contact,
        opening=answers.opening,
        topic=tracker.get_slot("filing_topic"),
        about_head=bool(tracker.get_slot(ABOUT_HEAD)),
    )


async def load_answers(tracker: Tracker) -> DraftAnswers:
    """This conversation's draft; DraftNotFound when there is none (expired,
    abandoned, another conversation's, or of another kind)."""
    draft_id = tracker.get_slot("filing_id")
    if not isinstance(draft_id, str) or not draft_id:
        raise DraftNotFound("no draft in this conversation")
    answers = await records_client().draft(draft_id, tracker.sender_id)
    if answers.kind != tracker.get_slot("filing_kind"):
        raise DraftNotFound("the draft is of another kind")
    return answers


def draft_lost() -> replies.Reply:
    return replies.Reply(
        text=(
            "I'm sorry: this report was left open too long, so I have not kept your answers, and "
            "nothing has been filed. If you'd like to report it, just tell me again."
        )
    )


def answer_not_kept(school: SchoolProfile) -> replies.Reply:
    return replies.Reply(
        text=(
            "I'm sorry: I couldn't keep that answer just now (a problem on my side), and nothing "
            f"has been filed yet. Please send it again in a moment. If a child is in immediate "
            f"danger, call {school.police_emergency} now."
        )
    )


_ASKS_IF_ALLOWED = re.compile(
    r"\b(?:is (?:that|this|it|she|he) (?:even |actually |really )?(?:allowed|ok|okay|right|normal|appropriate)|"
    r"are (?:they|teachers|staff) (?:even |actually |really )?allowed|can (?:they|teachers|staff|she|he) (?:even |actually )?do that)\b",
    re.IGNORECASE,
)


#: An account of contact on social media ("follows him on instagram", "has
#: been dming her", "sent her a friend request").
_TELLS_OF_CONTACT = re.compile(
    r"\b(?:follow(?:s|ed|ing)|friend(?:ed|ing)|friend requests?|follow requests?|add(?:s|ed|ing)? (?:him|her|them|my \w+)|"
    r"messag(?:es|ed|ing)|dm(?:s|d|ed|ing)|direct messag\w*|snapchatt(?:ed|ing)|snapping|texting|texted|chatting (?:to|with))\b",
    re.IGNORECASE,
)


def _an_adult_now(text: str, school: SchoolProfile) -> bool:
    """The young person the message tells of is an adult now ("he's 20 now and at uni")."""
    from bot.nlp.fact_reader import read_facts

    return read_facts(text or "", school).adult  # (an age of 18 or more sets it too)


def _offered_after(tracker: Tracker) -> str:
    """The message that the offer being taken up was made in reply to, or ""
    (a message the tracker store did not keep is not an account)."""
    if not isinstance(tracker.get_slot("filing_offer"), str):
        return ""
    text = message_offered_after(tracker) or ""
    return "" if text == REDACTED else text


def contact_answer_for_a_pupil(school: SchoolProfile) -> replies.Reply:
    """The contact decision for a current pupil: a member of staff may not."""
    from bot import decisions, dialogue

    decision = decisions.decide_contact(decisions.ContactFacts(decisions.CURRENT_PUPIL))
    reply = dialogue.decision_reply(dialogue.CONTACT, decision, school)
    return replies.Reply(text=decision.reason.replace("You told me this is a current pupil of the school. ", "No. "),
                         custom=reply.custom)


class ActionStartFiling(Action):
    """Begin filing: a report about an adult, a declaration, a proposal or a
    report of improper contact or use in the working day (bot.filing.
    START_FOR_INTENT), or a "yes" to an offer. Says what will happen (and 999
    first when a child may be in danger); the form then asks its questions."""

    def name(self) -> Text:
        return "action_start_filing"

    def kind_and_topic(self, tracker: Tracker) -> tuple:
        intent = latest_intent(tracker)
        if intent in filing.START_FOR_INTENT:
            return filing.START_FOR_INTENT[intent]
        return _offer_parts(tracker.get_slot("filing_offer"))  # "yes" to the offer just made

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        school = load_school_profile()
        kind, topic = self.kind_and_topic(tracker)
        if kind is None:  # a "yes" to nothing in particular
            dispatcher.utter_message(response="utter_anything_else")
            return [SlotSet("filing_offer", None), FollowupAction("action_listen")]
        text = user_text(tracker)
        intent = latest_intent(tracker)
        if intent in filing.START_FOR_INTENT and outside_the_policy(text):
            # "how do i set up parental controls so he cant chat to strangers?": the
            # policy's words, not its subject; nothing to file
            send(dispatcher, replies.out_of_scope(school))
            return [SlotSet("filing_offer", None), FollowupAction("action_listen")]
        if kind == filing.FAMILY_LINK_DECLARATION and tracker.get_slot("decision_topic") == "contact" and changes_a_fact(text) \
                and not ran_since_latest_message(tracker, "action_decide"):
            # "what if I told you he's actually my cousin's son?" after a contact
            # decision: the same question with a changed fact, decided again
            # (not when this very message was just decided: that would loop)
            return [SlotSet("filing_offer", None), FollowupAction("action_decide")]
        if tracker.get_slot("decision_topic") == "cyberbullying" and not ran_since_latest_message(tracker, "action_decide") \
                and escalation_follow_up(tracker):
            # "the school sent a letter to all of us ... now its happening again so im
            # reporting it again": the decision changes (a further referral, the
            # police) and is given first; filing follows from it, as asked
            return [SlotSet("filing_offer", None), FollowupAction("action_decide")]
        # a disclosure typed in the middle of a decision's questions (that form
        # stopped and asked for this action) is the opening of the account
        interrupted = intent not in filing.START_FOR_INTENT and intent != "affirm" and filing.is_disclosure(text, intent)
        asked = filing.asks_to_file(text) or triage.asks_us_to_tell(text) \
            or (kind == filing.FAMILY_LINK_DECLARATION and filing.asks_whether_to_declare(text))  # "do i need to declare it?"
        opening = text if intent in filing.START_FOR_INTENT or interrupted or asked else ""
        answered = _offered_after(tracker)
        if answered and answered.strip() != opening.strip():
            # a "yes" (or "please put that on record") to the offer made after
            # answering a message: that message is where the account begins
            # ("my niece is starting in year 3 ... family whatsapp group")
            opening = answered + ("\n\n" + opening if opening.strip() else "")
        if kind == filing.DISCLOSURE and intent == "report_adult_concern" and not filing.tells_of_adult_at_school(text) \
                and not filing.is_disclosure(text) and (tells_of_bullying(text) or (children_doing_it(text) and not filing.tells_of_a_grown_up(text))):
            # "some of the kids have been sharing a photo of my daughter with
            # nasty captions", "jayden and his mates in yr 6 keep putting pics
            # of me on snapchat": children, no adult in it; a report
            kind, topic = filing.CONCERN_REPORT, "cyberbullying"
        elif kind == filing.DISCLOSURE and intent == "report_adult_concern" and not filing.tells_of_adult_at_school(text) \
                and not filing.is_disclosure(text) and filing.tells_of_a_stranger(text):
            # "a man none of us know has been sending friend requests on Roblox
            # to several children in Year 6": no adult at the school; a report
            # of improper contact, for the named person
            kind, topic = filing.CONCERN_REPORT, "improper_contact"
        elif kind != filing.DISCLOSURE and (kind != filing.CONCERN_REPORT or topic in ("improper_contact", "working_day_use") or (
                topic == "cyberbullying" and (not children_doing_it(text) or filing.adult_puts_pupils_online(text)))) \
                and filing.is_disclosure(text) and not (kind == filing.SERVICE_PROPOSAL and filing.proposes(text)):
            # "how do I report..." (or a message the NLU took for a declaration or
            # a proposal) with an account of an adult at the school and a child: a
            # disclosure; a bullying report too when the adult is the one doing it
            # (not "the boys keep messaging him, mr smith asked them to stop")
            kind, topic = filing.DISCLOSURE, "adult_at_school"
        if kind == filing.DISCLOSURE and intent != "affirm" and _an_adult_now(text, school) \
                and not triage.conversation_is_child(user_texts(tracker), signed_role(tracker), strict=True):
            # "my son left moat farm 10 years ago, he's 20 now ... his old teacher
            # added him": contact with an adult, which the policy allows; the
            # contact question, decided, not a disclosure
            return [SlotSet("filing_offer", None), SlotSet("decision_topic", "contact"), FollowupAction("action_decide")]
        danger = filing.mentions_immediate_danger(text)
        # a disclosure is about the head teacher when their words say so (the
        # account and the read-back may say so later)
        about_head = kind == filing.DISCLOSURE and filing.concerns_head_teacher(opening, school) is True
        # a child who tells us (not a "yes" to an offer already made with these
        # words) hears what every child hears first: not their fault, tell a
        # grown-up, 999, Childline; then the questions
        # (the words say so: the NLU's reading alone does not make someone a pupil on a record)
        child_telling = intent != "affirm" and not tracker.get_slot("child_support") and (
            triage.child_needs_help(text, signed_role(tracker)) is not None
            or triage.conversation_is_child([text], signed_role(tracker), strict=True)
            # "mr bailey who is the TA in are class messaged me on tiktok and said i look realy grown up"
            or (signed_role(tracker) is None and filing.tells_of_adult_contacting_writer(text) and triage.child_voice(text))
        ) and not triage.adult_voice(text, signed_role(tracker))
        childs_worry = (worry_in(tracker, text) or "help") if child_telling else None
        # a child who said "yes" to being passed on is not asked who they are
        from_child = child_telling or bool(tracker.get_slot("child_support") or tracker.get_slot(CHILD_WORRIED)) \
            or triage.conversation_is_child(user_texts(tracker), signed_role(tracker), strict=True)
        if from_child and not signed_role(tracker) and any(triage.adult_voice(t) for t in user_texts(tracker)):
            from_child = False  # "I'm a TA", said after a first message that could have been a child's
        if from_child:
            if triage.asks_us_to_tell(text) and not filing.is_disclosure(text) and intent in filing.START_FOR_INTENT:
                # "can u tell miss obrien she is my teacher": who to tell, not an
                # adult the child is telling of; what they told before decides
                kind, topic = _offer_parts(child_offer(text, user_texts(tracker)[:-1]))
                about_head = False
            # what the child has already told us is where their account begins:
            # they are not made to tell it all again
            opening = filing.childs_opening(user_texts(tracker), REDACTED) or opening
        if danger:
            dispatcher.utter_message(text=filing.danger_first(school))
        if childs_worry:
            send(dispatcher, triage.support_reply(childs_worry, school, offer=False))
        try:
            draft_id = await records_client().create_draft(tracker.sender_id, kind, opening if opening.strip() else None)
        except Exception as exc:  # database down, key unusable: nothing can be kept
            logger.error("cannot start a filing draft: %s", type(exc).__name__)
            send(dispatcher, filing.cannot_start(kind, about_head, school))
            return reset_events() + [FollowupAction("action_listen")]
        answer = replies.policy_answer(load_catalogue(), school, intent, with_next_step=False) if intent in ANSWER_FIRST else None
        if answer is None and kind == filing.DISCLOSURE and not childs_worry and not from_child and not signed_role(tracker) == "pupil" \
                and (_ASKS_IF_ALLOWED.search(text) or _TELLS_OF_CONTACT.search(opening)):
            # "my daughter's teacher sent her a friend request: is that allowed?",
            # "his teacher follows him on instagram and has been dming him":
            # what the policy says of it (not allowed), then the offer to record it
            answer = contact_answer_for_a_pupil(school)
        if answer is not None:
            send(dispatcher, answer)
        # who they are, when they have already said it ("I'm a TA", "my daughter is in year 6")
        usual = filing.spec(kind).default_role
        role = signed_role(tracker) or ("pupil" if from_child else (filing.role_from_opening(user_texts(tracker), usual) or usual))
        # a disclosure whose first words do not say it is about the head teacher
        # may still be: say where it goes either way (a child is told in a child's words)
        known = about_head if kind != filing.DISCLOSURE or about_head else None
        passed_on = None
        told = bool(childs_worry or tracker.get_slot(CHILD_WORRIED) or tracker.get_slot("child_support")
                    or filing.is_disclosure(opening) or tells_of_bullying(opening))
        # a disclosure is filed at once only when it is plain where it goes: about
        # the head (to the chair of governors), or about someone who cannot be the
        # head; "my teacher" waits for the read-back's "is it about the head teacher?"
        routed = kind != filing.DISCLOSURE or about_head or filing.names_someone_not_the_head(opening, school)
        if role == "pupil" and kind in filing.FILED_AT_ONCE_KINDS and opening.strip() and told and routed:
            # what the child has told us is filed now, not when the questions end
            # (not a question such as "how do i report bullying?": that waits for their account)
            reference = await _file_at_once(tracker.sender_id, draft_id, filing.Draft(
                kind=kind, role="pupil", account="", name=None, contact=None, opening=opening, topic=topic, about_head=about_head,
            ))
            passed_on = filing.filed_early_value(reference, about_head) if reference else None
        words = filing.child_intro(kind, school, about_head, passed_on=bool(passed_on)) \
            if role == "pupil" and kind in (filing.DISCLOSURE, filing.CONCERN_REPORT) \
            else filing.intro(kind, school, known, danger)
        send(dispatcher, replies.Reply(text=words, custom={"policy_refs": INTRO_REFS[kind]}))
        if role == "staff" and not signed_role(tracker) and filing.parse_filer_role(opening) == "governor":
            role = "governor"  # "on behalf of the governors, I'd like to propose..."
        elif role == "staff" and not signed_role(tracker) and kind == filing.SERVICE_PROPOSAL and filing.parse_filer_role(opening) == "pupil":
            role = "pupil"  # "im on the school council and we want to make a youtube channel"
        events = reset_events() + [
            SlotSet("requested_slot", None),
            SlotSet("filing_reference", None),
            SlotSet("filing_kind", kind),
            SlotSet("filing_topic", topic),
            SlotSet("filing_id", draft_id),
            SlotSet(ABOUT_HEAD, about_head),
            SlotSet("child_support", None),
            SlotSet(filing.FILED_EARLY, passed_on),
        ]
        if childs_worry:
            events.append(SlotSet(CHILD_WORRIED, childs_worry))
        if role:
            events.append(SlotSet(ROLE, role))
        # the form next, whatever led here: a rule (after a reporting intent or
        # a "yes" to an offer), or a decision's form that a disclosure stopped
        return events + [FollowupAction("filing_form")]


async def _file_at_once(conversation_id: str, draft_id: str, told: filing.Draft) -> Optional[str]:
    """File a child's report as soon as they have told us (filing.FILED_AT_ONCE_KINDS):
    its reference, or None when it could not be filed now (the form files it
    at the end, as for anyone else)."""
    try:
        record = await records_client().file(
            kind=told.kind, account=told.filed_account(), filer_role="pupil", filer_name=None, filer_contact=None,
            details=told.details(), idempotency_key=filing.filed_at_once_key(conversation_id, draft_id),
        )
    except (RecordsError, ValueError) as exc:
        logger.error("a child's report could not be filed at once: %s", type(exc).__name__)
        return None
    notify_if_new_disclosure(record)
    return record.reference


class ValidateFilingForm(FormValidationAction):
    """Takes each answer of the filing form into the conversation's draft.
    A short "stop" or a question where a name, contact, role or yes/no was
    asked is not an answer: the form is rejected so that the rules cancel or
    answer it."""

    def name(self) -> Text:
        return "validate_filing_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        kind = tracker.get_slot("filing_kind")
        if kind not in filing.KINDS:
            return []
        required = filing.required_slots(kind, signed_role(tracker) or tracker.get_slot(ROLE))
        # a signed-in user's role is their token's: never asked, never changed
        return [slot for slot in required if not (slot == ROLE and signed_role(tracker))]

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        if requested not in filing.FORM_SLOTS or tracker.get_slot("filing_kind") not in filing.KINDS:
            return []
        school = load_school_profile()
        text = user_text(tracker)
        if filing.mentions_immediate_danger(text):
            dispatcher.utter_message(text=filing.danger_first(school))
        intent = latest_intent(tracker)
        declining = requested in (NAME, CONTACT) and filing.is_decline(text)
        if intent == "stop" and not declining and (requested != ACCOUNT or len(text.split()) <= 4) \
                and (filing.says_stop(text) or not text):
            return []  # rejected: the rules cancel
        # (the NLU's "stop" without a word for stopping in it, "sorry what",
        # does not throw away what someone is filing: it is an answer like any other)
        try:
            answers = await load_answers(tracker)
        except DraftNotFound:
            send(dispatcher, draft_lost())
            return reset_events()
        except RecordsError as exc:
            logger.error("filing draft unavailable: %s", type(exc).__name__)
            send(dispatcher, answer_not_kept(school))
            return [SlotSet(requested, None)]
        answer = getattr(self, f"answer_{requested}")(text, intent, dispatcher, tracker, answers)
        if answer is None:
            return []
        return await self._keep(answer, dispatcher, tracker, school, requested)

    async def _keep(
        self, answer: Dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker, school: SchoolProfile, requested: str
    ) -> List[EventType]:
        """Move the words of an answer into the draft; the slots get markers."""
        changes: Dict[str, Optional[str]] = {}
        slots: Dict[str, Any] = {}
        for slot, value in answer.items():
            if slot in DRAFT_FIELD:
                changes[DRAFT_FIELD[slot]] = value if value not in (None, DECLINED) else None
                slots[slot] = value if value in (None, DECLINED) else GIVEN
            else:
                slots[slot] = value
        if changes or "filing_kind" in slots:
            try:
                if slots.get("filing_kind") and slots["filing_kind"] != tracker.get_slot("filing_kind"):
                    await records_client().change_draft_kind(tracker.get_slot("filing_id"), tracker.sender_id, slots["filing_kind"])
                if changes:
                    await records_client().update_draft(tracker.get_slot("filing_id"), tracker.sender_id, **changes)
            except DraftNotFound:
                send(dispatcher, draft_lost())
                return reset_events()
            except RecordsError as exc:
                logger.error("filing draft unavailable: %s", type(exc).__name__)
                send(dispatcher, answer_not_kept(school))
                return [SlotSet(requested, None)]
        return [SlotSet(slot, value) for slot, value in slots.items()]

    # Each answer_<slot> returns the slots to set (with the words of an
    # account, name or contact as they are to be kept), or None to reject.

    def answer_filer_role(self, text: str, intent: str, dispatcher: CollectingDispatcher, tracker: Tracker, answers: DraftAnswers) -> Optional[Dict[str, Any]]:
        if signed_role(tracker):
            return {ROLE: signed_role(tracker)}
        role = entity_value(tracker, "filer_role")
        role = role if role in filing.ROLES else filing.parse_filer_role(text)
        if role == "staff" and filing.names_another_adult(text):
            role = None  # "the PE teacher, mr brennan": who it is about, not who they are
        if role:
            return {ROLE: role}
        if filing.is_question(text):
            return None
        if tracker.get_slot(ACCOUNT) is None and len(text.split()) >= filing.ACCOUNT_MIN_WORDS:
            # the account, typed where the role was asked ("One of the lunchtime
            # supervisors has a public TikTok and..."): kept as the account, never
            # lost; the role is asked again
            send(dispatcher, replies.Reply(text=filing.ACCOUNT_KEPT))
            return {ROLE: None, ACCOUNT: text}
        if times_asked(tracker, ROLE) >= MAX_ASKS:
            send(dispatcher, replies.Reply(text=filing.ROLE_MOVED_ON))
            return {ROLE: "other"}
        send(dispatcher, filing.role_not_understood())
        return {ROLE: None}

    def answer_filing_account(self, text: str, intent: str, dispatcher: CollectingDispatcher, tracker: Tracker, answers: DraftAnswers) -> Optional[Dict[str, Any]]:
        issue = input_issue(tracker)
        if issue == MESSAGE_TOO_LONG or len(text) > MAX_MESSAGE_CHARS:
            send(dispatcher, filing.account_too_long(MAX_MESSAGE_CHARS))
            return {ACCOUNT: None}
        if issue == EMPTY_MESSAGE or not text.strip():
            send(dispatcher, filing.empty_answer())
            return {ACCOUNT: None}
        if tracker.get_slot(ROLE) == "pupil" and filing.afraid_to_tell(text) and times_asked(tracker, ACCOUNT) < MAX_ASKS:
            # a child afraid to tell is reassured and asked once more; their
            # words are kept with the record's opening all the same
            send(dispatcher, filing.reassure_child())
            return {ACCOUNT: None}
        found = {ACCOUNT: text, **self._about_head_from(text, tracker.get_slot("filing_kind"))}
        kind = tracker.get_slot("filing_kind")
        if kind == filing.CONCERN_REPORT and tracker.get_slot("filing_topic") in ("improper_contact", "working_day_use", "child_needs_help", None) \
                and filing.is_disclosure(text):
            # "I need to report something" and then an account of an adult at the
            # school and a child: it is a disclosure, for the head teacher
            found["filing_kind"] = filing.DISCLOSURE
            found["filing_topic"] = "adult_at_school"
            found.update(self._about_head_from(text, filing.DISCLOSURE))
            if filing.parse_filed_early(tracker.get_slot(filing.FILED_EARLY)) is not None:
                # a child's report already passed on to the DSL ("i got a weird
                # message"), and now the account tells of an adult at the school:
                # the whole of it is filed as a disclosure for the head teacher as
                # well, not added to the report
                found[filing.FILED_EARLY] = None
        if not filing.spec(kind).asks_role and not signed_role(tracker):
            # a notice or proposal from a governor, or a proposal from a parent ("I
            # am a parent and chair of the PTA"), not from the member of staff it
            # assumed (a declaration's "I'm her foster carer" is the family link)
            parsed = filing.parse_filer_role(text)
            said = parsed if parsed in ("governor", "pupil") else filing.role_said(text)
            if said == "governor" or (kind == filing.SERVICE_PROPOSAL and said in ("parent", "pupil", "other")):
                if said != tracker.get_slot(ROLE):
                    found[ROLE] = said
        return found

    @staticmethod
    def _about_head_from(text: str, kind: Optional[str]) -> Dict[str, Any]:
        """What these words say about whether a disclosure concerns the head
        teacher: {ABOUT_HEAD: True/False} when they say, else nothing."""
        if kind != filing.DISCLOSURE:
            return {}
        about = filing.concerns_head_teacher(text, load_school_profile())
        return {} if about is None else {ABOUT_HEAD: about}

    def answer_filer_name(self, text: str, intent: str, dispatcher: CollectingDispatcher, tracker: Tracker, answers: DraftAnswers) -> Optional[Dict[str, Any]]:
        kind = tracker.get_slot("filing_kind")
        last_try = times_asked(tracker, NAME) >= MAX_ASKS
        if filing.is_decline(text):
            if filing.spec(kind).name_required and not last_try:
                send(dispatcher, filing.name_needed())
                return {NAME: None}
            if filing.spec(kind).name_required:
                send(dispatcher, replies.Reply(text=filing.NAME_LEFT_OUT))
            return {NAME: DECLINED}
        pupil = tracker.get_slot(ROLE) == "pupil"
        if filing.is_question(text) and intent not in ("inform",):
            # "does it have to have my name on it? fine, Dean Hollis": the name after the question
            after = filing.without_leading_filler(text.rsplit("?", 1)[1]) if "?" in text else ""
            named = filing.clean_name(after, pupil=pupil) if after.strip() else None
            if named is not None:
                return {NAME: named}
            if filing.asks_about_giving_name(text):
                # "do I have to give my name?": answered here, and asked once more at most
                send(dispatcher, filing.about_giving_name(filing.spec(kind).name_required))
                if last_try:
                    send(dispatcher, replies.Reply(text=filing.NAME_LEFT_OUT if filing.spec(kind).name_required else filing.NAME_SKIPPED))
                    return {NAME: DECLINED}
                return {NAME: None}
            if last_try:
                return {NAME: DECLINED}  # asked enough: move on without it (the read-back shows it)
            return None
        name = filing.clean_name(text, pupil=pupil)
        if name is None and last_try and text.strip():
            # asked twice already: take it as they wrote it, and say so
            send(dispatcher, replies.Reply(text=filing.NAME_AS_TYPED))
            return {NAME: " ".join(text.split())[: filing.MAX_NAME_CHARS]}
        if name is None:
            send(dispatcher, replies.Reply(text='Sorry, I need just your name there (or say "skip").'
                                           if not filing.spec(kind).name_required else "Sorry, I need just your name there."))
            return {NAME: None}
        return {NAME: name}

    def answer_filer_contact(self, text: str, intent: str, dispatcher: CollectingDispatcher, tracker: Tracker, answers: DraftAnswers) -> Optional[Dict[str, Any]]:
        if filing.is_decline(text):
            return {CONTACT: DECLINED}
        if filing.contact_in(text) is None and filing.is_question(text):
            if times_asked(tracker, CONTACT) >= MAX_ASKS:
                send(dispatcher, replies.Reply(text=filing.CONTACT_LEFT_OUT))
                return {CONTACT: DECLINED}  # asked enough: on without it
            if filing.asks_why_contact(text):
                send(dispatcher, replies.Reply(text=filing.WHY_CONTACT))
                return {CONTACT: None}
            return None
        if filing.contact_in(text) is None and (not text.strip() or len(text.split()) > 15):
            if times_asked(tracker, CONTACT) >= MAX_ASKS and text.strip():
                send(dispatcher, replies.Reply(text=filing.CONTACT_AS_TYPED))
                return {CONTACT: " ".join(text.split())[:300]}
            send(dispatcher, replies.Reply(text='Sorry, I need just an email address or phone number there (or say "skip").'))
            return {CONTACT: None}
        return {CONTACT: text.strip()}

    def answer_filing_confirmed(self, text: str, intent: str, dispatcher: CollectingDispatcher, tracker: Tracker, answers: DraftAnswers) -> Optional[Dict[str, Any]]:
        asked = filing.required_slots(tracker.get_slot("filing_kind"), signed_role(tracker) or tracker.get_slot(ROLE))
        if signed_role(tracker):
            asked = [slot for slot in asked if slot != ROLE]
        about_head = self._about_head_from(text, tracker.get_slot("filing_kind"))
        if about_head and not (len(text.split()) >= 3 and filing.is_disclosure(text)):
            # "it's about the head teacher" / "it's not about the head": who it goes to changes
            school = load_school_profile()
            who = filing.recipient(filing.DISCLOSURE, about_head[ABOUT_HEAD], school)
            dispatcher.utter_message(text=f"Thank you for telling me. It will go to {who}.")
            return {**about_head, CONFIRMED: None, "filing_change": None}
        change = entity_value(tracker, "filing_change")
        if change in asked and change != CONFIRMED:
            return {change: None, "filing_change": None, CONFIRMED: None}
        if tracker.get_slot("filing_change") == "menu":  # "what would you like to change?"
            targets = [slot for slot in filing.change_targets(text) if slot in asked]
            if targets:
                return {**{slot: None for slot in targets}, CONFIRMED: None, "filing_change": None}
        if intent == "deny" or filing.is_no(text) or filing.is_correction(text):
            found_contact = filing.contact_in(text)
            if found_contact and CONTACT in asked:
                dispatcher.utter_message(text="Thanks, I've changed how to reach you.")
                return {CONTACT: text.strip(), CONFIRMED: None, "filing_change": None}
            targets = [slot for slot in filing.change_targets(text) if slot in asked]
            if targets:
                return {**{slot: None for slot in targets}, CONFIRMED: None, "filing_change": None}
            return {CONFIRMED: None, "filing_change": "menu"}
        if intent == "affirm" or filing.is_yes(text):
            return {CONFIRMED: True, "filing_change": None}
        if self._restates_an_answer(text, answers):
            # the same words again, in answer to "Shall I file it now?"
            return {CONFIRMED: True, "filing_change": None}
        if filing.is_question(text):
            return None
        if len(text.split()) >= 3:
            dispatcher.utter_message(text=filing.added_to_account())
            return {
                ACCOUNT: (answers.account or "") + "\n\n" + text, CONFIRMED: None, "filing_change": None,
                **self._about_head_from(text, tracker.get_slot("filing_kind")),
            }
        dispatcher.utter_message(text="Sorry, I didn't catch that.")
        return {CONFIRMED: None, "filing_change": None}

    @staticmethod
    def _restates_an_answer(text: str, answers: DraftAnswers) -> bool:
        said = filing.normalised(text)
        if not said:
            return False
        for answer in (answers.account, answers.name, answers.contact):
            parts = [filing.normalised(part) for part in (answer or "").split("\n\n")]
            if said in parts:
                return True
        return False

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Answers are checked as they are taken (answer_<slot>): pass on the
        form's slots set this turn, and the correction menu's state."""
        keep = set(await self.required_slots([], dispatcher, tracker, domain)) | {"filing_change", ABOUT_HEAD, ROLE, "filing_kind", "filing_topic",
                                                                                 filing.FILED_EARLY}
        events = [SlotSet(slot, value) for slot, value in tracker.slots_to_validate().items() if slot in keep]
        role = signed_role(tracker)
        if role and tracker.get_slot(ROLE) != role:
            events.append(SlotSet(ROLE, role))
        return events


class AskFilingQuestion(Action, ABC):
    """Asks the form's next question; the action is `action_ask_<slot>`."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The form slot this action asks for."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        kind = tracker.get_slot("filing_kind")
        if kind not in filing.KINDS:
            send(dispatcher, replies.technical_problem(load_school_profile()))
            return reset_events() + [ActiveLoop(None)]
        try:
            send(dispatcher, await self.question(kind, tracker))
        except DraftNotFound:
            send(dispatcher, draft_lost())
            return reset_events() + [ActiveLoop(None)]
        except RecordsError as exc:
            logger.error("filing draft unavailable: %s", type(exc).__name__)
            send(dispatcher, filing.not_filed(kind, bool(tracker.get_slot(ABOUT_HEAD)), load_school_profile()))
        return []

    async def question(self, kind: str, tracker: Tracker) -> replies.Reply:
        return filing.question(self.slot, kind, tracker.get_slot(ROLE))


class ActionAskFilerRole(AskFilingQuestion):
    slot = ROLE


class ActionAskFilingAccount(AskFilingQuestion):
    slot = ACCOUNT

    async def question(self, kind: str, tracker: Tracker) -> replies.Reply:
        told = tracker.get_slot(ROLE) == "pupil" and bool((await load_answers(tracker)).opening)
        return filing.question(self.slot, kind, tracker.get_slot(ROLE), told=told)


class ActionAskFilerName(AskFilingQuestion):
    slot = NAME


class ActionAskFilerContact(AskFilingQuestion):
    slot = CONTACT


class ActionAskFilingConfirmed(AskFilingQuestion):
    """The read-back (or, after a "no", what to change)."""

    slot = CONFIRMED

    async def question(self, kind: str, tracker: Tracker) -> replies.Reply:
        asked = filing.required_slots(kind, tracker.get_slot(ROLE))
        if signed_role(tracker):
            asked = [slot for slot in asked if slot != ROLE]
        if tracker.get_slot("filing_change") == "menu":
            return filing.what_to_change(asked)
        passed_on = filing.parse_filed_early(tracker.get_slot(filing.FILED_EARLY)) is not None
        return filing.readback(_draft(tracker, await load_answers(tracker)), asked, load_school_profile(), passed_on=passed_on)


class ActionFileRecord(Action):
    """File the confirmed record, and only then say it is filed."""

    def name(self) -> Text:
        return "action_file_record"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        school = load_school_profile()
        kind = tracker.get_slot("filing_kind")
        about_head = bool(tracker.get_slot(ABOUT_HEAD))
        # Not filed: keep the answers; a "yes" reopens the form at the
        # confirmation (rules in data/rules/filing.yml). The loop is not
        # reopened here, or it would run again before the person answers.
        retry = [SlotSet(CONFIRMED, None), SlotSet("requested_slot", CONFIRMED)]
        if kind not in filing.KINDS:  # nothing waiting: a repeated "yes" after filing
            reference = tracker.get_slot("filing_reference")
            text = (
                f"That is already filed: your reference is {reference}."
                if reference
                else "There is nothing waiting to be filed. Tell me if you'd like to report something."
            )
            send(dispatcher, replies.Reply(text=text, custom={"reference": reference} if reference else None))
            return []
        try:
            answers = await load_answers(tracker)
        except DraftNotFound:
            send(dispatcher, draft_lost())
            return reset_events()
        except RecordsError as exc:
            logger.error("filing draft unavailable: %s", type(exc).__name__)
            send(dispatcher, filing.not_filed(kind, about_head, school))
            return retry
        draft = _draft(tracker, answers)
        if answers.filed_reference:  # filed before, but the reply was lost: same reference
            send(dispatcher, filing.filed(draft, answers.filed_reference, school))
            return reset_events() + [SlotSet("filing_reference", answers.filed_reference)]
        early = filing.parse_filed_early(tracker.get_slot(filing.FILED_EARLY))
        if early is not None and bool(draft.about_head) == early[1]:
            return await self._add_to_the_report(dispatcher, tracker, draft, early[0], school, retry)
        # (about the head teacher after all, said at the read-back: the whole
        # account is filed afresh for the chair of governors, not added to what
        # went to the head)
        try:
            if not draft.account.strip():
                raise ValueError("the filing conversation has no account")
            record = await records_client().file(
                kind=draft.kind,
                account=draft.filed_account(),
                filer_role=draft.role or "other",
                filer_name=draft.name,
                filer_contact=draft.contact,
                details=draft.details(),
                idempotency_key=filing.idempotency_key(tracker.sender_id, tracker.get_slot("filing_id") or "", draft),
            )
        except RecordsUnavailable:
            send(dispatcher, filing.not_filed(kind, about_head, school))
            return retry
        except (RecordsError, ValueError) as exc:
            logger.error("filing failed: %s", type(exc).__name__)
            send(dispatcher, filing.not_filed(kind, about_head, school))
            return retry
        try:
            await records_client().mark_filed(tracker.get_slot("filing_id"), tracker.sender_id, record.reference)
        except RecordsError as exc:  # filed all the same; the draft expires on its own
            logger.warning("filed, but the draft could not be closed: %s", type(exc).__name__)
        send(dispatcher, filing.filed(draft, record.reference, school))
        notify_if_new_disclosure(record)
        return reset_events() + [SlotSet("filing_reference", record.reference)]


    @staticmethod
    async def _add_to_the_report(dispatcher: CollectingDispatcher, tracker: Tracker, draft: filing.Draft, reference: str,
                                 school: SchoolProfile, retry: List[EventType]) -> List[EventType]:
        """A child's report filed when they told us: what they said since (their
        name and class, anything else) is added to it."""
        try:
            await records_client().add_to(
                filing.filed_at_once_key(tracker.sender_id, tracker.get_slot("filing_id") or ""),
                addition=draft.after_opening(), filer_name=draft.name,
            )
        except UnknownReference:
            logger.error("a child's report filed at once is missing: filing what they said as a new record")
            return [SlotSet(filing.FILED_EARLY, None), FollowupAction("action_file_record")]
        except (RecordsError, ValueError) as exc:
            logger.error("could not add to a child's report: %s", type(exc).__name__)
            send(dispatcher, filing.not_filed(draft.kind, draft.about_head, school))
            return retry
        try:
            await records_client().mark_filed(tracker.get_slot("filing_id"), tracker.sender_id, reference)
        except RecordsError as exc:
            logger.warning("added, but the draft could not be closed: %s", type(exc).__name__)
        send(dispatcher, filing.filed(draft, reference, school))
        return reset_events() + [SlotSet("filing_reference", reference)]


def notify_if_new_disclosure(record: Any) -> None:
    """A disclosure filed just now (not a repeated confirmation): tell the DSL."""
    if record.kind == filing.DISCLOSURE and not record.already_filed:
        notify_in_background(record.reference)


def notify_in_background(reference: str) -> None:
    """Tell the DSL a disclosure was filed (reference and link only), without
    delaying the reply; a failure is logged by the notifier, never raised."""
    loop = asyncio.get_running_loop()
    loop.run_in_executor(None, notify_new_disclosure, reference)


class ActionCancelFiling(ReplyAction):
    """Stop filing: nothing is filed, and the draft's answers are deleted."""

    def name(self) -> Text:
        return "action_cancel_filing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        draft_id = tracker.get_slot("filing_id")
        if isinstance(draft_id, str) and draft_id:
            try:
                await records_client().discard_draft(draft_id, tracker.sender_id)
            except RecordsError as exc:  # it expires on its own
                logger.warning("a cancelled draft could not be deleted now: %s", type(exc).__name__)
        return super().run(dispatcher, tracker, domain)

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        if tracker.get_slot("filing_kind") is None:  # nothing in progress
            return replies.stopped_asking()
        if filing.parse_filed_early(tracker.get_slot(filing.FILED_EARLY)):  # a child's report, already passed on
            return filing.cancelled_after_passing_on(tracker.get_slot("filing_kind"), school, bool(tracker.get_slot(ABOUT_HEAD)))
        return filing.cancelled()

    def events(self, tracker: Tracker) -> List[EventType]:
        return reset_events() + [ActiveLoop(None)]


class ActionAnswerDuringFiling(ReplyAction):
    """A question in the middle of filing: answer it; the form then asks its
    question again, with nothing lost."""

    def name(self) -> Text:
        return "action_answer_during_filing"

    def reply(self, tracker: Tracker, catalogue: Catalogue, school: SchoolProfile) -> replies.Reply:
        answer = replies.reply_for_intent(latest_intent(tracker), catalogue, school)
        return answer or replies.suggestions(catalogue, school, latest_ranking(tracker))
