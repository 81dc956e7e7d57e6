"""The NLU is never trained on a conversation it is measured with: no
training example is a message from the acceptance sets (../shared/eval) or
our own independent sets (benchmarks/cases)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CASE_FILES = sorted((ROOT / "benchmarks" / "cases").glob("*.yml")) + sorted((ROOT.parent / "shared" / "eval").glob("*cases*.yml"))


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _training_examples():
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield path.name, _norm(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line[2:]))


def _case_messages():
    for path in CASE_FILES:
        for case in yaml.safe_load(path.read_text()) or []:
            for turn in case.get("turns") or []:
                if isinstance(turn, dict) and isinstance(turn.get("say"), str):
                    yield path.name, _norm(turn["say"])
            for rule in case.get("answer") or []:
                if isinstance(rule, dict) and isinstance(rule.get("say"), str):
                    yield path.name, _norm(rule["say"])


@pytest.mark.skipif(not CASE_FILES, reason="no conversation sets here")
def test_no_training_example_is_a_message_we_are_measured_with():
    # short answers ("yes", "skip", "Year 5") are everyone's words, not a case's
    measured = {text: name for name, text in _case_messages() if len(text.split()) >= 5}
    leaks = [(file, text, measured[text]) for file, text in _training_examples() if text in measured]
    assert not leaks, f"training examples copied from conversation sets: {leaks[:5]}"
