"""The Rasa server (`python -m bot serve-rasa`), as `make run` starts it.

What `rasa run --enable-api` would do, with these differences:

- Rasa's HTTP API (read or write any conversation, run any action, replace
  or unload the model) is **off** unless `RASA_ENABLE_API=true`; when it is
  on, every API call needs the Rasa API token (`?token=<token>`, Rasa's own
  check; bot/service_secrets.py says where the token comes from). It is
  never on without a token.
- `GET /health` answers without a token: 200 `{"status": "ok"}` once the
  model is loaded, 503 before.
- calls to the action server carry its shared secret
  (`Authorization: Bearer ...`), added here to the `action_endpoint` of
  endpoints.yml so that the secret is in no file under version control.
- the process's files are created owner-only (umask 077).
- a conversation store that fails fails the request (answered with an
  apology by the channel), instead of Rasa's silent fallback to an empty
  in-memory conversation (bot/tracker_store.py).
- the action server's replies are checked against Rasa's own schema with a
  validator built once (`compile_action_result_check`): Rasa 3.6 calls
  `jsonschema.validate`, which checks the schema itself on every call, about
  40 ms of CPU per action (most of a turn's time when it runs four or five).

| variable | default | meaning |
| --- | --- | --- |
| `RASA_INTERFACE` / `RASA_PORT` | 127.0.0.1 / 5005 | where it listens |
| `RASA_ENABLE_API` | false | switch Rasa's HTTP API on (with its token) |
| `RASA_MODEL` | models/assistant.tar.gz | the model to serve |
| `RASA_ENDPOINTS` / `RASA_CREDENTIALS` | endpoints.yml / credentials.yml | Rasa's configuration files |
| `RASA_LOG_FILE` | unset | also log to this file |
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import partial
from typing import Any, Mapping, Optional

from bot.paths import PROJECT_ROOT

logger = logging.getLogger(__name__)


def _flag(value: Optional[str]) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class RasaServerSettings:
    interface: str = "127.0.0.1"
    port: int = 5005
    enable_api: bool = False
    model: str = str(PROJECT_ROOT / "models" / "assistant.tar.gz")
    endpoints: str = str(PROJECT_ROOT / "endpoints.yml")
    credentials: str = str(PROJECT_ROOT / "credentials.yml")
    log_file: Optional[str] = None

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "RasaServerSettings":
        env = os.environ if environ is None else environ
        default = cls()
        port = (env.get("RASA_PORT") or "").strip()
        return cls(
            interface=(env.get("RASA_INTERFACE") or default.interface).strip(),
            port=int(port) if port else default.port,
            enable_api=_flag(env.get("RASA_ENABLE_API")),
            model=(env.get("RASA_MODEL") or default.model).strip(),
            endpoints=(env.get("RASA_ENDPOINTS") or default.endpoints).strip(),
            credentials=(env.get("RASA_CREDENTIALS") or default.credentials).strip(),
            log_file=(env.get("RASA_LOG_FILE") or "").strip() or None,
        )


def read_endpoints(path: str, action_token: str) -> Any:
    """endpoints.yml, with the action server's secret added to its endpoint."""
    from rasa.core.utils import AvailableEndpoints

    endpoints = AvailableEndpoints.read_endpoints(path)
    if endpoints.action is not None:
        endpoints.action.headers = {**(endpoints.action.headers or {}), "Authorization": f"Bearer {action_token}"}
    return endpoints


def compile_action_result_check() -> None:
    """Rasa's check of each action server reply (RemoteAction._validate_action_result),
    the same schema and the same error, with the validator built once.

    `jsonschema.validate(result, schema)` first validates the schema against
    its meta-schema, every call: profiled, that was 85% of a message's time
    in the Rasa server on a turn that runs five actions."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction._validate_action_result, "compiled", False):
        return
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as validate() did each time
    validator = cls(schema)

    def _validate_action_result(self: Any, result: Any) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise e

    _validate_action_result.compiled = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def add_health_route(app: Any) -> None:
    from sanic import response

    @app.get("/health")
    async def health(_: Any) -> Any:
        agent = getattr(app.ctx, "agent", None)
        if agent is not None and agent.is_ready():
            return response.json({"status": "ok"})
        return response.json({"status": "starting", "detail": "the model is not loaded yet"}, status=503)


def build_app(settings: RasaServerSettings, environ: Optional[Mapping[str, str]] = None) -> Any:
    """The Sanic app, channels and listeners registered, not yet running."""
    import rasa.core.run as rasa_run

    from bot.service_secrets import ACTION_SERVER_TOKEN, RASA_API_TOKEN
    from bot.tracker_store import fail_loudly

    compile_action_result_check()
    endpoints = read_endpoints(settings.endpoints, ACTION_SERVER_TOKEN.load(environ))
    api_token = RASA_API_TOKEN.load(environ) if settings.enable_api else None
    channels = rasa_run.create_http_input_channels(None, settings.credentials)
    app = rasa_run.configure_app(
        channels,
        cors=None,
        auth_token=api_token,
        enable_api=settings.enable_api,
        endpoints=endpoints,
        port=settings.port,
        log_file=settings.log_file,
    )
    add_health_route(app)

    @app.middleware("request")
    async def conversation_store_failures_fail_the_request(request: Any) -> None:
        # also after the API has loaded another model (a new agent)
        fail_loudly(getattr(request.app.ctx, "agent", None))

    app.register_listener(partial(rasa_run.load_agent_on_start, settings.model, endpoints, None), "before_server_start")
    app.register_listener(rasa_run.close_resources, "after_server_stop")
    app.ctx.endpoints = endpoints
    return app


def configure_logging() -> None:
    """As `rasa run` does, at INFO: Rasa's DEBUG level logs every message
    (and so every disclosure) in plain text, so it is not offered."""
    import rasa.utils.common
    import rasa.utils.io
    import rasa.utils.tensorflow.environment as tf_env
    from rasa.utils.log_utils import configure_structlog

    rasa.utils.common.configure_logging_and_warnings(logging.INFO, warn_only_once=True, filter_repeated_logs=True)
    tf_env.setup_tf_environment()
    rasa.utils.io.configure_colored_logging(logging.INFO)
    configure_structlog(logging.INFO)


def serve(settings: Optional[RasaServerSettings] = None) -> None:
    import rasa.core.utils

    os.umask(0o077)
    settings = settings or RasaServerSettings.from_env()
    configure_logging()
    if not os.path.exists(settings.model):
        raise SystemExit(f"No trained model at {settings.model}: run `make model` first.")
    app = build_app(settings)
    workers = rasa.core.utils.number_of_sanic_workers(app.ctx.endpoints.lock_store)
    logger.info(
        "Rasa server on http://%s:%s (HTTP API %s)",
        settings.interface, settings.port, "on, with its token" if settings.enable_api else "off",
    )
    app.run(host=settings.interface, port=settings.port, workers=workers, access_log=False)
