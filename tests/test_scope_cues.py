"""Questions in the policy's words but not on its subject."""
from __future__ import annotations

import pytest

from bot.nlp.scope_cues import device_how_to, medical_need, outside_the_policy


@pytest.mark.parametrize("text", [
    "how do i set up the parental controls on a games console so my son cant chat to strangers? ive looked everywhere",
    "how can I turn off location sharing on my daughter's phone",
    "where do i find the privacy settings on tiktok",
    "can't work out how to switch on screen time limits on the ipad",
    "how do we turn on two-step login on instagram",
])
def test_how_to_work_a_device_or_an_apps_settings_is_outside_the_policy(text):
    assert device_how_to(text) and outside_the_policy(text)


@pytest.mark.parametrize("text", [
    # something has happened, or someone at school is in it: the policy's subject
    "how do i block the kids who are bullying my son on whatsapp? he's in year 5",
    "a man asked her for pictures, how do i change her settings and who do i tell",
    "how do i stop a teacher seeing my posts",
    # no device workings in it
    "how do I report a concern about a member of staff?",
    "how do i find out whether my son is allowed tiktok",
    "can staff change their profile picture to the school logo",
])
def test_questions_the_policy_does_cover_are_not(text):
    assert not device_how_to(text)


def test_a_medical_need_is_outside_unless_something_online_is_in_it():
    assert medical_need("does his inhaler go to the office like the phones do?")
    assert not medical_need("kids are posting about her eczema on tiktok")
    assert not outside_the_policy("")


def _ranking(*names):
    first, *rest = names
    return [{"name": first, "confidence": 0.6}, *({"name": n, "confidence": 0.3 / len(rest)} for n in rest)]


@pytest.mark.parametrize("text", [
    "one of our TAs posted the nativity rehearsal on her tiktok before the parents had seen it, what does the policy say",
    "Mr Khan shared the sports day results on his facebook page, is he allowed",
    "is it ok for me to put the year 6 leavers assembly on my instagram story",
])
def test_staff_posting_about_school_is_the_policys_even_when_read_as_out_of_scope(text):
    from bot.nlp.scope_cues import staff_posting_intent
    assert staff_posting_intent(text, _ranking("out_of_scope", "ask_disclosure_process", "ask_mentioning_school")) == "ask_mentioning_school"


@pytest.mark.parametrize("text, ranking", [
    # nobody at the school posting
    ("my ex keeps posting photos of our son on facebook, can i make her take them down", _ranking("out_of_scope", "ask_mentioning_school")),
    # posting, but no online place
    ("can teachers share the SATs results with parents before the summer", _ranking("out_of_scope", "ask_mentioning_school")),
    # a device's settings
    ("how do i change the privacy settings on facebook so only friends see what i post", _ranking("out_of_scope", "ask_mentioning_school")),
    # sure it is outside, or no posting topic ranked, or not read as outside at all
    ("a teacher posted the school play on facebook", [{"name": "out_of_scope", "confidence": 0.95}, {"name": "ask_mentioning_school", "confidence": 0.05}]),
    ("a teacher posted the school play on facebook", _ranking("out_of_scope", "ask_term_dates")),
    ("a teacher posted the school play on facebook", _ranking("ask_out_of_work_conduct", "ask_mentioning_school")),
])
def test_the_posting_cue_leaves_everything_else_alone(text, ranking):
    from bot.nlp.scope_cues import staff_posting_intent
    assert staff_posting_intent(text, ranking) is None


@pytest.mark.parametrize("text", [
    "if one of our TAs had a moan on her own facebook about the new head, could she get in trouble for it?",
    "say a colleague posted a rant on twitter about ofsted on his own account, is he covered by free speech?",
    "a dad has posted on the village facebook page slagging off my colleague. can i reply and put the record straight?",
])
def test_someones_own_posting_and_what_comes_of_it_is_not_the_disclosure_process(text):
    from bot.nlp.scope_cues import own_posting_intent
    ranking = _ranking("ask_disclosure_process", "ask_out_of_work_conduct", "ask_staff_suspension")
    assert own_posting_intent(text, ranking) == "ask_out_of_work_conduct"


@pytest.mark.parametrize("text, top", [
    # a child in it: the disclosure's process is right
    ("a teacher has been messaging a pupil on her own instagram, could she get in trouble?", "ask_disclosure_process"),
    ("the TA posted photos of the children on her own facebook, is she allowed?", "ask_disclosure_process"),
    # a report, not a question about the process
    ("a colleague had a rant on twitter about a pupil, could he get in trouble", "report_adult_concern"),
    # no posting in it
    ("if a parent reports a teacher, will the teacher be suspended straight away?", "ask_staff_suspension"),
])
def test_the_own_posting_cue_leaves_the_disclosure_process_alone(text, top):
    from bot.nlp.scope_cues import own_posting_intent
    assert own_posting_intent(text, _ranking(top, "ask_out_of_work_conduct")) is None
