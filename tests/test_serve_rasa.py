"""How the Rasa server is started (bot/serve_rasa.py): API off by default,
on only with a token, a health check, and the action server's secret sent
with every action call. The running server is tested in tests/e2e."""
from __future__ import annotations

import os

import pytest

from bot import serve_rasa
from bot.paths import PROJECT_ROOT
from bot.service_secrets import SecretError

API_PATHS = (
    "conversations/<conversation_id:path>/tracker", "conversations/<conversation_id:path>/execute",
    "conversations/<conversation_id:path>/trigger_intent", "model", "model/parse", "status", "domain",
)


def paths(app):
    return {route.path for route in app.router.routes}


@pytest.fixture
def env(tmp_path):
    return {
        "ACTION_SERVER_TOKEN_FILE": str(tmp_path / "action-server.token"),
        "RASA_API_TOKEN_FILE": str(tmp_path / "rasa-api.token"),
    }


def build(env, **settings):
    return serve_rasa.build_app(serve_rasa.RasaServerSettings(**settings), env)


def test_the_api_is_off_by_default():
    assert serve_rasa.RasaServerSettings.from_env({}).enable_api is False
    assert serve_rasa.RasaServerSettings.from_env({"RASA_ENABLE_API": "true"}).enable_api is True


def test_without_the_api_only_the_channels_and_health_are_served(env):
    app = build(env)
    served = paths(app)
    assert "health" in served and "webhooks/rest/webhook" in served
    assert not any(path in served for path in API_PATHS), served


def test_with_the_api_on_it_is_given_a_token(env, tmp_path):
    app = build(env, enable_api=True)
    assert set(API_PATHS) <= paths(app)
    token = (tmp_path / "rasa-api.token").read_text().strip()
    assert len(token) >= 24 and (os.stat(tmp_path / "rasa-api.token").st_mode & 0o077) == 0
    # every API route then needs ?token=<that token> (Rasa's own check; the
    # running server is shown refusing calls without it in tests/e2e)


def test_a_weak_api_token_is_refused(env):
    with pytest.raises(SecretError, match="too short"):
        build({**env, "RASA_API_TOKEN": "short"}, enable_api=True)


def test_action_calls_carry_the_shared_secret(env):
    endpoints = serve_rasa.read_endpoints(str(PROJECT_ROOT / "endpoints.yml"), "s" * 40)
    assert endpoints.action.headers["Authorization"] == "Bearer " + "s" * 40
    assert endpoints.action.url.endswith(":5055/webhook")
    assert "Authorization" not in (PROJECT_ROOT / "endpoints.yml").read_text()  # the secret is in no tracked file


def test_action_server_replies_are_still_checked_against_rasas_schema_with_the_validator_built_once(monkeypatch):
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    serve_rasa.compile_action_result_check()
    serve_rasa.compile_action_result_check()  # twice: patched once
    action = RemoteAction("action_x", None)
    checked_schema = []
    monkeypatch.setattr(jsonschema.validators.Draft202012Validator, "check_schema",
                        classmethod(lambda cls, schema: checked_schema.append(schema)))
    good = {"events": [{"event": "slot", "name": "age", "value": "16"}], "responses": [{"text": "hi"}]}
    assert action._validate_action_result(good) is True
    with pytest.raises(jsonschema.ValidationError) as raised:
        action._validate_action_result({"events": [{"event": "slot"}], "responses": "not a list"})
    assert "Failed to validate Action server response" in raised.value.message
    assert checked_schema == []  # the schema is not checked again on every reply
