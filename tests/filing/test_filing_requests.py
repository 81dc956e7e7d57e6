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


@pytest.mark.parametrize(
    "text",
    [
        "it's about the head teacher herself. she's been liking my son's videos and sent him a message saying not to tell his mum",
        "the head teacher has loads of current pupils as friends on her personal facebook",
        "She says Mrs T, a Y5 TA, is friends with her son on Facebook and has been sending him messages",
    ],
)
def test_disclosures_told_the_way_people_tell_them(text):
    assert filing.is_disclosure(text)


@pytest.mark.parametrize(
    "text",
    ["the head teacher. she is lovely and my son likes her", "is it ok for a teacher to message pupils?",
     "my son sent his teacher a follow request"],
)
def test_not_disclosures(text):
    assert not filing.is_disclosure(text)


def test_passing_it_on_is_a_request_to_file():
    assert filing.asks_to_file("I said I'd pass it on properly")


def test_the_head_teacher_as_the_subject_of_what_is_reported(school):
    assert filing.concerns_head_teacher("the head teacher has loads of current pupils as friends on her personal facebook", school)
    assert filing.concerns_head_teacher("it's about the head teacher herself. she's been messaging my son", school)
    assert filing.concerns_head_teacher("I told the head teacher and nothing happened", school) is None


@pytest.mark.parametrize(
    "text",
    [
        "I'm a TA here and my own daughter is in Year 5. She wants to add me on her kids' chat app. Is that a problem?",
        "Im one of the dinner ladies. My granddaughter is in Year 3 and she sends me voice notes off her mums phone",
        "as a teacher, my nephew keeps messaging me on whatsapp, is that ok?",
    ],
)
def test_the_writer_naming_their_own_job_is_not_telling_of_another_adult(text):
    assert not filing.is_disclosure(text)


def test_another_adult_after_the_writers_own_job_is_still_heard():
    assert filing.is_disclosure("I'm a TA and the new teacher has been messaging one of the year 6 girls on snapchat")
    assert filing.is_disclosure("im a parent and the PE teacher keeps messaging my daughter late at night")


@pytest.mark.parametrize(
    "text",
    [
        "i need to put it in writing to the head that my nephew is in year 5 here",
        "i'd like to get that on record with the head so it's all above board",
        "my niece has just joined year 3. can I do that through here?",
    ],
)
def test_asking_for_a_written_record_is_asking_to_file(text):
    assert filing.asks_to_file(text)


def test_a_pronoun_after_someone_else_is_named_is_not_the_adult():
    text = ("mrs example spoke to the other boy's parents weeks ago and they told her to mind her own business. "
            "he is STILL messaging my son every night")
    assert not filing.is_disclosure(text)
    assert filing.is_disclosure("miss jones is lovely but she keeps messaging my daughter on snapchat at night")


def test_the_writers_own_relative_on_the_staff_is_a_family_link_not_a_disclosure():
    assert not filing.is_disclosure("my uncle is mr hughes he teches year 6 at are school and he sed he will add me on snapchat")
    assert filing.is_disclosure("my mum says mr hughes keeps messaging me on snapchat")


def test_the_childs_teacher_is_not_the_filers_role():
    assert filing.parse_filer_role("can this be logged properly please, not just a quick word with her teacher") is None
    assert filing.parse_filer_role("I'm a TA") == "staff"


def test_wanting_to_make_a_proper_report_is_asking_to_file():
    assert filing.asks_to_file("i want to make a proper report about bullying please")
    assert filing.asks_to_file("we'd like to lodge a formal complaint")


def test_the_writers_own_child_between_the_adult_and_the_pronoun_is_not_someone_else():
    assert filing.is_disclosure("The teacher of my son, Mr Fenwick, he send friend request to my son on the instagram. Who I tell?")


def test_asking_us_to_put_it_in_writing_is_asking_to_file():
    assert filing.asks_to_file("Can you put something in writing to the head for me? My nephew has just started in year 3")


def test_what_the_head_did_about_it_is_not_a_disclosure():
    assert not filing.is_disclosure("ive been in to see the head twice now. she rang the boys dad and he told her to mind her own business")


def test_an_adult_in_brackets_is_still_heard():
    assert filing.is_disclosure("ive noticed a colleague (another teacher) follows quite a few of our year 6 pupils on instagram")


def test_an_adult_described_by_what_they_do_at_school_is_heard():
    assert filing.is_disclosure("the man who helps in the library got my number and messages me on whatsapp")
    assert not filing.is_disclosure("the man who fixed our boiler is nice")


def test_someone_told_to_tell_the_head_asking_us_to_do_it():
    assert filing.asks_to_file("my cousins little girl just started in y3. someone said i have to tell the head?? can u do that for me")


@pytest.mark.parametrize("text", [
    "miss dawes who does lunch club added me on insta in the holidays",
    "a parent says the head teacher has been accepting friend requests from Year 6 pupils on Facebook",
    "the coach who runs football club messages the boys on snapchat",
    "the guitar teacher who comes in on wednesdays keeps sending me messages on instagram",
])
def test_what_an_adult_does_after_who_they_are(text):
    assert filing.is_disclosure(text)


def test_saying_who_an_adult_is_is_not_a_disclosure():
    assert not filing.is_disclosure("mr jones who teaches year 5 is really nice")
    assert not filing.is_disclosure("the guitar teacher who comes in on wednesdays is really nice")
    assert not filing.is_disclosure("is it ok to accept friend requests from ex pupils?")


def test_the_writers_own_job_is_no_adult_at_the_school_to_tell_of():
    assert not filing.tells_of_adult_at_school("I'm a TA and some kids in my class are being vile to each other, please log it")
    assert filing.tells_of_adult_at_school("I'm a TA and the new teacher keeps posting about the class, please log it")


@pytest.mark.parametrize("text, role", [
    ("Hiya, coach from Premier Kickers (we're contracted in, not school staff). Can you log a proposal?", "other"),
    ("sports coach from an outside company", "other"),
    ("I am not staff, I am a parent of a boy in year 4", "parent"),
    ("I'm the SBM. I was sorting the phone contracts", "staff"),
    ("im the site manager here", "staff"),
])
def test_who_is_filing_from_what_they_say_they_do(text, role):
    assert filing.role_said(text) == role


def test_an_adult_who_has_a_child_as_a_friend_is_a_disclosure():
    assert filing.is_disclosure("one of the teaching assistants has got my daughter as a friend on facebook and keeps liking her pictures")
    assert not filing.is_disclosure("my son has got his teacher as a friend")  # no adult at the school doing it
