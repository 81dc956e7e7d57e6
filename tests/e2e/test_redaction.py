"""A disclosure filed through the running stack leaves no plain text of what
the person typed anywhere the stack wrote: tracker store, logs, temporary
files, the project folder. Only the encrypted records store holds it (and the
export, which decrypts, shows it)."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import uuid

import pytest

from e2e.stack import MODEL, ROOT, start_stack


def _say(stack, sender: str, text: str) -> list:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(stack.rest_webhook, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as resp:
        return json.loads(resp.read())


def _texts(turn: list) -> str:
    return " ".join(m.get("text") or "" for m in turn)


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make model` (make test does)")
    stack = start_stack(tmp_path_factory.mktemp("redaction-stack"))
    yield stack
    stack.stop()


def test_a_filed_disclosure_is_kept_only_encrypted(own_stack):
    stack = own_stack
    tag = uuid.uuid4().hex[:10]
    secrets = {
        "opening": f"I want to report a teacher who keeps messaging a boy in Year 5 about the zorbex{tag} club",
        "account": f"Mr Quillfeather{tag} has been sending my son private messages on Instagram late at night",
        "name": f"Perpetua Vanterpool{tag}",
        "contact": f"pv{tag}@example.org",
    }
    sender = f"redaction-{tag}"  # the tracker's id is rest:<sender>
    turn = _say(stack, sender, secrets["opening"])
    assert "are you a parent or carer" in _texts(turn), turn
    turn = _say(stack, sender, '/inform{"filer_role": "parent"}')
    assert "describe what happened" in _texts(turn), turn
    turn = _say(stack, sender, secrets["account"])
    assert "your name" in _texts(turn), turn
    turn = _say(stack, sender, secrets["name"])
    assert "email address or phone number" in _texts(turn), turn
    turn = _say(stack, sender, secrets["contact"])
    assert secrets["account"] in _texts(turn), turn  # the read-back
    turn = _say(stack, sender, "/affirm")
    references = [(m.get("custom") or {}).get("reference") for m in turn if (m.get("custom") or {}).get("reference")]
    assert len(references) == 1, turn
    # after filing, the conversation goes on as usual (and is kept as usual)
    _say(stack, sender, f"thanks, that is all from plainword{tag}")

    # the export (decrypting) shows the record, so the secrets were stored
    export = subprocess.run(
        [sys.executable, "-m", "bot", "records", "export", "--json"],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=120, check=True,
    )
    [record] = [r for r in json.loads(export.stdout) if r["reference"] == references[0]]
    assert secrets["account"] in record["account"] and secrets["opening"] in record["account"]
    assert (record["filer_name"], record["filer_contact"]) == (secrets["name"], secrets["contact"])

    stack.stop()  # every process has flushed and closed its files
    files = stack.written_files()
    names = {path.name for path in files}
    assert {"trackers.db", "records.db", "rasa.log", "actions.log", "web.log"} <= names, names
    trackers = next(path for path in files if path.name == "trackers.db").read_bytes()
    assert sender.encode() in trackers and f"plainword{tag}".encode() in trackers  # the store was used
    assert references[0].encode() in trackers  # the reference is not secret

    leaks = []
    for path in files:
        data = path.read_bytes()
        for label, secret in secrets.items():
            unique_word = next(word for word in secret.split() if tag in word)
            for needle in (secret, unique_word):
                if needle.encode() in data or needle.encode("utf-16-le") in data:
                    leaks.append((str(path), label))
    assert not leaks, f"plain text found outside the encrypted store: {sorted(set(leaks))}"
