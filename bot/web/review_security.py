"""Cookies, CSRF and security headers for the review pages.

- The session cookie holds a random token; HttpOnly, SameSite=Strict, path
  /review, Secure when `WEB_SECURE_COOKIES` is on. No Max-Age: the server
  decides when a session ends.
- CSRF: every form carries the session's token in a hidden field, checked
  with a constant-time compare on every POST. The sign-in form, used before
  there is a session, uses a double-submit token (a short-lived cookie that
  must match the hidden field).
- A POST whose Origin header names another site is refused. Browsers send
  `Origin: null` for a page's own forms when the page's Referrer-Policy is
  no-referrer (as here), so a missing or null Origin is left to the token.
- Headers on every /review response: a Content-Security-Policy with no
  script and no inline style, nosniff, no referrer, no framing; and
  Cache-Control no-store on everything but the stylesheet.
"""
from __future__ import annotations

import hmac
from typing import Any, Optional
from urllib.parse import urlsplit

PREFIX = "/review"
STATIC_PREFIX = "/review/static/"
SESSION_COOKIE = "review_session"
LOGIN_COOKIE = "review_login"
LOGIN_PATH = "/review/login"
CSRF_FIELD = "csrf_token"
LOGIN_TOKEN_SECONDS = 3600

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def tokens_match(expected: Optional[str], given: Optional[str]) -> bool:
    if not expected or not given or not isinstance(given, str):
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "surrogatepass"))


def _origin(url: str) -> Optional[str]:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def origin_allowed(request: Any, public_url: str) -> bool:
    """False when the request's Origin names a site other than this one."""
    origin = request.headers.get("origin")
    if origin is None or origin.strip().lower() == "null":
        return True
    found = _origin(origin)
    if found is None:
        return False
    if found == _origin(public_url):
        return True
    host = (request.headers.get("host") or "").strip().lower()
    return bool(host) and urlsplit(found).netloc == host


def set_cookie(response: Any, name: str, value: str, *, secure: bool, path: str, max_age: Optional[int] = None) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = path
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if secure:
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age


def clear_cookie(response: Any, name: str, *, secure: bool, path: str) -> None:
    set_cookie(response, name, "", secure=secure, path=path, max_age=0)


def add_security_headers(request: Any, response: Any) -> None:
    path = request.path or ""
    if path != PREFIX and not path.startswith(PREFIX + "/"):
        return
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    if not path.startswith(STATIC_PREFIX):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
