"""Build and run the web app.

`create_app(settings)` returns a Sanic app with the review pages
(`bot.web.review`) and the widget (`bot.web.widget`) registered. Nothing is
opened when the app is built: the records repository is opened when the
server starts (or passed in by tests).
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from sanic import Sanic, response

from bot.web.settings import WebSettings

logger = logging.getLogger(__name__)

APP_NAME = "safeguarding_web"


def create_app(
    settings: Optional[WebSettings] = None,
    *,
    repository: Any = None,
    name: str = APP_NAME,
) -> Sanic:
    """The web app. `repository` (a RecordRepository) is opened from the
    environment at server start when not given."""
    from bot.web import review, widget

    settings = settings or WebSettings.from_env()
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "html"
    app.config.REQUEST_MAX_SIZE = 1_000_000
    app.ctx.settings = settings
    app.ctx.repository = repository

    @app.listener("before_server_start")
    async def _open_repository(app_: Sanic, _loop: Any) -> None:
        if app_.ctx.repository is None:
            from bot.records import open_repository

            app_.ctx.repository = open_repository(settings.database_url)

    @app.get("/health")
    async def health(_request: Any) -> Any:
        return response.json({"status": "ok"})

    review.register(app, settings)
    widget.register(app, settings)
    return app


def run(settings: Optional[WebSettings] = None) -> None:
    """Serve the app (one process; `make run` supervises it, bot/supervisor.py)."""
    settings = settings or WebSettings.from_env()
    app = create_app(settings)
    logger.info("web app on http://%s:%d", settings.host, settings.port)
    app.run(host=settings.host, port=settings.port, workers=1, access_log=False, motd=False)
