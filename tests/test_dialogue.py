"""Slots to facts, what to ask next, and how a decision is said."""
from __future__ import annotations

import pytest

from bot import decisions as d
from bot import dialogue
from bot.replies import policy_answer


def test_contact_facts_from_slots():
    facts = dialogue.contact_facts({"contact_who": "ex_pupil", "age": "17", "contact_request": "pupil_initiated"})
    assert facts == d.ContactFacts(d.EX_PUPIL, 17, True)
    assert dialogue.contact_facts({"contact_who": "nonsense", "age": "abc"}) == d.ContactFacts()
    # "at the high school" (an other-school fact) is a young person who is not a pupil here
    assert dialogue.contact_facts({"contact_who": "other_school"}).relationship == d.NOT_A_PUPIL
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


@pytest.mark.parametrize("slot, intent", [("bullying_who", "ask_cyberbullying_responsibility"), ("contact_who", "ask_staff_pupil_contact")])
def test_first_who_question_gives_the_general_answer_with_citations(school, catalogue, slot, intent):
    first = dialogue.question(slot, school, first=True, catalogue=catalogue)
    topic = catalogue.topic(intent)
    assert first.policy_refs == list(topic.refs)
    assert first.text.startswith(policy_answer(catalogue, school, intent).text)
    assert first.text.endswith(dialogue.question(slot, school).text)
    assert first.buttons == dialogue.question(slot, school).buttons
    assert dialogue.question(slot, school, catalogue=catalogue).policy_refs == []


@pytest.mark.parametrize("slot, ref", [("age", "staff.no-ex-pupil-under-18"), ("platform", "cyberbullying.peers-out-of-school")])
def test_first_follow_up_question_says_the_rule_it_depends_on(school, slot, ref):
    assert dialogue.question(slot, school, first=True).policy_refs[0] == ref


def test_decision_reply_carries_the_contract(school):
    decision = dialogue.decide("cyberbullying", {"bullying_who": "current_pupil", "platform": "text message"}, school)
    reply = dialogue.decision_reply("cyberbullying", decision, school)
    assert reply.custom["decision"] == d.SCHOOL_MUST_INVESTIGATE
    assert reply.custom["policy_refs"] == list(decision.refs)
    assert decision.reason in reply.text and "LADO" in reply.text and school.dsl.name in reply.text


def test_unknown_topic_is_an_error(school):
    with pytest.raises(ValueError):
        dialogue.decide("weather", {}, school)


def test_police_numbers_come_from_the_school_profile(school):
    from dataclasses import replace

    other = replace(school, police_non_emergency="0300 123 4567")
    decision = dialogue.decide("cyberbullying", {"escalation": ["parents_refuse"]}, other)
    assert "0300 123 4567" in dialogue.decision_reply("cyberbullying", decision, other).text
