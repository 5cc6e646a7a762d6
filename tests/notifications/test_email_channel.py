"""The e-mail channel against a real SMTP server (the stand-in): what a mail carries, how the
server's refusals reach the sender, and the ways to the server (login, STARTTLS, TLS)."""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator
from datetime import timedelta
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path

import pytest

from config.settings import EmailSettings
from notifications.channels import Rejected, Temporary, Unreachable
from notifications.email import EmailChannel
from tests.support.smtp import SmtpStandIn

ANNA = 7
ANNA_ADDRESS = "anna@example.test"
NOBODY = 8  # a person with no address
ADDRESSES: dict[int, str | None] = {ANNA: ANNA_ADDRESS, NOBODY: None}

ALERT = "📞 Пропущенный звонок от ООО «Ромашка»\n+7 999 123-45-67\nЗвонил 2 раза"
BUTTONS = [
    [
        {"text": "Позвонить", "callback_data": "call:79991234567"},
        {"text": "WhatsApp", "url": "https://wa.me/79991234567"},
    ],
    [{"text": "🎧 Запись", "url": "https://dozvon.example.test/r/abc?x=1&y=2"}],
    [{"text": "Перезвонил", "callback_data": "close:5"}],
]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpStandIn]:
    async with SmtpStandIn() as server:
        yield server


async def address_of(person_id: int) -> str | None:
    return ADDRESSES.get(person_id)


def channel_for(server: SmtpStandIn, **changes: object) -> EmailChannel:
    return EmailChannel(server.settings(**changes), address_of)


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def decoded(message: EmailMessage, name: str) -> str:
    """A header as RFC 2047 reads it: the space between two encoded words is no space. (The
    standard library's address parser keeps it, and would show names spaced wrong.)"""
    [raw] = [value for key, value in message.raw_items() if key.lower() == name.lower()]
    return str(make_header(decode_header("".join(str(raw).splitlines()))))


def plain_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


async def test_a_message_is_one_mail_in_plain_text_and_html(smtp: SmtpStandIn) -> None:
    sent_id = await channel_for(smtp).send(ANNA, ALERT, BUTTONS)

    [mail] = smtp.mails
    message = mail.message
    assert mail.recipients == (ANNA_ADDRESS,)
    assert mail.sender == "dozvon@example.test"
    assert message["Subject"] == "📞 Пропущенный звонок от ООО «Ромашка»"
    assert message["From"].addresses[0].display_name == "Дозвон"
    assert message["To"] == ANNA_ADDRESS
    assert message["Message-ID"] == sent_id
    assert sent_id.startswith("<") and sent_id.endswith("@example.test>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    plain = plain_of(message)
    assert plain.startswith(ALERT + "\n\n")
    assert "+7 999 123-45-67\nЗвонил 2 раза" in plain
    assert "Позвонить" not in plain
    assert "Перезвонил" not in plain


async def test_links_are_buttons_and_the_bots_buttons_are_left_out(
    smtp: SmtpStandIn,
) -> None:
    await channel_for(smtp).send(ANNA, ALERT, BUTTONS)

    [message] = smtp.messages_to(ANNA_ADDRESS)
    plain = plain_of(message)
    assert "WhatsApp: https://wa.me/79991234567" in plain
    assert "🎧 Запись: https://dozvon.example.test/r/abc?x=1&y=2" in plain
    page = html_of(message)
    assert '<a href="https://wa.me/79991234567" style="' in page
    assert '<a href="https://dozvon.example.test/r/abc?x=1&amp;y=2"' in page
    assert ">🎧 Запись</a>" in page
    assert page.count("<a ") == 2
    assert "Позвонить" not in page
    assert "close:5" not in page


async def test_the_text_is_escaped_in_html_and_keeps_its_lines(smtp: SmtpStandIn) -> None:
    text = "Клиент <script>alert('x')</script> & Co\nвторая строка"
    await channel_for(smtp).send(ANNA, text, None)

    [message] = smtp.messages_to(ANNA_ADDRESS)
    page = html_of(message)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co<br>вторая строка" in page
    assert "<a " not in page
    assert message["Subject"] == "Клиент <script>alert('x')</script> & Co"
    assert plain_of(message) == text + "\n"


async def test_a_long_first_line_is_cut_for_the_subject(smtp: SmtpStandIn) -> None:
    title = "Сводка за неделю: " + "пропущенные звонки менеджеров отдела продаж " * 5
    await channel_for(smtp).send(ANNA, title + "\nцифры", None)

    [message] = smtp.messages_to(ANNA_ADDRESS)
    subject = str(message["Subject"])
    assert subject.endswith("…")
    assert len(subject) <= 120
    assert title.startswith(subject[:-1])
    assert "цифры" not in subject
    assert title in plain_of(message)


async def test_long_names_keep_their_spaces(smtp: SmtpStandIn) -> None:
    sender = "Дозвон — оповещения отдела продаж компании «Ромашка» <alerts@example.test>"
    text = "Сводка: " + "пропущенные звонки за неделю " * 3
    channel = channel_for(smtp, sender=sender)

    await channel.send(ANNA, text, None)

    [mail] = smtp.mails
    assert mail.sender == "alerts@example.test"
    assert mail.message["Subject"] == text.strip()
    assert decoded(mail.message, "Subject") == text.strip()
    assert decoded(mail.message, "From") == sender


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("Звонки_2026-11.csv", "text/csv"),
        (
            "report.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("chart.png", "image/png"),
    ],
)
async def test_a_file_is_a_mail_with_it_attached(
    smtp: SmtpStandIn, filename: str, content_type: str
) -> None:
    content = "\ufeffНомер;Звонков\r\n+79991234567;3\r\n".encode() + bytes([0, 255, 10])
    await channel_for(smtp).send_document(ANNA, filename, content)

    [message] = smtp.messages_to(ANNA_ADDRESS)
    assert message["Subject"] == f"📎 {filename}"
    [attached] = list(message.iter_attachments())
    assert attached.get_filename() == filename
    assert attached.get_content_type() == content_type
    assert attached.get_payload(decode=True) == content


async def test_a_file_sent_as_the_message_has_its_caption_for_subject_and_body(
    smtp: SmtpStandIn,
) -> None:
    caption = "👤 ООО Ромашка · MAX\n📎 договор.pdf"
    sent_id = await channel_for(smtp).send_document(
        ANNA, "договор.pdf", b"%PDF-1.7", caption, BUTTONS
    )

    [message] = smtp.messages_to(ANNA_ADDRESS)
    assert message["Message-ID"] == sent_id
    assert message["Subject"] == "👤 ООО Ромашка · MAX"
    assert "📎 договор.pdf" in plain_of(message)
    [attached] = list(message.iter_attachments())
    assert (attached.get_filename(), attached.get_payload(decode=True)) == (
        "договор.pdf",
        b"%PDF-1.7",
    )


async def test_a_picture_is_in_the_page_and_attached(smtp: SmtpStandIn) -> None:
    caption = "📊 Сводка за неделю\nПропущено: 12"
    sent_id = await channel_for(smtp).send_photo(ANNA, PNG, caption, BUTTONS)

    [message] = smtp.messages_to(ANNA_ADDRESS)
    assert message["Message-ID"] == sent_id
    assert message["Subject"] == "📊 Сводка за неделю"
    assert plain_of(message).startswith(caption)
    related = message.get_body(("related",))
    assert related is not None
    assert related.get_content_type() == "multipart/related"
    page_part, image = list(related.iter_parts())
    assert image.get_content_type() == "image/png"
    assert image.get_payload(decode=True) == PNG
    content_id = str(image["Content-ID"]).strip("<>")
    page = str(page_part.get_content())
    assert f'<img src="cid:{content_id}"' in page
    assert page.index("<img") < page.index("Пропущено: 12")
    assert "wa.me/79991234567" in page
    [attached] = list(message.iter_attachments())
    assert attached.get_filename() == "chart.png"
    assert attached.get_payload(decode=True) == PNG


async def test_a_refused_recipient_is_unreachable(smtp: SmtpStandIn) -> None:
    smtp.refuse(ANNA_ADDRESS)

    with pytest.raises(Unreachable, match="550"):
        await channel_for(smtp).send(ANNA, ALERT, None)
    assert smtp.mails == []


async def test_try_again_later_is_temporary_and_the_retry_goes_out(
    smtp: SmtpStandIn,
) -> None:
    channel = channel_for(smtp)
    smtp.fail_next(451)

    with pytest.raises(Temporary, match="451"):
        await channel.send(ANNA, ALERT, None)
    assert smtp.mails == []
    await channel.send(ANNA, ALERT, None)
    assert len(smtp.messages_to(ANNA_ADDRESS)) == 1


async def test_a_refused_mail_is_rejected(smtp: SmtpStandIn) -> None:
    smtp.fail_next(554)

    with pytest.raises(Rejected, match="554"):
        await channel_for(smtp).send(ANNA, ALERT, None)


@pytest.mark.parametrize("person", [NOBODY, 99, None])
async def test_a_person_without_an_address_is_unreachable(
    smtp: SmtpStandIn, person: int | None
) -> None:
    with pytest.raises(Unreachable, match="no e-mail address"):
        await channel_for(smtp).send(person, ALERT, None)
    with pytest.raises(Unreachable, match="no e-mail address"):
        await channel_for(smtp).send_document(person, "a.csv", b"1")
    assert smtp.mails == []


@pytest.mark.parametrize(
    "address",
    [
        "anna@example.test\r\nBcc: everyone@example.test",
        "anna@example.test> NOTIFY=NEVER",
        "Анна <anna@example.test>",
        "anna@example.test, boss@example.test",
        "anna",
    ],
)
async def test_an_address_that_is_no_address_is_unreachable(
    smtp: SmtpStandIn, address: str
) -> None:
    async def injected(person_id: int) -> str | None:
        return address

    channel = EmailChannel(smtp.settings(), injected)
    with pytest.raises(Unreachable, match="not an e-mail address"):
        await channel.send(ANNA, ALERT, None)
    assert smtp.mails == []


async def test_only_links_a_mail_can_open_are_drawn_and_an_empty_caption_has_a_subject(
    smtp: SmtpStandIn,
) -> None:
    buttons = [
        [
            {"text": "Бот", "url": "javascript:alert(1)"},
            {"text": "Сайт", "url": "https://example.test"},
        ]
    ]
    await channel_for(smtp).send_photo(ANNA, PNG, "", buttons)

    [message] = smtp.messages_to(ANNA_ADDRESS)
    assert message["Subject"] == "Дозвон"
    page = html_of(message)
    assert "javascript" not in page
    assert '<a href="https://example.test"' in page
    assert "javascript" not in plain_of(message)


async def test_an_edit_sends_nothing(smtp: SmtpStandIn) -> None:
    channel = channel_for(smtp)
    sent_id = await channel.send(ANNA, ALERT, BUTTONS)

    await channel.edit(ANNA, sent_id, "✅ Перезвонил", None)
    await channel.send(ANNA, "после правки", None)

    subjects = [m["Subject"] for m in smtp.messages_to(ANNA_ADDRESS)]
    assert subjects == ["📞 Пропущенный звонок от ООО «Ромашка»", "после правки"]


async def test_it_logs_in_when_a_username_is_set() -> None:
    async with SmtpStandIn(login=("dozvon", "s3cret")) as server:
        await channel_for(server).send(ANNA, ALERT, None)

        [mail] = server.mails
        assert mail.login == "dozvon"


async def test_a_refused_login_is_temporary_and_logged_once_until_it_works(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with SmtpStandIn(login=("dozvon", "s3cret")) as server:
        channel = EmailChannel(server.settings(password="wrong"), address_of)
        with caplog.at_level(logging.INFO, logger="notifications.email"):
            for _ in range(2):
                with pytest.raises(Temporary, match="535"):
                    await channel.send(ANNA, ALERT, None)
            assert set(server.logins) == {"dozvon"}
            server.login = ("dozvon", "wrong")  # the account's password is what is configured
            await channel.send(ANNA, ALERT, None)

        assert len(server.mails) == 1
        lines = [r.getMessage() for r in caplog.records]
        assert sum("cannot be used" in line for line in lines) == 1
        assert sum("sends again" in line for line in lines) == 1
        assert not any("wrong" in line for line in lines)


async def test_no_server_is_temporary() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with SmtpStandIn() as server:
        settings = server.settings(port=port)
    with pytest.raises(Temporary):
        await EmailChannel(settings, address_of).send(ANNA, ALERT, None)


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """A port that accepts connections and never says a word."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    yield int(server.sockets[0].getsockname()[1])
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_server_that_does_not_answer_is_temporary(
    smtp: SmtpStandIn, silent_server: int
) -> None:
    settings = smtp.settings(port=silent_server, timeout=timedelta(milliseconds=300))
    with pytest.raises(Temporary):
        await EmailChannel(settings, address_of).send(ANNA, ALERT, None)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1: (the server's context, a client's trusting it)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-nodes", "-days", "2",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-keyout", str(key), "-out", str(cert),
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    return server, ssl.create_default_context(cafile=str(cert))


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "tls"])
async def test_mail_goes_encrypted_with_the_login(
    certificate: tuple[ssl.SSLContext, ssl.SSLContext], implicit: bool
) -> None:
    server_side, client_side = certificate
    async with SmtpStandIn(
        login=("dozvon", "s3cret"), tls_context=server_side, implicit_tls=implicit
    ) as server:
        settings = server.settings()
        assert settings.security == ("tls" if implicit else "starttls")
        await EmailChannel(settings, address_of, tls_context=client_side).send(ANNA, ALERT, None)

        [mail] = server.mails
        assert mail.tls
        assert mail.login == "dozvon"


async def test_starttls_is_never_given_up_for_the_clear(smtp: SmtpStandIn) -> None:
    with pytest.raises(Temporary, match="STARTTLS"):
        await channel_for(smtp, security="starttls").send(ANNA, ALERT, None)
    assert smtp.mails == []


async def test_an_untrusted_certificate_is_temporary(
    certificate: tuple[ssl.SSLContext, ssl.SSLContext],
) -> None:
    server_side, _ = certificate
    async with SmtpStandIn(tls_context=server_side) as server:
        with pytest.raises(Temporary):
            await EmailChannel(server.settings(), address_of).send(ANNA, ALERT, None)
        assert server.mails == []


def test_it_needs_a_host() -> None:
    with pytest.raises(ValueError, match="host"):
        EmailChannel(EmailSettings(), address_of)
