"""The DSL's new-disclosure e-mail, sent to a real local SMTP server (aiosmtpd).

The message must carry the reference and the review link, and nothing of
the record: the account, the filer's name and contact never appear."""
from __future__ import annotations

import datetime as dt
import email
import ipaddress
import logging
import socket
from email import policy
from typing import Iterator, List

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bot.notify import notify_new_disclosure
from bot.records.crypto import RecordCipher, generate_key
from bot.records import db
from bot.records.migration import migrate
from bot.records.repository import RecordRepository
from bot.web.settings import SmtpSettings, WebSettings

ACCOUNT = "Mr Jones the Year 4 teacher messaged my son on Instagram at 11pm asking for photos"
FILER_NAME = "Pat Parent"
FILER_CONTACT = "07700 900123"


class Inbox:
    def __init__(self) -> None:
        self.messages: List[dict] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "raw": envelope.original_content or envelope.content}
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox() -> Iterator[tuple]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


@pytest.fixture
def disclosure(tmp_path, monkeypatch):
    """A real disclosure, filed with the account and the filer's details."""
    monkeypatch.setenv("RECORDS_KEY_FILE", str(tmp_path / "records.key"))
    engine = db.make_engine(f"sqlite:///{tmp_path / 'records.db'}")
    migrate(engine=engine)
    repo = RecordRepository(db.make_session_factory(engine), RecordCipher([generate_key()]))
    filed = repo.file(
        "disclosure", ACCOUNT, "parent", filer_name=FILER_NAME, filer_contact=FILER_CONTACT, idempotency_key="notify-test"
    )
    yield filed
    engine.dispose()


def _settings(port: int, **changes) -> WebSettings:
    base = dict(
        public_url="https://review.moatfarm.example.sch.uk",
        smtp=SmtpSettings(host="127.0.0.1", port=port, sender="assistant@moatfarm.example.sch.uk"),
        dsl_email="dsl-inbox@moatfarm.example.sch.uk",
    )
    base.update(changes)
    return WebSettings(**base)


def _parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def test_the_dsl_gets_the_reference_and_link_and_nothing_else(inbox, disclosure):
    handler, port = inbox
    assert notify_new_disclosure(disclosure.reference, _settings(port)) is True
    assert len(handler.messages) == 1
    sent = handler.messages[0]
    assert sent["to"] == ["dsl-inbox@moatfarm.example.sch.uk"]
    assert sent["from"] == "assistant@moatfarm.example.sch.uk"
    message = _parsed(sent["raw"])
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert disclosure.reference in message["Subject"]
    assert f"Reference: {disclosure.reference}" in body
    assert f"https://review.moatfarm.example.sch.uk/review/records/{disclosure.reference}" in body
    raw = sent["raw"].decode("utf-8", "replace")
    for secret in (ACCOUNT, "Instagram", "Mr Jones", FILER_NAME, FILER_CONTACT):
        assert secret not in raw
        assert secret not in body


def test_a_reference_typed_loosely_is_sent_in_its_canonical_form(inbox, disclosure):
    handler, port = inbox
    loose = disclosure.reference.replace("-", "").lower()
    assert notify_new_disclosure(loose, _settings(port)) is True
    assert disclosure.reference in _parsed(handler.messages[0]["raw"])["Subject"]


def test_without_dsl_email_the_school_profile_dsl_is_used(inbox, disclosure, school):
    handler, port = inbox
    assert notify_new_disclosure(disclosure.reference, _settings(port, dsl_email=None)) is True
    assert handler.messages[0]["to"] == [school.dsl.email]


def test_smtp_not_configured_returns_false_and_says_so(disclosure, caplog):
    caplog.set_level(logging.WARNING, logger="bot.notify")
    settings = WebSettings(dsl_email="dsl@example.org")  # no SMTP_HOST
    assert notify_new_disclosure(disclosure.reference, settings) is False
    assert "SMTP_HOST is not set" in caplog.text and disclosure.reference in caplog.text


def test_an_unreachable_server_returns_false_without_raising(disclosure, caplog):
    caplog.set_level(logging.ERROR, logger="bot.notify")
    assert notify_new_disclosure(disclosure.reference, _settings(_free_port())) is False
    assert "could not be e-mailed" in caplog.text
    assert ACCOUNT not in caplog.text


def test_a_malformed_reference_is_not_sent(inbox):
    handler, port = inbox
    assert notify_new_disclosure("MF-NOT-A-REF\r\nBcc: x@example.org", _settings(port)) is False
    assert handler.messages == []


def test_settings_come_from_the_environment_when_not_given(inbox, disclosure, monkeypatch):
    handler, port = inbox
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("DSL_EMAIL", "env-dsl@example.org")
    monkeypatch.setenv("WEB_PUBLIC_URL", "http://intranet.example:8000/")
    assert notify_new_disclosure(disclosure.reference) is True
    body = _parsed(handler.messages[0]["raw"]).get_body(preferencelist=("plain",)).get_content()
    assert handler.messages[0]["to"] == ["env-dsl@example.org"]
    assert f"http://intranet.example:8000/review/records/{disclosure.reference}" in body


# --- STARTTLS and login --------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, trusted through SSL_CERT_FILE."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "smtp.crt", tmp_path / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


@pytest.fixture
def secure_inbox(certificate, monkeypatch):
    import ssl

    cert_file, key_file = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"assistant", b"s3cret-pass")
        logins.append(ok)
        return AuthResult(success=ok)

    handler = Inbox()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=_free_port(),
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=authenticator,
    )
    controller.start()
    try:
        yield handler, controller.port, logins
    finally:
        controller.stop()


def test_starttls_and_login_when_configured(secure_inbox, disclosure):
    handler, port, logins = secure_inbox
    smtp = SmtpSettings(host="127.0.0.1", port=port, username="assistant", password="s3cret-pass", starttls=True)
    assert notify_new_disclosure(disclosure.reference, _settings(port, smtp=smtp)) is True
    assert logins == [True]
    assert len(handler.messages) == 1


def test_a_server_that_requires_starttls_refuses_a_plain_sender(secure_inbox, disclosure):
    handler, port, _logins = secure_inbox
    smtp = SmtpSettings(host="127.0.0.1", port=port, username="assistant", password="s3cret-pass", starttls=False)
    assert notify_new_disclosure(disclosure.reference, _settings(port, smtp=smtp)) is False
    assert handler.messages == []


def test_a_wrong_smtp_password_returns_false(secure_inbox, disclosure, caplog, monkeypatch):
    # smtplib then tries AUTH LOGIN, which this server leaves waiting: a short
    # timeout keeps the test quick (the outcome is the same either way)
    monkeypatch.setattr("bot.notify.SMTP_TIMEOUT_SECONDS", 3)
    handler, port, logins = secure_inbox
    smtp = SmtpSettings(host="127.0.0.1", port=port, username="assistant", password="wrong", starttls=True)
    assert notify_new_disclosure(disclosure.reference, _settings(port, smtp=smtp)) is False
    assert logins and not any(logins) and handler.messages == []
    assert "wrong" not in caplog.text
