"""Reply composition: texts agree with the catalogue and carry the contract."""
from __future__ import annotations

import re

import pytest

from bot import replies

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def test_every_topic_answer_resolves_and_cites_its_refs(catalogue, school):
    for intent, topic in catalogue.topics.items():
        reply = replies.policy_answer(catalogue, school, intent)
        assert reply is not None
        assert not PLACEHOLDER.search(reply.text), intent
        assert reply.policy_refs == list(topic.refs)
        assert reply.custom["topic"] == intent
        assert len(reply.text) < 1500, f"{intent} answer is too long for a chat reply"


def test_answers_name_people_from_the_school_profile(catalogue, school):
    text = replies.policy_answer(catalogue, school, "ask_report_working_day_use").text
    assert school.dsl.name in text
    text = replies.policy_answer(catalogue, school, "report_adult_concern").text
    assert school.chair_of_governors.name in text and "999" in text


def test_non_topic_intent_has_no_policy_answer(catalogue, school):
    assert replies.policy_answer(catalogue, school, "greet") is None
    assert replies.policy_answer(catalogue, school, "no_such_intent") is None


@pytest.mark.parametrize(
    "make",
    [
        lambda c, s: replies.out_of_scope(s),
        lambda c, s: replies.greeting(s),
        lambda c, s: replies.contacts(s),
        lambda c, s: replies.capabilities(c, s),
        lambda c, s: replies.unreadable_input("non_english", s),
        lambda c, s: replies.technical_problem(s),
    ],
)
def test_replies_that_do_not_rest_on_the_policy_carry_no_refs(catalogue, school, make):
    reply = make(catalogue, school)
    assert reply.text and reply.policy_refs == []


def test_out_of_scope_points_to_the_office(school):
    text = replies.out_of_scope(school).text
    assert school.office_phone in text and "Social Networking Policy" in text


def test_suggestions_offer_the_top_policy_topics_as_buttons(catalogue, school):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "ask_staff_pupil_contact", "confidence": 0.30},
        {"name": "greet", "confidence": 0.2},
        {"name": "ask_pupil_age_limit", "confidence": 0.10},
        {"name": "out_of_scope", "confidence": 0.05},
        {"name": "ask_mobile_phones", "confidence": 0.03},
        {"name": "ask_firewall_breach", "confidence": 0.01},
    ]
    reply = replies.suggestions(catalogue, school, ranking)
    assert [b["payload"] for b in reply.buttons] == [
        "/ask_staff_pupil_contact", "/ask_pupil_age_limit", "/ask_mobile_phones",
    ]
    assert reply.buttons[0]["title"] == catalogue.topic("ask_staff_pupil_contact").title
    assert school.dsl.name in reply.text
    assert reply.policy_refs == []


def test_suggestions_without_any_topic_ask_to_rephrase(catalogue, school):
    reply = replies.suggestions(catalogue, school, [{"name": "out_of_scope"}, None, {}])
    assert reply.buttons == [] and "another way" in reply.text


@pytest.mark.parametrize(
    "issue, phrase",
    [("message_too_long", "longer than I can read"), ("non_english", "English"), ("empty_message", "didn't receive")],
)
def test_unreadable_input_replies_are_polite_and_specific(school, issue, phrase):
    assert phrase in replies.unreadable_input(issue, school).text


def test_clause_texts_for_citations(catalogue):
    texts = dict(replies.clause_texts(catalogue, ["scope.applications", "terms.violation"]))
    assert "Blogs, for example Blogger" in texts["scope.applications"]
    assert texts["terms.violation"].startswith("Violation of this policy")


def test_reply_for_intent_covers_topics_and_conversation_replies(catalogue, school):
    assert replies.reply_for_intent("ask_mobile_phones", catalogue, school).policy_refs[0] == "pupils.mobile-phones"
    assert replies.reply_for_intent("greet", catalogue, school).text == replies.greeting(school).text
    assert replies.reply_for_intent("out_of_scope", catalogue, school).policy_refs == []
    assert replies.reply_for_intent("inform", catalogue, school) is None


def test_a_long_unsure_message_gets_its_likeliest_topic_said_so_and_the_others_offered(catalogue, school):
    text = ("Agency supply, covering a class for two weeks while their teacher is off. Does your social media "
            "policy apply to me given I'm not actually employed by the school? And what happens if someone breaks it?")
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_breach_consequences", "confidence": 0.29},
               {"name": "ask_out_of_work_conduct", "confidence": 0.22}, {"name": "ask_personal_use_at_work", "confidence": 0.2}]
    reply = replies.likeliest_answer(catalogue, school, text, ranking)
    topic = catalogue.topic("ask_breach_consequences")
    assert reply.policy_refs == list(topic.refs)
    assert topic.title.lower() in reply.text and "something else" in reply.text
    assert [b["payload"] for b in reply.buttons] == ["/ask_out_of_work_conduct", "/ask_personal_use_at_work"]


def test_a_short_or_out_of_scope_or_unlikely_reading_is_not_answered(catalogue, school):
    long_text = " ".join(["word"] * replies.LONG_MESSAGE_WORDS)
    ranking = [{"name": "ask_breach_consequences", "confidence": 0.29}]
    assert replies.likeliest_answer(catalogue, school, "what happens if someone breaks it?", ranking) is None
    assert replies.likeliest_answer(catalogue, school, long_text, [{"name": "out_of_scope", "confidence": 0.5}] + ranking) is None
    assert replies.likeliest_answer(catalogue, school, long_text, [{"name": "ask_breach_consequences", "confidence": 0.1}]) is None
    # a decision's topic is decided, not answered from here
    contact = [{"name": "ask_staff_pupil_contact", "confidence": 0.4}]
    assert replies.likeliest_answer(catalogue, school, long_text, contact, not_answered=["ask_staff_pupil_contact"]) is None
    assert replies.likeliest_answer(catalogue, school, long_text, ranking) is not None
