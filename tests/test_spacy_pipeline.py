"""The rule-based spaCy pipeline, built from data/spacy/*.yml into a temp dir."""
from __future__ import annotations

import pytest
import spacy
import yaml

from bot.nlp.build import PatternError, build, load_patterns, pattern_files


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    return spacy.load(build(tmp_path_factory.mktemp("spacy") / "en_school"))


def _ents(nlp, text):
    return [(e.label_, e.ent_id_, e.text) for e in nlp(text).ents]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Can I friend an ex-pupil on Facebook?", [("other_party", "ex_pupil"), ("platform", "Facebook")]),
        ("we're mates on insta and snap", [("platform", "Instagram"), ("platform", "Snapchat")]),
        ("on Facebook Messenger", [("platform", "Messenger")]),
        ("horrible text messages at weekends", [("platform", "text message"), ("time", "weekend")]),
        ("my nephew is in Y3 here", [("relationship", "family"), ("year_group", "3")]),
        ("Two Year 5 girls", [("year_group", "5")]),
        ("she's in year six", [("year_group", "6")]),
        ("he started reception", [("year_group", "R")]),
    ],
)
def test_platforms_and_year_groups(nlp, text, expected):
    assert [(label, ent_id) for label, ent_id, _ in _ents(nlp, text)] == expected


@pytest.mark.parametrize(
    "text, span",
    [
        ("He is 16", "is 16"),
        ("a 16-year-old boy", "16-year-old"),
        ("she's seventeen now", "'s seventeen"),
        ("aged 21", "aged 21"),
        ("turns 18 next month", "turns 18"),
        ("she is in her twenties", "her twenties"),
    ],
)
def test_ages(nlp, text, span):
    assert ("age", span) in [(label, t) for label, _, t in _ents(nlp, text)]


def test_rebuild_is_skipped_when_patterns_are_unchanged(tmp_path):
    out = build(tmp_path / "p")
    stamp = (out / "patterns.sha256").stat().st_mtime_ns
    assert build(tmp_path / "p") == out
    assert (out / "patterns.sha256").stat().st_mtime_ns == stamp


def test_changed_patterns_rebuild_the_pipeline(tmp_path):
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    (patterns / "p.yml").write_text(yaml.safe_dump({"label": "platform", "entries": [{"id": "Bebo", "phrases": ["bebo"]}]}))
    out = build(tmp_path / "p", patterns)
    assert [e.ent_id_ for e in spacy.load(out)("on bebo").ents] == ["Bebo"]
    (patterns / "p.yml").write_text(yaml.safe_dump({"label": "platform", "entries": [{"id": "Myspace", "phrases": ["myspace"]}]}))
    out = build(tmp_path / "p", patterns)
    nlp = spacy.load(out)
    assert nlp("on bebo").ents == () and [e.ent_id_ for e in nlp("on myspace").ents] == ["Myspace"]


def test_malformed_pattern_file_is_reported(tmp_path):
    (tmp_path / "bad.yml").write_text(yaml.safe_dump({"entries": [{"id": "x", "phrases": ["x"]}]}))
    with pytest.raises(PatternError, match="label"):
        load_patterns(pattern_files(tmp_path))
