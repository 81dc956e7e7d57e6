"""What the assistant says: composed from the policy catalogue and the school
profile, never from strings scattered through the Rasa domain.

Each function returns a `Reply`, which the Rasa actions hand to the
dispatcher unchanged. `custom` follows the answer contract in
../shared/eval/README.md: `policy_refs` on every answer resting on the policy,
nothing on out-of-scope replies.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from bot.policy import Catalogue, Topic
from bot.school import SchoolProfile
from bot.text_guard import MAX_MESSAGE_CHARS, MESSAGE_TOO_LONG, NON_ENGLISH

# Buttons offered by the help reply: the questions people most often bring.
HELP_TOPICS = (
    "ask_staff_pupil_contact",
    "ask_cyberbullying_responsibility",
    "ask_pupil_age_limit",
    "ask_mentioning_school",
    "report_adult_concern",
)


@dataclass
class Reply:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    custom: Optional[Dict[str, Any]] = None

    @property
    def policy_refs(self) -> List[str]:
        return list((self.custom or {}).get("policy_refs", []))


def button(title: str, intent: str) -> Dict[str, str]:
    return {"title": title, "payload": f"/{intent}"}


def fill(template: str, school: SchoolProfile) -> str:
    return template.format_map(school.placeholders())


def policy_answer(
    catalogue: Catalogue, school: SchoolProfile, intent: str, with_next_step: bool = True
) -> Optional[Reply]:
    """The answer for a policy topic, or None if `intent` is not one. Without
    its next step when the assistant is about to take that step itself."""
    topic = catalogue.topic(intent)
    if topic is None:
        return None
    text = fill(topic.answer, school)
    if topic.next_step and with_next_step:
        text += "\n\n" + fill(topic.next_step, school)
    custom: Dict[str, Any] = {"topic": topic.intent}
    if topic.refs:
        custom["policy_refs"] = list(topic.refs)
    return Reply(text=text, custom=custom)


def pupil_rules(catalogue: Catalogue, school: SchoolProfile) -> Optional[Reply]:
    """The pupils' rules in words for a child: for a child whose question
    has an answer that speaks to staff ("if i make a tiktok at home will i
    get in trouble at school" is not a question about their employer)."""
    rules = catalogue.pupil_rules
    if rules is None:
        return None
    text = fill(rules.answer, school) + ("\n\n" + fill(rules.next_step, school) if rules.next_step else "")
    return Reply(text=text, custom={"topic": rules.intent, "policy_refs": list(rules.refs)})


def greeting(school: SchoolProfile) -> Reply:
    return Reply(
        text=(
            f"Hello! I can answer questions about {school.name}'s Social Networking "
            "Policy: contact between staff and pupils, cyberbullying, what staff can "
            "post, pupils and social media, and reporting a concern. What would you "
            "like to know?"
        )
    )


def capabilities(catalogue: Catalogue, school: SchoolProfile) -> Reply:
    buttons = [
        button(catalogue.topics[i].title, i) for i in HELP_TOPICS if i in catalogue.topics
    ]
    return Reply(
        text=(
            "I'm an automated assistant that answers questions about "
            f"{school.name}'s Social Networking Policy, and tells you which part of "
            "the policy each answer comes from. You can ask things like \"Can I "
            "accept a friend request from an ex-pupil?\", \"My child is being bullied "
            "online, what happens now?\" or \"Can my 9-year-old have Instagram?\". "
            f"For anything urgent about a child's safety, contact {school.dsl.name} "
            f"({school.dsl.contact}), or call 999 if a child is in immediate danger."
        ),
        buttons=buttons,
    )


def contacts(school: SchoolProfile) -> Reply:
    """Who to talk to: the school profile's people, no policy citation."""
    return Reply(
        text=(
            f"The named child protection person (designated safeguarding lead) is "
            f"{school.dsl.name}: {school.dsl.contact}. The head teacher is "
            f"{school.head_teacher.name}: {school.head_teacher.contact}. For a concern "
            f"about the head teacher, contact the chair of governors, "
            f"{school.chair_of_governors.name}: {school.chair_of_governors.contact}. "
            f"The school office is on {school.office_phone}. If a child is in "
            "immediate danger, call 999."
        )
    )


def out_of_scope(school: SchoolProfile) -> Reply:
    return Reply(
        text=(
            "Sorry, I can only help with the school's Social Networking Policy "
            "(social media, online contact, cyberbullying and reporting concerns). "
            f"For other questions, please contact the school office on "
            f"{school.office_phone} or {school.office_email}."
        )
    )


def out_of_scope_for_a_child(school: SchoolProfile, poorly: bool = False) -> Reply:
    """`out_of_scope` in a child's words: who at school helps with it. No
    policy_refs: the policy does not answer it."""
    if poorly:
        text = ("I'm sorry you're not feeling well. Please tell your teacher or another grown-up at school now: "
                "they will look after you, and they can ring home.")
    else:
        text = ("I can only help with staying safe online and with people being unkind. For this one, please ask "
                "your teacher or another grown-up at school: they will help you.")
    return Reply(text=text)


def suggestions(
    catalogue: Catalogue,
    school: SchoolProfile,
    ranking: Iterable[Dict[str, Any]],
    limit: int = 3,
) -> Reply:
    """"Did you mean…" for a message the assistant is not sure about."""
    seen: List[Topic] = []
    for entry in ranking:
        topic = catalogue.topic((entry or {}).get("name") or "")  # only policy topics
        if topic and topic not in seen:
            seen.append(topic)
        if len(seen) == limit:
            break
    contact = f"{school.dsl.name} ({school.dsl.contact})"
    if not seen:
        return Reply(
            text=(
                "Sorry, I'm not sure I understood. Could you put it another way? I "
                "answer questions about the school's Social Networking Policy. If it's "
                f"about a child's safety, please contact {contact}."
            )
        )
    return Reply(
        text=(
            "Sorry, I'm not sure I understood. Did you mean one of these? If not, "
            f"try putting it another way, or contact {contact}."
        ),
        buttons=[button(t.title, t.intent) for t in seen],
    )


#: A message this long that the classifier is unsure of is usually a story
#: with a question in it, not a sentence it cannot read: its likeliest topic
#: is answered (saying so), with the next ones offered.
LONG_MESSAGE_WORDS = 20
#: ... when that topic is at least this likely (and a policy topic).
LONG_MESSAGE_MIN_CONFIDENCE = 0.15


def likeliest_answer(
    catalogue: Catalogue,
    school: SchoolProfile,
    text: str,
    ranking: Iterable[Dict[str, Any]],
    not_answered: Iterable[str] = (),
) -> Optional[Reply]:
    """For a long message the classifier is unsure of: the answer for its
    likeliest topic, said to be what the assistant took it to be about, with
    the next likeliest topics offered as buttons. None for a short message,
    or when the likeliest reading is not a policy topic this can answer (out
    of scope, a greeting, a decision: `not_answered`)."""
    if len(text.split()) < LONG_MESSAGE_WORDS:
        return None
    entries = [e for e in ranking if (e or {}).get("name") not in (None, "nlu_fallback")]
    if not entries:
        return None
    first = entries[0]
    skip = set(not_answered)
    topic = catalogue.topic(first.get("name") or "")
    if topic is None or topic.intent in skip or float(first.get("confidence") or 0) < LONG_MESSAGE_MIN_CONFIDENCE:
        return None
    answer = policy_answer(catalogue, school, topic.intent)
    if answer is None:
        return None
    others: List[Topic] = []
    for entry in entries[1:]:
        other = catalogue.topic(entry.get("name") or "")
        if other and other is not topic and other.intent not in skip and other not in others:
            others.append(other)
        if len(others) == 2:
            break
    text_out = f"There is a lot in your message: I have taken your question to be about {topic.title.lower()}.\n\n{answer.text}"
    if others:
        text_out += "\n\nIf you meant something else, choose one of these, or put the question on its own."
    return Reply(text=text_out, buttons=[button(t.title, t.intent) for t in others], custom=answer.custom)


def unreadable_input(issue: str, school: SchoolProfile) -> Reply:
    """A polite reply for input the assistant cannot read."""
    if issue == MESSAGE_TOO_LONG:
        text = (
            f"That message is longer than I can read (over {MAX_MESSAGE_CHARS:,} "
            "characters). Could you ask your question in a sentence or two?"
        )
    elif issue == NON_ENGLISH:
        text = (
            "Sorry, I can only understand English at the moment. Please ask in "
            f"English, or contact the school office on {school.office_phone}, who "
            "can help arrange support."
        )
    else:
        text = "I didn't receive a question. What would you like to know about the policy?"
    return Reply(text=text)


def reply_for_intent(intent: str, catalogue: Catalogue, school: SchoolProfile) -> Optional[Reply]:
    """The single reply an intent gets on its own: a policy answer, or one of
    the conversation replies; None for intents that need more context."""
    answer = policy_answer(catalogue, school, intent)
    if answer is not None:
        return answer
    compose = {
        "greet": lambda: greeting(school),
        "ask_capabilities": lambda: capabilities(catalogue, school),
        "ask_who_to_contact": lambda: contacts(school),
        "out_of_scope": lambda: out_of_scope(school),
    }.get(intent)
    return compose() if compose else None


def stopped_asking() -> Reply:
    return Reply(text="OK, I'll leave that there. Is there anything else you'd like to know about the policy?")


def starting_again() -> Reply:
    return Reply(text="OK, let's start again. What would you like to know about the Social Networking Policy?")


def technical_problem(school: SchoolProfile) -> Reply:
    return Reply(
        text=(
            "Sorry, something went wrong on my side and I can't answer that just now. "
            f"Please try again in a moment, or contact {school.dsl.name} "
            f"({school.dsl.contact})."
        )
    )


def clause_texts(catalogue: Catalogue, refs: Sequence[str]) -> List[Tuple[str, str]]:
    """(id, verbatim text) for each cited clause, for clients that show them."""
    return [(ref, catalogue.clause(ref).full_text) for ref in refs]


#: A child's unclear message is answered with the closest topic when it is at
#: least this likely (children are never told "not sure I understood").
CHILD_GUESS = 0.25


def for_a_child_unsure(
    catalogue: Catalogue, school: SchoolProfile, ranking: Iterable[Dict[str, Any]], childline: str
) -> Optional[Reply]:
    """A child's message the assistant is not sure about, but whose closest
    topic is likely enough: that answer, then the other topics and who helps.
    None when no topic is likely enough (the child is answered as a child who
    may need help instead)."""
    entries = [e for e in ranking if isinstance(e, dict) and e.get("name") != "nlu_fallback"]
    topics = [(catalogue.topic(e.get("name") or ""), float(e.get("confidence") or 0.0)) for e in entries]
    # (an answer that speaks to staff is the pupils' rules for a child)
    rules = catalogue.pupil_rules
    topics = [((rules if t.for_staff and rules is not None else t), c) for t, c in topics if t is not None]
    leader = max((float(e.get("confidence") or 0.0) for e in entries), default=0.0)
    if not topics or topics[0][1] < max(CHILD_GUESS, leader - 0.1):
        return None  # nothing likely enough, or something else (out of scope, say) far likelier
    best = pupil_rules(catalogue, school) if topics[0][0] is rules else policy_answer(catalogue, school, topics[0][0].intent)
    if best is None:
        return None
    others = []
    for topic, _ in topics[1:]:
        if topic not in others and topic is not topics[0][0] and topic is not rules:
            others.append(topic)
        if len(others) == 2:
            break
    best.text += (
        "\n\nIf you meant something else, try one of these. If something is worrying you, tell your class "
        f"teacher or a grown-up you trust. Childline is free, any time, on {childline}."
    )
    best.buttons = [button(t.title, t.intent) for t in others]
    return best


def choices_for_a_child(buttons: List[Dict[str, str]], childline: str) -> Reply:
    """"Did you mean…" in words for a child (or anyone writing as one): no
    "not sure I understood", and who helps if something is wrong."""
    return Reply(
        text=(
            "I want to get this right for you. Is it about one of these? If something is worrying you, tell your "
            f"class teacher or a grown-up you trust. Childline is free, any time, on {childline}."
        ),
        buttons=list(buttons or []),
    )
