"""Checks each server makes before it starts, so that a problem with its
files is a clear sentence at start-up rather than a failure later, in the
middle of someone's report.

- Everything the assistant writes is owner-only: the process umask is 077,
  `var/` is 0700 and the files in it 0600. A `var/` (or file in it) that
  others can read, and that belongs to this user, is tightened and the
  change logged; one that belongs to another user is refused.
- The keys and secrets the server needs are loaded (created on first use)
  now: an unwritable or unreadable key file stops the start.
- `var/` can really be written (a probe file is written and synced): a full
  or read-only disk stops the start.
"""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Callable, Iterable, Optional

from bot.paths import PROJECT_ROOT

logger = logging.getLogger(__name__)

PROBE_BYTES = 64 * 1024


class StartupError(RuntimeError):
    """A server cannot start; the message says why and what to do."""


def var_dir() -> Path:
    return PROJECT_ROOT / "var"


def secure_folder(path: Path) -> None:
    """Create `path` owner-only, or make an existing one owner-only, with its files."""
    os.umask(0o077)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        entries: Iterable[Path] = [path, *[p for p in path.iterdir() if p.is_file() and not p.is_symlink()]]
        for entry in entries:
            info = entry.stat()
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                raise StartupError(
                    f"{entry} belongs to another user (uid {info.st_uid}): refusing to use it. "
                    "Run the assistant as the user that owns its files."
                )
            wanted = 0o700 if entry.is_dir() else 0o600
            if stat.S_IMODE(info.st_mode) & 0o077:
                os.chmod(entry, wanted)
                logger.warning("%s was readable by other users: now %04o", entry, wanted)
    except OSError as exc:
        raise StartupError(f"Cannot prepare {path}: {exc.strerror or exc}.") from None


def probe_writable(path: Path) -> None:
    """Write and sync a small file in `path`, then remove it."""
    probe = path / f".write-probe-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, b"\0" * PROBE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StartupError(
            f"Cannot write to {path} ({exc.strerror or exc}): the disk may be full or read-only. "
            "Free some space (or fix the mount), then start again."
        ) from None
    finally:
        try:
            probe.unlink()
        except OSError:
            pass


def prepare(folder: Path) -> None:
    """var/ is made owner-only with everything in it; a folder configured
    elsewhere (DATABASE_URL, a key file's) is the operator's: it is created
    owner-only if missing, and a warning is logged if others can read it."""
    if folder.resolve() == var_dir().resolve():
        secure_folder(folder)
    else:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if stat.S_IMODE(folder.stat().st_mode) & 0o077:
                logger.warning("%s can be read by other users: keep the assistant's files owner-only", folder)
        except OSError as exc:
            raise StartupError(f"Cannot prepare {folder}: {exc.strerror or exc}.") from None
    probe_writable(folder)


def _load(what: str, load: Callable[[], object]) -> None:
    from bot.records.errors import RecordsError
    from bot.service_secrets import SecretError

    try:
        load()
    except (RecordsError, SecretError) as exc:
        raise StartupError(str(exc)) from None
    except OSError as exc:
        raise StartupError(f"Cannot load the {what}: {exc.strerror or exc}.") from None


def _sqlite_folder(url: str) -> Optional[Path]:
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser().resolve().parent


def action_server_folders() -> list:
    """Every folder the action server keeps files in: var/, the records
    database's (SQLite), and the key and token files'."""
    from bot.records import db
    from bot.records.crypto import key_file_path
    from bot.records.drafts import drafts_key_path
    from bot.service_secrets import ACTION_SERVER_TOKEN

    folders = [var_dir(), _sqlite_folder(db.database_url()), key_file_path().parent, drafts_key_path().parent,
               ACTION_SERVER_TOKEN.path(os.environ).parent]
    return list(dict.fromkeys(f.resolve() for f in folders if f is not None))


def rasa_server_folders(endpoints: Optional[Path] = None) -> list:
    """var/ and the conversation store's folder (SQLite)."""
    from bot.conversations import tracker_store_url

    folders = [var_dir()]
    try:
        folders.append(_sqlite_folder(str(tracker_store_url(endpoints))))
    except (OSError, ValueError):
        pass
    return list(dict.fromkeys(f.resolve() for f in folders if f is not None))


def check_action_server(folder: Optional[Path] = None) -> None:
    """The action server files records: their key, the drafts key and the
    shared secret must all be usable, and its folders owner-only."""
    from bot.records.crypto import load_cipher
    from bot.records.drafts import load_draft_cipher
    from bot.service_secrets import ACTION_SERVER_TOKEN

    for each in [folder] if folder else action_server_folders():
        prepare(each)
    _load("records key", load_cipher)
    _load("drafts key", load_draft_cipher)
    _load("action server token", ACTION_SERVER_TOKEN.load)


def check_rasa_server(folder: Optional[Path] = None, endpoints: Optional[Path] = None) -> None:
    """The Rasa server writes the conversation store (var/trackers.db)."""
    for each in [folder] if folder else rasa_server_folders(endpoints):
        prepare(each)
