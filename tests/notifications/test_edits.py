"""What an edit does, decided from its key's messages: edit the delivered message in this chat,
wait for the one on its way, go as new where none reached the chat, nothing when a later one
reached it, and a «handed over» notice nowhere for someone the case never reached."""

from __future__ import annotations

from notifications.edits import Edit, Keyed, edit_step
from notifications.rows import HANDED_OVER


def _m(
    id: int,
    status: str = "sent",
    *,
    chat: int | None = 1,
    channel: str = "telegram",
    names_key: bool = True,
    remote: int | str | None = None,
) -> Keyed:
    return Keyed(id, channel, chat, status, names_key, remote)


def _edit(id: int, *, chat: int | None = 1, names_key: bool = False) -> Keyed:
    return _m(id, "pending", chat=chat, names_key=names_key)


def test_an_edit_edits_the_delivered_message_of_its_chat() -> None:
    """Message 1 was given up in chat 1; an edit then went there as new (3) and took the key."""
    messages = [_m(1, "dead"), _m(2, remote=200, chat=2), _m(3, remote=300), _edit(4)]
    assert edit_step(_edit(4), "missed", messages) == 300
    assert edit_step(_edit(5, chat=2), "missed", [*messages, _edit(5, chat=2)]) == 200


def test_an_id_in_the_chat_may_be_a_reference() -> None:
    assert edit_step(_edit(4), "missed", [_m(1, remote="mid.abc"), _edit(4)]) == "mid.abc"


def test_an_edit_waits_for_the_message_still_on_its_way() -> None:
    assert edit_step(_edit(4), "missed", [_m(1, "pending"), _edit(4)]) is Edit.WAIT


def test_a_later_delivered_message_leaves_an_older_edit_nothing_to_say() -> None:
    messages = [_m(1, remote=100), _edit(4), _m(5, names_key=False)]
    assert edit_step(_edit(4), "missed", messages) is Edit.SUPERSEDED
    # a later one delivered to another chat, or on another channel, does not
    elsewhere = [_m(1, remote=100), _m(5, chat=2), _m(6, channel="max"), _edit(4)]
    assert edit_step(_edit(4), "missed", elsewhere) == 100


def test_an_edit_goes_as_new_where_nothing_of_the_key_reached_the_chat() -> None:
    given_up = [_m(1, "dead", remote=None), _m(2, chat=2, remote=200), _edit(4)]
    assert edit_step(_edit(4), "missed", given_up) is Edit.NEW
    assert edit_step(_edit(4, chat=None), "missed", [_m(1), _edit(4, chat=None)]) is Edit.NEW


def test_an_edit_whose_try_as_new_failed_goes_as_new_again() -> None:
    """It names the key itself (it took it, and is still pending for its next try): it is not
    the message it waits for."""
    mine = _edit(4, names_key=True)
    assert edit_step(mine, "missed", [_m(1, "dead"), mine]) is Edit.NEW


def test_a_handed_over_notice_goes_only_to_someone_the_case_reached() -> None:
    never = [_m(1, "unreachable"), _edit(4)]
    assert edit_step(_edit(4), HANDED_OVER, never) is Edit.NEVER_TOLD
    assert edit_step(_edit(4), "missed", never) is Edit.NEW
    # reached on another chat of his: told here as new
    elsewhere = [_m(1, chat=2, remote=7), _edit(4)]
    assert edit_step(_edit(4), HANDED_OVER, elsewhere) is Edit.NEW
    on_its_way = [_m(1, "pending", chat=2), _edit(4)]
    assert edit_step(_edit(4), HANDED_OVER, on_its_way) is Edit.NEW
