report-title = Отчёт
report-period = Период: { $from } — { $to }
report-point = Пункт: { $point }
report-generated = Данные на { $date }
report-section-appeals = Обращения
report-section-control = На контроле
report-section-sessions = Выездные приёмы
report-section-tickets = Очередь
report-appeals-received = Поступило обращений
report-resolved-positive = Решено положительно
report-consulted = Даны разъяснения
report-redirected = Направлено в госорганы
report-under-consideration = На рассмотрении
report-declined = Отказано
report-withdrawn = Отозвано
report-repeated = Повторные обращения
report-control-taken = Взято на контроль
report-control-in-time = Закрыто в срок
report-control-overdue = Просрочено
report-proposals = Предложения в программу, по темам
report-redirected-by-body = Направлено, по госорганам
report-sessions-mobile = Выездных приёмов в сёлах
report-sessions-on-site = Приёмов на предприятиях
report-sessions-citizens = Принято граждан на них
report-tickets-issued = Выдано талонов
report-tickets-served = Обслужено
report-tickets-no-show = Не явились
report-tickets-not-printed = Талоны не напечатаны
report-wait-median = Ожидание, медиана, мин
report-wait-p90 = Ожидание, 90-й процентиль, мин
report-service-median = Обслуживание, медиана, мин
report-service-p90 = Обслуживание, 90-й процентиль, мин
report-col-figure = Показатель
report-col-count = Количество
report-col-percent = %
report-col-group = Группа
report-by-category = Тема
report-by-channel = Канал
report-by-kind = Вид
report-by-point = Пункт
report-by-desk = Окно
report-by-operator = Оператор
report-by-month = Месяц
report-none = —
report-short-received = Поступ.
report-short-positive = Полож.
report-short-consulted = Разъясн.
report-short-redirected = Направл.
report-short-pending = На рассм

## экран отчёта (стол F8, табло R)
report-choice-today = Сегодня
report-choice-week = Эта неделя
report-choice-month = Этот месяц
report-choice-dates = Период
report-computing = Идёт расчёт…
report-failed = Отчёт не удалось рассчитать. Enter — ещё раз.
report-topics-title = Обращения по темам
report-topics-none = За этот период обращений нет.
report-topics-more = { $topics ->
    [one] ещё { $topics } тема: { $count }
    [few] ещё { $topics } темы: { $count }
   *[many] ещё { $topics } тем: { $count }
}
report-daily-title = Поступило обращений по дням
report-daily-columns = { $days ->
    [one] Поступило обращений; столбец — { $days } день
    [few] Поступило обращений; столбец — { $days } дня
   *[many] Поступило обращений; столбец — { $days } дней
}
report-daily-peak = больше всего за день: { $count }
report-daily-peak-columns = больше всего в столбце: { $count }
report-bad-from = Дата начала: введите в виде дд.мм.гггг, например 01.03.2026.
report-bad-to = Дата окончания: введите в виде дд.мм.гггг, например 31.03.2026.
report-ends-before-start = Период заканчивается раньше, чем начинается: проверьте даты.
report-starts-after-today = Период начинается после сегодняшнего дня: данных ещё нет.
report-not-allowed = Отчёты доступны только руководителям и администраторам.
report-keys-desk = 1 Сегодня  2 Неделя  3 Месяц  4 Период  Enter Обновить  Esc Назад
report-keys-editing = Дата дд.мм.гггг  Tab Другая дата  Enter Рассчитать  Esc Отмена
report-keys-board = 1 сегодня · 2 неделя · 3 месяц · 4 период · Enter обновить · R к панели
report-keys-board-live = R отчёт за любой период
report-list-title = Обращения
report-list-number = Номер
report-list-received = Поступило
report-list-category = Тема
report-list-kind = Вид
report-list-channel = Канал
report-list-outcome = Результат
report-list-redirected = Направлено в
report-list-deadline = Срок
report-list-name = Заявитель
report-list-iin = ИИН
report-list-phone = Телефон
report-list-settlement = Населённый пункт
report-list-workplace = Место работы
report-list-text = Текст обращения
report-list-erased = персональные данные удалены
report-list-text-erased = (текст удалён)

## Closed tickets, waits past the limit, paused desks
report-tickets-closed = Не обслужены: приём закрылся
report-tickets-over-limit = Ждали дольше { $minutes } мин
report-tickets-over-limits = Ждали дольше лимита
report-section-pauses = Паузы окон
report-section-erased = Удалены персональные данные (обращения остаются во всех показателях)
report-erased-for-age = по истечении срока хранения
report-erased-on-request = по заявлению гражданина (отзыв согласия)
report-paused-total = На паузе, мин
report-paused-desk = Окно { $desk }, мин
