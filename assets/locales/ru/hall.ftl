## Зал: окна на паузе, ожидание сверх предела, часы работы.

# почему окно на паузе
pause-reason-break = перерыв
pause-reason-paperwork = работа с документами
pause-reason-phone = разговор с гражданином по телефону
pause-reason-technical = технические неполадки


# зал и руководитель
board-not-serving = не принимает
board-desk-paused = Окно { $desk } на паузе { $minutes } мин: { $reason }

# отчёт
report-tickets-closed = Не обслужены: приём закрылся
report-tickets-over-limit = Ждали дольше { $minutes } мин
report-section-pauses = Паузы окон
report-paused-total = На паузе, мин
report-paused-desk = Окно { $desk }, мин
board-over-limit = Дольше { $limit } мин: { $count } — { $tickets }
board-hours-today = Приём { $hours }
board-closed-today = Сегодня приёма нет
board-closed-today-opens = Сегодня приёма нет, откроется { $date } в { $time }
