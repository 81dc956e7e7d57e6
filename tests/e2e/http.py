"""Small HTTP helpers for the end-to-end tests (the standard library only:
what a script or integration would use)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Dict, Optional, Tuple


def request(
    url: str,
    body: Any = None,
    *,
    raw: Optional[bytes] = None,
    method: Optional[str] = None,
    content_type: Optional[str] = "application/json",
    headers: Optional[Dict[str, str]] = None,
    timeout: float = 60,
) -> Tuple[int, Any]:
    """(status, parsed JSON or text) for any answer, errors included."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    all_headers = dict(headers or {})
    if content_type and data is not None:
        all_headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, payload = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read()
    text = payload.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def say(stack, sender: str, message: str, **kwargs: Any) -> Tuple[int, Any]:
    return request(stack.rest_webhook, {"sender": sender, "message": message}, **kwargs)


def texts(turn: Any) -> str:
    return " ".join(m.get("text") or "" for m in turn) if isinstance(turn, list) else str(turn)


def custom(turn: Any, key: str) -> list:
    if not isinstance(turn, list):
        return []
    return [(m.get("custom") or {}).get(key) for m in turn if (m.get("custom") or {}).get(key) is not None]
