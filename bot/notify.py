"""E-mail the designated safeguarding lead (DSL) when a disclosure is filed.

The message holds the reference and a link to the record's review page,
nothing else: never the account, names or contact details (e-mail is not a
safe place for them, and the link asks the DSL to sign in). The DSL reads
the record itself in the review app.

`notify_new_disclosure(reference)` is synchronous and never raises: call it
in a thread executor right after `RecordRepository.file()` returned a new
disclosure. It returns True when the mail server accepted the message.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Optional
from urllib.parse import quote

from bot.records.references import is_valid_reference, normalise_reference
from bot.web.settings import WebSettings

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 15
SUBJECT = "New safeguarding disclosure {reference}"
BODY = """\
A new disclosure has been filed with the safeguarding assistant.

Reference: {reference}

Read it in the staff review pages (you will be asked to sign in):
{link}

This e-mail deliberately contains no details of the disclosure.
"""


def _recipient(settings: WebSettings) -> Optional[str]:
    if settings.dsl_email:
        return settings.dsl_email
    try:
        from bot.school import load_school_profile

        return load_school_profile().dsl.email or None
    except Exception as exc:  # a broken school.yml must not stop the filing
        logger.error("notify: the DSL's e-mail could not be read from school.yml (%s)", type(exc).__name__)
        return None


def disclosure_message(reference: str, settings: WebSettings, recipient: str) -> EmailMessage:
    """The notice for `reference` (which must be a valid reference)."""
    link = f"{settings.public_url.rstrip('/')}/review/records/{quote(reference)}"
    message = EmailMessage()
    message["Subject"] = SUBJECT.format(reference=reference)
    message["From"] = settings.smtp.sender
    message["To"] = recipient
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.smtp.sender.rpartition("@")[2] or None)
    message.set_content(BODY.format(reference=reference, link=link))
    return message


def _send(message: EmailMessage, settings: WebSettings) -> None:
    smtp = settings.smtp
    with smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS) as server:
        server.ehlo()
        if smtp.starttls:
            server.starttls(context=ssl.create_default_context())
            server.ehlo()
        if smtp.username:
            server.login(smtp.username, smtp.password or "")
        server.send_message(message)


def notify_new_disclosure(reference: str, settings: Optional[WebSettings] = None) -> bool:
    """Tell the DSL that disclosure `reference` was filed. False (and a log
    line without any content) when e-mail is not configured or failed."""
    canonical = "(malformed reference)"
    try:
        settings = settings or WebSettings.from_env()
        canonical = normalise_reference(str(reference))
        if not is_valid_reference(canonical):
            canonical = "(malformed reference)"
            logger.error("notify: not sending a disclosure notice for a malformed reference")
            return False
        if not settings.smtp.enabled:
            logger.warning("notify: SMTP_HOST is not set, so the DSL was not e-mailed about %s", canonical)
            return False
        recipient = _recipient(settings)
        if not recipient:
            logger.error("notify: no DSL e-mail (DSL_EMAIL or school.yml), so nobody was e-mailed about %s", canonical)
            return False
        _send(disclosure_message(canonical, settings, recipient), settings)
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        logger.error("notify: the DSL could not be e-mailed about %s (%s)", canonical, type(exc).__name__)
        return False
    except Exception as exc:  # never let a notice break the filing that triggered it
        logger.error("notify: unexpected error while e-mailing the DSL (%s)", type(exc).__name__)
        return False
    logger.info("notify: DSL e-mailed about %s", canonical)
    return True
