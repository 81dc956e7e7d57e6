"""The socket.io channel the chat widget talks to, made safe to expose.

Rasa's own `SocketIOInput` accepts connections from any web page, trusts the
metadata the browser sends and passes on any message. This subclass keeps
its events (`session_request` / `session_confirm`, `user_uttered` /
`bot_uttered`) and adds:

- **origins**: only the intranet pages in `WIDGET_ALLOWED_ORIGINS` may
  connect from a browser (checked by Engine.IO on every request, polling and
  WebSocket alike);
- **sign-in**: when `WIDGET_JWT_SECRET` is set, the host page must pass a
  signed token (HS256, with an expiry) as `auth.token`; bad, expired and
  missing tokens are refused at connect. Without a secret everyone connects
  anonymously;
- **who is asking**: each message's metadata is `{"user": {"role": ...,
  "name": ...}}` from the validated token only (or `{}` when anonymous):
  whatever metadata the browser sends is dropped;
- **limits**: rate limits per session, per client address and overall
  (bot/limits.py), the length cap of `bot.text_guard`, and button payloads
  only as the assistant sends them (bot/payloads.py), each answered with a
  polite message instead of being passed on;
- **one event per bot message**: text (paragraphs kept), buttons as
  `quick_replies` and the answer's `custom` facts (policy_refs, decision,
  reason, reference) in one `bot_uttered` payload, and a `bot_turn_end`
  event once the assistant has finished answering a message.

Configured in credentials.yml as `bot.socket_channel.SafeSocketIOInput`;
the settings come from the environment (`bot.web.settings`).
"""
from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any, Awaitable, Callable, Dict, Iterable, Mapping, Optional, Text

import jwt
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from socketio import AsyncServer

from bot.limits import MessageLimits, RateLimiter, client_address, shared_limiter
from bot.payloads import REFUSED as PAYLOAD_REFUSED
from bot.payloads import payload_problem
from bot.rasa_channel import MAX_BODY_BYTES, UNAVAILABLE_REPLY, clean_text
from bot.text_guard import MAX_MESSAGE_CHARS
from bot.web.settings import WebSettings

logger = logging.getLogger(__name__)

ROLES = ("staff", "parent", "pupil", "governor", "other")
MAX_NAME_CHARS = 100
TURN_END_EVT = "bot_turn_end"

TOO_LONG_REPLY = (
    f"That message is longer than I can read (over {MAX_MESSAGE_CHARS:,} characters). "
    "Could you ask your question in a sentence or two?"
)
RATE_LIMITED_REPLY = (
    "You're sending messages faster than I can answer them. "
    "Please wait a minute, then ask again."
)
NOT_TEXT_REPLY = "I can only read typed messages. What would you like to know?"

_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class InvalidToken(ValueError):
    """The host page's token is missing, badly signed, expired, too long-lived,
    or for another issuer or audience."""


def decode_token(token: Any, secret: str, *, settings: Optional[WebSettings] = None, leeway: int = 30) -> Dict[str, Any]:
    """The claims of a valid HS256 token: signed with `secret`, with `exp`
    and `iat`, from the configured issuer (`iss`) for the configured audience
    (`aud`), and living no longer than the configured cap (from `iat` to
    `exp`, and from now to `exp`)."""
    s = settings or WebSettings()
    if not isinstance(token, str) or not token.strip():
        raise InvalidToken("no token")
    try:
        claims = jwt.decode(
            token.strip(), secret, algorithms=["HS256"], leeway=leeway,
            issuer=s.widget_jwt_issuer, audience=s.widget_jwt_audience,
            options={"require": ["exp", "iat", "iss", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("the token has expired") from None
    except (jwt.InvalidIssuerError, jwt.InvalidAudienceError) as exc:
        raise InvalidToken(f"the token is not for this assistant ({exc.__class__.__name__})") from None
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"the token is not valid ({exc.__class__.__name__})") from None
    if not isinstance(claims, dict):
        raise InvalidToken("the token has no claims")
    cap = s.widget_jwt_max_lifetime
    issued, expires = claims.get("iat"), claims.get("exp")
    if not isinstance(issued, (int, float)) or not isinstance(expires, (int, float)):
        raise InvalidToken("the token's times are not numbers")
    if expires - issued > cap + leeway or expires - time.time() > cap + leeway:
        raise InvalidToken(f"the token lives longer than {cap} seconds")
    return claims


def user_from_claims(claims: Mapping[str, Any], settings: Optional[WebSettings] = None) -> Dict[str, str]:
    """The `user` metadata for validated claims: a known role ("other" when
    the token names none we know) and, when given, a display name."""
    role = claims.get("role")
    role = role.strip().lower() if isinstance(role, str) else ""
    user = {"role": role if role in ROLES else "other"}
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        user["name"] = " ".join(name.split())[:MAX_NAME_CHARS]
    return user


def _quick_replies(buttons: Iterable[Any]) -> list:
    return [
        {"content_type": "text", "title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in buttons
        if isinstance(b, Mapping)
    ]


class WidgetOutput(SocketIOOutput):
    """One `bot_uttered` event per bot message: {text, quick_replies, custom}.
    `sent` counts them (a turn with none gets an apology)."""

    sent = 0

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        payload: Dict[str, Any] = {}
        if message.get("text"):
            payload["text"] = str(message["text"]).strip()
        buttons = message.get("quick_replies") or message.get("buttons")
        if buttons:
            payload["quick_replies"] = _quick_replies(buttons)
        if isinstance(message.get("custom"), Mapping):
            payload["custom"] = dict(message["custom"])
        for key in ("image", "attachment"):
            if message.get(key):
                payload[key] = message[key]
        if payload:
            await self._send_message(recipient_id, payload)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": text.strip()})


class SafeSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with origins, sign-in, metadata and limits
    controlled (see the module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", True),
            credentials.get("socketio_path", "/socket.io"),
        )

    def __init__(self, *args: Any, settings: Optional[WebSettings] = None, **kwargs: Any) -> None:
        kwargs.pop("jwt_key", None)  # sign-in is configured by WIDGET_JWT_SECRET only
        super().__init__(*args, **kwargs)
        self.settings = settings or WebSettings.from_env()
        s = self.settings
        self.limits = MessageLimits(
            RateLimiter(s.widget_rate_limit, s.widget_rate_window),
            shared_limiter("address", s.address_rate_limit, s.rate_window),
            shared_limiter("overall", s.global_rate_limit, s.rate_window),
            exempt=s.rate_limit_exempt,
        )
        self.addresses: Dict[str, str] = {}  # socket id -> client address
        self.users: Dict[str, Dict[str, str]] = {}  # socket id -> validated user
        self.subjects: Dict[str, str] = {}  # socket id -> token subject
        self.session_owner: Dict[str, str] = {}  # session id -> token subject

    # --- the checks, one method each (unit-tested directly) ------------------

    def cors_allowed_origins(self) -> Any:
        origins = list(self.settings.allowed_origins)
        # An empty list would switch Engine.IO's origin check off: refuse all.
        return origins or (lambda _origin: False)

    def address_of(self, environ: Any) -> str:
        """The client's address from the connection's request (bot/limits.py)."""
        request = environ.get("sanic.request") if isinstance(environ, Mapping) else None
        peer = getattr(request, "ip", None) or (environ.get("REMOTE_ADDR") if isinstance(environ, Mapping) else "") or ""
        forwarded = environ.get("HTTP_X_FORWARDED_FOR") if isinstance(environ, Mapping) else None
        return client_address(str(peer), forwarded, self.settings.trusted_proxies)

    def authenticate(self, sid: str, auth: Any, address: str = "unknown") -> bool:
        """Record who is on socket `sid`; False refuses the connection."""
        self.addresses[sid] = address
        secret = self.settings.widget_jwt_secret
        if not secret:
            self.users.pop(sid, None)
            return True
        token = auth.get("token") if isinstance(auth, Mapping) else None
        try:
            claims = decode_token(token, secret, settings=self.settings)
        except InvalidToken as exc:
            logger.info("socket.io connection refused: %s", exc)
            self.addresses.pop(sid, None)
            return False
        self.users[sid] = user_from_claims(claims, self.settings)
        subject = claims.get("sub")
        if isinstance(subject, (str, int)) and str(subject):
            self.subjects[sid] = str(subject)
        return True

    def forget(self, sid: str) -> None:
        self.users.pop(sid, None)
        self.subjects.pop(sid, None)
        self.addresses.pop(sid, None)

    def session_for(self, sid: str, requested: Any) -> str:
        """The session id to use: the one asked for when it is well-formed and
        not another signed-in user's, else a new one."""
        subject = self.subjects.get(sid, "")
        well_formed = isinstance(requested, str) and _SESSION_ID.match(requested)
        if well_formed and self.session_owner.get(requested, subject) == subject:
            session_id = requested
        else:
            session_id = uuid.uuid4().hex
        if subject:
            self.session_owner[session_id] = subject
        return session_id

    def metadata_for(self, sid: str) -> Dict[str, Any]:
        """Message metadata: the validated user only, never the browser's."""
        user = self.users.get(sid)
        return {"user": dict(user)} if user else {}

    def refusal(self, sid: str, session_id: str, text: Any) -> Optional[str]:
        """A polite reply when the message must not be passed on, else None."""
        if not isinstance(text, str):
            return NOT_TEXT_REPLY
        if len(text) > MAX_MESSAGE_CHARS:
            return TOO_LONG_REPLY
        refused = payload_problem(text)
        if refused:
            logger.info("widget message refused: %s", refused)
            return PAYLOAD_REFUSED
        if not self.limits.allow(f"session:{session_id}", self.addresses.get(sid, "unknown")):
            return RATE_LIMITED_REPLY
        return None

    # --- the socket.io server ------------------------------------------------

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        if self.sio is None:
            return super().get_output_channel()
        return WidgetOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.cors_allowed_origins(),
            cors_credentials=False,
            max_http_buffer_size=MAX_BODY_BYTES,
        )
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        namespace = self.namespace

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> Any:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            return self.authenticate(sid, auth, self.address_of(environ))

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: Text, *_: Any) -> None:
            self.forget(sid)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Optional[Dict] = None) -> None:
            requested = data.get("session_id") if isinstance(data, Mapping) else None
            session_id = self.session_for(sid, requested)
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            data = data if isinstance(data, Mapping) else {}
            session_id = sid
            if self.session_persistence:
                requested = data.get("session_id")
                rooms = sio.rooms(sid, namespace=namespace)
                if not isinstance(requested, str) or requested not in rooms:
                    logger.info("message on socket %s without a confirmed session: ignored", sid)
                    return
                session_id = requested
            output = self.get_output_channel()
            text = data.get("message", "")
            polite = self.refusal(sid, session_id, text)
            try:
                if polite:
                    await output.send_text_message(session_id, polite)
                else:
                    await on_new_message(
                        UserMessage(
                            clean_text(text), output, session_id, input_channel=self.name(),
                            metadata=self.metadata_for(sid),
                        )
                    )
                    if not output.sent:  # an action failed and Rasa said nothing
                        logger.warning("a widget message got no answer: sent the apology")
                        await output.send_text_message(session_id, UNAVAILABLE_REPLY)
            except Exception as exc:  # never the message text: it may be a disclosure
                logger.error("widget message could not be handled: %s", type(exc).__name__)
                await output.send_text_message(session_id, UNAVAILABLE_REPLY)
            finally:
                # the widget stops its typing indicator, whatever happened
                await sio.emit(TURN_END_EVT, {}, room=session_id, namespace=namespace)

        return socketio_webhook
