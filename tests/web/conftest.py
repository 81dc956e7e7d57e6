"""Fixtures for the web app tests.

Storage tests run on SQLite and, when `TEST_POSTGRES_URL` is set, also on a
fresh PostgreSQL schema (dropped afterwards), as in tests/records. Nothing
touches the project's var/ folder.

Shared helpers (the `Browser`, `audit_rows`, test constants) are in
`review_helpers.py`: import them from there, not from this conftest (several
conftest modules are loaded in one run and `import conftest` is ambiguous).
"""
from __future__ import annotations

import itertools
from typing import Any, Dict, Iterator

import pytest

from bot.records import db
from bot.records.crypto import RecordCipher, generate_key
from bot.records.migration import migrate
from bot.records.repository import RecordRepository
from bot.web import review_passwords
from bot.web.app import create_app
from bot.web.review_users import StaffDirectory
from bot.web.settings import WebSettings

from review_helpers import ACCOUNT, PASSWORD, Browser

from database_backends import BACKENDS, empty_database

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


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, tmp_path) -> Iterator[str]:
    with empty_database(backend, tmp_path, "web_test") as url:
        yield url


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
