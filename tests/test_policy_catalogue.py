"""The catalogue agrees with the shared clause index and the policy text."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import paths
from bot.policy import CatalogueError, collapse_whitespace, load_catalogue


def _index_entries(shared_policy_dir: Path):
    index = yaml.safe_load((shared_policy_dir / "clause-index.yml").read_text(encoding="utf-8"))
    return [entry for section in index.values() for entry in section]


def test_catalogue_has_exactly_the_index_ids_in_order(catalogue, shared_policy_dir):
    index_ids = [entry["id"] for entry in _index_entries(shared_policy_dir)]
    assert len(index_ids) == 50
    assert list(catalogue.clauses) == index_ids


def test_every_index_quote_is_in_its_clause_text(catalogue, shared_policy_dir):
    for entry in _index_entries(shared_policy_dir):
        clause = catalogue.clause(entry["id"])
        assert collapse_whitespace(entry["quote"]) in clause.text, entry["id"]


def test_clause_texts_are_verbatim_from_the_policy(catalogue, shared_policy_dir):
    policy = collapse_whitespace(
        (shared_policy_dir / "social-networking-policy.txt").read_text(encoding="utf-8")
    )
    for clause in catalogue.clauses.values():
        assert clause.text in policy, clause.id
        for item in clause.items:
            assert item in policy, (clause.id, item)
        assert clause.summary and clause.title


def test_every_clause_is_cited_by_some_answer(catalogue):
    assert catalogue.uncited_clauses() == []


def test_every_topic_is_an_intent_of_the_domain(catalogue, domain):
    intents = set(domain["intents"])
    assert set(catalogue.topics) <= intents


def test_topic_refs_name_real_clauses_most_specific_first(catalogue):
    for topic in catalogue.topics.values():
        assert all(ref in catalogue.clauses for ref in topic.refs), topic.intent
        # a topic's first citation is the clause it is chiefly about
        assert topic.refs, f"{topic.intent} cites nothing"


def test_unknown_clause_reference_is_rejected(tmp_path, catalogue):
    (tmp_path / "clauses.yml").write_text(
        yaml.safe_dump({"clauses": [{"id": "a.b", "section": "S", "title": "T", "text": "x", "summary": "y"}]})
    )
    (tmp_path / "topics.yml").write_text(
        yaml.safe_dump({"topics": [{"intent": "ask_x", "title": "X", "answer": "z", "refs": ["nope"]}]})
    )
    with pytest.raises(CatalogueError, match="unknown clause ids"):
        load_catalogue(tmp_path)


def test_duplicate_clause_id_is_rejected(tmp_path):
    clause = {"id": "a.b", "section": "S", "title": "T", "text": "x", "summary": "y"}
    (tmp_path / "clauses.yml").write_text(yaml.safe_dump({"clauses": [clause, clause]}))
    (tmp_path / "topics.yml").write_text(yaml.safe_dump({"topics": []}))
    with pytest.raises(CatalogueError, match="duplicate clause id"):
        load_catalogue(tmp_path)


def test_missing_catalogue_gives_a_clear_error(tmp_path):
    with pytest.raises(CatalogueError, match="not found"):
        load_catalogue(tmp_path / "nowhere")


def test_malformed_yaml_gives_a_clear_error(tmp_path):
    (tmp_path / "clauses.yml").write_text("clauses: [unclosed")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(tmp_path)


def test_the_pupils_rules_cite_only_the_pupils_clauses(catalogue):
    rules = catalogue.pupil_rules
    assert rules is not None and rules.refs
    assert all(ref.startswith("pupils.") for ref in rules.refs)
    assert "under 13" in rules.answer and "school day" in rules.answer


def test_answers_for_staff_are_marked_and_answers_for_pupils_are_not(catalogue):
    marked = {t.intent for t in catalogue.topics.values() if t.for_staff}
    assert {"ask_out_of_work_conduct", "ask_breach_consequences", "ask_personal_use_at_work"} <= marked
    assert not marked & {"ask_pupil_age_limit", "ask_pupil_use_in_school", "ask_how_to_report_concern", "ask_cyberbullying_responsibility"}


def test_a_for_staff_flag_that_is_not_true_or_false_is_rejected(tmp_path, catalogue):
    import shutil

    from bot.policy import _load_catalogue

    shutil.copy(paths.policy_dir() / "clauses.yml", tmp_path / "clauses.yml")
    (tmp_path / "topics.yml").write_text(
        "topics:\n  - intent: ask_policy_purpose\n    title: T\n    answer: A\n    refs: [intro.balance]\n    for_staff: 'yes'\n"
    )
    with pytest.raises(CatalogueError, match="for_staff"):
        _load_catalogue(tmp_path)
