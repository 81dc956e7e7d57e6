"""Staff password hashing: scrypt with a per-password salt, constant-time compare."""
from __future__ import annotations

import hashlib
import time

import pytest

from bot.web import review_passwords as pw


def test_hash_round_trip_and_wrong_password():
    stored = pw.hash_password("correct horse battery staple")
    assert stored.startswith("scrypt$")
    assert "correct horse" not in stored
    assert pw.verify_password("correct horse battery staple", stored)
    assert not pw.verify_password("correct horse battery stapl", stored)
    assert not pw.verify_password("", stored)


def test_the_same_password_gets_a_different_salt_each_time():
    assert pw.hash_password("the same password") != pw.hash_password("the same password")


def test_the_real_default_cost_is_slow_enough(monkeypatch):
    monkeypatch.setattr(pw, "DEFAULT_COST", pw.ScryptCost())  # undo the tests' quick setting
    assert pw.DEFAULT_COST.n >= 2**14 and pw.DEFAULT_COST.r >= 8
    started = time.perf_counter()
    stored = pw.hash_password("a realistic passphrase")
    assert time.perf_counter() - started > 0.01
    _scheme, n, r, p, _salt, _key = stored.split("$")
    assert (int(n), int(r), int(p)) == (pw.DEFAULT_COST.n, pw.DEFAULT_COST.r, pw.DEFAULT_COST.p)
    assert pw.verify_password("a realistic passphrase", stored)


def test_the_hash_is_scrypt_of_the_stored_salt():
    import base64

    stored = pw.hash_password("check the algorithm", pw.ScryptCost(n=2**10))
    _scheme, n, r, p, salt, key = stored.split("$")
    expected = hashlib.scrypt(b"check the algorithm", salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    assert base64.b64decode(key) == expected


@pytest.mark.parametrize(
    "stored",
    ["", "plain-text", "scrypt$3$8$1$AAAA$AAAA", "scrypt$1024$8$1$!!$AAAA", "bcrypt$1024$8$1$AAAA$AAAA", "scrypt$2$8"],
)
def test_malformed_hashes_never_verify_and_never_raise(stored):
    assert pw.verify_password("anything at all", stored) is False
    assert pw.needs_rehash(stored)


def test_needs_rehash_when_the_cost_changes():
    cheap = pw.hash_password("password for rehash", pw.ScryptCost(n=2**10))
    assert pw.needs_rehash(cheap, pw.ScryptCost(n=2**11))
    assert not pw.needs_rehash(cheap, pw.ScryptCost(n=2**10))


@pytest.mark.parametrize(
    "password, username, message",
    [
        ("short", "", "at least 12"),
        ("x" * 1025, "", "at most 1024"),
        (" " * 14, "", "only spaces"),
        ("headteacher01", "HeadTeacher01", "cannot be the username"),
    ],
)
def test_policy(password, username, message):
    with pytest.raises(pw.PasswordPolicyError, match=message) as refused:
        pw.check_password_policy(password, username)
    assert password not in str(refused.value)


def test_policy_accepts_a_passphrase():
    pw.check_password_policy("twelve chars", "someone")
    assert pw.MIN_LENGTH == 12


def test_dummy_verify_runs_a_real_check():
    pw.dummy_verify("whatever")  # no exception, and a hash is made once
    assert pw._DUMMY and pw._DUMMY[0].startswith("scrypt$")
