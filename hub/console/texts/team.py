"""Texts of the team page: managers, supervisors, absences, hours, invites."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {
    "team_title": {"ru": "Команда", "en": "Team"},
    "team_read_only": {
        "ru": "Изменять состав команды может только администратор.",
        "en": "Only an administrator changes the team.",
    },
    "team_name": {"ru": "Сотрудник", "en": "Person"},
    "team_role": {"ru": "Роль", "en": "Role"},
    "team_supervisor": {"ru": "Руководитель", "en": "Supervisor"},
    "team_extension": {"ru": "Внутр. номер", "en": "Extension"},
    "team_login": {"ru": "Логин", "en": "Login"},
    "team_channel": {"ru": "Каналы", "en": "Channels"},
    "team_today": {"ru": "Сегодня", "en": "Today"},
    "team_hours": {"ru": "Часы работы", "en": "Working hours"},
    "team_actions": {"ru": "Действия", "en": "Actions"},
    "team_via_telegram": {"ru": "Telegram подключён", "en": "Telegram linked"},
    "team_via_max": {"ru": "MAX, id {address}", "en": "MAX, id {address}"},
    "team_via_email": {"ru": "e-mail {address}", "en": "e-mail {address}"},
    "team_unreachable": {"ru": "недоступен", "en": "unreachable"},
    "team_unused": {"ru": "не в порядке каналов:", "en": "left out of the order:"},
    "team_no_channel": {"ru": "не подключён", "en": "not linked"},
    "team_inactive": {"ru": "не работает", "en": "inactive"},
    "team_present": {"ru": "на месте", "en": "present"},
    "team_absent": {"ru": "отсутствует по {until}", "en": "away through {until}"},
    "team_substitute": {"ru": "замещает {name}", "en": "{name} substitutes"},
    "team_no_substitute": {"ru": "без замены", "en": "no substitute"},
    "team_hours_any": {"ru": "не заданы", "en": "not set"},
    "team_none": {"ru": "—", "en": "—"},
    "team_day_mon": {"ru": "пн", "en": "Mon"},
    "team_day_tue": {"ru": "вт", "en": "Tue"},
    "team_day_wed": {"ru": "ср", "en": "Wed"},
    "team_day_thu": {"ru": "чт", "en": "Thu"},
    "team_day_fri": {"ru": "пт", "en": "Fri"},
    "team_day_sat": {"ru": "сб", "en": "Sat"},
    "team_day_sun": {"ru": "вс", "en": "Sun"},
    "team_invite": {"ru": "Пригласить в Telegram", "en": "Invite to Telegram"},
    "team_password_link": {"ru": "Ссылка для пароля", "en": "Password link"},
    "team_login_optional": {
        "ru": "Новый логин (если нужно сменить)",
        "en": "A new login (to change it)",
    },
    "team_channels": {"ru": "Каналы оповещений", "en": "Channels for alerts"},
    "team_email": {"ru": "E-mail", "en": "E-mail"},
    "team_max_user": {"ru": "ID в MAX", "en": "MAX user id"},
    "team_order": {"ru": "Порядок каналов", "en": "Order of channels"},
    "team_order_default": {
        "ru": "Ничего не выбрано — порядок компании: Telegram, MAX, e-mail. Канал без адреса "
        "пропускается, как и недоступный, пока адрес не сменят.",
        "en": "Nothing chosen: the company's order, Telegram, MAX, e-mail. A channel without "
        "an address is skipped, and so is an unreachable one until its address changes.",
    },
    "team_channel_telegram": {"ru": "Telegram", "en": "Telegram"},
    "team_channel_max": {"ru": "MAX", "en": "MAX"},
    "team_channel_email": {"ru": "e-mail", "en": "e-mail"},
    "team_channels_save": {"ru": "Сохранить каналы", "en": "Save the channels"},
    "team_channels_saved": {
        "ru": "Каналы сохранены: {name}.",
        "en": "The channels are saved: {name}.",
    },
    "team_absence": {"ru": "Отсутствие", "en": "Absence"},
    "team_absence_from": {"ru": "С", "en": "From"},
    "team_absence_to": {"ru": "По (включительно)", "en": "To (inclusive)"},
    "team_absence_substitute": {"ru": "Кто замещает", "en": "Substitute"},
    "team_absence_note": {"ru": "Причина", "en": "Reason"},
    "team_absence_save": {"ru": "Записать отсутствие", "en": "Record the absence"},
    "team_absences_planned": {"ru": "Отсутствия:", "en": "Absences:"},
    "team_absence_span": {"ru": "с {starts} по {until}", "en": "{starts} through {until}"},
    "team_absence_cancel": {"ru": "Отменить", "en": "Cancel"},
    "team_absence_cancelled": {
        "ru": "Отсутствие отменено: {name}.",
        "en": "The absence is cancelled: {name}.",
    },
    "team_error_no_absence": {
        "ru": "Такого отсутствия нет: его уже отменили.",
        "en": "There is no such absence: it has been cancelled already.",
    },
    "team_absence_saved": {
        "ru": "Отсутствие записано: {name}, {starts} — {ends}.",
        "en": "The absence is recorded: {name}, {starts} to {ends}.",
    },
    "team_invite_made": {
        "ru": "Приглашение для {name} (действует до {until}, сработает один раз):",
        "en": "The invite for {name} (valid until {until}, works once):",
    },
    "team_password_made": {
        "ru": "Ссылка для {name}, чтобы задать пароль (до {until}, один раз):",
        "en": "The link for {name} to set a password (until {until}, once):",
    },
    "team_link_once": {
        "ru": "Ссылка показана один раз: перешлите её сотруднику сейчас.",
        "en": "The link is shown once: send it to the person now.",
    },
    "team_error_missing": {
        "ru": "Такого сотрудника нет.",
        "en": "There is no such person.",
    },
    "team_error_inactive": {
        "ru": "{name} не работает: сначала сделайте его активным.",
        "en": "{name} is inactive: make him active first.",
    },
    "team_error_no_bot": {
        "ru": "Telegram-бот не настроен (telegram.token), приглашение сделать нельзя.",
        "en": "No Telegram bot is configured (telegram.token): no invite can be made.",
    },
    "team_error_bot_down": {
        "ru": "Telegram не отвечает; попробуйте позже.",
        "en": "Telegram does not answer; try again later.",
    },
    "team_error_login": {
        "ru": "Логин: буквы, цифры и . _ - @, не только цифры, до 60 символов, и не занятый "
        "другим сотрудником.",
        "en": "A login: letters, digits and . _ - @, not digits alone, up to 60 characters, "
        "and not taken by another person.",
    },
    "team_error_no_login": {
        "ru": "У сотрудника нет ни логина, ни внутреннего номера: укажите логин.",
        "en": "The person has neither a login nor an extension: give a login.",
    },
    "team_error_dates": {
        "ru": "Укажите даты отсутствия: «с» и «по», и «по» не раньше «с».",
        "en": "Give the absence's dates, from and to, to no earlier than from.",
    },
    "team_error_substitute": {
        "ru": "Замещать может другой работающий сотрудник.",
        "en": "The substitute is another active person.",
    },
    "team_error_email": {
        "ru": "E-mail — один адрес вида ivan@example.ru: одна @, без пробелов и скобок, "
        "до 254 символов.",
        "en": "The e-mail is one address such as ivan@example.com: one @, no spaces or "
        "brackets, up to 254 characters.",
    },
    "team_error_max": {
        "ru": "ID в MAX — целое положительное число.",
        "en": "The MAX user id is a positive whole number.",
    },
    "team_error_max_taken": {
        "ru": "ID {id} в MAX уже указан у сотрудника {name}.",
        "en": "MAX user id {id} is already {name}'s.",
    },
    "team_error_channels": {
        "ru": "Порядок каналов: Telegram, MAX и e-mail, каждый не больше одного раза.",
        "en": "The order of channels: Telegram, MAX and e-mail, each at most once.",
    },
    "team_error_note": {
        "ru": "Причина — до 500 символов, без управляющих символов.",
        "en": "The reason has up to 500 characters and no control characters.",
    },
}
