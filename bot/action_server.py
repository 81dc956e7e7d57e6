"""The action server (`python -m bot serve-actions`), safe to reach.

Rasa SDK's own server (`rasa run actions`) answers anyone: any caller can
run any action with a tracker of its choosing, CORS allows every web page,
and its error handler echoes the request body (the tracker) back. This one
runs the same actions (`actions/`, through Rasa SDK's `ActionExecutor`) and:

- refuses every call to `/webhook` and `/actions` without the shared secret
  (`Authorization: Bearer <action server token>`, bot/service_secrets.py),
  compared in constant time; Rasa sends it (bot/rasa_server.py adds it to
  the `action_endpoint` of endpoints.yml);
- answers `GET /health` without a token, for supervisors and load balancers;
- sends no CORS headers: no web page may call it;
- caps the request body (compressed and decompressed);
- never echoes a request, or an exception's text, in an error.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
import traceback
import zlib
from typing import Any, Optional

from sanic import Sanic, response
from sanic.request import Request

logger = logging.getLogger(__name__)

#: A whole conversation session's tracker travels with every call.
MAX_REQUEST_BYTES = 8 * 1024 * 1024
DEFAULT_PORT = 5055


class BodyTooLarge(ValueError):
    pass


def _decoded(request: Request) -> Any:
    body = request.body or b""
    if (request.headers.get("content-encoding") or "").lower() == "deflate":
        inflater = zlib.decompressobj()
        body = inflater.decompress(body, MAX_REQUEST_BYTES)
        if inflater.unconsumed_tail:
            raise BodyTooLarge()
    return json.loads(body.decode("utf-8"))


def authorised(header: Optional[str], token: str) -> bool:
    scheme, _, given = (header or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def create_app(token: str, package: str = "actions", name: str = "safeguarding_actions") -> Sanic:
    from rasa_sdk import utils
    from rasa_sdk.executor import ActionExecutor
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

    if not token:
        raise ValueError("the action server needs a token")
    app = Sanic(name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    executor = ActionExecutor()
    executor.register_package(package)

    @app.middleware("request")
    async def require_token(request: Request) -> Any:
        if request.path == "/health":
            return None
        if not authorised(request.headers.get("authorization"), token):
            logger.warning("action server: refused a call to %s without the shared secret", request.path)
            return response.json({"error": "This server only answers the assistant's own Rasa server."}, status=401)
        return None

    @app.get("/health")
    async def health(_: Request) -> Any:
        return response.json({"status": "ok"})

    @app.post("/webhook")
    async def webhook(request: Request) -> Any:
        try:
            action_call = _decoded(request)
        except BodyTooLarge:
            return response.json({"error": "The request is too large."}, status=413)
        except (ValueError, UnicodeDecodeError, RecursionError, zlib.error):
            return response.json({"error": "The request body is not valid JSON."}, status=400)
        if not isinstance(action_call, dict) or not isinstance(action_call.get("tracker"), dict):
            return response.json({"error": "The request must be an action call with a tracker."}, status=400)
        utils.check_version_compatibility(action_call.get("version"))
        try:
            result = await executor.run(action_call)
        except ActionExecutionRejection as exc:
            return response.json({"error": exc.message, "action_name": exc.action_name}, status=400)
        except ActionNotFoundException as exc:
            return response.json({"error": exc.message, "action_name": exc.action_name}, status=404)
        return response.json(result, status=200)

    @app.get("/actions")
    async def actions(_: Request) -> Any:
        return response.json([{"name": key} for key in executor.actions.keys()])

    @app.exception(Exception)
    async def failed(request: Request, exception: Exception) -> Any:
        from sanic.exceptions import SanicException

        if isinstance(exception, SanicException):  # 404, 405, 413 ...
            status = getattr(exception, "status_code", 500) or 500
            return response.json({"error": str(exception.args[0]) if exception.args else "error"}, status=status)
        # the log names the failure and where it happened; never the
        # exception's text or the tracker, which may quote what people typed
        where = "".join(traceback.format_tb(exception.__traceback__)[-3:])
        logger.error("action server: %s while handling %s\n%s", type(exception).__name__, request.path, where)
        return response.json({"error": "The action failed on the server."}, status=500)

    return app


def serve(port: Optional[int] = None, host: Optional[str] = None) -> None:
    from rasa_sdk import utils

    from bot.service_secrets import ACTION_SERVER_TOKEN

    token = ACTION_SERVER_TOKEN.load()
    app = create_app(token)
    # the safety patterns read words spelt as they sound: build that index
    # now, not on a child's first message (local files only, under a second)
    from bot.nlp.sounds_like import shared_index

    shared_index()
    host = host or os.environ.get("ACTIONS_HOST") or os.environ.get("SANIC_HOST") or "127.0.0.1"
    port = port or int(os.environ.get("ACTIONS_PORT") or DEFAULT_PORT)
    logger.info("Action server on http://%s:%s (calls need the shared secret)", host, port)
    app.run(host, port, workers=utils.number_of_sanic_workers(), access_log=False)
