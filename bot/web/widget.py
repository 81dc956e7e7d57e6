"""The chat widget's side of the web app.

Routes:

| path | what |
| --- | --- |
| `/widget.js` | the widget, with its socket.io client, in one script (`widget_assets`) |
| `/widget/...` | its stylesheet (and the demo page's) |
| `/api/widget-config` | school name, urgent contact, decision labels, socket.io address (`widget_api`) |
| `/api/clauses?ids=a,b` and `/api/clauses/<id>` | policy clause texts for "From the policy" |
| `/demo`, `/demo/policies` | a plausible intranet page with the widget embedded |

and a response middleware adding security headers and CORS to everything
outside `/review` (`widget_security`).
"""
from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any, Dict

from sanic import Sanic, response
from sanic.request import Request

from bot.policy import load_catalogue
from bot.school import load_school_profile
from bot.web import widget_api, widget_security
from bot.web.settings import WebSettings
from bot.web.widget_assets import STATIC_DIR, MissingBuild, widget_bundle

TEMPLATES = Path(__file__).resolve().parent / "templates" / "demo"
DEMO_PAGES: Dict[str, str] = {"": "Home", "policies": "Policies"}


def _json(body: Any, status: int = 200) -> Any:
    return response.json(body, status=status, headers={"Cache-Control": "no-cache"})


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    """A demo template, read from disk once."""
    return Template((TEMPLATES / f"{name}.html").read_text(encoding="utf-8"))


def render_demo(page: str) -> str:
    """The demo intranet page `page` ("" for home), values HTML-escaped."""
    school = load_school_profile()
    values = {
        "school": school.name,
        "office_phone": school.office_phone,
        "office_email": school.office_email,
        "dsl_name": school.dsl.name,
        "dsl_role": school.dsl.role,
        "dsl_phone": school.dsl.phone or school.dsl.email,
        "widget_title": f"{school.short_name} online safety helper",
        "page_title": DEMO_PAGES[page],
    }
    safe = {key: html.escape(value, quote=True) for key, value in values.items()}
    content = _template(page or "index").substitute(safe)
    return _template("layout").substitute(
        safe,
        content=content,
        home_current='aria-current="page"' if page == "" else "",
        policies_current='aria-current="page"' if page == "policies" else "",
    )


def register(app: Sanic, settings: WebSettings) -> None:
    csp = widget_security.content_security_policy(settings.widget_socket_url, settings.allowed_origins)
    secure = widget_security.security_headers(csp)

    app.static("/widget", str(STATIC_DIR), name="widget_static")

    @app.get("/widget.js", name="widget_script")
    async def widget_script(request: Request) -> Any:
        try:
            bundle = widget_bundle()
        except MissingBuild as exc:
            message = f"/* {exc} */\nconsole.error({str(exc)!r});\n"
            return response.text(message, status=503, content_type="text/javascript; charset=utf-8")
        headers = {"ETag": bundle.etag, "Cache-Control": "no-cache"}
        if request.headers.get("if-none-match") == bundle.etag:
            return response.empty(status=304, headers=headers)
        return response.raw(bundle.body, headers=headers, content_type="text/javascript; charset=utf-8")

    @app.get("/api/widget-config", name="widget_config")
    async def widget_config(_request: Request) -> Any:
        return _json(
            widget_api.widget_config(
                load_school_profile(),
                settings.widget_socket_url,
                sign_in_required=bool(settings.widget_jwt_secret),
            )
        )

    @app.get("/api/clauses", name="widget_clauses")
    async def clauses(request: Request) -> Any:
        ids = ",".join(request.args.getlist("ids") or []).split(",")
        body = widget_api.clauses_json(load_catalogue(), ids)
        if not body["clauses"] and not body["unknown"]:
            return _json({"error": "Ask for clauses like /api/clauses?ids=scope.who,purpose.aims"}, 400)
        return _json(body)

    @app.get("/api/clauses/<clause_id:str>", name="widget_clause")
    async def clause(_request: Request, clause_id: str) -> Any:
        found = load_catalogue().clauses.get(clause_id)
        if found is None:
            return _json({"error": f"There is no policy clause {clause_id!r}."}, 404)
        return _json(widget_api.clause_json(found))

    @app.get("/demo", name="widget_demo")
    async def demo(_request: Request) -> Any:
        return response.html(render_demo(""))

    @app.get("/demo/<page:str>", name="widget_demo_page")
    async def demo_page(_request: Request, page: str) -> Any:
        if page not in DEMO_PAGES or not page:
            return response.html("<!DOCTYPE html><title>Not found</title><p>No such page.</p>", status=404)
        return response.html(render_demo(page))

    if not any(route.path in ("", "/") for route in app.router.routes):

        @app.get("/", name="widget_home")
        async def home(_request: Request) -> Any:
            return response.redirect("/demo")

    @app.middleware("response")
    async def widget_headers(request: Request, resp: Any) -> None:
        if resp is None or not widget_security.applies_to(request.path):
            return
        widget_security.apply(resp.headers, secure)
        widget_security.apply(
            resp.headers,
            widget_security.cors_headers(request.path, request.headers.get("origin"), settings.allowed_origins),
        )
