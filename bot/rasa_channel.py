"""The REST channel, with the request checked before Rasa sees it.

Rasa's own RestInput answers a body it cannot use (a number as the message,
no message at all) with an empty reply and a stack trace in the log. This
subclass keeps its URL (`/webhooks/rest/webhook`) and behaviour, and answers
such requests with HTTP 400 and a sentence saying what is wrong.
Configured in credentials.yml as `bot.rasa_channel.SafeRestInput`.
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Optional, Text, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

MAX_BODY_BYTES = 64 * 1024
USAGE = 'Send JSON like {"sender": "your-id", "message": "your question"}.'


def body_problem(body: bytes) -> Optional[Tuple[int, str]]:
    """(HTTP status, explanation) when a webhook body is unusable, else None."""
    if len(body) > MAX_BODY_BYTES:
        return 413, "That message is far too long for me to read. Please ask in a sentence or two."
    try:
        data: Any = json.loads(body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return 400, f"The request body is not valid JSON. {USAGE}"
    if not isinstance(data, dict):
        return 400, f"The request body must be a JSON object. {USAGE}"
    if not isinstance(data.get("message"), str):
        return 400, f"`message` must be a string. {USAGE}"
    sender = data.get("sender")
    if sender is not None and not isinstance(sender, (str, int)):
        return 400, f"`sender` must be a string. {USAGE}"
    return None


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def check_body(request: Request):  # type: ignore[no-untyped-def]
            if request.method == "POST" and request.path.rstrip("/").endswith("/webhook"):
                problem = body_problem(request.body or b"")
                if problem:
                    status, text = problem
                    return response.json({"error": text}, status=status)
            return None

        return webhook
