"""The handler map: every kind of fact the services report, and who reacts to it. One place.

Within the fact's transaction: the alerts about a case, and the «who was it?» prompts after an
answered call with an unknown number, go into the outbox; who talked to a number that is
nobody's goes into the talk log every instance's routing follows; a client's message is relayed
to whoever answers for him. After the commit: the sender (and the client sender) is woken,
routing learns who talked to whom, stored updates are folded, stored routing decisions become
screen pops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hub.domain.cases import CaseFact
from hub.domain.facts import (
    CallTalked,
    ClientWrote,
    DecisionsStored,
    MessagesQueued,
    RepliesQueued,
    UnknownAnswered,
    UpdatesStored,
)
from hub.services.conversations.files import FileRelay
from hub.services.conversations.sender import ClientSender
from hub.services.facts import After, FactHandlers, Within
from hub.services.routing_snapshot import DirectoryCache, record_talks
from notifications.alerts import Alerts
from notifications.prompts import Prompts
from notifications.relay import Relays
from notifications.screen_pop import ScreenPop
from notifications.sender import OutboxSender


def wire(
    handlers: FactHandlers,
    *,
    alerts: Alerts,
    prompts: Prompts,
    relays: Relays,
    sender: OutboxSender,
    clients: ClientSender,
    files: FileRelay,
    directory: DirectoryCache,
    fold: Callable[[], None],
    screen_pop: ScreenPop,
) -> None:
    """Fill the (still empty) maps of ``handlers``, which the services already hold; ``fold``
    wakes whatever folds stored updates (here, or in the folding process)."""

    def wake_sender(_: Sequence[Any]) -> None:
        sender.wake()

    def wake_clients(_: Sequence[Any]) -> None:
        clients.wake()

    def fetch_files(_: Sequence[Any]) -> None:
        files.wake()

    def note_talks(facts: Sequence[CallTalked]) -> None:
        for talk in facts:
            directory.snapshot.note_talk(talk.number, talk.manager_id, talk.at)

    def wake_folder(_: Sequence[UpdatesStored]) -> None:
        fold()

    def pop(facts: Sequence[DecisionsStored]) -> None:
        screen_pop.submit([d for fact in facts for d in fact.decisions])

    within = fold_reactions(alerts, prompts) | {ClientWrote: [relays.react]}
    after: dict[type, list[After]] = {
        CaseFact: [wake_sender],
        MessagesQueued: [wake_sender],
        ClientWrote: [wake_sender, fetch_files],
        RepliesQueued: [wake_clients],
        UnknownAnswered: [wake_sender],
        CallTalked: [note_talks],
        UpdatesStored: [wake_folder],
        DecisionsStored: [pop],
    }
    assert not handlers.within_map, "wired twice"
    assert not handlers.after_map, "wired twice"
    handlers.within_map.update(within)
    handlers.after_map.update(after)


def fold_reactions(alerts: Alerts, prompts: Prompts) -> dict[type, list[Within]]:
    """What folding's facts get within its transaction, wherever it runs: the alerts about a
    case and the «who was it?» prompts go into the outbox, who talked to a number that is
    nobody's into the talk log."""
    return {
        CaseFact: [alerts.react],
        UnknownAnswered: [prompts.react],
        CallTalked: [record_talks],
    }
