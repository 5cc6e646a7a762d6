"""The e-mail channel: alerts, digests and reports to people who read them by mail (SMTP).

A person's "chat" here is his id; the channel asks ``address_of`` for his address when it sends
(an address changed in the directory is used at once). Each message is one mail: the text's
first line is the subject, the body is plain text and HTML (:mod:`notifications.email_render`);
a report's file is a mail with the file attached (a client's file relayed: the mail of its
caption, with the file attached); a digest's chart is a mail with the picture in its HTML and
attached. A mail cannot be changed once sent: an edit sends nothing.

It connects for each mail (alerts are few; no connection to keep alive or to find dead), with
the ``security`` the settings name: STARTTLS, TLS from the first byte, or none (a relay on the
same machine), logging in when a username is set. A mail that takes longer than ``timeout`` in
all is given up and retried: well within the sender's lease on a message.

What the server answers is translated for the sender: the recipient refused for good (a 5xx to
RCPT: no such mailbox) → this person is unreachable by e-mail; a 4xx, a refused login, a
connection lost or never made, a timeout → try again later; any other 5xx → the mail is refused
for good. The server being unusable is logged once when it starts and once when it ends.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

import aiosmtplib

from config.settings import EmailSettings
from notifications.channels import Rejected, Temporary, Unreachable
from notifications.email_render import file_type, html_body, plain_body, subject

log = logging.getLogger(__name__)

AddressOf = Callable[[int], Awaitable[str | None]]
# What a person's address may look like: one mailbox, nothing that could end an SMTP command or
# start a header.
ADDRESS = re.compile(r"[^\s<>\"@,;]+@[^\s<>\"@,;]+")
# The name a digest's chart is attached under.
CHART_NAME = "chart.png"


class EmailChannel:
    """Delivers the outbox's messages by mail through the SMTP server of ``settings``.

    ``address_of(person_id)`` gives a person's address (None when he has none). ``tls_context``
    replaces the system's trusted authorities (a company's own CA; the tests' certificate).
    """

    def __init__(
        self,
        settings: EmailSettings,
        address_of: AddressOf,
        *,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        if not settings.host:
            raise ValueError("the e-mail channel needs [email] host")
        self._settings = settings
        self._host = settings.host
        self._address_of = address_of
        self._tls_context = tls_context
        self._sender = parseaddr(settings.sender)[1] or settings.sender
        self._domain = self._sender.rpartition("@")[2] or "localhost"
        self._failing = False

    async def send(self, chat_id: int | None, text: str, buttons: Any) -> str:
        message = self._message(await self._address(chat_id), subject(text))
        message.set_content(plain_body(text, buttons))
        message.add_alternative(html_body(text, buttons), subtype="html")
        return await self._deliver(message)

    async def edit(
        self, chat_id: int | None, message_id: int | str, text: str, buttons: Any
    ) -> None:
        log.debug(
            "mail %s to person %s cannot be edited: the change is not sent", message_id, chat_id
        )

    async def send_document(
        self,
        chat_id: int | None,
        filename: str,
        content: bytes,
        caption: str = "",
        buttons: Any = None,
    ) -> str:
        title = f"📎 {filename}"
        message = self._message(
            await self._address(chat_id), subject(caption) if caption else title
        )
        if caption:
            message.set_content(plain_body(caption, buttons))
            message.add_alternative(html_body(caption, buttons), subtype="html")
        else:
            message.set_content(title + "\n")
        maintype, subtype = file_type(filename)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
        return await self._deliver(message)

    async def send_photo(
        self, chat_id: int | None, photo: bytes, caption: str, buttons: Any
    ) -> str:
        message = self._message(await self._address(chat_id), subject(caption))
        cid = make_msgid(domain=self._domain)
        message.set_content(plain_body(caption, buttons))
        message.add_alternative(html_body(caption, buttons, image_cid=cid[1:-1]), subtype="html")
        page = message.get_body(("html",))
        assert isinstance(page, EmailMessage)
        page.add_related(
            photo,
            maintype="image",
            subtype="png",
            cid=cid,
            filename=CHART_NAME,
            disposition="inline",
        )
        message.add_attachment(photo, maintype="image", subtype="png", filename=CHART_NAME)
        return await self._deliver(message)

    async def _address(self, chat_id: int | None) -> str:
        address = (await self._address_of(chat_id) or "").strip() if chat_id is not None else ""
        if not address:
            raise Unreachable("no e-mail address")
        if not ADDRESS.fullmatch(address):
            raise Unreachable(f"not an e-mail address: {address!r}")
        return address

    def _message(self, address: str, title: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._settings.sender
        message["To"] = address
        if title.isascii():
            message["Subject"] = title
        else:
            message.set_raw("Subject", _encoded_subject(title))
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(domain=self._domain)
        # Alerts, not letters: no vacation notice or other automatic answer comes back.
        message["Auto-Submitted"] = "auto-generated"
        message["X-Auto-Response-Suppress"] = "All"
        return message

    async def _deliver(self, message: EmailMessage) -> str:
        """Send ``message``; its Message-ID, or the error the sender understands."""
        settings = self._settings
        seconds = settings.timeout.total_seconds()
        password = settings.password.get_secret_value() if settings.password else None
        try:
            async with asyncio.timeout(seconds):
                await aiosmtplib.send(
                    message,
                    sender=self._sender,
                    recipients=[str(message["To"])],
                    hostname=self._host,
                    port=settings.port,
                    username=settings.username or None,
                    password=password if settings.username else None,
                    use_tls=settings.security == "tls",
                    start_tls=settings.security == "starttls",
                    tls_context=self._tls_context,
                    timeout=seconds,
                )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise _refused(exc.recipients[0]) from exc
        except aiosmtplib.SMTPRecipientRefused as exc:
            raise _refused(exc) from exc
        except (
            aiosmtplib.SMTPAuthenticationError,
            aiosmtplib.SMTPHeloError,
            aiosmtplib.SMTPConnectError,
            aiosmtplib.SMTPServerDisconnected,
            aiosmtplib.SMTPTimeoutError,
            aiosmtplib.SMTPNotSupported,
        ) as exc:
            raise self._outage(exc) from exc
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500:
                raise Rejected(f"{exc.code} {exc.message}") from exc
            raise Temporary(f"{exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            # TimeoutError (ours, from asyncio.timeout) is an OSError, and so is a TLS failure.
            raise self._outage(exc) from exc
        if self._failing:
            self._failing = False
            log.info("e-mail: the SMTP server %s:%s sends again", self._host, settings.port)
        return str(message["Message-ID"])

    def _outage(self, exc: Exception) -> Temporary:
        """The server cannot be used (not there, not answering, our login refused): retry later;
        said in the log once until a mail goes out again."""
        reason = _describe(exc)
        if not self._failing:
            self._failing = True
            log.warning(
                "e-mail: the SMTP server %s:%s cannot be used: %s",
                self._host,
                self._settings.port,
                reason,
            )
        return Temporary(reason)


def _encoded_subject(title: str) -> str:
    """A non-ASCII subject as RFC 2047 words on lines short enough to go out as they are.

    Python 3.11 folds a long one so that the space where it folds can fall between two encoded
    words, where a reader drops it («пропущенныезвонки»); the older encoder keeps every space
    inside a word. (Addresses fold correctly: ``From`` is left to the standard way.)
    """
    return Header(title, "utf-8", maxlinelen=76, header_name="Subject").encode()


def _refused(exc: aiosmtplib.SMTPRecipientRefused) -> Unreachable | Temporary:
    """A recipient refused: for good on a 5xx (no such mailbox), for now otherwise."""
    reason = f"{exc.recipient} refused: {exc.code} {exc.message}"
    return Unreachable(reason) if exc.code >= 500 else Temporary(reason)


def _describe(exc: Exception) -> str:
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{exc.code} {exc.message}"
    return str(exc) or type(exc).__name__
