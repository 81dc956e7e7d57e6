"""Start the whole stack (Rasa server, action server, web app) for a test.

Every process runs from the project folder (the model config names the spaCy
pipeline by a relative path) with its temporary directory, home, logs,
tracker store, records database and key file inside one folder, so a test
can search "every file the stack wrote" there. The trained model, domain and
credentials are read from the project.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "assistant.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    folder: Path
    rasa_port: int
    actions_port: int
    web_port: int
    env: Dict[str, str]
    api_token: str = ""
    commands: Dict[str, List[str]] = field(default_factory=dict)
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    started_at: float = 0.0

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def rest_webhook(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    def api(self, path: str) -> str:
        """A Rasa HTTP API address with the stack's API token."""
        return f"{self.rasa_url}{path}{'&' if '?' in path else '?'}token={self.api_token}"

    def log(self, name: str) -> str:
        path = self.folder / "logs" / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def written_files(self) -> List[Path]:
        """Every file in the stack's folder, plus every file in the project
        (outside .git and the virtual environment) changed since the start."""
        found = [path for path in self.folder.rglob("*") if path.is_file()]
        for path in ROOT.rglob("*"):
            parts = path.relative_to(ROOT).parts
            if parts and parts[0] in {".git", ".venv", "node_modules"}:
                continue
            try:
                if path.is_file() and path.stat().st_mtime >= self.started_at:
                    found.append(path)
            except OSError:
                continue
        return found

    def health_url(self, name: str) -> str:
        port = {"rasa": self.rasa_port, "actions": self.actions_port, "web": self.web_port}[name]
        return f"http://127.0.0.1:{port}/health"

    def launch(self, name: str) -> None:
        with open(self.folder / "logs" / f"{name}.log", "ab") as log:
            self.processes[name] = subprocess.Popen(
                self.commands[name], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def kill(self, name: str) -> None:
        """Kill one service at once (SIGKILL: no clean shutdown)."""
        proc = self.processes[name]
        if proc.poll() is None:
            proc.kill()
        proc.wait()

    def restart(self, name: str, timeout: float = 180) -> None:
        """Start a service that was killed again, and wait until it answers."""
        self.launch(name)
        _wait(self.health_url(name), self.processes[name], name, time.monotonic() + timeout)

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 20
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _endpoints(folder: Path, actions_port: int) -> Path:
    path = folder / "endpoints.yml"
    text = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    text = text.replace("http://localhost:5055/webhook", f"http://127.0.0.1:{actions_port}/webhook")
    text = text.replace("var/trackers.db", str(folder / "var" / "trackers.db"))
    if str(folder) not in text:
        raise RuntimeError("endpoints.yml changed shape: update tests/e2e/stack.py")
    path.write_text(text, encoding="utf-8")
    return path


def _wait(url: str, proc: subprocess.Popen, name: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{name} was not ready at {url} in time")


def start_stack(
    folder: Path, extra_env: Optional[Dict[str, str]] = None, timeout: float = 180, enable_api: bool = True
) -> Stack:
    """The stack as `make run` starts it (the same launchers), in `folder`.
    Rasa's HTTP API is on, with a token, so that tests can read trackers;
    `make run` leaves it off."""
    if not MODEL.exists():
        raise RuntimeError(f"no trained model at {MODEL}: run `make model` first")
    for sub in ("logs", "var", "tmp", "work"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    web_origin = f"http://127.0.0.1:{web_port}"
    env = {
        **os.environ,
        "TMPDIR": str(folder / "tmp"),
        "HOME": str(folder / "work"),
        "DATABASE_URL": f"sqlite:///{folder / 'var' / 'records.db'}",
        "RECORDS_KEY_FILE": str(folder / "var" / "records.key"),
        "WEB_PORT": str(web_port),
        "WEB_HOST": "127.0.0.1",
        "WEB_PUBLIC_URL": web_origin,
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "WIDGET_ALLOWED_ORIGINS": f"{web_origin},http://localhost:{web_port}",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
        "SANIC_HOST": "127.0.0.1",
        "DRAFTS_KEY_FILE": str(folder / "var" / "drafts.key"),
        "ACTION_SERVER_TOKEN_FILE": str(folder / "var" / "action-server.token"),
        "ACTIONS_PORT": str(actions_port),
        "RASA_PORT": str(rasa_port),
        "RASA_MODEL": str(MODEL),
        "RASA_ENDPOINTS": str(folder / "endpoints.yml"),
        "RASA_CREDENTIALS": str(ROOT / "credentials.yml"),
        "RASA_LOG_FILE": str(folder / "logs" / "rasa-file.log"),
    }
    for name in ("RECORDS_KEY", "RECORDS_OLD_KEYS", "DRAFTS_KEY", "ACTION_SERVER_TOKEN", "RASA_API_TOKEN", "RASA_ENABLE_API"):
        env.pop(name, None)
    api_token = secrets.token_urlsafe(24)
    if enable_api:
        env.update({"RASA_ENABLE_API": "true", "RASA_API_TOKEN": api_token})
    env.update(extra_env or {})
    stack = Stack(folder, rasa_port, actions_port, web_port, env, api_token=api_token)
    stack.started_at = time.time() - 1
    _endpoints(folder, actions_port)
    python = str(VENV_BIN / "python")
    commands = {
        "actions": [python, "-m", "bot", "serve-actions"],
        "rasa": [python, "-m", "bot", "serve-rasa"],
        "web": [python, "-m", "bot", "web"],
    }
    stack.commands = commands
    try:
        for name in commands:
            stack.launch(name)
        deadline = time.monotonic() + timeout
        for name in ("actions", "web", "rasa"):
            _wait(stack.health_url(name), stack.processes[name], name, deadline)
    except BaseException:
        stack.stop()
        raise
    return stack
