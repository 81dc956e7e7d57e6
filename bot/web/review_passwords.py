"""Staff passwords: scrypt (standard library), salted, compared in constant time.

A stored hash reads `scrypt$<n>$<r>$<p>$<salt>$<hash>` (base64), so the cost
can be raised later without breaking existing passwords: `needs_rehash()`
says when a password should be hashed again at the next sign-in.

Nothing here logs: a password never leaves these functions except as a hash.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

MIN_LENGTH = 12
#: long enough for any passphrase, short enough that hashing stays cheap
MAX_LENGTH = 1024

SALT_BYTES = 16
KEY_BYTES = 32
_MAX_N = 2**20


@dataclass(frozen=True)
class ScryptCost:
    n: int = 2**15  # 32 MiB of memory per hash, about 0.1 s
    r: int = 8
    p: int = 1

    @property
    def maxmem(self) -> int:
        return 2 * 128 * self.r * self.n * self.p + 1024 * 1024


#: The cost used for new hashes (tests may lower it to stay quick).
DEFAULT_COST = ScryptCost()


class PasswordPolicyError(ValueError):
    """The password is not acceptable; the message says why (never repeats it)."""


def check_password_policy(password: str, username: str = "") -> None:
    if not isinstance(password, str):
        raise PasswordPolicyError("The password must be text.")
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"The password must be at least {MIN_LENGTH} characters long.")
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"The password must be at most {MAX_LENGTH} characters long.")
    if not password.strip():
        raise PasswordPolicyError("The password cannot be only spaces.")
    if username and password.strip().lower() == username.strip().lower():
        raise PasswordPolicyError("The password cannot be the username.")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, cost: ScryptCost) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8", "surrogatepass"),
        salt=salt,
        n=cost.n,
        r=cost.r,
        p=cost.p,
        maxmem=cost.maxmem,
        dklen=KEY_BYTES,
    )


def hash_password(password: str, cost: ScryptCost | None = None) -> str:
    """A new salted hash. Does not check the policy: call
    `check_password_policy` first when the password is being chosen."""
    if not isinstance(password, str) or not password or len(password) > MAX_LENGTH:
        raise PasswordPolicyError("The password is empty or too long.")
    cost = cost or DEFAULT_COST
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, cost)
    return f"scrypt${cost.n}${cost.r}${cost.p}${_b64(salt)}${_b64(key)}"


def _parse(stored: str) -> tuple[ScryptCost, bytes, bytes] | None:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        cost = ScryptCost(int(n), int(r), int(p))
        salt_bytes = base64.b64decode(salt, validate=True)
        key_bytes = base64.b64decode(key, validate=True)
    except (ValueError, AttributeError):
        return None
    if scheme != "scrypt" or not (2 <= cost.n <= _MAX_N) or cost.n & (cost.n - 1):
        return None
    if not (1 <= cost.r <= 32 and 1 <= cost.p <= 16) or not salt_bytes or len(key_bytes) != KEY_BYTES:
        return None
    return cost, salt_bytes, key_bytes


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`. A malformed hash or an
    unusable password gives False, never an exception."""
    parsed = _parse(stored) if isinstance(stored, str) else None
    if parsed is None or not isinstance(password, str) or not password or len(password) > MAX_LENGTH:
        return False
    cost, salt, expected = parsed
    return hmac.compare_digest(_derive(password, salt, cost), expected)


def needs_rehash(stored: str, cost: ScryptCost | None = None) -> bool:
    parsed = _parse(stored)
    return parsed is None or parsed[0] != (cost or DEFAULT_COST)


def dummy_verify(password: str) -> None:
    """Spend as long as a real check, so that an unknown username takes as
    long to refuse as a wrong password."""
    verify_password(password, _dummy_hash())


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY or needs_rehash(_DUMMY[0]):
        _DUMMY[:] = [hash_password(secrets.token_urlsafe(16))]
    return _DUMMY[0]
