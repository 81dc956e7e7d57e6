"""Turn spans found by the spaCy entity_ruler into facts with canonical values.

Phrase patterns carry their canonical value as the pattern `id` (e.g. "insta"
-> "Instagram", "Y5" -> "5"); ages are token patterns whose value is computed
here ("turns 18 next month" -> 17, "sixteen" -> 16, "mid twenties" -> 25).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
DECADES = {"twenties": 20, "20s": 20, "thirties": 30, "30s": 30}
# words around a number meaning "not yet": "turns 18" / "nearly 18" /
# "she'll be 18" / "18 next month" is 17 now
NOT_YET = (
    "turns", "turning", "nearly", "almost", "will be", "going to be",
    "'ll be", "’ll be", "gonna be",
    "next week", "next month", "next year", "next term", "next birthday",
)


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    text: str
    start: int  # character offsets in the message
    end: int


def _number(text: str) -> Optional[int]:
    """The first number in `text`, in digits or words ("twenty one" -> 21)."""
    match = re.search(r"\d{1,3}", text)
    if match:
        return int(match.group())
    words = re.findall(r"[a-z]+", text.lower())
    total = None
    for word in words:
        if word in NUMBER_WORDS:
            value = NUMBER_WORDS[word]
            total = value if total is None else (total + value if total >= 20 and value < 10 else total)
        elif total is not None:
            break
    return total


def normalise_age(text: str) -> Optional[int]:
    """Age now, in whole years, from an age phrase; None if not determinable."""
    lowered = text.lower()
    for word, base in DECADES.items():
        if word in lowered:
            if "early" in lowered:
                return base + 2
            if "late" in lowered:
                return base + 8
            return base + 5 if "mid" in lowered else base
    if "teens" in lowered:
        return None  # 13 to 19: not enough to decide on
    number = _number(lowered)
    if number is None or not 0 < number <= 120:
        return None
    if any(marker in lowered for marker in NOT_YET) and "turned" not in lowered:
        return number - 1
    return number


def fact_from_span(label: str, text: str, ent_id: str, start: int, end: int) -> Optional[Fact]:
    if label == "age":
        age = normalise_age(text)
        return Fact(label, str(age), text, start, end) if age is not None else None
    value = ent_id or text
    return Fact(label, value, text, start, end)


#: Whose refusal: the other family's ("his mum just laughed it off"), not
#: the school's ("is it outside school so not their problem?").
_FAMILY_WORD = re.compile(r"\b(?:parents?|mums?|mum'?s|moms?|mams?|dads?|dad'?s|family|families|carers?|guardians?)\b", re.I)
_SCHOOL_WORD = re.compile(r"\bschool'?s?\b", re.I)
#: Characters either side of a refusal in which the family must be named.
_REFUSAL_REACH = (100, 40)


def _the_schools_refusal(fact: Fact, text: str) -> bool:
    """A parents_refuse span in a question about the school, with no family
    anywhere near it, is not the other family refusing: "is that something
    the school deals with or is it outside school so not their problem?"."""
    if fact.label != "escalation" or fact.value != "parents_refuse":
        return False
    before, after = _REFUSAL_REACH
    ends = [i for i in (text.find(mark, fact.end) for mark in ".!?\n") if i >= 0]
    question = bool(ends) and text[min(ends)] == "?"
    return question and bool(_SCHOOL_WORD.search(text[max(0, fact.start - before):fact.start])) \
        and not _FAMILY_WORD.search(text[max(0, fact.start - before):fact.end + after])


def facts_from_doc(doc) -> List[Fact]:
    """Facts from a spaCy Doc processed by the project's pipeline."""
    found = []
    for ent in doc.ents:
        fact = fact_from_span(ent.label_, ent.text, ent.ent_id_, ent.start_char, ent.end_char)
        if fact is not None and not _the_schools_refusal(fact, doc.text):
            found.append(fact)
    return found


def first(facts: Iterable[Fact], label: str) -> Optional[str]:
    return next((f.value for f in facts if f.label == label), None)
