"""The REST channel: every check it makes before Rasa sees a message, run
through the real Sanic blueprint (Rasa replaced by a recorder)."""
from __future__ import annotations

import itertools
import json
import logging
import time
from typing import Any, List, Optional

import jwt
import pytest
from sanic import Sanic

from bot import rasa_channel as rc
from bot.rasa_channel import MAX_BODY_BYTES, SENDER_RULE, SafeRestInput, body_problem
from bot.web.settings import WebSettings

INTRANET = "http://intranet.example"
SECRET = "a-widget-secret-for-the-rest-tests-0123456789"
_names = itertools.count()


def settings(**overrides: Any) -> WebSettings:
    base = dict(allowed_origins=(INTRANET,), rest_rate_limit=30, address_rate_limit=120, global_rate_limit=1200)
    return WebSettings(**{**base, **overrides})


class Recorder:
    def __init__(self, fail: Optional[Exception] = None, reply: str = "hello back") -> None:
        self.messages: List[Any] = []
        self.fail = fail
        self.reply = reply

    async def __call__(self, message: Any) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, self.reply)
        if self.fail:
            raise self.fail


def client(recorder: Recorder, **overrides: Any):
    app = Sanic(f"rest_channel_test_{next(_names)}")
    app.blueprint(SafeRestInput(settings(**overrides)).blueprint(recorder), url_prefix="/webhooks/rest")
    return app.test_client


def post(test_client, body: Any, *, raw: Optional[bytes] = None, content_type: str = "application/json", **headers: str):
    data = raw if raw is not None else json.dumps(body)
    _request, response = test_client.post(
        "/webhooks/rest/webhook", data=data, headers={"Content-Type": content_type, **headers}
    )
    return response


def token(**claims: Any) -> str:
    now = int(time.time())
    payload = {"sub": "staff-7", "iat": now, "exp": now + 600, "iss": "school-intranet", "aud": "safeguarding-assistant", **claims}
    return jwt.encode(payload, SECRET, algorithm="HS256")


def test_channel_keeps_the_rest_url_and_health_check():
    assert SafeRestInput.name() == "rest"
    _request, response = client(Recorder()).get("/webhooks/rest/")
    assert response.status == 200 and response.json == {"status": "ok"}


# --- bodies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [{"sender": "a", "message": "hello"}, {"sender": "eval-0123456789ab", "message": ""}, {"sender": "a.b@c_d-e", "message": "hi", "metadata": {}}],
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
        (b'{"message": "hi"}', 400, "`sender` is required"),
        (b'{"sender": null, "message": "hi"}', 400, "`sender` is required"),
        (b'{"sender": "", "message": "hi"}', 400, "`sender` is required"),
        (b'{"sender": 12, "message": "hi"}', 400, "`sender` is required"),
        (b'{"sender": ["a"], "message": "hi"}', 400, "`sender` is required"),
        (b'{"sender": "x\\udfff", "message": "hi"}', 400, "`sender` must be"),
        (b'{"sender": "has space", "message": "hi"}', 400, "`sender` must be"),
        (b'{"sender": "rest:someone", "message": "hi"}', 400, "`sender` must be"),
        (b'{"sender": "' + b"a" * 65 + b'", "message": "hi"}', 400, "`sender` must be"),
        (b'{"sender": "a", "message": "hi", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}", 400, "nested too deeply"),
        (b'{"sender": "a", "message": "hi", "x": ' + b"[" * 9 + b"]" * 9 + b"}", 400, "nested too deeply"),
        (b'{"message": "' + b"x" * MAX_BODY_BYTES + b'"}', 413, "far too long"),
    ],
)
def test_unusable_bodies_get_a_clear_error(raw, status, phrase):
    problem = body_problem(raw)
    assert problem is not None and problem[0] == status and phrase in problem[1]


def test_the_sender_rule_is_stated_in_the_error():
    response = post(client(Recorder()), {"sender": "bad id!", "message": "hi"})
    assert response.status == 400 and SENDER_RULE in response.json["error"]


def test_a_lone_surrogate_sender_is_a_400_and_nothing_reaches_rasa():
    recorder = Recorder()
    response = post(client(recorder), None, raw=b'{"sender": "x\\udfff", "message": "hi"}')
    assert response.status == 400 and recorder.messages == []


def test_deeply_nested_json_is_a_400_not_a_500():
    recorder = Recorder()
    response = post(client(recorder), None, raw=b'{"sender": "a", "message": "hi", "m": ' + b"[" * 20000 + b"]" * 20000 + b"}")
    assert response.status in (400, 413) and recorder.messages == []
    response = post(client(recorder), None, raw=b'{"sender": "a", "message": "hi", "m": ' + b"{\"a\":" * 3000 + b"1" + b"}" * 3000 + b"}")
    assert response.status == 400 and "nested too deeply" in response.json["error"]


def test_a_lone_surrogate_in_the_message_becomes_a_replacement_character():
    recorder = Recorder()
    response = post(client(recorder), None, raw=b'{"sender": "a", "message": "hi \\ud800 there"}')
    assert response.status == 200 and recorder.messages[0].text == "hi \ufffd there"


# --- who is asking -------------------------------------------------------------------


def test_rest_conversations_have_their_own_namespace():
    recorder = Recorder()
    response = post(client(recorder), {"sender": "abcdef0123456789", "message": "hello"})
    assert response.status == 200 and response.json[0]["text"] == "hello back"
    assert recorder.messages[0].sender_id == "rest:abcdef0123456789"
    # a widget session id (letters, digits, - and _) can never contain the colon
    from bot.socket_channel import _SESSION_ID

    assert not _SESSION_ID.match(recorder.messages[0].sender_id)


def test_metadata_and_input_channel_in_the_body_are_ignored():
    recorder = Recorder()
    post(client(recorder), {"sender": "a", "message": "hi", "metadata": {"user": {"role": "staff"}}, "input_channel": "socketio"})
    [message] = recorder.messages
    assert message.metadata == {} and message.input_channel == "rest"


def test_a_json_content_type_is_required():
    recorder = Recorder()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""):
        response = post(client(recorder), {"sender": "a", "message": "hi"}, content_type=content_type)
        assert response.status == 415, content_type
    assert post(client(recorder), {"sender": "a", "message": "hi"}, content_type="application/json; charset=utf-8").status == 200
    assert len(recorder.messages) == 1


def test_web_pages_elsewhere_are_refused_and_the_intranet_is_not():
    recorder = Recorder()
    test_client = client(recorder)
    for origin in ("http://evil.example", "null", "http://intranet.example.evil.example"):
        response = post(test_client, {"sender": "a", "message": "file this"}, Origin=origin)
        assert response.status == 403, origin
    assert post(test_client, {"sender": "a", "message": "hi"}, Origin=INTRANET).status == 200
    assert post(test_client, {"sender": "b", "message": "hi"}).status == 200  # not a browser
    assert len(recorder.messages) == 2


def test_with_sign_in_configured_a_token_is_required_and_gives_the_role():
    recorder = Recorder()
    test_client = client(recorder, widget_jwt_secret=SECRET)
    assert post(test_client, {"sender": "a", "message": "hi"}).status == 401
    assert post(test_client, {"sender": "a", "message": "hi"}, Authorization="Bearer nonsense").status == 401
    assert post(test_client, {"sender": "a", "message": "hi"}, Authorization=f"Basic {token()}").status == 401
    assert recorder.messages == []
    response = post(test_client, {"sender": "a", "message": "hi"}, Authorization=f"Bearer {token(role='parent')}")
    assert response.status == 200
    [message] = recorder.messages
    assert message.metadata == {"user": {"role": "parent"}}
    assert message.sender_id.startswith("rest:") and message.sender_id.endswith(":a")


def test_with_sign_in_the_same_sender_of_two_users_is_two_conversations():
    recorder = Recorder()
    test_client = client(recorder, widget_jwt_secret=SECRET)
    post(test_client, {"sender": "shared", "message": "hi"}, Authorization=f"Bearer {token(sub='alice')}")
    post(test_client, {"sender": "shared", "message": "hi"}, Authorization=f"Bearer {token(sub='bob')}")
    first, second = (m.sender_id for m in recorder.messages)
    assert first != second


# --- limits --------------------------------------------------------------------------


def test_too_many_messages_from_one_sender_are_refused_politely():
    recorder = Recorder()
    test_client = client(recorder, rest_rate_limit=3)
    statuses = [post(test_client, {"sender": "a", "message": "hi"}).status for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429] and len(recorder.messages) == 3
    response = post(test_client, {"sender": "a", "message": "hi"})
    assert "faster than I can answer" in response.json["error"] and response.headers.get("retry-after")
    assert post(test_client, {"sender": "b", "message": "hi"}).status == 200  # another conversation


def test_one_address_cannot_spread_a_flood_over_many_senders():
    recorder = Recorder()
    # behind the proxy (a trusted loopback peer), the client is X-Forwarded-For's
    test_client = client(recorder, address_rate_limit=4)
    statuses = [
        post(test_client, {"sender": f"s{i}", "message": "hi"}, **{"X-Forwarded-For": "203.0.113.9"}).status for i in range(6)
    ]
    assert statuses == [200] * 4 + [429] * 2
    other = post(test_client, {"sender": "t1", "message": "hi"}, **{"X-Forwarded-For": "198.51.100.7"})
    assert other.status == 200


def test_scripts_on_this_machine_are_not_limited_by_address():
    test_client = client(Recorder(), address_rate_limit=2)
    statuses = [post(test_client, {"sender": f"s{i}", "message": "hi"}).status for i in range(6)]
    assert statuses == [200] * 6


def test_the_overall_limit_holds_whoever_asks():
    test_client = client(Recorder(), global_rate_limit=3)
    statuses = [post(test_client, {"sender": f"s{i}", "message": "hi"}).status for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


# --- failures ------------------------------------------------------------------------


def test_a_failure_while_answering_is_a_503_with_an_apology_and_no_message_in_the_log(caplog):
    recorder = Recorder(fail=UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed"))
    with caplog.at_level(logging.DEBUG):
        response = post(client(recorder), {"sender": "a", "message": "my private disclosure text"})
    assert response.status == 503
    texts = [message["text"] for message in response.json]
    assert texts[0] == "hello back"  # what was already said is not lost
    assert texts[-1] == rc.UNAVAILABLE_REPLY and "999" in texts[-1] and "0800 1111" in texts[-1] and "may not be filed" in texts[-1]
    assert "my private disclosure text" not in caplog.text
    assert "UnicodeEncodeError" in caplog.text


def test_a_crafted_button_payload_never_reaches_rasa():
    recorder = Recorder()
    test_client = client(recorder)
    response = post(test_client, {"sender": "a", "message": '/inform{"age": "<img src=x>"}'})
    assert response.status == 400 and "can't use that" in response.json["error"]
    assert post(test_client, {"sender": "a", "message": '/inform{"filer_role": "parent"}'}).status == 200
    assert [m.text for m in recorder.messages] == ['/inform{"filer_role": "parent"}']
