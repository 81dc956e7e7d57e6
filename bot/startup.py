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


def _load(what: str, load: Callable[[], object]) -> None:
    from bot.records.errors import RecordsError
    from bot.service_secrets import SecretError

    try:
        load()
    except (RecordsError, SecretError) as exc:
        raise StartupError(str(exc)) from None
    except OSError as exc:
        raise StartupError(f"Cannot load the {what}: {exc.strerror or exc}.") from None


def check_action_server(folder: Optional[Path] = None) -> None:
    """The action server files records: their key, the drafts key and the
    shared secret must all be usable."""
    from bot.records.crypto import load_cipher
    from bot.records.drafts import load_draft_cipher
    from bot.service_secrets import ACTION_SERVER_TOKEN

    folder = folder or var_dir()
    secure_folder(folder)
    probe_writable(folder)
    _load("records key", load_cipher)
    _load("drafts key", load_draft_cipher)
    _load("action server token", ACTION_SERVER_TOKEN.load)


def check_rasa_server(folder: Optional[Path] = None) -> None:
    """The Rasa server writes the conversation store (var/trackers.db)."""
    folder = folder or var_dir()
    secure_folder(folder)
    probe_writable(folder)
