"""The widget's socket.io channel: origins, sign-in, metadata, limits."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, List, Optional

import jwt
import pytest
from sanic import Sanic

from bot import socket_channel as sc
from bot.text_guard import MAX_MESSAGE_CHARS
from bot.web.settings import WebSettings

SECRET = "test-secret-for-the-widget-0123456789"
ORIGIN = "http://intranet.example"
SESSION = "a" * 32


def token(secret: str = SECRET, expires_in: int = 300, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "sub": "u1", "iat": now, "exp": now + expires_in,
        "iss": "school-intranet", "aud": "safeguarding-assistant", **claims,
    }
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, secret, algorithm="HS256")


def settings(secret: Optional[str] = None, limit: int = 20, origins=(ORIGIN,)) -> WebSettings:
    return WebSettings(
        allowed_origins=tuple(origins), widget_jwt_secret=secret, widget_rate_limit=limit, widget_rate_window=60
    )


def channel(**kwargs: Any) -> sc.SafeSocketIOInput:
    return sc.SafeSocketIOInput(session_persistence=True, settings=settings(**kwargs))


class Wired:
    """A channel with its socket.io handlers, Rasa replaced by a list and
    emits recorded instead of sent."""

    def __init__(self, chan: sc.SafeSocketIOInput) -> None:
        self.channel = chan
        self.received: List[Any] = []
        self.emitted: List[tuple] = []
        self.answer: Optional[str] = "(the assistant's answer)"

        async def on_new_message(message: Any) -> None:
            self.received.append(message)
            if self.answer:
                await message.output_channel.send_text_message(message.sender_id, self.answer)

        chan.blueprint(on_new_message)
        self.sio = chan.sio

        self.rooms: Dict[str, set] = {}
        self.sio.emit = self._record
        self.sio.enter_room = self._enter
        self.sio.rooms = lambda sid, namespace=None: list(self.rooms.get(sid, {sid}))

    async def _record(self, event: str, data: Any = None, room: Optional[str] = None, **_: Any) -> None:
        self.emitted.append((event, data, room))

    async def _enter(self, sid: str, room: str, namespace: Optional[str] = None) -> None:
        self.rooms.setdefault(sid, {sid}).add(room)

    def handler(self, event: str):
        return self.sio.handlers["/"][event]

    def run(self, coro):
        return asyncio.run(coro)

    def connect(self, sid: str, auth: Any = None) -> bool:
        return self.run(self.handler("connect")(sid, {"HTTP_ORIGIN": ORIGIN}, auth))

    def session(self, sid: str, session_id: Optional[str] = SESSION) -> str:
        self.run(self.handler("session_request")(sid, {"session_id": session_id}))
        event, confirmed, room = self.emitted[-1]
        assert (event, room) == ("session_confirm", sid)
        return confirmed

    def say(self, sid: str, text: Any, session_id: str = SESSION, **extra: Any) -> None:
        self.run(self.handler("user_uttered")(sid, {"message": text, "session_id": session_id, **extra}))

    def replies(self) -> List[str]:
        """What the channel itself said (not the stand-in assistant's answers)."""
        return [
            data.get("text") for event, data, _ in self.emitted
            if event == "bot_uttered" and data.get("text") != self.answer
        ]


# --- tokens ------------------------------------------------------------------


def test_a_valid_token_gives_its_claims():
    claims = sc.decode_token(token(role="staff", name="Ms Example"), SECRET)
    assert claims["role"] == "staff" and claims["sub"] == "u1"


@pytest.mark.parametrize(
    "bad",
    [
        token(secret="another-secret-entirely-0123456789"),
        token(expires_in=-3600),
        token(exp=None),
        token(iat=None),
        token(expires_in=10 * 365 * 86400),  # ten years
        token(iat=int(time.time()) - 86400, expires_in=3600),  # issued a day before it ends
        token(iss="someone-else"),
        token(iss=None),
        token(aud="another-service"),
        token(aud=None),
        "not.a.token",
        "",
        None,
    ],
    ids=[
        "wrong-key", "expired", "no-expiry", "no-issued-at", "ten-years", "too-long-from-issue",
        "other-issuer", "no-issuer", "other-audience", "no-audience", "garbage", "empty", "missing",
    ],
)
def test_bad_expired_and_missing_tokens_are_refused(bad):
    with pytest.raises(sc.InvalidToken):
        sc.decode_token(bad, SECRET)


def test_an_unsigned_token_is_refused():
    unsigned = jwt.encode({"sub": "u1", "exp": int(time.time()) + 60}, None, algorithm="none")
    with pytest.raises(sc.InvalidToken):
        sc.decode_token(unsigned, SECRET)


def test_the_issuer_audience_and_lifetime_come_from_the_settings():
    custom = WebSettings(widget_jwt_issuer="intranet.example", widget_jwt_audience="assistant", widget_jwt_max_lifetime=600)
    assert sc.decode_token(token(iss="intranet.example", aud="assistant", expires_in=500), SECRET, settings=custom)
    with pytest.raises(sc.InvalidToken, match="longer than 600"):
        sc.decode_token(token(iss="intranet.example", aud="assistant", expires_in=3600), SECRET, settings=custom)
    with pytest.raises(sc.InvalidToken, match="not for this assistant"):
        sc.decode_token(token(), SECRET, settings=custom)


def test_roles_are_limited_to_the_known_ones():
    assert sc.user_from_claims({"role": "Staff", "name": "  Ms  Example "}) == {"role": "staff", "name": "Ms Example"}
    assert sc.user_from_claims({"role": "admin"}) == {"role": "other"}
    assert sc.user_from_claims({}) == {"role": "other"}


# --- connecting ----------------------------------------------------------------


def test_without_a_secret_everyone_connects_anonymously():
    wired = Wired(channel())
    assert wired.connect("s1", {"token": "anything"}) is True
    assert wired.channel.metadata_for("s1") == {}


def test_with_a_secret_only_a_valid_token_connects():
    wired = Wired(channel(secret=SECRET))
    assert wired.connect("s1", {"token": token(role="parent")}) is True
    assert wired.channel.metadata_for("s1") == {"user": {"role": "parent"}}
    assert wired.connect("s2", {"token": token(expires_in=-600)}) is False
    assert wired.connect("s3", {"token": token(secret="wrong-wrong-wrong-wrong-wrong-123")}) is False
    assert wired.connect("s4", None) is False
    assert wired.connect("s5", {}) is False


def test_only_configured_origins_may_connect_from_a_browser():
    app = Sanic("socket_origin_test")
    chan = channel(origins=(ORIGIN,))

    async def on_new_message(_message: Any) -> None:
        return None

    app.blueprint(chan.blueprint(on_new_message))
    path = "/socket.io/?EIO=4&transport=polling"
    _req, refused = app.test_client.get(path, headers={"Origin": "http://evil.example"})
    assert refused.status == 400
    assert "not an accepted origin" in refused.text
    _req, allowed = app.test_client.get(path, headers={"Origin": ORIGIN})
    assert allowed.status == 200
    assert allowed.headers.get("access-control-allow-origin") == ORIGIN


def test_no_configured_origin_means_no_browser_origin_is_accepted():
    check = channel(origins=()).cors_allowed_origins()
    assert callable(check) and check(ORIGIN) is False


# --- sessions ------------------------------------------------------------------


def test_a_session_is_kept_or_replaced_when_malformed():
    wired = Wired(channel())
    wired.connect("s1")
    assert wired.session("s1", SESSION) == SESSION
    new = wired.session("s1", "short")
    assert new != "short" and len(new) == 32
    assert len(wired.session("s1", None)) == 32


def test_a_signed_in_user_cannot_take_over_another_users_session():
    wired = Wired(channel(secret=SECRET))
    wired.connect("alice", {"token": token(sub="alice")})
    wired.connect("bob", {"token": token(sub="bob")})
    assert wired.session("alice", SESSION) == SESSION
    assert wired.session("bob", SESSION) != SESSION


def test_a_message_without_a_confirmed_session_is_ignored():
    wired = Wired(channel())
    wired.connect("s1")
    wired.say("s1", "hello", session_id="b" * 32)
    assert wired.received == []


# --- messages --------------------------------------------------------------------


def test_metadata_comes_from_the_token_never_from_the_browser():
    wired = Wired(channel(secret=SECRET))
    wired.connect("s1", {"token": token(role="parent", name="Mr Parent")})
    wired.session("s1")
    wired.say("s1", "hello", metadata={"user": {"role": "staff"}, "other": 1})
    (message,) = wired.received
    assert message.metadata == {"user": {"role": "parent", "name": "Mr Parent"}}
    assert message.sender_id == SESSION and message.text == "hello"
    assert wired.emitted[-1][0] == sc.TURN_END_EVT


def test_anonymous_messages_carry_no_user_whatever_the_browser_says():
    wired = Wired(channel())
    wired.connect("s1")
    wired.session("s1")
    wired.say("s1", "hello", metadata={"user": {"role": "staff"}})
    assert wired.received[0].metadata == {}


def test_an_overlong_message_gets_a_polite_reply_and_is_not_passed_on():
    wired = Wired(channel())
    wired.connect("s1")
    wired.session("s1")
    wired.say("s1", "x" * (MAX_MESSAGE_CHARS + 1))
    assert wired.received == []
    assert wired.replies() == [sc.TOO_LONG_REPLY]
    wired.say("s1", "x" * MAX_MESSAGE_CHARS)
    assert len(wired.received) == 1


def test_a_message_that_is_not_text_gets_a_polite_reply():
    wired = Wired(channel())
    wired.connect("s1")
    wired.session("s1")
    wired.say("s1", {"html": "<b>"})
    assert wired.received == [] and wired.replies() == [sc.NOT_TEXT_REPLY]


def test_too_many_messages_get_a_polite_reply_and_are_not_passed_on():
    wired = Wired(channel(limit=3))
    wired.connect("s1")
    wired.session("s1")
    for n in range(5):
        wired.say("s1", f"question {n}")
    assert [m.text for m in wired.received] == ["question 0", "question 1", "question 2"]
    assert wired.replies() == [sc.RATE_LIMITED_REPLY, sc.RATE_LIMITED_REPLY]


def test_a_message_the_assistant_leaves_unanswered_gets_an_apology():
    wired = Wired(channel())
    wired.connect("s1")
    wired.session("s1")
    wired.answer = None  # an action failed: Rasa said nothing
    wired.say("s1", "yes")
    assert wired.replies() == [sc.UNAVAILABLE_REPLY]
    assert wired.emitted[-1][0] == sc.TURN_END_EVT


def test_a_failure_while_answering_gets_an_apology_not_an_exception():
    wired = Wired(channel())
    wired.connect("s1")
    wired.session("s1")

    async def broken(message):
        raise UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed")

    wired.channel.blueprint(broken)
    wired.sio = wired.channel.sio
    wired.sio.emit = lambda *a, **k: wired._record(*a, **k)
    wired.sio.enter_room = lambda *a, **k: wired._enter(*a, **k)
    wired.sio.rooms = lambda sid, namespace=None: list(wired.rooms.get(sid, {sid}))
    wired.session("s1")
    wired.say("s1", "hello")
    assert wired.replies() == [sc.UNAVAILABLE_REPLY]


def test_the_rate_limit_is_per_session_and_frees_up_with_time():
    now = [0.0]
    limiter = sc.RateLimiter(2, 60, clock=lambda: now[0])
    assert limiter.allow("a") and limiter.allow("a")
    assert not limiter.allow("a")
    assert limiter.allow("b")
    now[0] = 61.0
    assert limiter.allow("a")


def test_a_new_connection_does_not_reset_the_sessions_limit():
    wired = Wired(channel(limit=2))
    for sid in ("s1", "s2", "s3"):
        wired.connect(sid)
        wired.session(sid)
        wired.say(sid, "hello")
    assert len(wired.received) == 2
    assert wired.replies() == [sc.RATE_LIMITED_REPLY]


# --- what the browser receives ---------------------------------------------------


def test_a_bot_message_is_one_event_with_text_buttons_and_facts():
    sent: List[tuple] = []

    class FakeSio:
        async def emit(self, event: str, data: Any, room: Optional[str] = None, **_: Any) -> None:
            sent.append((event, data, room))

    output = sc.WidgetOutput(FakeSio(), "bot_uttered")
    message = {
        "text": "First part.\n\nHow old are they now?",
        "buttons": [{"title": "Under 18", "payload": "/inform"}],
        "custom": {"policy_refs": ["scope.who"], "decision": "not_permitted"},
        "timestamp": 1,
    }
    asyncio.run(output.send_response("room1", message))
    assert sent == [
        (
            "bot_uttered",
            {
                "text": "First part.\n\nHow old are they now?",
                "quick_replies": [{"content_type": "text", "title": "Under 18", "payload": "/inform"}],
                "custom": {"policy_refs": ["scope.who"], "decision": "not_permitted"},
            },
            "room1",
        )
    ]


def test_the_channel_is_configured_from_the_environment(monkeypatch):
    env = {
        "WIDGET_ALLOWED_ORIGINS": "http://a.example, http://b.example/",
        "WIDGET_JWT_SECRET": SECRET,
        "WIDGET_RATE_LIMIT": "7",
        "WIDGET_RATE_WINDOW_SECONDS": "30",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    chan = sc.SafeSocketIOInput.from_credentials({"session_persistence": True, "jwt_key": "ignored"})
    assert chan.settings.allowed_origins == ("http://a.example", "http://b.example")
    assert chan.settings.widget_jwt_secret == SECRET
    limiter = chan.limits.per_conversation
    assert (limiter.limit, limiter.window) == (7, 30)
    assert chan.session_persistence is True and chan.jwt_key is None


def test_a_crafted_button_payload_gets_a_polite_reply_and_is_not_passed_on():
    wired = Wired(channel())
    wired.connect("s1")
    wired.session("s1")
    wired.say("s1", '/trigger{"platform": "nowhere"}')
    wired.say("s1", '/inform{"platform": "Snapchat"}')
    assert [m.text for m in wired.received] == ['/inform{"platform": "Snapchat"}']
    assert wired.replies() == [sc.PAYLOAD_REFUSED]
