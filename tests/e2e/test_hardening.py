"""The running stack, tried as an attacker would (issue: "Safe to expose").
Each test is a reproduction of a hole found against the earlier stack."""
from __future__ import annotations

import json
import uuid

import pytest

from e2e.http import custom, request, say, texts

# (says nothing of who is writing, so the role question is asked)
OPENING = "I want to report a teacher who keeps messaging a boy in Year 6"


def sender() -> str:
    return "hard-" + uuid.uuid4().hex[:12]


def alive(stack) -> bool:
    status, turn = say(stack, sender(), "hello")
    return status == 200 and bool(turn) and all(p.poll() is None for p in stack.processes.values())


# --- one request must not stop everything --------------------------------------


def test_a_lone_surrogate_sender_is_refused_and_nothing_stops(stack):
    status, body = request(stack.rest_webhook, raw=b'{"sender": "x\\udfff", "message": "hi"}')
    assert status == 400 and "`sender` must be" in body["error"]
    assert alive(stack)


@pytest.mark.parametrize("body", [{"message": "hi"}, {"sender": None, "message": "hi"}, {"sender": "", "message": "hi"}])
def test_no_sender_no_shared_conversation(stack, body):
    status, answer = request(stack.rest_webhook, body)
    assert status == 400 and "`sender` is required" in answer["error"]


def test_deeply_nested_json_is_a_400(stack):
    deep = b'{"sender": "a", "message": "hi", "x": ' + b"[" * 20000 + b"]" * 20000 + b"}"
    status, _ = request(stack.rest_webhook, raw=deep)
    assert status == 400
    assert alive(stack)


def test_a_lone_surrogate_in_the_message_is_answered(stack):
    status, turn = request(stack.rest_webhook, raw=b'{"sender": "surrogate-msg", "message": "hello \\udfff"}')
    assert status == 200 and turn
    assert alive(stack)


# --- the Rasa API and the action server --------------------------------------------

API_CALLS = [
    ("GET", "/conversations/rest:someone/tracker", None),
    ("PUT", "/conversations/rest:someone/tracker/events", []),
    ("POST", "/conversations/rest:someone/execute", {"name": "action_ask_filing_confirmed"}),
    ("POST", "/conversations/rest:someone/trigger_intent", {"name": "report_adult_concern"}),
    ("GET", "/status", None),
    ("GET", "/domain", None),
    ("POST", "/model/parse", {"text": "hello"}),
    ("PUT", "/model", {"model_file": "/tmp/someone-elses-model.tar.gz"}),
    ("DELETE", "/model", None),
]


@pytest.mark.parametrize("method, path, body", API_CALLS, ids=[f"{m} {p}" for m, p, _ in API_CALLS])
def test_the_rasa_api_refuses_calls_without_its_token(stack, method, path, body):
    for url in (stack.rasa_url + path, stack.rasa_url + path + "?token=wrong-token-0123456789abcdef"):
        status, _ = request(url, body, method=method)
        assert status == 401, (method, url, status)


def test_after_the_refused_calls_the_model_is_still_loaded_and_the_bot_answers(stack):
    for method, path, body in API_CALLS:
        request(stack.rasa_url + path, body, method=method)
    assert alive(stack)
    status, info = request(stack.api("/status"))
    assert status == 200 and info.get("model_file")  # with the token, the API works


def test_the_health_check_needs_no_token(stack):
    assert request(stack.rasa_url + "/health") == (200, {"status": "ok"})
    assert request(stack.actions_url + "/health") == (200, {"status": "ok"})


def test_the_action_server_refuses_anyone_but_rasa(stack):
    call = {"next_action": "action_ask_filing_confirmed", "tracker": {"sender_id": "rest:x", "slots": {}, "events": []}}
    assert request(stack.actions_url + "/webhook", call)[0] == 401
    assert request(stack.actions_url + "/actions")[0] == 401


def _to_read_back(stack, who: str, account: str) -> None:
    status, turn = say(stack, who, OPENING)
    assert status == 200 and "parent or carer" in texts(turn), turn
    say(stack, who, '/inform{"filer_role": "parent"}')
    say(stack, who, account)
    say(stack, who, "skip")
    status, turn = say(stack, who, "skip")
    assert "Shall I file it now?" in texts(turn) and account in texts(turn), turn


def test_a_filing_in_progress_leaves_nothing_in_the_tracker_to_replay(stack):
    who = sender()
    account = f"Mr Replay{uuid.uuid4().hex[:6]} sends my son messages on Snapchat at night"
    _to_read_back(stack, who, account)
    # an insider with the API token reads the tracker: no words, no ciphertext
    status, tracker = request(stack.api(f"/conversations/rest:{who}/tracker"))
    assert status == 200
    slots = tracker["slots"]
    assert slots["filing_account"] == "given" and slots["filer_name"] == "-" and slots["filer_contact"] == "-"
    assert account not in json.dumps(tracker) and "Replay" not in json.dumps(tracker)
    # replayed into another conversation, with the action server's own secret,
    # the draft id finds nothing
    token = (stack.folder / "var" / "action-server.token").read_text().strip()
    forged = {
        "next_action": "action_ask_filing_confirmed",
        "tracker": {
            "sender_id": "rest:attacker", "slots": slots, "events": [],
            "latest_message": {"text": "", "intent": {"name": "inform"}, "entities": []},
            "active_loop": {"name": "filing_form"}, "latest_action_name": "action_listen",
        },
        "domain": {},
    }
    status, result = request(stack.actions_url + "/webhook", forged, headers={"Authorization": f"Bearer {token}"})
    assert status == 200
    said = " ".join(r.get("text") or "" for r in result["responses"])
    assert "Replay" not in said and "left open too long" in said


def test_a_role_typed_into_rest_metadata_is_ignored(stack):
    body = {"sender": sender(), "message": OPENING, "metadata": {"user": {"role": "staff"}}}
    status, turn = request(stack.rest_webhook, body)
    assert status == 200 and "parent or carer, a member of staff" in texts(turn)  # still asked who they are


# --- anyone filing from anywhere ------------------------------------------------------


def test_a_page_elsewhere_cannot_file_with_a_visitors_browser(stack):
    who = sender()
    blind = request(
        stack.rest_webhook, raw=json.dumps({"sender": who, "message": OPENING}).encode(),
        content_type="text/plain", headers={"Origin": "http://evil.example"},
    )
    assert blind[0] == 415
    cors = request(stack.rest_webhook, {"sender": who, "message": OPENING}, headers={"Origin": "http://evil.example"})
    assert cors[0] == 403
    status, tracker = request(stack.api(f"/conversations/rest:{who}/tracker"))
    assert status == 200 and not [e for e in tracker["events"] if e["event"] == "user"]


def test_one_remote_address_cannot_flood_the_assistant(stack):
    # the stack's per-address limit is 20 a minute (tests/e2e/conftest.py);
    # the address is the one the trusted loopback proxy puts in X-Forwarded-For
    statuses = [
        say(stack, sender(), "hello", headers={"X-Forwarded-For": "203.0.113.77"})[0] for _ in range(24)
    ]
    assert statuses[:20] == [200] * 20 and statuses[20:] == [429] * 4
    assert say(stack, sender(), "hello", headers={"X-Forwarded-For": "203.0.113.78"})[0] == 200
    assert alive(stack)  # loopback (scripts on this machine) is not limited by address


def test_rest_and_widget_conversations_never_meet(stack):
    who = sender()
    say(stack, who, "hello")
    status, tracker = request(stack.api(f"/conversations/{who}/tracker"))  # the bare id: a widget-style session
    assert status == 200 and not [e for e in tracker["events"] if e["event"] == "user"]
    status, tracker = request(stack.api(f"/conversations/rest:{who}/tracker"))
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["hello"]
    assert custom([], "reference") == []
