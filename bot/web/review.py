"""Staff review pages (login, roles, records, status changes, audit trail).

Placeholder while the review app is built: registers nothing yet."""
from __future__ import annotations

from typing import Any


def register(app: Any, settings: Any) -> None:
    return None
