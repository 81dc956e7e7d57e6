"""The safeguarding logic of filing (issue "Safe to expose", part 2), at the
action level with real SDK objects, the real records repository and drafts:
who a concern about the head teacher reaches, a disclosure typed in the
middle of another question, the account kept exactly as typed, a signed-in
role that cannot be changed."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import filing as filing_actions
from actions.decisions import ValidateBullyingForm, ValidateContactForm
from bot import filing
from tests.filing.conftest import FilingConversation

HEAD_ACCOUNT = "Mrs Example has been messaging my son on WhatsApp late at night"
OTHER_ACCOUNT = "Mr Quill, the PE teacher, has been messaging my son on WhatsApp late at night"


def to_read_back(conversation, account, opening="I want to report a teacher"):
    conversation.start("report_adult_concern", opening)
    conversation.click("parent")
    conversation.say(account)
    conversation.say("skip")
    conversation.say("skip")
    assert "Shall I file it now?" in conversation.text()


def filed_record(conversation, repository):
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    return repository.get(reference)


# --- 4. a concern about the head teacher ------------------------------------------


def test_an_account_naming_the_head_after_a_vague_opening_goes_to_the_chair(conversation, repository, school):
    conversation.start("report_adult_concern", "I want to report a teacher")
    intro = conversation.text()
    assert "chair of governors" in intro  # told where it goes either way
    conversation.click("parent")
    conversation.say(HEAD_ACCOUNT)
    conversation.say("skip")
    conversation.say("skip")
    readback = conversation.text()
    assert f"Goes to: the chair of governors, {school.chair_of_governors.name}" in readback
    assert "head teacher, who will not see it" in readback
    record = filed_record(conversation, repository)
    assert record.details["about_head_teacher"] is True
    assert "chair of governors" in conversation.text() and f"it goes to {school.head_teacher.name}" not in conversation.text()


def test_the_read_back_asks_plainly_and_the_answer_reroutes(conversation, repository, school):
    to_read_back(conversation, OTHER_ACCOUNT)
    readback = conversation.text()
    assert f"Goes to: {school.head_teacher.name}" in readback
    assert f"Is it about the head teacher, {school.head_teacher.name}?" in readback
    conversation.say("yes it's about the head teacher", intent="affirm")
    assert "chair of governors" in conversation.text() and "Shall I file it now?" in conversation.text()
    assert conversation.custom("reference") == []  # not filed on that "yes": the routing changed first
    record = filed_record(conversation, repository)
    assert record.details["about_head_teacher"] is True


def test_something_added_at_the_read_back_about_the_head_reroutes(conversation, repository):
    to_read_back(conversation, "A teacher has been messaging my son")
    conversation.say("and the head keeps messaging him too on Snapchat")
    assert "added that to your account" in conversation.text()
    assert filed_record(conversation, repository).details["about_head_teacher"] is True


def test_saying_it_is_not_the_head_keeps_it_with_the_head_teacher(conversation, repository):
    to_read_back(conversation, "I told the head teacher and nothing happened. Mr Quill keeps messaging my son")
    assert "Goes to: Mrs J. Example" in conversation.text()
    conversation.say("yes please pass it to the head teacher")  # a yes, not a change of who it is about
    [reference] = conversation.custom("reference")
    assert repository.get(reference).details["about_head_teacher"] is False


def test_the_person_can_take_the_head_teacher_back_out(conversation, repository):
    to_read_back(conversation, HEAD_ACCOUNT)
    conversation.say("no, it's not about the head, it's the deputy head", intent="deny")
    assert "Goes to: Mrs J. Example" in conversation.text()
    assert filed_record(conversation, repository).details["about_head_teacher"] is False


# --- 5. a disclosure typed in the middle of a decision's questions --------------------


def decision_tracker(form: str, text: str, intent: str = "inform") -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.6}, "intent_ranking": [], "entities": [
        {"entity": "platform", "value": "Snapchat"}]}
    return Tracker(
        "rest:parent-9", {"requested_slot": "bullying_who", "decision_topic": "cyberbullying"}, latest,
        [{"event": "user", "text": text}], False, None, {"name": form}, "action_listen",
    )


@pytest.mark.parametrize("form, action", [("bullying_form", ValidateBullyingForm), ("contact_form", ValidateContactForm)])
def test_a_disclosure_during_a_decision_stops_it_and_starts_filing(form, action, domain, client, school):
    text = "the PE teacher keeps messaging my daughter on Snapchat late at night"
    events = asyncio.run(action().run(CollectingDispatcher(), decision_tracker(form, text), domain))
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert any(e["event"] == "followup" and e["name"] == "action_start_filing" for e in events)
    assert not any(e["event"] == "slot" and e["name"] in ("bullying_who", "platform") and e["value"] for e in events)
    # the filing then starts with that message as its opening, and opens the form itself
    conversation = FilingConversation(domain, sender="rest:parent-9")
    conversation.slots.update({e["name"]: e["value"] for e in events if e["event"] == "slot"})
    started = conversation.run(filing_actions.ActionStartFiling(), conversation.tracker("inform", text))
    assert any(e["event"] == "followup" and e["name"] == "filing_form" for e in started)
    assert conversation.slots["filing_kind"] == "disclosure"
    answers = asyncio.run(filing_actions.records_client().draft(conversation.slots["filing_id"], "rest:parent-9"))
    assert answers.opening == text


def test_an_ordinary_answer_during_a_decision_is_still_an_answer(domain):
    events = asyncio.run(ValidateBullyingForm().run(CollectingDispatcher(), decision_tracker("bullying_form", "on snapchat"), domain))
    assert not any(e["event"] == "followup" for e in events)


# --- 6. the account exactly as typed --------------------------------------------------


def test_the_account_is_filed_exactly_as_typed(conversation, repository):
    typed = "he said <don't tell> & <3\nand then:\n\n  \"delete this\"\t<b>now</b>"
    conversation.start("report_adult_concern", "I want to report a teacher")
    conversation.click("parent")
    conversation.say(typed)
    conversation.say("skip")
    conversation.say("skip")
    assert typed in conversation.text()  # the read-back quotes it as typed (the widget shows text, not HTML)
    assert filed_record(conversation, repository).account.endswith(typed)


# --- 9. a signed-in role is the token's ------------------------------------------------


def test_a_signed_in_parent_cannot_become_staff_at_the_read_back(domain, client, repository):
    parent = {"user": {"role": "parent"}}
    conversation = FilingConversation(domain, sender="socket-session-1")
    conversation.start("report_adult_concern", "I want to report a teacher", metadata=parent)
    assert "are you a parent or carer" not in conversation.text()

    conversation.say(OTHER_ACCOUNT)
    conversation.say("skip")
    conversation.say("skip")
    assert "Shall I file it now?" in conversation.text()
    # the change menu has no "Who I am", and a crafted change is ignored
    conversation.say("no", intent="deny")
    assert "Who I am" not in [b["title"] for m in conversation.last for b in m.get("buttons") or []]
    conversation.say('/inform{"filing_change": "filer_role"}', entities=[("filing_change", "filer_role")])
    assert conversation.slots["filer_role"] == "parent"
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).filer_role == "parent"
