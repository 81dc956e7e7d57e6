"""The widget's side of the web app: script, API, demo page, headers, CORS."""
from __future__ import annotations

import itertools

import pytest
from sanic import Sanic

from bot.policy import load_catalogue
from bot.school import load_school_profile
from bot.web import widget, widget_assets, widget_security
from bot.web.settings import WebSettings
from bot.web.widget_api import DECISION_BADGES

INTRANET = "http://intranet.example"
_names = itertools.count()


@pytest.fixture(scope="module")
def settings() -> WebSettings:
    return WebSettings.from_env(
        {"WIDGET_ALLOWED_ORIGINS": INTRANET, "RASA_URL": "http://rasa.example:5005", "WEB_PORT": "8000"}
    )


@pytest.fixture(scope="module")
def client(settings):
    app = Sanic(f"widget_app_test_{next(_names)}")
    widget.register(app, settings)

    @app.get("/review/ping", name="review_ping")
    async def review_ping(_request):
        from sanic import response

        return response.text("review")

    return app.test_client


def get(client, path: str, **headers):
    _request, response = client.get(path, headers=headers, allow_redirects=False)
    return response


def test_widget_js_is_one_script_with_the_socket_client_inside(client):
    if not widget_assets.SOCKET_IO.exists():
        pytest.skip("run `make widget` first")
    response = get(client, "/widget.js")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/javascript")
    body = response.text
    assert "Socket.IO v4" in body and "safeguarding-assistant-widget" in body
    assert body.startswith("/*!") and body.rstrip().endswith("})();")
    assert "innerHTML" not in widget_assets.WIDGET_SOURCE.read_text(encoding="utf-8")
    again = get(client, "/widget.js", **{"If-None-Match": response.headers["etag"]})
    assert again.status == 304


def test_widget_js_says_how_to_build_it_when_the_vendor_files_are_missing(tmp_path):
    with pytest.raises(widget_assets.MissingBuild, match="make widget"):
        widget_assets.widget_bundle(vendor=tmp_path / "missing.js")


def test_the_bundle_defines_no_globals_of_its_own(tmp_path):
    vendor = tmp_path / "io.js"
    vendor.write_text("module.exports = function io() {};", encoding="utf-8")
    source = tmp_path / "w.js"
    source.write_text("io();", encoding="utf-8")
    body = widget_assets.widget_bundle(vendor=vendor, source=source).body.decode()
    assert "var module = { exports: {} }, exports = module.exports, define;" in body
    assert body.index("module.exports = function") < body.index("var io = module.exports") < body.index("io();")


def test_clauses_come_from_the_catalogue(client):
    catalogue = load_catalogue()
    clause = catalogue.clause("scope.who")
    one = get(client, "/api/clauses/scope.who")
    assert one.status == 200
    assert one.json == {
        "id": clause.id, "section": clause.section, "title": clause.title, "text": clause.text,
        "items": list(clause.items), "summary": clause.summary,
    }
    several = get(client, "/api/clauses?ids=scope.who,purpose.aims,no.such")
    assert [c["id"] for c in several.json["clauses"]] == ["scope.who", "purpose.aims"]
    assert several.json["unknown"] == ["no.such"]
    assert get(client, "/api/clauses/no.such").status == 404
    assert get(client, "/api/clauses").status == 400


def test_the_widget_config_names_the_child_protection_person(client, settings):
    school = load_school_profile()
    config = get(client, "/api/widget-config").json
    assert config["urgent"]["name"] == school.dsl.name
    assert config["urgent"]["phone"] == school.dsl.phone
    assert config["socket_url"] == settings.widget_socket_url == "http://rasa.example:5005"
    assert set(config["decisions"]) == set(DECISION_BADGES)
    assert config["sign_in_required"] is False


def test_every_decision_code_has_a_plain_english_badge():
    from bot import decisions

    codes = {
        decisions.NOT_PERMITTED, decisions.PERMITTED, decisions.PERMITTED_DECLARE,
        decisions.NOT_SCHOOL_RESPONSIBILITY, decisions.SCHOOL_MUST_INVESTIGATE,
        decisions.SCHOOL_MUST_INVESTIGATE_AND_WARN, decisions.SCHOOL_MAY_LIMIT, decisions.REFER_TO_POLICE,
    }
    assert set(DECISION_BADGES) == codes
    assert all(badge["tone"] in {"no", "yes", "act", "info"} for badge in DECISION_BADGES.values())


def test_the_demo_page_embeds_the_widget_with_one_tag_and_no_inline_script(client):
    page = get(client, "/demo")
    assert page.status == 200
    html = page.text
    assert html.count("<script") == 1
    assert '<script src="/widget.js"' in html and "></script>" in html
    assert "style=" not in html and "onclick" not in html
    assert load_school_profile().name in html
    assert get(client, "/demo/policies").status == 200
    assert get(client, "/demo/nothing-here").status == 404
    assert get(client, "/").headers["location"] == "/demo"


@pytest.mark.parametrize("path", ["/demo", "/widget.js", "/api/widget-config", "/widget/widget.css"])
def test_security_headers(client, path, settings):
    headers = get(client, path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "connect-src 'self' http://rasa.example:5005 ws://rasa.example:5005;" in csp
    assert f"frame-ancestors 'self' {INTRANET}" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_review_pages_are_left_to_set_their_own_headers(client):
    headers = get(client, "/review/ping").headers
    assert "content-security-policy" not in headers


def test_cors_only_for_configured_origins(client):
    allowed = get(client, "/api/widget-config", Origin=INTRANET).headers
    assert allowed["access-control-allow-origin"] == INTRANET
    assert "Origin" in allowed["vary"]
    refused = get(client, "/api/widget-config", Origin="http://evil.example").headers
    assert "access-control-allow-origin" not in refused
    assert "access-control-allow-origin" not in get(client, "/demo", Origin=INTRANET).headers


def test_secure_websocket_for_an_https_rasa():
    assert widget_security.socket_sources("https://chat.school.example/") == (
        "https://chat.school.example wss://chat.school.example"
    )
