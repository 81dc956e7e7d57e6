"""A child is heard (bot/triage.py through the actions): answered as a child
whatever the NLU made of the message, offered to be passed on, and a "yes"
starts a report without asking who they are."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionAnswerYesNo, ActionHandleUnclearMessage, ActionOutOfScope
from actions.decisions import ActionDecide, ActionStartDecision
from actions.filing import ActionStartFiling
from actions.policy_answers import ActionAnswerPolicyQuestion
from tests.filing.conftest import FilingConversation, _run


def tracker(text, intent="nlu_fallback", slots=None, history=()):
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.3}, "intent_ranking": [], "entities": []}
    events = [*({"event": "user", "text": t} for t in history), {"event": "user", "text": text}]
    return Tracker("socket-child", dict(slots or {}), latest, events, False, None, {}, "action_listen")


def run(action, t, domain):
    dispatcher = CollectingDispatcher()
    events = _run(action, dispatcher, t, domain)
    return " ".join(m.get("text") or "" for m in dispatcher.messages), events, dispatcher.messages


def slots_from(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_a_child_who_is_not_understood_is_answered_as_a_child(domain):
    for action in (ActionHandleUnclearMessage(), ActionOutOfScope(), ActionAnswerPolicyQuestion()):
        text, events, _ = run(action, tracker("please can u tell miss for me"), domain)
        assert "did the right thing" in text and "Childline" in text and "not sure I understood" not in text
        assert slots_from(events)["child_support"] == "help"


def test_yes_passes_it_on_without_asking_who_they_are(domain, client):
    _, events, _ = run(ActionHandleUnclearMessage(), tracker("i feel scared"), domain)
    offered = slots_from(events)
    _, events, _ = run(ActionAnswerYesNo(), tracker("ok you can tell someone", "affirm", offered), domain)
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_start_filing"]
    conversation = FilingConversation(domain, sender="socket-child")
    conversation.slots.update(offered)
    conversation.run(ActionStartFiling(), conversation.tracker("affirm", "ok you can tell someone"))
    assert conversation.slots["filing_kind"] == "concern_report" and conversation.slots["filer_role"] == "pupil"
    assert conversation.slots["filing_topic"] == "child_needs_help" and conversation.slots.get("child_support") is None


def test_no_is_met_gently(domain):
    _, events, _ = run(ActionHandleUnclearMessage(), tracker("someone keeps being mean to me online"), domain)
    text, events, _ = run(ActionAnswerYesNo(), tracker("no", "deny", slots_from(events)), domain)
    assert "That's OK" in text and "Childline" in text
    assert slots_from(events).get("child_support", "cleared") in (None, "cleared")


def test_an_adult_is_not_given_the_childs_answer(domain):
    text, events, _ = run(ActionHandleUnclearMessage(), tracker("Can staff use Facebook at lunchtime?", "nlu_fallback"), domain)
    assert "Childline" not in text


def test_a_childs_bullying_question_gets_no_adult_questions(domain):
    text, events, _ = run(ActionStartDecision(), tracker("a girl from my old school keeps saying mean things to me", "ask_cyberbullying_responsibility"), domain)
    assert "did the right thing" in text
    assert any(e["event"] == "followup" and e["name"] == "action_listen" for e in events)


def test_a_childs_decision_is_told_as_to_a_child(domain):
    slots = {"decision_topic": "cyberbullying", "bullying_who": "other_school", "platform": "TikTok"}
    text, events, messages = run(ActionDecide(), tracker("another school", "inform", slots, history=["miss said to ask you, a girl is being mean"]), domain)
    assert "not the school's responsibility" not in text.lower() and "different school" in text
    assert [m["custom"]["decision"] for m in messages if m.get("custom")] == ["not_school_responsibility"]
    assert slots_from(events)["filing_offer"] == "concern_report:child_needs_help"


def test_a_child_asking_to_add_a_teacher_is_the_pupil(domain):
    _, events, _ = run(ActionStartDecision(), tracker("can i add my teacher on tiktok pls", "ask_staff_pupil_contact"), domain)
    assert slots_from(events)["contact_who"] == "current_pupil"


def _child_tells_then_asks(domain, told, asks):
    """A child tells us something, is answered as a child, then asks us to tell a teacher."""
    conversation = FilingConversation(domain, sender="socket-child")
    _, events, _ = run(ActionHandleUnclearMessage(), tracker(told), domain)
    conversation.slots.update(slots_from(events))
    conversation.events.append({"event": "user", "text": told})
    return conversation.start("report_adult_concern", asks)


def test_what_a_child_has_told_is_the_start_of_their_report_and_is_not_asked_again(domain, client, repository):
    told = "theres sum1 on fortnite called dragonkid4477 he ses hes 10 but he sounds like a grown up and keeps asking wat my address is"
    conversation = _child_tells_then_asks(domain, told, "can u tell my teacher pls")
    # (a request to tell a teacher is who to tell, not an adult the child tells of)
    assert conversation.slots["filing_kind"] == "concern_report" and conversation.slots["filer_role"] == "pupil"
    assert "anything else you want to tell me" in conversation.text() and "in your own words" not in conversation.text()
    conversation.say("no")
    conversation.say("alfie 4W")  # a name and a class, as asked
    assert conversation.slots["filer_name"] not in (None,) and "just your name" not in conversation.text()
    assert "dragonkid4477" in conversation.text()  # the read-back shows what they told
    conversation.say("yes", "affirm")
    [reference] = conversation.custom("reference")
    record = repository.get(reference)
    # as typed, with the request that followed; the "no" to "anything else?" adds nothing
    assert record.account == told + "\n\ncan u tell my teacher pls"
    assert record.filer_name == "alfie, 4W"


def test_a_child_naming_the_teacher_to_tell_is_not_reporting_that_teacher(domain, client):
    told = "kai used to go to our school but now hes at secondry and he sends me voice notes calling me sausage legs"
    conversation = _child_tells_then_asks(domain, told, "can u tell miss obrien she is my teacher")
    assert conversation.slots["filing_kind"] == "concern_report"
    assert "LADO" not in conversation.text() and "head teacher" not in conversation.text().lower()


def test_a_child_telling_of_a_helper_at_school_messaging_them_is_heard_and_passed_on(domain):
    text = ("the lady who helps in our class at reading time found me on insta and sent me a mesage at nite "
            "saying i look pretty. is she alowed to do that its a bit weird")
    said, events, _ = run(ActionAnswerPolicyQuestion(), tracker(text, "ask_out_of_work_conduct"), domain)
    assert "Childline" in said and "did the right thing" in said
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_start_filing"]


def test_a_child_telling_of_the_ta_in_their_class_is_answered_as_a_child(domain, client):
    conversation = FilingConversation(domain, sender="socket-child")
    conversation.start("report_adult_concern", "mr bailey who is the TA in are class messaged me on tiktok and said i look "
                                               "realy grown up in my vids and to send him more just to him")
    assert "Childline" in conversation.text() and "No member of staff" not in conversation.text()
    assert conversation.slots["filer_role"] == "pupil" and conversation.slots["filing_kind"] == "disclosure"


def test_a_child_passed_on_after_being_heard_is_not_told_the_staff_rule(domain, client):
    """Heard first (the support reply set child_support), then passed on: what
    starts the disclosure speaks to the child, not "No. No member of staff..."."""
    told = ("the guitar teacher who comes in on wednesdays keeps sending me messages on instagram and he said "
            "not to tell my mum. it makes me feel weird")
    conversation = FilingConversation(domain, sender="socket-child")
    conversation.slots.update({"child_support": "secret", "child_worried": "secret",
                               "filing_offer": "disclosure:adult_at_school"})
    conversation.start("ask_staff_pupil_contact", told)
    assert "No member of staff" not in conversation.text()
    assert conversation.slots["filing_kind"] == "disclosure" and conversation.slots["filer_role"] == "pupil"


def test_a_child_saying_more_after_it_was_filed_is_not_offered_it_again(domain):
    t = tracker("my mum i think", slots={"child_worried": "secret", "filing_reference": "MF-AAAA-BBBB"},
                history=["my friend told me a secret about a grown up"])
    text, events, messages = run(ActionHandleUnclearMessage(), t, domain)
    assert "already passed on" in text and "MF-AAAA-BBBB" in text and "Childline" in text
    assert not any(m.get("buttons") for m in messages)
    assert slots_from(events).get("filing_offer") is None
    assert not any(e.get("event") == "followup" and e.get("name") == "action_start_filing" for e in events)


def test_a_child_afraid_of_being_in_trouble_for_their_own_use_hears_the_rules_too(domain):
    text, events, messages = run(ActionHandleUnclearMessage(), tracker(
        "i went on youtube on the class ipad when miss wasnt looking and now im scared im going to get in big trouble"), domain)
    assert "Childline" in text and "school computers" in text
    refs = [r for m in messages for r in (m.get("custom") or {}).get("policy_refs", [])]
    assert "pupils.school-computers" in refs


def test_a_worried_childs_classmate_who_used_to_be_in_my_class_is_still_the_childs_words(domain):
    t = tracker("he used to be in my class but he moved to a different school in the summer holidays",
                slots={"child_worried": "bullying"}, history=["a boy keeps sending me horrible messages on fortnite"])
    text, _, _ = run(ActionHandleUnclearMessage(), t, domain)
    assert "not sure I understood" not in text and "Childline" in text
    # ... but a child's conversation that turns out to be an adult's is an adult's
    t = tracker("sorry I should say I'm a TA, asking for a pupil", slots={"child_worried": "bullying"},
                history=["a boy keeps sending me horrible messages on fortnite"])
    text, _, _ = run(ActionHandleUnclearMessage(), t, domain)
    assert "Childline" not in text or "not sure" in text


def test_a_parent_telling_what_a_teacher_told_us_all_is_not_a_child_telling(domain):
    # the parent said who they are in their first message; "mrs example told
    # us all ..." later is the school acting, not an adult contacting a child
    follow_up = ("thing is this already happened before christmas. the school had all of us parents in and mrs example "
                 "told us all the kids are too young for tiktok. we didnt get them off it and now its started up again")
    t = tracker(follow_up, "inform", history=("my son in year 6 is getting horrible comments under his tiktok from 3 boys in his class",))
    text, events, _ = run(ActionHandleUnclearMessage(), t, domain)
    assert "Childline" not in text and "grown-up you trust" not in text
    assert slots_from(events).get("child_support") is None



def test_a_child_asking_about_grown_ups_pretending_to_be_children_is_heard_and_answered(domain):
    text, _, messages = run(ActionHandleUnclearMessage(), tracker("my cuzin said there r grown ups on roblox who pretend there kids is that aloud",
                                                                  "ask_adult_posing_as_child"), domain)
    assert "Childline" in text and "against the law" in text
    refs = [r for m in messages for r in (m.get("custom") or {}).get("policy_refs", [])]
    assert "staff.no-child-impersonation" in refs


def test_a_poorly_child_is_told_who_looks_after_them_not_the_policy(domain):
    text, events, messages = run(ActionOutOfScope(), tracker("my tummy hurts and i dont feel well can i go home", "out_of_scope"), domain)
    assert "not feeling well" in text and "teacher" in text
    assert "Childline" not in text and "Social Networking Policy" not in text
    assert not [r for m in messages for r in (m.get("custom") or {}).get("policy_refs", [])]


def test_a_child_asking_something_outside_the_policy_hears_it_in_a_childs_words(domain):
    text, _, _ = run(ActionOutOfScope(), tracker("miss wat is 7 times 8 i need it for my homwork", "out_of_scope"), domain)
    assert "grown-up at school" in text and "office on" not in text


def test_an_adult_asking_something_outside_the_policy_is_sent_to_the_office(domain):
    text, _, _ = run(ActionOutOfScope(), tracker("my son has a temperature, should he stay off today?", "out_of_scope"), domain)
    assert "school office" in text and "grown-up" not in text


def test_a_poorly_child_read_as_telling_a_worry_is_told_who_looks_after_them(domain):
    from actions.conversation import ActionSupportChild
    text, _, _ = run(ActionSupportChild(), tracker("my tummy hurts and i dont feel well can i go home", "tell_worry"), domain)
    assert "not feeling well" in text and "Childline" not in text


def test_a_child_scared_and_poorly_is_heard(domain):
    from actions.conversation import ActionSupportChild
    text, _, _ = run(ActionSupportChild(), tracker("my tummy hurts because im scared of the girls in my class", "tell_worry"), domain)
    assert "Childline" in text


def test_a_childs_report_passed_on_then_telling_of_an_adult_at_school_is_filed_as_a_disclosure(domain, client, repository):
    from actions.conversation import ActionSupportChild
    _, events, _ = run(ActionSupportChild(), tracker("i got a weird message", "tell_worry"), domain)
    offered = slots_from(events)
    conversation = FilingConversation(domain, sender="socket-child")
    conversation.slots.update(offered)
    conversation.events.append({"event": "user", "text": "i got a weird message"})
    conversation.start("affirm", "yeah im ok")
    assert conversation.slots["filing_kind"] == "concern_report" and conversation.slots["filer_role"] == "pupil"
    early = list(repository.list())
    conversation.say("miss kelly the TA in our class sent me a message on instagram saying add me but dont tell your mum")
    assert conversation.slots["filing_kind"] == "disclosure"
    assert "When you're ready" not in conversation.text()  # not taken for a child afraid to tell
    conversation.say("jayden 4K")
    conversation.say("yes", "affirm")
    [reference] = conversation.custom("reference")
    record = repository.get(reference)
    assert record.kind == "disclosure" and "miss kelly" in record.account
    assert len(early) <= 1 and all(r.reference != reference for r in early)  # the report passed on stays as it was


def test_an_offer_made_again_by_the_safety_net_can_be_taken_up(domain):
    # a worried child's "on tablet", not understood: heard again and offered again;
    # the offer is kept so that a "yes" to it passes it on
    t = tracker("on tablet", "nlu_fallback", slots={"child_worried": "bullying"}, history=("mean girl",))
    text, events, messages = run(ActionHandleUnclearMessage(), t, domain)
    assert "Childline" in text
    slots = slots_from(events)
    assert slots.get("child_support") and slots.get("child_worried") and slots.get("filing_offer")


def test_a_child_typing_a_word_at_a_time_is_heard_when_the_words_say_it(domain):
    words = ["hi", "people", "in", "my", "class", "said", "im"]
    text, events, _ = run(ActionHandleUnclearMessage(), tracker("ugly", "out_of_scope", history=words), domain)
    assert "Childline" in text and slots_from(events).get("child_support")


def test_short_messages_that_say_nothing_wrong_are_not_a_worry(domain):
    text, _, _ = run(ActionOutOfScope(), tracker("thanks", "out_of_scope", history=("hi", "ok", "phones")), domain)
    assert "Childline" not in text
