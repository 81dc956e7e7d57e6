"""Encryption at rest: round trip, key file, insecure key file, rotation, wrong key."""
from __future__ import annotations

import os
import stat
import threading

import pytest
from cryptography.fernet import Fernet

from bot.records.crypto import (
    RecordCipher,
    ensure_key_file,
    generate_key,
    key_file_path,
    load_cipher,
    read_key_file,
    rotate,
    rotate_key,
)
from bot.records.errors import DecryptionError, KeyConfigurationError
from bot.records.repository import RecordRepository

TEXTS = [
    "He messaged my daughter on Snapchat at 11pm.",
    "  leading and trailing spaces, kept  \n\tand a second line\n",
    "Ünïcödé, emoji 🙂, right-to-left مرحبا, CJK 你好",
    "a",
    "x" * 20_000,
    "lone surrogate \ud800 kept as typed",
]


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("text", TEXTS)
def test_round_trip(text):
    cipher = RecordCipher([generate_key()])
    token = cipher.encrypt(text)
    assert isinstance(token, str) and token.isascii()
    assert cipher.decrypt(token) == text
    if len(text) >= 12:  # a long fragment never appears in the token by chance
        assert text[:12] not in token


def test_none_stays_none_and_tokens_are_not_deterministic():
    cipher = RecordCipher([generate_key()])
    assert cipher.encrypt(None) is None and cipher.decrypt(None) is None
    assert cipher.encrypt("same") != cipher.encrypt("same")
    assert cipher.decrypt(cipher.encrypt("")) == ""
    with pytest.raises(TypeError):
        cipher.encrypt(b"bytes")  # type: ignore[arg-type]


def test_repr_shows_no_key():
    key = generate_key()
    assert key not in repr(RecordCipher([key]))


def test_key_file_created_owner_only_on_first_use(tmp_path, monkeypatch):
    path = tmp_path / "new-folder" / "records.key"
    monkeypatch.setenv("RECORDS_KEY_FILE", str(path))
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        cipher = load_cipher()
    finally:
        os.umask(old_umask)
    assert path.is_file()
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    keys = read_key_file(path)
    assert len(keys) == 1
    Fernet(keys[0])  # a valid key
    token = cipher.encrypt("kept")
    # the second use reads the same key
    assert load_cipher().decrypt(token) == "kept"
    assert read_key_file(path) == keys
    assert not [p for p in path.parent.iterdir() if p.name != "records.key"], "no temporary files left"


def test_default_key_file_is_in_var(monkeypatch):
    monkeypatch.delenv("RECORDS_KEY_FILE")
    assert key_file_path().parts[-2:] == ("var", "records.key")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o620])
def test_insecure_key_file_is_refused(tmp_path, monkeypatch, mode):
    path = tmp_path / "records.key"
    path.write_text(generate_key() + "\n")
    os.chmod(path, mode)
    monkeypatch.setenv("RECORDS_KEY_FILE", str(path))
    with pytest.raises(KeyConfigurationError) as excinfo:
        load_cipher()
    message = str(excinfo.value)
    assert "chmod 600" in message and str(path) in message
    assert path.read_text().strip() not in message


def test_key_file_of_another_user_is_refused(tmp_path, monkeypatch):
    if os.getuid() != 0:
        pytest.skip("needs root to give the file to another user")
    path = tmp_path / "records.key"
    path.write_text(generate_key() + "\n")
    os.chmod(path, 0o600)
    os.chown(path, 65534, 65534)
    monkeypatch.setenv("RECORDS_KEY_FILE", str(path))
    with pytest.raises(KeyConfigurationError, match="another user"):
        load_cipher()


@pytest.mark.parametrize("content", [b"", b"# only a comment\n", b"not-a-key\n", b"\xff\xfe binary"])
def test_broken_key_file_is_refused(tmp_path, monkeypatch, content):
    path = tmp_path / "records.key"
    path.write_bytes(content)
    os.chmod(path, 0o600)
    monkeypatch.setenv("RECORDS_KEY_FILE", str(path))
    with pytest.raises(KeyConfigurationError):
        load_cipher()


def test_records_key_env_wins_and_no_key_file_is_created(tmp_path, monkeypatch):
    key = generate_key()
    monkeypatch.setenv("RECORDS_KEY", key)
    cipher = load_cipher()
    assert not key_file_path().exists()
    assert RecordCipher([key]).decrypt(cipher.encrypt("x")) == "x"


def test_invalid_records_key_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("RECORDS_KEY", "not-a-real-key-value")
    with pytest.raises(KeyConfigurationError, match="RECORDS_KEY is not a valid Fernet key") as excinfo:
        load_cipher()
    assert "not-a-real-key-value" not in str(excinfo.value)
    monkeypatch.setenv("RECORDS_KEY", generate_key())
    monkeypatch.setenv("RECORDS_OLD_KEYS", "also-bad")
    with pytest.raises(KeyConfigurationError, match="RECORDS_OLD_KEYS"):
        load_cipher()


def test_wrong_key_fails_clearly():
    token = RecordCipher([generate_key()]).encrypt("secret account")
    with pytest.raises(DecryptionError) as excinfo:
        RecordCipher([generate_key()]).decrypt(token)
    message = str(excinfo.value)
    assert "RECORDS_OLD_KEYS" in message and "secret account" not in message
    with pytest.raises(DecryptionError):
        RecordCipher([generate_key()]).decrypt("garbage")


def test_old_keys_decrypt_and_the_current_key_encrypts(monkeypatch):
    old, new = generate_key(), generate_key()
    token_old = RecordCipher([old]).encrypt("before rotation")
    monkeypatch.setenv("RECORDS_KEY", new)
    monkeypatch.setenv("RECORDS_OLD_KEYS", f" {generate_key()} , {old},")
    cipher = load_cipher()
    assert cipher.key_count == 3
    assert cipher.decrypt(token_old) == "before rotation"
    assert not cipher.is_current(token_old)
    token_new = cipher.encrypt("after")
    assert cipher.is_current(token_new)
    assert RecordCipher([new]).decrypt(token_new) == "after"
    rotated = cipher.reencrypt(token_old)
    assert RecordCipher([new]).decrypt(rotated) == "before rotation"
    with pytest.raises(DecryptionError):
        RecordCipher([old]).decrypt(rotated)


def test_key_file_creation_race_gives_one_key(tmp_path):
    path = tmp_path / "records.key"
    results, errors = [], []
    barrier = threading.Barrier(8)

    def create():
        try:
            barrier.wait()
            results.append(ensure_key_file(path)[0])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.key"]


# --- rotating a database ---------------------------------------------------------------


def _fill(repo: RecordRepository):
    proposal = repo.file(
        "service_proposal", "A coding club on Tuesdays", "staff", "Ms Jones", "jones@example.org", idempotency_key="p1"
    )
    repo.change_status(proposal.reference, "declined", "head teacher", reason="No room on Tuesdays")
    disclosure = repo.file("disclosure", "Mr X follows pupils on Instagram", "parent", idempotency_key="d1")
    return proposal, disclosure


def test_rotate_reencrypts_every_column(session_factory, backend, database_url, tmp_path):
    old, new = generate_key(), generate_key()
    repo_old = RecordRepository(session_factory, RecordCipher([old]))
    _fill(repo_old)
    before = repo_old.export()

    count = rotate(session_factory, RecordCipher([new, old]))
    # account x2, filer name + contact, one reason
    assert count == 5
    repo_new = RecordRepository(session_factory, RecordCipher([new]))
    assert repo_new.export() == before
    with pytest.raises(DecryptionError):
        repo_old.export()


def test_rotate_leaves_no_old_ciphertext_in_the_sqlite_file(session_factory, backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("file bytes are a SQLite matter")
    from sqlalchemy import select

    from bot.records.models import Record, StatusChange

    old, new = generate_key(), generate_key()
    _fill(RecordRepository(session_factory, RecordCipher([old])))
    with session_factory() as session:
        old_tokens = [r.account_encrypted for r in session.execute(select(Record)).scalars()]
        old_tokens += [c.reason_encrypted for c in session.execute(select(StatusChange)).scalars() if c.reason_encrypted]
    rotate(session_factory, RecordCipher([new, old]))
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("records.db"))
    for token in old_tokens:
        assert token.encode() not in raw


def test_rotate_fails_whole_when_a_value_cannot_be_decrypted(session_factory):
    a, b, new = generate_key(), generate_key(), generate_key()
    RecordRepository(session_factory, RecordCipher([a])).file("disclosure", "one", "staff", idempotency_key="1")
    RecordRepository(session_factory, RecordCipher([b])).file("disclosure", "two", "staff", idempotency_key="2")
    with pytest.raises(DecryptionError):
        rotate(session_factory, RecordCipher([new, a]))  # b is missing
    # nothing changed: a and b still read their own records
    assert [r.account for r in RecordRepository(session_factory, RecordCipher([a, b])).list()] == ["one", "two"]


def test_rotate_key_with_a_key_file(session_factory, monkeypatch, tmp_path):
    path = tmp_path / "keyfolder" / "records.key"
    monkeypatch.setenv("RECORDS_KEY_FILE", str(path))
    repo = RecordRepository(session_factory, load_cipher())
    _fill(repo)
    before = repo.export()
    (old_key,) = read_key_file(path)

    report = rotate_key(session_factory)

    assert report.values == 5
    (new_key,) = read_key_file(path)
    assert new_key != old_key
    assert _mode(path) == 0o600
    retired = [p for p in path.parent.iterdir() if p.name.startswith("records.key.retired-")]
    assert len(retired) == 1 and _mode(retired[0]) == 0o600
    assert read_key_file(retired[0]) == [old_key]
    assert str(retired[0]) in report.message
    # the new key alone reads everything; the old one reads nothing
    assert RecordRepository(session_factory, load_cipher()).export() == before
    with pytest.raises(DecryptionError):
        RecordRepository(session_factory, RecordCipher([old_key])).export()


def test_rotate_key_with_records_key(session_factory, monkeypatch):
    old, new = generate_key(), generate_key()
    repo = RecordRepository(session_factory, RecordCipher([old]))
    _fill(repo)
    before = repo.export()
    monkeypatch.setenv("RECORDS_KEY", new)
    monkeypatch.setenv("RECORDS_OLD_KEYS", old)
    report = rotate_key(session_factory)
    assert report.values == 5 and "RECORDS_OLD_KEYS" in report.message
    assert not key_file_path().exists()
    assert RecordRepository(session_factory, RecordCipher([new])).export() == before
