"""`make run`'s supervisor: a service that dies is reported and restarted on
its own; the others keep running (real child processes)."""
from __future__ import annotations

import io
import os
import signal
import sys
import time

from bot.supervisor import Supervisor, Service, assistant_services

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]


def wait_for(condition, timeout=15.0, poll=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if poll:
            poll()
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_service_that_dies_is_restarted_and_the_others_keep_serving(tmp_path):
    crash_once = tmp_path / "crashed"
    crasher = [
        sys.executable, "-c",
        f"import os, sys, time\nif not os.path.exists({str(crash_once)!r}):\n"
        f"    open({str(crash_once)!r}, 'w').close(); sys.exit(3)\ntime.sleep(600)",
    ]
    out = io.StringIO()
    sup = Supervisor([Service("rasa", crasher), Service("actions", SLEEPER), Service("web", SLEEPER)], out=out, min_backoff=0.1)
    try:
        sup.start()
        others = {name: sup.states[name].process.pid for name in ("actions", "web")}
        first = sup.states["rasa"].process.pid
        assert wait_for(lambda: sup.states["rasa"].restarts == 1 and sup.states["rasa"].process is not None, poll=sup.poll)
        assert sup.states["rasa"].process.pid != first
        assert {name: sup.states[name].process.pid for name in others} == others
        assert all(sup.states[name].process.poll() is None for name in others)
        log = out.getvalue()
        assert "rasa exited with code 3" in log and "restarting it in" in log and "The other services keep running" in log
        assert "restarted rasa" in log
    finally:
        sup.stop(grace=5)
    assert all(state.process is None for state in sup.states.values())


def test_a_killed_service_is_reported_with_its_signal_and_restarted():
    out = io.StringIO()
    sup = Supervisor([Service("actions", SLEEPER), Service("web", SLEEPER)], out=out, min_backoff=0.1)
    try:
        sup.start()
        victim = sup.states["actions"].process.pid
        web = sup.states["web"].process.pid
        os.kill(victim, signal.SIGKILL)
        assert wait_for(lambda: sup.states["actions"].process is not None and sup.states["actions"].process.pid != victim, poll=sup.poll)
        assert "actions was killed by signal 9" in out.getvalue()
        assert sup.states["web"].process.pid == web
    finally:
        sup.stop(grace=5)


def test_a_service_that_keeps_failing_backs_off_up_to_a_limit():
    now = [0.0]
    out = io.StringIO()
    sup = Supervisor([Service("web", [sys.executable, "-c", "raise SystemExit(1)"])], out=out,
                     min_backoff=1, max_backoff=4, clock=lambda: now[0])
    sup.start()
    delays = []
    for _ in range(5):
        sup.states["web"].process.wait()
        sup.poll()  # notices the exit
        delays.append(sup.states["web"].backoff)
        now[0] += sup.states["web"].backoff
        sup.poll()  # restarts it
    sup.stop(grace=1)
    assert delays == [1, 2, 4, 4, 4]


def test_readiness_is_announced_once_every_service_answers_and_again_after_a_restart():
    healthy = {"http://a/health": False, "http://b/health": True}
    announced = []
    out = io.StringIO()
    sup = Supervisor(
        [Service("a", SLEEPER, "http://a/health"), Service("b", SLEEPER, "http://b/health")],
        out=out, min_backoff=0.05, check=lambda url: healthy[url], on_all_ready=lambda: announced.append(True),
    )
    try:
        sup.start()
        sup.poll()
        assert announced == [] and "ready: b" in out.getvalue()
        healthy["http://a/health"] = True
        sup.poll()
        assert announced == [True]
        os.kill(sup.states["a"].process.pid, signal.SIGKILL)
        assert wait_for(lambda: "a is back and answering" in out.getvalue(), poll=sup.poll)
        assert announced == [True]
    finally:
        sup.stop(grace=5)


def test_the_assistant_runs_three_services_each_with_a_health_check():
    services = assistant_services("python", {"RASA_PORT": "6005"})
    assert [s.name for s in services] == ["rasa", "actions", "web"]
    assert services[0].command == ["python", "-m", "bot", "serve-rasa"]
    assert services[0].health_url == "http://127.0.0.1:6005/health"
    assert all(s.health_url for s in services)
