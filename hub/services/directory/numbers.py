"""Who a number belongs to: a client, a list, or nobody — and the rule that it is only ever one."""

from __future__ import annotations

from hub.domain.errors import Conflict, InvalidInput
from hub.domain.phone import InvalidPhoneError, require_external
from storage.uow import UnitOfWork


def external_number(raw: str, region: str, field: str) -> str:
    """The E.164 form of a number typed by a person, or a 400 naming the field."""
    try:
        return require_external(raw, region)
    except InvalidPhoneError as exc:
        raise InvalidInput(str(exc), field=field) from exc


async def ensure_free(
    uow: UnitOfWork, numbers: list[str], *, client_id: int | None, field: str
) -> None:
    """Refuse numbers that another client owns or that sit on a list (409, naming the owner)."""
    owners = await uow.clients.owners(numbers)
    for number in numbers:
        owner = owners.get(number)
        if owner is not None and owner != client_id:
            raise Conflict(f"{number} already belongs to client {owner}", field=field)
    on_lists = await uow.lists.memberships(numbers)
    for number in numbers:
        if number in on_lists:
            number_list = await uow.lists.get(on_lists[number])
            slug = number_list.slug if number_list else on_lists[number]
            raise Conflict(
                f"{number} is on the list {slug!r}; remove it from there first", field=field
            )
