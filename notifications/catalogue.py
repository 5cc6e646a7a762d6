"""Every message text, in Russian (the default) and English. No message strings elsewhere."""

from __future__ import annotations

from typing import Literal

Language = Literal["ru", "en"]

MESSAGES: dict[str, dict[Language, str]] = {
    "missed": {
        "ru": "📵 Пропущенный звонок\n{who}\n{number}\n{when} · пропущено: {count}",
        "en": "📵 Missed call\n{who}\n{number}\n{when} · missed: {count}",
    },
    "returned": {
        "ru": "✅ Перезвонили\n{who}\n{number}\nперезвонил(а) {by} через {after}",
        "en": "✅ Called back\n{who}\n{number}\n{by} called back after {after}",
    },
    "escalated": {
        "ru": (
            "⚠️ Никто не перезвонил за {after}\n{who}\n{number}\n"
            "первый звонок: {when}, всего звонков: {count}\nответственный: {manager}"
        ),
        "en": (
            "⚠️ Nobody called back within {after}\n{who}\n{number}\n"
            "first call: {when}, calls: {count}\nresponsible: {manager}"
        ),
    },
    "closed": {
        "ru": "☑️ Закрыто вручную\n{who}\n{number}\n{by}: {reason}",
        "en": "☑️ Closed by hand\n{who}\n{number}\n{by}: {reason}",
    },
    "digest": {
        "ru": (
            "📊 {title} за {period}\n"
            "входящих: {calls_in}, исходящих: {calls_out}\n"
            "пропущено: {missed} (со скрытого номера: {withheld_missed})\n"
            "перезвонили: {returned}, медиана до перезвона: {median}\n"
            "ещё не перезвонили: {still_open}, эскалировано: {escalated}\n"
            "неизвестных номеров ждут разбора: {unknown_waiting}"
        ),
        "en": (
            "📊 {title} for {period}\n"
            "inbound: {calls_in}, outbound: {calls_out}\n"
            "missed: {missed} (withheld number: {withheld_missed})\n"
            "called back: {returned}, median time to callback: {median}\n"
            "not called back yet: {still_open}, escalated: {escalated}\n"
            "unknown numbers waiting for triage: {unknown_waiting}"
        ),
    },
    "digest_team": {"ru": "Команда {name}", "en": "Team of {name}"},
    "digest_company": {"ru": "Компания", "en": "Company"},
    "no_value": {"ru": "—", "en": "—"},
    "screen_pop": {
        "ru": "📞 Звонит {who}\n{number}\nстатус: {status} · менеджер: {manager}\n"
        "последний контакт: {last}{case}",
        "en": "📞 Calling: {who}\n{number}\nstatus: {status} · manager: {manager}\n"
        "last contact: {last}{case}",
    },
    "screen_pop_case": {
        "ru": "\n⚠️ не перезвонили: пропущено {count}, первый звонок {when}",
        "en": "\n⚠️ not called back: {count} missed, first at {when}",
    },
    "never": {"ru": "не было", "en": "none"},
    "unknown_number": {"ru": "неизвестный номер", "en": "unknown number"},
    "nobody": {"ru": "не назначен", "en": "nobody"},
    "someone": {"ru": "сотрудник", "en": "a colleague"},
    "button_whatsapp": {"ru": "WhatsApp", "en": "WhatsApp"},
    "button_card": {"ru": "Карточка", "en": "Card"},
    "button_called_back": {"ru": "Перезвонил", "en": "Called back"},
    "unreachable_admin": {
        "ru": "Чат сотрудника {manager} недоступен (бот заблокирован): сообщения ему не доходят.",
        "en": "The chat of {manager} is unreachable (the bot was blocked): messages do not arrive.",
    },
}


def text(key: str, language: Language, **values: object) -> str:
    """The message ``key`` in ``language`` with ``values`` filled in."""
    return MESSAGES[key][language].format(**values)


def duration(seconds: float, language: Language) -> str:
    """A short human duration: ``1 ч 5 мин`` / ``1 h 5 min``."""
    minutes = max(int(seconds // 60), 0)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    units = {"ru": ("д", "ч", "мин"), "en": ("d", "h", "min")}[language]
    parts = [f"{v} {u}" for v, u in zip((days, hours, minutes), units, strict=True) if v]
    return " ".join(parts) or f"0 {units[2]}"
