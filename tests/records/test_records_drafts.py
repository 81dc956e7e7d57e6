"""Filing drafts (bot/records/drafts.py): bound to their conversation,
encrypted with their own key, bound ciphertexts, expiry, filed once."""
from __future__ import annotations

import base64
import datetime as dt
import os

import pytest
from sqlalchemy import select, update

from bot.records import db
from bot.records.crypto import KeyConfigurationError, generate_key
from bot.records.drafts import DraftCipher, DraftNotFound, DraftStore, load_draft_cipher
from bot.records.errors import RecordsUnavailable
from bot.records.migration import migrate
from bot.records.models import FilingDraft


@pytest.fixture
def sessions(database_url):
    engine = db.make_engine(database_url)
    migrate(engine=engine)
    yield db.make_session_factory(engine)
    engine.dispose()


class Clock:
    def __init__(self):
        self.now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(sessions, clock):
    return DraftStore(sessions, DraftCipher(os.urandom(32)), clock=clock)


def test_a_draft_keeps_answers_for_its_own_conversation_only(store):
    draft = store.create("rest:alice", "disclosure", opening="I want to report a teacher")
    store.update(draft, "rest:alice", account="he messaged my son <3 & said don't tell\nat night", name="Priya")
    got = store.get(draft, "rest:alice")
    assert got.account == "he messaged my son <3 & said don't tell\nat night"
    assert (got.opening, got.name, got.contact, got.kind) == ("I want to report a teacher", "Priya", None, "disclosure")
    with pytest.raises(DraftNotFound):
        store.get(draft, "rest:mallory")  # the id replayed in another conversation finds nothing
    with pytest.raises(DraftNotFound):
        store.update(draft, "rest:mallory", account="overwritten")
    with pytest.raises(DraftNotFound):
        store.get("a-guessed-id", "rest:alice")


def test_the_database_holds_neither_ids_nor_words(store, sessions):
    draft = store.create("rest:alice", "concern_report")
    store.update(draft, "rest:alice", account="Mr Example on Snapchat", contact="priya@example.org")
    with sessions() as session:
        [row] = session.execute(select(FilingDraft)).scalars().all()
        stored = " ".join(str(getattr(row, c.name)) for c in FilingDraft.__table__.columns)
    for secret in (draft, "rest:alice", "Mr Example", "Snapchat", "priya@example.org"):
        assert secret not in stored


def test_a_ciphertext_moved_to_another_draft_does_not_decrypt(store, sessions):
    mine = store.create("rest:alice", "disclosure")
    store.update(mine, "rest:alice", account="alice's account")
    theirs = store.create("rest:bob", "disclosure")
    with sessions() as session:
        rows = {row.conversation_hash: row for row in session.execute(select(FilingDraft)).scalars()}
        alice, bob = sorted(rows.values(), key=lambda r: r.id)
        session.execute(update(FilingDraft).where(FilingDraft.id == bob.id).values(answers_encrypted=alice.answers_encrypted))
        session.commit()
    with pytest.raises(DraftNotFound):
        store.get(theirs, "rest:bob")


def test_another_key_cannot_read_a_draft(sessions, clock):
    draft = DraftStore(sessions, DraftCipher(os.urandom(32)), clock=clock).create("rest:a", "disclosure", opening="x")
    with pytest.raises(DraftNotFound):
        DraftStore(sessions, DraftCipher(os.urandom(32)), clock=clock).get(draft, "rest:a")


def test_a_draft_expires_after_its_last_change(store, clock):
    draft = store.create("rest:a", "disclosure")
    clock.now += dt.timedelta(hours=1, minutes=50)
    store.update(draft, "rest:a", account="still here")  # the clock starts again
    clock.now += dt.timedelta(hours=1, minutes=50)
    assert store.get(draft, "rest:a").account == "still here"
    clock.now += dt.timedelta(minutes=11)
    with pytest.raises(DraftNotFound):
        store.get(draft, "rest:a")
    assert store.purge_expired() == 1


def test_a_filed_draft_forgets_its_answers_and_remembers_the_reference(store, sessions):
    draft = store.create("rest:a", "disclosure", opening="x")
    store.update(draft, "rest:a", account="the account")
    store.mark_filed(draft, "rest:a", "MF-7KQ4-9XTP")
    got = store.get(draft, "rest:a")
    assert got.filed_reference == "MF-7KQ4-9XTP" and got.account is None and got.opening is None
    with sessions() as session:
        assert session.execute(select(FilingDraft.answers_encrypted)).scalar_one() is None
    with pytest.raises(DraftNotFound):
        store.update(draft, "rest:a", account="more")


def test_discard_deletes(store):
    draft = store.create("rest:a", "disclosure")
    assert store.discard(draft, "rest:a") is True
    assert store.discard(draft, "rest:a") is False
    with pytest.raises(DraftNotFound):
        store.get(draft, "rest:a")


def test_a_database_that_is_down_is_an_outage(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'missing' / 'r.db'}")
    store = DraftStore(db.make_session_factory(engine), DraftCipher(os.urandom(32)))
    with pytest.raises(RecordsUnavailable):
        store.create("rest:a", "disclosure")


def test_the_drafts_key_is_its_own(tmp_path):
    key = generate_key()
    with pytest.raises(KeyConfigurationError, match="must not be the same"):
        load_draft_cipher({"DRAFTS_KEY": key, "RECORDS_KEY": key})
    assert load_draft_cipher({"DRAFTS_KEY": key, "RECORDS_KEY": generate_key()})
    with pytest.raises(KeyConfigurationError, match="not a valid key"):
        load_draft_cipher({"DRAFTS_KEY": base64.urlsafe_b64encode(b"short").decode()})
    env = {"DRAFTS_KEY_FILE": str(tmp_path / "drafts.key")}
    load_draft_cipher(env)
    assert (os.stat(tmp_path / "drafts.key").st_mode & 0o777) == 0o600
