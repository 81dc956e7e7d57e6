"""Filing a disclosure by conversation e-mails the DSL (reference and link
only); other kinds do not. A real local SMTP server (aiosmtpd)."""
from __future__ import annotations

import socket
import time

import pytest
from aiosmtpd.controller import Controller

from tests.filing.test_filing_actions import ACCOUNT, file_parent_disclosure


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


@pytest.fixture
def inbox(monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("DSL_EMAIL", "dsl@school.example")
    monkeypatch.setenv("WEB_PUBLIC_URL", "https://assistant.school.example")
    try:
        yield handler
    finally:
        controller.stop()


def _wait_for(inbox, count, timeout=10.0):
    deadline = time.monotonic() + timeout
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


def test_a_filed_disclosure_emails_the_dsl_the_reference_and_link_only(conversation, inbox):
    file_parent_disclosure(conversation)
    [reference] = conversation.custom("reference")
    [message] = _wait_for(inbox, 1)
    assert reference in message and f"https://assistant.school.example/review/records/{reference}" in message
    for secret in (ACCOUNT, "Instagram", "Priya", "priya.shah@example.org"):
        assert secret not in message


def test_a_declaration_does_not_email_the_dsl(conversation, inbox):
    conversation.start("declare_family_link", "my nephew is in year 3")
    conversation.say("Jack Brown, my nephew, Year 3")
    conversation.say("Tom Baker")
    conversation.say("yes")
    assert conversation.custom("reference")
    time.sleep(0.5)
    assert inbox.messages == []
