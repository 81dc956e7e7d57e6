"""Consistency of the Rasa project files with each other and with the
held-out evaluation set (which must never leak into training)."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import yaml

from bot.paths import PROJECT_ROOT



def _examples(path: Path) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if "intent" in item:
            lines = [l.strip()[2:].strip() for l in item["examples"].splitlines() if l.strip().startswith("- ")]
            found.setdefault(item["intent"], []).extend(lines)
    return found


def _merged(paths) -> Dict[str, List[str]]:
    merged: Dict[str, List[str]] = {}
    for path in paths:
        for intent, lines in _examples(path).items():
            merged.setdefault(intent, []).extend(lines)
    return merged


def _normal(text: str) -> str:
    return " ".join(text.lower().split()).strip(" ?.!")


def test_every_domain_intent_is_trained(domain):
    trained = _merged(sorted((PROJECT_ROOT / "data/nlu").glob("*.yml")))
    intents = set(domain["intents"])
    assert intents == set(trained)
    for intent, lines in trained.items():
        assert len(lines) >= 15, f"{intent} has only {len(lines)} examples"


def test_held_out_set_covers_every_trained_intent_and_does_not_leak(domain):
    trained = _merged(sorted((PROJECT_ROOT / "data/nlu").glob("*.yml")))
    held_out = _merged(sorted((PROJECT_ROOT / "tests/nlu").glob("*.yml")))
    assert set(held_out) == set(trained)
    training_texts = {_normal(t) for lines in trained.values() for t in lines}
    leaked = [t for lines in held_out.values() for t in lines if _normal(t) in training_texts]
    assert leaked == [], f"held-out examples also in training data: {leaked[:5]}"


def test_actions_in_domain_exist_in_the_actions_package(domain):
    import actions.conversation
    import actions.policy_answers
    from rasa_sdk import Action

    defined = {
        cls().name()
        for module in (actions.conversation, actions.policy_answers)
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, Action) and cls.__module__ == module.__name__
    }
    assert set(domain["actions"]) == defined
