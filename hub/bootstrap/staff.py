"""What the staff bot acts through, built from the app's services: closing a case, redeeming an
invite, triaging a number, click-to-call — the same use cases the API calls."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiohttp import web
from pydantic import ValidationError

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.originate import ORIGINATOR, can_call
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.errors import InvalidInput, NotFound
from hub.domain.people import Redemption
from hub.services.cases import close_case
from hub.services.directory.commands import TriageRequest
from hub.services.directory.invites import redeem
from hub.services.directory.triage import triage_and_commit
from notifications.bot.context import BotContext
from notifications.catalogue import text
from storage.models import Manager
from storage.uow import UnitOfWork


def bot_context(app: web.Application) -> BotContext:
    settings, clock, factory = app[SETTINGS], app[CLOCK], app[SESSIONS]
    lang = settings.telegram.language

    async def close(person: Manager, case_id: int, reason: str) -> object:
        return await close_case(
            factory, app[HANDLERS], case_id, reason, actor=person.name, now=clock.now(), by=person
        )

    async def redeem_code(code: str, chat_id: int) -> Redemption:
        return await redeem(factory, code, chat_id, now=clock.now())

    async def triage(person: Manager, number: str, kind: str, ref: str | int) -> str:
        if kind == "list":
            async with UnitOfWork(factory, read_only=True) as uow:
                found = [lst for lst in await uow.lists.all() if lst.id == ref]
            if not found:
                raise NotFound(f"list {ref} does not exist")
            body: dict[str, object] = {"action": "list", "list": found[0].slug}
            words = text("triage_listed", lang, title=found[0].title)
        elif kind == "link":
            body = {"action": "link", "client_id": ref}
        else:
            body = {"action": "new_client", "name": ref}
        try:
            action = TriageRequest.model_validate({"triage": body}).triage
        except ValidationError as exc:
            raise InvalidInput(str(exc.errors()[0]["msg"])) from exc
        done = await triage_and_commit(
            factory,
            app[HANDLERS],
            number,
            action,
            actor=person.name,
            region=settings.phone.default_region,
            now=clock.now(),
            by=person.id,
        )
        await app[DIRECTORY].catch_up()
        if kind == "list":
            return words
        async with UnitOfWork(factory, read_only=True) as uow:
            client = await uow.clients.get(int((done.entry.resolution or ":0").split(":")[1]))
        name = client.name if client is not None else ""
        return text("triage_linked" if kind == "link" else "triage_created", lang, name=name)

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
    )
