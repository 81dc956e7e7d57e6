"""Copy the chat widget's browser dependency into the web app's static files.

`make widget` runs `npm ci` (exact versions from package-lock.json) and then
this script, which copies socket.io-client's browser build into
`bot/web/static/widget/vendor/` and writes `manifest.json` there with the
versions and checksums. The web app serves the widget from those files: no
CDN, nothing fetched at run time. The vendor folder is build output (not
committed).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "bot" / "web" / "static" / "widget" / "vendor"

# package name -> files to copy (from the package folder, to vendor/)
FILES = {
    "socket.io-client": {"dist/socket.io.min.js": "socket.io.min.js", "LICENSE": "socket.io-client.LICENSE"},
}


def locked_version(lock: dict, package: str) -> str:
    entry = lock.get("packages", {}).get(f"node_modules/{package}")
    if not entry:
        raise SystemExit(f"{package} is not in package-lock.json")
    return entry["version"]


def main() -> int:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    VENDOR.mkdir(parents=True, exist_ok=True)
    manifest = {"versions": {}, "files": {}}
    for package, files in FILES.items():
        folder = NODE_MODULES / package
        try:
            installed = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
        except OSError:
            print(f"{folder} is missing: run `npm ci` first (make widget does)", file=sys.stderr)
            return 1
        wanted = locked_version(lock, package)
        if installed != wanted:
            print(f"{package} {installed} is installed but package-lock.json pins {wanted}: run `npm ci`", file=sys.stderr)
            return 1
        manifest["versions"][package] = installed
        for source, target in files.items():
            shutil.copyfile(folder / source, VENDOR / target)
            digest = hashlib.sha256((VENDOR / target).read_bytes()).hexdigest()
            manifest["files"][target] = {"from": f"{package}/{source}", "sha256": digest}
    (VENDOR / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print("widget vendor files:", ", ".join(f"{p} {v}" for p, v in manifest["versions"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
