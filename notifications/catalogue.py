"""Every message text, in Russian (the default) and English. No message strings elsewhere."""

from __future__ import annotations

from typing import Literal

Language = Literal["ru", "en"]

MESSAGES: dict[str, dict[Language, str]] = {
    "missed": {
        "ru": "📵 Пропущенный звонок\n{who}\n{number}\n{when} · пропущено: {count}",
        "en": "📵 Missed call\n{who}\n{number}\n{when} · missed: {count}",
    },
    "unanswered": {
        "ru": "✉️ Сообщение без ответа\n{who}\n{number}\n{when} · ждёт ответа",
        "en": "✉️ Message not answered\n{who}\n{number}\n{when} · waiting for a reply",
    },
    "answered": {
        "ru": "✅ Ответили\n{who}\n{number}\nответил(а) {by} через {after}",
        "en": "✅ Answered\n{who}\n{number}\n{by} replied after {after}",
    },
    "escalated_message": {
        "ru": (
            "⚠️ Никто не ответил на сообщение за {after}\n{who}\n{number}\n"
            "написал(а): {when}\nответственный: {manager}"
        ),
        "en": (
            "⚠️ Nobody answered a message within {after}\n{who}\n{number}\n"
            "wrote: {when}\nresponsible: {manager}"
        ),
    },
    "relay_header": {"ru": "👤 {who} · {channel}{status}", "en": "👤 {who} · {channel}{status}"},
    "relay_hint": {
        "ru": "↩️ Ответьте на это сообщение — ответ уйдёт клиенту.",
        "en": "↩️ Reply to this message and the client gets your answer.",
    },
    "relay_files": {"ru": "📎 {files}", "en": "📎 {files}"},
    "relay_files_lost": {
        "ru": "{who}\n📎 Не удалось переслать:\n{problems}",
        "en": "{who}\n📎 Could not relay:\n{problems}",
    },
    "relay_undelivered": {
        "ru": "❗️ Не доставлено клиенту {who} ({channel}): {reason}\n«{text}»",
        "en": "❗️ Not delivered to {who} ({channel}): {reason}\n“{text}”",
    },
    "relay_sent": {
        "ru": "✅ Ответ отправляется: {who}",
        "en": "✅ Your answer is on its way to {who}",
    },
    "relay_text_only": {
        "ru": "Клиенту можно ответить текстом, фото, документом или голосовым сообщением.",
        "en": "Answer the client with text, a photo, a document or a voice message.",
    },
    "relay_file_too_large": {
        "ru": "Файл больше {mb} МБ: клиенту его не переслать.",
        "en": "The file is over {mb} MB: it cannot go to the client.",
    },
    "relay_refused": {"ru": "Ответ не отправлен: {reason}", "en": "Not sent: {reason}"},
    "relay_window": {
        "ru": (
            "⏳ Клиент писал больше 24 часов назад: WhatsApp пропустит только шаблон "
            "(«у нас есть ответ — напишите нам»). Отправить его?"
        ),
        "en": (
            "⏳ The client wrote more than 24 hours ago: WhatsApp takes only a template now "
            "(“we have an answer for you — write to us”). Send it?"
        ),
    },
    "button_send_template": {"ru": "📨 Отправить шаблон", "en": "📨 Send the template"},
    "ask_phone": {
        "ru": "Здравствуйте! Поделитесь, пожалуйста, номером телефона — так ваш менеджер "
        "сразу поймёт, кто пишет.",
        "en": "Hello! Please share your phone number so that your manager knows who is writing.",
    },
    "button_share_phone": {"ru": "📱 Поделиться номером", "en": "📱 Share my number"},
    "contact_unknown": {"ru": "новый контакт", "en": "new contact"},
    "channel_trouble": {
        "ru": "⚠️ Канал клиентов «{name}»: {problem}. Проверьте, что сервис доступен по "
        "http.public_url с действующим сертификатом.",
        "en": "⚠️ Clients' channel “{name}”: {problem}. Check that the service is reachable at "
        "http.public_url with a valid certificate.",
    },
    "client_potential": {"ru": "потенциальный", "en": "potential"},
    "client_new": {"ru": "новый", "en": "new"},
    "client_regular": {"ru": "постоянный", "en": "regular"},
    "client_lapsed": {"ru": "давно не покупал", "en": "lapsed"},
    "client_churned": {"ru": "ушедший", "en": "churned"},
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
    "withdrawn": {
        "ru": "☑️ Звонок всё-таки приняли\n{who}\n{number}\nответил(а) {by}: перезвон не нужен",
        "en": "☑️ The call was answered after all\n{who}\n{number}\n{by} answered: no callback",
    },
    "closed": {
        "ru": "☑️ Закрыто вручную\n{who}\n{number}\n{by}: {reason}",
        "en": "☑️ Closed by hand\n{who}\n{number}\n{by}: {reason}",
    },
    "handed_over": {
        "ru": "➡️ Передано: теперь отвечает {manager}\n{who}\n{number}",
        "en": "➡️ Handed over: {manager} answers for it now\n{who}\n{number}",
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
    "clients_churned": {
        "ru": "📉 Клиенты перестали покупать ({count}), {day}:\n{names}",
        "en": "📉 Clients stopped buying ({count}), {day}:\n{names}",
    },
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
    "button_recording": {"ru": "🎧 Запись", "en": "🎧 Recording"},
    "button_called_back": {"ru": "Перезвонил", "en": "Called back"},
    "button_call": {"ru": "📞 Позвонить", "en": "📞 Call"},
    "triage_find_prompt": {
        "ru": "Чей это номер {number}? Напишите часть названия клиента или его номера.",
        "en": "Whose number is {number}? Type part of the client's name or number.",
    },
    "triage_name_prompt": {
        "ru": "Как назвать нового клиента с номером {number}? Карточка будет вашей.",
        "en": "The new client's name for {number}? The card will be yours.",
    },
    "triage_list_prompt": {
        "ru": "В какой список внести {number}?",
        "en": "Which list for {number}?",
    },
    "triage_find_pick": {
        "ru": "Выберите клиента для {number}:",
        "en": "Pick the client for {number}:",
    },
    "triage_find_none": {
        "ru": "Не нашёл клиентов по «{words}». Попробуйте иначе или нажмите «Новый клиент».",
        "en": "No client matches “{words}”. Try other words, or press “New client”.",
    },
    "triage_cancelled": {"ru": "Разбор {number} отменён.", "en": "Triage of {number} cancelled."},
    "triage_done": {"ru": "✅ {number}: {outcome}", "en": "✅ {number}: {outcome}"},
    "triage_linked": {"ru": "номер клиента «{name}»", "en": "a number of “{name}”"},
    "triage_created": {"ru": "новый клиент «{name}» (ваш)", "en": "new client “{name}” (yours)"},
    "triage_listed": {"ru": "в списке «{title}»", "en": "on the list “{title}”"},
    "triage_already": {
        "ru": "Номер {number} уже разобран.",
        "en": "The number {number} has already been triaged.",
    },
    "triage_not_waiting": {
        "ru": "Номера {number} нет в очереди разбора: он уже в карточке или в списке.",
        "en": "{number} is not waiting for triage: it is on a card or a list already.",
    },
    "triage_failed": {
        "ru": "Не получилось разобрать {number}: проверьте, что ввели, и попробуйте ещё раз.",
        "en": "Could not triage {number}: check what you typed and try again.",
    },
    "triage_not_yours": {
        "ru": "Номер {number} разбирает другой менеджер или его руководитель.",
        "en": "{number} is another manager's to triage (or his supervisor's).",
    },
    "unknown_none": {
        "ru": "Неразобранных номеров у вас нет 👍",
        "en": "You have no numbers waiting for triage 👍",
    },
    "unknown_title": {
        "ru": "❓ Ваши неразобранные номера (сначала старые): {count}",
        "en": "❓ Your numbers waiting for triage (oldest first): {count}",
    },
    "unknown_line": {
        "ru": "{number}\nзвонков: {calls}, ждёт {days} дн.",
        "en": "{number}\ncalls: {calls}, waiting {days} d",
    },
    "call_started": {
        "ru": "📞 Звоню: сначала ваш телефон, потом {number}",
        "en": "📞 Calling: your phone first, then {number}",
    },
    "call_failed": {
        "ru": "АТС не приняла звонок, попробуйте позже.",
        "en": "The PBX did not take the call; try again later.",
    },
    "call_no_extension": {
        "ru": "У вас не указан внутренний номер АТС: попросите администратора его вписать.",
        "en": "You have no PBX extension on record: ask the administrator to set it.",
    },
    "call_bad_number": {
        "ru": "На номер {number} позвонить нельзя.",
        "en": "{number} cannot be called.",
    },
    "call_unavailable": {
        "ru": "АТС не настроена для звонков из Дозвона.",
        "en": "No PBX is set up to place calls from Dozvon.",
    },
    "who_was_it": {
        "ru": (
            "❓ Кто это был?\n{number}\nразговор {when}. Номера нет ни в карточках, ни в списках."
        ),
        "en": (
            "❓ Who was it?\n{number}\ncall at {when}. The number is in no card and on no list."
        ),
    },
    "button_triage_find": {"ru": "Клиент…", "en": "Client…"},
    "button_triage_new": {"ru": "Новый клиент", "en": "New client"},
    "button_triage_list": {"ru": "В список", "en": "To a list"},
    "responsible_line": {"ru": "👤 {manager} · {reason}", "en": "👤 {manager} · {reason}"},
    "duty_line": {
        "ru": "👥 звонок не дошёл ни до кого: разберите, кто перезвонит",
        "en": "👥 the call rang nobody: decide who calls back",
    },
    "why_personal_manager": {"ru": "персональный менеджер", "en": "personal manager"},
    "why_substitute": {
        "ru": "замещает отсутствующего менеджера",
        "en": "stands in for an absent manager",
    },
    "why_last_talked": {
        "ru": "последним говорил(а) с этим номером",
        "en": "last talked to this number",
    },
    "why_rang": {"ru": "звонок шёл на его телефон", "en": "the call rang his phone"},
    "outcome_answered": {"ru": "разговор", "en": "answered"},
    "outcome_missed": {"ru": "пропущен", "en": "missed"},
    "outcome_busy": {"ru": "занято", "en": "busy"},
    "outcome_abandoned": {"ru": "сброшен в очереди", "en": "abandoned"},
    "outcome_unanswered": {"ru": "не дозвонились", "en": "not answered"},
    "outcome_ongoing": {"ru": "идёт", "en": "in progress"},
    "direction_inbound": {"ru": "входящий", "en": "inbound"},
    "direction_outbound": {"ru": "исходящий", "en": "outbound"},
    "direction_internal": {"ru": "внутренний", "en": "internal"},
    "bot_refusal": {
        "ru": "Здравствуйте! Этот бот работает только для сотрудников компании. "
        "Если вы сотрудник, попросите администратора прислать вам ссылку-приглашение.",
        "en": "Hello! This bot serves the company's staff only. "
        "If you work here, ask the administrator for an invite link.",
    },
    "bot_welcome": {
        "ru": "Добро пожаловать, {name}! Сюда будут приходить пропущенные звонки ваших "
        "клиентов и карточки звонящих.\n\n{help}",
        "en": "Welcome, {name}! Missed calls from your clients and caller cards "
        "will arrive here.\n\n{help}",
    },
    "bot_again": {
        "ru": "{name}, этот чат уже подключён.\n\n{help}",
        "en": "{name}, this chat is already connected.\n\n{help}",
    },
    # What a pressed button says at once in MAX, whose answer to a press is a notification or
    # a new message: the answer itself follows in the chat.
    "bot_see_below": {"ru": "👇 Ответ — ниже в чате", "en": "👇 The answer follows below"},
    "invite_used": {
        "ru": "Это приглашение уже использовано. Попросите администратора прислать новое.",
        "en": "This invite has already been used. Ask the administrator for a new one.",
    },
    "invite_expired": {
        "ru": "Срок действия приглашения истёк. Попросите администратора прислать новое.",
        "en": "This invite has expired. Ask the administrator for a new one.",
    },
    "bot_login": {
        "ru": "🔑 Ссылка, чтобы задать пароль для входа в Дозвон (работает один раз, три дня):"
        "\n{link}\nИмя для входа: {username}",
        "en": "🔑 A link to choose your Dozvon password (works once, for three days):"
        "\n{link}\nLog in as: {username}",
    },
    "bot_login_no_username": {
        "ru": "У вас нет ни логина, ни внутреннего номера для входа в консоль. "
        "Обратитесь к администратору.",
        "en": "You have neither a login nor an extension to log in to the console with. "
        "Ask the administrator.",
    },
    "bot_login_unavailable": {
        "ru": "Вход в консоль по ссылке недоступен: у сервиса не задан публичный адрес. "
        "Обратитесь к администратору.",
        "en": "The console link is not available: the service has no public address. "
        "Ask the administrator.",
    },
    "help": {
        "ru": "Команды:\n/missed — мои клиенты, которым нужно перезвонить (сначала самые давние)"
        "\n/team — открытые случаи моей команды (для руководителей)"
        "\n/unknown — мои неразобранные номера\n/login — ссылка, чтобы задать пароль для входа в "
        "консоль\n/help — эта справка\n\n"
        "Под сообщением о пропущенном звонке: «Позвонить» — АТС позвонит на ваш телефон, потом "
        "клиенту; «WhatsApp» — написать клиенту, «Карточка» — история клиента, «Перезвонил» — "
        "закрыть случай с указанием причины; для незнакомого номера — «Клиент…», «Новый клиент», "
        "«В список». Если вы перезвоните с рабочего телефона, случай закроется сам.",
        "en": "Commands:\n/missed — my clients waiting for a callback (oldest first)"
        "\n/team — my team's open cases (for supervisors)"
        "\n/unknown — my numbers waiting for triage\n/login — a link to choose your console "
        "password\n/help — this help\n\n"
        "Under a missed-call message: \u201cCall\u201d rings your phone, then the client; "
        "\u201cWhatsApp\u201d writes to the client, "
        "\u201cCard\u201d shows the client's history, \u201cCalled back\u201d closes the "
        "case with a reason; for a number nobody knows: \u201cClient…\u201d, \u201cNew "
        "client\u201d, \u201cTo a list\u201d. Call back from your work phone and the case "
        "closes by itself.",
    },
    "missed_none": {
        "ru": "✅ Открытых случаев нет: всем перезвонили.",
        "en": "✅ No open cases: everyone has been called back.",
    },
    "missed_title": {
        "ru": "📋 Ждут перезвона: {count}",
        "en": "📋 Waiting for a callback: {count}",
    },
    "team_title": {
        "ru": "👥 Открытые случаи команды: {count}",
        "en": "👥 The team's open cases: {count}",
    },
    "team_none": {
        "ru": "✅ У команды нет открытых случаев.",
        "en": "✅ The team has no open cases.",
    },
    "team_nobody": {
        "ru": "У вас нет подчинённых. Ваши случаи — /missed.",
        "en": "Nobody reports to you. Your own cases: /missed.",
    },
    "case_line": {
        "ru": "{index}. {who} · {number}\n   пропущено: {count}, первый звонок {when}{state}",
        "en": "{index}. {who} · {number}\n   missed: {count}, first at {when}{state}",
    },
    "case_line_manager": {
        "ru": "\n   ответственный: {manager}",
        "en": "\n   responsible: {manager}",
    },
    "case_line_message": {
        "ru": "{index}. ✉️ {who} · {number}\n   сообщение без ответа с {when}{state}",
        "en": "{index}. ✉️ {who} · {number}\n   message not answered since {when}{state}",
    },
    "case_escalated": {"ru": " · ⚠️ эскалирован", "en": " · ⚠️ escalated"},
    "list_more": {"ru": "… и ещё {count}", "en": "… and {count} more"},
    "card": {
        "ru": "🗂 {name}\nстатус: {status} · менеджер: {manager}\nтелефоны: {phones}\n"
        "последние звонки:\n{calls}{messages}{case}",
        "en": "🗂 {name}\nstatus: {status} · manager: {manager}\nphones: {phones}\n"
        "recent calls:\n{calls}{messages}{case}",
    },
    "card_messages": {
        "ru": "\nпоследние сообщения:\n{lines}",
        "en": "\nrecent messages:\n{lines}",
    },
    "card_message_in": {
        "ru": "{when} ← {who} ({channel}): {line}",
        "en": "{when} ← {who} ({channel}): {line}",
    },
    "card_message_out": {
        "ru": "{when} → {by} ({channel}): {line}{state}",
        "en": "{when} → {by} ({channel}): {line}{state}",
    },
    "card_message_bot": {"ru": "бот", "en": "the bot"},
    "card_message_template": {"ru": "📨 шаблон WhatsApp", "en": "📨 WhatsApp template"},
    "card_message_ask_phone": {
        "ru": "📱 просьба поделиться номером",
        "en": "📱 asked for the phone number",
    },
    "card_message_case": {
        "ru": "\n⚠️ не ответили на сообщение: ждёт с {when}",
        "en": "\n⚠️ a message not answered: waiting since {when}",
    },
    "card_call": {
        "ru": "{when} {direction} — {outcome}{by}",
        "en": "{when} {direction} — {outcome}{by}",
    },
    "card_missing": {
        "ru": "Карточка клиента {id} не найдена (её удалили?).",
        "en": "Client card {id} was not found (deleted?).",
    },
    "close_ask": {
        "ru": "Почему закрываем случай #{id} ({number})?",
        "en": "Why close case #{id} ({number})?",
    },
    "reason_mobile": {"ru": "Перезвонил с мобильного", "en": "Called back from my mobile"},
    "reason_messenger": {"ru": "Связался в мессенджере", "en": "Reached them in a messenger"},
    "reason_not_needed": {"ru": "Перезвон не нужен", "en": "No callback needed"},
    "reason_other": {"ru": "Другая причина…", "en": "Another reason…"},
    "button_cancel": {"ru": "Отмена", "en": "Cancel"},
    "close_other_prompt": {
        "ru": "Случай #{id}: напишите причину ответом на это сообщение.",
        "en": "Case #{id}: write the reason as a reply to this message.",
    },
    "close_done": {"ru": "Случай #{id} закрыт: {reason}", "en": "Case #{id} closed: {reason}"},
    "close_cancelled": {"ru": "Случай #{id} остаётся открытым.", "en": "Case #{id} stays open."},
    "close_already": {
        "ru": "Случай #{id} уже закрыт ({status}).",
        "en": "Case #{id} is already {status}.",
    },
    "close_forbidden": {
        "ru": "Этот случай закрывают ответственный менеджер или его руководитель.",
        "en": "Only the responsible manager or his supervisor closes this case.",
    },
    "close_missing": {"ru": "Случай #{id} не найден.", "en": "Case #{id} was not found."},
    "status_returned": {"ru": "перезвонили", "en": "returned"},
    "status_closed": {"ru": "закрыт вручную", "en": "closed"},
    "status_withdrawn": {
        "ru": "снят: звонок оказался отвеченным",
        "en": "withdrawn: the call was answered",
    },
    "status_open": {"ru": "открыт", "en": "open"},
    "status_escalated": {"ru": "эскалирован", "en": "escalated"},
    "unreachable_admin_telegram": {
        "ru": "Чат Telegram сотрудника {manager} недоступен (бот заблокирован): {then}",
        "en": "The Telegram chat of {manager} is unreachable (the bot was blocked): {then}",
    },
    "unreachable_admin_max": {
        "ru": "Чат MAX сотрудника {manager} недоступен (бот заблокирован): {then}",
        "en": "The MAX chat of {manager} is unreachable (the bot was blocked): {then}",
    },
    "unreachable_admin_email": {
        "ru": "Почта сотрудника {manager} не принимает письма: {then}",
        "en": "The mailbox of {manager} refuses mail: {then}",
    },
    "unreachable_then_none": {
        "ru": "сообщения ему не доходят.",
        "en": "messages do not arrive.",
    },
    "unreachable_then": {
        "ru": "сообщения идут ему через {channel}.",
        "en": "his messages go through {channel} now.",
    },
    # The month-end report of unregistered numbers and the KPI «контакты уточнены».
    "report_own": {
        "ru": "📋 Незарегистрированные номера за {month}: {numbers} (звонков: {calls})\n"
        "Зарегистрируйте их до расчёта премий: привяжите к клиенту, создайте карточку или "
        "внесите в список. Номера, звонки и записи — в файлах.",
        "en": "📋 Unregistered numbers for {month}: {numbers} (calls: {calls})\n"
        "Register them before bonuses are computed: link to a client, create a card or put "
        "on a list. Numbers, calls and recordings are in the files.",
    },
    "report_own_none": {
        "ru": "✅ За {month} все номера, которые вам звонили, зарегистрированы.",
        "en": "✅ Every number that called you in {month} is registered.",
    },
    "report_team": {
        "ru": "📋 Команда {name}: незарегистрированные номера за {month}: {numbers} "
        "(звонков: {calls}){members}",
        "en": "📋 Team of {name}: unregistered numbers for {month}: {numbers} "
        "(calls: {calls}){members}",
    },
    "report_team_member": {"ru": "\n· {name}: {numbers}", "en": "\n· {name}: {numbers}"},
    "kpi_title": {
        "ru": "📈 Контакты уточнены за {month}{scope}",
        "en": "📈 Contacts refined in {month}{scope}",
    },
    "kpi_company": {"ru": ", вся компания", "en": ", the whole company"},
    "kpi_line": {
        "ru": "{name}: {refined} — разобрано номеров {triaged}, карточек {created}, "
        "телефонов {phones}",
        "en": "{name}: {refined} — numbers triaged {triaged}, cards {created}, phones {phones}",
    },
    "kpi_total": {"ru": "итого: {refined}", "en": "total: {refined}"},
    "column_number": {"ru": "Номер", "en": "Number"},
    "column_manager_id": {"ru": "ID менеджера", "en": "Manager ID"},
    "column_manager": {"ru": "Менеджер", "en": "Manager"},
    "column_calls": {"ru": "Звонков", "en": "Calls"},
    "column_first_call": {"ru": "Первый звонок", "en": "First call"},
    "column_last_call": {"ru": "Последний звонок", "en": "Last call"},
    "column_recordings": {"ru": "Записи", "en": "Recordings"},
    "column_triaged": {"ru": "Разобрано номеров", "en": "Numbers triaged"},
    "column_clients_created": {"ru": "Создано карточек", "en": "Cards created"},
    "column_phones_added": {"ru": "Добавлено телефонов", "en": "Phones added"},
    "column_refined": {"ru": "Контакты уточнены", "en": "Contacts refined"},
    "column_client_id": {"ru": "ID клиента", "en": "Client ID"},
    "column_client": {"ru": "Клиент", "en": "Client"},
    "column_last_contact": {"ru": "Последний разговор", "en": "Last talked"},
    "column_days": {"ru": "Дней", "en": "Days"},
    # Forgotten clients: each manager's Monday list and the supervisor's daily count.
    "forgotten_title": {
        "ru": "🕰 Забытые клиенты: {count}\nС ними не разговаривали {days} дн. и больше "
        "(сначала самые давние):",
        "en": "🕰 Forgotten clients: {count}\nNobody has talked to them for {days} days or "
        "more (oldest first):",
    },
    "forgotten_line": {
        "ru": "{index}. {name} — последний разговор {when}, {days} дн. назад",
        "en": "{index}. {name} — last talked {when}, {days} days ago",
    },
    "forgotten_line_never": {
        "ru": "{index}. {name} — разговоров не было, карточке {days} дн.",
        "en": "{index}. {name} — never talked to, card is {days} days old",
    },
    "forgotten_whatsapp": {"ru": "{index}. {name} · WhatsApp", "en": "{index}. {name} · WhatsApp"},
    "digest_forgotten": {
        "ru": "\nзабытых клиентов (без разговора {days} дн.): {count}",
        "en": "\nforgotten clients (not talked to for {days} days): {count}",
    },
    "chart_per_day": {
        "ru": "Пропущенные и перезвоны по дням",
        "en": "Missed and called back per day",
    },
    "chart_missed": {"ru": "пропущено", "en": "missed"},
    "chart_returned": {"ru": "перезвонили", "en": "called back"},
    "chart_day": {"ru": "{day:%d.%m}", "en": "{day:%m-%d}"},
    "chart_waits": {"ru": "Время до перезвона", "en": "Time to callback"},
    "chart_wait_soon": {"ru": "до 20 мин", "en": "within 20 min"},
    "chart_wait_same_day": {"ru": "до 8 ч", "en": "within 8 h"},
    "chart_wait_later": {"ru": "позже", "en": "later"},
    "chart_wait_not_yet": {"ru": "не перезвонили", "en": "not called back"},
    "chart_per_manager": {"ru": "Звонки по менеджерам", "en": "Calls per manager"},
    "chart_answered": {"ru": "принято", "en": "answered"},
    "chart_outbound": {"ru": "исходящие", "en": "outbound"},
    "chart_no_data": {"ru": "нет данных", "en": "no data"},
}


def text(key: str, language: Language, **values: object) -> str:
    """The message ``key`` in ``language`` with ``values`` filled in."""
    return MESSAGES[key][language].format(**values)


def outcome(value: str | None, language: Language) -> str:
    """A call's outcome in words (``None``: the call is still going on)."""
    return text(f"outcome_{value or 'ongoing'}", language)


def duration(seconds: float, language: Language) -> str:
    """A short human duration: ``1 ч 5 мин`` / ``1 h 5 min``."""
    minutes = max(int(seconds // 60), 0)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    units = {"ru": ("д", "ч", "мин"), "en": ("d", "h", "min")}[language]
    parts = [f"{v} {u}" for v, u in zip((days, hours, minutes), units, strict=True) if v]
    return " ".join(parts) or f"0 {units[2]}"
