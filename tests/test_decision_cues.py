"""An unsure intent and a decision's facts (bot/nlp/decision_cues.py)."""
from __future__ import annotations

import pytest

from bot.nlp.decision_cues import BULLYING_INTENT, CONTACT_INTENT, SURE, decision_intent, reranked, tells_of_bullying


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def ents(*labels):
    return [{"entity": label, "value": "x"} for label in labels]


LONG_ACCOUNT = ("my lad in year 4 gets picked on in roblox chat by two boys from his class and it carries on "
                "in the playground, i want to report it")


def test_an_unsure_account_of_bullying_with_who_is_doing_it_is_the_bullying_question():
    r = ranking(("ask_how_to_report_concern", 0.45), (BULLYING_INTENT, 0.35), ("ask_report_working_day_use", 0.1))
    assert decision_intent(LONG_ACCOUNT, r, ents("other_party", "platform")) == BULLYING_INTENT


def test_a_tie_with_the_decision_on_top_is_resolved_by_the_facts():
    r = ranking((BULLYING_INTENT, 0.45), ("ask_mobile_phones", 0.44))
    assert decision_intent("two girls from her class keep sending her nasty texts", r, ents("other_party")) == BULLYING_INTENT


def test_a_confident_reading_is_never_overridden():
    r = ranking(("ask_how_to_report_concern", SURE + 0.05), (BULLYING_INTENT, 0.3))
    assert decision_intent(LONG_ACCOUNT, r, ents("other_party")) is None


def test_safety_routes_are_never_overridden():
    r = ranking(("tell_worry", 0.4), (BULLYING_INTENT, 0.35))
    assert decision_intent(LONG_ACCOUNT, r, ents("other_party")) is None


def test_without_the_decisions_facts_nothing_changes():
    r = ranking(("ask_how_to_report_concern", 0.45), (BULLYING_INTENT, 0.35))
    assert decision_intent("i want to report something that happened", r, ents()) is None
    assert decision_intent(LONG_ACCOUNT, ranking(("ask_how_to_report_concern", 0.5), ("out_of_scope", 0.3)), ents("other_party")) is None


def test_a_relative_and_friends_on_a_platform_is_the_contact_question():
    r = ranking(("ask_discussing_school_matters", 0.26), ("ask_breach_consequences", 0.1), (CONTACT_INTENT, 0.04))
    text = "one of our lunchtime staff has her grandson in year 3 and they're friends on facebook, is that ok"
    assert decision_intent(text, r, ents("relationship", "platform")) == CONTACT_INTENT


def test_never_from_one_decision_to_the_other():
    r = ranking((BULLYING_INTENT, 0.5), (CONTACT_INTENT, 0.3))
    assert decision_intent("kids r sending my son horible messages on tiktok", r, ents("relationship", "platform")) != CONTACT_INTENT
    r = ranking(("ask_pupil_age_limit", 0.5), (CONTACT_INTENT, 0.3))
    assert decision_intent("the boy doing it is in my sons class on snapchat", r, ents("other_party", "platform")) != CONTACT_INTENT


def test_bullying_words_as_people_write_them():
    for text in ("they keep slagging him off", "the boy doing it", "she's in bits", "name calling in the playground",
                 "horible messages", "they kicked her out of the group chat"):
        assert tells_of_bullying(text), text
    assert not tells_of_bullying("can I friend an ex-pupil?")


def test_reranked_puts_the_choice_first_and_still_sums_to_one():
    out = reranked(ranking(("a", 0.5), (BULLYING_INTENT, 0.3), ("b", 0.2)), BULLYING_INTENT)
    assert out[0] == {"name": BULLYING_INTENT, "confidence": SURE}
    assert abs(sum(r["confidence"] for r in out) - 1.0) < 1e-6


def test_a_member_of_staff_asking_about_their_own_former_pupil_is_a_contact_question():
    r = ranking(("report_adult_concern", 0.56), (CONTACT_INTENT, 0.1))
    text = "a boy I taught years ago is doing his GCSEs now and asked to connect on insta, harmless surely?"
    assert decision_intent(text, r, ents("platform")) == CONTACT_INTENT
    # a report about another adult stays a report
    assert decision_intent("the PE teacher I work with added one of my class on insta", r, ents("platform")) is None
    assert decision_intent("Mr Jones added a girl in my class on insta", r, ents("platform", "other_party")) is None


def test_a_relative_on_facebook_read_fairly_surely_as_school_matters_is_still_the_contact_question():
    r = ranking(("ask_discussing_school_matters", 0.75), (CONTACT_INTENT, 0.08))
    text = "my nephew is in 4C and were friends on facebook, do i need to unfriend him now i work here"
    assert decision_intent(text, r, ents("relationship", "platform")) == CONTACT_INTENT
    sure = ranking(("ask_discussing_school_matters", 0.95), (CONTACT_INTENT, 0.03))
    assert decision_intent(text, sure, ents("relationship", "platform")) is None
    # a confident reading of another kind is left alone
    other = ranking(("ask_school_service_approval", 0.75), (CONTACT_INTENT, 0.08))
    assert decision_intent(text, other, ents("relationship", "platform")) is None


def test_someone_elses_child_in_a_fairly_sure_school_matters_question_stays_school_matters():
    r = ranking(("ask_discussing_school_matters", 0.75), (CONTACT_INTENT, 0.1))
    text = "A parent has messaged me on Facebook Messenger asking how her son is getting on. Can I reply there?"
    assert decision_intent(text, r, ents("relationship", "platform")) is None


def test_an_unsure_report_about_an_adult_that_names_no_adult_can_be_the_bullying_question():
    r = ranking(("report_adult_concern", 0.19), (BULLYING_INTENT, 0.16), ("ask_report_working_day_use", 0.13))
    text = "my daughter is being picked on online by girls in her class, whose job is it to sort it?"
    assert decision_intent(text, r, ents("other_party")) == BULLYING_INTENT
    named = "the TA is picking on my daughter online, whose job is it to sort it?"
    assert decision_intent(named, r, ents("other_party")) is None


def test_a_child_asking_to_add_a_teacher_asks_the_contact_question():
    from bot.nlp.decision_cues import decision_intent

    ranking = [{"name": "report_adult_concern", "confidence": 0.53}, {"name": "ask_staff_pupil_contact", "confidence": 0.33}]
    assert decision_intent("can i add miss jones on insta shes the best teecher ever", ranking, []) == "ask_staff_pupil_contact"
    assert decision_intent("I WANT TO ADD MISS LOWE ON SNAPCHAT SHES SO NICE CAN I", ranking, []) == "ask_staff_pupil_contact"
    assert decision_intent("is it ok if i follow sir on tiktok", ranking, []) == "ask_staff_pupil_contact"
    fairly_sure = [{"name": "report_adult_concern", "confidence": 0.65}, {"name": "ask_staff_pupil_contact", "confidence": 0.24}]
    assert decision_intent("I WANT TO ADD MISS LOWE ON SNAPCHAT SHES SO NICE CAN I", fairly_sure, []) == "ask_staff_pupil_contact"
    # telling of a teacher who added a child is still a report
    assert decision_intent("miss jones added me on insta and keeps messaging me", ranking, []) is None


def test_a_pupils_friend_request_read_as_discussing_school_matters_is_the_contact_question():
    from bot.nlp.decision_cues import decision_intent

    ranking = [{"name": "ask_discussing_school_matters", "confidence": 0.64}, {"name": "ask_staff_pupil_contact", "confidence": 0.12}]
    entities = [{"entity": "contact_request", "value": "pupil_initiated"}, {"entity": "other_party", "value": "current_pupil"}]
    text = "One of the mums has asked me to accept her son's friend request on Facebook. He's in my class"
    assert decision_intent(text, ranking, entities) == "ask_staff_pupil_contact"
    assert decision_intent("can I discuss a pupil with their parents on facebook?", ranking, entities[1:]) is None


def test_a_further_referral_after_the_warning_letter_is_the_bullying_question():
    from bot.nlp.decision_cues import decision_intent

    text = ("back in nov we had the y6 tiktok thing, letter to all y6 parents saying kids shouldnt be on tiktok under 13. "
            "mum in again this morning, same girls, same tiktok videos. whats our position now")
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_cyberbullying_responsibility", "confidence": 0.25}]
    assert decision_intent(text, ranking, [{"entity": "platform", "value": "TikTok"}, {"entity": "year_group", "value": "6"}]) \
        == "ask_cyberbullying_responsibility"


@pytest.mark.parametrize("text", [
    "One of my Y6 girls came to me really upset - nasty snapchats over the holidays calling her fat. Whose job is this, ours?",
    "school already set up a meeting with the other boys family before christmas about the instagram stuff",
])
def test_more_ways_of_telling_of_a_bullying_case(text):
    from bot.nlp.decision_cues import tells_of_bullying

    assert tells_of_bullying(text)


@pytest.mark.parametrize("text", [
    "two year 6 girls have been having a go at another girl on snapchat in the evenings",
    "they keep giving him grief on whatsapp", "some lads are winding her up in the group chat",
])
def test_bullying_in_plain_speech_is_bullying(text):
    assert tells_of_bullying(text)


def test_getting_into_trouble_is_no_threat():
    from bot.nlp.decision_cues import tells_of_bullying

    assert not tells_of_bullying("my nephew wants me on his messenger kids. is that going to get me in trouble?")
    assert tells_of_bullying("he said hes gonna get me after school")


def test_a_pasted_letter_to_the_head_about_girls_bullying_is_the_bullying_question():
    from bot.nlp.decision_cues import decision_intent

    text = ('this is the email i was going to send the head "Dear Mrs Example, Following your letter in November reminding '
            'parents that the Year 5 children should not be on Snapchat, the same girls from her class are still sending my '
            'daughter horrible snaps at weekends. Kind regards, Mrs L. Baker"')
    ranking = [{"name": "report_adult_concern", "confidence": 0.37}, {"name": "declare_family_link", "confidence": 0.21},
               {"name": "ask_cyberbullying_responsibility", "confidence": 0.09}]
    entities = [{"entity": "platform"}, {"entity": "escalation"}, {"entity": "other_party"}]
    assert decision_intent(text, ranking, entities) == "ask_cyberbullying_responsibility"


def test_a_child_asking_to_follow_the_teacher_they_named_first_is_the_contact_question():
    from bot.nlp.decision_cues import decision_intent

    ranking = [{"name": "out_of_scope", "confidence": 0.23}, {"name": "report_adult_concern", "confidence": 0.22},
               {"name": "ask_staff_pupil_contact", "confidence": 0.21}]
    text = "mrs hussain is the best teacher ever!!! can i follow her on insta wen i get it"
    assert decision_intent(text, ranking, [{"entity": "platform"}]) == "ask_staff_pupil_contact"


def test_filming_a_child_and_laughing_is_bullying():
    from bot.nlp.decision_cues import tells_of_bullying

    assert tells_of_bullying("three older lads in the car park filming one of the little ones on a phone and laughing")
    assert not tells_of_bullying("we were filming the play and everyone was laughing")


def test_family_by_marriage():
    from bot.nlp.decision_cues import names_own_relative
    from bot.nlp.fact_reader import relative_on_staff

    assert names_own_relative("my wife's sister's lad has just started year 3 here")
    assert relative_on_staff("my husbands sister is a dinner lady at moat farm. she wants to add my son")


def test_contact_is_told_only_when_the_writer_and_child_are_in_touch():
    from bot.nlp.decision_cues import tells_of_contact

    assert tells_of_contact("my grandson is in year 3 and we message each other on whatsapp")
    assert tells_of_contact("she follows me on insta")
    assert tells_of_contact("we're friends on facebook")
    assert not tells_of_contact("my grandson usually does whatsapp on my phone for me")
    assert not tells_of_contact("my niece has tiktok, is she allowed")


def test_spiteful_or_hateful_messages_are_bullying():
    from bot.nlp.decision_cues import tells_of_bullying

    assert tells_of_bullying("she keeps getting spiteful texts")
    assert tells_of_bullying("hateful comments under his video")


@pytest.mark.parametrize("text", [
    "our year 6 are all on tiktok and there's drama every monday. i was thinking of making a profile as a 'year 6 girl' to see what's being said. good idea?",
    "could we set up an account pretending to be a 10 year old so we can keep an eye on the group chat",
    "im tempted to pose as a year 5 boy on roblox to catch whoever it is",
])
def test_the_writer_going_online_as_a_child_asks_about_adults_posing_as_children(text):
    from bot.nlp.decision_cues import POSING_INTENT, posing_intent

    unsure = [{"name": "ask_staff_pupil_contact", "confidence": 0.35}, {"name": POSING_INTENT, "confidence": 0.08}]
    assert posing_intent(text, unsure) == POSING_INTENT


@pytest.mark.parametrize("text", [
    "he told me he made a profile as a 12 year old",  # someone else did it: a child telling, not this question
    "i made a profile for the school as the head asked",
    "can i make an account for my year 6 class",
])
def test_others_posing_or_no_posing_is_not_the_writer_posing(text):
    from bot.nlp.decision_cues import posing_intent

    assert posing_intent(text, [{"name": "ask_staff_pupil_contact", "confidence": 0.35}]) is None


@pytest.mark.parametrize("text, asked", [
    ("one of the dinner ladies is friends on facebook with a girl who left us a few years back, she's doing her GCSEs. is that permitted?", True),
    ("Mr Okafor asked me to check for him - his nephew is in Year 6 here and they're on a family WhatsApp. Is that alright?", True),
    # a pupil of the school now, or harm told: a report, not this question
    ("a teacher is messaging my daughter on snapchat, is that allowed?", False),
    ("a TA is friends with a girl who left last year and keeps telling her its a secret, is that ok?", False),
])
def test_whether_a_colleague_may_stay_in_touch_is_the_contact_question(text, asked):
    from bot.nlp.decision_cues import CONTACT_INTENT, colleague_contact_question, decision_intent

    assert colleague_contact_question(text) is asked
    ranking = [{"name": "report_adult_concern", "confidence": 0.45}, {"name": CONTACT_INTENT, "confidence": 0.3}]
    assert (decision_intent(text, ranking, []) == CONTACT_INTENT) is asked
    if asked:
        from bot import filing

        assert not filing.is_disclosure(text)  # a question, decided; not a disclosure filed


@pytest.mark.parametrize("text", [
    "he has been getting really unpleasant text messages in the evenings from two boys in his class",
    "some insulting comments under her videos from girls in her year",
])
def test_bullying_told_in_milder_words_is_bullying(text):
    from bot.nlp.decision_cues import tells_of_bullying
    assert tells_of_bullying(text)
