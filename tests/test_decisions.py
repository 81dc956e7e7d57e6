"""The decision engines, over every combination of facts."""
from __future__ import annotations

import itertools

import pytest

from bot import decisions as d
from bot.decisions import BullyingFacts, ContactFacts, decide_contact, decide_cyberbullying
from bot.policy import load_catalogue

AGES = [None, 0, 11, 16, 17, 18, 19, 25, 60]
RELATIONSHIPS = [None, *d.RELATIONSHIPS]


def _expected_contact(relationship, age):
    if relationship is None:
        # 18 or over is permitted whatever else is true: nothing more is asked
        return d.PERMITTED if age is not None and age >= 18 else None
    if relationship == d.FAMILY:
        return d.PERMITTED_DECLARE
    if relationship in (d.CURRENT_PUPIL, d.FRIENDS_CHILD):
        return d.NOT_PERMITTED
    if relationship == d.NOT_A_PUPIL:  # the policy's bars are about pupils and ex-pupils
        return d.PERMITTED
    if age is None:
        return None
    return d.NOT_PERMITTED if age < 18 else d.PERMITTED


@pytest.mark.parametrize(
    "relationship, age, initiated", list(itertools.product(RELATIONSHIPS, AGES, [False, True]))
)
def test_contact_every_combination(relationship, age, initiated):
    decision = decide_contact(ContactFacts(relationship, age, initiated))
    assert decision.outcome == _expected_contact(relationship, age)
    if decision.decided:
        assert decision.refs and decision.reason and not decision.missing
    else:
        assert decision.missing == (("relationship",) if relationship is None else ("age",))
        assert decision.refs == ()


def test_contact_refs_lead_with_the_specific_clause():
    assert decide_contact(ContactFacts(d.EX_PUPIL, 16)).refs[0] == "staff.no-ex-pupil-under-18"
    assert decide_contact(ContactFacts(d.EX_PUPIL, 21)).refs[0] == "staff.no-ex-pupil-under-18"
    assert decide_contact(ContactFacts(d.CURRENT_PUPIL)).refs[0] == "staff.no-pupil-interaction"
    assert decide_contact(ContactFacts(d.CURRENT_PUPIL, pupil_initiated=True)).refs[0] == "pupils.no-joining-staff"
    assert decide_contact(ContactFacts(d.FAMILY)).refs[0] == "staff.family-links"


def test_contact_reasons_name_the_facts_used():
    assert "16" in decide_contact(ContactFacts(d.EX_PUPIL, 16)).reason
    assert "21" in decide_contact(ContactFacts(d.EX_PUPIL, 21)).reason
    assert "head teacher in writing" in decide_contact(ContactFacts(d.FAMILY)).reason
    assert "tell the head teacher" in decide_contact(ContactFacts(d.CURRENT_PUPIL, pupil_initiated=True)).reason
    permitted = decide_contact(ContactFacts(d.EX_PUPIL, 19)).reason
    assert "school matters" in permitted and "permission" in permitted


@pytest.mark.parametrize("adult, outcome", [(True, d.PERMITTED), (False, d.NOT_PERMITTED)])
def test_contact_age_band_is_enough_when_the_exact_age_is_not_known(adult, outcome):
    decision = decide_contact(ContactFacts(d.EX_PUPIL, adult=adult))
    assert decision.outcome == outcome
    assert ("18 or over" if adult else "under 18") in decision.reason
    # an exact age wins over the band
    assert decide_contact(ContactFacts(d.EX_PUPIL, 16, adult=True)).outcome == d.NOT_PERMITTED


def test_contact_age_is_age_now():
    # "turns 18 next month" is passed in as 17 by the fact extraction
    assert decide_contact(ContactFacts(d.EX_PUPIL, 17)).outcome == d.NOT_PERMITTED
    assert decide_contact(ContactFacts(d.EX_PUPIL, 18)).outcome == d.PERMITTED


@pytest.mark.parametrize("bad", [dict(relationship="teacher"), dict(age=-1), dict(age=500)])
def test_contact_rejects_impossible_facts(bad):
    with pytest.raises(ValueError):
        ContactFacts(**bad)


PLATFORMS = [None, "Facebook", "Instagram", "TikTok", "WhatsApp", "LinkedIn", "Roblox", "text message", "phone call", "Bebo", d.PLATFORM_UNKNOWN]


def _expected_bullying(school, at_school, platform, youngest, warned, refuse):
    if refuse:
        return d.REFER_TO_POLICE
    if warned and at_school is not False:
        return d.SCHOOL_MAY_LIMIT
    if at_school is None:
        return None
    if at_school is False:
        return d.NOT_SCHOOL_RESPONSIBILITY
    if platform is None:
        return None
    minimum = {"Facebook": 13, "Instagram": 13, "TikTok": 13, "WhatsApp": 13, "LinkedIn": 16}.get(platform)
    age = youngest if youngest is not None else school.oldest_age
    if minimum is not None and age < minimum:
        return d.SCHOOL_MUST_INVESTIGATE_AND_WARN
    return d.SCHOOL_MUST_INVESTIGATE


@pytest.mark.parametrize(
    "at_school, platform, youngest, warned, refuse",
    list(itertools.product([None, True, False], PLATFORMS, [None, 9, 14], [False, True], [False, True])),
)
def test_cyberbullying_every_combination(school, at_school, platform, youngest, warned, refuse):
    facts = BullyingFacts(at_school, platform, youngest, warned, refuse)
    decision = decide_cyberbullying(facts, school)
    assert decision.outcome == _expected_bullying(school, at_school, platform, youngest, warned, refuse)
    if decision.decided:
        assert decision.refs and decision.reason
    else:
        assert decision.missing in (("others_at_school",), ("platform",))


def test_junior_school_pupils_are_inferred_to_be_under_13(school):
    decision = decide_cyberbullying(BullyingFacts(True, "Facebook"), school)
    assert decision.outcome == d.SCHOOL_MUST_INVESTIGATE_AND_WARN
    assert decision.refs[0] == "cyberbullying.underage-platform"
    assert "aged 7 to 11" in decision.reason and "Facebook" in decision.reason


def test_text_and_phone_bullying_cites_the_text_clause(school):
    for channel in ("text message", "phone call"):
        decision = decide_cyberbullying(BullyingFacts(True, channel), school)
        assert decision.outcome == d.SCHOOL_MUST_INVESTIGATE
        assert "cyberbullying.text-and-mobile" in decision.refs
        elsewhere = decide_cyberbullying(BullyingFacts(False, channel), school)
        assert elsewhere.refs[0] == "cyberbullying.ex-pupil" and "cyberbullying.text-and-mobile" in elsewhere.refs
    assert "cyberbullying.text-and-mobile" not in decide_cyberbullying(BullyingFacts(False, "Facebook"), school).refs


def test_refs_are_real_clauses(school):
    catalogue = load_catalogue()
    cases = [decide_contact(ContactFacts(r, a, i)) for r, a, i in itertools.product(d.RELATIONSHIPS, [16, 18], [False, True])]
    cases += [
        decide_cyberbullying(BullyingFacts(s, p, None, w, r), school)
        for s, p, w, r in itertools.product([True, False], PLATFORMS[1:], [False, True], [False, True])
    ]
    for decision in cases:
        assert all(ref in catalogue.clauses for ref in decision.refs), decision.outcome


def test_platform_minimum_ages_are_data():
    assert d.platform("instagram").minimum_age == 13
    assert d.platform("Roblox").minimum_age is None
    assert d.platform("text message").is_phone
    assert d.platform("nothing") is None and d.platform(None) is None


def test_bullying_between_pupils_with_the_place_unknown_is_investigated_and_says_what_would_add_a_warning(school):
    from bot.decisions import PLATFORM_UNKNOWN

    decision = d.decide_cyberbullying(d.BullyingFacts(others_at_school=True, platform=PLATFORM_UNKNOWN), school)
    assert decision.outcome == d.SCHOOL_MUST_INVESTIGATE
    assert "cyberbullying.underage-platform" in decision.refs and "pupils.under-13" in decision.refs and "13" in decision.reason
    assert "not known" not in decision.reason  # the marker is never shown as if it were a site
