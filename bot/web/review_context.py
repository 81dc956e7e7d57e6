"""What every review handler needs: the stores, running database work off
the event loop, who is signed in, and the POST checks (Origin + CSRF).

`staff_page` wraps a handler `(request, person, ...)`:

- no session, or one that has ended -> redirect to the sign-in page (an
  ended session is audited as `session_expired`);
- a POST from another origin, or without the session's CSRF token -> 403,
  audited as `csrf_rejected`; nothing else runs;
- the records database down -> 503 page; a record that cannot be decrypted
  -> 500 page. Never a stack trace.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional

from sanic import response

from bot.records.errors import DecryptionError, KeyConfigurationError, RecordsUnavailable
from bot.web import review_pages
from bot.web.review_audit import AuditTrail
from bot.web.review_db import session_factory_of
from bot.web.review_records import ScopedRecords
from bot.web.review_security import (
    CSRF_FIELD,
    LOGIN_PATH,
    PREFIX,
    SESSION_COOKIE,
    clear_cookie,
    origin_allowed,
    tokens_match,
)
from bot.web.review_sessions import EXPIRED, SIGNED_IN, SessionStore
from bot.web.review_users import StaffDirectory
from bot.web.settings import WebSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewServices:
    settings: WebSettings
    repository: Any
    directory: StaffDirectory
    sessions: SessionStore
    audit: AuditTrail
    records: ScopedRecords

    @classmethod
    def open(cls, repository: Any, settings: WebSettings) -> "ReviewServices":
        factory = session_factory_of(repository)
        return cls(
            settings=settings,
            repository=repository,
            directory=StaffDirectory(factory),
            sessions=SessionStore(factory, idle_minutes=settings.session_minutes),
            audit=AuditTrail(factory),
            records=ScopedRecords(factory, repository),
        )


def services(request: Any) -> ReviewServices:
    return request.app.ctx.review


async def in_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run blocking work (database, password hashing) in the default executor."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(function, *args, **kwargs))


def client_ip(request: Any) -> Optional[str]:
    return request.remote_addr or request.ip or None


async def audit(request: Any, action: str, outcome: str = "ok", *, person: Any = None, **fields: Any) -> None:
    fields.setdefault("username", getattr(person, "username", None))
    await in_thread(services(request).audit.record, action, outcome, ip=client_ip(request), **fields)


def form_value(request: Any, name: str) -> str:
    value = request.form.get(name) if request.form else None
    return value if isinstance(value, str) else ""


def to_login(request: Any, note: Optional[str] = None) -> Any:
    target = f"{LOGIN_PATH}?m={note}" if note else LOGIN_PATH
    redirect = response.redirect(target, status=303)
    if request.cookies.get(SESSION_COOKIE):
        clear_cookie(redirect, SESSION_COOKIE, secure=services(request).settings.secure_cookies, path=PREFIX)
    return redirect


def guarded(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Database and key failures become plain pages."""

    @functools.wraps(handler)
    async def run(request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await handler(request, *args, **kwargs)
        except RecordsUnavailable:
            return review_pages.unavailable()
        except (DecryptionError, KeyConfigurationError) as exc:
            logger.error("review: a record could not be decrypted (%s)", type(exc).__name__)
            return review_pages.unreadable()

    return run


def staff_page(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(handler)
    async def run(request: Any, *args: Any, **kwargs: Any) -> Any:
        posting = request.method == "POST"
        if posting and not origin_allowed(request, services(request).settings.public_url):
            await audit(request, "csrf_rejected", "denied", detail=f"foreign origin on {request.path[:100]}")
            return review_pages.csrf_refused()
        outcome, person, username = await in_thread(services(request).sessions.resume, request.cookies.get(SESSION_COOKIE))
        if outcome == EXPIRED:
            await audit(request, "session_expired", username=username)
            return to_login(request, "expired")
        if outcome != SIGNED_IN or person is None:
            return to_login(request)
        if posting and not tokens_match(person.csrf_token, form_value(request, CSRF_FIELD)):
            await audit(request, "csrf_rejected", "denied", person=person, detail=f"bad token on {request.path[:100]}")
            return review_pages.csrf_refused(person)
        return await handler(request, person, *args, **kwargs)

    return guarded(run)


__all__ = [
    "ReviewServices",
    "audit",
    "client_ip",
    "form_value",
    "guarded",
    "in_thread",
    "services",
    "staff_page",
    "to_login",
]
