"""A stand-in SMTP server: aiosmtpd's SMTP on a loopback port, every mail it accepts recorded.

It runs on the test's own event loop (the port is the one the system gives, no thread), so a
test reads what arrived without locks and waits for it with :func:`until`. Mails are parsed with
the standard library's default policy (``EmailMessage``: ``get_body``, ``iter_attachments``).

``refuse(address)`` answers 550 to that recipient (a bounce: no such mailbox);
``fail_next(code, times)`` answers the next mails' DATA with ``code`` (451: try again later; a 5xx:
refused); ``SmtpStandIn(login=(user, password))`` asks for that login (plain, no TLS needed);
``SmtpStandIn(tls_context=...)`` offers STARTTLS and requires it, and with ``implicit_tls=True``
speaks TLS from the first byte instead. ``settings()`` is the
``[email]`` section that points at it. A test starts one with ``async with SmtpStandIn() as
server``; a test package has it as a fixture by importing :func:`smtp_server` into its
``conftest.py``.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import ssl
import warnings
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Self

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from pydantic import SecretStr

from config.settings import EmailSettings

HOST = "127.0.0.1"
SENDER = "Дозвон <dozvon@example.test>"


@dataclass(frozen=True)
class Mail:
    """One mail the stand-in accepted."""

    sender: str  # MAIL FROM
    recipients: tuple[str, ...]  # RCPT TO, those accepted
    message: EmailMessage
    tls: bool  # it came encrypted (STARTTLS or TLS from the first byte)
    login: str | None  # the user it logged in as


@dataclass
class SmtpStandIn:
    login: tuple[str, str] | None = None
    tls_context: ssl.SSLContext | None = None
    implicit_tls: bool = False
    mails: list[Mail] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)
    failures: list[int] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)  # every login tried, right or wrong
    _server: asyncio.Server | None = field(default=None, init=False)
    _sessions: list[SMTP] = field(default_factory=list, init=False)

    # What the test does.

    def refuse(self, address: str, code: int = 550) -> None:
        """Refuse mail to ``address`` at RCPT from now on (550: no such mailbox)."""
        self.refused[address.lower()] = code

    def fail_next(self, code: int = 451, times: int = 1) -> None:
        """Answer the next ``times`` mails' DATA with ``code`` (nothing of them recorded)."""
        self.failures.extend([code] * times)

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [m.message for m in self.mails if address.lower() in map(str.lower, m.recipients)]

    async def wait_for_messages_to(
        self, address: str, count: int = 1, seconds: float = 10
    ) -> list[EmailMessage]:
        """The mails to ``address`` once there are ``count`` of them."""
        await until(lambda: len(self.messages_to(address)) >= count, seconds)
        return self.messages_to(address)

    def settings(self, **changes: Any) -> EmailSettings:
        """An ``[email]`` section pointing at the stand-in (no TLS, its login if it asks one)."""
        values: dict[str, Any] = {
            "host": HOST,
            "port": self.port,
            "sender": SENDER,
            "security": (
                "none" if not self.tls_context else "tls" if self.implicit_tls else "starttls"
            ),
            "timeout": timedelta(seconds=5),
        }
        if self.login is not None:
            values |= {"username": self.login[0], "password": SecretStr(self.login[1])}
        return EmailSettings(**(values | changes))

    # Its lifecycle.

    @property
    def port(self) -> int:
        assert self._server is not None, "the SMTP stand-in was not started"
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        secure = self.tls_context if self.implicit_tls else None
        self._server = await loop.create_server(self._protocol, HOST, 0, ssl=secure)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        # A connection that failed (a client refusing the certificate) leaves its error on the
        # protocol's close waiter: it is taken here rather than reported when the loop ends.
        waiters = [getattr(session, "_closed", None) for session in self._sessions]
        closing = [waiter for waiter in waiters if isinstance(waiter, asyncio.Future)]
        if closing:
            await asyncio.wait(closing, timeout=2)
        for waiter in closing:
            if waiter.done() and not waiter.cancelled():
                waiter.exception()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.close()

    def _protocol(self) -> SMTP:
        starttls = None if self.implicit_tls else self.tls_context
        with warnings.catch_warnings():
            # It warns of a login asked for without STARTTLS: plain on loopback is the point, and
            # TLS from the first byte is a TLS it does not see.
            warnings.simplefilter("ignore", UserWarning)
            session = self._smtp(starttls)
        self._sessions.append(session)
        return session

    def _smtp(self, starttls: ssl.SSLContext | None) -> SMTP:
        return SMTP(
            _Handler(self),
            hostname="smtp.example.test",
            loop=asyncio.get_running_loop(),
            enable_SMTPUTF8=True,
            tls_context=starttls,
            require_starttls=starttls is not None,
            authenticator=self._authenticate if self.login else None,
            auth_required=self.login is not None,
            auth_require_tls=starttls is not None,
        )

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword) or self.login is None:
            return AuthResult(success=False, handled=False)
        user, password = data.login.decode(), data.password.decode()
        self.logins.append(user)
        success = (user, password) == self.login
        return AuthResult(success=success, handled=False, auth_data=user if success else None)


@dataclass
class _Handler:
    """aiosmtpd's hooks: refuse or accept a recipient, then fail or record the mail."""

    stand_in: SmtpStandIn

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        code = self.stand_in.refused.get(address.lower())
        if code is not None:
            return f"{code} 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.stand_in.failures:
            code = self.stand_in.failures.pop(0)
            return f"{code} {'4.3.0 Try again later' if code < 500 else '5.7.1 Message refused'}"
        # Lines end in CRLF on the wire and in LF in a mailbox, where a reader finds them.
        content = (envelope.original_content or b"").replace(b"\r\n", b"\n")
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.stand_in.mails.append(
            Mail(
                sender=envelope.mail_from or "",
                recipients=tuple(envelope.rcpt_tos),
                message=message,
                tls=server.transport is not None
                and server.transport.get_extra_info("ssl_object") is not None,
                login=session.auth_data if isinstance(session.auth_data, str) else None,
            )
        )
        return "250 Message accepted for delivery"


async def until(check: Callable[[], object], seconds: float = 10) -> None:
    """Wait until ``check()`` is true, polling, or fail the test after ``seconds``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        assert loop.time() < deadline, "timed out waiting for the SMTP stand-in"
        await asyncio.sleep(0.02)


@pytest.fixture
async def smtp_server() -> AsyncIterator[SmtpStandIn]:
    """A started stand-in, closed after the test."""
    async with SmtpStandIn() as server:
        yield server
