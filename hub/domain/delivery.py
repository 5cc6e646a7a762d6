"""What can go wrong delivering a message through a messenger, named so the sender knows what to
do: wait exactly this long, retry later, stop (this chat is unreachable), or give it up (refused
for good). Staff channels (notifications) and clients' messengers (connectors) raise the same."""

from __future__ import annotations

from hub.domain.errors import DozvonError


class DeliveryError(DozvonError):
    """Root of delivery errors."""


class RetryAfter(DeliveryError):
    """The messenger asked us to wait (a 429 with the seconds to wait)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class Unreachable(DeliveryError):
    """The person cannot be reached in this chat (blocked the bot, chat gone): stop trying."""


class Temporary(DeliveryError):
    """A network error or a server error: try again later."""


class Rejected(DeliveryError):
    """The messenger refused this message for good (a malformed request): dead-letter it."""
