"""The widget's socket.io channel on the running Rasa server (python-socketio
client, polling transport, sending the Origin header a browser would)."""
from __future__ import annotations

import asyncio
import json
import urllib.request
from typing import Any, Dict, List

import pytest
import socketio

from bot.socket_channel import TOO_LONG_REPLY
from bot.text_guard import MAX_MESSAGE_CHARS


class Conversation:
    def __init__(self, stack, origin: str) -> None:
        self.stack = stack
        self.origin = origin
        self.client = socketio.AsyncClient(reconnection=False)
        self.session_id = ""
        self.messages: List[Dict[str, Any]] = []
        self.confirmed = asyncio.Event()
        self.turn_over = asyncio.Event()
        self.client.on("session_confirm", self._confirm)
        self.client.on("bot_uttered", self.messages.append)
        self.client.on("bot_turn_end", lambda *_: self.turn_over.set())

    def _confirm(self, session_id: str) -> None:
        self.session_id = session_id
        self.confirmed.set()

    async def start(self) -> "Conversation":
        await self.client.connect(self.stack.rasa_url, headers={"Origin": self.origin}, transports=["polling"])
        await self.client.emit("session_request", {"session_id": None})
        await asyncio.wait_for(self.confirmed.wait(), 30)
        return self

    async def say(self, text: str, **extra: Any) -> List[Dict[str, Any]]:
        self.messages.clear()
        self.turn_over.clear()
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id, **extra})
        await asyncio.wait_for(self.turn_over.wait(), 60)
        return list(self.messages)


async def _close(client: socketio.AsyncClient) -> None:
    """Drop the connection at once (a polite disconnect waits for the
    current long-poll, up to the server's 25 s ping interval)."""
    if client.eio.state != "disconnected":
        await client.eio.disconnect(abort=True)


def _tracker(stack, session_id: str) -> dict:
    with urllib.request.urlopen(stack.api(f"/conversations/{session_id}/tracker"), timeout=30) as resp:
        return json.loads(resp.read())


def test_a_page_from_another_origin_cannot_connect(stack):
    async def attempt() -> None:
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(stack.rasa_url, headers={"Origin": "http://evil.example"}, transports=["polling"])
        finally:
            await _close(client)

    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(attempt())


def test_an_intranet_page_gets_answers_with_their_policy_references(stack):
    async def talk() -> List[Dict[str, Any]]:
        conversation = await Conversation(stack, stack.web_url).start()
        try:
            return await conversation.say("can I friend an ex-pupil on facebook?")
        finally:
            await _close(conversation.client)

    messages = asyncio.run(talk())
    assert any(m.get("quick_replies") for m in messages), messages
    assert any((m.get("custom") or {}).get("policy_refs") for m in messages), messages


def test_the_browser_cannot_claim_a_role_and_long_messages_get_a_polite_reply(stack):
    async def talk():
        conversation = await Conversation(stack, stack.web_url).start()
        try:
            await conversation.say("hello", metadata={"user": {"role": "staff", "name": "Head"}})
            too_long = await conversation.say("x" * (MAX_MESSAGE_CHARS + 1))
            return conversation.session_id, too_long
        finally:
            await _close(conversation.client)

    session_id, too_long = asyncio.run(talk())
    assert [m.get("text") for m in too_long] == [TOO_LONG_REPLY]
    user_events = [e for e in _tracker(stack, session_id)["events"] if e["event"] == "user"]
    assert [e["text"] for e in user_events] == ["hello"]  # the long one never reached Rasa
    assert "user" not in (user_events[0].get("metadata") or {})


# --- with sign-in switched on ----------------------------------------------------

SECRET = "e2e-widget-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def signed_in_stack(tmp_path_factory):
    from e2e.stack import MODEL, start_stack

    if not MODEL.exists():
        pytest.skip("no trained model: run `make model` (make test does)")
    running = start_stack(tmp_path_factory.mktemp("signed-in-stack"), extra_env={"WIDGET_JWT_SECRET": SECRET})
    try:
        yield running
    finally:
        running.stop()


def _token(secret: str = SECRET, expires_in: int = 600, **claims: Any) -> str:
    import time

    import jwt

    now = int(time.time())
    payload = {"sub": "staff-1", "iat": now, "exp": now + expires_in, "iss": "school-intranet", "aud": "safeguarding-assistant"}
    return jwt.encode({**payload, **claims}, secret, algorithm="HS256")


def test_with_sign_in_on_only_a_valid_token_connects_and_its_role_reaches_the_assistant(signed_in_stack):
    stack = signed_in_stack

    async def outcome(auth: Any) -> str:
        """"connected" or "refused" (without the client's polite disconnect,
        which waits out a long-poll)."""
        client = socketio.AsyncClient(reconnection=False)
        result: asyncio.Future = asyncio.get_running_loop().create_future()
        client.on("connect", lambda: result.done() or result.set_result("connected"))
        client.on("connect_error", lambda *_: result.done() or result.set_result("refused"))
        try:
            await client.connect(
                stack.rasa_url, headers={"Origin": stack.web_url}, transports=["polling"], auth=auth, wait=False
            )
            return await asyncio.wait_for(result, 30)
        finally:
            await _close(client)

    for auth in (None, {"token": _token(expires_in=-600)}, {"token": _token(secret="not-the-secret-at-all-0123456789abc")}):
        assert asyncio.run(outcome(auth)) == "refused", auth
    assert asyncio.run(outcome({"token": _token(role="parent")})) == "connected"

    async def talk() -> str:
        conversation = Conversation(stack, stack.web_url)
        await conversation.client.connect(
            stack.rasa_url, headers={"Origin": stack.web_url}, transports=["polling"],
            auth={"token": _token(role="staff", name="Ms Example")},
        )
        await conversation.client.emit("session_request", {"session_id": None})
        await asyncio.wait_for(conversation.confirmed.wait(), 30)
        try:
            await conversation.say("hello", metadata={"user": {"role": "governor"}})
            return conversation.session_id
        finally:
            await _close(conversation.client)

    session_id = asyncio.run(talk())
    user_events = [e for e in _tracker(stack, session_id)["events"] if e["event"] == "user"]
    assert user_events[0]["metadata"]["user"] == {"role": "staff", "name": "Ms Example"}
