"""The REST channel's request check (the channel itself runs in `make run`)."""
from __future__ import annotations

import json

import pytest

from bot.rasa_channel import MAX_BODY_BYTES, SafeRestInput, body_problem


def test_channel_keeps_the_rest_url():
    assert SafeRestInput.name() == "rest"


@pytest.mark.parametrize(
    "body",
    [{"sender": "a", "message": "hello"}, {"message": ""}, {"sender": 12, "message": "hi", "metadata": {}}],
)
def test_usable_bodies_pass(body):
    assert body_problem(json.dumps(body).encode()) is None


@pytest.mark.parametrize(
    "raw, status, phrase",
    [
        (b"{bad json", 400, "not valid JSON"),
        (b"\xff\xfe", 400, "not valid JSON"),
        (b"", 400, "JSON object"),
        (b"[1, 2]", 400, "JSON object"),
        (b'{"sender": "a", "message": 42}', 400, "`message` must be a string"),
        (b'{"sender": "a"}', 400, "`message` must be a string"),
        (b'{"sender": ["a"], "message": "hi"}', 400, "`sender` must be a string"),
        (b'{"message": "' + b"x" * MAX_BODY_BYTES + b'"}', 413, "far too long"),
    ],
)
def test_unusable_bodies_get_a_clear_error(raw, status, phrase):
    problem = body_problem(raw)
    assert problem is not None and problem[0] == status and phrase in problem[1]
