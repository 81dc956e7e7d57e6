"""Slots to facts, what to ask next, and how a decision is said."""
from __future__ import annotations

import pytest

from bot import decisions as d
from bot import dialogue


def test_contact_facts_from_slots():
    facts = dialogue.contact_facts({"contact_who": "ex_pupil", "age": "17", "contact_request": "pupil_initiated"})
    assert facts == d.ContactFacts(d.EX_PUPIL, 17, True)
    assert dialogue.contact_facts({"contact_who": "other_school", "age": "abc"}) == d.ContactFacts()
    assert dialogue.contact_facts({"contact_who": "ex_pupil", "age": dialogue.UNDER_18}).adult is False
    assert dialogue.contact_facts({"age": 19.0}).age == 19


def test_bullying_facts_from_slots(school):
    facts = dialogue.bullying_facts(
        {"bullying_who": "current_pupil", "platform": "Facebook", "year_group": "5", "escalation": ["parents_refuse"]},
        school,
    )
    assert facts == d.BullyingFacts(True, "Facebook", 9, False, True)
    assert dialogue.bullying_facts({"bullying_who": "ex_pupil"}, school).others_at_school is False
    assert dialogue.bullying_facts({"year_group": "9"}, school).youngest_age == 13  # not this school: England ages
    assert dialogue.bullying_facts({"escalation": "warned_before"}, school).warned_before


@pytest.mark.parametrize(
    "topic, slots, missing",
    [
        ("contact", {}, ["contact_who"]),
        ("contact", {"contact_who": "ex_pupil"}, ["age"]),
        ("contact", {"contact_who": "ex_pupil", "age": "16"}, []),
        ("contact", {"contact_who": "family"}, []),
        ("cyberbullying", {}, ["bullying_who"]),
        ("cyberbullying", {"bullying_who": "current_pupil"}, ["platform"]),
        ("cyberbullying", {"bullying_who": "other_school"}, []),
        ("cyberbullying", {"escalation": ["parents_refuse"]}, []),
    ],
)
def test_missing_slots_come_from_the_engine(school, topic, slots, missing):
    assert dialogue.missing_slots(topic, slots, school) == missing


def test_questions_offer_buttons_that_set_the_fact(school):
    for slot in ("contact_who", "age", "bullying_who", "platform"):
        reply = dialogue.question(slot, school)
        assert reply.text.endswith("?") or "?" in reply.text
        assert reply.buttons and all(b["payload"].startswith("/inform{") for b in reply.buttons)
    assert school.name in dialogue.question("bullying_who", school).text


def test_first_bullying_question_explains_the_process_with_citations(school):
    first = dialogue.question("bullying_who", school, first=True)
    assert "zero tolerance" in first.text and "cyberbullying.duty-to-investigate" in first.policy_refs
    assert dialogue.question("bullying_who", school).policy_refs == []


def test_decision_reply_carries_the_contract(school):
    decision = dialogue.decide("cyberbullying", {"bullying_who": "current_pupil", "platform": "text message"}, school)
    reply = dialogue.decision_reply("cyberbullying", decision, school)
    assert reply.custom["decision"] == d.SCHOOL_MUST_INVESTIGATE
    assert reply.custom["policy_refs"] == list(decision.refs)
    assert decision.reason in reply.text and "LADO" in reply.text and school.dsl.name in reply.text


def test_unknown_topic_is_an_error(school):
    with pytest.raises(ValueError):
        dialogue.decide("weather", {}, school)
