"""Texts of the import page: uploading clients or sales, progress, rejected rows."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {
    "import_title": {"ru": "Импорт из CSV или XLSX", "en": "Import from CSV or XLSX"},
    "import_what": {"ru": "Что загружаем", "en": "What the file holds"},
    "import_kind_clients": {"ru": "Клиенты", "en": "Clients"},
    "import_kind_sales": {"ru": "Продажи", "en": "Sales"},
    "import_file": {
        "ru": "Файл CSV или XLSX (не больше {limit} МБ)",
        "en": "A CSV or XLSX file (at most {limit} MB)",
    },
    "import_columns": {
        "ru": "Клиенты: наименование, телефоны, менеджер, статус, комментарий. Продажи: "
        "контрагент или телефон, дата, сумма. Русские названия колонок из 1С, amoCRM и "
        "Битрикс24 подходят.",
        "en": "Clients: name, phones, manager, status, notes. Sales: client or phone, date, "
        "amount. The Russian column names of 1C, amoCRM and Bitrix24 exports will do.",
    },
    "import_dry_run": {
        "ru": "Пробный запуск: всё проверить, ничего не сохранять",
        "en": "Dry run: check everything, store nothing",
    },
    "import_update_names": {
        "ru": "Клиент, найденный по телефону, получает название из файла",
        "en": "A client found by phone takes the file's name",
    },
    "import_start": {"ru": "Загрузить", "en": "Upload"},
    "import_recent": {"ru": "Недавние загрузки", "en": "Recent uploads"},
    "import_state_running": {"ru": "идёт", "en": "running"},
    "import_state_finished": {"ru": "готово", "en": "done"},
    "import_state_failed": {"ru": "прервано", "en": "stopped"},
    "import_dry": {"ru": "пробный запуск, ничего не сохранено", "en": "dry run, nothing stored"},
    "import_run_title": {"ru": "Импорт: {file}", "en": "Import: {file}"},
    "import_rows": {"ru": "строк", "en": "rows"},
    "import_refresh": {"ru": "Обновить", "en": "Refresh"},
    "import_failed": {
        "ru": "Импорт прервался; уже записанные части сохранены.",
        "en": "The import stopped; the parts already written are kept.",
    },
    "import_count_created": {"ru": "Добавлено", "en": "Added"},
    "import_count_updated": {"ru": "Обновлено", "en": "Updated"},
    "import_count_unchanged": {"ru": "Без изменений", "en": "Unchanged"},
    "import_count_added": {"ru": "Добавлено", "en": "Added"},
    "import_count_already": {"ru": "Уже были", "en": "Already there"},
    "import_count_statuses": {"ru": "Статусов изменено", "en": "Statuses changed"},
    "import_count_rejected": {"ru": "Отклонено", "en": "Rejected"},
    "import_remarks": {
        "ru": "Замечания: {count} (клиент найден по телефону, но в файле назван иначе)",
        "en": "Remarks: {count} (a client found by phone is named otherwise in the file)",
    },
    "import_line": {"ru": "строка {line}", "en": "line {line}"},
    "import_rejected": {"ru": "Отклонённые строки", "en": "Rejected rows"},
    "import_download": {
        "ru": "Скачать отклонённые строки (CSV: исправьте и загрузите снова)",
        "en": "Download the rejected rows (CSV: fix and upload again)",
    },
    "import_line_head": {"ru": "Строка", "en": "Line"},
    "import_reason": {"ru": "Причина", "en": "Reason"},
    "import_cells": {"ru": "Содержимое", "en": "Cells"},
    "import_more": {
        "ru": "Показаны первые {shown}; все — в файле CSV.",
        "en": "The first {shown} are shown; the CSV file has them all.",
    },
    "import_again": {"ru": "Загрузить другой файл", "en": "Upload another file"},
    "import_error_size": {
        "ru": "Файл больше {limit} МБ; ничего не загружено. Разделите его на части.",
        "en": "The file is larger than {limit} MB; nothing was imported. Split it into parts.",
    },
    "import_error_form": {
        "ru": "Форма отправлена не целиком; ничего не загружено. Откройте страницу заново.",
        "en": "The form did not arrive whole; nothing was imported. Open the page again.",
    },
    "import_error_file": {
        "ru": "Выберите непустой файл CSV или XLSX.",
        "en": "Choose a CSV or XLSX file that is not empty.",
    },
    "import_error_type": {
        "ru": "Загружаются только файлы CSV и XLSX; ничего не загружено. Старый Excel (.xls) "
        "сохраните как XLSX или CSV.",
        "en": "Only CSV and XLSX files are imported; nothing was imported. Save an old Excel "
        "file (.xls) as XLSX or CSV.",
    },
    "import_error_content": {
        "ru": "Содержимое файла не похоже на таблицу своего типа (CSV или XLSX); ничего не "
        "загружено.",
        "en": "The file's content is not a table of its type (CSV or XLSX); nothing was imported.",
    },
    "import_error_kind": {
        "ru": "Выберите, что в файле: клиенты или продажи.",
        "en": "Choose what the file holds: clients or sales.",
    },
    "import_error_read": {
        "ru": "Файл не прочитан; ничего не загружено.",
        "en": "The file could not be read; nothing was imported.",
    },
    "import_gone_title": {"ru": "Загрузка не найдена", "en": "Upload not found"},
    "import_gone": {
        "ru": "Этой загрузки нет: сервис хранит отчёты о последних загрузках до перезапуска.",
        "en": "There is no such upload: the service keeps the reports of the latest uploads "
        "until it restarts.",
    },
}
