"""The chat widget: widget.js and assets, the demo page, clause texts.

Placeholder while the widget is built: registers nothing yet."""
from __future__ import annotations

from typing import Any


def register(app: Any, settings: Any) -> None:
    return None
