"""Redaction of filing conversations before a conversation is stored.

Rasa's tracker store keeps every event of a conversation: what the person
typed (user events, with the NLU's copy of the text), what the assistant said
(bot events) and slot values. For a filing conversation (a disclosure, a
declaration, a proposal or a report) that would leave the person's account,
name and contact in plain text outside the encrypted records store. So,
before events are stored:

- the text of every user message from the one that started filing until the
  filing form ends (filed, cancelled or left) is replaced by REDACTED;
- so is the text of everything the assistant said in between (the read-back
  quotes the account); what it said after filing (the reference) is kept;
- an answer slot (bot.filing.SENSITIVE_SLOTS) holding anything but a marker
  (answered, declined, empty) is replaced by REDACTED: the words are kept in
  the server-side draft and the actions only ever set markers; this is a
  second line of defence.

Works on event dictionaries (Rasa's `Event.as_dict()`), so it is pure and
testable without Rasa. See bot/tracker_store.py for the store that uses it.
"""
from __future__ import annotations

import copy
from typing import Any, Dict, List, Sequence

from bot.filing import ANSWER_MARKERS, SENSITIVE_SLOTS

REDACTED = "[not kept: part of a filing conversation]"

FILING_FORM = "filing_form"
START_ACTION = "action_start_filing"
#: Actions after which the filing conversation is over.
END_ACTIONS = frozenset({"action_cancel_filing", "action_file_record"})


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
        for entity in parse_data.get("entities") or []:
            if isinstance(entity, dict):
                entity.pop("text", None)
    return event


def _redact_bot(event: Dict[str, Any]) -> Dict[str, Any]:
    event = copy.deepcopy(event)
    event["text"] = REDACTED
    return event


def _is_marker(value: Any) -> bool:
    return any(value is marker or (marker is not None and value == marker) for marker in ANSWER_MARKERS)


def redact_events(events: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The events as they may be stored (unchanged ones are the same objects)."""
    starts = _started_filing(events)
    filing = False
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

        if kind == "user" and (filing or starts[index]):
            out.append(_redact_user(event))
        elif kind == "bot" and filing:
            out.append(_redact_bot(event))
        elif kind == "slot" and event.get("name") in SENSITIVE_SLOTS and not _is_marker(event.get("value")):
            redacted = dict(event)
            redacted["value"] = REDACTED
            out.append(redacted)
        else:
            out.append(event)
    return out
