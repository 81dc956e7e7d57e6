"""Shared secrets between the assistant's own processes.

| secret | protects | from |
| --- | --- | --- |
| action server token | the action server (:5055): Rasa sends it as `Authorization: Bearer`, every other caller is refused | `ACTION_SERVER_TOKEN`, else the file `ACTION_SERVER_TOKEN_FILE` (default `var/action-server.token`) |
| Rasa API token | Rasa's HTTP API, only when it is switched on (`RASA_ENABLE_API=true`) | `RASA_API_TOKEN`, else the file `RASA_API_TOKEN_FILE` (default `var/rasa-api.token`) |

A token file is created on first use with 32 random bytes, owner-only
(0600), atomically (two processes starting together read the same token).
A file that group or others can read, or that belongs to another user, is
refused, like the records key. To rotate a token, stop the assistant,
delete the file (or change the variable) and start it again.
"""
from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from bot.paths import PROJECT_ROOT

MIN_TOKEN_CHARS = 24


class SecretError(RuntimeError):
    """A secret is missing, unreadable, too short or too widely readable."""


@dataclass(frozen=True)
class Secret:
    env: str
    file_env: str
    default_file: str
    what: str

    def path(self, env: Mapping[str, str]) -> Path:
        value = (env.get(self.file_env) or "").strip()
        return Path(value).expanduser() if value else PROJECT_ROOT / "var" / self.default_file

    def load(self, environ: Optional[Mapping[str, str]] = None, *, create: bool = True) -> str:
        env = os.environ if environ is None else environ
        value = (env.get(self.env) or "").strip()
        if value:
            if len(value) < MIN_TOKEN_CHARS:
                raise SecretError(f"{self.env} is too short to be a secret: use at least {MIN_TOKEN_CHARS} random characters.")
            return value
        path = self.path(env)
        if not path.exists():
            if not create:
                raise SecretError(f"No {self.what}: set {self.env} or create {path}.")
            _create(path)
        return _read(path, self.what)


ACTION_SERVER_TOKEN = Secret("ACTION_SERVER_TOKEN", "ACTION_SERVER_TOKEN_FILE", "action-server.token", "action server token")
RASA_API_TOKEN = Secret("RASA_API_TOKEN", "RASA_API_TOKEN_FILE", "rasa-api.token", "Rasa API token")


def _create(path: Path) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, (secrets.token_urlsafe(32) + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use that one
        finally:
            temporary.unlink()
    except OSError as exc:
        raise SecretError(f"Cannot create {path}: {exc.strerror or exc}.") from None


def _read(path: Path, what: str) -> str:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SecretError(f"The {what} file {path} is not a regular file.")
        if info.st_mode & 0o077:
            raise SecretError(
                f"The {what} file {path} can be read by other users (mode {stat.S_IMODE(info.st_mode):04o}): "
                f"refusing to use it. Delete it and restart, and a new one is made owner-only."
            )
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise SecretError(f"The {what} file {path} belongs to another user; refusing to use it.")
        value = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError(f"Cannot read the {what} file {path}: {exc}.") from None
    if len(value) < MIN_TOKEN_CHARS:
        raise SecretError(f"The {what} in {path} is too short: delete the file and restart to make a new one.")
    return value
