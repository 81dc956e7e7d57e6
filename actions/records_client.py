"""The action server's door to the records store (bot/records).

`RecordsClient` opens the records repository and the filing drafts store
(bot/records/drafts.py) on first use (never at import), runs every database
call in a worker thread so the action server's event loop is never blocked,
and turns any failure to open or reach the database into
`RecordsUnavailable`. The answers of a filing conversation live in the
drafts store while it runs; the conversation (tracker) only holds the
draft's opaque id.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import threading
from typing import Any, Callable, Optional, Tuple, TypeVar

from bot.records.errors import RecordsError, RecordsUnavailable

logger = logging.getLogger(__name__)

T = TypeVar("T")


class RecordsClient:
    def __init__(self, open_stores: Optional[Callable[[], Tuple[Any, Any]]] = None):
        self._open_stores = open_stores or _open_stores
        self._repository: Any = None
        self._drafts: Any = None
        self._lock = threading.Lock()

    # --- the stores -------------------------------------------------------------------

    def _open(self) -> None:
        with self._lock:
            if self._repository is None:
                try:
                    self._repository, self._drafts = self._open_stores()
                except RecordsError:
                    raise
                except Exception as exc:  # database down, bad URL, migration failure
                    logger.error("records: cannot open the records database: %s", type(exc).__name__)
                    raise RecordsUnavailable() from None

    def _repo(self) -> Any:
        self._open()
        return self._repository

    def _draft_store(self) -> Any:
        self._open()
        return self._drafts

    async def _in_thread(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(work, *args, **kwargs))

    async def file(self, **kwargs: Any) -> Any:
        """`RecordRepository.file(**kwargs)` in a worker thread."""
        return await self._in_thread(lambda: self._repo().file(**kwargs))

    async def add_to(self, idempotency_key: str, **kwargs: Any) -> Any:
        """`RecordRepository.add_to(idempotency_key, **kwargs)` in a worker thread."""
        return await self._in_thread(lambda: self._repo().add_to(idempotency_key, **kwargs))

    # --- the drafts of filing conversations -------------------------------------------

    async def create_draft(self, conversation_id: str, kind: str, opening: Optional[str]) -> str:
        return await self._in_thread(lambda: self._draft_store().create(conversation_id, kind, opening))

    async def draft(self, draft_id: str, conversation_id: str) -> Any:
        return await self._in_thread(lambda: self._draft_store().get(draft_id, conversation_id))

    async def update_draft(self, draft_id: str, conversation_id: str, **changes: Optional[str]) -> Any:
        return await self._in_thread(lambda: self._draft_store().update(draft_id, conversation_id, **changes))

    async def change_draft_kind(self, draft_id: str, conversation_id: str, kind: str) -> None:
        await self._in_thread(lambda: self._draft_store().change_kind(draft_id, conversation_id, kind))

    async def mark_filed(self, draft_id: str, conversation_id: str, reference: str) -> None:
        await self._in_thread(lambda: self._draft_store().mark_filed(draft_id, conversation_id, reference))

    async def discard_draft(self, draft_id: str, conversation_id: str) -> bool:
        return await self._in_thread(lambda: self._draft_store().discard(draft_id, conversation_id))


def _open_stores() -> Tuple[Any, Any]:
    from bot.records import open_stores

    return open_stores()


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
