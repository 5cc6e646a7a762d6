"""``POST /clients/{id}/conversations/{conversation}/reply``: a person at the console answers a
client in one of his conversations — through the same use case as the API and the staff bot
(``send_reply``), as himself: his name on the message, the client's message case returned.

The conversation must be the client's, and the client one the person sees (else the page is
the card's 404). A refused reply shows the card again with the problem under that
conversation's form and the text as typed; past WhatsApp's 24-hour window it offers the
channel's template instead (the same form, posted with ``template``).
"""

from __future__ import annotations

from aiohttp import web

from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.messengers import MESSENGERS
from hub.bootstrap.pipeline import HANDLERS
from hub.console.access import field, page, person, scope, see_other
from hub.console.client_card import card_page, client_id, missing, visible_card
from hub.console.client_conversations import ReplyProblem
from hub.domain.conversations import WindowClosed
from hub.domain.digits import record_id
from hub.domain.errors import DozvonError, InvalidInput, NotFound
from hub.services.conversations.replies import MAX_TEXT, send_reply
from storage.uow import UnitOfWork

# The longest text the form takes (a longer one is refused by the service with its reason).
FORM_LIMIT = 2 * MAX_TEXT


async def reply(request: web.Request) -> web.StreamResponse:
    me, sees, wanted = person(request), await scope(request), client_id(request)
    conversation_id = record_id(request.match_info["conversation"]) or 0
    posted = await request.post()
    typed = field(posted, "text")[:FORM_LIMIT]
    template = field(posted, "template") == "1"
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        card = await visible_card(uow, sees, wanted)
        conversation = (
            await uow.conversations.get(conversation_id)
            if card is not None and 0 < conversation_id <= 2**31 - 1
            else None
        )
        by = await uow.managers.get(me.id)
    if conversation is None or conversation.client_id != wanted:
        return missing(request)
    try:
        await send_reply(
            request.app[SESSIONS],
            request.app[HANDLERS],
            conversation_id,
            "" if template else typed,
            by=by,
            now=request.app[CLOCK].now(),
            channel_types=request.app[MESSENGERS].types,
            template=template,
        )
    except NotFound:
        return missing(request)
    except WindowClosed:
        problem = ReplyProblem(conversation_id, "clients_reply_window", typed, template=True)
        return await card_page(request, wanted, reply=problem)
    except InvalidInput:
        key = "clients_reply_long" if len(typed.strip()) > MAX_TEXT else "clients_reply_empty"
        return await card_page(request, wanted, reply=ReplyProblem(conversation_id, key, typed))
    except DozvonError:
        problem = ReplyProblem(conversation_id, "clients_reply_failed", typed)
        return await card_page(request, wanted, reply=problem)
    return see_other(f"/clients/{wanted}?done=reply_queued#conversation-{conversation_id}")


ROUTES = [
    web.post(r"/clients/{id:\d+}/conversations/{conversation:\d+}/reply", page(reply)),
]
