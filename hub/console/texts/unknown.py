"""Texts of the unknown numbers page."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {
    "unknown_title": {"ru": "Неизвестные номера: разбор", "en": "Unknown numbers to triage"},
    "unknown_number": {"ru": "Номер", "en": "Number"},
    "unknown_age": {"ru": "Ждёт", "en": "Waiting"},
    "unknown_calls": {"ru": "Звонков", "en": "Calls"},
    "unknown_managers": {"ru": "Менеджеры", "en": "Managers involved"},
    "unknown_pick_list": {"ru": "— в какой список —", "en": "— which list —"},
    "unknown_recording": {"ru": "Запись", "en": "Recording"},
    "unknown_actions": {"ru": "Что это за номер", "en": "What this number is"},
    "unknown_seen": {
        "ru": "впервые {first}, последний раз {last}",
        "en": "first {first}, last {last}",
    },
    "unknown_list": {"ru": "Список", "en": "List"},
    "unknown_note": {"ru": "Заметка (необязательно)", "en": "Note (optional)"},
    "unknown_to_list": {"ru": "В список", "en": "Move to the list"},
    "unknown_client_name": {"ru": "Название нового клиента", "en": "New client's name"},
    "unknown_new_client": {"ru": "Новый клиент", "en": "New client"},
    "unknown_search": {
        "ru": "Найти клиента: имя или телефон",
        "en": "Find a client: name or phone",
    },
    "unknown_client": {"ru": "Клиент", "en": "Client"},
    "unknown_pick": {"ru": "— выберите клиента —", "en": "— choose a client —"},
    "unknown_no_clients": {"ru": "— клиенты не найдены —", "en": "— no client found —"},
    "unknown_link": {"ru": "Привязать", "en": "Link"},
    "unknown_none": {"ru": "Неразобранных номеров нет.", "en": "No numbers wait for triage."},
    "unknown_more": {
        "ru": "Показаны {limit} самых старых номеров; разберите их, чтобы увидеть следующие.",
        "en": "The {limit} oldest numbers are shown; triage them to see the next ones.",
    },
    "unknown_done_list": {
        "ru": "Номер {number} перенесён в список.",
        "en": "{number} was moved to the list.",
    },
    "unknown_done_new_client": {
        "ru": "Для номера {number} создан новый клиент.",
        "en": "A new client was made for {number}.",
    },
    "unknown_done_link": {
        "ru": "Номер {number} привязан к клиенту.",
        "en": "{number} was linked to the client.",
    },
    "unknown_error_client": {
        "ru": "Номер {number} не разобран: выберите клиента из найденных.",
        "en": "{number} was not triaged: choose a client among those found.",
    },
    "unknown_error_name": {
        "ru": "Номер {number} не разобран: укажите название клиента (одной строкой).",
        "en": "{number} was not triaged: give the client's name (on one line).",
    },
    "unknown_error_list": {
        "ru": "Номер {number} не разобран: выберите список.",
        "en": "{number} was not triaged: choose a list.",
    },
    "unknown_error_done": {
        "ru": "Номер {number} уже разобран.",
        "en": "{number} has been triaged already.",
    },
    "unknown_error_taken": {
        "ru": "Номер {number} не разобран: он уже принадлежит клиенту или списку.",
        "en": "{number} was not triaged: it already belongs to a client or a list.",
    },
    "unknown_error_action": {
        "ru": "Номер {number} не разобран: действие не выполнено.",
        "en": "{number} was not triaged: the action failed.",
    },
    "unknown_gone_title": {"ru": "Номер не найден", "en": "Number not found"},
    "unknown_gone": {
        "ru": "Этого номера нет среди неизвестных номеров, которые вы разбираете.",
        "en": "This number is not among the unknown numbers you triage.",
    },
}
