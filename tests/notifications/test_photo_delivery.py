"""A message with a picture through real aiogram to the stand-in Bot API: one sendPhoto with the
text as its caption; a text too long for a caption first, then the picture; each part once,
across failures and retries."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestServer
from sqlalchemy import select

from notifications.rows import attached_file, chat_row, document, photo
from notifications.sender import CAPTION_LIMIT, fits_caption
from storage.db import SessionFactory
from storage.models import OutboxMessage
from storage.types import utcnow
from storage.uow import UnitOfWork
from tests.support.outbox_sender import queued_sender
from tests.support.telegram_stub import BotApiStub, until, until_true

PICTURE = b"\x89PNG\r\n\x1a\n" + b"picture" * 100
CHAT = 1000


async def _send(
    factory: SessionFactory, server: TestServer, rows: list[dict[str, Any]]
) -> list[OutboxMessage]:
    """Queue ``rows``, run a sender until each is sent, and return them as they ended."""
    sender, bot = await queued_sender(
        factory,
        server,
        rows,
        per_chat_interval=0,
        global_rate=100,
        poll_interval=0.05,
        max_backoff=0.2,
    )

    async def all_sent() -> bool:
        async with UnitOfWork(factory, read_only=True) as uow:
            return await uow.outbox.counts() == {"sent": len(rows)}

    sender.start()
    try:
        await until_true(all_sent)
    finally:
        await sender.stop()
        await bot.session.close()
    async with factory() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        return list((await session.scalars(query)).all())


def test_caption_limit_counts_as_telegram_does() -> None:
    assert fits_caption("я" * CAPTION_LIMIT)
    assert not fits_caption("я" * (CAPTION_LIMIT + 1))
    assert not fits_caption("📊" * (CAPTION_LIMIT // 2 + 1))  # two UTF-16 units each


async def test_picture_with_the_text_as_caption_once(
    stub: tuple[BotApiStub, TestServer], factory: SessionFactory
) -> None:
    fake, server = stub
    fake.fail(500, 1)  # the first sendPhoto fails: sent again, and once only
    body = "📊 Команда Ольга за 2026-11-24\nпропущено: 1"
    row = chat_row(
        "digest", CHAT, "digest", body, now=utcnow(), documents=[photo("d.png", PICTURE)]
    )
    [sent] = await _send(factory, server, [row])
    assert fake.photos_to(CHAT) == [(body, PICTURE)]
    assert fake.sent_to(CHAT) == []
    assert fake.calls("sendDocument") == []
    assert sent.remote_message_id is not None
    assert [d.get("sent") for d in sent.documents or []] == [True]


async def test_long_text_then_picture_then_files_each_once(
    stub: tuple[BotApiStub, TestServer], factory: SessionFactory
) -> None:
    fake, server = stub
    body = "📋 Длинный отчёт\n" + "строка отчёта\n" * 100
    assert not fits_caption(body)
    files = [photo("chart.png", PICTURE), document("report.csv", b"a;b\n1;2\n", "text/csv")]
    fake.fail_documents(500, 1)  # the file fails once: the text and the picture are not resent
    row = chat_row("report", CHAT, "report", body, now=utcnow(), documents=files)
    [sent] = await _send(factory, server, [row])
    assert fake.sent_to(CHAT) == [body]
    assert fake.photos_to(CHAT) == [("📋 Длинный отчёт", PICTURE)]
    assert fake.documents_to(CHAT) == [("report.csv", b"a;b\n1;2\n")]
    order = [r.method for r in fake.requests if r.method.startswith("send")]
    assert order == ["sendMessage", "sendPhoto", "sendDocument"]
    assert sent.attempts >= 2


async def test_a_file_as_the_message_goes_once_captioned_and_after_a_long_text_bare(
    stub: tuple[BotApiStub, TestServer], factory: SessionFactory
) -> None:
    """A file marked to be the message: one sendDocument with the text as its caption (sent
    again after a failure, once only, its id kept for replies); after a text too long for a
    caption, the text first and the file bare."""
    fake, server = stub
    fake.fail_documents(500, 1)
    contract = b"%PDF-1.7 contract"
    short = chat_row(
        "relay-file",
        CHAT,
        "relay",
        "👤 ООО Ромашка · Telegram",
        now=utcnow(),
        documents=[attached_file("договор.pdf", contract, "application/pdf")],
    )
    long_text = "👤 ООО Ромашка · Telegram\n" + "строка\n" * 400
    assert not fits_caption(long_text)
    long = chat_row(
        "relay-file-long",
        CHAT + 1,
        "relay",
        long_text,
        now=utcnow(),
        documents=[attached_file("счёт.pdf", contract, "application/pdf")],
    )
    sent = {row.dedup_key: row for row in await _send(factory, server, [short, long])}
    assert fake.document_failures == []  # the failure came, and was sent past
    [captioned] = [r for r in fake.calls("sendDocument") if int(r.params["chat_id"]) == CHAT]
    assert captioned.params["caption"] == "👤 ООО Ромашка · Telegram"
    assert fake.documents_to(CHAT) == [("договор.pdf", contract)]
    assert fake.sent_to(CHAT) == []
    assert sent["relay-file"].remote_message_id == captioned.result["message_id"]
    assert fake.sent_to(CHAT + 1) == [long_text]
    [bare] = [r for r in fake.calls("sendDocument") if int(r.params["chat_id"]) == CHAT + 1]
    assert "caption" not in bare.params
    assert sent["relay-file-long"].remote_message_id != bare.result["message_id"]


async def test_console_logs_the_picture(
    stub: tuple[BotApiStub, TestServer], factory: SessionFactory, caplog: Any
) -> None:
    _, server = stub
    caplog.set_level("INFO")
    row = chat_row("nochat", None, "digest", "📊 Компания", now=utcnow())
    row["documents"] = [photo("d.png", PICTURE)]
    await _send(factory, server, [row])
    await until(lambda: "picture (no Telegram chat" in caplog.text)
    assert "📊 Компания" in caplog.text
