"""The action server refuses anyone without the shared secret, sends no CORS
headers and never echoes a request (bot/action_server.py)."""
from __future__ import annotations

import itertools
import json
import zlib

import pytest

from bot.action_server import MAX_REQUEST_BYTES, create_app

TOKEN = "the-action-server-secret-0123456789abcdef"
_names = itertools.count()


@pytest.fixture(scope="module")
def client():
    return create_app(TOKEN, name=f"actions_test_{next(_names)}").test_client


def tracker(sender="rest:someone", text="hello", slots=None):
    return {
        "sender_id": sender,
        "slots": slots or {},
        "latest_message": {"text": text, "intent": {"name": "greet", "confidence": 1.0}, "entities": []},
        "events": [{"event": "user", "text": text}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }


def call(client, body, token=TOKEN, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    _request, response = client.post("/webhook", data=data, headers={"Content-Type": "application/json", **headers})
    return response


def test_health_needs_no_token(client):
    _request, response = client.get("/health")
    assert response.status == 200 and response.json == {"status": "ok"}


@pytest.mark.parametrize("token", [None, "wrong-token-of-some-length-0123456789", TOKEN + "x", TOKEN[:-1]])
def test_an_action_call_without_the_secret_is_refused(client, token):
    response = call(client, {"next_action": "action_greet", "tracker": tracker()}, token=token)
    assert response.status == 401 and "events" not in response.text


def test_the_list_of_actions_needs_the_secret_too(client):
    _request, response = client.get("/actions")
    assert response.status == 401
    _request, response = client.get("/actions", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status == 200 and {"name": "action_file_record"} in response.json


def test_with_the_secret_an_action_runs(client):
    response = call(client, {"next_action": "action_greet", "tracker": tracker()})
    assert response.status == 200 and response.json["responses"]


def test_no_web_page_may_call_it(client):
    _request, response = client.options(
        "/webhook", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in {k.lower() for k in response.headers}
    response = call(client, {"next_action": "action_greet", "tracker": tracker()}, Origin="http://evil.example")
    assert "access-control-allow-origin" not in {k.lower() for k in response.headers}


def test_a_failing_action_echoes_nothing_and_logs_no_words(caplog):
    failing = create_app(TOKEN, package="tests.failing_actions", name=f"actions_test_{next(_names)}").test_client
    response = call(failing, {"next_action": "action_that_fails", "tracker": tracker(text="my secret words")})
    assert response.status == 500 and response.json == {"error": "The action failed on the server."}
    assert "secret" not in response.text
    assert "ValueError" in caplog.text and "my secret words" not in caplog.text


def test_a_bearer_without_a_token_is_refused(client):
    response = call(client, {"next_action": "action_greet", "tracker": tracker()}, token=None, Authorization="Bearer")
    assert response.status == 401


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'{"next_action": "action_greet"}', b"\xff"])
def test_malformed_calls_are_a_400(client, raw):
    assert call(client, raw).status == 400


def test_a_compressed_bomb_is_refused(client):
    bomb = zlib.compress(b"{" + b" " * (MAX_REQUEST_BYTES + 10) + b"}", 9)
    assert call(client, bomb, **{"Content-Encoding": "deflate"}).status == 413


def test_an_unknown_action_is_a_404(client):
    assert call(client, {"next_action": "action_nope", "tracker": tracker()}).status == 404


def test_there_is_no_server_without_a_token():
    with pytest.raises(ValueError):
        create_app("")
