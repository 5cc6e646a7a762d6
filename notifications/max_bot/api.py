"""What the staff bot asks of MAX beyond what the alerts' channel does: answer a pressed button,
tell its own name, subscribe its webhook.

It is the alerts' :class:`~notifications.max.MaxChannel` (the same requests, trust and errors:
sending to a person by ``?user_id=`` with buttons as an inline keyboard) with three more calls:
``POST /answers?callback_id=`` (a notification and/or a new message in place of the one the
button was under — MAX wants at least one of them), ``GET /me`` and ``POST /subscriptions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aiohttp

from notifications.channels import Rejected, Temporary
from notifications.max import MaxChannel, keyboard


class MaxBotApi(MaxChannel):
    async def answer(
        self,
        callback_id: str,
        *,
        notification: str | None = None,
        text: str | None = None,
        buttons: Any = None,
    ) -> None:
        """Answer a press: ``notification`` shows once; ``text`` (with ``buttons``, none takes
        them away) replaces the message the button was under."""
        body: dict[str, Any] = {}
        if notification:
            body["notification"] = notification
        if text is not None:
            body["message"] = {"text": text, "attachments": keyboard(buttons)}
        await self._call("POST", "/answers", {"callback_id": callback_id}, body)

    async def download(self, url: str, limit: int) -> bytes | None:
        """A file a person sent the bot (the URL MAX gave with it; the bot's token is not sent
        to the file server); None when it is over ``limit`` bytes."""
        try:
            async with self._session.get(url, timeout=self._timeout, ssl=self._tls) as response:
                if response.status >= 400:
                    raise Temporary(f"MAX's file server answered {response.status}")
                if (response.content_length or 0) > limit:
                    return None
                content = await response.content.read(limit + 1)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Temporary(f"MAX's file server could not be reached ({exc})") from exc
        return None if len(content) > limit else content

    async def me(self) -> dict[str, Any]:
        """The bot itself: ``user_id``, ``username``, ``first_name``."""
        return await self._call("GET", "/me", {}, None)

    async def subscribe(self, url: str, update_types: Sequence[str], secret: str) -> None:
        """Have MAX post these updates to ``url`` with ``secret`` in ``X-Max-Bot-Api-Secret``."""
        body = {"url": url, "update_types": list(update_types), "secret": secret}
        answer = await self._call("POST", "/subscriptions", {}, body)
        if answer.get("success") is False:
            raise Rejected(f"MAX refused the webhook: {answer.get('message') or 'no reason'}")
