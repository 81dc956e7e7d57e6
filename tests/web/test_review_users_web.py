"""Staff accounts in the web app: administrators only."""
from __future__ import annotations

import pytest

from review_helpers import PASSWORD, audit_rows

NEW_PASSWORD = "a different long passphrase"


def test_an_admin_creates_an_account_that_can_sign_in(signed_in, browser, directory, session_factory):
    admin = signed_in("admin")
    admin.get("/review/users")
    response = admin.post(
        "/review/users",
        {"username": "deputy.dsl", "display_name": "Ms Deputy", "password": NEW_PASSWORD, "role": ["dsl", "office"]},
    )
    assert response.status == 303 and response.headers["location"] == "/review/users?m=created"
    account = directory.by_username("deputy.dsl")
    assert account.roles == {"dsl", "office"} and account.display_name == "Ms Deputy"
    assert browser().login("deputy.dsl", NEW_PASSWORD).status == 303
    [created] = audit_rows(session_factory, action="user_created")
    assert created["username"] == "admin" and created["detail"] == "user=deputy.dsl roles=dsl,office"
    assert NEW_PASSWORD not in str(audit_rows(session_factory))


def test_a_bad_new_account_is_explained_and_the_password_not_echoed(signed_in, directory):
    admin = signed_in("admin")
    admin.get("/review/users")
    response = admin.post("/review/users", {"username": "short.pw", "display_name": "X", "password": "tiny", "role": "dsl"})
    assert response.status == 400 and "at least 12 characters" in response.text
    assert 'value="short.pw"' in response.text and "tiny" not in response.text
    assert directory.by_username("short.pw") is None
    response = admin.post("/review/users", {"username": "dsl", "display_name": "Again", "password": NEW_PASSWORD, "role": "dsl"})
    assert response.status == 400 and "already an account" in response.text


def test_an_admin_sets_a_password_and_the_persons_sessions_end(signed_in, browser, session_factory):
    office = signed_in("office")
    admin = signed_in("admin")
    admin.get("/review/users")
    assert admin.post("/review/users/office/password", {"password": NEW_PASSWORD}).status == 303
    assert office.get("/review/records").status == 303
    assert browser().login("office", PASSWORD).status == 200
    assert browser().login("office", NEW_PASSWORD).status == 303
    assert audit_rows(session_factory, action="user_password_set")[0]["detail"] == "user=office"


def test_an_admin_deactivates_and_reactivates(signed_in, browser, directory, session_factory):
    admin = signed_in("admin")
    admin.get("/review/users")
    assert admin.post("/review/users/office/active", {"active": "0"}).status == 303
    assert not directory.by_username("office").active
    assert browser().login("office").status == 200
    assert admin.post("/review/users/office/active", {"active": "1"}).status == 303
    assert browser().login("office").status == 303
    assert [row["action"] for row in audit_rows(session_factory) if row["action"].startswith("user_")] == [
        "user_deactivated",
        "user_reactivated",
    ]


def test_an_admin_sets_roles(signed_in, directory):
    admin = signed_in("admin")
    admin.get("/review/users")
    assert admin.post("/review/users/office/roles", {"role": ["office", "dsl"]}).status == 303
    assert directory.by_username("office").roles == {"office", "dsl"}
    response = admin.post("/review/users/office/roles", {"role": ["janitor"]})
    assert response.status == 400 and directory.by_username("office").roles == {"office", "dsl"}


def test_an_admin_cannot_lock_themself_out(signed_in, directory):
    admin = signed_in("admin")
    admin.get("/review/users")
    assert admin.post("/review/users/admin/active", {"active": "0"}).status == 400
    assert admin.post("/review/users/admin/roles", {"role": ["dsl"]}).status == 400
    account = directory.by_username("admin")
    assert account.active and account.roles == {"admin"}


@pytest.mark.parametrize("username", ["head", "dsl", "office"])
def test_nobody_else_manages_accounts(signed_in, directory, session_factory, username):
    person = signed_in(username)
    page = person.get("/review/users")
    assert page.status == 403 and "IT Admin" not in page.text  # no account list
    person.get("/review")
    assert person.post("/review/users", {"username": "sneaky", "display_name": "S", "password": NEW_PASSWORD, "role": "head_teacher"}).status == 403
    assert person.post("/review/users/admin/password", {"password": NEW_PASSWORD}).status == 403
    assert person.post(f"/review/users/{username}/roles", {"role": ["head_teacher", "dsl", "admin"]}).status == 403
    assert directory.by_username("sneaky") is None
    assert directory.by_username(username).roles != {"head_teacher", "dsl", "admin"}
    denied = [row["action"] for row in audit_rows(session_factory, username=username) if row["outcome"] == "denied"]
    assert denied == ["users_listed", "user_created", "user_password_set", "user_roles_set"]


def test_changing_ones_own_password(signed_in, browser, session_factory):
    person = signed_in("dsl")
    person.get("/review/password")
    wrong = person.post("/review/password", {"current_password": "not mine", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert wrong.status == 400 and "current password is not right" in wrong.text
    differ = person.post("/review/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD + "!"})
    assert differ.status == 400 and "differ" in differ.text
    done = person.post("/review/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status == 303 and done.headers["location"] == "/review/login?m=password_changed"
    assert person.get("/review").status == 303  # signed out everywhere
    assert browser().login("dsl", NEW_PASSWORD).status == 303
    outcomes = [row["outcome"] for row in audit_rows(session_factory, action="own_password_changed")]
    assert outcomes == ["refused", "refused", "ok"]
