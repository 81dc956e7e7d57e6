"""Security headers and CORS for the widget, its API and the demo pages.

Everything the web app serves outside `/review` (the staff pages set their
own) gets:

- a Content-Security-Policy with no inline script or style: scripts, styles,
  images and fonts from this app only, connections to this app and to the
  Rasa socket.io address, and `frame-ancestors` limited to this app and the
  configured intranet origins;
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and a
  Permissions-Policy that turns off camera, microphone and location.

The widget script, its files and the JSON API answer cross-origin requests
(CORS) from the configured intranet origins only.
"""
from __future__ import annotations

from typing import Iterable, MutableMapping, Optional
from urllib.parse import urlsplit

REVIEW_PREFIX = "/review"
CORS_PREFIXES = ("/widget.js", "/widget/", "/api/")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def socket_sources(socket_url: str) -> str:
    """The connect-src entries for socket.io: http(s) for polling, ws(s) for
    WebSocket."""
    origin = _origin(socket_url)
    if not origin:
        return ""
    ws = "wss" + origin[5:] if origin.startswith("https") else "ws" + origin[4:]
    return f"{origin} {ws}"


def content_security_policy(socket_url: str, frame_origins: Iterable[str]) -> str:
    connect = " ".join(part for part in ("'self'", socket_sources(socket_url)) if part)
    ancestors = " ".join(dict.fromkeys(["'self'", *frame_origins]))
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src {connect}",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )


def applies_to(path: str) -> bool:
    return not (path == REVIEW_PREFIX or path.startswith(REVIEW_PREFIX + "/"))


def security_headers(csp: str) -> dict:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


def cors_headers(path: str, origin: Optional[str], allowed: Iterable[str]) -> dict:
    """Access-Control-Allow-Origin for a configured origin on the widget's
    files and API; nothing for anyone else."""
    if not path.startswith(CORS_PREFIXES):
        return {}
    headers = {"Vary": "Origin"}
    if origin and origin.rstrip("/") in set(allowed):
        headers["Access-Control-Allow-Origin"] = origin.rstrip("/")
    return headers


def apply(headers: MutableMapping[str, str], extra: dict) -> None:
    for name, value in extra.items():
        if name not in headers:
            headers[name] = value
