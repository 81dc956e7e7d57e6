"""Web app configuration, read from the environment (nothing at import time).

| variable | default | meaning |
| --- | --- | --- |
| `WEB_HOST` / `WEB_PORT` | 127.0.0.1 / 8000 | where the web app listens |
| `WEB_PUBLIC_URL` | http://localhost:8000 | the address people use (links in e-mails, widget script) |
| `RASA_URL` | http://localhost:5005 | the Rasa server the widget talks to (socket.io) |
| `WIDGET_ALLOWED_ORIGINS` | the public URL, http://localhost:8000, http://127.0.0.1:8000 | intranet pages allowed to embed the widget (comma-separated) |
| `WEB_SESSION_MINUTES` | 30 | staff sessions expire after this long without use |
| `WEB_SECURE_COOKIES` | false | set true behind HTTPS |
| `SMTP_HOST` / `SMTP_PORT` | unset / 25 | mail server for new-disclosure notices (unset: no e-mail, logged) |
| `SMTP_USERNAME` / `SMTP_PASSWORD` / `SMTP_STARTTLS` | unset / unset / false | mail server login |
| `SMTP_FROM` | safeguarding-assistant@localhost | sender of notices |
| `DSL_EMAIL` | the DSL's e-mail in school.yml | who is told about a new disclosure |
| `WIDGET_JWT_SECRET` | unset | when set, the widget's host page must pass a signed token (HS256, with `exp`) |
| `WIDGET_JWT_ISSUER` / `WIDGET_JWT_AUDIENCE` | school-intranet / safeguarding-assistant | the `iss` and `aud` every token must carry |
| `WIDGET_JWT_MAX_LIFETIME_SECONDS` | 43200 (12 hours) | tokens that live longer (from `iat` to `exp`, or from now to `exp`) are refused |
| `WIDGET_SOCKET_URL` | `RASA_URL` | where browsers reach Rasa's socket.io channel (if not the same as `RASA_URL`) |
| `WIDGET_RATE_LIMIT` / `WIDGET_RATE_WINDOW_SECONDS` | 20 / 60 | at most this many widget messages per conversation in this many seconds |
| `REST_RATE_LIMIT` | 30 | at most this many REST messages per sender id in `RATE_LIMIT_WINDOW_SECONDS` |
| `RATE_LIMIT_PER_ADDRESS` | 120 | at most this many messages (REST and widget together) from one client address in the window |
| `RATE_LIMIT_GLOBAL` | 1200 | at most this many messages in all, per Rasa process, in the window |
| `RATE_LIMIT_WINDOW_SECONDS` | 60 | the window of the three limits above |
| `RATE_LIMIT_EXEMPT` | 127.0.0.1,::1 | client addresses the per-address limit does not apply to (scripts on this machine) |
| `TRUSTED_PROXIES` | 127.0.0.1,::1 | peers whose `X-Forwarded-For` names the client (the reverse proxy in deploy/) |
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Tuple

from bot.limits import LOOPBACK, normalise_addresses


def _flag(value: Optional[str]) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def _optional(env: Mapping[str, str], name: str) -> Optional[str]:
    """The variable's value, stripped; None when unset or blank."""
    return (env.get(name) or "").strip() or None


def _addresses(env: Mapping[str, str], name: str) -> Tuple[str, ...]:
    """A comma-separated list of IP addresses; unset means loopback, and
    "none" means no address at all."""
    raw = env.get(name)
    if raw is None or not raw.strip():
        return LOOPBACK
    if raw.strip().lower() == "none":
        return ()
    try:
        return normalise_addresses(part for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def _origins(parts: Iterable[str]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip().rstrip("/") for part in parts if part.strip()))


@dataclass(frozen=True)
class SmtpSettings:
    host: Optional[str] = None
    port: int = 25
    username: Optional[str] = None
    password: Optional[str] = field(default=None, repr=False)
    starttls: bool = False
    sender: str = "safeguarding-assistant@localhost"

    @property
    def enabled(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = "http://localhost:8000"
    rasa_url: str = "http://localhost:5005"
    allowed_origins: Tuple[str, ...] = ("http://localhost:8000", "http://127.0.0.1:8000")
    session_minutes: int = 30
    secure_cookies: bool = False
    smtp: SmtpSettings = SmtpSettings()
    dsl_email: Optional[str] = None
    widget_jwt_secret: Optional[str] = field(default=None, repr=False)
    widget_jwt_issuer: str = "school-intranet"
    widget_jwt_audience: str = "safeguarding-assistant"
    widget_jwt_max_lifetime: int = 12 * 3600
    widget_socket_url: str = "http://localhost:5005"
    widget_rate_limit: int = 20
    widget_rate_window: int = 60
    rest_rate_limit: int = 30
    address_rate_limit: int = 120
    global_rate_limit: int = 1200
    rate_window: int = 60
    rate_limit_exempt: Tuple[str, ...] = LOOPBACK
    trusted_proxies: Tuple[str, ...] = LOOPBACK
    database_url: Optional[str] = None

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "WebSettings":
        env = os.environ if environ is None else environ
        port = _int(env, "WEB_PORT", 8000)
        public_url = (env.get("WEB_PUBLIC_URL") or f"http://localhost:{port}").strip().rstrip("/")
        default_origins = (public_url, f"http://localhost:{port}", f"http://127.0.0.1:{port}")
        origins = _origins(env.get("WIDGET_ALLOWED_ORIGINS", "").split(",")) or _origins(default_origins)
        rasa_url = (env.get("RASA_URL") or "http://localhost:5005").strip().rstrip("/")
        return cls(
            host=env.get("WEB_HOST", "127.0.0.1").strip() or "127.0.0.1",
            port=port,
            public_url=public_url,
            rasa_url=rasa_url,
            allowed_origins=origins,
            session_minutes=_int(env, "WEB_SESSION_MINUTES", 30),
            secure_cookies=_flag(env.get("WEB_SECURE_COOKIES")),
            smtp=SmtpSettings(
                host=_optional(env, "SMTP_HOST"),
                port=_int(env, "SMTP_PORT", 25),
                username=_optional(env, "SMTP_USERNAME"),
                password=env.get("SMTP_PASSWORD") or None,
                starttls=_flag(env.get("SMTP_STARTTLS")),
                sender=(env.get("SMTP_FROM") or "safeguarding-assistant@localhost").strip(),
            ),
            dsl_email=_optional(env, "DSL_EMAIL"),
            widget_jwt_secret=env.get("WIDGET_JWT_SECRET") or None,
            widget_jwt_issuer=_optional(env, "WIDGET_JWT_ISSUER") or "school-intranet",
            widget_jwt_audience=_optional(env, "WIDGET_JWT_AUDIENCE") or "safeguarding-assistant",
            widget_jwt_max_lifetime=max(60, _int(env, "WIDGET_JWT_MAX_LIFETIME_SECONDS", 12 * 3600)),
            widget_socket_url=(env.get("WIDGET_SOCKET_URL") or rasa_url).strip().rstrip("/"),
            widget_rate_limit=max(1, _int(env, "WIDGET_RATE_LIMIT", 20)),
            widget_rate_window=max(1, _int(env, "WIDGET_RATE_WINDOW_SECONDS", 60)),
            rest_rate_limit=max(1, _int(env, "REST_RATE_LIMIT", 30)),
            address_rate_limit=max(1, _int(env, "RATE_LIMIT_PER_ADDRESS", 120)),
            global_rate_limit=max(1, _int(env, "RATE_LIMIT_GLOBAL", 1200)),
            rate_window=max(1, _int(env, "RATE_LIMIT_WINDOW_SECONDS", 60)),
            rate_limit_exempt=_addresses(env, "RATE_LIMIT_EXEMPT"),
            trusted_proxies=_addresses(env, "TRUSTED_PROXIES"),
            database_url=_optional(env, "DATABASE_URL"),
        )
