## Зал: окна на паузе, ожидание сверх предела, часы работы.

# почему окно на паузе
pause-reason-break = перерыв
pause-reason-paperwork = работа с документами
pause-reason-phone = разговор с гражданином по телефону
pause-reason-technical = технические неполадки

desk-pause-title = Пауза окна: причина?
desk-pause-hint = ↑↓ или 1–4 выбор   Enter пауза   Esc отмена
desk-paused-now = Пауза: { $reason }, с { $time } ({ $minutes } мин). P — вернуться.
desk-paused-done = Окно на паузе: никого не вызывают, пока вы не вернётесь (P).
desk-resumed = Окно снова работает: N вызывает следующий талон.
desk-err-paused = Окно на паузе ({ $reason }): нажмите P, чтобы вернуться, и вызывайте.
desk-err-already-paused = Окно уже на паузе ({ $reason }).
desk-err-not-paused = Окно не на паузе.

# зал и руководитель
board-not-serving = не принимает
board-desk-paused = Окно { $desk } на паузе { $minutes } мин: { $reason }
