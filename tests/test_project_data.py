"""Consistency of the Rasa project files with each other and with the
held-out evaluation set (which must never leak into training)."""
from __future__ import annotations

import re
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


def _words(text: str) -> frozenset:
    return frozenset(re.findall(r"[a-z0-9]+", text.lower().replace("'", "")))


def _similar(a: frozenset, b: frozenset) -> bool:
    """Near-copies: 75% or more of the words in common (Jaccard)."""
    return bool(a and b) and len(a & b) / len(a | b) >= 0.75


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
    training = {_words(t) for lines in trained.values() for t in lines}
    leaked = [
        t for lines in held_out.values() for t in lines
        if any(_similar(_words(t), seen) for seen in training)
    ]
    assert leaked == [], f"held-out examples (near-)copied in training data: {leaked[:5]}"


def test_actions_in_domain_exist_in_the_actions_package(domain):
    import importlib
    import inspect
    import pkgutil

    import actions
    from rasa_sdk import Action

    defined = set()
    for info in pkgutil.iter_modules(actions.__path__):
        module = importlib.import_module(f"actions.{info.name}")
        for cls in vars(module).values():
            if (
                isinstance(cls, type) and issubclass(cls, Action)
                and cls.__module__ == module.__name__ and not inspect.isabstract(cls)
            ):
                defined.add(cls().name())
    assert set(domain["actions"]) == defined
