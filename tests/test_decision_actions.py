"""The decision actions and form validation, with real SDK objects."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.decisions import (
    ActionAskBullyingWho,
    ActionDecide,
    ActionLeaveForm,
    ActionStartDecision,
    ValidateBullyingForm,
    ValidateContactForm,
)
from bot import dialogue


def tracker(intent="inform", text="", slots=None, entities=(), requested=None, active_loop=None):  # noqa: PLR0913
    all_slots = {"requested_slot": requested, **(slots or {})}
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": [{"name": intent, "confidence": 0.9}],
        "entities": [{"entity": e, "value": v} for e, v in entities],
    }
    return Tracker("u", all_slots, latest, [], False, None, {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, t, domain=None):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, domain or {})
    if asyncio.iscoroutine(events):
        events = asyncio.run(events)
    return dispatcher, events


def test_new_case_forgets_facts_it_does_not_repeat(domain):
    t = tracker(
        "ask_staff_pupil_contact", "can I friend an ex pupil", {"contact_who": "ex_pupil", "age": "30", "contact_request": "x"},
        entities=[("other_party", "ex_pupil")],
    )
    _, events = run(ActionStartDecision(), t, domain)
    cleared = {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}
    assert cleared == {"age", "contact_request"}
    assert {"event": "slot", "name": "decision_topic", "value": "contact", "timestamp": None} in events


def test_follow_up_without_who_keeps_the_facts(domain):
    t = tracker("ask_cyberbullying_responsibility", "the parents won't engage", {"bullying_who": "current_pupil", "platform": "Facebook"},
                entities=[("escalation", "parents_refuse")])
    _, events = run(ActionStartDecision(), t, domain)
    assert [e["name"] for e in events if e["name"] != "escalation"] == ["decision_topic"]  # the case's facts are kept
    assert all(e["value"] == ["parents_refuse"] for e in events if e["name"] == "escalation")


def test_decide_sends_decision_refs_and_reason():
    t = tracker(slots={"decision_topic": "contact", "contact_who": "ex_pupil", "age": "16"})
    dispatcher, _ = run(ActionDecide(), t)
    custom = [m["custom"] for m in dispatcher.messages if m.get("custom")][0]
    assert custom["decision"] == "not_permitted"
    assert custom["policy_refs"][0] == "staff.no-ex-pupil-under-18"
    assert "16" in dispatcher.messages[0]["text"]


def test_what_if_re_decides_with_the_changed_fact():
    t = tracker(text="what if he was 19?", slots={"decision_topic": "contact", "contact_who": "ex_pupil", "age": "19"})
    dispatcher, _ = run(ActionDecide(), t)
    assert [m["custom"]["decision"] for m in dispatcher.messages if m.get("custom")] == ["permitted"]


def test_decide_without_a_topic_offers_suggestions():
    dispatcher, _ = run(ActionDecide(), tracker(text="he's 19"))
    assert not any((m.get("custom") or {}).get("decision") for m in dispatcher.messages)


def test_form_asks_only_for_what_is_missing():
    validate = ValidateContactForm()
    slots = asyncio.run(validate.required_slots([], CollectingDispatcher(), tracker(slots={"contact_who": "ex_pupil"}), {}))
    assert slots == ["age"]
    slots = asyncio.run(validate.required_slots([], CollectingDispatcher(), tracker(slots={"contact_who": "family"}), {}))
    assert slots == []
    slots = asyncio.run(ValidateBullyingForm().required_slots([], CollectingDispatcher(), tracker(), {}))
    assert slots == ["bullying_who"]


def test_a_bare_number_answers_the_age_question():
    validate = ValidateContactForm()
    t = tracker(text="sixteen", slots={"contact_who": "ex_pupil"}, requested="age")
    assert asyncio.run(validate.extract_age(CollectingDispatcher(), t, {})) == {"age": "16"}
    t = tracker(text="not sure", slots={"contact_who": "ex_pupil"}, requested="age")
    assert asyncio.run(validate.extract_age(CollectingDispatcher(), t, {})) == {}
    assert validate.validate_age("banana", CollectingDispatcher(), t, {}) == {"age": None}
    assert validate.validate_age("under_18", CollectingDispatcher(), t, {}) == {"age": "under_18"}


def test_first_bullying_question_cites_the_process():
    dispatcher, _ = run(ActionAskBullyingWho(), tracker("ask_cyberbullying_responsibility", "my child is being bullied online"))
    [message] = dispatcher.messages
    assert message["buttons"] and "cyberbullying.duty-to-investigate" in message["custom"]["policy_refs"]


def test_leaving_a_form_answers_what_was_asked_instead():
    dispatcher, events = run(ActionLeaveForm(), tracker("ask_mobile_phones", "do phones get handed in?", requested="age", active_loop="contact_form"))
    assert dispatcher.messages[0]["custom"]["policy_refs"][0] == "pupils.mobile-phones"
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    dispatcher, _ = run(ActionLeaveForm(), tracker("stop", "never mind", active_loop="contact_form"))
    assert "leave that there" in dispatcher.messages[0]["text"]


def _events(*names):
    return [{"event": "active_loop", "name": "bullying_form"}] + [{"event": "action", "name": n} for n in names]


def test_reask_thanks_for_another_fact_then_gives_up_after_two_tries():
    from actions.decisions import ActionReask

    t = tracker(text="they're all in year 4", slots={"decision_topic": "cyberbullying"}, entities=[("year_group", "4")],
                requested="platform", active_loop="bullying_form")
    t.events = _events("bullying_form")
    dispatcher, events = run(ActionReask(), t)
    assert dispatcher.messages[0]["text"] == "Thanks, noted." and events == []

    t.latest_message["entities"] = []
    dispatcher, _ = run(ActionReask(), t)
    assert "didn't catch" in dispatcher.messages[0]["text"]

    t.events = _events("bullying_form", "action_reask", "bullying_form", "action_reask", "bullying_form")
    dispatcher, events = run(ActionReask(), t)
    assert "In general" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[-1]["custom"]["policy_refs"][0] == "cyberbullying.duty-to-investigate"
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert any(e["event"] == "followup" for e in events)


def test_fact_bearing_message_misread_as_out_of_scope_redecides():
    from actions.conversation import ActionHandleUnclearMessage, ActionOutOfScope

    slots = {"decision_topic": "cyberbullying", "bullying_who": "other_school", "platform": "Instagram"}
    t = tracker("out_of_scope", "what if it was a kid from the high school", slots, entities=[("other_party", "other_school")])
    dispatcher, _ = run(ActionOutOfScope(), t)
    assert [m["custom"]["decision"] for m in dispatcher.messages if m.get("custom")] == ["not_school_responsibility"]

    t = tracker("nlu_fallback", "hmm and on insta?", slots, entities=[("platform", "Instagram")])
    dispatcher, _ = run(ActionHandleUnclearMessage(), t)
    assert any((m.get("custom") or {}).get("decision") for m in dispatcher.messages)


def test_out_of_scope_without_a_decision_in_progress_stays_out_of_scope():
    from actions.conversation import ActionOutOfScope

    t = tracker("out_of_scope", "my son left his coat at school", {}, entities=[("relationship", "family")])
    dispatcher, _ = run(ActionOutOfScope(), t)
    assert "only help with" in dispatcher.messages[0]["text"] and not dispatcher.messages[0].get("custom")
    for text, entities in [("when is sports day", []), ("my son is off sick", [("relationship", "family")]),
                           ("I'll text the office", [("platform", "text message")])]:
        t = tracker("out_of_scope", text, {"decision_topic": "contact", "contact_who": "family"}, entities=entities)
        dispatcher, _ = run(ActionOutOfScope(), t)
        assert "only help with" in dispatcher.messages[0]["text"], text


def test_facts_out_of_the_blue_are_decided_when_they_say_which_question(domain):
    t = tracker(
        "inform", "My nephew is in Year 3 here. Is it OK that we're friends on Facebook?",
        {"contact_who": "family"}, entities=[("relationship", "family"), ("platform", "Facebook")],
    )
    dispatcher, events = run(ActionDecide(), t, domain)
    [message] = [m for m in dispatcher.messages if m.get("custom")]
    assert message["custom"]["decision"] == "permitted_declare_to_head_teacher"
    assert {"event": "slot", "name": "decision_topic", "timestamp": None, "value": "contact"} in events


def test_facts_that_do_not_say_which_question_get_suggestions(domain):
    dispatcher, events = run(ActionDecide(), tracker("inform", "he is 16", entities=[("age", "16")]), domain)
    assert not any((m.get("custom") or {}).get("decision") for m in dispatcher.messages)


def test_a_parent_speaking_of_their_own_child_is_not_a_staff_family_link(domain):
    from actions.decisions import ActionDecide

    t = tracker("inform", "my 9-year-old keeps begging for Snapchat", entities=[("relationship", "family"), ("platform", "Snapchat")])
    t.events = [{"event": "user", "text": "my 9-year-old keeps begging for Snapchat"}]
    dispatcher, events = run(ActionDecide(), t, domain)
    custom = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert not any(c.get("decision") for c in custom)
    assert "pupils.under-13" in custom[0]["policy_refs"] or "facebook.age-limit" in custom[0]["policy_refs"]
    assert not any(e["event"] == "slot" and e["name"] == "filing_offer" and e["value"] for e in events)


def test_a_parents_son_who_followed_his_teacher_is_a_current_pupil(domain):
    t = tracker("ask_staff_pupil_contact", "my son sent his teacher a follow request, can she accept?",
                entities=[("relationship", "family"), ("contact_request", "pupil_initiated")])
    t.events = [{"event": "user", "text": t.latest_message["text"]}]
    t.slots["contact_who"] = "family"
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "contact_who", "value": "current_pupil", "timestamp": None} in events


def test_a_follow_up_misread_as_out_of_scope_changes_the_decision():
    from actions.conversation import ActionOutOfScope

    text = "Actually it turns out it's just one girl and she left Moat Farm in July. She's at St Peter's now."
    t = tracker("out_of_scope", text, {"decision_topic": "cyberbullying", "bullying_who": "current_pupil", "platform": "Instagram"})
    t.events = [{"event": "user", "text": text}]
    dispatcher, events = run(ActionOutOfScope(), t)
    assert [m["custom"]["decision"] for m in dispatcher.messages if m.get("custom")] == ["not_school_responsibility"]
    assert {"event": "slot", "name": "bullying_who", "value": "ex_pupil", "timestamp": None} in events


def test_friends_with_parents_is_about_what_may_be_discussed_not_contact_with_a_child(domain):
    t = tracker("ask_staff_pupil_contact", "Can I be Facebook friends with parents of children in my class?")
    t.events = [{"event": "user", "text": t.latest_message["text"]}]
    dispatcher, events = run(ActionStartDecision(), t, domain)
    refs = [r for m in dispatcher.messages for r in (m.get("custom") or {}).get("policy_refs", [])]
    assert "terms.no-school-matters" in refs and any(e["event"] == "followup" for e in events)


def test_a_member_of_staffs_own_children_are_a_family_link(domain):
    text = "Can you put it in writing to the head that both my kids are pupils here and I'm friends with them on Facebook?"
    t = tracker("ask_staff_pupil_contact", text, {"contact_who": "current_pupil"}, entities=[("other_party", "current_pupil")])
    t.events = [{"event": "user", "text": text}]
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "contact_who", "value": "family", "timestamp": None} in events


def test_a_decision_question_is_asked_at_most_twice(domain):
    # as Rasa's form leaves them: it asks by setting requested_slot (no action event)
    asked_twice = [
        {"event": "active_loop", "name": "contact_form"},
        {"event": "slot", "name": "requested_slot", "value": "age"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "no idea"},
        {"event": "slot", "name": "requested_slot", "value": "age"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "pass"},
        # Rasa sets it again while the form validates the answer
        {"event": "slot", "name": "requested_slot", "value": "age"},
    ]
    slots = {"requested_slot": "age", "decision_topic": "contact", "contact_who": "ex_pupil"}
    latest = {"text": "pass", "intent": {"name": "inform", "confidence": 0.9}, "intent_ranking": [], "entities": []}
    t = Tracker("u", slots, latest, asked_twice, False, None, {"name": "contact_form"}, "action_listen")
    _, events = run(ValidateContactForm(), t, domain)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_reask"
    once = asked_twice[:4] + [{"event": "slot", "name": "requested_slot", "value": "age"}]
    t = Tracker("u", slots, latest, once, False, None, {"name": "contact_form"}, "action_listen")
    _, events = run(ValidateContactForm(), t, domain)
    assert not any(e.get("event") == "followup" for e in events)  # asked once: it may ask again


def test_the_reask_after_the_form_stopped_itself_gives_the_general_answer():
    from actions.decisions import ActionReask

    t = tracker(slots={"decision_topic": "contact"})
    dispatcher, events = run(ActionReask(), t)
    assert "leave the details there" in dispatcher.messages[0]["text"]


def test_asking_to_report_while_a_bullying_question_is_asked_starts_a_report(domain):
    t = tracker("ask_how_to_report_concern", "can i report it here or do i have to ring the office",
                {"decision_topic": "cyberbullying"}, requested="platform", active_loop="bullying_form")
    dispatcher, events = run(ActionLeaveForm(), t, domain)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_start_filing"
    offer = [e["value"] for e in events if e.get("name") == "filing_offer"]
    assert offer == ["concern_report:cyberbullying"]


def test_an_unreadable_answer_to_a_decisions_question_is_explained_not_just_not_caught():
    from actions.decisions import ActionReask
    from bot.text_guard import INPUT_ISSUE, MESSAGE_TOO_LONG

    t = tracker(text="a" * 50, slots={"decision_topic": "contact"}, requested="age", active_loop="contact_form")
    t.latest_message[INPUT_ISSUE] = MESSAGE_TOO_LONG
    dispatcher, _ = run(ActionReask(), t)
    assert "didn't catch that" not in dispatcher.messages[0]["text"]


def test_the_form_keeps_what_the_words_say_over_the_entities_rasa_hands_it_again(domain):
    """At activation Rasa re-extracts the message's entities ("at the high
    school": another school); the words say an ex-pupil ("a lad I had in my
    year 6 class"), and the form must not ask as if he were never a pupil."""
    text = "a lad i had in my year 6 class left two summers ago, he's at the high school now and keeps requesting me on insta"
    t = tracker("ask_staff_pupil_contact", text, {"contact_who": "other_school", "decision_topic": "contact"},
                entities=[("other_party", "other_school")], active_loop="contact_form")
    _, events = run(ValidateContactForm(), t, domain)
    values = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert values["contact_who"] == "ex_pupil"
    assert values["requested_slot"] == "age"


def test_a_bullying_reading_of_a_relative_in_touch_is_the_contact_question(domain):
    t = tracker("ask_cyberbullying_responsibility", "they've always messaged each other on messenger kids, she's his auntie. "
                "is she going to get in trouble for that?", {"contact_who": "family"}, entities=[("platform", "Messenger")])
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "decision_topic", "value": "contact", "timestamp": None} in events
    # real bullying by a cousin stays a bullying question
    t = tracker("ask_cyberbullying_responsibility", "her cousin keeps sending her horrible messages on whatsapp", {},
                entities=[("platform", "WhatsApp")])
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "decision_topic", "value": "cyberbullying", "timestamp": None} in events


def test_a_relative_harming_a_child_stays_a_bullying_question(domain):
    t = tracker("ask_cyberbullying_responsibility", "Her son is getting abusive WhatsApp messages from a girl who is not a pupil - "
                "she's a cousin who goes to a school in Solihull. Is that our problem?", {}, entities=[("platform", "WhatsApp")])
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "decision_topic", "value": "cyberbullying", "timestamp": None} in events


def test_not_knowing_where_it_happens_decides_without_it(domain):
    t = tracker("deny", "I'd rather not say", {"decision_topic": "cyberbullying", "bullying_who": "current_pupil"},
                requested="platform", active_loop="bullying_form")
    _, events = run(ActionLeaveForm(), t, domain)
    assert {"event": "slot", "name": "platform", "value": "not known", "timestamp": None} in events
    assert events[-1] == {"event": "followup", "name": "action_decide", "timestamp": None}
    # a question in place of the answer still leaves the form
    t = tracker("ask_policy_scope", "who does the policy apply to?", {"decision_topic": "cyberbullying"}, requested="platform",
                active_loop="bullying_form")
    _, events = run(ActionLeaveForm(), t, domain)
    assert not any(e.get("name") == "platform" for e in events)


def test_a_misspelt_relative_is_still_a_family_link():
    from actions.decisions import read_fact_events

    text = "i do the dinners at moat farm 3 days a wk. my grandsn is in yr 4 there, his mum put whatsap on his tablet so he can msg me"
    t = tracker("ask_staff_pupil_contact", text, {"contact_who": "current_pupil"}, entities=[("other_party", "current_pupil")])
    assert {"event": "slot", "name": "contact_who", "value": "family", "timestamp": None} in read_fact_events(t, "contact")


def test_a_child_asking_us_to_tell_in_a_bullying_question_is_passed_on_not_left_listening(domain):
    text = "sum1 in my class keeps calling me names on snapchat can u tell a teacher"
    t = tracker("ask_cyberbullying_responsibility", text, {}, entities=[("platform", "Snapchat")])
    t.events = [{"event": "user", "text": text, "parse_data": t.latest_message}]
    _, events = run(ActionStartDecision(), t, domain)
    followups = [e["name"] for e in events if e["event"] == "followup"]
    assert followups == ["action_start_filing"]


def test_a_request_to_report_bullying_that_would_take_questions_starts_the_report(domain):
    # (who the boy is is not said: the decision would take questions)
    text = "I want to put in a formal report please. My daughter in Year 5 has been getting threatening texts from a boy"
    t = tracker("ask_cyberbullying_responsibility", text, entities=[("platform", "text message")])
    t.events = [{"event": "user", "text": text}]
    _, events = run(ActionStartDecision(), t, domain)
    assert events[-1] == {"event": "followup", "name": "action_start_filing", "timestamp": None}
    assert [e["value"] for e in events if e.get("name") == "filing_offer"] == ["concern_report:cyberbullying"]


def test_a_bullying_question_without_a_request_to_report_is_decided_not_filed(domain):
    text = "my daughter in Year 5 has been getting threatening texts from a Year 6 boy, whose job is it?"
    t = tracker("ask_cyberbullying_responsibility", text, entities=[("platform", "text message")])
    t.events = [{"event": "user", "text": text}]
    _, events = run(ActionStartDecision(), t, domain)
    assert not any(e.get("event") == "followup" for e in events)


def test_words_that_go_with_bullying_are_no_bullying_case_out_of_the_blue(domain):
    from actions.conversation import ActionOutOfScope

    text = "parentpay keeps saying payment failed when i try and top up dinner money, 3rd time today. help"
    t = tracker("out_of_scope", text, entities=[("escalation", "continuing"), ("escalation", "warned_before")])
    t.events = [{"event": "user", "text": text}]
    dispatcher, events = run(ActionOutOfScope(), t, domain)
    assert not any((m.get("custom") or {}).get("decision") for m in dispatcher.messages)
    assert not any((m.get("custom") or {}).get("policy_refs") for m in dispatcher.messages)


def test_a_staff_members_year_6_lad_is_a_current_pupil(domain):
    text = "yr 6 lad sent a follow request to my personal insta. he's a really good kid. accept or not?"
    t = tracker("ask_staff_pupil_contact", text, entities=[("year_group", "6"), ("platform", "Instagram"), ("contact_request", "pupil_initiated")])
    t.events = [{"event": "user", "text": text}]
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "contact_who", "value": "current_pupil", "timestamp": None} in events


def test_what_the_families_did_is_kept_when_the_next_message_says_more(domain):
    from actions.decisions import read_fact_events

    text = "he's still sending horrible texts every night"
    t = tracker("inform", text, {"decision_topic": "cyberbullying", "escalation": ["continuing"], "bullying_who": "current_pupil"},
                entities=[("escalation", "continuing")])
    t.events = [
        {"event": "user", "text": "the other family just won't engage"},
        {"event": "slot", "name": "escalation", "value": ["parents_refuse"]},
        {"event": "user", "text": text},
    ]
    [event] = [e for e in read_fact_events(t, "cyberbullying") if e["name"] == "escalation"]
    assert set(event["value"]) == {"parents_refuse", "continuing"}


def test_a_correction_after_a_bullying_decision_stays_with_that_case(domain):
    text = "sorry, it's actually mostly in a Snapchat group they've all got accounts on"
    t = tracker("ask_staff_pupil_contact", text, {"decision_topic": "cyberbullying", "bullying_who": "current_pupil"},
                entities=[("platform", "Snapchat")])
    t.events = [{"event": "user", "text": text}]
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "decision_topic", "value": "cyberbullying", "timestamp": None} in events
    # a member of staff's own contact question after it is a contact question
    t = tracker("ask_staff_pupil_contact", "actually, can I accept a friend request from one of them?",
                {"decision_topic": "cyberbullying", "bullying_who": "current_pupil"})
    t.events = [{"event": "user", "text": t.latest_message["text"]}]
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "decision_topic", "value": "contact", "timestamp": None} in events


def test_what_happened_since_a_bullying_decision_decides_it_again_whatever_the_classifier_heard(domain):
    from actions.policy_answers import ActionAnswerPolicyQuestion

    text = ("forgot to say - the head wrote to all three families saying they shouldn't be on snapchat at their age. "
            "now it's kicked off again on there, same girls")
    slots = {"decision_topic": "cyberbullying", "bullying_who": "current_pupil", "platform": "Snapchat"}
    t = tracker("ask_pupil_age_limit", text, slots)
    t.events = [{"event": "bot", "text": "...", "data": {"custom": {"decision": "school_must_investigate_and_warn_parents"}}},
                {"event": "user", "text": text}]
    dispatcher, _ = run(ActionAnswerPolicyQuestion(), t, domain)
    decisions = [(m.get("custom") or {}).get("decision") for m in dispatcher.messages]
    assert "school_may_limit_to_in_school_bullying" in decisions


def test_a_bullying_reading_of_a_member_of_staff_messaging_a_child_is_the_disclosure_process(domain):
    text = ("DSL here. If a mum turned up in bits saying one of our staff has been messaging her daughter on Facebook, "
            "what are the steps?")
    t = tracker("ask_cyberbullying_responsibility", text, entities=[("platform", "Facebook")])
    t.latest_message["intent_ranking"] = [{"name": "ask_cyberbullying_responsibility", "confidence": 0.6},
                                          {"name": "ask_disclosure_process", "confidence": 0.22}]
    t.events = [{"event": "user", "text": text}]
    dispatcher, events = run(ActionStartDecision(), t, domain)
    refs = [r for m in dispatcher.messages for r in (m.get("custom") or {}).get("policy_refs", [])]
    assert "child-protection.refer-lado" in refs
    assert not any((m.get("custom") or {}).get("decision") for m in dispatcher.messages)


def test_an_unclear_account_of_use_in_the_day_that_asks_to_be_reported_starts_a_report(domain):
    from actions.conversation import ActionHandleUnclearMessage

    text = "going through the filter logs, someone's login has been getting onto Instagram on the laptops at wet play. it needs reporting"
    t = tracker("nlu_fallback", text)
    t.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                          {"name": "ask_report_working_day_use", "confidence": 0.28}]
    t.events = [{"event": "user", "text": text}]
    _, events = run(ActionHandleUnclearMessage(), t, domain)
    assert [e["value"] for e in events if e.get("name") == "filing_offer"] == ["concern_report:working_day_use"]
    assert events[-1]["name"] == "action_start_filing"


@pytest.mark.parametrize("text", ["she'd be 14 i think", "she is 14", "14"])
def test_an_answer_that_fills_the_missing_fact_is_kept(text, domain):
    # the SDK returns only the slots required_slots lists: the fact just
    # given is no longer missing, and was dropped before
    t = tracker(text=text, slots={"contact_who": "ex_pupil", "decision_topic": "contact"}, requested="age", active_loop="contact_form")
    _, events = run(ValidateContactForm(), t, domain)
    assert {"event": "slot", "timestamp": None, "name": "age", "value": "14"} in events


def test_an_age_given_to_another_question_is_taken():
    t = tracker(text="she'd be 14 i think", slots={}, requested="contact_who")
    assert asyncio.run(ValidateContactForm().extract_age(CollectingDispatcher(), t, {})) == {"age": "14"}
    t = tracker(text="in year 6", slots={}, requested="contact_who")
    assert asyncio.run(ValidateContactForm().extract_age(CollectingDispatcher(), t, {})) == {}


def test_known_from_a_club_is_asked_as_a_check_and_a_no_is_never_a_pupil(school):
    from actions.decisions import ActionAskContactWho

    t = tracker("ask_staff_pupil_contact", "a girl from my netball club sent me a request. can i accept?", requested="contact_who")
    dispatcher, _ = run(ActionAskContactWho(), t)
    assert any("Just to check" in (m.get("text") or "") for m in dispatcher.messages)
    check = {"event": "bot", "text": dialogue.CHECK_PUPIL_HERE.format(school=school.name)}
    answer = Tracker("u", {"requested_slot": "contact_who"}, {"text": "no", "intent": {"name": "deny"}, "entities": []},
                     [check, {"event": "user", "text": "no"}], False, None, {"name": "contact_form"}, "action_listen")
    assert asyncio.run(ValidateContactForm().extract_contact_who(CollectingDispatcher(), answer, {})) == {"contact_who": "not_a_pupil"}


def test_the_contact_who_values_are_the_domains(domain):
    assert set(domain["slots"]["contact_who"]["values"]) == dialogue.CONTACT_WHO_VALUES
    assert ValidateContactForm().validate_contact_who("banana", CollectingDispatcher(), tracker(), {}) == {"contact_who": None}


def test_an_offer_is_not_taken_up_by_a_message_something_else_answered_first():
    # "the school sent a letter to all of us ... now its happening again so im
    # reporting it again": the decision is given again first, filing follows it
    from actions.base import accepted_offer_in_words

    text = "now its happening again so im reporting it again"
    latest = {"text": text, "intent": {"name": "ask_cyberbullying_responsibility"}, "entities": []}
    before = [{"event": "user", "text": "first"}, {"event": "action", "name": "action_decide"},
              {"event": "user", "text": text, "parse_data": latest}]
    slots = {"filing_offer": "concern_report:cyberbullying"}
    answering = Tracker("u", slots, latest, before, False, None, {}, "action_listen")
    assert accepted_offer_in_words(answering)
    decided_first = Tracker("u", slots, latest, before + [{"event": "action", "name": "action_start_decision"}],
                            False, None, {}, "action_listen")
    assert not accepted_offer_in_words(decided_first)


@pytest.mark.parametrize(
    "text",
    [
        "right, just found out off his phone it's not only Kai. his pal Jayden who is still in our grandsons class has been "
        "sending them too, off his own mobile",
        "Jayden is still at Moat Farm in his class, Kai has left",
    ],
)
def test_a_fact_added_to_a_bullying_case_stays_in_it(text, domain):
    # a grandson and a class sound like the contact question; after a
    # bullying decision they are the same case, with a pupil here doing it now
    latest = {"text": text, "intent": {"name": "ask_staff_pupil_contact", "confidence": 0.7}, "intent_ranking": [],
              "entities": [{"entity": "relationship", "value": "family"}]}
    told = {"event": "bot", "text": "x", "data": {"custom": {"decision": "not_school_responsibility"}}}
    slots = {"decision_topic": "cyberbullying", "bullying_who": "ex_pupil", "platform": "text message"}
    t = Tracker("s", slots, latest, [{"event": "user", "text": "first"}, told, {"event": "user", "text": text, "parse_data": latest}],
                False, None, {}, "action_listen")
    _, events = run(ActionStartDecision(), t, domain)
    changed = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert changed == {"decision_topic": "cyberbullying", "bullying_who": "current_pupil"}


# --- own-set-19/20 readings: who is speaking, and what they ask -------------------------------


def test_a_grandparents_app_question_with_no_contact_in_it_stays_out_of_scope(domain):
    from actions.conversation import ActionOutOfScope

    t = tracker("out_of_scope", "how do i make the writing bigger on whatsapp on my phone? my grandson usually does it for me",
                entities=[("platform", "WhatsApp"), ("relationship", "family")])
    dispatcher, events = run(ActionOutOfScope(), t, domain)
    assert "only help with" in dispatcher.messages[0]["text"]
    assert not any((m.get("custom") or {}).get("decision") for m in dispatcher.messages)
    # the same relative and app, in touch with the writer: the contact question
    t = tracker("out_of_scope", "my grandson is in year 3 and we message each other on whatsapp",
                entities=[("platform", "WhatsApp"), ("relationship", "family")])
    dispatcher, _ = run(ActionOutOfScope(), t, domain)
    assert [m["custom"]["decision"] for m in dispatcher.messages if (m.get("custom") or {}).get("decision")] == ["permitted_declare_to_head_teacher"]


def test_spiteful_texts_to_a_grandchild_from_a_classmate_are_bullying_not_a_family_link(domain):
    text = ("my granddaughter is in year 6 here and shes getting spiteful texts from a girl in her class, every night "
            "after tea. will the school sort it?")
    t = tracker("ask_cyberbullying_responsibility", text, entities=[("relationship", "family"), ("platform", "text message"),
                                                                    ("other_party", "current_pupil")])
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "decision_topic", "timestamp": None, "value": "cyberbullying"} in events
    # "getting texts from a girl in her class" is sent to the child by another child, whatever the adjective
    t = tracker("ask_cyberbullying_responsibility", "my nephew keeps getting texts from two boys in his class", entities=[("relationship", "family")])
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "name": "decision_topic", "timestamp": None, "value": "cyberbullying"} in events


def test_yes_or_no_typed_to_do_they_attend_the_school_is_an_answer():
    form = ValidateBullyingForm()
    for text, expected in [("yes all Y6 here", "current_pupil"), ("yeah they're both in her class", "current_pupil"),
                           ("no, they go to the academy", "other_school"), ("no one of them used to be here", None),
                           ("no, families have engaged, they came in after the letter", None),
                           ("hmm not sure", None)]:
        t = tracker("greet", text, requested="bullying_who", active_loop="bullying_form")
        got = asyncio.run(form.extract_bullying_who(CollectingDispatcher(), t, {}))
        assert got.get("bullying_who") == expected, text
    # asked something else, or already known: nothing taken
    t = tracker("affirm", "yes", requested="platform")
    assert asyncio.run(form.extract_bullying_who(CollectingDispatcher(), t, {})) == {}
    assert form.validate_bullying_who("somewhere", CollectingDispatcher(), t, {}) == {"bullying_who": None}


def test_facts_the_nlu_could_not_place_are_decided_with_the_offer_and_filed_when_asked(domain):
    from actions.conversation import ActionHandleUnclearMessage

    text = ("hiya ive just started as a midday supervisor. my nephew Oscar is in year 5 and were friends on facebook and both "
            "in the family whatsapp. someone said i have to tell the head in writing?? can i do that on here")
    t = tracker("nlu_fallback", text, entities=[("relationship", "family"), ("year_group", "5"), ("platform", "Facebook")])
    dispatcher, events = run(ActionHandleUnclearMessage(), t, domain)
    assert [m["custom"]["decision"] for m in dispatcher.messages if (m.get("custom") or {}).get("decision")] == ["permitted_declare_to_head_teacher"]
    assert {"event": "followup", "name": "action_start_filing", "timestamp": None} in events
    assert any(e.get("name") == "filing_offer" and e.get("value") == "family_link_declaration" for e in events)
    # not asked to file: the decision, with the offer to file it
    t = tracker("nlu_fallback", "my nephew Oscar is in year 5 and were friends on facebook",
                entities=[("relationship", "family"), ("platform", "Facebook")])
    dispatcher, events = run(ActionHandleUnclearMessage(), t, domain)
    assert not any(e.get("event") == "followup" for e in events)
    assert any("file it now" in b["title"].lower() for m in dispatcher.messages for b in m.get("buttons") or [])


def test_asking_whether_to_declare_a_family_link_starts_the_declaration(domain):
    text = "my niece ellie-may is in yr 3 here and follows me on insta. do i need to declare it or whatever?"
    slots = {"decision_topic": "contact", "contact_who": "family"}
    t = tracker("ask_staff_pupil_contact", text, slots, entities=[("relationship", "family"), ("platform", "Instagram")])
    dispatcher, events = run(ActionDecide(), t, domain)
    assert [m["custom"]["decision"] for m in dispatcher.messages if (m.get("custom") or {}).get("decision")] == ["permitted_declare_to_head_teacher"]
    assert {"event": "followup", "name": "action_start_filing", "timestamp": None} in events
    # a bullying decision is not filed for a "should I tell someone?"
    t = tracker("ask_cyberbullying_responsibility", "some kids in her class are calling her names on tiktok, should i tell someone?",
                {"decision_topic": "cyberbullying", "bullying_who": "current_pupil", "platform": "TikTok"})
    _, events = run(ActionDecide(), t, domain)
    assert not any(e.get("event") == "followup" for e in events)


def test_a_relatives_own_use_of_an_app_is_the_age_limit_not_contact(domain):
    text = ("My grandson Alfie is 9 and in year 4 and he keeps on at me to help him put the facebook on his tablet because "
            "his big cousin has it. Is he allowed")
    t = tracker("ask_staff_pupil_contact", text, entities=[("relationship", "family"), ("age", "9"), ("platform", "Facebook")])
    dispatcher, _ = run(ActionStartDecision(), t, domain)
    [custom] = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert custom["topic"] == "ask_pupil_age_limit" and "decision" not in custom
    # the writer in touch with the relative is the contact question
    t = tracker("ask_staff_pupil_contact", "my niece is in year 3 and follows me on insta, is she allowed to?",
                entities=[("relationship", "family"), ("platform", "Instagram")])
    dispatcher, events = run(ActionStartDecision(), t, domain)
    assert not dispatcher.messages and {"event": "slot", "name": "decision_topic", "timestamp": None, "value": "contact"} in events


def test_a_question_about_the_writers_own_posting_read_as_bullying_gets_the_policy_answer(domain):
    text = ("new TA here. if i have a moan about a bad day on my twitter (not naming anyone or the school) could i actually "
            "get in trouble?? my mate at another school got a warning for something like that")
    t = tracker("ask_cyberbullying_responsibility", text, entities=[("platform", "Twitter"), ("other_party", "other_school"),
                                                                    ("escalation", "warned_before")])
    t.latest_message["intent_ranking"] = [{"name": "ask_cyberbullying_responsibility", "confidence": 0.6},
                                          {"name": "ask_out_of_work_conduct", "confidence": 0.25}]
    dispatcher, _ = run(ActionStartDecision(), t, domain)
    [custom] = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert custom["topic"] == "ask_out_of_work_conduct" and "decision" not in custom
    # bullying told in the words is still the bullying question
    t = tracker("ask_cyberbullying_responsibility", "kids in her class keep posting mean comments about her, could i report it?",
                entities=[("other_party", "current_pupil")])
    t.latest_message["intent_ranking"] = [{"name": "ask_cyberbullying_responsibility", "confidence": 0.6},
                                          {"name": "ask_out_of_work_conduct", "confidence": 0.25}]
    dispatcher, events = run(ActionStartDecision(), t, domain)
    assert not dispatcher.messages and {"event": "slot", "name": "decision_topic", "timestamp": None, "value": "cyberbullying"} in events


def test_a_child_asking_to_follow_a_teacher_after_leaving_is_not_permitted():
    """"go to big school" is the child leaving, not a young person at another school."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.decisions import ActionDecide

    text = "when i leave in july and go to big school can i follow miss patel on insta?? shes my fav teacher ever"
    latest = {"text": text, "intent": {"name": "ask_staff_pupil_contact", "confidence": 0.97}, "intent_ranking": [],
              "entities": [{"entity": "other_party", "value": "other_school"}, {"entity": "contact_request", "value": "pupil_initiated"},
                           {"entity": "platform", "value": "Instagram"}]}
    slots = {"decision_topic": "contact", "contact_who": "not_a_pupil", "platform": "Instagram", "contact_request": "pupil_initiated"}
    tracker = Tracker("child", slots, latest, [{"event": "user", "text": text, "parse_data": latest}], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    ActionDecide().run(dispatcher, tracker, {})
    decisions = [(m.get("custom") or {}).get("decision") for m in dispatcher.messages if (m.get("custom") or {}).get("decision")]
    assert decisions == ["not_permitted"]


def test_the_brother_or_sister_of_a_relative_just_decided_is_family_too(domain):
    text = "ok and what about his little sister? she's in year 3 here now so one of our pupils. she wants to add me"
    t = tracker("ask_staff_pupil_contact", text, {"decision_topic": "contact", "contact_who": "current_pupil", "age": "20"},
                entities=[("other_party", "current_pupil"), ("contact_request", "pupil_initiated")])
    t.events = [{"event": "slot", "name": "contact_who", "value": "family"}, {"event": "user", "text": text}]
    dispatcher, events = run(ActionDecide(), t, domain)
    assert [m["custom"]["decision"] for m in dispatcher.messages if (m.get("custom") or {}).get("decision")] \
        == ["permitted_declare_to_head_teacher"]
    # not after a pupil who is no relative: "his sister" is then just a pupil
    t.events = [{"event": "slot", "name": "contact_who", "value": "current_pupil"}, {"event": "user", "text": text}]
    dispatcher, _ = run(ActionDecide(), t, domain)
    assert [m["custom"]["decision"] for m in dispatcher.messages if (m.get("custom") or {}).get("decision")] == ["not_permitted"]


def test_children_in_a_year_group_of_the_school_are_its_pupils_in_a_bullying_case(domain):
    text = "we've got Year 5 children being nasty to another Y5 child on instagram at weekends. what should we do?"
    t = tracker("ask_cyberbullying_responsibility", text, entities=[("platform", "Instagram")])
    t.events = [{"event": "user", "text": text}]
    _, events = run(ActionStartDecision(), t, domain)
    assert {"event": "slot", "timestamp": None, "name": "bullying_who", "value": "current_pupil"} in events


def test_the_adult_asked_naming_the_young_person_as_their_stepdaughter_is_a_family_link(domain):
    first = "a year 6 girl has sent me a friend request on facebook, should i accept it?"
    text = "sorry should have said - she's my stepdaughter, i married her dad last year and she lives with us"
    t = tracker("inform", text, {"decision_topic": "contact", "contact_who": "current_pupil", "contact_request": "pupil_initiated"})
    t.events = [{"event": "user", "text": first}, {"event": "slot", "name": "contact_who", "value": "current_pupil"},
                {"event": "user", "text": text}]
    dispatcher, _ = run(ActionDecide(), t, domain)
    assert [m["custom"]["decision"] for m in dispatcher.messages if (m.get("custom") or {}).get("decision")] \
        == ["permitted_declare_to_head_teacher"]
