"""Filing conversations are redacted before Rasa's tracker store writes them."""
from __future__ import annotations

import asyncio
import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.redaction import REDACTED, redact_events
from bot.tracker_store import RedactingSQLTrackerStore

ACCOUNT = "Mr Example has been sending my son private messages on Instagram late at night"


def user(text, intent="inform", entities=None):
    if entities is None:
        entities = [{"entity": "platform", "value": "instagram", "text": "Instagram"}]
    return UserUttered(text, {"name": intent, "confidence": 0.9}, entities)


def conversation_events():
    return [
        ActionExecuted("action_listen"),
        user("what does the policy say about phones?", "ask_mobile_phones"),
        ActionExecuted("action_answer_policy_question"),
        BotUttered("Pupils may not use phones in lessons."),
        ActionExecuted("action_listen"),
        user("I want to report a teacher messaging my son", "report_adult_concern"),
        ActionExecuted("action_start_filing"),
        BotUttered("Thank you for raising this."),
        SlotSet("filing_id", "draft-id-opaque"),
        ActionExecuted("filing_form"),
        ActiveLoop("filing_form"),
        BotUttered("Please describe what happened"),
        ActionExecuted("action_listen"),
        user(ACCOUNT),
        ActionExecuted("filing_form"),
        SlotSet("filing_account", "given"),
        BotUttered(f"Please check this before I file it: \u201c{ACCOUNT}\u201d"),
        ActionExecuted("action_listen"),
        user("yes", "affirm"),
        ActionExecuted("filing_form"),
        ActiveLoop(None),
        ActionExecuted("action_file_record"),
        BotUttered("Thank you. It is filed. Your reference is MF-7KQ4-9XTP", {"custom": {"reference": "MF-7KQ4-9XTP"}}),
        ActionExecuted("action_listen"),
        user("thanks", "thank"),
    ]


def test_filing_turns_are_redacted_and_the_rest_is_kept():
    before = [e.as_dict() for e in conversation_events()]
    after = redact_events(before)
    texts = [e.get("text") for e in after if e["event"] in ("user", "bot")]
    assert texts == [
        "what does the policy say about phones?",
        "Pupils may not use phones in lessons.",
        REDACTED,  # the message that started filing
        REDACTED,
        REDACTED,
        REDACTED,  # the account
        REDACTED,  # the read-back
        REDACTED,  # the confirmation
        "Thank you. It is filed. Your reference is MF-7KQ4-9XTP",
        "thanks",
    ]
    assert ACCOUNT not in str(after)
    assert before[13]["text"] == ACCOUNT  # the input is not modified
    # structure is kept: intents, actions and slots still replay
    assert [e["event"] for e in after] == [e["event"] for e in before]
    assert after[13]["parse_data"]["intent"]["name"] == "inform"
    # the entities' values and offsets give facts away too
    assert after[13]["parse_data"]["entities"] == [] and before[13]["parse_data"]["entities"]


def test_slots_filled_from_what_was_said_during_filing_are_stored_empty():
    events = [e.as_dict() for e in conversation_events()]
    events.insert(14, SlotSet("platform", "Instagram").as_dict())  # from the account's entities
    events.insert(15, SlotSet("age", "15").as_dict())
    after = redact_events(events)
    by_name = {e["name"]: e["value"] for e in after if e["event"] == "slot"}
    assert by_name["platform"] is None and by_name["age"] is None
    assert by_name["filing_account"] == "given" and by_name["filing_id"] == "draft-id-opaque"


def test_a_disclosure_is_redacted_even_when_nothing_is_filed():
    events = [
        ActionExecuted("action_listen"),
        user("can pupils use snapchat?", "ask_pupil_age_limit", entities=[]),
        ActionExecuted("action_start_decision"),
        ActionExecuted("bullying_form"),
        ActiveLoop("bullying_form"),
        BotUttered("Are the children involved pupils at this school?"),
        ActionExecuted("action_listen"),
        # misread as an answer, but it tells of an adult and a child
        user("the PE teacher keeps messaging my daughter on Snapchat late at night", "inform"),
        SlotSet("platform", "Snapchat"),
        ActionExecuted("bullying_form"),
        ActionExecuted("action_listen"),
        user("sir added me on insta", "out_of_scope", entities=[{"entity": "platform", "value": "Instagram", "start": 18, "end": 23}]),
        ActionExecuted("action_out_of_scope"),
        BotUttered("I can only help with the policy."),
        ActionExecuted("action_listen"),
        user("thanks", "thank", entities=[]),
    ]
    after = redact_events([e.as_dict() for e in events])
    texts = [e.get("text") for e in after if e["event"] == "user"]
    assert texts == ["can pupils use snapchat?", REDACTED, REDACTED, "thanks"]
    assert [e["value"] for e in after if e["event"] == "slot"] == [None]
    assert "PE teacher" not in str(after) and "insta" not in str(after)
    assert "I can only help with the policy." in str(after)  # what the assistant said is kept


def test_a_report_classified_as_one_is_redacted_whatever_its_words():
    [event] = redact_events([user("something happened with mr blue", "report_adult_concern").as_dict()])
    assert event["text"] == REDACTED


def test_a_failed_filing_that_reopens_the_form_keeps_redacting():
    events = [e.as_dict() for e in conversation_events()[:22]] + [
        ActiveLoop("filing_form").as_dict(),
        ActionExecuted("action_listen").as_dict(),
        user("yes try again " + ACCOUNT, "affirm").as_dict(),
    ]
    assert ACCOUNT not in str(redact_events(events))


def test_an_answer_slot_holding_anything_but_a_marker_is_redacted():
    for value in ("Priya Shah", "gAAAAAxyz", "d1.abc", ["a list"], 7):
        [event] = redact_events([SlotSet("filer_name", value).as_dict()])
        assert event["value"] == REDACTED, value
    for marker in ("given", "-", None):
        [kept] = redact_events([SlotSet("filer_name", marker).as_dict()])
        assert kept["value"] == marker


@pytest.fixture
def store(tmp_path):
    domain = Domain.from_yaml(
        """
version: "3.1"
intents: [inform, affirm, thank, report_adult_concern, ask_mobile_phones]
slots:
  filing_account: {type: text, influence_conversation: false, mappings: [{type: custom}]}
  filing_id: {type: text, influence_conversation: false, mappings: [{type: custom}]}
forms:
  filing_form: {required_slots: [filing_account]}
actions: [action_answer_policy_question, action_start_filing, action_file_record]
"""
    )
    return RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "trackers.db")), tmp_path / "trackers.db"


def test_the_tracker_store_writes_no_filing_text(store):
    tracker_store, path = store
    tracker = DialogueStateTracker.from_events("someone", conversation_events()[:14])
    asyncio.run(tracker_store.save(tracker))  # saved mid-filing, as after each turn
    for event in conversation_events()[14:]:
        tracker.update(event)
    asyncio.run(tracker_store.save(tracker))
    raw = path.read_bytes()
    assert ACCOUNT.encode() not in raw and b"report a teacher" not in raw
    assert b"phones in lessons" in raw and b"MF-7KQ4-9XTP" in raw
    rows = sqlite3.connect(path).execute("select count(*) from events").fetchone()[0]
    assert rows == len(conversation_events())
    restored = asyncio.run(tracker_store.retrieve("someone"))
    assert restored.get_slot("filing_account") == "given"


def test_an_event_broker_is_refused(tmp_path):
    with pytest.raises(ValueError, match="event broker"):
        RedactingSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "t.db"), event_broker=object())
