"""Safety first (bot/triage.py): a child who may need help is heard,
whatever else the message says; adults asking about policy are not
mistaken for children."""
from __future__ import annotations

import pytest

from bot import triage


@pytest.mark.parametrize(
    "text, worry",
    [
        ("i feel scared", "feelings"),
        ("im really upset", "feelings"),
        ("i'm scared to go to school", "feelings"),
        ("this boy on a game keeps sending me horrible stuff and he knows my street", "danger"),
        ("someone keeps being mean to me online who do i tell", "bullying"),
        ("a girl from my old school keeps saying mean things to me", "bullying"),
        ("please can u tell miss for me", "help"),
        ("sir said i have to keep it secret", "secret"),
        ("a man on roblox asked me to send pics", "secret"),
        ("he wants to meet me after school", "danger"),
        ("i want to kill myself", "danger"),
        ("my mum doesnt know but someone keeps messaging me at night", "bullying"),
    ],
)
def test_a_child_in_trouble_is_heard(text, worry):
    assert triage.child_needs_help(text) == worry


@pytest.mark.parametrize(
    "text",
    [
        "my daughter is being bullied online",
        "I'm worried about a colleague",
        "I'm worried about the policy",
        "what should i do if a pupil adds me?",
        "some parents are being horrible to me on facebook",
        "can I friend an ex-pupil?",
        "who do i tell about my daughter's inhaler",
        "my son is scared to go to school",
        "what if a parent is rude to me",
    ],
)
def test_adults_are_not_taken_for_children(text):
    assert triage.child_needs_help(text) is None


def test_a_signed_in_role_decides_who_is_writing():
    assert triage.child_needs_help("they keep being mean to me", role="pupil") == "bullying"
    assert triage.child_needs_help("they keep being mean to me", role="staff") is None
    # a child in danger is heard whoever the token says they are
    assert triage.child_needs_help("i want to hurt myself", role="staff") == "danger"


def test_what_a_child_is_told(school):
    reply = triage.support_reply("bullying", school)
    text = reply.text
    for needed in ("did the right thing", "class teacher", "grown-up you trust", "999", "Childline", "0800 1111", school.dsl.name):
        assert needed in text, needed
    for never in ("not sure I understood", "not the school's responsibility", "LADO", "harassment", "designated"):
        assert never.lower() not in text.lower(), never
    assert reply.custom["policy_refs"][0] == "pupils.report-concerns"
    assert [b["payload"] for b in reply.buttons] == ["/affirm", "/deny"]


def test_a_childs_bullying_decision_never_says_it_is_not_the_schools_problem(school):
    reply = triage.child_decision_reply("cyberbullying", "not_school_responsibility", ("cyberbullying.ex-pupil",), school)
    assert "responsibility" not in reply.text.lower() and "police" not in reply.text.lower()
    assert "different school" in reply.text and "Childline" in reply.text
    assert reply.custom["decision"] == "not_school_responsibility"


def test_a_conversation_is_a_childs_when_any_message_reads_as_one():
    assert triage.conversation_is_child(["hi", "miss said i cant go on tiktok"])
    assert not triage.conversation_is_child(["Can staff use Facebook at lunchtime?"])
    assert triage.conversation_is_child(["Can staff use Facebook at lunchtime?"], role="pupil")
