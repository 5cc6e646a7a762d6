"""Texts of the reports page: figures per manager and for the company, charts, exports."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {
    "reports_title": {"ru": "Отчёты", "en": "Reports"},
    "reports_from": {"ru": "С", "en": "From"},
    "reports_until": {"ru": "По", "en": "Until"},
    "reports_show": {"ru": "Показать", "en": "Show"},
    "reports_period": {"ru": "Период: {first} — {last}", "en": "Period: {first} to {last}"},
    "reports_error_from": {
        "ru": "Дата «с» не читается: {value}. Пишите 2026-11-01 или 01.11.2026.",
        "en": "The 'from' date cannot be read: {value}. Write 2026-11-01 or 01.11.2026.",
    },
    "reports_error_until": {
        "ru": "Дата «по» не читается: {value}. Пишите 2026-11-30 или 30.11.2026.",
        "en": "The 'until' date cannot be read: {value}. Write 2026-11-30 or 30.11.2026.",
    },
    "reports_error_from_year": {
        "ru": "Дата «с» вне допустимых лет: {value}. Год — от 2000 до 2999.",
        "en": "The 'from' date is out of range: {value}. The year is 2000 to 2999.",
    },
    "reports_error_until_year": {
        "ru": "Дата «по» вне допустимых лет: {value}. Год — от 2000 до 2999.",
        "en": "The 'until' date is out of range: {value}. The year is 2000 to 2999.",
    },
    "reports_error_order": {
        "ru": "Период кончается раньше, чем начинается: поменяйте даты местами.",
        "en": "The period ends before it starts: swap the dates.",
    },
    "reports_error_long": {
        "ru": "Период не длиннее года: выберите даты ближе друг к другу.",
        "en": "A period is at most a year: choose dates closer together.",
    },
    "reports_error_title": {"ru": "Период не понят", "en": "Period not understood"},
    "reports_not_found_title": {"ru": "Не найдено", "en": "Not found"},
    "reports_not_found": {
        "ru": "Такого показателя или менеджера в ваших отчётах нет.",
        "en": "There is no such figure or manager in your reports.",
    },
    "reports_calls": {"ru": "Звонки", "en": "Calls"},
    "reports_callbacks": {"ru": "Перезвоны", "en": "Callbacks"},
    "reports_unregistered": {
        "ru": "Незарегистрированные номера",
        "en": "Unregistered numbers",
    },
    "reports_kpi": {"ru": "KPI «контакты уточнены»", "en": "KPI: contacts refined"},
    "reports_forgotten": {"ru": "Забытые клиенты", "en": "Forgotten clients"},
    "reports_charts": {"ru": "Графики", "en": "Charts"},
    "reports_export": {"ru": "Скачать:", "en": "Download:"},
    "reports_none": {"ru": "Нет данных за период.", "en": "Nothing in this period."},
    "reports_manager": {"ru": "Менеджер", "en": "Manager"},
    "reports_nobody": {"ru": "никто в отдельности", "en": "nobody in particular"},
    "reports_company": {"ru": "Вся компания", "en": "The company"},
    "reports_team": {"ru": "Вся команда", "en": "The team"},
    "reports_all": {"ru": "все", "en": "everyone"},
    "reports_figure_calls_in": {"ru": "Входящие", "en": "Inbound"},
    "reports_figure_calls_out": {"ru": "Исходящие", "en": "Outbound"},
    "reports_figure_missed": {"ru": "Пропущено", "en": "Missed"},
    "reports_figure_missed_out_of_hours": {
        "ru": "Вне рабочего времени",
        "en": "Out of working hours",
    },
    "reports_figure_missed_short_ring": {"ru": "Короткий звонок", "en": "Short ring"},
    "reports_figure_missed_nobody_available": {
        "ru": "Никто не был доступен",
        "en": "Nobody available",
    },
    "reports_figure_missed_abandoned": {
        "ru": "Брошен в меню или очереди",
        "en": "Abandoned in the IVR or queue",
    },
    "reports_figure_missed_unanswered": {
        "ru": "Звонил, не ответили",
        "en": "Rang, not answered",
    },
    "reports_cases": {"ru": "Пропущенных номеров", "en": "Missed numbers"},
    "reports_figure_returned_soon": {"ru": "Перезвонили за 20 мин", "en": "Called back in 20 min"},
    "reports_figure_returned_same_day": {
        "ru": "За рабочий день",
        "en": "Within a working day",
    },
    "reports_figure_returned_later": {"ru": "Позже", "en": "Later"},
    "reports_figure_returned_not_yet": {"ru": "Не перезвонили", "en": "Never called back"},
    "reports_figure_escalated": {"ru": "Эскалировано", "en": "Escalated"},
    "reports_median": {"ru": "Медиана до перезвона", "en": "Median time to callback"},
    "reports_p90": {"ru": "90% перезвонов за", "en": "90th percentile"},
    "reports_forgotten_count": {"ru": "Забытые клиенты", "en": "Forgotten clients"},
    "reports_hours": {"ru": "{hours} ч {minutes:02d} мин", "en": "{hours} h {minutes:02d} min"},
    "reports_minutes": {
        "ru": "{minutes} мин {seconds:02d} с",
        "en": "{minutes} min {seconds:02d} s",
    },
    "reports_list_title": {"ru": "{figure}: {whose}", "en": "{figure}: {whose}"},
    "reports_back": {"ru": "← К отчёту", "en": "← Back to the report"},
    "reports_count": {"ru": "Звонков: {count}", "en": "Calls: {count}"},
    "reports_shown": {
        "ru": "Показаны первые {shown}; все — в файле.",
        "en": "The first {shown} are shown; the file has them all.",
    },
    "reports_time": {"ru": "Время", "en": "Time"},
    "reports_direction": {"ru": "Направление", "en": "Direction"},
    "reports_number": {"ru": "Номер", "en": "Number"},
    "reports_client": {"ru": "Клиент", "en": "Client"},
    "reports_outcome": {"ru": "Итог", "en": "Outcome"},
    "reports_recording": {"ru": "Запись", "en": "Recording"},
    "reports_listen": {"ru": "слушать", "en": "listen"},
    "reports_inbound": {"ru": "входящий", "en": "inbound"},
    "reports_outbound": {"ru": "исходящий", "en": "outbound"},
    "reports_answered": {"ru": "принят", "en": "answered"},
    "reports_not_answered": {"ru": "не ответили", "en": "not answered"},
    "reports_going_on": {"ru": "идёт", "en": "going on"},
    "reports_missed_because": {"ru": "пропущен: {reason}", "en": "missed: {reason}"},
    "reports_withheld": {"ru": "скрытый номер", "en": "withheld number"},
}
