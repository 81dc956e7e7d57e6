"""Signing in and out, cookies, session expiry and sign-in throttling."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from bot.web.app import create_app
from bot.web.settings import WebSettings

from review_helpers import PASSWORD, Browser, audit_rows


def _set_cookie(response, name):
    return next(value for value in response.headers.get_list("set-cookie") if value.startswith(f"{name}="))


def test_pages_need_a_session(browser, staff):
    anonymous = browser()
    for path in ("/review", "/review/records", "/review/audit", "/review/users", "/review/records/MF-0000-0000"):
        response = anonymous.get(path)
        assert response.status == 303 and response.headers["location"] == "/review/login", path


def test_sign_in_sets_a_safe_session_cookie(browser, staff, session_factory):
    person = browser()
    form = person.get("/review/login")
    assert form.status == 200
    assert 'name="csrf_token"' in form.text and 'autocomplete="current-password"' in form.text
    login_cookie = _set_cookie(form, "review_login")
    assert "HttpOnly" in login_cookie and "SameSite=Strict" in login_cookie and "Path=/review/login" in login_cookie

    response = person.post("/review/login", {"username": "dsl", "password": PASSWORD})
    assert response.status == 303 and response.headers["location"] == "/review"
    cookie = _set_cookie(response, "review_session")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/review" in cookie
    assert "Secure" not in cookie and "Max-Age" not in cookie
    token = person.cookie("review_session")
    with session_factory() as session:
        stored = session.execute(text("SELECT token_hash FROM staff_sessions")).scalars().all()
    assert len(stored) == 1 and token not in stored[0]

    home = person.get("/review")
    assert home.status == 200 and "Welcome, Mr A. Sample" in home.text
    assert audit_rows(session_factory, action="login_succeeded") == [
        {"username": "dsl", "action": "login_succeeded", "outcome": "ok", "reference": None, "ip": "mockserver", "detail": None}
    ]


def test_secure_cookies_when_configured(repo, staff):
    app = create_app(WebSettings(public_url="http://mockserver:1234", secure_cookies=True), repository=repo, name="review_secure_cookie")
    person = Browser(app)
    try:
        form = person.get("/review/login")
        assert "Secure" in _set_cookie(form, "review_login")
        # a Secure cookie is not kept over plain http: send it by hand
        token = person.token()
        response = person.post(
            "/review/login", {"username": "dsl", "password": PASSWORD}, headers={"cookie": f"review_login={token}"}
        )
        assert response.status == 303
        assert "Secure" in _set_cookie(response, "review_session")
    finally:
        person.close()


def test_wrong_password_is_refused_and_audited(browser, staff, session_factory):
    person = browser()
    response = person.login("dsl", "not the password at all")
    assert response.status == 200 and "The username or password is not right." in response.text
    assert person.cookie("review_session") is None
    assert person.get("/review/records").status == 303
    [failure] = audit_rows(session_factory, action="login_failed")
    assert failure["username"] == "dsl" and failure["outcome"] == "failed"
    assert "not the password" not in str(failure)


def test_an_unknown_username_is_audited_without_what_was_typed(browser, staff, session_factory):
    person = browser()
    typed = "correct-horse-typed-in-the-wrong-box"
    response = person.login(typed, PASSWORD)
    assert "The username or password is not right." in response.text
    assert typed not in response.text  # not echoed back either
    [failure] = audit_rows(session_factory, action="login_failed")
    assert failure["username"] is None and failure["detail"] == "unknown username"
    assert typed not in str(audit_rows(session_factory))


def test_a_deactivated_account_cannot_sign_in(browser, staff, directory):
    directory.set_active("office", False)
    assert browser().login("office").status == 200


def test_sign_out_ends_the_session_on_the_server(browser, staff, session_factory):
    person = browser()
    person.login("head")
    person.get("/review")
    token = person.cookie("review_session")
    assert browser().get("/review/records", headers={"cookie": f"review_session={token}"}).status == 200
    response = person.post("/review/logout", {})
    assert response.status == 303 and response.headers["location"] == "/review/login?m=signed_out"
    assert "Max-Age=0" in _set_cookie(response, "review_session")
    with session_factory() as session:
        assert session.execute(text("SELECT COUNT(*) FROM staff_sessions")).scalar_one() == 0
    # the old cookie, replayed, no longer works
    assert browser().get("/review/records", headers={"cookie": f"review_session={token}"}).status == 303
    assert [row["username"] for row in audit_rows(session_factory, action="logout")] == ["head"]
    assert "You have signed out." in person.get("/review/login?m=signed_out").text


def _age_sessions(session_factory, **columns: dt.datetime) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in columns)
    with session_factory() as session:
        session.execute(text(f"UPDATE staff_sessions SET {assignments}"), columns)
        session.commit()


def test_an_idle_session_expires_and_redirects_to_sign_in(signed_in, session_factory):
    person = signed_in("dsl")
    assert person.get("/review/records").status == 200
    _age_sessions(session_factory, last_seen_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=31))
    response = person.get("/review/records")
    assert response.status == 303 and response.headers["location"] == "/review/login?m=expired"
    assert "Max-Age=0" in _set_cookie(response, "review_session")
    assert [row["username"] for row in audit_rows(session_factory, action="session_expired")] == ["dsl"]
    assert "Your session ended." in person.get("/review/login?m=expired").text
    with session_factory() as session:
        assert session.execute(text("SELECT COUNT(*) FROM staff_sessions")).scalar_one() == 0


def test_a_busy_session_still_ends_at_the_absolute_limit(signed_in, session_factory):
    person = signed_in("dsl")
    _age_sessions(session_factory, expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1))
    assert person.get("/review/records").headers["location"] == "/review/login?m=expired"


def test_a_recent_session_is_kept_alive_by_use(signed_in, session_factory):
    person = signed_in("dsl")
    _age_sessions(session_factory, last_seen_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=29))
    assert person.get("/review/records").status == 200
    assert person.get("/review/records").status == 200


def test_session_minutes_come_from_the_settings(repo, staff, session_factory):
    app = create_app(WebSettings(public_url="http://mockserver:1234", session_minutes=5), repository=repo, name="review_short_sessions")
    person = Browser(app)
    try:
        person.login("dsl")
        _age_sessions(session_factory, last_seen_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=6))
        assert person.get("/review").headers["location"] == "/review/login?m=expired"
    finally:
        person.close()


def test_deactivating_someone_ends_their_live_session(signed_in, directory):
    person = signed_in("office")
    directory.set_active("office", False)
    assert person.get("/review/records").status == 303


def test_repeated_failures_throttle_sign_in(browser, staff, session_factory):
    attacker = browser()
    for _ in range(5):
        assert attacker.login("head", "wrong password guess").status == 200
    response = attacker.login("head", PASSWORD)  # even the right password, for the rest of the window
    assert response.status == 429 and "Too many failed sign-ins" in response.text
    assert attacker.cookie("review_session") is None
    throttled = audit_rows(session_factory, action="login_throttled")
    assert throttled and throttled[0]["username"] == "head" and throttled[0]["outcome"] == "denied"
    # another account is not locked by failures against this one
    assert browser().login("dsl").status == 303


def test_many_failures_from_one_address_throttle_every_name(browser, staff):
    attacker = browser()
    for number in range(20):
        attacker.login(f"guess{number}", "wrong password guess")
    assert browser().login("dsl").status == 429  # the test client always comes from the same address


def test_sign_in_post_needs_the_form_token(browser, staff, session_factory):
    person = browser()
    person.get("/review/login")
    stolen = person.token()
    assert person.post("/review/login", {"username": "dsl", "password": PASSWORD}, token=None).status == 403
    assert person.post("/review/login", {"username": "dsl", "password": PASSWORD}, token="forged").status == 403
    fresh = browser()  # another browser's token, without its cookie
    assert fresh.post("/review/login", {"username": "dsl", "password": PASSWORD}, token=stolen).status == 403
    assert person.cookie("review_session") is None and fresh.cookie("review_session") is None
    assert len(audit_rows(session_factory, action="csrf_rejected")) == 3


def test_sign_in_from_another_site_is_refused(browser, staff):
    person = browser()
    person.get("/review/login")
    response = person.post("/review/login", {"username": "dsl", "password": PASSWORD}, origin="https://evil.example")
    assert response.status == 403 and person.cookie("review_session") is None


def test_the_sign_in_page_redirects_someone_already_signed_in(signed_in):
    person = signed_in("dsl")
    assert person.get("/review/login").headers["location"] == "/review"


@pytest.mark.parametrize("username", ["head", "dsl", "office", "admin"])
def test_every_role_can_sign_in(signed_in, username):
    assert signed_in(username).get("/review").status == 200
