"""Redaction of filing conversations and disclosures before a conversation
is stored.

Rasa's tracker store keeps every event of a conversation: what the person
typed (user events, with the NLU's copy of the text and the entities found
in it, with their offsets), what the assistant said (bot events) and slot
values. For a filing conversation (a disclosure, a declaration, a proposal
or a report), and for any message that tells of an adult at the school in
contact with a child, that would leave what the person said in the clear
outside the encrypted records store. So, before events are stored:

- the text of every user message from the one that started filing until the
  filing form ends (filed, cancelled or left) is replaced by REDACTED, and so
  is the text of every message that is a disclosure (classified
  `report_adult_concern`, or read as one by `bot.filing.is_disclosure`),
  filed or not;
- a redacted message keeps its intent (the conversation replays) but loses
  its entities: their values (a platform, a year group, "current pupil") and
  their offsets in the text give facts away too;
- so is the text of everything the assistant said during filing (the
  read-back quotes the account); what it said after filing (the reference)
  is kept;
- a slot set during those turns from what was said (the decision facts that
  Rasa fills from entities: platform, age, year group, ...) is stored empty;
  the filing conversation's own slots hold only markers and ids;
- an answer slot (bot.filing.SENSITIVE_SLOTS) holding anything but a marker
  (answered, declined, empty) is replaced by REDACTED, wherever it is: the
  words are kept in the server-side draft and the actions only ever set
  markers; this is a second line of defence.

Works on event dictionaries (Rasa's `Event.as_dict()`), so it is pure and
testable without Rasa. See bot/tracker_store.py for the store that uses it.
"""
from __future__ import annotations

import copy
from typing import Any, Dict, List, Sequence

from bot.filing import ALL_SLOTS, ANSWER_MARKERS, SENSITIVE_SLOTS, is_disclosure

REDACTED = "[not kept: part of a filing conversation]"

FILING_FORM = "filing_form"
START_ACTION = "action_start_filing"
#: Actions after which the filing conversation is over.
END_ACTIONS = frozenset({"action_cancel_filing", "action_file_record"})
#: Slots that never hold what was said: kept as they are in redacted turns.
BOOKKEEPING_SLOTS = frozenset(ALL_SLOTS) | {
    "requested_slot", "filing_reference", "decision_topic", "session_started_metadata", "child_support", "child_worried",
}


def _intent(event: Dict[str, Any]) -> str:
    parse_data = event.get("parse_data")
    intent = parse_data.get("intent") if isinstance(parse_data, dict) else None
    return (intent or {}).get("name") or "" if isinstance(intent, dict) else ""


def _is_disclosure(event: Dict[str, Any]) -> bool:
    text = event.get("text")
    return is_disclosure(text if isinstance(text, str) else "", _intent(event))


def _started_filing(events: Sequence[Dict[str, Any]]) -> List[bool]:
    """For each event: is it a user message whose turn started filing?"""
    flags = [False] * len(events)
    last_user = None
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "user":
            last_user = index
        elif kind == "action" and event.get("name") == START_ACTION and last_user is not None:
            flags[last_user] = True
    return flags


def _redact_user(event: Dict[str, Any]) -> Dict[str, Any]:
    event = copy.deepcopy(event)
    event["text"] = REDACTED
    parse_data = event.get("parse_data")
    if isinstance(parse_data, dict):
        parse_data["text"] = REDACTED
        parse_data["entities"] = []
    return event


def _redact_bot(event: Dict[str, Any]) -> Dict[str, Any]:
    event = copy.deepcopy(event)
    event["text"] = REDACTED
    return event


def _is_marker(value: Any) -> bool:
    return any(value is marker or (marker is not None and value == marker) for marker in ANSWER_MARKERS)


def _with_value(event: Dict[str, Any], value: Any) -> Dict[str, Any]:
    changed = dict(event)
    changed["value"] = value
    return changed


def redact_events(events: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The events as they may be stored (unchanged ones are the same objects)."""
    starts = _started_filing(events)
    filing = False
    sensitive_turn = False  # the latest user message was redacted
    out: List[Dict[str, Any]] = []
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "action" and event.get("name") == START_ACTION:
            filing = True
        elif kind == "active_loop":
            if event.get("name") == FILING_FORM:
                filing = True
            elif event.get("name") is None and filing:
                filing = False
        elif kind == "action" and event.get("name") in END_ACTIONS:
            filing = False

        if kind == "user":
            sensitive_turn = filing or starts[index] or _is_disclosure(event)
            out.append(_redact_user(event) if sensitive_turn else event)
        elif kind == "bot" and filing:
            out.append(_redact_bot(event))
        elif kind == "slot" and event.get("name") in SENSITIVE_SLOTS and not _is_marker(event.get("value")):
            out.append(_with_value(event, REDACTED))
        elif (
            kind == "slot"
            and (filing or sensitive_turn)
            and event.get("name") not in BOOKKEEPING_SLOTS
            and event.get("value") is not None
        ):
            out.append(_with_value(event, None))
        else:
            out.append(event)
    return out
