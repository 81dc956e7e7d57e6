"""The review app's storage: staff accounts, sessions, the audit trail and
role-scoped record queries, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from bot.records.errors import InvalidTransition, ReasonRequired, RecordsUnavailable
from bot.records.models import utcnow
from bot.web.review_audit import AuditTrail
from bot.web.review_passwords import PasswordPolicyError
from bot.web.review_records import NotPermitted, NotVisible, RecordFilter, ScopedRecords
from bot.web.review_sessions import EXPIRED, NO_SESSION, SIGNED_IN, SessionStore, token_hash
from bot.web.review_users import StaffDirectory, UserError

from review_helpers import ACCOUNT, PASSWORD

# --- accounts ------------------------------------------------------------------------


def test_create_and_authenticate(directory):
    account = directory.create("J.Example", "Mrs  J.  Example", PASSWORD, ["head_teacher"])
    assert account.username == "j.example" and account.display_name == "Mrs J. Example"
    assert account.roles == {"head_teacher"} and account.active
    assert directory.authenticate("J.EXAMPLE ", PASSWORD).id == account.id
    assert directory.authenticate("j.example", PASSWORD + "x") is None
    assert directory.authenticate("nobody", PASSWORD) is None


def test_passwords_are_stored_hashed(directory, session_factory):
    directory.create("dsl", "Mr A. Sample", PASSWORD, ["dsl"])
    with session_factory() as session:
        stored = session.execute(text("SELECT password_hash FROM staff_users")).scalar_one()
    assert stored.startswith("scrypt$") and PASSWORD not in stored


@pytest.mark.parametrize(
    "username, display_name, password, roles, error",
    [
        ("a", "A", PASSWORD, ["dsl"], UserError),
        ("has space", "A", PASSWORD, ["dsl"], UserError),
        ("ok.name", "", PASSWORD, ["dsl"], UserError),
        ("ok.name", "A", PASSWORD, [], UserError),
        ("ok.name", "A", PASSWORD, ["caretaker"], UserError),
        ("ok.name", "A", "too short", ["dsl"], PasswordPolicyError),
    ],
)
def test_create_refuses_bad_input(directory, username, display_name, password, roles, error):
    with pytest.raises(error):
        directory.create(username, display_name, password, roles)
    assert directory.list() == []


def test_usernames_are_unique_whatever_the_case(directory):
    directory.create("office", "Office", PASSWORD, ["office"])
    with pytest.raises(UserError, match="already"):
        directory.create("OFFICE", "Office 2", PASSWORD, ["office"])


def test_deactivated_accounts_cannot_sign_in_and_lose_their_sessions(directory, session_factory):
    account = directory.create("office", "Office", PASSWORD, ["office"])
    sessions = SessionStore(session_factory, idle_minutes=30)
    token, _csrf = sessions.start(account.id)
    directory.set_active("office", False)
    assert directory.authenticate("office", PASSWORD) is None
    assert sessions.resume(token)[0] == NO_SESSION
    directory.set_active("office", True)
    assert directory.authenticate("office", PASSWORD) is not None


def test_setting_a_password_ends_sessions(directory, session_factory):
    account = directory.create("dsl", "DSL", PASSWORD, ["dsl"])
    sessions = SessionStore(session_factory, idle_minutes=30)
    token, _csrf = sessions.start(account.id)
    directory.set_password("dsl", "a brand new passphrase")
    assert sessions.resume(token)[0] == NO_SESSION
    assert directory.authenticate("dsl", PASSWORD) is None
    assert directory.authenticate("dsl", "a brand new passphrase") is not None


def test_change_own_password_needs_the_current_one(directory):
    account = directory.create("head", "Head", PASSWORD, ["head_teacher"])
    with pytest.raises(UserError, match="current password"):
        directory.change_own_password(account.id, "not it at all", "another long passphrase")
    directory.change_own_password(account.id, PASSWORD, "another long passphrase")
    assert directory.authenticate("head", "another long passphrase") is not None


def test_roles_and_admin_count(directory):
    directory.create("it", "IT", PASSWORD, ["admin"])
    assert directory.count_active_admins() == 1
    assert directory.set_roles("it", ["admin", "dsl"]).roles == {"admin", "dsl"}
    assert directory.set_roles("it", ["dsl"]).roles == {"dsl"}
    assert directory.count_active_admins() == 0
    with pytest.raises(UserError):
        directory.set_roles("it", [])
    with pytest.raises(UserError):
        directory.set_roles("ghost", ["dsl"])


def test_a_hash_with_an_old_cost_is_upgraded_at_sign_in(directory, session_factory, monkeypatch):
    from bot.web import review_passwords

    directory.create("dsl", "DSL", PASSWORD, ["dsl"])
    monkeypatch.setattr(review_passwords, "DEFAULT_COST", review_passwords.ScryptCost(n=2**11))
    assert directory.authenticate("dsl", PASSWORD) is not None
    with session_factory() as session:
        stored = session.execute(text("SELECT password_hash FROM staff_users")).scalar_one()
    assert stored.startswith("scrypt$2048$")


# --- sessions ----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return self.now


def test_session_lifecycle(directory, session_factory):
    account = directory.create("dsl", "DSL", PASSWORD, ["dsl"])
    clock = Clock()
    sessions = SessionStore(session_factory, idle_minutes=30, absolute_hours=12, clock=clock)
    token, csrf = sessions.start(account.id)
    outcome, person, _name = sessions.resume(token)
    assert outcome == SIGNED_IN and person.username == "dsl" and person.roles == {"dsl"} and person.csrf_token == csrf
    with session_factory() as session:
        stored = session.execute(text("SELECT token_hash FROM staff_sessions")).scalar_one()
    assert stored == token_hash(token) and token not in stored

    clock.now += dt.timedelta(minutes=29)
    assert sessions.resume(token)[0] == SIGNED_IN  # use moves the idle limit on
    clock.now += dt.timedelta(minutes=29)
    assert sessions.resume(token)[0] == SIGNED_IN
    clock.now += dt.timedelta(minutes=31)
    assert sessions.resume(token) == (EXPIRED, None, "dsl")
    assert sessions.resume(token)[0] == NO_SESSION  # deleted, not just refused


def test_sessions_end_after_the_absolute_limit_however_busy(directory, session_factory):
    account = directory.create("dsl", "DSL", PASSWORD, ["dsl"])
    clock = Clock()
    sessions = SessionStore(session_factory, idle_minutes=30, absolute_hours=1, clock=clock)
    token, _csrf = sessions.start(account.id)
    outcomes = []
    for _ in range(6):
        clock.now += dt.timedelta(minutes=11)
        outcomes.append(sessions.resume(token)[0])
    assert outcomes == [SIGNED_IN] * 5 + [EXPIRED]  # 66 minutes in, never idle for more than 11


def test_end_and_unknown_tokens(directory, session_factory):
    account = directory.create("dsl", "DSL", PASSWORD, ["dsl"])
    sessions = SessionStore(session_factory, idle_minutes=30)
    token, _csrf = sessions.start(account.id)
    assert sessions.resume("not-a-token")[0] == NO_SESSION
    assert sessions.resume(None)[0] == NO_SESSION
    assert sessions.resume("x" * 5000)[0] == NO_SESSION
    sessions.end(token)
    assert sessions.resume(token)[0] == NO_SESSION


def test_ended_sessions_are_purged_when_someone_signs_in(directory, session_factory):
    account = directory.create("dsl", "DSL", PASSWORD, ["dsl"])
    clock = Clock()
    sessions = SessionStore(session_factory, idle_minutes=30, clock=clock)
    sessions.start(account.id)
    clock.now += dt.timedelta(hours=1)
    sessions.start(account.id)
    with session_factory() as session:
        assert session.execute(text("SELECT COUNT(*) FROM staff_sessions")).scalar_one() == 1


def test_a_role_change_applies_to_a_live_session(directory, session_factory):
    account = directory.create("office", "Office", PASSWORD, ["office"])
    sessions = SessionStore(session_factory, idle_minutes=30)
    token, _csrf = sessions.start(account.id)
    directory.set_roles("office", ["dsl"])
    assert sessions.resume(token)[1].roles == {"dsl"}


# --- audit trail ------------------------------------------------------------------------


def test_audit_append_and_read(session_factory, filed):
    trail = AuditTrail(session_factory)
    reference = filed["disclosure"].reference
    trail.record("record_viewed", username="dsl", reference=reference.lower().replace("-", ""), ip="10.0.0.5", detail="disclosure")
    trail.record("record_viewed", "denied", username="office", reference="not a reference at all", ip="10.0.0.6")
    entries, more = trail.page()
    assert not more
    assert [(e.username, e.outcome, e.reference) for e in entries] == [("office", "denied", None), ("dsl", "ok", reference)]
    assert trail.page(reference=reference)[0][0].ip == "10.0.0.5"
    assert [e.username for e in trail.page(username="office")[0]] == ["office"]


def test_audit_refuses_unknown_vocabulary(session_factory):
    trail = AuditTrail(session_factory)
    with pytest.raises(ValueError):
        trail.record("record_deleted")
    with pytest.raises(ValueError):
        trail.record("logout", "maybe")


def test_audit_counts_failures_by_account_and_address(session_factory):
    trail = AuditTrail(session_factory)
    for _ in range(3):
        trail.record("login_failed", "failed", username="dsl", ip="10.0.0.9")
    trail.record("login_failed", "failed", username=None, ip="10.0.0.9")
    trail.record("login_succeeded", username="dsl", ip="10.0.0.9")
    since = utcnow() - dt.timedelta(minutes=15)
    assert trail.failures_since(since, username="dsl", ip="10.0.0.9") == (3, 4)
    assert trail.failures_since(utcnow() + dt.timedelta(seconds=1), username="dsl", ip="10.0.0.9") == (0, 0)


def test_audit_has_no_way_to_change_or_delete():
    assert not [name for name in dir(AuditTrail) if any(word in name for word in ("delete", "update", "remove", "edit", "purge"))]


# --- records, scoped by role -----------------------------------------------------------------


@pytest.fixture
def scoped(session_factory, repo):
    return ScopedRecords(session_factory, repo)


def test_office_lists_only_declarations_and_proposals(scoped, filed):
    rows, more = scoped.list({"office"}, RecordFilter())
    assert not more
    assert {row.kind for row in rows} == {"family_link_declaration", "service_proposal"}
    assert scoped.list({"office"}, RecordFilter(kind="disclosure")) == ([], False)


@pytest.mark.parametrize("roles", [set(), {"admin"}, {"caretaker"}])
def test_no_record_role_lists_nothing(scoped, filed, roles):
    assert scoped.list(roles, RecordFilter()) == ([], False)


def test_head_teacher_and_dsl_list_everything_newest_first(scoped, filed):
    for roles in ({"head_teacher"}, {"dsl"}):
        rows, _more = scoped.list(roles, RecordFilter())
        assert [row.reference for row in rows] == [record.reference for record in reversed(list(filed.values()))]


def test_filters_kind_status_and_dates(scoped, filed, repo, session_factory):
    proposal = filed["service_proposal"].reference
    repo.change_status(proposal, "approved", "staff:head", "fine")
    assert [r.reference for r in scoped.list({"dsl"}, RecordFilter(status="approved"))[0]] == [proposal]
    assert [r.reference for r in scoped.list({"dsl"}, RecordFilter(kind="concern_report"))[0]] == [
        filed["concern_report"].reference
    ]
    with session_factory.kw["bind"].begin() as connection:  # back-date the disclosure to 1 March 2025, 23:30 UTC
        connection.execute(
            text("UPDATE records SET created_at = :at WHERE reference = :reference"),
            {"at": dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.timezone.utc), "reference": filed["disclosure"].reference},
        )
    day = dt.date(2025, 3, 1)
    only_that_day = scoped.list({"dsl"}, RecordFilter(created_from=day, created_to=day))[0]
    assert [r.reference for r in only_that_day] == [filed["disclosure"].reference]
    assert scoped.list({"dsl"}, RecordFilter(created_to=dt.date(2025, 2, 28)))[0] == []
    after = scoped.list({"dsl"}, RecordFilter(created_from=dt.date(2025, 3, 2)))[0]
    assert filed["disclosure"].reference not in [r.reference for r in after] and len(after) == 3


def test_pages(scoped, repo):
    for number in range(5):
        repo.file("concern_report", f"account {number}", "parent", idempotency_key=f"page:{number}")
    first, more = scoped.list({"dsl"}, RecordFilter(page=1), page_size=2)
    third, more_after = scoped.list({"dsl"}, RecordFilter(page=3), page_size=2)
    assert len(first) == 2 and more and len(third) == 1 and not more_after


def test_get_is_scoped(scoped, filed):
    disclosure = filed["disclosure"].reference
    assert scoped.get({"dsl"}, disclosure).account == ACCOUNT
    assert scoped.get({"head_teacher"}, disclosure.lower()).reference == disclosure
    for roles in ({"office"}, {"admin"}, set()):
        with pytest.raises(NotVisible):
            scoped.get(roles, disclosure)
    assert scoped.get({"office"}, filed["service_proposal"].reference).kind == "service_proposal"
    with pytest.raises(NotVisible):
        scoped.get({"dsl"}, "MF-0000-0000")
    assert scoped.exists(disclosure) and not scoped.exists("MF-0000-0000") and not scoped.exists("../etc")


def test_the_office_query_never_reads_a_disclosure(scoped, filed, repo, monkeypatch):
    """The decrypting read is not even attempted for a record outside the role."""
    calls = []
    monkeypatch.setattr(repo, "get", lambda reference: calls.append(reference))
    with pytest.raises(NotVisible):
        scoped.get({"office"}, filed["disclosure"].reference)
    assert calls == []


def test_change_status_rules(scoped, filed):
    proposal = filed["service_proposal"].reference
    disclosure = filed["disclosure"].reference
    with pytest.raises(NotPermitted):
        scoped.change_status({"dsl"}, proposal, "approved", "staff:dsl", "ok")
    with pytest.raises(NotPermitted):
        scoped.change_status({"office"}, filed["family_link_declaration"].reference, "in_review", "staff:office", None)
    with pytest.raises(NotVisible):
        scoped.change_status({"office"}, disclosure, "in_review", "staff:office", None)
    with pytest.raises(ReasonRequired):
        scoped.change_status({"head_teacher"}, proposal, "approved", "staff:head", None)
    changed = scoped.change_status({"head_teacher"}, proposal, "declined", "staff:head", "Not a school service")
    assert changed.status == "declined" and changed.history[-1].reason == "Not a school service"
    with pytest.raises(InvalidTransition):
        scoped.change_status({"head_teacher"}, proposal, "approved", "staff:head", "changed my mind")
    assert scoped.change_status({"dsl"}, disclosure, "in_review", "staff:dsl", None).status == "in_review"


def test_a_database_that_is_down_raises_records_unavailable(closed_session_factory):
    with pytest.raises(RecordsUnavailable):
        StaffDirectory(closed_session_factory).list()
    with pytest.raises(RecordsUnavailable):
        AuditTrail(closed_session_factory).record("logout")
    with pytest.raises(RecordsUnavailable):
        SessionStore(closed_session_factory, idle_minutes=5).resume("some-token")
