"""deploy/systemd: every service runs as the dedicated non-root user, with
owner-only files, restarted on failure, and starts a command that exists."""
from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from bot.__main__ import main

SYSTEMD = Path(__file__).resolve().parents[1] / "deploy" / "systemd"
SERVICES = sorted(SYSTEMD.glob("*.service"))


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_there_is_a_unit_for_each_service_and_the_retention_run():
    assert {p.name for p in SERVICES} == {
        "safeguarding-rasa.service", "safeguarding-actions.service", "safeguarding-web.service", "safeguarding-prune.service",
    }


@pytest.mark.parametrize("path", SERVICES, ids=[p.name for p in SERVICES])
def test_each_runs_as_the_dedicated_user_with_owner_only_files(path):
    service = unit(path)["Service"]
    assert service["User"] == "safeguarding" and service["Group"] == "safeguarding"
    assert service["UMask"] == "0077"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/opt/safeguarding-assistant/var"


@pytest.mark.parametrize("path", SERVICES, ids=[p.name for p in SERVICES])
def test_each_starts_a_real_command(path, capsys):
    argv = shlex.split(unit(path)["Service"]["ExecStart"])
    assert argv[:3] == ["/opt/safeguarding-assistant/.venv/bin/python", "-m", "bot"]
    with pytest.raises(SystemExit) as done:
        main(argv[3:] + ["--help"])
    assert done.value.code == 0


@pytest.mark.parametrize("name", ["safeguarding-rasa", "safeguarding-actions", "safeguarding-web"])
def test_the_servers_are_restarted_on_failure_each_on_its_own(name):
    service = unit(SYSTEMD / f"{name}.service")
    assert service["Service"]["Restart"] == "on-failure"
    assert service["Unit"]["PartOf"] == "safeguarding-assistant.target"


def test_systemd_accepts_the_units(tmp_path):
    import shutil
    import subprocess
    import sys

    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed")
    for path in SYSTEMD.iterdir():
        text = path.read_text(encoding="utf-8").replace("/opt/safeguarding-assistant/.venv/bin/python", sys.executable)
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
