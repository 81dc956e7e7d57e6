"""Helpers shared by the review app's tests (imported as `review_helpers`).

`Browser` drives the app through Sanic's ASGI test client as a person at a
browser would: it keeps cookies, reads the CSRF token out of the page it was
shown and sends it back with forms.
"""
from __future__ import annotations

import asyncio
import re
from html import unescape
from typing import Any, Dict, Optional

from sanic_testing.testing import SanicASGITestClient
from sqlalchemy import text

PASSWORD = "correct horse battery staple"
ACCOUNT = "Mr Smith (Year 5) sent my daughter a friend request <script>alert('x')</script> & messages at night"


def audit_rows(session_factory, **where: Any):
    """Audit events (oldest first) as dicts, filtered by column values."""
    clauses = " AND ".join(f"{column} = :{column}" for column in where) or "1 = 1"
    with session_factory() as session:
        rows = session.execute(
            text(f"SELECT username, action, outcome, reference, ip, detail FROM audit_events WHERE {clauses} ORDER BY id"),
            where,
        ).mappings()
        return [dict(row) for row in rows]


class Browser:
    """A person at a browser: cookies kept, forms posted with the page's token."""

    CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')

    def __init__(self, app: Any, origin: Optional[str] = "http://mockserver:1234") -> None:
        self.loop = asyncio.new_event_loop()
        self.client = SanicASGITestClient(app)
        self.origin = origin
        self.page = ""
        self.last_token = ""

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()

    def _send(self, method: str, path: str, **kwargs: Any):
        headers = kwargs.pop("headers", {})
        _request, response = self.loop.run_until_complete(
            self.client.request(method, path, headers=headers, allow_redirects=False, **kwargs)
        )
        if response.headers.get("content-type", "").startswith("text/html"):
            self.page = response.text
            match = self.CSRF.search(self.page)
            if match:
                self.last_token = unescape(match.group(1))
        return response

    def get(self, path: str, **kwargs: Any):
        return self._send("GET", path, **kwargs)

    def token(self) -> str:
        """The token of the last page that had a form (as in an open tab)."""
        assert self.last_token, "no page with a form has been opened"
        return self.last_token

    def post(self, path: str, data: Dict[str, Any], *, token: Optional[str] = "page", origin: Any = "default", **kwargs: Any):
        body = dict(data)
        if token == "page":
            body["csrf_token"] = self.token()
        elif token is not None:
            body["csrf_token"] = token
        headers = dict(kwargs.pop("headers", {}))
        sent_origin = self.origin if origin == "default" else origin
        if sent_origin is not None:
            headers["origin"] = sent_origin
        return self._send("POST", path, data=body, headers=headers, **kwargs)

    def login(self, username: str, password: str = PASSWORD):
        self.get("/review/login")
        return self.post("/review/login", {"username": username, "password": password})

    def cookie(self, name: str) -> Optional[str]:
        return self.client.cookies.get(name)
