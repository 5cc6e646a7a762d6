"""Texts of the API tokens a person makes for himself."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {
    "tokens_nav": {"ru": "Токены API", "en": "API tokens"},
    "tokens_title": {"ru": "Мои токены API", "en": "My API tokens"},
    "tokens_about": {
        "ru": "Токен даёт программе (CRM, таблице, скрипту) доступ к API Дозвона от вашего "
        "имени: она видит то же, что и вы, и все её изменения записываются в журнал на вас.",
        "en": "A token lets a program (a CRM, a spreadsheet, a script) use Dozvon's API in your "
        "name: it sees what you see, and its changes are logged as yours.",
    },
    "tokens_name": {"ru": "Название", "en": "Name"},
    "tokens_name_hint": {
        "ru": "Для чего он, например «crm» или «ноутбук»",
        "en": "What it is for, e.g. “crm” or “laptop”",
    },
    "tokens_role": {"ru": "Права", "en": "Rights"},
    "tokens_role_viewer": {"ru": "только чтение", "en": "read only"},
    "tokens_role_manager": {"ru": "чтение и изменения", "en": "read and change"},
    "tokens_role_admin": {"ru": "администратор", "en": "administrator"},
    "tokens_create": {"ru": "Создать токен", "en": "Create a token"},
    "tokens_created": {"ru": "Создан", "en": "Created"},
    "tokens_state": {"ru": "Состояние", "en": "State"},
    "tokens_live": {"ru": "действует", "en": "live"},
    "tokens_revoked": {"ru": "отозван {at}", "en": "revoked {at}"},
    "tokens_revoke": {"ru": "Отозвать", "en": "Revoke"},
    "tokens_none": {"ru": "У вас пока нет токенов.", "en": "You have no tokens yet."},
    "tokens_secret": {
        "ru": "Токен «{name}» создан. Скопируйте его сейчас: больше он показан не будет.",
        "en": "The token “{name}” is made. Copy it now: it is not shown again.",
    },
    "tokens_secret_label": {"ru": "Токен", "en": "Token"},
    "tokens_error_name": {
        "ru": "Дайте токену название: одна строка, до 200 символов.",
        "en": "Give the token a name: one line, at most 200 characters.",
    },
    "tokens_error_role": {
        "ru": "Такие права токену вашей роли не положены.",
        "en": "A token of your role may not have these rights.",
    },
    "tokens_error_taken": {
        "ru": "Токен с таким названием уже есть. Выберите другое название.",
        "en": "A token with this name exists. Choose another name.",
    },
    "tokens_error_missing": {
        "ru": "Такого токена у вас нет.",
        "en": "You have no such token.",
    },
    "tokens_confirm_revoke": {
        "ru": "Отозвать токен «{name}»? Программы, которые им пользуются, перестанут работать.",
        "en": "Revoke the token «{name}»? Programs that use it will stop working.",
    },
}
