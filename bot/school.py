"""The school profile (`school.yml`): who and what the answers name.

Another school adopts the assistant by editing that one file.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

from bot import paths
from bot.yamlfile import read_mapping


class SchoolProfileError(ValueError):
    """school.yml is missing, malformed or lacks a required entry."""


@dataclass(frozen=True)
class Person:
    role: str
    name: str
    email: str = ""
    phone: str = ""

    @property
    def contact(self) -> str:
        return " or ".join(part for part in (self.email, self.phone) if part)

    def described(self) -> str:
        """e.g. "the Head Teacher, Mrs J. Example (head@…)"."""
        text = f"the {self.role}, {self.name}"
        return f"{text} ({self.contact})" if self.contact else text


@dataclass(frozen=True)
class YearGroup:
    year: int
    min_age: int
    max_age: int


@dataclass(frozen=True)
class SchoolProfile:
    name: str
    short_name: str
    phase: str
    year_groups: Tuple[YearGroup, ...]
    office_phone: str
    office_email: str
    head_teacher: Person
    dsl: Person
    chair_of_governors: Person
    lado_name: str
    lado_contact: str
    police_team: str
    police_emergency: str = "999"
    police_non_emergency: str = "101"

    @property
    def youngest_age(self) -> int:
        return min(g.min_age for g in self.year_groups)

    @property
    def oldest_age(self) -> int:
        return max(g.max_age for g in self.year_groups)

    def year_group(self, year: int) -> Optional[YearGroup]:
        return next((g for g in self.year_groups if g.year == year), None)

    def year_groups_label(self) -> str:
        years = sorted(g.year for g in self.year_groups)
        if len(years) == 1:
            return f"Year {years[0]}"
        return f"Years {years[0]} to {years[-1]}"

    def placeholders(self) -> Dict[str, str]:
        """Values for the `{placeholders}` in topic answers."""
        return {
            "school": self.name,
            "school_short": self.short_name,
            "year_groups": self.year_groups_label(),
            "age_range": f"{self.youngest_age} to {self.oldest_age}",
            "head_teacher": self.head_teacher.described(),
            "head_teacher_name": self.head_teacher.name,
            "dsl": (
                f"our named child protection person, the {self.dsl.role}, "
                f"{self.dsl.name}" + (f" ({self.dsl.contact})" if self.dsl.contact else "")
            ),
            "dsl_name": self.dsl.name,
            "dsl_contact": self.dsl.contact,
            "chair_of_governors": self.chair_of_governors.described(),
            "lado": self.lado_name,
            "lado_contact": self.lado_contact,
            "police_team": self.police_team,
            "police_emergency": self.police_emergency,
            "police_non_emergency": self.police_non_emergency,
            "office_phone": self.office_phone,
            "office_email": self.office_email,
        }


def _get(data: dict, dotted: str, where: Path):
    node = data
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node or node[key] in (None, ""):
            raise SchoolProfileError(f"{where}: `{dotted}` is required")
        node = node[key]
    return node


def _person(data: dict, key: str, where: Path) -> Person:
    entry = _get(data, f"people.{key}", where)
    return Person(
        role=str(_get(data, f"people.{key}.role", where)),
        name=str(_get(data, f"people.{key}.name", where)),
        email=str(entry.get("email") or ""),
        phone=str(entry.get("phone") or ""),
    )


def load_school_profile(path: Optional[Path] = None) -> SchoolProfile:
    return _load(Path(path) if path else paths.school_profile_path())


@lru_cache(maxsize=8)
def _load(path: Path) -> SchoolProfile:
    data = read_mapping(path, SchoolProfileError, "school profile")

    groups = []
    for entry in _get(data, "school.year_groups", path):
        try:
            group = YearGroup(int(entry["year"]), int(entry["min_age"]), int(entry["max_age"]))
        except (KeyError, TypeError, ValueError):
            raise SchoolProfileError(f"{path}: each year group needs year, min_age and max_age") from None
        if group.min_age > group.max_age:
            raise SchoolProfileError(f"{path}: Year {group.year} has min_age above max_age")
        groups.append(group)

    lado = _get(data, "bodies.lado", path)
    return SchoolProfile(
        name=str(_get(data, "school.name", path)),
        short_name=str(data["school"].get("short_name") or data["school"]["name"]),
        phase=str(_get(data, "school.phase", path)),
        year_groups=tuple(sorted(groups, key=lambda g: g.year)),
        office_phone=str(data["school"].get("office", {}).get("phone", "")),
        office_email=str(data["school"].get("office", {}).get("email", "")),
        head_teacher=_person(data, "head_teacher", path),
        dsl=_person(data, "designated_safeguarding_lead", path),
        chair_of_governors=_person(data, "chair_of_governors", path),
        lado_name=str(_get(data, "bodies.lado.name", path)),
        lado_contact=" or ".join(str(lado[k]) for k in ("phone", "email") if lado.get(k)),
        police_team=str(_get(data, "bodies.police.name", path)),
        police_emergency=str(_get(data, "bodies.police.emergency", path)),
        police_non_emergency=str(_get(data, "bodies.police.non_emergency", path)),
    )
