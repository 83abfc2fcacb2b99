# Табло очереди: зал и экран руководителя.
board-now-serving = Сейчас принимают
board-desk = Окно { $desk }
board-state-called = Проходите
board-state-serving = Идёт приём
board-call = Талон { $ticket }, пройдите к окну { $desk }
board-waiting-title = В очереди
board-waiting-none = Очереди нет
board-waiting-count = { $count ->
    [one] в очереди { $count } человек
    [few] в очереди { $count } человека
   *[many] в очереди { $count } человек
}
board-wait-estimate = { $minutes ->
    [one] ожидание для вновь пришедших: около { $minutes } минуты
   *[other] ожидание для вновь пришедших: около { $minutes } минут
}
board-wait-none = вновь пришедшие примутся без ожидания
board-more = ещё { $count }
board-keys-hall = S руководитель · L язык · Q выход
board-loading = Загрузка…
board-error-read = База данных недоступна; показано последнее известное состояние.
board-supervisor-title = Руководитель: { $name }
board-today = Сегодня, { $date }
board-fig-tickets = Выдано талонов
board-fig-appeals = Принято обращений
board-fig-positive = Решено положительно
board-fig-consulted = Даны консультации
board-fig-under-consideration = На рассмотрении
board-fig-redirected = Перенаправлено
board-desks-title = Окна
board-col-desk = Окно
board-col-served = Принято
board-col-service = Среднее время
board-minutes-short = { $minutes } мин
board-wait-mean = Среднее ожидание
board-wait-longest = Самое долгое ожидание
board-wait-now = Дольше всех ждёт сейчас
board-overdue-title = Обращения на контроле с истёкшим сроком: { $count }
board-overdue-none = Нет.
board-overdue-row = { $days ->
    [one] { $number } · просрочено на { $days } рабочий день (срок { $deadline }) · { $responsible } · { $category }
    [few] { $number } · просрочено на { $days } рабочих дня (срок { $deadline }) · { $responsible } · { $category }
   *[many] { $number } · просрочено на { $days } рабочих дней (срок { $deadline }) · { $responsible } · { $category }
}
board-arrivals-title = Приход посетителей по часам
board-sync-title = Синхронизация с региональным сервером
board-sync-none = Региональный сервер для этого пункта не настроен.
board-sync-all-sent = Все события переданы
board-sync-pending = { $count ->
    [one] Ещё не отправлено: { $count } событие
    [few] Ещё не отправлено: { $count } события
   *[many] Ещё не отправлено: { $count } событий
}
board-sync-last-success = последняя передача { $time }
board-sync-no-success = передач ещё не было
board-sync-forwarder-on = пересылка работает
board-sync-forwarder-off = пересылка не запущена
board-sync-error = Последняя ошибка ({ $time }): { $error }
board-sync-alarm = ТРЕВОГА ({ $time }): { $alarm }
board-sync-alarm-rewound = сервер потерял события с { $from } по { $to } (восстановлен из копии?); они отправляются заново
board-sync-alarm-conflict = сервер отклонил событие { $seq }: под этим номером у него другое событие; позвоните в областной филиал
board-sync-alarm-ahead = на сервере { $server } событий этого пункта, в этой базе только { $here } (восстановлена из старой копии?); новые события будут в конфликте: позвоните в областной филиал
board-sync-alarm-flagged = сервер отметил этот пункт: однажды он получил изменённое событие; позвоните в областной филиал
board-keys-supervisor = Esc в зал · L язык · Q выход
board-login-title = Вход руководителя
board-login-login = Логин
board-login-pin = PIN-код
board-login-keys = Enter войти · Tab следующее поле · Esc в зал
board-login-checking = Проверка…
board-login-wrong = { $left ->
    [one] Неверный логин или PIN-код. Осталась { $left } попытка.
    [few] Неверный логин или PIN-код. Осталось { $left } попытки.
   *[many] Неверный логин или PIN-код. Осталось { $left } попыток.
}
board-login-refused = Неверный логин или PIN-код.
board-login-no-logins = Логинов ещё нет: в терминале qabyldau staff add ЛОГИН --name "…" --role admin
board-login-locked = Слишком много неверных PIN-кодов. Повторите после { $time }.
board-login-not-supervisor = С этим логином нельзя открыть экран руководителя.
board-login-failed = Не удалось проверить вход. Попробуйте ещё раз.

# Региональное табло: все пункты региона с регионального сервера.
board-keys-region = L язык · Q выход
board-region-title = { $count ->
    [one] Регион: { $count } пункт
    [few] Регион: { $count } пункта
   *[many] Регион: { $count } пунктов
}
board-region-title-point = Пункт { $point }
board-region-connecting = подключение…
board-region-live = на связи
board-region-down-since = нет связи с { $time }
board-region-unreachable = Региональный сервер недоступен ({ $detail }).
board-region-refused = Сервер не принял ключ доступа этого табло ({ $detail }).
board-region-failed = Ответ сервера нельзя использовать ({ $detail }).
board-region-data-from = Данные на { $time }.
board-region-no-data = Данные ещё не получены.
board-region-retry = Новая попытка через { $seconds } с.
board-region-no-points = Для этого ключа сервер не показывает ни одного пункта.
board-region-more-points = ещё { $count }: --point ID покажет один пункт
board-region-no-calls = Никто не вызван к окнам
board-region-flagged = Противоречивые события: нужна проверка в региональном офисе
board-region-revoked = Ключ доступа этого пункта отозван
board-region-contact = последняя связь { $time }
board-region-no-contact = связи ещё не было
board-region-behind = { $count ->
    [one] { $count } событие ещё не на сервере
    [few] { $count } события ещё не на сервере
   *[many] { $count } событий ещё не на сервере
}
board-region-in-step = всё получено
board-region-decisions-pending = { $count ->
    [one] { $count } решение области ещё не применено
    [few] { $count } решения области ещё не применены
   *[many] { $count } решений области ещё не применено
}
board-region-never-sent = ничего не присылал (совпадает ли [point] id пункта?)

board-printer-trouble = ⚠ Принтер { $printer }: { $reason } (с { $time }), { $document } не напечатан
## The hall: paused desks, waits past the limit, hours
board-not-serving = не принимает
board-desk-paused = Окно { $desk } на паузе { $minutes } мин: { $reason }
board-over-limit = Дольше { $limit } мин: { $count } — { $tickets }
board-over-limits = Дольше лимита ожидания: { $count } — { $tickets }
board-hours-today = Приём { $hours }
board-closed-today = Сегодня приёма нет
board-closed-today-opens = Сегодня приёма нет, откроется { $date } в { $time }
