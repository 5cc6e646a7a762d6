"""Buttons' data declared without aiogram (notifications/button_data.py): packed exactly as
aiogram's CallbackData packs it — buttons already under messages keep working —, within
Telegram's 64 bytes, and refused by name when it cannot be."""

from __future__ import annotations

import pytest
from aiogram.filters.callback_data import CallbackData

from notifications.bot.actions import (
    CallAction,
    CardAction,
    CloseAction,
    TemplateAction,
    TriageAction,
)
from notifications.button_data import ButtonData
from tests.support.imports import loaded


class _Triage(CallbackData, prefix="tri"):
    a: str
    n: str
    arg: int = 0


class _Call(CallbackData, prefix="call"):
    n: str


class _Card(CallbackData, prefix="card"):
    id: int


def test_packed_as_aiogram_packs_it_and_read_back_both_ways() -> None:
    pairs: list[tuple[ButtonData, CallbackData]] = [
        (TriageAction(a="to", n="+79161234567", arg=12), _Triage(a="to", n="+79161234567", arg=12)),
        (TriageAction(a="cancel", n="+74951234567"), _Triage(a="cancel", n="+74951234567")),
        (CallAction(n="+79161234567"), _Call(n="+79161234567")),
        (CardAction(id=7), _Card(id=7)),
    ]
    for ours, theirs in pairs:
        assert ours.pack() == theirs.pack()
        assert type(ours).unpack(theirs.pack()) == ours
        assert type(theirs).unpack(ours.pack()) == theirs
    assert CloseAction.unpack("close:41") == CloseAction(id=41)
    assert TemplateAction(id=3).pack() == "tpl:3"


def test_what_cannot_be_packed_or_read_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="contains ':'"):
        CallAction(n="sip:101").pack()
    with pytest.raises(ValueError, match="longer than Telegram's 64 bytes"):
        CallAction(n="7" * 60).pack()
    with pytest.raises(TypeError, match="CardAction takes 1 values, 2 were given"):
        CardAction.unpack("card:1:2")
    with pytest.raises(ValueError, match="the prefix 'close' is not 'card'"):
        CardAction.unpack("close:1")
    with pytest.raises(ValueError, match="valid integer"):
        CardAction.unpack("card:seven")
    with pytest.raises(ValueError, match="needs a prefix"):

        class _NoPrefix(ButtonData):
            id: int


def test_the_alerts_are_written_without_aiogram() -> None:
    """The folding process and ``dozvon import`` write alerts with buttons and never talk to
    Telegram: aiogram (seconds and about a hundred megabytes) stays out of them — and alembic
    out of the folding process, which never migrates."""
    imports = "import notifications.alerts, hub.bootstrap.folding"
    assert loaded(imports, ("aiogram", "alembic")) == []
