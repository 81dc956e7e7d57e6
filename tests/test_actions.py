"""Actions, run with a real CollectingDispatcher and Tracker."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    ActionExplainCapabilities,
    ActionGreet,
    ActionOutOfScope,
    ActionShareContacts,
    ActionStartAgain,
    ActionHandleUnclearMessage,
)
from actions.policy_answers import ActionAnswerPolicyQuestion
from tests.conftest import make_tracker


def _custom(dispatcher):
    return [m["custom"] for m in dispatcher.messages if m.get("custom")]


def test_policy_answer_carries_text_and_policy_refs(dispatcher, catalogue):
    events = ActionAnswerPolicyQuestion().run(
        dispatcher, make_tracker("ask_mentioning_school", "can i post pics of the school trip"), {}
    )
    assert events == [{"event": "slot", "name": "filing_offer", "timestamp": None, "value": None}]
    [message] = dispatcher.messages
    assert "permission" in message["text"]
    assert message["custom"]["policy_refs"][0] == "terms.references-need-permission"
    assert message["custom"]["policy_refs"] == list(catalogue.topic("ask_mentioning_school").refs)


def test_every_policy_intent_gets_an_answer_with_refs(catalogue):
    from rasa_sdk.executor import CollectingDispatcher

    for intent in catalogue.topics:
        dispatcher = CollectingDispatcher()
        ActionAnswerPolicyQuestion().run(dispatcher, make_tracker(intent, "question"), {})
        [custom] = _custom(dispatcher)
        assert custom["policy_refs"], intent


def test_non_topic_intent_gets_suggestions_not_a_guess(dispatcher):
    tracker = make_tracker(
        "greet", "hmm", ranking=[{"name": "greet"}, {"name": "ask_pupil_age_limit"}]
    )
    ActionAnswerPolicyQuestion().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["buttons"][0]["payload"] == "/ask_pupil_age_limit"
    assert not message.get("custom")


def test_fallback_offers_buttons_and_named_person(dispatcher, school):
    tracker = make_tracker(
        "nlu_fallback",
        "the thing with the app",
        ranking=[
            {"name": "nlu_fallback", "confidence": 0.5},
            {"name": "ask_cyberbullying_responsibility", "confidence": 0.4},
            {"name": "ask_how_to_report_concern", "confidence": 0.3},
        ],
    )
    ActionHandleUnclearMessage().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert [b["payload"] for b in message["buttons"]] == [
        "/ask_cyberbullying_responsibility", "/ask_how_to_report_concern",
    ]
    assert school.dsl.name in message["text"]
    assert not message.get("custom")


@pytest.mark.parametrize(
    "action, intent",
    [
        (ActionGreet, "greet"),
        (ActionExplainCapabilities, "ask_capabilities"),
        (ActionShareContacts, "ask_who_to_contact"),
        (ActionOutOfScope, "out_of_scope"),
    ],
)
def test_conversation_actions_reply_without_citations(dispatcher, action, intent):
    action().run(dispatcher, make_tracker(intent, "text"), {})
    assert dispatcher.messages and dispatcher.messages[0]["text"]
    assert _custom(dispatcher) == []


@pytest.mark.parametrize(
    "issue, phrase",
    [("message_too_long", "longer than I can read"), ("non_english", "only understand English"), ("empty_message", "didn't receive")],
)
def test_unreadable_input_is_explained_not_guessed(dispatcher, issue, phrase):
    ranking = [{"name": "nlu_fallback", "confidence": 1.0}, {"name": "ask_mobile_phones", "confidence": 0.6}]
    tracker = make_tracker("nlu_fallback", "x", ranking=ranking, input_issue=issue)
    ActionHandleUnclearMessage().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert phrase in message["text"] and not message.get("buttons") and not message.get("custom")


def test_start_again_says_so_and_restarts(dispatcher):
    events = ActionStartAgain().run(dispatcher, make_tracker("restart_conversation", "start over"), {})
    assert events == [{"event": "restart", "timestamp": None}]
    assert "start again" in dispatcher.messages[0]["text"]


def test_a_broken_catalogue_gives_an_honest_apology(dispatcher, monkeypatch, tmp_path, school):
    monkeypatch.setenv("POLICY_DIR", str(tmp_path))  # no catalogue there
    ActionAnswerPolicyQuestion().run(dispatcher, make_tracker("ask_mobile_phones", "phones?"), {})
    [message] = dispatcher.messages
    assert "something went wrong" in message["text"] and school.dsl.name in message["text"]
    assert not message.get("custom")


def test_an_unclear_message_that_tells_of_an_adult_and_a_child_starts_a_disclosure():
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionHandleUnclearMessage

    text = "the head teacher has loads of current pupils as friends on her personal facebook, who do i tell"
    latest = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3}, "intent_ranking": [], "entities": []}
    t = Tracker("u", {}, latest, [{"event": "user", "text": text}], False, None, {}, "action_listen")
    events = ActionHandleUnclearMessage().run(CollectingDispatcher(), t, {})
    assert events[-1]["name"] == "action_start_filing"
    assert [e["value"] for e in events if e.get("name") == "filing_offer"] == ["disclosure:adult_at_school"]


def _tracker_with(text, slots=None, intent="inform", events=None):
    from rasa_sdk import Tracker

    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "intent_ranking": [], "entities": []}
    return Tracker("u", slots or {}, latest, (events or []) + [{"event": "user", "text": text}], False, None, {}, "action_listen")


def test_a_worried_child_is_never_told_not_sure_i_understood_by_any_action():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.decisions import ActionDecide

    dispatcher = CollectingDispatcher()
    ActionDecide().run(dispatcher, _tracker_with("on my tablet", {"child_worried": "bullying"}), {})
    text = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "not sure I understood" not in text and "0800 1111" in text
    # an adult in the same place still gets the suggestions
    dispatcher = CollectingDispatcher()
    ActionDecide().run(dispatcher, _tracker_with("on the staff laptop"), {})
    assert "not sure I understood" in " ".join(m.get("text") or "" for m in dispatcher.messages)


def test_a_child_asked_about_bullying_is_asked_plainly():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.decisions import ActionAskBullyingWho

    dispatcher = CollectingDispatcher()
    t = _tracker_with("sumone keeps sending my frend horible msgs", intent="ask_cyberbullying_responsibility")
    ActionAskBullyingWho().run(dispatcher, t, {})
    text = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "responsibility" not in text and "our school" in text
    # the first time, with what every child is told, citing the policy's words to pupils
    assert "class teacher" in text and "0800 1111" in text
    refs = [r for m in dispatcher.messages for r in (m.get("custom") or {}).get("policy_refs", [])]
    assert refs == ["pupils.report-concerns", "pupils.zero-tolerance"]
    # asked again later: the question alone
    from bot.policy import load_catalogue
    from bot.school import load_school_profile

    again = ActionAskBullyingWho().reply(_tracker_with("sumone keeps sending my frend horible msgs", intent="inform"),
                                         load_catalogue(), load_school_profile())
    assert again.text == "Thank you for telling me. Do the people doing it go to our school?"


def test_a_child_telling_of_bullying_over_two_messages_gets_the_decision_in_a_childs_words(school):
    from actions.conversation import ActionSupportChild

    first = {"text": "sumone is being horrible to me online", "intent": {"name": "tell_worry", "confidence": 0.9}, "entities": []}
    second = {
        "text": "its 2 girls in my class on snapchat",
        "intent": {"name": "tell_worry", "confidence": 0.9},
        "intent_ranking": [{"name": "tell_worry", "confidence": 0.9}],
        "entities": [{"entity": "other_party", "value": "current_pupil"}, {"entity": "platform", "value": "Snapchat", "start": 27}],
    }
    events = [
        {"event": "user", "text": first["text"], "parse_data": first},
        {"event": "bot", "text": "I'm sorry that's happening.", "data": {"custom": {"child_support": "bullying"}}},
        {"event": "user", "text": second["text"], "parse_data": second},
    ]
    tracker = Tracker("child", {"child_worried": "bullying"}, second, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    returned = ActionSupportChild().run(dispatcher, tracker, {})
    custom = next(m["custom"] for m in dispatcher.messages if m.get("custom"))
    assert custom["decision"] == "school_must_investigate_and_warn_parents"
    text = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "0800 1111" in text and "not the school's responsibility" not in text.lower()
    assert {"event": "slot", "name": "decision_topic", "value": "cyberbullying", "timestamp": None} in returned

    # the same decision is not told twice: more words get the child's answer again
    told = events + [
        {"event": "bot", "text": "…", "data": {"custom": {"decision": custom["decision"]}}},
        {"event": "user", "text": "they said im ugly", "parse_data": {**second, "text": "they said im ugly", "entities": []}},
    ]
    again = Tracker("child", {"child_worried": "bullying"}, {**second, "text": "they said im ugly", "entities": []}, told, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    ActionSupportChild().run(dispatcher, again, {})
    assert not any((m.get("custom") or {}).get("decision") for m in dispatcher.messages)
    assert "0800 1111" in " ".join(m.get("text") or "" for m in dispatcher.messages)


def test_an_offer_to_file_taken_up_in_words_starts_filing():
    from actions.base import accepted_offer_in_words

    latest = {"text": "i'd like to get that on record with the head", "intent": {"name": "ask_mentioning_school", "confidence": 0.3}}
    events = [
        {"event": "user", "text": "my niece is starting in year 3, we're on a family whatsapp group"},
        {"event": "action", "name": "action_decide"},
        {"event": "bot", "text": "…"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": latest["text"], "parse_data": latest},
    ]
    offer = {"filing_offer": "family_link_declaration:contact"}
    assert accepted_offer_in_words(Tracker("s", offer, latest, events, False, None, {}, "action_listen"))
    # not when the offer was made further back, nor without an offer, nor for other words
    later = events[:4] + [{"event": "user", "text": "ok"}, {"event": "action", "name": "action_answer_yes_no"},
                          {"event": "action", "name": "action_listen"}, events[4]]
    assert not accepted_offer_in_words(Tracker("s", offer, latest, later, False, None, {}, "action_listen"))
    assert not accepted_offer_in_words(Tracker("s", {}, latest, events, False, None, {}, "action_listen"))
    other = {**latest, "text": "what about her mum?"}
    assert not accepted_offer_in_words(Tracker("s", offer, other, events[:4] + [{"event": "user", "text": other["text"]}], False, None, {}, "action_listen"))


def test_a_child_who_asks_us_to_tell_a_teacher_is_passed_on_straight_away():
    from actions.conversation import ActionSupportChild

    text = "the boys in our class made a group chat about my friend with a pig face pic. can u tell a teacher"
    latest = {"text": text, "intent": {"name": "tell_worry", "confidence": 0.9}, "entities": []}
    tracker = Tracker("child", {}, latest, [{"event": "user", "text": text, "parse_data": latest}], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = ActionSupportChild().run(dispatcher, tracker, {})
    assert {"event": "followup", "name": "action_start_filing", "timestamp": None} in events
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "0800 1111" in said and "Would you like me to tell" not in said


def _a_child_offered(times, then, answered_no=False):
    """A child told us something, was offered "would you like me to tell ...?"
    `times` times without answering it, and now says `then`."""
    offer = {"custom": {"child_support": "feelings", "policy_refs": ["pupils.report-concerns"]},
             "buttons": [{"title": "Yes, please tell them", "payload": "/affirm"}, {"title": "No, not now", "payload": "/deny"}]}
    worry = {"text": "some big kids filmed me crying and said they will put it online. im scared",
             "intent": {"name": "tell_worry", "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "text": worry["text"], "parse_data": worry}]
    for _ in range(times):
        events.append({"event": "bot", "text": "Would you like me to tell Mr A. Sample?", "data": offer})
        if answered_no:
            no = {"text": "no", "intent": {"name": "deny", "confidence": 0.95}, "entities": []}
            events.append({"event": "user", "text": "no", "parse_data": no})
            answered_no = False
        else:
            more = {"text": "i am at home with my mum", "intent": {"name": "inform", "confidence": 0.5}, "entities": []}
            events.append({"event": "user", "text": more["text"], "parse_data": more})
    latest = {"text": then, "intent": {"name": "tell_worry", "confidence": 0.9}, "entities": []}
    events.append({"event": "user", "text": then, "parse_data": latest})
    tracker = Tracker("child", {"child_worried": "feelings"}, latest, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    from actions.conversation import ActionSupportChild

    returned = ActionSupportChild().run(dispatcher, tracker, {})
    return returned, " ".join(m.get("text") or "" for m in dispatcher.messages)


def test_a_child_offered_twice_who_keeps_telling_us_is_passed_on_and_told_so():
    from actions.base import OFFERS_BEFORE_PASSING_ON

    start = {"event": "followup", "name": "action_start_filing", "timestamp": None}
    # offered once: asked again
    returned, said = _a_child_offered(1, "i am at home with my mum")
    assert start not in returned and "Would you like me to tell" in said
    # offered twice and still telling us: not asked a third time, passed on
    returned, said = _a_child_offered(OFFERS_BEFORE_PASSING_ON, "i am at home with my mum")
    assert start in returned and "Would you like me to tell" not in said and "0800 1111" in said
    # the same when the safety net of another action hears them ("a girl in my clas" read as nothing)
    from actions.conversation import ActionHandleUnclearMessage

    offer = {"custom": {"child_support": "bullying"}, "buttons": [{"title": "Yes, please tell them", "payload": "/affirm"}]}
    said_first = {"text": "sumwun rote horibul fings about me on yootoob", "intent": {"name": "tell_worry", "confidence": 0.9}, "entities": []}
    latest = {"text": "a girl in my clas", "intent": {"name": "nlu_fallback", "confidence": 0.3}, "intent_ranking": [], "entities": []}
    events = [{"event": "user", "text": said_first["text"], "parse_data": said_first}, {"event": "bot", "text": "…", "data": offer},
              {"event": "user", "text": "on my sistas tablet", "parse_data": latest}, {"event": "bot", "text": "…", "data": offer},
              {"event": "user", "text": latest["text"], "parse_data": latest}]
    tracker = Tracker("child", {"child_worried": "bullying"}, latest, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    returned = ActionHandleUnclearMessage().run(dispatcher, tracker, {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert start in returned and "Would you like me to tell" not in said and "0800 1111" in said
    # a child who said no is not passed on however many times they are offered
    returned, said = _a_child_offered(OFFERS_BEFORE_PASSING_ON + 1, "they are still saying it", answered_no=True)
    assert start not in returned


def test_a_worried_childs_i_dont_like_it_read_as_stop_is_heard_again():
    from actions.conversation import ActionAnswerYesNo

    def said(text, slots):
        latest = {"text": text, "intent": {"name": "stop", "confidence": 0.8}, "entities": []}
        tracker = Tracker("child", slots, latest, [{"event": "user", "text": text, "parse_data": latest}], False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        ActionAnswerYesNo().run(dispatcher, tracker, {})
        return " ".join(m.get("text") or "" for m in dispatcher.messages)

    assert "0800 1111" in said("i dont like it", {"child_worried": "secret"})
    assert "Thank you for telling me more" not in said("stop", {"child_worried": "secret"})  # "stop" is respected
    assert said("i dont like it", {}) == "OK. Is there anything else you'd like to know about the Social Networking Policy?"


def test_a_childs_disclosure_offer_is_kept_when_they_say_more():
    """The tracker store does not keep a disclosure's words (bot/redaction.py):
    what the child adds next must not turn the offer into an ordinary report."""
    from actions.base import support_events
    from bot import filing
    from bot.redaction import REDACTED

    latest = {"text": "i dont like it", "intent": {"name": "tell_worry", "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "text": REDACTED}, {"event": "user", "text": "i dont like it", "parse_data": latest}]
    disclosure = filing.offer_slot_value(filing.DISCLOSURE, "adult_at_school")
    tracker = Tracker("child", {"filing_offer": disclosure, "child_worried": "secret"}, latest, events, False, None, {}, "action_listen")
    assert {"event": "slot", "name": "filing_offer", "value": disclosure, "timestamp": None} in support_events(tracker, "i dont like it", "help")


def test_a_worried_childs_yes_after_something_else_in_between_still_passes_it_on():
    from actions.conversation import ActionAnswerYesNo

    latest = {"text": "yes ok", "intent": {"name": "affirm", "confidence": 0.95}, "entities": []}
    slots = {"child_worried": "secret", "filing_offer": "disclosure:adult_at_school"}
    tracker = Tracker("child", slots, latest, [{"event": "user", "text": "yes ok", "parse_data": latest}], False, None, {}, "action_listen")
    events = ActionAnswerYesNo().run(CollectingDispatcher(), tracker, {})
    assert {"event": "followup", "name": "action_start_filing", "timestamp": None} in events
    assert {"event": "slot", "name": "filing_offer", "value": "disclosure:adult_at_school", "timestamp": None} in events


def test_a_medical_need_is_out_of_the_policys_scope(domain):
    from actions.policy_answers import ActionAnswerPolicyQuestion
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    text = "my son has just been diagnosed with asthma. does he keep his inhaler on him in class or does it have to go in the office like the phones do?"
    latest = {"text": text, "intent": {"name": "ask_mobile_phones", "confidence": 0.8}, "intent_ranking": [], "entities": []}
    t = Tracker("u", {}, latest, [{"event": "user", "text": text, "parse_data": latest}], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    ActionAnswerPolicyQuestion().run(dispatcher, t, domain)
    assert not any((m.get("custom") or {}).get("policy_refs") for m in dispatcher.messages)
    assert "office" in " ".join(m.get("text") or "" for m in dispatcher.messages)


def test_a_relative_put_on_record_with_the_head_is_a_family_link_not_a_disclosure():
    from actions.conversation import ActionHandleUnclearMessage

    text = ("I'm on supply here for a fortnight and turns out my sister's boy is in 5C. We're connected on a family "
            "whatsapp. I'd rather put it on record with the head now than have it come up later")
    entities = [{"entity": "relationship", "value": "family", "start": 38, "end": 51},
                {"entity": "platform", "value": "WhatsApp", "start": 94, "end": 102}]
    latest = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3}, "intent_ranking": [], "entities": entities}
    t = Tracker("u", {}, latest, [{"event": "user", "text": text}], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = ActionHandleUnclearMessage().run(dispatcher, t, {})
    assert "disclosure:adult_at_school" not in [e.get("value") for e in events if e.get("name") == "filing_offer"]
    decisions = [(m.get("custom") or {}).get("decision") for m in dispatcher.messages if (m.get("custom") or {}).get("decision")]
    assert decisions == ["permitted_declare_to_head_teacher"]


@pytest.mark.parametrize("text", [
    "if i make a tiktok at home will i get in trubble at school",
    "will i get in trouble if i post on tiktok at home, im in year 5",
])
def test_a_child_asking_what_staff_are_told_gets_the_pupils_rules(dispatcher, catalogue, text):
    """"The school as your employer is entitled to take disciplinary action"
    is not an answer for a child: the rules for pupils are, with who helps."""
    ActionAnswerPolicyQuestion().run(dispatcher, make_tracker("ask_out_of_work_conduct", text), {})
    [message] = dispatcher.messages
    assert "disciplinary" not in message["text"] and "employer" not in message["text"]
    assert "under 13" in message["text"] and "Childline" in message["text"]
    assert message["custom"]["policy_refs"] == list(catalogue.pupil_rules.refs)


def test_an_adult_asking_the_same_gets_the_staff_answer(dispatcher, catalogue):
    text = "if i make a tiktok at home will i get in trouble at school? I teach year 4"
    ActionAnswerPolicyQuestion().run(dispatcher, make_tracker("ask_out_of_work_conduct", text), {})
    [message] = dispatcher.messages
    assert message["custom"]["policy_refs"] == list(catalogue.topic("ask_out_of_work_conduct").refs)
    assert "disciplinary" in message["text"]


def test_a_signed_in_pupil_is_never_given_a_staff_answer(catalogue):
    for topic in [t for t in catalogue.topics.values() if t.for_staff]:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(topic.intent, "question", metadata={"user": {"role": "pupil"}})
        ActionAnswerPolicyQuestion().run(dispatcher, tracker, {})
        [message] = dispatcher.messages
        assert message["custom"]["topic"] == "pupil_rules", topic.intent


def test_how_to_work_an_apps_settings_is_out_of_scope_and_offers_no_filing(dispatcher):
    text = "how do i set up the parental controls on the games console so my son cant chat to strangers online? i cant find it"
    tracker = make_tracker("ask_how_to_report_concern", text)
    events = ActionAnswerPolicyQuestion().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert not message.get("custom")
    assert events == [{"event": "slot", "name": "filing_offer", "timestamp": None, "value": None}]


def test_a_carer_asking_whether_their_own_child_may_have_an_app_hears_the_age_limits(dispatcher, catalogue):
    text = "we foster, our boy is 8 and in year 3. he's desperate for snapchat like his cousins. what does school think?"
    tracker = make_tracker("nlu_fallback", text, ranking=[{"name": "nlu_fallback", "confidence": 0.3},
                                                          {"name": "ask_staff_pupil_contact", "confidence": 0.25}],
                           entities=[{"entity": "platform", "value": "Snapchat"}])
    ActionHandleUnclearMessage().run(dispatcher, tracker, {})
    [message] = [m for m in dispatcher.messages if m.get("text")]
    assert message["custom"]["policy_refs"] == list(catalogue.topic("ask_pupil_age_limit").refs)


def test_a_parent_asking_whether_an_adult_at_the_school_may_post_is_not_told_the_age_limits(dispatcher, catalogue):
    text = ("my sons mum has started as a dinner lady at the school. shes put the year 4 trip photos on her facebook with "
            "other kids in them. is she allowed to do that when she works there??")
    tracker = make_tracker("nlu_fallback", text, ranking=[{"name": "nlu_fallback", "confidence": 0.3},
                                                          {"name": "ask_mentioning_school", "confidence": 0.25}],
                           entities=[{"entity": "platform", "value": "Facebook"}])
    ActionHandleUnclearMessage().run(dispatcher, tracker, {})
    refs = [r for m in dispatcher.messages for r in (m.get("custom") or {}).get("policy_refs", [])]
    assert "pupils.under-13" not in refs
