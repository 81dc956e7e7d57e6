"""The action server's door to the records store (bot/records).

`RecordsClient` opens the repository on first use (never at import), runs
every database call in a worker thread so the action server's event loop is
never blocked, and turns any failure to open or reach the database into
`RecordsUnavailable`. It also seals the answers of a filing conversation
while it runs: they travel in slots, and the tracker store must only ever see
them encrypted.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import threading
from typing import Any, Callable, Optional, TypeVar

from bot.records.errors import RecordsError, RecordsUnavailable

logger = logging.getLogger(__name__)

T = TypeVar("T")


class RecordsClient:
    def __init__(self, open_repository: Optional[Callable[[], Any]] = None, load_cipher: Optional[Callable[[], Any]] = None):
        self._open_repository = open_repository or _open_repository
        self._load_cipher = load_cipher or _load_cipher
        self._repository: Any = None
        self._cipher: Any = None
        self._lock = threading.Lock()

    # --- the repository ---------------------------------------------------------------

    def _repo(self) -> Any:
        with self._lock:
            if self._repository is None:
                try:
                    self._repository = self._open_repository()
                except RecordsError:
                    raise
                except Exception as exc:  # database down, bad URL, migration failure
                    logger.error("records: cannot open the records database: %s", type(exc).__name__)
                    raise RecordsUnavailable() from None
            return self._repository

    async def _in_thread(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(work, *args, **kwargs))

    async def file(self, **kwargs: Any) -> Any:
        """`RecordRepository.file(**kwargs)` in a worker thread."""
        return await self._in_thread(lambda: self._repo().file(**kwargs))

    # --- sealing answers while the conversation runs ------------------------------------------

    def _cipher_now(self) -> Any:
        with self._lock:
            if self._cipher is None:
                self._cipher = self._load_cipher()
            return self._cipher

    def seal(self, text: str) -> str:
        return self._cipher_now().encrypt(text)

    def unseal(self, token: Optional[str]) -> Optional[str]:
        if token is None:
            return None
        return self._cipher_now().decrypt(token)


def _open_repository() -> Any:
    from bot.records import open_repository

    return open_repository()


def _load_cipher() -> Any:
    from bot.records.crypto import load_cipher

    return load_cipher()


_client: Optional[RecordsClient] = None
_client_lock = threading.Lock()


def records_client() -> RecordsClient:
    """The process's client (created on first use)."""
    global _client
    with _client_lock:
        if _client is None:
            _client = RecordsClient()
        return _client


def use_records_client(client: Optional[RecordsClient]) -> None:
    """Replace the process's client (tests; None resets it)."""
    global _client
    with _client_lock:
        _client = client
