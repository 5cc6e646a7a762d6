"""Request bodies: strict pydantic models. Unknown fields and wrong types are refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from hub.domain.client_status import ClientStatus
from hub.domain.text import control_character


def _one_line(text: str) -> str:
    found = control_character(text)
    if found is not None:
        raise ValueError(f"a control character ({found}) is not allowed")
    return text


def _lines(text: str) -> str:
    found = control_character(text, multiline=True)
    if found is not None:
        raise ValueError(f"a control character ({found}) is not allowed; only newlines and tabs")
    return text


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_one_line),
]
ClientName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_one_line),
]
# Free text over several lines (notes): newlines and tabs, no other control character.
Notes = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(_lines)]
Note = Annotated[str, StringConstraints(max_length=500), AfterValidator(_lines)]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_lines),
]
# A PBX extension as people dial it: digits only.
Extension = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,20}$")]
PhoneText = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$")]
ManagerRole = Literal["manager", "supervisor", "director", "admin"]
ListAction = Literal["reject", "route", "default"]
TokenRole = Literal["admin", "manager", "pbx", "viewer"]
ChatId = Annotated[int, Field(ge=-(2**52), le=2**52)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]

# What may not be in a plain mailbox besides spaces and control characters: the brackets and
# quotes of a display name or a quoted local part, and the separators of a list of recipients.
_NOT_IN_MAILBOX = frozenset('<>"(),;:[]\\')


def mailbox(text: str) -> str:
    """``text`` as one plain mailbox (``ivan@example.com``) with its domain in lower case;
    a ValueError says what is wrong. The e-mail channel sends to nothing else."""
    if len(text) > 254:
        raise ValueError("an e-mail address has at most 254 characters")
    if any(char.isspace() for char in text) or control_character(text) is not None:
        raise ValueError("an e-mail address has no spaces, line breaks or control characters")
    if text.count("@") != 1:
        raise ValueError("an e-mail address has exactly one @, as in ivan@example.com")
    found = "".join(sorted(set(text) & _NOT_IN_MAILBOX))
    if found:
        raise ValueError(f"a plain e-mail address such as ivan@example.com, without {found}")
    local, _, domain = text.partition("@")
    if not local or len(local) > 64:
        raise ValueError("an e-mail address has 1 to 64 characters before the @")
    if not all(domain.split(".")):
        raise ValueError(f"{domain!r} is not a mail domain (as in ivan@example.com)")
    return f"{local}@{domain.lower()}"


def _distinct(channels: list[str]) -> list[str]:
    twice = [name for index, name in enumerate(channels) if name in channels[:index]]
    if twice:
        raise ValueError(f"{twice[0]} is named twice: each channel once, in the order to try")
    return channels


Email = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(mailbox)]
# A person's user id on MAX (the staff bot writes to it).
MaxUserId = Annotated[int, Field(ge=1, le=2**63 - 1)]
StaffChannel = Literal["telegram", "max", "email"]
# The staff channels in the order a person is told through; empty: the company's order.
Channels = Annotated[
    list[StaffChannel],
    AfterValidator(_distinct),
    Field(
        description="the order to try: distinct among telegram, max, email; empty or null: "
        "the company's order"
    ),
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ManagerCreate(Body):
    name: Name
    role: ManagerRole = "manager"
    extension: Extension | None = None
    mobile: PhoneText | None = None
    supervisor_id: Id | None = None
    telegram_chat_id: ChatId | None = None
    active: bool = True
    timezone: Annotated[str, StringConstraints(max_length=64)] | None = None
    working_hours: dict[str, str | None] | None = None
    email: Email | None = None
    max_user_id: MaxUserId | None = None
    channels: Channels | None = None


class ManagerUpdate(Body):
    name: Name | None = None
    role: ManagerRole | None = None
    extension: Extension | None = None
    mobile: PhoneText | None = None
    supervisor_id: Id | None = None
    telegram_chat_id: ChatId | None = None
    active: bool | None = None
    timezone: Annotated[str, StringConstraints(max_length=64)] | None = None
    working_hours: dict[str, str | None] | None = None
    email: Email | None = None
    max_user_id: MaxUserId | None = None
    channels: Channels | None = None


class AbsenceCreate(Body):
    model_config = ConfigDict(extra="forbid", strict=False)

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    substitute_id: Id | None = None
    note: Note = ""


# A client's status is one of a closed set (``hub.domain.client_status``); anything else is a 400
# naming the allowed values. A new client is ``potential`` until his first sale.


class ClientCreate(Body):
    name: ClientName
    manager_id: Id | None = None
    phones: Annotated[list[PhoneText], Field(max_length=50)] = []
    status: ClientStatus = ClientStatus.POTENTIAL
    notes: Notes = ""


class ClientUpdate(Body):
    name: ClientName | None = None
    manager_id: Id | None = None
    phones: Annotated[list[PhoneText], Field(max_length=50)] | None = None
    status: ClientStatus | None = None
    notes: Notes | None = None


class SaleCreate(Body):
    """A purchase: its day and amount (a JSON string such as "123.45", or a number)."""

    date: dt.date
    amount: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
    source: Annotated[str, StringConstraints(max_length=200), AfterValidator(_one_line)] = ""


class PhoneAdd(Body):
    number: PhoneText


class RestoreRequest(Body):
    version: Id


class ListCreate(Body):
    slug: Slug
    title: Name
    action: ListAction = "default"
    target_extension: Extension | None = None
    target_manager_id: Id | None = None
    # Whether a missed call from a number on the list opens a callback case (and alerts).
    opens_cases: bool = True


class ListUpdate(Body):
    title: Name | None = None
    action: ListAction | None = None
    target_extension: Extension | None = None
    target_manager_id: Id | None = None
    opens_cases: bool | None = None


class EntryCreate(Body):
    number: PhoneText
    note: Note = ""


class TriageLink(Body):
    action: Literal["link"]
    client_id: Id


class TriageNewClient(Body):
    action: Literal["new_client"]
    name: ClientName
    manager_id: Id | None = None
    status: ClientStatus = ClientStatus.POTENTIAL


class TriageList(Body):
    action: Literal["list"]
    list: Slug
    note: Note = ""


class TriageRequest(BaseModel):
    model_config = ConfigDict(strict=True)

    triage: Annotated[TriageLink | TriageNewClient | TriageList, Field(discriminator="action")]


class TokenCreate(Body):
    name: Name
    role: TokenRole
    manager_id: Id | None = Field(
        default=None,
        description="the person whose token it is: it carries his scope, and its role may not "
        "exceed his (a manager, supervisor or director: manager or viewer; an admin: any but "
        "pbx); none: a token of the company, which sees everything",
    )
