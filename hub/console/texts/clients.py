"""Texts of the clients pages: search, the card, its history, conversations and versions."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {
    "clients_title": {"ru": "Клиенты", "en": "Clients"},
    "clients_search": {"ru": "Имя или телефон", "en": "Name or phone"},
    "clients_find": {"ru": "Найти", "en": "Search"},
    "clients_new": {"ru": "Новый клиент", "en": "New client"},
    "clients_name": {"ru": "Имя", "en": "Name"},
    "clients_phones": {"ru": "Телефоны", "en": "Phones"},
    "clients_phone": {"ru": "Телефон", "en": "Phone"},
    "clients_status": {"ru": "Статус", "en": "Status"},
    "clients_manager": {"ru": "Менеджер", "en": "Manager"},
    "clients_notes": {"ru": "Заметки", "en": "Notes"},
    "clients_nobody": {"ru": "нет менеджера", "en": "no manager"},
    "clients_none": {"ru": "Клиентов не найдено.", "en": "No clients found."},
    "clients_first_page": {"ru": "В начало", "en": "First page"},
    "clients_next_page": {"ru": "Дальше", "en": "Next"},
    "clients_found_phone": {
        "ru": "Клиенты с номером {number}",
        "en": "Clients with the number {number}",
    },
    "clients_found_name": {
        "ru": "Клиенты, в имени которых есть «{words}»",
        "en": "Clients whose name holds “{words}”",
    },
    "clients_status_potential": {"ru": "потенциальный", "en": "potential"},
    "clients_status_new": {"ru": "новый", "en": "new"},
    "clients_status_regular": {"ru": "постоянный", "en": "regular"},
    "clients_status_lapsed": {"ru": "давно не покупал", "en": "lapsed"},
    "clients_status_churned": {"ru": "ушёл", "en": "churned"},
    "clients_status_by_hand": {"ru": "задан вручную", "en": "set by hand"},
    "clients_edit": {"ru": "Изменить", "en": "Edit"},
    "clients_save": {"ru": "Сохранить", "en": "Save"},
    "clients_create": {"ru": "Создать", "en": "Create"},
    "clients_saved": {"ru": "Изменения сохранены.", "en": "Saved."},
    "clients_created": {"ru": "Клиент создан.", "en": "The client is created."},
    "clients_restored": {
        "ru": "Карточка восстановлена из прежней версии.",
        "en": "The card is restored from an earlier version.",
    },
    "clients_phone_added": {"ru": "Номер добавлен.", "en": "The number is added."},
    "clients_phone_removed": {"ru": "Номер удалён.", "en": "The number is removed."},
    "clients_phone_add": {"ru": "Добавить номер", "en": "Add a number"},
    "clients_phone_remove": {"ru": "Удалить", "en": "Remove"},
    "clients_phone_hint": {
        "ru": "В любом виде: +7 916 123-45-67, 8 (916) 1234567; добавочный — «доб. 123»",
        "en": "Any format: +7 916 123-45-67, 8 (916) 1234567; an extension as “ext. 123”",
    },
    "clients_no_phones": {"ru": "Номеров нет.", "en": "No numbers."},
    "clients_calls": {"ru": "Звонки", "en": "Calls"},
    "clients_no_calls": {"ru": "Звонков ещё не было.", "en": "No calls yet."},
    "clients_call_time": {"ru": "Когда", "en": "When"},
    "clients_call_direction": {"ru": "Направление", "en": "Direction"},
    "clients_call_outcome": {"ru": "Итог", "en": "Outcome"},
    "clients_call_recording": {"ru": "Запись", "en": "Recording"},
    "clients_direction_inbound": {"ru": "входящий", "en": "inbound"},
    "clients_direction_outbound": {"ru": "исходящий", "en": "outbound"},
    "clients_direction_internal": {"ru": "внутренний", "en": "internal"},
    "clients_outcome_answered": {"ru": "разговор", "en": "answered"},
    "clients_outcome_missed": {"ru": "пропущен", "en": "missed"},
    "clients_outcome_busy": {"ru": "занято", "en": "busy"},
    "clients_outcome_abandoned": {"ru": "сброшен в очереди", "en": "abandoned"},
    "clients_outcome_unanswered": {"ru": "не дозвонились", "en": "not answered"},
    "clients_outcome_ongoing": {"ru": "идёт", "en": "in progress"},
    "clients_messages": {"ru": "Переписка", "en": "Messages"},
    "clients_no_conversations": {
        "ru": "Клиент ещё не писал в мессенджеры компании.",
        "en": "The client has not written to the company's messengers yet.",
    },
    "clients_conversation_awaiting": {
        "ru": "ждёт ответа с {since}",
        "en": "waiting for an answer since {since}",
    },
    "clients_conversation_answered": {"ru": "ответа не ждёт", "en": "not waiting"},
    "clients_channel_telegram": {"ru": "Telegram", "en": "Telegram"},
    "clients_channel_max": {"ru": "MAX", "en": "MAX"},
    "clients_channel_vk": {"ru": "ВКонтакте", "en": "VK"},
    "clients_channel_whatsapp": {"ru": "WhatsApp", "en": "WhatsApp"},
    "clients_latest_messages": {"ru": "Последние сообщения", "en": "Latest messages"},
    "clients_no_messages": {"ru": "Сообщений пока нет.", "en": "No messages yet."},
    "clients_message_time": {"ru": "Когда", "en": "When"},
    "clients_message_channel": {"ru": "Канал", "en": "Channel"},
    "clients_message_author": {"ru": "Кто", "en": "Who"},
    "clients_message_text": {"ru": "Сообщение", "en": "Message"},
    "clients_message_state": {"ru": "Доставка", "en": "Delivery"},
    "clients_message_in": {"ru": "от клиента", "en": "from the client"},
    "clients_message_out": {"ru": "клиенту", "en": "to the client"},
    "clients_message_bot": {"ru": "бот", "en": "the bot"},
    "clients_message_template": {
        "ru": "шаблон WhatsApp: «у нас есть ответ — напишите нам»",
        "en": "WhatsApp template: “we have an answer for you — write to us”",
    },
    "clients_message_ask_phone": {
        "ru": "просьба поделиться номером телефона",
        "en": "asked to share the phone number",
    },
    "clients_state_pending": {"ru": "отправляется", "en": "being sent"},
    "clients_state_sent": {"ru": "отправлено", "en": "sent"},
    "clients_state_delivered": {"ru": "доставлено", "en": "delivered"},
    "clients_state_read": {"ru": "прочитано", "en": "read"},
    "clients_state_failed": {"ru": "не доставлено", "en": "not delivered"},
    "clients_reply_text": {"ru": "Ответ клиенту", "en": "Answer to the client"},
    "clients_reply_send": {"ru": "Отправить", "en": "Send"},
    "clients_reply_queued": {
        "ru": "Ответ отправляется клиенту.",
        "en": "The answer is on its way to the client.",
    },
    "clients_reply_empty": {"ru": "Напишите текст ответа.", "en": "Write the answer first."},
    "clients_reply_long": {
        "ru": "Ответ длиннее 4000 символов: разделите его на несколько сообщений.",
        "en": "The answer is longer than 4,000 characters: split it into several messages.",
    },
    "clients_reply_window": {
        "ru": "Клиент писал больше 24 часов назад: WhatsApp пропустит только шаблон («у нас "
        "есть ответ — напишите нам»). Отправьте его — когда клиент ответит, можно будет "
        "написать ему свободно.",
        "en": "The client wrote more than 24 hours ago: WhatsApp takes only a template now "
        "(“we have an answer for you — write to us”). Send it; once the client answers, you "
        "may write to him freely.",
    },
    "clients_reply_template": {"ru": "Отправить шаблон", "en": "Send the template"},
    "clients_reply_failed": {
        "ru": "Ответ не отправлен; попробуйте ещё раз.",
        "en": "The answer was not sent; try again.",
    },
    "clients_links": {"ru": "Ссылка для клиента", "en": "A link for the client"},
    "clients_links_hint": {
        "ru": "Отправьте клиенту ссылку: он откроет бота, и его чат привяжется к этой "
        "карточке — его сообщения будут приходить его менеджеру.",
        "en": "Send the client this link: he opens the bot, and his chat is tied to this card — "
        "what he writes reaches his manager.",
    },
    "clients_link_copy": {"ru": "Скопировать", "en": "Copy"},
    "clients_versions": {"ru": "Версии карточки", "en": "Versions of the card"},
    "clients_versions_of": {"ru": "Версии карточки: {name}", "en": "Versions of the card: {name}"},
    "clients_version": {"ru": "Версия", "en": "Version"},
    "clients_version_at": {"ru": "Когда", "en": "When"},
    "clients_version_actor": {"ru": "Кто", "en": "Who"},
    "clients_version_action": {"ru": "Что сделано", "en": "What was done"},
    "clients_version_card": {"ru": "Карточка после изменения", "en": "The card after it"},
    "clients_version_deleted": {"ru": "карточка удалена", "en": "the card was deleted"},
    "clients_action_create": {"ru": "создана", "en": "created"},
    "clients_action_update": {"ru": "изменена", "en": "changed"},
    "clients_action_restore": {"ru": "восстановлена", "en": "restored"},
    "clients_action_delete": {"ru": "удалена", "en": "deleted"},
    "clients_restore": {"ru": "Восстановить", "en": "Restore"},
    "clients_current": {"ru": "текущая", "en": "current"},
    "clients_back": {"ru": "К карточке", "en": "Back to the card"},
    "clients_to_list": {"ru": "Ко всем клиентам", "en": "All clients"},
    "clients_missing_title": {"ru": "Не найдено", "en": "Not found"},
    "clients_missing": {
        "ru": "Такого клиента нет или он не в вашем ведении.",
        "en": "There is no such client, or he is not in your care.",
    },
    "clients_error_name_line": {
        "ru": "Имя клиента пишется в одну строку, без управляющих символов.",
        "en": "The client's name is one line without control characters.",
    },
    "clients_error_form": {
        "ru": "Форма заполнена неверно; проверьте поля и отправьте её снова.",
        "en": "The form is not filled in right; check the fields and send it again.",
    },
    "clients_error_name_empty": {
        "ru": "Имя клиента не может быть пустым.",
        "en": "The client's name cannot be empty.",
    },
    "clients_error_name_long": {
        "ru": "Имя клиента длиннее 300 символов.",
        "en": "The client's name is longer than 300 characters.",
    },
    "clients_error_notes": {
        "ru": "Заметки длиннее 10 000 символов или содержат управляющие символы.",
        "en": "The notes are longer than 10,000 characters or hold control characters.",
    },
    "clients_error_status": {
        "ru": "Выберите статус из списка.",
        "en": "Choose a status from the list.",
    },
    "clients_error_manager": {
        "ru": "Этого менеджера назначить нельзя: его нет или он не в вашей команде.",
        "en": "This manager cannot be assigned: there is none, or he is not in your team.",
    },
    "clients_error_phone": {
        "ru": "«{number}» — не номер телефона, по которому можно позвонить.",
        "en": "“{number}” is not a phone number one can call.",
    },
    "clients_error_phone_taken": {
        "ru": "Номер {number} уже записан за другим клиентом или стоит в списке номеров.",
        "en": "The number {number} already belongs to another client or is on a list.",
    },
    "clients_error_phone_others": {
        "ru": "Номер {number} — номер другой команды: он ждёт её разбора или её менеджер должен "
        "по нему перезвонить. Обратитесь к её руководителю.",
        "en": "The number {number} is another team's: it waits for that team's triage, or one of "
        "its managers is to call it back. Ask their supervisor.",
    },
    "clients_error_phone_absent": {
        "ru": "У клиента нет номера «{number}».",
        "en": "The client has no number “{number}”.",
    },
    "clients_error_phones_many": {
        "ru": "Не больше 50 номеров у одного клиента.",
        "en": "At most 50 numbers for one client.",
    },
    "clients_error_version": {
        "ru": "Такой версии нет или это удаление карточки.",
        "en": "There is no such version, or it is the deletion of the card.",
    },
    "clients_error_search": {
        "ru": "Запрос содержит недопустимые символы.",
        "en": "The search holds characters that are not allowed.",
    },
    "clients_confirm_remove": {
        "ru": "Убрать номер {number} из карточки?",
        "en": "Remove {number} from the card?",
    },
    "clients_confirm_restore": {
        "ru": "Вернуть карточку к версии {version}? Текущие данные останутся в истории версий.",
        "en": "Restore version {version} of the card? The current one stays in its history.",
    },
    "clients_extension": {"ru": "доб. {extension}", "en": "ext. {extension}"},
}
