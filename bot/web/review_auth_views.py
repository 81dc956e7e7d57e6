"""Signing in and out, and changing one's own password.

Sign-in failures are audited: with the username when it names an account,
without it otherwise (a password typed into the username box must not end
up in the audit trail). After 5 failures for one account, or 20 from one
address, within 15 minutes, sign-in is refused for the rest of the window.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sanic import response

from bot.records.models import utcnow
from bot.web import review_pages
from bot.web.review_context import audit, client_ip, form_value, guarded, in_thread, services, staff_page
from bot.web.review_passwords import MIN_LENGTH, PasswordPolicyError
from bot.web.review_security import (
    CSRF_FIELD,
    LOGIN_COOKIE,
    LOGIN_PATH,
    LOGIN_TOKEN_SECONDS,
    PREFIX,
    SESSION_COOKIE,
    clear_cookie,
    origin_allowed,
    set_cookie,
    tokens_match,
)
from bot.web.review_sessions import SIGNED_IN
from bot.web.review_users import UserError, normalise_username

THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20

NOTES = {
    "expired": "Your session ended. Please sign in again.",
    "signed_out": "You have signed out.",
    "password_changed": "Your password was changed. Please sign in with the new one.",
}
WRONG = "The username or password is not right."
THROTTLED = "Too many failed sign-ins. Wait 15 minutes and try again, or ask the administrator."


def _login_page(request: Any, status: int = 200, error: str = "", username: str = "") -> Any:
    token = secrets.token_urlsafe(32)
    page = review_pages.render(
        "login.html",
        status=status,
        login_token=token,
        error=error,
        note=NOTES.get(request.args.get("m", ""), ""),
        username=username,
    )
    set_cookie(
        page,
        LOGIN_COOKIE,
        token,
        secure=services(request).settings.secure_cookies,
        path=LOGIN_PATH,
        max_age=LOGIN_TOKEN_SECONDS,
    )
    return page


@guarded
async def login_form(request: Any) -> Any:
    outcome, _person, _name = await in_thread(services(request).sessions.resume, request.cookies.get(SESSION_COOKIE))
    if outcome == SIGNED_IN:
        return response.redirect(PREFIX, status=303)
    return _login_page(request)


def _throttled(request: Any, username: str) -> tuple[bool, bool]:
    """(throttled, whether the username names an account) - blocking."""
    store = services(request)
    account = store.directory.by_username(username) if username else None
    by_account, by_address = store.audit.failures_since(
        utcnow() - THROTTLE_WINDOW, username=account.username if account else None, ip=client_ip(request)
    )
    return by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS, account is not None


@guarded
async def login(request: Any) -> Any:
    store = services(request)
    if not origin_allowed(request, store.settings.public_url) or not tokens_match(
        request.cookies.get(LOGIN_COOKIE), form_value(request, CSRF_FIELD)
    ):
        await audit(request, "csrf_rejected", "denied", detail="sign-in form")
        return review_pages.csrf_refused()
    username = normalise_username(form_value(request, "username"))[:64]
    password = form_value(request, "password")
    throttled, known = await in_thread(_throttled, request, username)
    if throttled:
        await audit(request, "login_throttled", "denied", username=username if known else None)
        return _login_page(request, status=429, error=THROTTLED, username=username)
    account = await in_thread(store.directory.authenticate, username, password) if username and password else None
    if account is None:
        detail = "wrong password or inactive account" if known else "unknown username"
        await audit(request, "login_failed", "failed", username=username if known else None, detail=detail)
        return _login_page(request, error=WRONG, username=username if known else "")
    token, _csrf = await in_thread(store.sessions.start, account.id)
    await audit(request, "login_succeeded", username=account.username)
    done = response.redirect(PREFIX, status=303)
    secure = store.settings.secure_cookies
    set_cookie(done, SESSION_COOKIE, token, secure=secure, path=PREFIX)
    clear_cookie(done, LOGIN_COOKIE, secure=secure, path=LOGIN_PATH)
    return done


@staff_page
async def logout(request: Any, person: Any) -> Any:
    store = services(request)
    await in_thread(store.sessions.end, request.cookies.get(SESSION_COOKIE))
    await audit(request, "logout", person=person)
    done = response.redirect(f"{LOGIN_PATH}?m=signed_out", status=303)
    clear_cookie(done, SESSION_COOKIE, secure=store.settings.secure_cookies, path=PREFIX)
    return done


@staff_page
async def password_form(request: Any, person: Any) -> Any:
    return review_pages.render("password.html", person=person, error="", min_length=MIN_LENGTH)


@staff_page
async def change_password(request: Any, person: Any) -> Any:
    new = form_value(request, "new_password")
    if new != form_value(request, "confirm_password"):
        error = "The new password and its confirmation differ."
    else:
        try:
            await in_thread(services(request).directory.change_own_password, person.user_id, form_value(request, "current_password"), new)
        except (UserError, PasswordPolicyError) as exc:
            error = str(exc)
        else:
            await audit(request, "own_password_changed", person=person)
            # every session of this person ended with the change, this one too
            done = response.redirect(f"{LOGIN_PATH}?m=password_changed", status=303)
            clear_cookie(done, SESSION_COOKIE, secure=services(request).settings.secure_cookies, path=PREFIX)
            return done
    await audit(request, "own_password_changed", "refused", person=person)
    return review_pages.render("password.html", person=person, status=400, error=error, min_length=MIN_LENGTH)
