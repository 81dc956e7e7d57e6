"""Text-speak and common misspellings spelt out (bot/nlp/spelling.py)."""
from __future__ import annotations

import ast
import collections
from pathlib import Path

import pytest

from bot.nlp import spelling
from bot.nlp.spelling import normalise


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("y do we hav to giv our fones to the offis", "y do we have to give our phones to the office"),
        ("my grandauter is 9", "my granddaughter is 9"),
        ("sum1 keeps callin me names", "someone keeps calling me names"),
        ("a girl moved to a difrent school", "a girl moved to a different school"),
    ],
)
def test_childrens_spellings_are_spelt_out(typed, meant):
    assert normalise(typed) == meant


def test_words_already_spelt_right_are_left_alone():
    text = "My son's teacher, Mr Fenwick, sent him a friend request on Instagram."
    assert normalise(text) == text


def test_no_spelling_is_listed_twice():
    """A key typed twice in the table silently keeps only the last meaning."""
    tree = ast.parse(Path(spelling.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            assert [k for k, n in collections.Counter(keys).items() if n > 1] == []
