"""`make run`'s process supervisor (`python -m bot run`).

Starts the Rasa server, the action server and the web app, each supervised
on its own: a service that exits is reported and restarted (after 1 s, then
2, 4 ... up to 30 s while it keeps failing; back to 1 s once it has run for a
minute), and the others keep serving. When every service answers its health
check the supervisor says where the assistant is; after a restart it says
when the service is back. Ctrl-C (or SIGTERM) stops them all.

On a server, use the systemd units in deploy/ instead: systemd does the same
for each service.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Mapping, Optional, Sequence, TextIO


@dataclass
class Service:
    name: str
    command: List[str]
    health_url: Optional[str] = None


@dataclass
class _State:
    service: Service
    process: Optional[subprocess.Popen] = None
    started_at: float = 0.0
    restarts: int = 0
    backoff: float = 0.0
    restart_at: Optional[float] = None
    ready: bool = False
    was_ready: bool = False


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200
    except OSError:
        return False


@dataclass
class Supervisor:
    services: Sequence[Service]
    env: Optional[Mapping[str, str]] = None
    cwd: Optional[str] = None
    out: TextIO = sys.stdout
    min_backoff: float = 1.0
    max_backoff: float = 30.0
    stable_after: float = 60.0
    clock: Callable[[], float] = time.monotonic
    check: Callable[[str], bool] = healthy
    on_all_ready: Optional[Callable[[], None]] = None
    states: Dict[str, _State] = field(default_factory=dict)
    announced: bool = False

    def say(self, text: str) -> None:
        print(f"[supervisor] {text}", file=self.out, flush=True)

    # --- one service -----------------------------------------------------------

    def _start(self, state: _State) -> None:
        state.process = subprocess.Popen(
            state.service.command,
            cwd=self.cwd,
            env=dict(self.env) if self.env is not None else None,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches the supervisor, which stops each in turn
        )
        state.started_at = self.clock()
        state.restart_at = None
        state.ready = False

    def start(self) -> None:
        for service in self.services:
            state = self.states.setdefault(service.name, _State(service))
            self._start(state)
            self.say(f"started {service.name} (pid {state.process.pid})")

    def _exited(self, state: _State, code: int) -> None:
        now = self.clock()
        ran = now - state.started_at
        if ran >= self.stable_after:
            state.backoff = 0.0
        state.backoff = self.min_backoff if state.backoff == 0 else min(self.max_backoff, state.backoff * 2)
        state.restart_at = now + state.backoff
        state.restarts += 1
        state.process = None
        state.ready = False
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        self.say(
            f"{state.service.name} {how} after {ran:.0f} s; restarting it in {state.backoff:.0f} s "
            f"(restart {state.restarts}). The other services keep running."
        )

    def poll(self) -> None:
        """Restart what has exited (once its back-off has passed) and note
        what has become ready."""
        now = self.clock()
        for state in self.states.values():
            if state.process is not None:
                code = state.process.poll()
                if code is not None:
                    self._exited(state, code)
            elif state.restart_at is not None and now >= state.restart_at:
                self._start(state)
                self.say(f"restarted {state.service.name} (pid {state.process.pid})")
            if state.process is not None and not state.ready:
                url = state.service.health_url
                if url is None or self.check(url):
                    state.ready = True
                    if state.was_ready:
                        self.say(f"{state.service.name} is back and answering at {url}")
                    else:
                        self.say(f"ready: {state.service.name}" + (f" at {url}" if url else ""))
                    state.was_ready = True
        if not self.announced and self.states and all(s.ready for s in self.states.values()):
            self.announced = True
            if self.on_all_ready:
                self.on_all_ready()

    def stop(self, grace: float = 20.0) -> None:
        running = [s.process for s in self.states.values() if s.process is not None and s.process.poll() is None]
        for process in running:
            try:
                process.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for state in self.states.values():
            state.process = None
            state.restart_at = None

    def run(self, interval: float = 0.5) -> int:
        stopping = {"now": False}

        def request_stop(*_: object) -> None:
            stopping["now"] = True

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            while not stopping["now"]:
                self.poll()
                time.sleep(interval)
        finally:
            self.say("stopping every service")
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0


def assistant_services(python: str = sys.executable, environ: Optional[Mapping[str, str]] = None) -> List[Service]:
    """The three services of `make run`, on the ports their settings name."""
    env = os.environ if environ is None else environ
    rasa_port = env.get("RASA_PORT") or "5005"
    actions_port = env.get("ACTIONS_PORT") or "5055"
    web_port = env.get("WEB_PORT") or "8000"
    return [
        Service("rasa", [python, "-m", "bot", "serve-rasa"], f"http://127.0.0.1:{rasa_port}/health"),
        Service("actions", [python, "-m", "bot", "serve-actions"], f"http://127.0.0.1:{actions_port}/health"),
        Service("web", [python, "-m", "bot", "web"], f"http://127.0.0.1:{web_port}/health"),
    ]


def banner(environ: Optional[Mapping[str, str]] = None) -> str:
    env = os.environ if environ is None else environ
    web_port = env.get("WEB_PORT") or "8000"
    rasa_port = env.get("RASA_PORT") or "5005"
    return (
        f"The assistant is running. Try the chat widget on the demo intranet page: "
        f"http://localhost:{web_port}/demo (REST for integrations: POST "
        f"http://localhost:{rasa_port}/webhooks/rest/webhook with Content-Type: application/json and "
        '{"sender": "me", "message": "hello"}). Ctrl-C stops everything.'
    )
