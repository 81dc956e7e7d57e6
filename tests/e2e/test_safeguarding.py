"""The safeguarding logic through the running stack: who a concern about the
head teacher reaches, a disclosure typed in the middle of another question,
the account filed exactly as typed, what the conversation store keeps of
filing turns, and the files' permissions."""
from __future__ import annotations

import json
import stat
import subprocess
import sys
import uuid

from e2e.http import custom, request, say, texts
from e2e.stack import ROOT


def sender() -> str:
    return "safe-" + uuid.uuid4().hex[:12]


def export(stack) -> list:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "records", "export", "--json"],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(out.stdout)


def record_for(stack, reference: str) -> dict:
    [record] = [r for r in export(stack) if r["reference"] == reference]
    return record


def tracker(stack, who: str) -> dict:
    status, body = request(stack.api(f"/conversations/rest:{who}/tracker"))
    assert status == 200
    return body


def file_to_the_end(stack, who: str, answers: list) -> dict:
    """Answer each question in turn, then confirm; the filed record."""
    for answer in answers:
        status, turn = say(stack, who, answer)
        assert status == 200, turn
    status, turn = say(stack, who, "/affirm")
    [reference] = custom(turn, "reference")
    return record_for(stack, reference)


def test_a_vague_report_whose_account_names_the_head_goes_to_the_chair(stack):
    who = sender()
    status, turn = say(stack, who, "I want to report a teacher")
    assert "chair of governors" in texts(turn)
    say(stack, who, '/inform{"filer_role": "parent"}')
    say(stack, who, f"Mrs Example has been messaging my son on WhatsApp {uuid.uuid4().hex[:6]}")
    say(stack, who, "skip")
    status, turn = say(stack, who, "skip")
    assert "Goes to: the chair of governors" in texts(turn), turn
    status, turn = say(stack, who, "/affirm")
    [reference] = custom(turn, "reference")
    assert record_for(stack, reference)["details"]["about_head_teacher"] is True


def test_a_disclosure_in_the_middle_of_the_cyberbullying_questions_starts_filing_and_is_not_kept(stack):
    who = sender()
    status, turn = say(stack, who, "my daughter is being bullied online, whose responsibility is it?")
    assert status == 200 and turn
    tag = uuid.uuid4().hex[:6]
    disclosure = f"the PE teacher keeps messaging my daughter on Snapchat late at night zz{tag}"
    status, turn = say(stack, who, disclosure)
    said = texts(turn)
    # "my daughter": a parent, not asked who they are
    assert "Thank you for raising this" in said and "describe what happened" in said and "parent or carer" not in said, turn
    say(stack, who, f"He sends her messages every night zz{tag}")
    say(stack, who, "skip")
    say(stack, who, "skip")
    status, turn = say(stack, who, "/affirm")
    [reference] = custom(turn, "reference")
    record = record_for(stack, reference)
    assert record["kind"] == "disclosure" and disclosure in record["account"]
    stored = json.dumps(tracker(stack, who))
    assert f"zz{tag}" not in stored and "PE teacher" not in stored


def test_a_disclosure_that_is_never_filed_is_not_kept_either(stack):
    who = sender()
    tag = uuid.uuid4().hex[:6]
    say(stack, who, "my son is being bullied on tiktok, what happens now?")
    say(stack, who, f"sir keeps dming my son on tiktok qq{tag}")
    say(stack, who, "stop")
    stored = json.dumps(tracker(stack, who))
    assert f"qq{tag}" not in stored and "dming" not in stored


def test_the_account_is_filed_exactly_as_typed(stack):
    who = sender()
    typed = f"he said <don't tell> & <3\nthen:\n\n  \"delete this\" <b>{uuid.uuid4().hex[:6]}</b>"
    say(stack, who, "I want to report a teacher")
    say(stack, who, '/inform{"filer_role": "parent"}')
    status, turn = say(stack, who, typed)
    say(stack, who, "skip")
    status, turn = say(stack, who, "skip")
    assert typed in texts(turn)  # the read-back, as typed
    status, turn = say(stack, who, "/affirm")
    [reference] = custom(turn, "reference")
    assert record_for(stack, reference)["account"].endswith(typed)


def test_filing_turns_keep_no_entities_offsets_or_facts(stack):
    who = sender()
    say(stack, who, "I want to report a teacher")
    say(stack, who, '/inform{"filer_role": "parent"}')
    say(stack, who, "Mr Quill follows Year 5 pupils on Instagram and he is 45")
    say(stack, who, "skip")
    say(stack, who, "skip")
    say(stack, who, "/affirm")
    events = tracker(stack, who)["events"]
    filing_users = [e for e in events if e["event"] == "user" and e["text"].startswith("[not kept")]
    assert len(filing_users) >= 4
    assert all(e["parse_data"]["entities"] == [] for e in filing_users)
    facts = {e["name"]: e["value"] for e in events if e["event"] == "slot" and e["name"] in ("platform", "year_group", "age")}
    assert all(value is None for value in facts.values()), facts
    stored = json.dumps(events)
    assert "Instagram" not in stored and "Quill" not in stored


def test_everything_the_stack_writes_is_owner_only(stack):
    var = stack.folder / "var"
    files = [p for p in var.iterdir() if p.is_file()]
    assert {"trackers.db", "records.db", "records.key", "drafts.key", "action-server.token"} <= {p.name for p in files}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, (path, oct(path.stat().st_mode))
    project_var = ROOT / "var"
    assert stat.S_IMODE(project_var.stat().st_mode) == 0o700
