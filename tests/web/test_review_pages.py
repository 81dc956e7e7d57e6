"""Security headers, the stylesheet, and accessibility basics of the review pages."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from bot.web.review_pages import STATIC_DIR, TEMPLATES_DIR


def test_review_pages_carry_the_security_headers(signed_in, browser, filed):
    person = signed_in("dsl")
    for response in (
        browser().get("/review/login"),
        person.get("/review/records"),
        person.get(f"/review/records/{filed['disclosure'].reference}"),
        person.get("/review/records/MF-0000-0000"),
    ):
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "script-src" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"


def test_the_stylesheet_is_served(browser):
    response = browser().get("/review/static/review.css")
    assert response.status == 200 and "text/css" in response.headers["content-type"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert ":focus" in response.text


def test_other_paths_are_left_to_their_owners(browser):
    response = browser().get("/health")
    assert "content-security-policy" not in response.headers or "review" not in response.headers.get("content-security-policy", "")
    assert response.headers.get("cache-control") != "no-store"


def test_templates_have_no_inline_script_or_style():
    for template in TEMPLATES_DIR.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert "<script" not in source and "<style" not in source and "style=" not in source, template.name
        assert "|safe" not in source and "autoescape false" not in source, template.name


# --- colour contrast -------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


PAIRS = [
    ("text", "background"),
    ("link", "background"),
    ("header-text", "header-background"),
    ("muted-text", "muted-background"),
    ("text", "muted-background"),
    ("error-text", "error-background"),
    ("note-text", "note-background"),
    ("button-text", "button-background"),
    ("text", "focus"),
    ("focus-ring", "background"),
]


@pytest.mark.parametrize("foreground, background", PAIRS)
def test_colour_pairs_meet_wcag_aa(foreground, background):
    css = (STATIC_DIR / "review.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6});", css))
    assert _contrast(colours[foreground], colours[background]) >= 4.5


# --- labels and headings ------------------------------------------------------------------------


class _FormAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.labelled = set()
        self.controls = []
        self.headings = []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        if tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.controls.append(attributes.get("id"))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)


@pytest.mark.parametrize(
    "who, path",
    [
        (None, "/review/login"),
        ("head", "/review"),
        ("head", "/review/records"),
        ("head", "/review/records/{disclosure}"),
        ("head", "/review/records/{service_proposal}"),
        ("head", "/review/audit"),
        ("head", "/review/password"),
        ("admin", "/review/users"),
    ],
)
def test_every_control_has_a_label_and_every_page_one_h1(signed_in, browser, filed, who, path):
    person = signed_in(who) if who else browser()
    page = person.get(path.format(**{kind: record.reference for kind, record in filed.items()}))
    assert page.status == 200
    audit = _FormAudit()
    audit.feed(page.text)
    assert audit.html_lang == "en-GB"
    assert audit.controls or path == "/review", path
    for control in audit.controls:
        assert control and control in audit.labelled, (path, control)
    assert audit.headings.count("h1") == 1 and audit.headings[0] == "h1"


def test_tables_have_header_cells(signed_in, filed):
    page = signed_in("head").get("/review/records").text
    assert '<th scope="col">Reference</th>' in page and "<caption>" in page
