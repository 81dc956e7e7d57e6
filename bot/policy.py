"""The policy catalogue: every clause of the Social Networking Policy, and the
topics (one per policy intent) whose answers cite them.

Loaded from `data/policy/clauses.yml` and `data/policy/topics.yml`. The clause
ids are those of `../shared/policy/clause-index.yml`; a test keeps the two in
step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from bot import paths
from bot.yamlfile import read_mapping


class CatalogueError(ValueError):
    """The catalogue files are missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    title: str
    text: str
    summary: str
    items: Tuple[str, ...] = ()

    @property
    def full_text(self) -> str:
        """The verbatim text, with any list items it introduces."""
        if not self.items:
            return self.text
        return self.text + " " + " ".join(f"• {item}" for item in self.items)


@dataclass(frozen=True)
class Topic:
    intent: str
    title: str
    answer: str
    refs: Tuple[str, ...] = ()
    next_step: Optional[str] = None
    #: The answer speaks to staff ("the school as your employer..."): a
    #: child asking it is given the pupils' rules instead (`Catalogue.pupil_rules`).
    for_staff: bool = False


@dataclass(frozen=True)
class Catalogue:
    clauses: Dict[str, Clause]
    topics: Dict[str, Topic] = field(default_factory=dict)
    #: The rules for pupils, in words for a child: what a child asking a
    #: question whose answer speaks to staff is told.
    pupil_rules: Optional[Topic] = None

    def clause(self, clause_id: str) -> Clause:
        try:
            return self.clauses[clause_id]
        except KeyError:
            raise KeyError(f"no clause {clause_id!r} in the policy catalogue") from None

    def topic(self, intent: str) -> Optional[Topic]:
        return self.topics.get(intent)

    def uncited_clauses(self) -> List[str]:
        """Clause ids that no topic's answer cites (should be none)."""
        cited = {ref for topic in self.topics.values() for ref in topic.refs}
        return [cid for cid in self.clauses if cid not in cited]


def collapse_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _read_yaml(path: Path) -> dict:
    return read_mapping(path, CatalogueError, "policy catalogue file")


def _required(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: `{key}` must be a non-empty string")
    return collapse_whitespace(value)


def _parse_clauses(entries: Iterable[dict], source: Path) -> Dict[str, Clause]:
    clauses: Dict[str, Clause] = {}
    for n, entry in enumerate(entries or [], start=1):
        where = f"{source} clause #{n}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: must be a mapping")
        clause_id = _required(entry, "id", where)
        if clause_id in clauses:
            raise CatalogueError(f"{where}: duplicate clause id {clause_id!r}")
        items = entry.get("items") or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise CatalogueError(f"{where}: `items` must be a list of strings")
        clauses[clause_id] = Clause(
            id=clause_id,
            section=_required(entry, "section", where),
            title=_required(entry, "title", where),
            text=_required(entry, "text", where),
            summary=_required(entry, "summary", where),
            items=tuple(collapse_whitespace(i) for i in items),
        )
    if not clauses:
        raise CatalogueError(f"{source}: no clauses")
    return clauses


def _parse_topics(entries: Iterable[dict], source: Path, clauses: Dict[str, Clause]) -> Dict[str, Topic]:
    topics: Dict[str, Topic] = {}
    for n, entry in enumerate(entries or [], start=1):
        where = f"{source} topic #{n}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: must be a mapping")
        intent = _required(entry, "intent", where)
        if intent in topics:
            raise CatalogueError(f"{where}: duplicate topic for intent {intent!r}")
        refs = entry.get("refs") or []
        if not isinstance(refs, list):
            raise CatalogueError(f"{where}: `refs` must be a list of clause ids")
        unknown = [r for r in refs if r not in clauses]
        if unknown:
            raise CatalogueError(f"{where} ({intent}): unknown clause ids {unknown}")
        if len(set(refs)) != len(refs):
            raise CatalogueError(f"{where} ({intent}): a clause is cited twice")
        next_step = entry.get("next_step")
        for_staff = entry.get("for_staff", False)
        if not isinstance(for_staff, bool):
            raise CatalogueError(f"{where} ({intent}): `for_staff` must be true or false")
        topics[intent] = Topic(
            intent=intent,
            title=_required(entry, "title", where),
            answer=_required(entry, "answer", where),
            refs=tuple(refs),
            next_step=collapse_whitespace(next_step) if next_step else None,
            for_staff=for_staff,
        )
    return topics


def _parse_pupil_rules(entry: object, source: Path, clauses: Dict[str, Clause]) -> Optional[Topic]:
    if entry is None:
        return None
    if not isinstance(entry, dict):
        raise CatalogueError(f"{source}: `pupil_rules` must be a mapping")
    parsed = _parse_topics([{"intent": "pupil_rules", **entry}], source, clauses)
    return parsed["pupil_rules"]


def load_catalogue(directory: Optional[Path] = None) -> Catalogue:
    """Load and check the catalogue (cached per directory)."""
    return _load_catalogue(Path(directory) if directory else paths.policy_dir())


@lru_cache(maxsize=8)
def _load_catalogue(directory: Path) -> Catalogue:
    clauses_file = directory / "clauses.yml"
    topics_file = directory / "topics.yml"
    clauses = _parse_clauses(_read_yaml(clauses_file).get("clauses"), clauses_file)
    topics_yaml = _read_yaml(topics_file)
    topics = _parse_topics(topics_yaml.get("topics"), topics_file, clauses)
    pupil_rules = _parse_pupil_rules(topics_yaml.get("pupil_rules"), topics_file, clauses)
    return Catalogue(clauses=clauses, topics=topics, pupil_rules=pupil_rules)
