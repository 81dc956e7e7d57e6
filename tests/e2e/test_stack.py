"""The stack starts from the project's files and answers on every port."""
from __future__ import annotations

import json
import urllib.request


def _post(url: str, body: dict) -> list:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.loads(resp.read())


def test_the_running_stack_answers_a_policy_question_with_citations(stack):
    turn = _post(stack.rest_webhook, {"sender": "e2e-smoke", "message": "can I friend an ex-pupil on facebook?"})
    assert turn, "the assistant said nothing"
    refs = [ref for message in turn for ref in (message.get("custom") or {}).get("policy_refs", [])]
    assert refs, turn


def test_the_web_app_is_healthy(stack):
    with urllib.request.urlopen(f"{stack.web_url}/health", timeout=5) as resp:
        assert json.loads(resp.read()) == {"status": "ok"}
