"""Between the dialogue's slots and the decision engines: which facts the
conversation holds, which one to ask for next, how to ask, and how to say the
decision. Pure Python; the Rasa actions in actions/decisions.py call it.

Slots (see domain.yml) are filled from the spaCy facts of every message:
- contact_who: current_pupil | ex_pupil | family | friends_child
- bullying_who: current_pupil | ex_pupil | other_school
- age, platform, year_group, escalation (list), contact_request
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from bot import decisions as d
from bot.nlp.facts import normalise_age
from bot.policy import Catalogue
from bot.replies import Reply, fill, policy_answer
from bot.school import SchoolProfile

CONTACT = "contact"
CYBERBULLYING = "cyberbullying"

# The intent that asks each decision's question (and opens its form).
TOPIC_INTENTS = {CONTACT: "ask_staff_pupil_contact", CYBERBULLYING: "ask_cyberbullying_responsibility"}
TOPIC_FOR_INTENT = {intent: topic for topic, intent in TOPIC_INTENTS.items()}

CONTACT_SLOTS = ("contact_who", "age", "contact_request")
BULLYING_SLOTS = ("bullying_who", "platform", "year_group", "age", "escalation")

# engine fact name -> slot that holds it
SLOT_FOR_FACT = {
    "relationship": "contact_who",
    "age": "age",
    "others_at_school": "bullying_who",
    "platform": "platform",
}

#: The values the contact_who slot may hold (domain.yml).
CONTACT_WHO_VALUES = frozenset({"current_pupil", "ex_pupil", "family", "friends_child", "not_a_pupil"})
#: The values the bullying_who slot may hold (domain.yml).
BULLYING_WHO_VALUES = frozenset({"current_pupil", "ex_pupil", "other_school"})

UNDER_18 = "under_18"
ADULT_BAND = "18_or_over"


def parse_age(value: Any) -> Optional[int]:
    """An age slot value ("16", 16.0, "sixteen") as whole years, if plausible."""
    if value is None or value in (UNDER_18, ADULT_BAND):
        return None
    if isinstance(value, (int, float)):
        age = int(value)
    else:
        age = normalise_age(str(value))
    return age if age is not None and 0 < age <= 120 else None


def _text(slots: Mapping[str, Any], name: str) -> Optional[str]:
    """A slot's value when it is text; anything else (a list, a number, a
    dict from a crafted message) counts as not given."""
    value = slots.get(name)
    return value if isinstance(value, str) else None


def contact_facts(slots: Mapping[str, Any]) -> d.ContactFacts:
    who = _text(slots, "contact_who")
    if who == "other_school":  # "at the high school": a young person who is not a pupil here
        who = d.NOT_A_PUPIL
    age_value = slots.get("age")
    band = {UNDER_18: False, ADULT_BAND: True}.get(age_value) if isinstance(age_value, str) else None
    return d.ContactFacts(
        relationship=who if who in d.RELATIONSHIPS else None,
        age=parse_age(age_value),
        pupil_initiated=bool(slots.get("contact_request")),
        adult=band,
    )


def _escalations(slots: Mapping[str, Any]) -> List[str]:
    value = slots.get("escalation") or []
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, (list, tuple)) else []


def bullying_facts(slots: Mapping[str, Any], school: SchoolProfile) -> d.BullyingFacts:
    who = _text(slots, "bullying_who")
    others_at_school = {"current_pupil": True, "ex_pupil": False, "other_school": False}.get(who)
    youngest = parse_age(slots.get("age"))
    year = _text(slots, "year_group")
    if youngest is None and year and str(year).isdigit():
        group = school.year_group(int(year))
        youngest = group.min_age if group else int(year) + 4  # England: Year N is age N+4
    escalation = _escalations(slots)
    return d.BullyingFacts(
        others_at_school=others_at_school,
        platform=_text(slots, "platform"),
        youngest_age=youngest,
        warned_before="warned_before" in escalation,
        parents_refuse="parents_refuse" in escalation,
    )


# Entities that, in a message read only as facts ("inform") with no decision
# in progress, say which question it is: a relative or a friend request is
# about contact; an escalation (warned before, parents refusing) is bullying.
TOPIC_FOR_ENTITY = {"relationship": CONTACT, "contact_request": CONTACT, "escalation": CYBERBULLYING}


def topic_from_entities(entities: List[Mapping[str, Any]]) -> Optional[str]:
    """The decision a message of facts is about, when its entities say so
    unambiguously; None otherwise."""
    topics = {TOPIC_FOR_ENTITY[e.get("entity")] for e in entities if e.get("entity") in TOPIC_FOR_ENTITY}
    return topics.pop() if len(topics) == 1 else None


def decide(topic: str, slots: Mapping[str, Any], school: SchoolProfile) -> d.Decision:
    if topic == CONTACT:
        return d.decide_contact(contact_facts(slots))
    if topic == CYBERBULLYING:
        return d.decide_cyberbullying(bullying_facts(slots, school), school)
    raise ValueError(f"unknown decision topic {topic!r}")


def missing_slots(topic: str, slots: Mapping[str, Any], school: SchoolProfile) -> List[str]:
    """The slot to ask for next (at most one), or [] when a decision is possible."""
    return [SLOT_FOR_FACT[fact] for fact in decide(topic, slots, school).missing]


# --- questions -------------------------------------------------------------------


def _inform(title: str, entity: str, value: str) -> Dict[str, str]:
    return {"title": title, "payload": f'/inform{{"{entity}": "{value}"}}'}


# What the first question of a form says before asking, so that a general
# question ("is text bullying covered?") is answered, with its citations,
# even before the facts are in.
WHO_SLOT_TOPIC = {"contact_who": CONTACT, "bullying_who": CYBERBULLYING}
PREFACES = {
    "age": (
        "No member of staff should interact on social networking sites with an ex-pupil "
        "who is under 18.",
        ["staff.no-ex-pupil-under-18", "terms.no-pupil-friends"],
    ),
    "platform": (
        "As they attend the school, the school has a duty of care to investigate and to "
        "work with the families, even when it happens outside school.",
        ["cyberbullying.peers-out-of-school", "cyberbullying.duty-to-investigate"],
    ),
}


def _preface(slot: str, school: SchoolProfile, catalogue: Optional[Catalogue]) -> Optional[Reply]:
    if slot in WHO_SLOT_TOPIC and catalogue is not None:
        return policy_answer(catalogue, school, TOPIC_INTENTS[WHO_SLOT_TOPIC[slot]])
    if slot in PREFACES:
        text, refs = PREFACES[slot]
        return Reply(text=text, custom={"policy_refs": list(refs)})
    return None


#: The check asked when the young person is known from somewhere else.
CHECK_PUPIL_HERE = "Just to check: is this young person a pupil at {school}, or have they ever been one?"


def question(
    slot: str, school: SchoolProfile, first: bool = False, catalogue: Optional[Catalogue] = None, check: bool = False
) -> Reply:
    """How to ask for a missing fact: text plus answer buttons (free text
    answers work too). The first question of a conversation also says what
    the policy says in general, with its citations. `check`: the person has
    said where they know the young person from ("a girl from my netball
    club"), so whether they are a pupil here is checked, not assumed."""
    if slot == "contact_who" and check:
        ask = Reply(
            text=CHECK_PUPIL_HERE.format(school=school.name),
            buttons=[
                _inform("No, never a pupil here", "relationship", "not_a_pupil"),
                _inform("Yes, a pupil here now", "other_party", "current_pupil"),
                _inform("They used to be", "other_party", "ex_pupil"),
                _inform("A relative of mine", "relationship", "family"),
            ],
        )
    elif slot == "contact_who":
        ask = Reply(
            text=(
                "Who is the young person: a current pupil, an ex-pupil (someone who has "
                "left the school), or a relative of yours who is a pupil here?"
            ),
            buttons=[
                _inform("A current pupil", "other_party", "current_pupil"),
                _inform("An ex-pupil", "other_party", "ex_pupil"),
                _inform("A relative of mine", "relationship", "family"),
                _inform("A friend's or neighbour's child", "relationship", "friends_child"),
            ],
        )
    elif slot == "age":
        ask = Reply(
            text="How old are they now? (Their age today counts, not their age next month.)",
            buttons=[_inform("Under 18", "age", UNDER_18), _inform("18 or over", "age", ADULT_BAND)],
        )
    elif slot == "bullying_who":
        ask = Reply(
            text=(
                "To tell you whose responsibility it is, I need to know who is doing it. "
                f"Do they attend {school.name}, or are they at another school?"
            ),
            buttons=[
                _inform("Pupils at this school", "other_party", "current_pupil"),
                _inform("Someone who has left this school", "other_party", "ex_pupil"),
                _inform("A child at another school", "other_party", "other_school"),
            ],
        )
    elif slot == "platform":
        ask = Reply(
            text="Where is it happening: which app, site or game, or is it by text or phone?",
            buttons=[
                _inform(name, "platform", name)
                for name in ("Facebook", "Instagram", "Snapchat", "TikTok", "WhatsApp")
            ]
            + [
                _inform("Texts or phone calls", "platform", "text message"),
                _inform("An online game", "platform", "online game"),
            ],
        )
    else:
        raise ValueError(f"no question for slot {slot!r}")
    preface = _preface(slot, school, catalogue) if first else None
    if preface is None:
        return ask
    return Reply(text=preface.text + "\n\n" + ask.text, buttons=ask.buttons, custom=preface.custom)


# --- decisions ---------------------------------------------------------------------

REPORT_IT = (
    "Next step: report it to the class teacher, in confidence, or contact {dsl}. "
    "Keep screenshots of the messages."
)
NEXT_STEPS = {
    d.PERMITTED_DECLARE: "Next step: write to {head_teacher} naming the young person and your link to them.",
    d.NOT_SCHOOL_RESPONSIBILITY: (
        "Next step: tell the class teacher or {dsl} so the school can decide whether to "
        "contact the other school. Keep screenshots of the messages."
    ),
    d.SCHOOL_MUST_INVESTIGATE: REPORT_IT,
    d.SCHOOL_MUST_INVESTIGATE_AND_WARN: REPORT_IT,
    d.SCHOOL_MAY_LIMIT: "Next step: tell the class teacher about any bullying happening in school.",
    d.REFER_TO_POLICE: (
        "Next step: tell {dsl}. You can also report harassment to the police on "
        "{police_non_emergency}, or {police_emergency} in an emergency."
    ),
}
ADULT_CONCERN = (
    "If you are worried about how an adult at the school is behaving towards a child "
    "online, tell {head_teacher}: it will be recorded and referred to the LADO. If a "
    "child is in immediate danger, call 999."
)
WHAT_IF = "If any of this is different, tell me (for example \"what if they were 19?\") and I'll check again."


def decision_reply(topic: str, decision: d.Decision, school: SchoolProfile) -> Reply:
    parts = [decision.reason]
    step = NEXT_STEPS.get(decision.outcome or "")
    if step:
        parts.append(fill(step, school))
    if topic == CYBERBULLYING:
        parts.append(fill(ADULT_CONCERN, school))
    parts.append(WHAT_IF)
    return Reply(
        text="\n\n".join(parts),
        custom={
            "decision": decision.outcome,
            "policy_refs": list(decision.refs),
            "reason": decision.reason,
            "topic": topic,
        },
    )
