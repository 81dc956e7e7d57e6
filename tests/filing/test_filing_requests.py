"""Asking for something to be filed in the same words, and pupils among an
adult's contacts (bot/filing.py)."""
from __future__ import annotations

import pytest

from bot import filing


@pytest.mark.parametrize(
    "text",
    [
        "I want to report bullying. My son's in year 4 and kids from his class are being vile on whatsapp",
        "can i report it through here?",
        "One of the teachers keeps posting about the class. Please log it.",
        "As a governor I'd like to formally raise something",
        "im reporting a member of staff",
        "could you record this for me",
    ],
)
def test_a_request_to_file_in_the_same_message(text):
    assert filing.asks_to_file(text)


@pytest.mark.parametrize(
    "text",
    [
        "how do i report a concern?",
        "is it ok to report a teacher to the head?",
        "who do I report cyberbullying to",
        "/affirm",
    ],
)
def test_a_question_about_reporting_is_not_a_request(text):
    assert not filing.asks_to_file(text)


def test_pupils_among_an_adults_contacts_is_a_disclosure():
    assert filing.is_disclosure("i think a colleague has a load of year 6 kids on his snapchat")
    assert filing.is_disclosure("the new TA has three of our pupils as friends on her facebook")
    assert not filing.is_disclosure("the head has kids of her own")


def test_an_adult_at_the_school_is_named():
    assert filing.tells_of_adult_at_school("one of the teachers keeps posting about the naughty lot")
    assert filing.tells_of_adult_at_school("a colleague posts about work")
    assert not filing.tells_of_adult_at_school("my neighbour posts about her dog")
