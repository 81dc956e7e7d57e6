"""Property-based fuzzing (Hypothesis) of everything a stranger can send:
REST bodies and sender ids, socket.io events, button payloads, and every
action's slot and message inputs. Each input gets a polite reply or a 4xx,
nothing raises, and nothing is filed. (The running stack is fuzzed too, in
tests/e2e/test_fuzz_stack.py.)"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher, ActionExecutor
from sanic import Sanic

from bot import filing
from bot.payloads import payload_problem
from bot.rasa_channel import SafeRestInput, parse_body
from bot.redaction import redact_events
from bot.socket_channel import SafeSocketIOInput
from bot.web.settings import WebSettings

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
_names = itertools.count()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
senders = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.from_regex(r"[A-Za-z0-9_.@-]{1,64}", fullmatch=True),
    st.none(), st.integers(), st.lists(st.text(max_size=5), max_size=3),
)
messages = st.one_of(
    st.text(max_size=300),
    st.from_regex(r"/[a-z_]{1,30}(\{.{0,60}\})?", fullmatch=True),
    st.sampled_from(["", " ", "\x00", "<script>alert(1)</script>", "\ud800", "/inform{\"age\": \"1\"}"]),
    json_values,
)
bodies = st.one_of(
    st.fixed_dictionaries({"sender": senders, "message": messages}, optional={"metadata": json_values, "input_channel": json_values}),
    json_values,
)


# --- the REST channel ------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.messages: list = []

    async def __call__(self, message: Any) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, "answer")


@pytest.fixture(scope="module")
def rest():
    recorder = Recorder()
    app = Sanic(f"fuzz_rest_{next(_names)}")
    channel = SafeRestInput(WebSettings(allowed_origins=("http://intranet.example",), rest_rate_limit=10**6,
                                        address_rate_limit=10**6, global_rate_limit=10**6))
    app.blueprint(channel.blueprint(recorder), url_prefix="/webhooks/rest")
    return app.test_client, recorder


@FUZZ
@given(body=bodies, content_type=st.sampled_from(["application/json", "text/plain", "application/json; charset=utf-8", ""]))
def test_any_rest_body_gets_an_answer_or_a_4xx(rest, body, content_type):
    client, recorder = rest
    before = len(recorder.messages)
    raw = json.dumps(body, ensure_ascii=True)
    _request, response = client.post("/webhooks/rest/webhook", data=raw, headers={"Content-Type": content_type})
    assert response.status in (200, 400, 413, 415), response.status
    if response.status == 200:
        [message] = recorder.messages[before:]
        assert message.sender_id.startswith("rest:") and message.metadata == {}
        assert isinstance(message.text, str)
        message.text.encode("utf-8")  # no lone surrogate reaches Rasa
    else:
        assert len(recorder.messages) == before and response.json["error"]


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_any_bytes_are_parsed_without_raising(raw):
    data, problem = parse_body(raw)
    assert (data is None) != (problem is None)


# --- the socket.io channel -------------------------------------------------------


@FUZZ
@given(session=json_values, data=json_values, auth=json_values)
def test_any_socket_event_is_handled_without_raising(session, data, auth):
    channel = SafeSocketIOInput(session_persistence=True, settings=WebSettings(allowed_origins=("http://intranet.example",)))
    received, emitted = [], []

    async def on_new_message(message):
        received.append(message)

    channel.blueprint(on_new_message)
    sio = channel.sio
    rooms = {}

    async def emit(event, payload=None, room=None, **_):
        emitted.append((event, payload, room))

    async def enter_room(sid, room, namespace=None):
        rooms.setdefault(sid, {sid}).add(room)

    sio.emit, sio.enter_room = emit, enter_room
    sio.rooms = lambda sid, namespace=None: list(rooms.get(sid, {sid}))
    handlers = sio.handlers["/"]

    async def play():
        await handlers["connect"]("s1", {"HTTP_ORIGIN": "http://intranet.example"}, auth)
        await handlers["session_request"]("s1", session)
        confirmed = [p for e, p, _ in emitted if e == "session_confirm"]
        await handlers["user_uttered"]("s1", data)
        if confirmed and isinstance(data, dict):
            await handlers["user_uttered"]("s1", {**data, "session_id": confirmed[0]})
        await handlers["disconnect"]("s1")

    asyncio.run(play())
    for message in received:
        assert message.metadata == {} and isinstance(message.text, str)


# --- pure checks: never raise, never slow -------------------------------------------


@FUZZ
@given(text=st.text(max_size=2000) | st.from_regex(r"/[a-z_]{1,20}\{.{0,200}\}", fullmatch=True))
def test_payload_and_disclosure_checks_are_quick_and_total(text):
    start = time.perf_counter()
    payload_problem(text)
    filing.is_disclosure(text)
    from bot.school import load_school_profile

    filing.concerns_head_teacher(text, load_school_profile())
    assert time.perf_counter() - start < 0.5


@FUZZ
@given(words=st.lists(st.sampled_from([
    "the", "teacher", "head", "mr", "sir", "keeps", "has", "been", "messaging", "my", "son", "who", "always", "really",
    "not", "about", "it's", "to", "me", "from", "school", "wants", "send", "pics", "is", "on", "and", "later",
]), max_size=400))
def test_the_disclosure_patterns_do_not_backtrack_on_long_messages(words):
    from bot.school import load_school_profile

    text = " ".join(words)[:2000]
    start = time.perf_counter()
    filing.is_disclosure(text)
    filing.concerns_head_teacher(text, load_school_profile())
    assert time.perf_counter() - start < 0.5


event_dicts = st.lists(
    st.one_of(
        st.fixed_dictionaries({"event": st.just("user"), "text": st.text(max_size=50) | st.none() | st.integers(),
                               "parse_data": json_values}),
        st.fixed_dictionaries({"event": st.just("slot"), "name": st.sampled_from(["filing_account", "platform", "filer_name", "x"]),
                               "value": json_values}),
        st.fixed_dictionaries({"event": st.sampled_from(["action", "active_loop", "bot"]),
                               "name": st.sampled_from(["action_start_filing", "filing_form", "action_file_record", None, "x"]),
                               "text": st.text(max_size=20)}),
        json_values.map(lambda v: {"event": "weird", "data": v}),
    ),
    max_size=30,
)


@FUZZ
@given(events=event_dicts)
def test_redaction_takes_any_events(events):
    out = redact_events(events)
    assert len(out) == len(events)
    for event in out:
        if event.get("event") == "slot" and event.get("name") in filing.SENSITIVE_SLOTS:
            assert event.get("value") in (None, filing.GIVEN, filing.DECLINED, "[not kept: part of a filing conversation]")


# --- every action, with any slots and any message -------------------------------------


def _custom_actions():
    import yaml

    from bot.paths import PROJECT_ROOT

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return domain, [name for name in domain["actions"]]


DOMAIN, ACTIONS = _custom_actions()
SLOT_NAMES = sorted(DOMAIN["slots"]) + ["requested_slot"]
slot_values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), st.text(max_size=30),
    st.sampled_from(["given", "-", "disclosure", "concern_report", "current_pupil", "under_18", "parent", "menu", "16"]),
    st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
latest_messages = st.fixed_dictionaries({
    "text": st.text(max_size=80) | st.none(),
    "intent": st.fixed_dictionaries({"name": st.sampled_from(DOMAIN["intents"] + ["nlu_fallback", ""]), "confidence": st.floats(0, 1)}),
    "entities": st.lists(st.fixed_dictionaries({"entity": st.sampled_from(list(DOMAIN["entities"]) + ["x"]), "value": slot_values}), max_size=3),
    "metadata": st.one_of(st.just({}), st.fixed_dictionaries({"user": st.fixed_dictionaries({"role": st.text(max_size=10) | st.sampled_from(["staff", "parent", "pupil"])})}), json_values),
}, optional={"input_issue": st.sampled_from(["empty_message", "message_too_long", "non_english"]), "intent_ranking": json_values})


@pytest.fixture(scope="module")
def executor():
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """A real records store the actions use, to check nothing is filed."""
    import os

    from actions.records_client import RecordsClient, use_records_client
    from bot.records import db
    from bot.records.crypto import RecordCipher, generate_key
    from bot.records.drafts import DraftCipher, DraftStore
    from bot.records.migration import migrate
    from bot.records.repository import RecordRepository

    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'records.db'}")
    migrate(engine=engine)
    sessions = db.make_session_factory(engine)
    repository = RecordRepository(sessions, RecordCipher([generate_key()]))
    use_records_client(RecordsClient(open_stores=lambda: (repository, DraftStore(sessions, DraftCipher(os.urandom(32))))))
    yield repository
    use_records_client(None)


@settings(max_examples=int(os.environ.get("FUZZ_ACTION_EXAMPLES", "400")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    action=st.sampled_from(ACTIONS),
    slots=st.dictionaries(st.sampled_from(SLOT_NAMES), slot_values, max_size=8),
    latest=latest_messages,
    active_loop=st.sampled_from([{}, {"name": "filing_form"}, {"name": "bullying_form"}, {"name": "contact_form"}]),
)
def test_every_action_takes_any_slots_and_message_without_raising_or_filing(executor, records, caplog, action, slots, latest, active_loop):
    caplog.clear()
    tracker = {
        "sender_id": "rest:fuzz", "slots": slots, "latest_message": latest,
        "events": [{"event": "user", "text": latest.get("text")}], "paused": False, "followup_action": None,
        "active_loop": active_loop, "latest_action_name": "action_listen",
    }
    before = len(records.list())
    result = asyncio.run(executor.run({"next_action": action, "tracker": tracker, "domain": DOMAIN}))
    assert result is not None and isinstance(result["events"], list)
    assert len(records.list()) == before  # no draft id of this conversation: nothing can be filed
    # an action that caught its own exception still had one: none may
    crashed = [r for r in caplog.records if r.exc_info and r.name.startswith(("actions", "bot"))]
    assert not crashed, crashed[0].getMessage()
