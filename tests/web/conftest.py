"""Fixtures for the web app tests.

Storage tests run on SQLite and, when `TEST_POSTGRES_URL` is set, also on a
fresh PostgreSQL schema (dropped afterwards), as in tests/records. Nothing
touches the project's var/ folder.

`Browser` drives the app through Sanic's ASGI test client like a person
with a browser would: it keeps cookies, reads the CSRF token out of the
page it was shown and sends it back with forms.
"""
from __future__ import annotations

import asyncio
import itertools
import os
import re
import uuid
from html import unescape
from typing import Any, Dict, Iterator, Optional

import pytest
from sanic_testing.testing import SanicASGITestClient
from sqlalchemy import create_engine, text

from bot.records import db
from bot.records.crypto import RecordCipher, generate_key
from bot.records.migration import migrate
from bot.records.repository import RecordRepository
from bot.web import review_passwords
from bot.web.app import create_app
from bot.web.review_users import StaffDirectory
from bot.web.settings import WebSettings

POSTGRES_ENV = "TEST_POSTGRES_URL"
POSTGRES_URL = os.environ.get(POSTGRES_ENV, "").strip()

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason=f"PostgreSQL not tested: set {POSTGRES_ENV}"),
    ),
]

PASSWORD = "correct horse battery staple"
ACCOUNT = "Mr Smith (Year 5) sent my daughter a friend request <script>alert('x')</script> & messages at night"

_app_numbers = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path, monkeypatch):
    for name in ("RECORDS_KEY", "RECORDS_OLD_KEYS", "RECORDS_REFERENCE_PREFIX", "DSL_EMAIL", "SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RECORDS_KEY_FILE", str(tmp_path / "keys" / "records.key"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'default-records.db'}")


@pytest.fixture(autouse=True)
def _quick_password_hashing(monkeypatch):
    """Cheaper scrypt for speed; tests/web/test_review_passwords.py checks the real cost."""
    monkeypatch.setattr(review_passwords, "DEFAULT_COST", review_passwords.ScryptCost(n=2**10))


def _with_pg_options(url: str, *options: str) -> str:
    parsed = db.normalise_url(url)
    existing = parsed.query.get("options", "")
    merged = " ".join(part for part in (existing, *options) if part)
    return parsed.update_query_dict({"options": merged}).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, tmp_path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.db'}"
        return
    schema = f"web_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(db.normalise_url(POSTGRES_URL), future=True)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield _with_pg_options(POSTGRES_URL, f"-csearch_path={schema}")
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def engine(database_url):
    engine = db.make_engine(database_url)
    migrate(engine=engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine):
    return db.make_session_factory(engine)


@pytest.fixture
def repo(session_factory) -> RecordRepository:
    return RecordRepository(session_factory, RecordCipher([generate_key()]))


@pytest.fixture
def directory(session_factory) -> StaffDirectory:
    return StaffDirectory(session_factory)


@pytest.fixture
def staff(directory) -> Dict[str, Any]:
    """One account per role, all with PASSWORD."""
    people = {
        "head": ("Mrs J. Example", ["head_teacher"]),
        "dsl": ("Mr A. Sample", ["dsl"]),
        "office": ("Ms O. Office", ["office"]),
        "admin": ("IT Admin", ["admin"]),
    }
    return {name: directory.create(name, shown, PASSWORD, roles) for name, (shown, roles) in people.items()}


@pytest.fixture
def filed(repo) -> Dict[str, Any]:
    """One record of each kind."""
    counter = itertools.count()

    def file(kind: str, role: str = "parent", **extra: Any):
        return repo.file(kind, ACCOUNT, role, idempotency_key=f"test:{kind}:{next(counter)}", **extra)

    return {
        "disclosure": file("disclosure", filer_name="A Parent", filer_contact="parent@example.org"),
        "family_link_declaration": file("family_link_declaration", "staff"),
        "service_proposal": file("service_proposal", "staff", details={"platform": "facebook"}),
        "concern_report": file("concern_report"),
    }


@pytest.fixture
def settings() -> WebSettings:
    return WebSettings(public_url="http://mockserver:1234", session_minutes=30)


@pytest.fixture
def app(settings, repo):
    return create_app(settings, repository=repo, name=f"review_test_{next(_app_numbers)}")


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
        return response

    def get(self, path: str, **kwargs: Any):
        return self._send("GET", path, **kwargs)

    def token(self) -> str:
        match = self.CSRF.search(self.page)
        assert match, "no CSRF token on the last page"
        return unescape(match.group(1))

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


@pytest.fixture
def browser(app) -> Iterator[Any]:
    """`browser()` opens a new browser on the app (closed after the test)."""
    opened = []

    def open_browser(**kwargs: Any) -> Browser:
        opened.append(Browser(app, **kwargs))
        return opened[-1]

    yield open_browser
    for each in opened:
        each.close()


@pytest.fixture
def signed_in(browser, staff):
    """`signed_in("dsl")`: a browser signed in as that account."""

    def sign_in(username: str) -> Browser:
        person = browser()
        response = person.login(username)
        assert response.status == 303 and response.headers["location"] == "/review", response.text
        return person

    return sign_in


@pytest.fixture
def closed_session_factory():
    """Sessions on a PostgreSQL address where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = db.make_engine(f"postgresql://nobody:secret@127.0.0.1:{port}/records?connect_timeout=3")
    yield db.make_session_factory(engine)
    engine.dispose()
