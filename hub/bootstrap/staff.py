"""What the staff bot acts through, on Telegram and on MAX alike, built from the app's services:
closing a case, redeeming an invite, triaging a number, click-to-call, a console password link,
answering a client — the same use cases the API calls."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo

from aiohttp import web

from connectors.messaging import OutgoingFile
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.messengers import MESSENGERS
from hub.bootstrap.originate import ORIGINATOR, can_call
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.errors import InvalidInput
from hub.domain.logins import password_link
from hub.domain.people import Redemption
from hub.services.cases import close_case
from hub.services.conversations.replies import send_reply
from hub.services.directory.invites import redeem
from hub.services.directory.triage import triage_by_person
from hub.services.logins.links import issue_link
from notifications.bot.context import BotContext
from storage.models import Manager
from storage.uow import UnitOfWork

# The files a person may send a client.
FILE_KINDS: dict[str, Literal["photo", "document", "voice"]] = {
    "photo": "photo",
    "document": "document",
    "voice": "voice",
}


def bot_context(app: web.Application) -> BotContext:
    settings, clock, factory = app[SETTINGS], app[CLOCK], app[SESSIONS]
    lang = settings.telegram.language

    async def close(person: Manager, case_id: int, reason: str) -> object:
        return await close_case(
            factory, app[HANDLERS], case_id, reason, actor=person.name, now=clock.now(), by=person
        )

    async def redeem_code(code: str, chat_id: int) -> Redemption:
        return await redeem(factory, code, chat_id, now=clock.now())

    async def redeem_on_max(code: str, user_id: int) -> Redemption:
        return await redeem(factory, code, user_id, now=clock.now(), channel="max")

    async def triage(person: Manager, number: str, kind: str, ref: str | int) -> str:
        done = await triage_by_person(
            factory,
            app[HANDLERS],
            person,
            number,
            kind,
            ref,
            region=settings.phone.default_region,
            now=clock.now(),
        )
        await app[DIRECTORY].catch_up()
        return done.entry.resolution or ""

    async def console_link(person: Manager) -> str | None:
        public = settings.http.public_url
        if not public:
            return None
        async with UnitOfWork(factory) as uow:
            code, _ = await issue_link(uow, person.id, actor=person.name, now=clock.now())
            await uow.commit()
        return password_link(public, code)

    async def answer(
        person: Manager,
        conversation_id: int,
        body: str,
        template: bool,
        file: OutgoingFile | None = None,
    ) -> str:
        await send_reply(
            factory,
            app[HANDLERS],
            conversation_id,
            body,
            by=person,
            now=clock.now(),
            channel_types=app[MESSENGERS].types,
            template=template,
            file=file,
        )
        async with UnitOfWork(factory, read_only=True) as uow:
            conversation = await uow.conversations.get(conversation_id)
            client = (
                await uow.clients.get(conversation.client_id)
                if conversation is not None and conversation.client_id
                else None
            )
        if client is not None:
            return client.name
        return (conversation.name or conversation.contact) if conversation is not None else ""

    async def answer_file(
        person: Manager, conversation_id: int, kind: str, name: str, content: bytes, caption: str
    ) -> str:
        known = FILE_KINDS.get(kind)
        if known is None:
            raise InvalidInput(f"a {kind} cannot go to a client", field="file")
        file = OutgoingFile(kind=known, filename=name, content=content)
        return await answer(person, conversation_id, caption, False, file)

    async def originate(person: Manager, number: str) -> object:
        return await app[ORIGINATOR].originate(person.id, number, actor=person.name)

    return BotContext(
        factory=factory,
        close_case=close,
        redeem=redeem_code,
        clock=clock,
        language=lang,
        zone=ZoneInfo(settings.company.timezone),
        triage=triage,
        originate=originate,
        can_call=lambda: can_call(app),
        password_link=console_link,
        answer=answer,
        answer_file=answer_file,
        max_file_size=settings.messages.max_file_size,
        redeem_max=redeem_on_max,
    )
