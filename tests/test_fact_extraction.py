"""Fact extraction from realistic messages: the rule-based spaCy pipeline
built from data/spacy/*.yml, then bot.nlp.facts, against
tests/fixtures/extraction_corpus.yml; plus normalise_age edge cases."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest
import spacy
import yaml
from spacy.matcher import Matcher

from bot import paths
from bot.nlp.build import build, load_patterns, pattern_files
from bot.nlp.facts import Fact, fact_from_span, facts_from_doc, first, normalise_age

CORPUS_PATH = Path(__file__).parent / "fixtures" / "extraction_corpus.yml"
CORPUS: List[Dict] = yaml.safe_load(CORPUS_PATH.read_text(encoding="utf-8"))
CASE_KEYS = {"text", "expect", "all", "absent", "known_gap"}


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    return spacy.load(build(tmp_path_factory.mktemp("spacy") / "en_school"))


def _param(case: Dict):
    marks = [pytest.mark.xfail(reason=case["known_gap"], strict=True)] if case.get("known_gap") else []
    return pytest.param(case, id=case["text"][:70], marks=marks)


def _describe(facts: List[Fact]) -> str:
    return "; ".join(f"{f.label}={f.value!r} ({f.text!r})" for f in facts) or "no facts"


def test_corpus_is_well_formed():
    assert len(CORPUS) >= 80
    texts = [case["text"] for case in CORPUS]
    assert len(texts) == len(set(texts)), "duplicate corpus sentences"
    for case in CORPUS:
        assert set(case) <= CASE_KEYS, case
        assert case.get("expect") or case.get("absent") or case.get("all"), case
        for value in (case.get("expect") or {}).values():
            assert isinstance(value, str), f"{case['text']}: expected values are strings"


def test_token_patterns_are_valid_matcher_patterns():
    """The entity_ruler does not validate; a misplaced key (e.g. an `OP`
    inside a `LOWER` dict) would silently change what a pattern matches."""
    matcher = Matcher(spacy.blank("en").vocab, validate=True)
    for pattern in load_patterns(pattern_files()):
        if isinstance(pattern["pattern"], list):
            matcher.add(f"{pattern['label']}:{pattern['id']}", [pattern["pattern"]])


def test_platform_ids_are_known_to_the_policy():
    known = set(yaml.safe_load((paths.policy_dir() / "platforms.yml").read_text(encoding="utf-8"))["platforms"])
    ids = {p["id"] for p in load_patterns(pattern_files()) if p["label"] == "platform"}
    assert ids <= known, ids - known


@pytest.mark.parametrize("case", [_param(case) for case in CORPUS])
def test_corpus_sentence(nlp, case):
    facts = facts_from_doc(nlp(case["text"]))
    found = _describe(facts)
    for label, value in (case.get("expect") or {}).items():
        assert first(facts, label) == value, f"{label}: wanted {value!r}; found {found}"
    for label, values in (case.get("all") or {}).items():
        assert [f.value for f in facts if f.label == label] == values, f"{label}: wanted {values}; found {found}"
    for label in case.get("absent") or []:
        assert first(facts, label) is None, f"{label} should be absent; found {found}"


def test_fact_offsets_point_into_the_message(nlp):
    text = "my nephew is 17 and on insta"
    for fact in facts_from_doc(nlp(text)):
        assert text[fact.start:fact.end] == fact.text


@pytest.mark.parametrize(
    "text, age",
    [
        ("16", 16),
        ("'s 17", 17),
        ("is now 21", 21),
        ("16-year-old", 16),
        ("sixteen-year-old", 16),
        ("16yo", 16),
        ("aged sixteen", 16),
        ("aged twenty one", 21),
        ("is twenty-one", 21),
        ("turns 18", 17),
        ("turning 18", 17),
        ("nearly 18", 17),
        ("almost eighteen", 17),
        ("will be 18", 17),
        ("'ll be 18", 17),
        ("’ll be 18 next week", 17),
        ("'s 18 next month", 17),
        ("is 18 next year", 17),
        ("gonna be 18", 17),
        ("is going to be 18", 17),
        ("nearly-18", 17),
        ("just turned 18", 18),
        ("turned 18 last week", 18),
        ("her twenties", 20),
        ("mid twenties", 25),
        ("mid-twenties", 25),
        ("early 20s", 22),
        ("late twenties", 28),
        ("thirties", 30),
        ("21 now", 21),
        ("over 18", 18),
        ("age:16", 16),
        ("16 y/o", 16),
        ("twenty-something", 20),
    ],
)
def test_normalise_age(text, age):
    assert normalise_age(text) == age


@pytest.mark.parametrize("text", ["teens", "her late teens", "is", "0", "aged 130", "year", ""])
def test_normalise_age_undeterminable(text):
    assert normalise_age(text) is None


def test_age_span_without_a_value_is_dropped():
    assert fact_from_span("age", "her teens", "age", 0, 9) is None
    assert fact_from_span("age", "'s 17", "age", 3, 8) == Fact("age", "17", "'s 17", 3, 8)


def test_phrase_fact_value_is_the_pattern_id():
    fact = fact_from_span("other_party", "ex-pupil", "ex_pupil", 0, 8)
    assert fact.value == "ex_pupil" and first([fact], "other_party") == "ex_pupil"
    assert first([fact], "age") is None
