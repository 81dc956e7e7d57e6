"""Button payloads (`/intent` or `/intent{"entity": "value"}`), checked
before Rasa sees them.

Rasa takes a message that starts with "/" as an intent with entities, with
no NLU: whatever entity values it carries fill the slots (an age of
"<script>", a platform of "anything", an unknown intent). The assistant's
own buttons only ever send known intents with canonical values, so the
channels pass on a payload only when its intent is in domain.yml and each
entity is one the assistant uses, with a value it could have produced:

- the spaCy pattern files' canonical ids for their label (data/spacy/*.yml:
  platforms, year groups, relationships, who the other party is, ...);
- an age: a whole number from 0 to 120, or the age buttons' "under_18" /
  "18_or_over";
- the filing buttons' `filer_role` and `filing_change` values.

Anything else is refused with a polite reply (and never reaches Rasa).
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Dict, FrozenSet, Optional

import yaml

from bot import paths

#: Rasa's own pattern for intent messages (rasa.shared.nlu.interpreter).
_PAYLOAD = re.compile(r"^/(?P<intent>[^{@]+)(?P<cutoff>@[0-9.]+)?(?P<entities>{.+})?$", re.S)

REFUSED = "Sorry, I can't use that. Please type your answer, or use one of the buttons."


@functools.lru_cache(maxsize=1)
def known_intents() -> FrozenSet[str]:
    domain = yaml.safe_load((paths.PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")) or {}
    return frozenset(str(intent) for intent in domain.get("intents") or [])


@functools.lru_cache(maxsize=1)
def canonical_values() -> Dict[str, FrozenSet[str]]:
    """entity -> the values a button may carry for it."""
    from bot import dialogue, filing

    values: Dict[str, set] = {}
    for path in sorted(Path(paths.spacy_patterns_dir()).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        label = data.get("label")
        for entry in data.get("entries") or []:
            if label and isinstance(entry, dict) and entry.get("id") is not None:
                values.setdefault(str(label), set()).add(str(entry["id"]))
    values["age"] = {str(n) for n in range(0, 121)} | {dialogue.UNDER_18, dialogue.ADULT_BAND}
    values["filer_role"] = set(filing.ROLES)
    values["filing_change"] = set(filing.FORM_SLOTS)
    return {label: frozenset(found) for label, found in values.items()}


def is_payload(text: str) -> bool:
    return isinstance(text, str) and text.startswith("/")


def payload_problem(text: str) -> Optional[str]:
    """None when `text` is not a payload or is one the assistant could have
    sent; otherwise why it is refused (for the log, never shown)."""
    if not is_payload(text):
        return None
    match = _PAYLOAD.match(text.strip())
    if not match:
        return "not a payload the assistant sends"
    if match.group("cutoff"):
        return "a confidence in a payload"
    if match.group("intent").strip() not in known_intents():
        return "an unknown intent"
    raw = match.group("entities")
    if not raw:
        return None
    try:
        entities = json.loads(raw)
    except (ValueError, RecursionError):
        return "entities that are not JSON"
    if not isinstance(entities, dict):
        return "entities that are not an object"
    allowed = canonical_values()
    for entity, value in entities.items():
        if entity not in allowed:
            return "an entity the assistant does not use"
        if not isinstance(value, str) or value not in allowed[entity]:
            return "a value the assistant would not send"
    return None
