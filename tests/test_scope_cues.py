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
