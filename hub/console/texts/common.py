"""The texts every console page shares: the layout, logging in, passwords, home, the cases."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {
    "product": {"ru": "Дозвон", "en": "Dozvon"},
    "login_title": {"ru": "Вход", "en": "Log in"},
    "username": {"ru": "Логин или внутренний номер", "en": "Login or extension"},
    "password": {"ru": "Пароль", "en": "Password"},
    "login_button": {"ru": "Войти", "en": "Log in"},
    "login_failed": {"ru": "Неверное имя или пароль", "en": "Wrong name or password"},
    "logout": {"ru": "Выйти", "en": "Log out"},
    "too_many_title": {"ru": "Слишком много попыток", "en": "Too many attempts"},
    "too_many": {
        "ru": "Слишком много попыток входа. Подождите минуту и попробуйте снова.",
        "en": "Too many login attempts. Wait a minute and try again.",
    },
    "forbidden_title": {"ru": "Форма не принята", "en": "Form refused"},
    "forbidden": {
        "ru": "Форма устарела или отправлена не со страницы Дозвона. Откройте страницу заново.",
        "en": "The form has expired or was not sent from a Dozvon page. Open the page again.",
    },
    "not_allowed_title": {"ru": "Нет доступа", "en": "Not allowed"},
    "not_allowed": {
        "ru": "Этот раздел не для вашей роли.",
        "en": "This section is not for your role.",
    },
    "missing_title": {"ru": "Страница не найдена", "en": "Page not found"},
    "missing": {
        "ru": "Такой страницы нет. Разделы Дозвона — в меню вверху.",
        "en": "There is no such page. Dozvon's sections are in the menu above.",
    },
    "back_to_login": {"ru": "Ко входу", "en": "To the login page"},
    "password_title": {"ru": "Новый пароль", "en": "New password"},
    "password_for": {
        "ru": "{name}, задайте пароль для входа в Дозвон.",
        "en": "{name}, choose your password for Dozvon.",
    },
    "your_login": {"ru": "Ваш логин: {login}", "en": "Your login: {login}"},
    "your_extension": {
        "ru": "Входите по внутреннему номеру: {extension}",
        "en": "Log in with your extension: {extension}",
    },
    "password_new": {"ru": "Новый пароль", "en": "New password"},
    "password_again": {"ru": "Ещё раз", "en": "Once again"},
    "password_hint": {"ru": "Не короче {min} символов", "en": "At least {min} characters"},
    "password_save": {"ru": "Сохранить и войти", "en": "Save and log in"},
    "password_short": {
        "ru": "Пароль должен быть не короче {min} символов",
        "en": "A password has at least {min} characters",
    },
    "password_long": {
        "ru": "Пароль должен быть не длиннее {max} символов",
        "en": "A password has at most {max} characters",
    },
    "password_blank": {
        "ru": "Пароль не может состоять из одних пробелов",
        "en": "A password is not only spaces",
    },
    "password_mismatch": {"ru": "Пароли не совпадают", "en": "The passwords differ"},
    "link_gone_title": {"ru": "Ссылка не действует", "en": "The link does not work"},
    "link_gone": {
        "ru": "Ссылка уже использована или устарела. Попросите у администратора новую.",
        "en": "The link has been used or has expired. Ask the administrator for a new one.",
    },
    "home_title": {"ru": "Главная", "en": "Home"},
    "hello": {"ru": "Здравствуйте, {name}", "en": "Hello, {name}"},
    "role": {"ru": "Роль: {role}", "en": "Role: {role}"},
    "role_manager": {"ru": "менеджер", "en": "manager"},
    "role_supervisor": {"ru": "руководитель", "en": "supervisor"},
    "role_director": {"ru": "директор", "en": "director"},
    "role_admin": {"ru": "администратор", "en": "administrator"},
    "nav_label": {"ru": "Разделы", "en": "Sections"},
    "nav_home": {"ru": "Главная", "en": "Home"},
    "nav_cases": {"ru": "Пропущенные", "en": "Cases"},
    "nav_unknown": {"ru": "Неизвестные номера", "en": "Unknown numbers"},
    "nav_clients": {"ru": "Клиенты", "en": "Clients"},
    "nav_team": {"ru": "Команда", "en": "Team"},
    "nav_reports": {"ru": "Отчёты", "en": "Reports"},
    "nav_import": {"ru": "Импорт", "en": "Import"},
    "nav_audit": {"ru": "Журнал изменений", "en": "Audit"},
    "nav_api": {"ru": "Документация API", "en": "API docs"},
    "cases_title": {
        "ru": "Пропущенные: кому перезвонить или ответить",
        "en": "Missed calls and messages to answer",
    },
    "cases_client": {"ru": "Клиент", "en": "Client"},
    "cases_manager": {"ru": "Ответственный", "en": "Responsible"},
    "cases_waiting": {"ru": "Ждёт", "en": "Waiting"},
    "cases_missed": {"ru": "Пропущено", "en": "Missed"},
    "cases_last": {"ru": "Последнее обращение", "en": "Last contact"},
    "cases_age": {"ru": "{days} д {hours} ч", "en": "{days} d {hours} h"},
    "cases_kind_call": {"ru": "звонок", "en": "call"},
    "cases_kind_message": {"ru": "сообщение", "en": "message"},
    "cases_kind_call_title": {
        "ru": "Пропущенный звонок: нужно перезвонить",
        "en": "A missed call: call the client back",
    },
    "cases_kind_message_title": {
        "ru": "Сообщение клиента без ответа: нужно ответить",
        "en": "A client's message not answered: answer it",
    },
    "cases_answer": {"ru": "Ответить", "en": "Answer"},
    "cases_duty": {"ru": "дежурные", "en": "on duty"},
    "cases_escalated": {"ru": "эскалирован", "en": "escalated"},
    "cases_reason": {"ru": "Причина закрытия", "en": "Why it is closed"},
    "cases_close": {"ru": "Закрыть", "en": "Close"},
    "cases_call": {"ru": "Позвонить", "en": "Call"},
    "cases_closed": {"ru": "Случай закрыт.", "en": "The case is closed."},
    "cases_calling": {
        "ru": "Звоним: сейчас зазвонит ваш телефон, затем {number}.",
        "en": "Calling: your phone rings now, then {number}.",
    },
    "cases_error_gone": {"ru": "Такого случая нет.", "en": "No such case."},
    "cases_error_call": {
        "ru": "Позвонить через АТС не удалось. Наберите номер сами.",
        "en": "The PBX could not place the call. Dial the number yourself.",
    },
    "cases_none": {"ru": "Открытых пропущенных нет.", "en": "No open missed calls."},
    "cases_error_reason": {"ru": "Укажите причину закрытия.", "en": "Give a reason."},
    "cases_error_closed": {
        "ru": "Этот случай уже закрыт или закрыть его может только ответственный, его "
        "руководитель или директор.",
        "en": "This case has ended already, or only the responsible manager, his supervisor or "
        "a director may close it.",
    },
}
