"""A client's message, relayed to whoever answers for him; a reply that could not be delivered,
told to its author.

A relayed message is one outbox message: a header naming the client, the channel and the
client's status («👤 ООО Ромашка · MAX · постоянный»), then what he wrote (the files he sent
named below it), with the buttons to call him and open his card. The row carries the
conversation: the person's reply to it in his chat finds the client again by the (chat, message
id) pair the sender stores once it is delivered — never by a forward's origin, which clients
may hide.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hub.domain.clock import Clock
from hub.domain.facts import ClientWrote
from notifications.bot.actions import CardAction
from notifications.buttons import contact_row
from notifications.catalogue import Language, text
from notifications.rows import attached_file, outbox_row, photo
from storage.models import Client, Conversation, ConversationMessage
from storage.uow import UnitOfWork

# The names of attachment kinds, as the relay lists them.
_FILES: dict[str, dict[Language, str]] = {
    "photo": {"ru": "фото", "en": "photo"},
    "document": {"ru": "документ", "en": "document"},
    "voice": {"ru": "голосовое", "en": "voice message"},
    "video": {"ru": "видео", "en": "video"},
    "audio": {"ru": "аудио", "en": "audio"},
    "sticker": {"ru": "стикер", "en": "sticker"},
    "location": {"ru": "геопозиция", "en": "location"},
}


class Relays:
    def __init__(self, language: Language, clock: Clock, titles: Mapping[str, str]) -> None:
        """``titles``: each configured messenger's name → what people call it (its type's
        name: Telegram, MAX, VK, WhatsApp)."""
        self._language = language
        self._clock = clock
        self._titles = titles
        self.can_call: Callable[[], bool] = lambda: False

    def who(self, conversation: Conversation, client: Client | None) -> str:
        if client is not None:
            return client.name
        return conversation.name or conversation.phone or text("contact_unknown", self._language)

    def header(self, conversation: Conversation, client: Client | None) -> str:
        lang = self._language
        status = f" · {text(f'client_{client.status}', lang)}" if client is not None else ""
        channel = self._titles.get(conversation.channel, conversation.channel)
        return text(
            "relay_header", lang, who=self.who(conversation, client), channel=channel, status=status
        )

    def body(
        self, conversation: Conversation, message: ConversationMessage, client: Client | None
    ) -> str:
        lang = self._language
        parts = [self.header(conversation, client)]
        if message.text:
            parts.append(message.text)
        files = [
            _FILES.get(str(a.get("kind")), {}).get(lang, str(a.get("kind")))
            + (f" «{a['name']}»" if a.get("name") else "")
            for a in message.attachments or []
        ]
        if files:
            parts.append(text("relay_files", lang, files=", ".join(files)))
        return "\n\n".join(parts)

    def _buttons(
        self, conversation: Conversation, client: Client | None
    ) -> list[list[dict[str, str]]]:
        row: list[dict[str, str]] = []
        if conversation.phone or client is not None:
            number = conversation.phone or ""
            row = contact_row(number, self._language, can_call=self.can_call()) if number else []
        if client is not None:
            row.append(
                {
                    "text": text("button_card", self._language),
                    "callback_data": CardAction(id=client.id).pack(),
                }
            )
        return [row] if row else []

    async def react(self, uow: UnitOfWork, facts: Sequence[ClientWrote]) -> None:
        """Write the relay rows for ``facts`` in the caller's transaction."""
        now = self._clock.now()
        rows: list[dict[str, Any]] = []
        for fact in facts:
            conversation = await uow.conversations.get(fact.conversation_id)
            message = await uow.conversations.message(fact.message_id)
            if conversation is None or message is None:
                continue
            client = (
                await uow.clients.get(conversation.client_id) if conversation.client_id else None
            )
            body = self.body(conversation, message, client)
            buttons = self._buttons(conversation, client)
            for person_id in fact.people:
                person = await uow.managers.get(person_id)
                if person is None or not person.active:
                    continue
                rows.append(
                    outbox_row(
                        f"relay:{message.id}:{person.id}",
                        person,
                        "relay",
                        body,
                        now=now,
                        buttons=buttons or None,
                        conversation_id=conversation.id,
                    )
                )
        await uow.outbox.enqueue(rows)

    async def files(
        self,
        uow: UnitOfWork,
        message: ConversationMessage,
        fetched: list[tuple[dict[str, Any], bytes]],
        problems: list[str],
    ) -> None:
        """The files of a relayed message (and what could not be fetched), to the people the
        message went to: a photo as a picture, anything else as a document, each the message
        itself with a line naming the client as its caption (a reply to it answers the client);
        in the caller's transaction."""
        conversation = await uow.conversations.get(message.conversation_id)
        if conversation is None:
            return
        client = await uow.clients.get(conversation.client_id) if conversation.client_id else None
        line = self.header(conversation, client)
        now = self._clock.now()
        rows: list[dict[str, Any]] = []
        for person_id in await uow.outbox.people_of(f"relay:{message.id}:"):
            person = await uow.managers.get(person_id)
            if person is None or not person.active:
                continue
            for index, (item, content) in enumerate(fetched):
                name = str(item.get("name") or _default_name(item))
                mime = str(item.get("mime") or "application/octet-stream")
                attached = (
                    photo(name, content, mime)
                    if item.get("kind") == "photo"
                    else attached_file(name, content, mime)
                )
                rows.append(
                    outbox_row(
                        f"relay-file:{message.id}:{index}:{person.id}",
                        person,
                        "relay",
                        line,
                        now=now,
                        documents=[attached],
                        conversation_id=conversation.id,
                    )
                )
            if problems:
                note = text(
                    "relay_files_lost", self._language, who=line, problems="\n".join(problems)
                )
                rows.append(
                    outbox_row(
                        f"relay-lost:{message.id}:{person.id}",
                        person,
                        "relay",
                        note,
                        now=now,
                        conversation_id=conversation.id,
                    )
                )
        await uow.outbox.enqueue(rows)

    async def undelivered(self, uow: UnitOfWork, message: ConversationMessage, reason: str) -> None:
        """Tell the author of a reply that did not reach the client."""
        if message.manager_id is None:
            return
        person = await uow.managers.get(message.manager_id)
        conversation = await uow.conversations.get(message.conversation_id)
        if person is None or conversation is None:
            return
        client = await uow.clients.get(conversation.client_id) if conversation.client_id else None
        body = text(
            "relay_undelivered",
            self._language,
            who=self.who(conversation, client),
            channel=self._titles.get(conversation.channel, conversation.channel),
            reason=reason,
            text=message.text[:200],
        )
        await uow.outbox.enqueue(
            [
                outbox_row(
                    f"undelivered:{message.id}",
                    person,
                    "undelivered",
                    body,
                    now=self._clock.now(),
                    conversation_id=conversation.id,
                )
            ]
        )


def _default_name(item: dict[str, Any]) -> str:
    """A file's name where the channel gave none (a photo, a voice message)."""
    return {"photo": "photo.jpg", "voice": "voice.ogg", "video": "video.mp4"}.get(
        str(item.get("kind")), "file"
    )
