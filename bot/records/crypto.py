"""Encryption at rest for the sensitive parts of a record.

Keys are Fernet keys (AES-128-CBC + HMAC-SHA256, from `cryptography`).
Where the current key comes from, in order:

1. `RECORDS_KEY`: a Fernet key (32 bytes, url-safe base64), e.g. from a
   secrets manager. The key file is then not read or created.
2. The key file `RECORDS_KEY_FILE` (default `<project>/var/records.key`),
   created on first use with mode 0600. A key file that group or others can
   read, or that belongs to another user, is refused. The file holds one key
   per line: the first encrypts, any further lines only decrypt (a rotation
   in progress).

`RECORDS_OLD_KEYS` (comma-separated) adds keys that only decrypt.

Rotation (`python -m bot records rotate-key`, assistant stopped):

- key file: a new key is generated and written first, then every encrypted
  value is re-encrypted with it in one transaction, then the old key is
  moved out of the key file into `<key file>.retired-<UTC time>` (0600).
  That retired file is needed only to read database backups taken before
  the rotation: keep it with those backups, offline, or delete it when they
  expire. A crash at any step leaves a key file that still reads everything.
- `RECORDS_KEY`: generate a key (`python -m bot records new-key`), set it as
  `RECORDS_KEY` and put the previous one in `RECORDS_OLD_KEYS`, run
  `rotate-key`, then remove `RECORDS_OLD_KEYS`.

Losing every key loses the records: back the key up separately from the
database.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.paths import PROJECT_ROOT
from bot.records.errors import DecryptionError, KeyConfigurationError, RecordsUnavailable

ENV_KEY = "RECORDS_KEY"
ENV_KEY_FILE = "RECORDS_KEY_FILE"
ENV_OLD_KEYS = "RECORDS_OLD_KEYS"

_DECRYPT_HELP = (
    "The records were encrypted with a key that is not configured now "
    f"({ENV_KEY}, the key file, {ENV_OLD_KEYS}). Restore that key, or add it to {ENV_OLD_KEYS}."
)


def generate_key() -> str:
    """A new random Fernet key, as text."""
    return Fernet.generate_key().decode("ascii")


def _fernet(key: str | bytes, source: str) -> Fernet:
    try:
        return Fernet(key.strip() if isinstance(key, (str, bytes)) else key)
    except (ValueError, TypeError):
        raise KeyConfigurationError(
            f"{source} is not a valid Fernet key (32 random bytes in url-safe base64, "
            "as printed by `python -m bot records new-key`)."
        ) from None


# --- the key file ------------------------------------------------------------------


def key_file_path(environ: Optional[Mapping[str, str]] = None) -> Path:
    env = os.environ if environ is None else environ
    value = (env.get(ENV_KEY_FILE) or "").strip()
    return Path(value).expanduser() if value else PROJECT_ROOT / "var" / "records.key"


def _check_key_file(path: Path) -> None:
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise KeyConfigurationError(f"The records key file {path} is not a regular file.")
    if info.st_mode & 0o077:
        raise KeyConfigurationError(
            f"The records key file {path} can be read or changed by other users "
            f"(mode {stat.S_IMODE(info.st_mode):04o}); refusing to use it. "
            f"Restrict it with `chmod 600 {path}`, and consider the key compromised: rotate it."
        )
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise KeyConfigurationError(
            f"The records key file {path} belongs to another user (uid {info.st_uid}); refusing to use it."
        )


def read_key_file(path: Path) -> List[str]:
    """The keys in an existing key file, current first."""
    _check_key_file(path)
    try:
        lines = path.read_text(encoding="ascii", errors="strict").splitlines()
    except UnicodeDecodeError:
        raise KeyConfigurationError(f"The records key file {path} is not a key file (it is not text).") from None
    keys = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if not keys:
        raise KeyConfigurationError(f"The records key file {path} holds no key.")
    for number, key in enumerate(keys, 1):
        _fernet(key, f"Key {number} in {path}")
    return keys


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_new_file(path: Path, text: str) -> None:
    """Write `text` into a file that must not exist yet, owner-only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, text.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.tmp")


def _key_file_text(keys: Sequence[str]) -> str:
    return (
        "# Encryption key for safeguarding records. Keep it secret and back it up\n"
        "# apart from the database: without it the records cannot be read.\n"
        + "".join(f"{key}\n" for key in keys)
    )


def write_key_file(path: Path, keys: Sequence[str]) -> None:
    """Replace the key file atomically (temporary file, fsync, rename)."""
    for number, key in enumerate(keys, 1):
        _fernet(key, f"Key {number}")
    temporary = _temporary_name(path)
    try:
        _write_new_file(temporary, _key_file_text(keys))
        os.replace(temporary, path)
    finally:
        _remove(temporary)
    _fsync_dir(path.parent)


def ensure_key_file(path: Path) -> List[str]:
    """Read the key file, creating it with a new key if it does not exist.
    Creation is atomic (write aside, then hard-link into place), so two
    processes starting together end up with the same key."""
    if path.exists():
        return read_key_file(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = _temporary_name(path)
    try:
        _write_new_file(temporary, _key_file_text([generate_key()]))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process won the race: use its key
    finally:
        _remove(temporary)
    _fsync_dir(path.parent)
    return read_key_file(path)


# --- the cipher --------------------------------------------------------------------


class RecordCipher:
    """Encrypts with the first key, decrypts with any of them."""

    def __init__(self, keys: Sequence[str | bytes], source: str = "the records key") -> None:
        if not keys:
            raise KeyConfigurationError("No records encryption key is configured.")
        self._fernets = [_fernet(key, source if n == 0 else f"Old key {n}") for n, key in enumerate(keys)]
        self._current = self._fernets[0]
        self._all = MultiFernet(self._fernets)

    def __repr__(self) -> str:  # never show keys
        return f"<RecordCipher with {len(self._fernets)} key(s)>"

    @property
    def key_count(self) -> int:
        return len(self._fernets)

    def encrypt(self, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError("only text is encrypted")
        # surrogatepass: keep even malformed text exactly as typed
        return self._current.encrypt(value.encode("utf-8", "surrogatepass")).decode("ascii")

    def decrypt(self, token: Optional[str]) -> Optional[str]:
        if token is None:
            return None
        try:
            return self._all.decrypt(token.encode("ascii")).decode("utf-8", "surrogatepass")
        except (InvalidToken, UnicodeError):
            raise DecryptionError(f"A stored value could not be decrypted. {_DECRYPT_HELP}") from None

    def is_current(self, token: str) -> bool:
        """Whether the current key alone decrypts this token."""
        try:
            self._current.decrypt(token.encode("ascii"))
            return True
        except (InvalidToken, UnicodeError):
            return False

    def reencrypt(self, token: str) -> str:
        """The same plaintext, encrypted with the current key."""
        try:
            return self._all.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError):
            raise DecryptionError(f"A stored value could not be decrypted for rotation. {_DECRYPT_HELP}") from None


def _old_keys(env: Mapping[str, str]) -> List[str]:
    return [key.strip() for key in (env.get(ENV_OLD_KEYS) or "").split(",") if key.strip()]


def load_cipher(environ: Optional[Mapping[str, str]] = None) -> RecordCipher:
    """The cipher from `RECORDS_KEY`, else the key file (created if missing),
    plus `RECORDS_OLD_KEYS` for decrypting."""
    env = os.environ if environ is None else environ
    old = _old_keys(env)
    for number, key in enumerate(old, 1):
        _fernet(key, f"Key {number} in {ENV_OLD_KEYS}")
    current = (env.get(ENV_KEY) or "").strip()
    if current:
        return RecordCipher([current, *old], source=ENV_KEY)
    path = key_file_path(env)
    try:
        keys = ensure_key_file(path)
    except OSError as exc:
        raise KeyConfigurationError(
            f"The records key file {path} could not be read or created ({exc.strerror or exc})."
        ) from None
    return RecordCipher([*keys, *old], source=f"The key in {path}")


# --- rotation ----------------------------------------------------------------------


@dataclass(frozen=True)
class RotationReport:
    values: int  # encrypted values rewritten with the current key
    message: str


def rotate(session_factory, cipher: RecordCipher) -> int:
    """Re-encrypt every encrypted column with the cipher's current key, in
    one transaction (all or nothing). Returns how many values were rewritten.
    On SQLite the file is then vacuumed so that superseded ciphertexts do not
    stay in free pages."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from bot.records.models import ENCRYPTED_COLUMNS

    count = 0
    try:
        with session_factory() as session:
            with session.begin():
                by_table: Dict[type, List[str]] = {}
                for table, column in ENCRYPTED_COLUMNS:
                    by_table.setdefault(table, []).append(column)
                for table, columns in by_table.items():
                    for row in session.execute(select(table).with_for_update()).scalars():
                        for column in columns:
                            token = getattr(row, column)
                            if token is not None:
                                setattr(row, column, cipher.reencrypt(token))
                                count += 1
            bind = session.get_bind()
        if bind.dialect.name == "sqlite":
            with bind.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")
    except SQLAlchemyError:
        raise RecordsUnavailable(
            "The records database is unavailable, so the key was not rotated (nothing was changed)."
        ) from None
    return count


def rotate_key(session_factory, environ: Optional[Mapping[str, str]] = None) -> RotationReport:
    """What `python -m bot records rotate-key` does (see the module docstring)."""
    env = os.environ if environ is None else environ
    if (env.get(ENV_KEY) or "").strip():
        cipher = load_cipher(env)
        count = rotate(session_factory, cipher)
        return RotationReport(
            count,
            f"Re-encrypted {count} value(s) with {ENV_KEY}. "
            f"Keys in {ENV_OLD_KEYS} are no longer needed for the database "
            "(keep them only as long as you keep older backups).",
        )
    path = key_file_path(env)
    old_keys = ensure_key_file(path)
    new_key = generate_key()
    # 1. the new key first, old ones kept: everything stays readable
    write_key_file(path, [new_key, *old_keys])
    cipher = RecordCipher([new_key, *old_keys, *_old_keys(env)])
    # 2. everything re-encrypted with the new key, in one transaction
    count = rotate(session_factory, cipher)
    # 3. the old keys leave the key file, kept aside for old backups only
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    retired = path.with_name(f"{path.name}.retired-{stamp}")
    _write_new_file(retired, _key_file_text(old_keys))
    write_key_file(path, [new_key])
    return RotationReport(
        count,
        f"Re-encrypted {count} value(s) with a new key in {path}. The previous key is in {retired}: "
        "it is needed only to read backups taken before now. Keep it with those backups, offline, "
        "or delete it when they expire. Restart the assistant so that it uses the new key.",
    )
