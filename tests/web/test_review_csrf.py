"""CSRF: every POST needs the session's token and must not come from another site."""
from __future__ import annotations

import pytest

from review_helpers import audit_rows


@pytest.fixture
def dsl_on_record(signed_in, filed):
    person = signed_in("dsl")
    reference = filed["disclosure"].reference
    assert person.get(f"/review/records/{reference}").status == 200
    return person, reference


def _status(repo, reference):
    return repo.get(reference).status


def test_the_page_token_is_accepted(dsl_on_record, repo):
    person, reference = dsl_on_record
    response = person.post(f"/review/records/{reference}/status", {"to_status": "in_review"})
    assert response.status == 303
    assert _status(repo, reference) == "in_review"


@pytest.mark.parametrize("token", [None, "", "forged-token", "x" * 43], ids=["missing", "empty", "forged", "same-length"])
def test_a_post_without_the_right_token_is_refused(dsl_on_record, repo, session_factory, token):
    person, reference = dsl_on_record
    response = person.post(f"/review/records/{reference}/status", {"to_status": "in_review"}, token=token)
    assert response.status == 403
    assert "did not come from these pages" in response.text and "Traceback" not in response.text
    assert _status(repo, reference) == "received"
    [rejected] = audit_rows(session_factory, action="csrf_rejected")
    assert rejected["username"] == "dsl" and rejected["outcome"] == "denied"
    assert audit_rows(session_factory, action="status_changed") == []


def test_another_sessions_token_is_refused(dsl_on_record, signed_in, repo):
    person, reference = dsl_on_record
    other = signed_in("head")
    other.get("/review")
    response = person.post(f"/review/records/{reference}/status", {"to_status": "in_review"}, token=other.token())
    assert response.status == 403 and _status(repo, reference) == "received"


def test_a_post_from_another_origin_is_refused_even_with_the_token(dsl_on_record, repo, session_factory):
    person, reference = dsl_on_record
    for origin in ("https://evil.example", "http://mockserver:1234.evil.example", "not a url"):
        response = person.post(f"/review/records/{reference}/status", {"to_status": "in_review"}, origin=origin)
        assert response.status == 403, origin
    assert _status(repo, reference) == "received"
    assert len(audit_rows(session_factory, action="csrf_rejected")) == 3


@pytest.mark.parametrize("origin", [None, "null"], ids=["no-origin", "null-origin"])
def test_no_origin_or_a_null_origin_is_left_to_the_token(dsl_on_record, repo, origin):
    """Browsers send `Origin: null` for the page's own forms under Referrer-Policy no-referrer."""
    person, reference = dsl_on_record
    assert person.post(f"/review/records/{reference}/status", {"to_status": "in_review"}, origin=origin).status == 303
    assert _status(repo, reference) == "in_review"


def test_the_host_header_origin_is_accepted(signed_in, filed, repo):
    """Served under another name than WEB_PUBLIC_URL (e.g. by IP): same-host posts still work."""
    person = signed_in("dsl")
    person.origin = None
    reference = filed["disclosure"].reference
    person.get(f"/review/records/{reference}")
    response = person.post(
        f"/review/records/{reference}/status", {"to_status": "in_review"}, origin="http://mockserver:1234"
    )
    assert response.status == 303


@pytest.mark.parametrize(
    "path, data",
    [
        ("/review/logout", {}),
        ("/review/password", {"current_password": "x", "new_password": "y", "confirm_password": "y"}),
        ("/review/users", {"username": "new.person", "display_name": "New", "password": "long enough password", "role": "dsl"}),
        ("/review/users/dsl/active", {"active": "0"}),
        ("/review/users/dsl/password", {"password": "long enough password"}),
        ("/review/users/dsl/roles", {"role": "office"}),
    ],
)
def test_every_form_checks_the_token(signed_in, directory, path, data):
    person = signed_in("admin")
    person.get("/review/users")
    assert person.post(path, data, token="forged").status == 403
    assert person.get("/review").status == 200  # still signed in: the logout did not happen
    assert directory.by_username("new.person") is None
    dsl = directory.by_username("dsl")
    assert dsl.active and dsl.roles == {"dsl"}


def test_every_form_on_every_page_carries_the_token(signed_in, filed):
    head = signed_in("head")
    admin = signed_in("admin")
    pages = [
        (head, "/review"),
        (head, "/review/records"),
        (head, f"/review/records/{filed['disclosure'].reference}"),
        (head, f"/review/records/{filed['service_proposal'].reference}"),
        (head, "/review/password"),
        (admin, "/review/users"),
        (admin, "/review/audit"),
    ]
    for person, path in pages:
        page = person.get(path).text
        posts = page.count('method="post"')
        assert posts >= 1, path
        assert page.count(f'name="csrf_token" value="{person.token()}"') == posts, path
