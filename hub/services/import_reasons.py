"""Why an imported row is refused, or imported with a remark, in words: Russian or English.

A :class:`Reason` is its English text — what ``dozvon import`` and its rejected-rows file say —
and carries its key and values, so that the console says it in the company's language
(:func:`say`); :func:`say` leaves a plain text as it is.
"""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {
    "no_name": {"ru": "не указано наименование", "en": "name is empty"},
    "status": {
        "ru": "статус {value!r} не из списка: {allowed}",
        "en": "status must be one of {allowed} (not {value!r})",
    },
    "manager_ambiguous": {
        "ru": "менеджер {name!r} неоднозначен (с таким именем {count})",
        "en": "manager {name!r} is ambiguous ({count} managers have that name)",
    },
    "manager_unknown": {
        "ru": "менеджер {name!r} не найден (ни по добавочному, ни по имени)",
        "en": "manager {name!r} not found (by extension or name)",
    },
    "phone_invalid": {
        "ru": "телефон {raw!r} — не внешний номер",
        "en": "phone {raw!r} is not a valid outside number",
    },
    "phone_listed": {
        "ru": "телефон {number} есть в списке номеров",
        "en": "phone {number} is on a number list",
    },
    "phones_split": {
        "ru": "телефоны принадлежат разным клиентам: {cards}",
        "en": "the phones belong to different clients: {cards}",
    },
    "name_differs": {
        "ru": "найден по телефону, наименование другое: {card} в файле назван «{name}»; "
        "у карточки остаётся её наименование (переименовывает его --update-names, в консоли — "
        "флажок «Клиент, найденный по телефону, получает название из файла»)",
        "en": "matched by phone, name differs: {card} is named «{name}» in the file; the card "
        "keeps its name (--update-names renames it)",
    },
    "card_new": {
        "ru": "«{name}» (строка {line} этого файла)",
        "en": "«{name}» (this file's line {line})",
    },
    "card_id": {"ru": "«{name}» (id {id})", "en": "«{name}» (id {id})"},
    "sale_split": {
        "ru": "телефон клиента {owner!r}, а наименование — другого клиента ({name!r})",
        "en": "the phone is {owner!r}'s, the name is another client's ({name!r})",
    },
    "client_ambiguous": {
        "ru": "клиент {name!r} неоднозначен (с таким наименованием {count})",
        "en": "client {name!r} is ambiguous ({count} clients have that name)",
    },
    "client_nothing": {
        "ru": "не указаны ни клиент, ни телефон",
        "en": "neither a client nor a phone",
    },
    "client_unknown": {
        "ru": "клиент {who} не найден (ни по наименованию, ни по телефону)",
        "en": "client {who} not found (by name or phone)",
    },
    "date": {
        "ru": "{value!r} — не дата (например, 25.11.2026 или 2026-11-25)",
        "en": "date {value!r} is not a date (expected e.g. 25.11.2026 or 2026-11-25)",
    },
    "amount": {"ru": "сумма {value!r} — не число", "en": "amount {value!r} is not a number"},
    "amount_not_sale": {
        "ru": "сумма {value!r} — не покупка (ноль или меньше)",
        "en": "amount {value!r} is not a purchase (zero or negative)",
    },
    "amount_precision": {
        "ru": "в сумме {value!r} больше двух знаков после запятой, или она слишком велика",
        "en": "amount {value!r} has more than two decimals or is too large",
    },
}


# Several cards named in one reason: «A» (id 1) and «B» (id 2).
AND: dict[Language, str] = {"ru": " и ", "en": " and "}


class Reason(str):
    """A reason's English text, with the key and values that say it in another language. A
    value may itself be a reason, or a tuple of them (named one and the next)."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Reason:
        reason = super().__new__(cls, _format(key, values, "en"))
        reason.key = key
        reason.values = values
        return reason

    def said(self, language: Language) -> str:
        return _format(self.key, self.values, language)

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, object]]:
        # A copy, or a pickle, is made again from the key and values (not from the text).
        return (self.key,), self.values


def _format(key: str, values: dict[str, object], language: Language) -> str:
    return TEXTS[key][language].format(**{k: _said(v, language) for k, v in values.items()})


def _said(value: object, language: Language) -> object:
    if isinstance(value, tuple):
        return AND[language].join(str(_said(item, language)) for item in value)
    return value.said(language) if isinstance(value, Reason) else value


def say(reason: str, language: Language) -> str:
    """``reason`` in ``language`` (a plain text as it is)."""
    return reason.said(language) if isinstance(reason, Reason) else reason
