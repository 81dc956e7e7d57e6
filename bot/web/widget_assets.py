"""widget.js as the web app serves it: the vendored socket.io client and the
widget's own script in one file, so a school embeds the widget with one tag.

The socket.io client is copied from the npm package into
`static/widget/vendor/` by `scripts/build_widget.py` (`make widget`). Here it
is wrapped so that it defines nothing on the host page (no global `io`, and
no clash with a page that uses an AMD loader): the widget finds it in the
same closure.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple

STATIC_DIR = Path(__file__).resolve().parent / "static" / "widget"
VENDOR_DIR = STATIC_DIR / "vendor"
SOCKET_IO = VENDOR_DIR / "socket.io.min.js"
MANIFEST = VENDOR_DIR / "manifest.json"
WIDGET_SOURCE = STATIC_DIR / "widget.js"


class MissingBuild(RuntimeError):
    """The vendored files are missing: run `make widget`."""


@dataclass(frozen=True)
class Bundle:
    body: bytes
    etag: str


_cache: dict = {}


def _stamp(*paths: Path) -> Tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


def vendored_versions() -> dict:
    """{"socket.io-client": "4.8.3", ...} from the build's manifest."""
    try:
        return json.loads(MANIFEST.read_text(encoding="utf-8")).get("versions", {})
    except (OSError, ValueError):
        return {}


def widget_bundle(vendor: Optional[Path] = None, source: Optional[Path] = None) -> Bundle:
    """The served widget.js (rebuilt when either file changes)."""
    vendor = vendor or SOCKET_IO
    source = source or WIDGET_SOURCE
    if not vendor.exists():
        raise MissingBuild(f"{vendor} is missing: run `make widget` (npm ci and scripts/build_widget.py)")
    key = _stamp(vendor, source)
    cached = _cache.get("bundle")
    if cached and cached[0] == key:
        return cached[1]
    versions = vendored_versions()
    banner = "/*! Safeguarding assistant chat widget; includes socket.io-client %s (MIT licence) */\n" % (
        versions.get("socket.io-client", "")
    )
    text = (
        banner
        + "(function () {\n"
        + "var module = { exports: {} }, exports = module.exports, define;\n"
        + vendor.read_text(encoding="utf-8")
        + "\n;var io = module.exports;\n"
        + source.read_text(encoding="utf-8")
        + "\n})();\n"
    )
    body = text.encode("utf-8")
    bundle = Bundle(body=body, etag='"%s"' % hashlib.sha256(body).hexdigest()[:32])
    _cache["bundle"] = (key, bundle)
    return bundle
