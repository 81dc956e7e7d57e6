"""Button payloads are passed on only as the assistant could have sent them."""
from __future__ import annotations

import pytest

from bot import dialogue, filing
from bot.payloads import canonical_values, payload_problem


def every_button_payload():
    """The payloads of the assistant's own buttons."""
    from bot.policy import load_catalogue
    from bot.school import load_school_profile

    school, catalogue = load_school_profile(), load_catalogue()
    payloads = set()
    for slot in ("contact_who", "age", "bullying_who", "platform"):
        payloads |= {b["payload"] for b in dialogue.question(slot, school, first=True, catalogue=catalogue).buttons}
    payloads |= {b["payload"] for b in filing.question(filing.ROLE, filing.DISCLOSURE, None).buttons}
    payloads |= {b["payload"] for b in filing.what_to_change(list(filing.FORM_SLOTS)).buttons}
    payloads |= {b["payload"] for b in filing.readback(filing.Draft("disclosure", "parent", "x", None, None), []).buttons}
    return sorted(payloads)


def test_the_assistants_own_buttons_all_pass():
    payloads = every_button_payload()
    assert len(payloads) > 10
    for payload in payloads:
        assert payload_problem(payload) is None, payload


@pytest.mark.parametrize(
    "text",
    [
        '/inform{"age": "<script>alert(1)</script>"}',
        '/inform{"age": "-3"}',
        '/inform{"platform": "Anything"}',
        '/inform{"filer_role": "head_teacher"}',
        '/inform{"contact_who": "current_pupil"}',  # a slot, not an entity the buttons set
        '/inform{"other_party": ["current_pupil"]}',
        '/inform{"other_party": {"x": 1}}',
        '/report_adult_concern@0.01',
        '/session_start',
        '/restart',
        '/not_an_intent',
        '/inform{not json}',
        '/inform["a"]',
    ],
)
def test_crafted_payloads_are_refused(text):
    assert payload_problem(text) is not None


def test_ordinary_messages_are_not_payloads():
    for text in ("hello", "can I friend an ex-pupil?", " /inform", "a/b"):
        assert payload_problem(text) is None


def test_the_canonical_values_come_from_the_pattern_files():
    values = canonical_values()
    assert "Snapchat" in values["platform"] and "current_pupil" in values["other_party"]
    assert values["filer_role"] == frozenset(filing.ROLES)
