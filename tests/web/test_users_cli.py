"""`python -m bot users ...` on SQLite and PostgreSQL."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest

from bot import paths
from bot.__main__ import main
from bot.records import db
from bot.web.review_users import StaffDirectory

PASSWORD = "first admin passphrase"


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*args: str, stdin: str | None = None, prompts: list | None = None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        if prompts is not None:
            answers = iter(prompts)
            monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
        code = main(["users", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def accounts(database_url):
    engine = db.make_engine(database_url)
    yield StaffDirectory(db.make_session_factory(engine))
    engine.dispose()


def test_create_admin_from_stdin_then_refuses_a_second(cli, accounts):
    code, out, err = cli("create-admin", "--username", "IT.Admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert (code, out, err) == (0, "created it.admin (admin)\n", "")
    assert accounts.authenticate("it.admin", PASSWORD).roles == {"admin"}
    code, _out, err = cli("create-admin", "--username", "another", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 2 and "already exists" in err
    assert accounts.by_username("another") is None


def test_create_admin_with_a_prompt(cli, accounts):
    code, out, _err = cli("create-admin", "--username", "it", "--display-name", "School IT", prompts=[PASSWORD, PASSWORD])
    assert code == 0 and accounts.by_username("it").display_name == "School IT"


def test_mismatched_prompts_change_nothing(cli, accounts):
    code, _out, err = cli("create-admin", "--username", "it", prompts=[PASSWORD, PASSWORD + "x"])
    assert code == 2 and "differ" in err and accounts.by_username("it") is None


def test_a_short_password_is_refused_without_echoing_it(cli, accounts):
    code, out, err = cli("create-admin", "--username", "it", "--password-stdin", stdin="hunter2\n")
    assert code == 2 and "at least 12" in err and "hunter2" not in err + out
    assert accounts.list() == []


def test_add_list_set_password_roles_deactivate(cli, accounts):
    assert cli("add", "--username", "head", "--role", "head_teacher", "--display-name", "Mrs J. Example", "--password-stdin", stdin=PASSWORD)[0] == 0
    assert cli("add", "--username", "office", "--role", "office", "--password-stdin", stdin=PASSWORD)[0] == 0
    code, out, _err = cli("list")
    assert code == 0 and out.splitlines() == ["head\tMrs J. Example\thead_teacher\tactive", "office\toffice\toffice\tactive"]
    assert PASSWORD not in out

    assert cli("set-password", "--username", "office", "--password-stdin", stdin="a new office passphrase\n")[0] == 0
    assert accounts.authenticate("office", "a new office passphrase") is not None
    assert cli("set-roles", "--username", "office", "--role", "office", "--role", "dsl")[1] == "office now has: dsl, office\n"
    assert cli("deactivate", "--username", "office")[0] == 0
    assert accounts.authenticate("office", "a new office passphrase") is None
    assert "deactivated" in cli("list")[1]
    assert cli("reactivate", "--username", "office")[0] == 0
    assert accounts.by_username("office").active


def test_unknown_accounts_and_roles(cli):
    code, _out, err = cli("set-password", "--username", "ghost", "--password-stdin", stdin=PASSWORD)
    assert code == 2 and "no account called 'ghost'" in err
    assert cli("deactivate", "--username", "ghost")[0] == 2
    with pytest.raises(SystemExit):
        cli("add", "--username", "x1", "--role", "caretaker")


def test_the_command_runs_as_a_module(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "users", "create-admin", "--username", "it", "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, cwd=paths.PROJECT_ROOT, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "created it (admin)\n"
    listed = subprocess.run(
        [sys.executable, "-m", "bot", "users", "list"], capture_output=True, text=True, cwd=paths.PROJECT_ROOT, env=env, timeout=120,
    )
    assert listed.stdout == "it\tit\tadmin\tactive\n"
