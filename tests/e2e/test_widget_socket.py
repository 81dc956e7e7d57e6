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


def _tracker(stack, session_id: str) -> dict:
    with urllib.request.urlopen(f"{stack.rasa_url}/conversations/{session_id}/tracker", timeout=30) as resp:
        return json.loads(resp.read())


def test_a_page_from_another_origin_cannot_connect(stack):
    async def attempt() -> None:
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(stack.rasa_url, headers={"Origin": "http://evil.example"}, transports=["polling"])

    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(attempt())


def test_an_intranet_page_gets_answers_with_their_policy_references(stack):
    async def talk() -> List[Dict[str, Any]]:
        conversation = await Conversation(stack, stack.web_url).start()
        try:
            return await conversation.say("can I friend an ex-pupil on facebook?")
        finally:
            await conversation.client.disconnect()

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
            await conversation.client.disconnect()

    session_id, too_long = asyncio.run(talk())
    assert [m.get("text") for m in too_long] == [TOO_LONG_REPLY]
    user_events = [e for e in _tracker(stack, session_id)["events"] if e["event"] == "user"]
    assert [e["text"] for e in user_events] == ["hello"]  # the long one never reached Rasa
    assert "user" not in (user_events[0].get("metadata") or {})
