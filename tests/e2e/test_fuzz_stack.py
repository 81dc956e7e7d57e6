"""The running stack, fuzzed (Hypothesis): random REST bodies, bytes,
headers and sender ids, and random socket.io events from a real client.
Every request gets an answer or a 4xx, the servers stay up, and no record is
filed."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from e2e.http import request, say
from e2e.stack import ROOT

LIVE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
messages = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["I want to report a teacher", "/affirm", "/inform{\"filer_role\": \"staff\"}", "yes", "stop"]),
    st.from_regex(r"/[a-z_]{1,25}(\{.{0,40}\})?", fullmatch=True),
)


def record_count(stack) -> int:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "records", "export", "--json"],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=120, check=True,
    )
    return len(json.loads(out.stdout))


@pytest.fixture(scope="module")
def before(stack):
    return record_count(stack)


@LIVE
@given(
    sender=st.one_of(st.text(max_size=70), st.from_regex(r"[A-Za-z0-9_.@-]{1,64}", fullmatch=True), st.none(), st.integers()),
    message=st.one_of(messages, json_values),
    extra=st.dictionaries(st.sampled_from(["metadata", "input_channel", "stream", "x"]), json_values, max_size=2),
)
def test_random_rest_bodies(stack, before, sender, message, extra):
    status, _ = request(stack.rest_webhook, {"sender": sender, "message": message, **extra}, timeout=60)
    assert status in (200, 400, 413, 415, 429), status


@LIVE
@given(raw=st.binary(max_size=3000), content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]))
def test_random_bytes(stack, before, raw, content_type):
    status, _ = request(stack.rest_webhook, raw=raw, content_type=content_type, timeout=60)
    assert status in (200, 400, 413, 415, 429), status


async def _socket_round(stack, session: object, data: object) -> None:
    client = socketio.AsyncClient(reconnection=False)
    try:
        await client.connect(stack.rasa_url, headers={"Origin": stack.web_url}, transports=["polling"], wait_timeout=20)
        await client.emit("session_request", session)
        await client.emit("user_uttered", data)
        await asyncio.sleep(0.05)
    finally:
        eio = client.eio
        if getattr(eio, "http", None) is not None:  # close without waiting out a long-poll
            await eio.http.close()
        eio.state = "disconnected"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(session=json_values, data=st.one_of(json_values, st.fixed_dictionaries({"message": messages, "session_id": json_values})))
def test_random_socket_events(stack, before, session, data):
    asyncio.run(_socket_round(stack, session, data))


def test_after_the_fuzzing_everything_is_up_and_nothing_was_filed(stack, before):
    assert all(process.poll() is None for process in stack.processes.values())
    for url in (stack.rasa_url + "/health", stack.actions_url + "/health", stack.web_url + "/health"):
        assert request(url)[0] == 200
    status, turn = say(stack, "after-fuzz", "can I friend an ex-pupil?")
    assert status == 200 and turn
    assert record_count(stack) == before
