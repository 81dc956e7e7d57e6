"""The REST channel, safe to expose.

Keeps Rasa's URL and answer shape (`POST /webhooks/rest/webhook` with
`{"sender": "...", "message": "..."}`, answered with a JSON list of bot
messages) and checks every request before Rasa sees it:

- the body is JSON (`Content-Type: application/json`), at most 64 KiB and
  nested at most a few levels; `message` is a string;
- `sender` is required: 1 to 64 characters, each a letter (A-Z, a-z), a
  digit, or one of `- _ . @` (SENDER_RULE). A missing, empty or other sender
  is refused: it would otherwise share one conversation with everyone else;
- a request from a web page (it carries an `Origin` header) is accepted only
  from the configured intranet origins (`WIDGET_ALLOWED_ORIGINS`), so a page
  elsewhere cannot post into conversations with a visitor's browser;
- when widget sign-in is configured (`WIDGET_JWT_SECRET`), the REST channel
  needs the same signed token, as `Authorization: Bearer <token>`; who is
  asking comes from the token only. Metadata and `input_channel` in the body
  are ignored: nobody can claim a role by typing it;
- a button payload (`/intent{...}`) must be one the assistant could have
  sent: a known intent, and canonical entity values (bot/payloads.py);
- REST conversations live in their own namespace: sender `abc` is the
  conversation `rest:abc` (with sign-in, `rest:<subject hash>:abc`), which no
  widget session can be (widget session ids have no colon), and vice versa;
- rate limits per sender, per client address and overall (bot/limits.py);
- a failure while answering (a database that is down, say) is answered with
  HTTP 503 and an apology, never by stopping the server; a turn that Rasa
  left unanswered (an action failed) gets the same apology.

Configured in credentials.yml as `bot.rasa_channel.SafeRestInput`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.limits import MessageLimits, RateLimiter, client_address, shared_limiter
from bot.payloads import REFUSED as PAYLOAD_REFUSED
from bot.payloads import payload_problem

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 8
USAGE = 'Send JSON like {"sender": "your-id", "message": "your question"}.'
SENDER_RULE = "1 to 64 characters, each a letter (A-Z, a-z), a digit, or one of - _ . @"
_SENDER = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
_SURROGATE = re.compile("[\ud800-\udfff]")
NAMESPACE = "rest"

UNAVAILABLE_REPLY = (
    "Sorry: something went wrong on my side, so I may not have taken in your last message. "
    "Please try again in a minute; if you were reporting something, it may not be filed yet, so please also tell the school. "
    "If a child is in immediate danger, call 999 now. "
    "If you are a child: tell your class teacher or a grown-up you trust, or call Childline free on 0800 1111."
)
RATE_LIMITED_REPLY = "You're sending messages faster than I can answer them. Please wait a minute, then ask again."


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value (iterative:
    no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_body(body: bytes) -> Tuple[Optional[Dict[str, Any]], Optional[Tuple[int, str]]]:
    """(data, None) for a usable webhook body, else (None, (status, why))."""
    if len(body) > MAX_BODY_BYTES:
        return None, (413, "That message is far too long for me to read. Please ask in a sentence or two.")
    try:
        data: Any = json.loads(body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, (400, f"The request body is not valid JSON. {USAGE}")
    except RecursionError:
        return None, (400, f"The request body is nested too deeply. {USAGE}")
    if not isinstance(data, dict):
        return None, (400, f"The request body must be a JSON object. {USAGE}")
    if _depth(data) > MAX_JSON_DEPTH:
        return None, (400, f"The request body is nested too deeply. {USAGE}")
    if not isinstance(data.get("message"), str):
        return None, (400, f"`message` must be a string. {USAGE}")
    sender = data.get("sender")
    if not isinstance(sender, str) or not sender:
        return None, (400, f"`sender` is required: a string of {SENDER_RULE}. {USAGE}")
    if not _SENDER.fullmatch(sender):
        return None, (400, f"`sender` must be {SENDER_RULE}.")
    return data, None


def body_problem(body: bytes) -> Optional[Tuple[int, str]]:
    """(HTTP status, explanation) when a webhook body is unusable, else None."""
    return parse_body(body)[1]


def conversation_id(sender: str, subject: Optional[str] = None) -> str:
    """The tracker's id for a REST sender: its own namespace, and with
    sign-in, the signed-in subject's own part of it."""
    if subject:
        owner = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return f"{NAMESPACE}:{owner}:{sender}"
    return f"{NAMESPACE}:{sender}"


def clean_text(text: str) -> str:
    """The message as typed, except lone surrogates (which no keyboard
    produces, and no database can store) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def is_json(content_type: Optional[str]) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "application/json"


def error(status: int, text: str, **headers: str) -> Any:
    return response.json({"error": text}, status=status, headers=headers or None)


class SafeRestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def __init__(self, settings: Any = None) -> None:
        from bot.web.settings import WebSettings

        self.settings = settings or WebSettings.from_env()
        s = self.settings
        self.limits = MessageLimits(
            RateLimiter(s.rest_rate_limit, s.rate_window),
            shared_limiter("address", s.address_rate_limit, s.rate_window),
            shared_limiter("overall", s.global_rate_limit, s.rate_window),
            exempt=s.rate_limit_exempt,
        )

    # --- the checks, one method each (unit-tested directly) ------------------

    def origin_problem(self, origin: Optional[str]) -> Optional[Tuple[int, str]]:
        if origin is None:
            return None  # not a browser: integrations, scripts
        if origin.strip().rstrip("/") in self.settings.allowed_origins:
            return None
        return 403, "Requests from web pages on that origin are not accepted."

    def signed_in_user(self, authorization: Optional[str]) -> Tuple[Optional[Dict[str, Any]], Optional[Tuple[int, str]]]:
        """(claims, None) when sign-in is off (claims {}) or the token is
        valid; (None, problem) otherwise."""
        from bot.socket_channel import InvalidToken, decode_token

        secret = self.settings.widget_jwt_secret
        if not secret:
            return {}, None
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None, (401, "Sign-in is required: send the signed token as `Authorization: Bearer <token>`.")
        try:
            return decode_token(token, secret, settings=self.settings), None
        except InvalidToken as exc:
            return None, (401, f"Sign-in is required: {exc}.")

    def address(self, request: Request) -> str:
        return client_address(request.ip or "", request.headers.get("x-forwarded-for"), self.settings.trusted_proxies)

    # --- the webhook -----------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        from bot.socket_channel import user_from_claims

        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> Any:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Any:
            if not is_json(request.headers.get("content-type")):
                return error(415, f"Send the body as JSON, with `Content-Type: application/json`. {USAGE}")
            problem = self.origin_problem(request.headers.get("origin"))
            if problem:
                return error(*problem)
            data, problem = parse_body(request.body or b"")
            if problem:
                return error(*problem)
            refused = payload_problem(data["message"])
            if refused:
                logger.info("REST message refused: %s", refused)
                return error(400, PAYLOAD_REFUSED)
            claims, problem = self.signed_in_user(request.headers.get("authorization"))
            if problem:
                return error(*problem)
            subject = claims.get("sub") if claims else None
            sender_id = conversation_id(data["sender"], str(subject) if subject not in (None, "") else None)
            if not self.limits.allow(sender_id, self.address(request)):
                return error(429, RATE_LIMITED_REPLY, **{"Retry-After": str(self.settings.rate_window)})
            metadata = {"user": user_from_claims(claims, self.settings)} if claims else {}
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(clean_text(data["message"]), collector, sender_id, input_channel=self.name(), metadata=metadata)
                )
            except Exception as exc:  # never the message text: it may be a disclosure
                logger.error("REST message for a conversation could not be handled: %s", type(exc).__name__)
                messages = list(collector.messages) + [{"recipient_id": sender_id, "text": UNAVAILABLE_REPLY}]
                return response.json(messages, status=503)
            if not collector.messages:
                # Rasa answers nothing when an action fails (the action server
                # is down, say): never leave the person with silence
                logger.warning("a REST message got no answer: sent the apology")
                return response.json([{"recipient_id": sender_id, "text": UNAVAILABLE_REPLY}])
            return response.json(collector.messages)

        return webhook
