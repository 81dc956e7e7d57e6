"""RecordRepository on SQLite (and PostgreSQL when TEST_POSTGRES_URL is set)."""
from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.records import db
from bot.records.crypto import RecordCipher, generate_key
from bot.records.errors import (
    DecryptionError,
    IdempotencyConflict,
    InvalidTransition,
    ReasonRequired,
    RecordsUnavailable,
    UnknownReference,
)
from bot.records.migration import migrate
from bot.records.models import KINDS, Record
from bot.records.references import generate_reference, is_valid_reference
from bot.records.repository import RecordRepository

ACCOUNT = "Mr Hartley-Quinn sent my son Oliver a friend request on Facebook at 23:40 on Sunday."
NAME = "Priya Ramaswamy-Okonkwo"
CONTACT = "priya.r.okonkwo@example.org / 07700 900123"


def _file(repo, kind="disclosure", key="k-1", **extra):
    values = dict(account=ACCOUNT, filer_role="parent", filer_name=NAME, filer_contact=CONTACT)
    values.update(extra)
    return repo.file(kind, idempotency_key=key, **values)


def _set_created_at(session_factory, reference, when):
    with session_factory() as session:
        session.execute(update(Record).where(Record.reference == reference).values(created_at=when, updated_at=when))
        session.commit()


# --- filing and reading -------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, initial", [("disclosure", "received"), ("family_link_declaration", "received"),
                      ("service_proposal", "pending"), ("concern_report", "received")]
)
def test_file_returns_the_committed_record(repo, record_count, kind, initial):
    before = dt.datetime.now(dt.timezone.utc)
    filed = _file(repo, kind=kind, details={"platform": "facebook", "ages": [12, 13]})
    after = dt.datetime.now(dt.timezone.utc)

    assert is_valid_reference(filed.reference)
    assert filed.kind == kind and filed.status == initial
    assert filed.created_at == filed.updated_at
    assert filed.created_at.tzinfo is not None and filed.created_at.utcoffset() == dt.timedelta(0)
    assert before <= filed.created_at <= after
    assert (filed.filer_role, filed.filer_name, filed.filer_contact) == ("parent", NAME, CONTACT)
    assert filed.account == ACCOUNT
    assert filed.details == {"platform": "facebook", "ages": [12, 13]}
    assert [(h.from_status, h.to_status, h.changed_by) for h in filed.history] == [(None, initial, "filer:parent")]
    assert not filed.already_filed
    # committed: another connection sees it
    assert record_count() == 1
    assert repo.get(filed.reference) == filed


def test_account_is_kept_verbatim(repo):
    typed = "  he said   'don't tell'\n\n  — twice 🙁\t "
    filed = repo.file("concern_report", typed, "pupil", idempotency_key="v")
    assert filed.account == typed
    assert repo.get(filed.reference).account == typed


def test_optional_filer_details(repo):
    filed = repo.file("concern_report", "Someone posts about a teacher", "other", idempotency_key="anon")
    assert filed.filer_name is None and filed.filer_contact is None and filed.details == {}


def test_get_accepts_typed_references_and_unknown_gives_none(repo):
    filed = _file(repo)
    assert repo.get(filed.reference.lower().replace("-", " ")) == filed
    assert repo.get(generate_reference()) is None
    assert repo.get(filed.reference[:-1] + ("0" if filed.reference[-1] != "0" else "1")) is None  # bad check character
    assert repo.get("not a reference") is None
    assert repo.get("") is None


def test_references_are_unique_and_not_sequential(repo):
    references = [_file(repo, key=f"k{i}").reference for i in range(30)]
    assert len(set(references)) == 30
    assert references != sorted(references)
    assert all(is_valid_reference(reference) for reference in references)


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(kind="complaint"), "record kind"),
        (dict(filer_role="journalist"), "filer role"),
        (dict(account=""), "empty"),
        (dict(account="   \n "), "empty"),
        (dict(key=""), "idempotency key"),
        (dict(details={"when": dt.datetime.now()}), "JSON"),
        (dict(details=["not", "a", "dict"]), "dict"),
        (dict(filer_name=42), "filer_name"),
    ],
)
def test_invalid_input_is_refused_before_the_database(repo, record_count, args, message):
    values = dict(kind="disclosure", key="k")
    values.update(args)
    with pytest.raises(ValueError, match=message):
        _file(repo, **values)
    assert record_count() == 0


def test_idempotency_key_is_required(repo):
    with pytest.raises(TypeError):
        repo.file("disclosure", ACCOUNT, "parent")  # type: ignore[call-arg]


# --- idempotency ------------------------------------------------------------------------------


def test_same_key_files_once(repo, record_count):
    first = _file(repo, key="conversation-1/confirm-1")
    again = _file(repo, key="conversation-1/confirm-1")
    assert again.reference == first.reference and again.already_filed
    assert again == first  # already_filed is not part of equality
    assert record_count() == 1
    other = _file(repo, key="conversation-1/confirm-2")
    assert other.reference != first.reference
    assert record_count() == 2


def test_reusing_a_key_for_different_content_is_refused(repo, record_count):
    first = _file(repo, key="k")
    with pytest.raises(IdempotencyConflict, match=first.reference) as excinfo:
        _file(repo, key="k", account="a completely different account")
    assert "different account" not in str(excinfo.value)
    with pytest.raises(IdempotencyConflict):
        _file(repo, key="k", kind="concern_report")
    assert record_count() == 1


def test_idempotency_key_is_not_stored_in_the_clear(repo, session_factory):
    _file(repo, key="sender-4711/form-run-3")
    with session_factory() as session:
        stored = session.execute(select(Record.idempotency_key)).scalar_one()
    assert "4711" not in stored and len(stored) == 64


class _RacingRepository(RecordRepository):
    """Its first look-up by key misses, as when two requests check at the
    same moment and the other one commits first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.missed = 0

    def _find_by_key(self, session, key_hash):
        if self.missed == 0:
            self.missed += 1
            return None
        return super()._find_by_key(session, key_hash)


def test_race_on_the_same_key_is_settled_by_the_unique_constraint(session_factory, cipher, repo, record_count):
    first = _file(repo, key="double-click")
    racing = _RacingRepository(session_factory, cipher)
    second = _file(racing, key="double-click")
    assert racing.missed == 1  # it did try to insert
    assert second.reference == first.reference and second.already_filed
    assert record_count() == 1


def test_concurrent_sessions_with_the_same_key_file_once(session_factory, cipher, record_count):
    threads_count = 6
    barrier = threading.Barrier(threads_count)
    results, errors = [], []

    def confirm():
        repo = RecordRepository(session_factory, cipher)  # its own sessions
        try:
            barrier.wait()
            results.append(_file(repo, key="same-confirmation"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=confirm) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len({r.reference for r in results}) == 1
    assert sum(not r.already_filed for r in results) == 1
    assert record_count() == 1


def test_reference_collision_draws_another(repo, monkeypatch, record_count):
    taken = _file(repo, key="a").reference
    import bot.records.repository as repository

    fresh = generate_reference()
    draws = iter([taken, taken, fresh])
    monkeypatch.setattr(repository, "generate_reference", lambda: next(draws))
    filed = _file(repo, key="b")
    assert filed.reference == fresh
    assert record_count() == 2


# --- status -------------------------------------------------------------------------------------


def test_service_proposal_approved_with_reason(repo):
    proposal = _file(repo, kind="service_proposal", filer_role="staff")
    approved = repo.change_status(proposal.reference, "approved", "Head teacher (Mrs Ahmed)", reason="Fits our plan")
    assert approved.status == "approved"
    assert approved.created_at == proposal.created_at
    assert approved.updated_at > proposal.updated_at
    last = approved.history[-1]
    assert (last.from_status, last.to_status, last.changed_by, last.reason) == (
        "pending", "approved", "Head teacher (Mrs Ahmed)", "Fits our plan")
    assert last.changed_at == approved.updated_at
    assert [h.to_status for h in approved.history] == ["pending", "approved"]


@pytest.mark.parametrize("to_status", ["approved", "declined"])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_proposal_decisions_need_a_reason(repo, to_status, reason):
    proposal = _file(repo, kind="service_proposal", filer_role="staff")
    with pytest.raises(ReasonRequired, match="reason"):
        repo.change_status(proposal.reference, to_status, "head teacher", reason=reason)
    unchanged = repo.get(proposal.reference)
    assert unchanged.status == "pending" and len(unchanged.history) == 1
    assert unchanged.updated_at == proposal.updated_at


@pytest.mark.parametrize(
    "kind, path, refused",
    [
        ("service_proposal", ["declined"], ["approved", "pending", "closed"]),
        ("service_proposal", [], ["closed", "in_review", "referred", "received"]),
        ("disclosure", ["in_review", "referred"], ["closed", "in_review", "received"]),
        ("disclosure", ["in_review", "closed"], ["referred"]),
        ("concern_report", ["closed"], ["in_review", "referred", "received"]),
        ("family_link_declaration", [], ["referred", "approved", "pending", "received"]),
    ],
)
def test_transitions_allowed_and_refused(repo, kind, path, refused):
    record = _file(repo, kind=kind)
    for status in path:
        record = repo.change_status(record.reference, status, "designated safeguarding lead", reason="because")
        assert record.status == status
    for status in refused:
        with pytest.raises(InvalidTransition) as excinfo:
            repo.change_status(record.reference, status, "someone", reason="r")
        assert record.status in str(excinfo.value) and status in str(excinfo.value)
    final = repo.get(record.reference)
    assert final.status == record.status
    assert [h.to_status for h in final.history][1:] == path
    times = [h.changed_at for h in final.history]
    assert times == sorted(times)


def test_change_status_validates_its_arguments(repo):
    record = _file(repo)
    with pytest.raises(UnknownReference):
        repo.change_status(generate_reference(), "closed", "x")
    with pytest.raises(UnknownReference):
        repo.change_status("nonsense", "closed", "x")
    with pytest.raises(ValueError, match="status"):
        repo.change_status(record.reference, "binned", "x")
    with pytest.raises(ValueError, match="changed_by"):
        repo.change_status(record.reference, "closed", " ")


def test_reason_is_encrypted(repo, session_factory):
    proposal = _file(repo, kind="service_proposal")
    repo.change_status(proposal.reference, "declined", "head teacher", reason="Conflicts with the Acceptable Use rule")
    with session_factory() as session:
        rows = session.execute(text("SELECT reason_encrypted FROM status_changes")).scalars().all()
    assert rows[0] is None or "Acceptable" not in rows[0]
    assert any(row and row.startswith("gAAAAA") for row in rows)


def test_concurrent_decisions_only_one_wins(session_factory, cipher, repo):
    proposal = _file(repo, kind="service_proposal")
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(status):
        mine = RecordRepository(session_factory, cipher)
        barrier.wait()
        try:
            outcomes[status] = mine.change_status(proposal.reference, status, "head", reason="r").status
        except InvalidTransition as exc:
            outcomes[status] = exc

    threads = [threading.Thread(target=decide, args=(s,)) for s in ("approved", "declined")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [s for s, outcome in outcomes.items() if outcome == s]
    assert len(winners) == 1, outcomes
    final = repo.get(proposal.reference)
    assert final.status == winners[0]
    assert [h.to_status for h in final.history] == ["pending", winners[0]]


# --- listing and export -------------------------------------------------------------------


def test_list_filters(repo, session_factory):
    old = _file(repo, kind="disclosure", key="1")
    _set_created_at(session_factory, old.reference, dt.datetime(2023, 9, 4, 9, 30, tzinfo=dt.timezone.utc))
    proposal = _file(repo, kind="service_proposal", key="2")
    concern = _file(repo, kind="concern_report", key="3")
    repo.change_status(concern.reference, "in_review", "dsl")

    assert [r.reference for r in repo.list()] == [old.reference, proposal.reference, concern.reference]
    assert [r.reference for r in repo.list(kind="service_proposal")] == [proposal.reference]
    assert [r.reference for r in repo.list(status="in_review")] == [concern.reference]
    assert [r.reference for r in repo.list(status="received")] == [old.reference]
    assert [r.reference for r in repo.list(since=dt.date(2023, 9, 4))][0] == old.reference
    assert old.reference not in [r.reference for r in repo.list(since=dt.date(2023, 9, 5))]
    london = dt.timezone(dt.timedelta(hours=1))
    assert [r.reference for r in repo.list(since=dt.datetime(2023, 9, 4, 10, 30, tzinfo=london))][0] == old.reference
    assert old.reference not in [
        r.reference for r in repo.list(since=dt.datetime(2023, 9, 4, 10, 31, tzinfo=london))]
    assert repo.list(kind="disclosure", since=dt.date(2024, 1, 1)) == []
    with pytest.raises(ValueError):
        repo.list(kind="gossip")
    with pytest.raises(ValueError):
        repo.list(since=dt.datetime(2024, 1, 1))  # naive: ambiguous


def test_export_decrypts_everything_and_filters(repo, session_factory):
    old = _file(repo, kind="family_link_declaration", key="1", details={"relationship": "nephew"})
    _set_created_at(session_factory, old.reference, dt.datetime(2022, 1, 10, tzinfo=dt.timezone.utc))
    proposal = _file(repo, kind="service_proposal", key="2", filer_role="staff")
    repo.change_status(proposal.reference, "declined", "head teacher", reason="Not this term")

    exported = repo.export()
    json.dumps(exported)  # JSON-ready
    assert [e["reference"] for e in exported] == [old.reference, proposal.reference]
    first = exported[0]
    assert set(first) == {"reference", "kind", "status", "created_at", "updated_at", "filer_role",
                          "filer_name", "filer_contact", "account", "details", "history"}
    assert first["account"] == ACCOUNT and first["filer_name"] == NAME and first["filer_contact"] == CONTACT
    assert first["details"] == {"relationship": "nephew"}
    assert first["created_at"] == "2022-01-10T00:00:00+00:00"
    for item in exported:
        for stamp in [item["created_at"], item["updated_at"], *(h["changed_at"] for h in item["history"])]:
            assert dt.datetime.fromisoformat(stamp).utcoffset() == dt.timedelta(0)
    declined = exported[1]
    assert declined["status"] == "declined"
    assert declined["history"][-1] == {
        "from_status": "pending", "to_status": "declined", "changed_at": declined["updated_at"],
        "changed_by": "head teacher", "reason": "Not this term"}

    assert [e["reference"] for e in repo.export(kind="service_proposal")] == [proposal.reference]
    assert [e["reference"] for e in repo.export(since=dt.date(2023, 1, 1))] == [proposal.reference]
    assert repo.export(kind="disclosure") == []


def test_export_with_the_wrong_key_fails_clearly(repo, session_factory):
    _file(repo)
    with pytest.raises(DecryptionError, match="RECORDS_OLD_KEYS"):
        RecordRepository(session_factory, RecordCipher([generate_key()])).export()


def test_repr_does_not_show_sensitive_text(repo):
    filed = _file(repo)
    shown = repr(filed) + str(filed)
    assert ACCOUNT not in shown and NAME not in shown and CONTACT not in shown
    assert filed.reference in shown


# --- at rest ------------------------------------------------------------------------------------


def test_sensitive_values_are_not_stored_in_plain_text(repo, session_factory):
    proposal = _file(repo, kind="service_proposal")
    repo.change_status(proposal.reference, "approved", "head", reason="Governors agreed on 3 March")
    with session_factory() as session:
        rows = [tuple(row) for row in session.execute(text("SELECT * FROM records")).all()]
        rows += [tuple(row) for row in session.execute(text("SELECT * FROM status_changes")).all()]
    dumped = repr(rows)
    for secret in (ACCOUNT, NAME, CONTACT, "Hartley", "Okonkwo", "07700", "Governors agreed"):
        assert secret not in dumped


def test_account_not_in_the_raw_sqlite_file(backend, repo, tmp_path):
    if backend != "sqlite":
        pytest.skip("raw file bytes are a SQLite matter")
    proposal = _file(repo, kind="service_proposal")
    repo.change_status(proposal.reference, "declined", "head", reason="Governors refused it")
    files = [p for p in tmp_path.iterdir() if p.name.startswith("records.db")]
    raw = b"".join(p.read_bytes() for p in files)
    assert proposal.reference.encode() in raw  # we are reading the right file
    for secret in (ACCOUNT, "Hartley-Quinn", "Oliver", NAME, "Okonkwo", CONTACT, "07700 900123", "Governors refused"):
        assert secret.encode("utf-8") not in raw
        assert secret.encode("utf-16-le") not in raw


def test_new_sqlite_file_is_owner_only(backend, engine, tmp_path):
    if backend != "sqlite":
        pytest.skip("SQLite file permissions")
    assert (tmp_path / "records.db").stat().st_mode & 0o077 == 0


def test_sqlite_foreign_keys_are_on(backend, migrated_engine):
    with migrated_engine.connect() as connection:
        if backend == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        with pytest.raises(IntegrityError):
            connection.exec_driver_sql(
                "INSERT INTO status_changes (record_id, to_status, changed_at, changed_by) "
                "VALUES (9999, 'received', '2024-01-01 00:00:00', 'x')"
            )
            connection.commit()


# --- the database failing ---------------------------------------------------------------


def _assert_plain(exc: RecordsUnavailable):
    message = str(exc)
    assert "unavailable" in message.lower() or "cannot be confirmed" in message
    for leak in ("INSERT", "SELECT", "sqlite3", "psycopg2", "[SQL", ACCOUNT, NAME, CONTACT, "secret@"):
        assert leak not in message


def test_missing_sqlite_folder_raises_records_unavailable(tmp_path, cipher):
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'records.db'}"
    engine = db.make_engine(url)
    repo = RecordRepository(db.make_session_factory(engine), cipher)
    with pytest.raises(RecordsUnavailable) as excinfo:
        _file(repo)
    _assert_plain(excinfo.value)
    valid = generate_reference()
    for call in (lambda: repo.get(valid), repo.list, repo.export,
                 lambda: repo.change_status(valid, "closed", "x")):
        with pytest.raises(RecordsUnavailable):
            call()
    with pytest.raises(RecordsUnavailable):
        migrate(url)
    assert not (tmp_path / "no-such-folder").exists()


def test_read_only_location_raises_records_unavailable(cipher):
    engine = db.make_engine("sqlite:////proc/no-such-folder/records.db")
    repo = RecordRepository(db.make_session_factory(engine), cipher)
    with pytest.raises(RecordsUnavailable) as excinfo:
        _file(repo)
    _assert_plain(excinfo.value)


def test_closed_postgres_server_raises_records_unavailable(closed_postgres_url, cipher):
    engine = db.make_engine(closed_postgres_url)
    repo = RecordRepository(db.make_session_factory(engine), cipher)
    with pytest.raises(RecordsUnavailable) as excinfo:
        _file(repo)
    _assert_plain(excinfo.value)
    with pytest.raises(RecordsUnavailable) as excinfo:
        migrate(closed_postgres_url)
    assert "secret" not in str(excinfo.value)


def test_write_refused_files_nothing(migrated_engine, read_only_url, cipher, record_count):
    engine = db.make_engine(read_only_url)
    try:
        repo = RecordRepository(db.make_session_factory(engine), cipher)
        with pytest.raises(RecordsUnavailable) as excinfo:
            _file(repo)
        _assert_plain(excinfo.value)
    finally:
        engine.dispose()
    assert record_count() == 0


def test_failed_commit_is_honest_and_a_retry_files_once(repo, monkeypatch, record_count):
    real_commit = Session.commit
    calls = {"n": 0}

    def failing_commit(self):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))
        return real_commit(self)

    monkeypatch.setattr(Session, "commit", failing_commit)
    with pytest.raises(RecordsUnavailable, match="cannot be confirmed") as excinfo:
        _file(repo, key="retry-me")
    _assert_plain(excinfo.value)
    assert record_count() == 0
    filed = _file(repo, key="retry-me")
    assert not filed.already_filed and record_count() == 1
    assert _file(repo, key="retry-me").already_filed


def test_every_kind_is_covered():
    assert set(KINDS) == {"disclosure", "family_link_declaration", "service_proposal", "concern_report"}


def test_failed_status_commit_is_reported_as_unconfirmed(repo, monkeypatch):
    proposal = _file(repo, kind="service_proposal")
    real_commit = Session.commit

    def failing_commit(self):
        raise OperationalError("COMMIT", {}, Exception("connection reset"))

    monkeypatch.setattr(Session, "commit", failing_commit)
    with pytest.raises(RecordsUnavailable, match="cannot be") as excinfo:
        repo.change_status(proposal.reference, "approved", "head", reason="Private reason text")
    assert "Private reason" not in str(excinfo.value)
    monkeypatch.setattr(Session, "commit", real_commit)
    assert repo.get(proposal.reference).status == "pending"


def test_a_failing_session_close_does_not_hide_a_filed_record(repo, monkeypatch, record_count):
    real_close = Session.close

    def failing_close(self):
        real_close(self)
        raise OperationalError("ROLLBACK", {}, Exception("connection reset"))

    monkeypatch.setattr(Session, "close", failing_close)
    filed = _file(repo, key="closing")
    monkeypatch.setattr(Session, "close", real_close)
    assert is_valid_reference(filed.reference) and record_count() == 1


# --- the filer adding to their record (a child's report filed as soon as they told) ------------


def test_the_filer_adds_to_their_record_with_its_key(repo, record_count):
    told = repo.file("disclosure", "mr x messages me", "pupil", idempotency_key="conv:draft:told")
    added = repo.add_to("conv:draft:told", addition="he said its a secret", filer_name="Grace 6B")
    assert added.reference == told.reference and record_count() == 1
    assert added.account == "mr x messages me\n\nhe said its a secret" and added.filer_name == "Grace 6B"
    assert [(h.from_status, h.to_status, h.changed_by) for h in added.history][-1] == (told.status, told.status, "filer:pupil")
    assert repo.get(told.reference) == added
    # a name already given is not replaced; nothing new changes nothing
    again = repo.add_to("conv:draft:told", filer_name="someone else")
    assert again.filer_name == "Grace 6B" and len(again.history) == len(added.history)


def test_only_the_key_it_was_filed_with_adds_and_only_before_anyone_acts_on_it(repo):
    told = repo.file("disclosure", "mr x messages me", "pupil", idempotency_key="conv:draft:told")
    with pytest.raises(UnknownReference):
        repo.add_to("another:conversation:told", addition="not theirs")
    with pytest.raises(ValueError):
        repo.add_to("", addition="x")
    repo.change_status(told.reference, "in_review", "designated safeguarding lead")
    with pytest.raises(InvalidTransition):
        repo.add_to("conv:draft:told", addition="too late")
    assert repo.get(told.reference).account == "mr x messages me"


def test_a_record_filed_hours_ago_is_not_added_to(repo, session_factory):
    told = repo.file("concern_report", "they keep saying im ugly", "pupil", idempotency_key="conv:d:told")
    _set_created_at(session_factory, told.reference, dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=7))
    with pytest.raises(InvalidTransition):
        repo.add_to("conv:d:told", addition="and on snapchat")
