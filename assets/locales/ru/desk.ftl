# Пульт оператора приёмной.

desk-title = Окно { $desk }
desk-welcome = Здравствуйте, { $name }.
desk-logged-out = Вы вышли из системы.
desk-logout-confirm = В форме обращения есть несохранённый текст. Нажмите Ctrl-Q ещё раз, чтобы выйти без сохранения.
desk-loading = Загрузка…
desk-anonymous = анонимно
desk-erased = персональные данные удалены
desk-text-erased = (текст удалён)
desk-repeated = повторное обращение
desk-campaign-on = КАМПАНИЯ
desk-campaign-note = Режим кампании: принимаются только предложения в программу.
desk-campaign-switched-on = Режим кампании включён: только предложения в программу.
desk-campaign-switched-off = Режим кампании выключен.
desk-draft-kept = Несохранённое обращение не потеряно (F2).

## клавиши
desk-keys-global = F1 Очередь F2 Обращ. F3 Поиск F4 Контр. F5 Приёмы F7 Язык F8 Отчёт Ctrl-Q Выход
desk-keys-login = Enter Далее / Войти   Tab Поле   F7 Язык   Esc Выход
desk-keys-queue = N След.  R Повтор  S Приём  X Неявка  T Перевод  F Готово  A Обращение  P Пауза
desk-keys-queue-chosen = Enter Вызвать этот талон  P Перепечатать талон  ↑↓ Выбор  Esc По очереди
desk-keys-form = Tab/↑↓ Поле  ←→/Пробел Выбор  Ctrl-S Сохранить  Ctrl-N Новое  Esc Назад
desk-keys-search = Введите запрос   ↑↓ Выбор   Enter Открыть   Esc Назад   F9 Что с обращением
desk-keys-control = ↑↓ Выбор   Enter Открыть   Esc Назад
desk-keys-detail = N Заметка  O Итог  E Продлить  C Контроль  P Перепечатать  ↑↓ История  Esc Назад
desk-who-system = система
desk-who-region = в области: { $name }
desk-who-region-office = областной филиал
desk-card-more = PgDn PgUp: ещё
desk-keys-dialog = Enter Сохранить   Tab Следующее поле   ←→ Выбор   Esc Отмена
desk-keys-sessions = O Открыть приём  C Закрыть  F6 Режим кампании (админ)  Esc Назад

## вход
desk-login-title = Вход
desk-login-desk = Окно { $desk }. Введите логин и PIN-код.
desk-login-login = Логин
desk-login-pin = PIN-код
desk-login-hint = PIN-код — от 4 до 8 цифр.
desk-login-checking = Проверяем…
desk-login-empty = Введите логин.
desk-login-pin-empty = Введите PIN-код.
desk-login-pin-digits = PIN-код состоит только из цифр.
desk-login-wrong-pin = Неверный PIN-код. { $count ->
    [one] Осталась { $count } попытка до блокировки.
    [few] Осталось { $count } попытки до блокировки.
   *[many] Осталось { $count } попыток до блокировки.
}
desk-login-locked = Слишком много неверных PIN-кодов: вход заблокирован до { $time }.
desk-login-refused = Неверный логин или PIN-код, либо логин отключён.
desk-login-no-logins = Логинов ещё нет: в терминале qabyldau staff add ЛОГИН --name "…" --role admin

## очередь
desk-queue-title = Ожидают: { $count }
desk-queue-empty = Никто не ожидает.
desk-queue-choose = ↑↓ выбрать
desk-minutes-short = { $count } мин
desk-current-title = Текущий талон
desk-current-none = Талона нет. Нажмите N, чтобы вызвать следующего.
desk-priority = Приоритет
desk-waited = Ожидал { $count ->
    [one] { $count } минуту
    [few] { $count } минуты
   *[many] { $count } минут
}
desk-recalls = Повторных вызовов: { $count }
desk-hint-called = S — гражданин подошёл; X — не явился; R — вызвать ещё раз.
desk-hint-serving = A — записать обращение; F — завершить; T — перевести.
desk-called = Талон { $ticket } вызван.
desk-recalled = Талон { $ticket } вызван повторно.
desk-serving = Идёт приём по талону { $ticket }.
desk-no-show-done = Талон { $ticket }: не явился. Вернуть в очередь: U.
desk-returned = Талон { $ticket } возвращён в очередь.
desk-transferred = Талон { $ticket } переведён.
desk-finished = Приём по талону { $ticket } завершён.
desk-transfer-title = Перевести талон
desk-transfer-to = Куда
desk-transfer-any-desk = любое окно по этой теме
desk-transfer-desk = окно { $desk }
desk-transfer-hint = ←→ выбор   Tab далее   Enter перевести   Esc отмена

## состояния талона и приоритеты
desk-state-waiting = ожидает
desk-state-called = вызван
desk-state-serving = на приёме
desk-state-done = принят
desk-state-no_show = не явился
desk-state-cancelled = отменён
desk-priority-ordinary = обычный
desk-priority-disability = инвалидность
desk-priority-veteran = ветеран
desk-priority-pregnancy = беременность
desk-priority-elderly = пожилой возраст
desk-role-operator = оператор
desk-role-supervisor = руководитель
desk-role-admin = администратор

## форма обращения
desk-form-title = Новое обращение (без талона)
desk-form-title-ticket = Обращение, талон { $ticket }
desk-form-saving = Сохраняем…
desk-form-saved = Обращение { $number } зарегистрировано.
desk-form-confirm-clear = В форме есть несохранённый текст. Нажмите Ctrl-N ещё раз, чтобы очистить.
desk-form-fixed = Всё исправлено. Ctrl-S — сохранить обращение.
desk-form-cleared = Новая пустая форма.
desk-f-name = ФИО
desk-f-iin = ИИН
desk-f-phone = Телефон
desk-f-settlement = Населённый пункт
desk-f-workplace = Место работы
desk-f-consent = Согласие на обработку персональных данных
desk-f-category = Тема
desk-f-kind = Вид
desk-f-channel = Канал
desk-f-text = Суть обращения
desk-f-heard-by = Принимали
desk-f-heard-other = Другие
desk-f-outcome = Итог
desk-f-redirected = Направлено в
desk-f-control = На контроле
desk-f-responsible = Ответственный
desk-f-deadline = Срок
desk-f-note = Заметка
desk-f-new-deadline = Новый срок
desk-f-reason = Причина
desk-f-date = Дата
desk-f-place = Место
desk-f-officials = Присутствуют
desk-f-session-kind = Вид приёма
desk-iin-ok = верный, дата рождения { $born }
desk-days-left = { $count ->
    [one] остался { $count } рабочий день
    [few] осталось { $count } рабочих дня
   *[many] осталось { $count } рабочих дней
}
desk-days-overdue = { $count ->
    [one] просрочено на { $count } рабочий день
    [few] просрочено на { $count } рабочих дня
   *[many] просрочено на { $count } рабочих дней
}

## виды, каналы, итоги
desk-channel-walk_in = личный приём
desk-channel-on_site = приём на предприятии
desk-channel-mobile = выездной приём
desk-channel-phone = телефон / колл-центр
desk-channel-email = электронная почта
desk-channel-messenger = мессенджер

## что не так с полем
desk-p-required = обязательно
desk-p-too-long = слишком длинно: не больше { $max } знаков
desk-p-iin-length = в ИИН 12 цифр, введено { $count }
desk-p-iin-digits = ИИН состоит только из цифр
desk-p-iin-century = 7-я цифра должна быть от 1 до 6
desk-p-iin-date = первые шесть цифр — не дата рождения
desk-p-iin-check = не сходится контрольная цифра: какая-то цифра введена неверно
desk-p-phone-chars = только цифры, пробелы, дефисы, скобки и + в начале
desk-p-phone-short = не хватает цифр ({ $count }): 10 после +7 или 8
desk-p-phone-long = лишние цифры ({ $count }): 10 после +7 или 8
desk-p-phone-country = это не казахстанский номер
desk-p-consent = персональные данные хранятся только с согласия: отметьте согласие или очистите данные заявителя
desk-p-date = это не дата: введите как 23.03.2026
desk-p-date-past = эта дата уже прошла
desk-p-campaign = режим кампании: принимаются только предложения в программу
desk-p-category = неизвестная тема
desk-p-outcome = этот итог сейчас поставить нельзя

## отказы
desk-err-unknown-desk = Окна { $desk } нет в настройках.
desk-err-queue-empty = К этому окну никто не ожидает.
desk-err-not-in-line = Этот талон больше не ожидает это окно: его мог вызвать другой оператор.
desk-err-no-no-show = Сегодня у этого окна нет талонов с отметкой «не явился».
desk-err-busy = Талон { $ticket } ещё у этого окна: сначала завершите (F) или отметьте неявку (X).
desk-err-no-ticket = У окна нет текущего талона. Нажмите N, чтобы вызвать.
desk-err-same-desk = Выберите другое окно или другую тему.
desk-err-not-admin = Это может сделать только администратор.
desk-err-session-open = Приём уже открыт: сначала закройте его.
desk-err-no-session = Открытого приёма нет.
desk-err-not-under-control = Обращение не на контроле.
desk-err-deadline-not-later = Новый срок должен быть позже текущего.
desk-err-invalid-more = { $first } (ещё неверно: { $fields })
desk-err-serve-first = Сначала начните приём (S), потом завершайте.
desk-err-already-serving = Гражданин уже на приёме.
desk-err-ticket-state = Нельзя: талон { $state }.
desk-err-outcome = Итог нельзя сменить с «{ $from }» на «{ $to }».
desk-err-not-found = Не найдено: возможно, изменено в другом окне.

## история заявителя
desk-history-title = Прежние обращения
desk-history-title-count = Прежние обращения: { $count }
desk-history-hint = Введите ИИН, телефон или ФИО — покажем прежние обращения.
desk-history-none = Прежних обращений нет.
desk-history-repeated = Повторное обращение

## поиск
desk-search-title = Поиск по обращениям и заявителям
desk-search-found = { $count ->
    [one] найдено { $count }
    [few] найдено { $count }
   *[many] найдено { $count }
}
desk-search-many = показаны первые { $count }
desk-search-hint = Введите ФИО, ИИН, телефон, номер или слова из текста.
desk-search-nothing = Ничего не найдено.

## контроль
desk-control-title = На контроле: { $count }, просрочено: { $overdue }
desk-control-empty = Обращений на контроле нет.
desk-col-number = Номер
desk-col-deadline = Срок
desk-col-left = Осталось
desk-col-responsible = Ответственный
desk-col-citizen = Заявитель
desk-detail-title = Обращение { $number }
desk-received = Поступило
desk-citizen = Заявитель
desk-recorded-by = Записал
desk-history-changes = История: кто что изменил
desk-h-recorded = зарегистрировано
desk-h-outcome = итог: { $outcome }
desk-h-control = взято на контроль: { $responsible }, до { $deadline }
desk-h-control-off = снято с контроля
desk-h-extended = срок продлён до { $deadline }: { $reason }
desk-h-note = заметка: { $note }
desk-dlg-note = Заметка о ходе работы
desk-dlg-outcome = Изменить итог
desk-dlg-outcome-now = сейчас: { $outcome }
desk-dlg-extend = Продлить срок
desk-dlg-control = Взять на контроль
desk-dlg-release = Снять с контроля
desk-dlg-release-ask = Нажмите Enter, чтобы снять обращение с контроля.
desk-dlg-hint = Enter сохранить · Tab следующее поле · Esc отмена
desk-note-added = Заметка добавлена.
desk-outcome-changed = Итог изменён.
desk-deadline-extended = Срок продлён.
desk-control-set = Обращение взято на контроль.
desk-control-lifted = Обращение снято с контроля.

## приёмы
desk-sessions-title = Выездные приёмы и приёмы на предприятиях
desk-sessions-recent = Последние приёмы
desk-session-none = Открытого приёма нет. Нажмите O, чтобы открыть.
desk-session-now = Открыт: { $kind }, { $place } ({ $count ->
    [one] { $count } обращение
    [few] { $count } обращения
   *[many] { $count } обращений
})
desk-session-close-hint = Обращения, записанные сейчас, относятся к этому приёму. C — закрыть.
desk-session-new = Открыть приём
desk-session-mobile = выездной приём
desk-session-on_site = приём на предприятии
desk-session-open-mark = ПРИЁМ
desk-session-closed-mark = закрыт
desk-session-opened = Приём открыт.
desk-session-closed = Приём закрыт.
desk-appeals-count = { $count ->
    [one] { $count } обращение
    [few] { $count } обращения
   *[many] { $count } обращений
}

## reprinting a receipt from the appeal's card
desk-print-none = Принтер не настроен (нет [printer]): перепечатать нельзя.
desk-reprint-sent = Талон отправлен на принтер…
desk-reprinted = Талон перепечатан.
desk-reprint-failed = Талон не напечатан: { $reason }. Устраните причину и нажмите P ещё раз.
desk-ticket-reprint-sent = Талон очереди отправлен на принтер…
desk-ticket-reprinted = Талон очереди перепечатан.
desk-ticket-reprint-failed = Талон очереди не напечатан: { $reason }. Устраните причину и нажмите P ещё раз.

## the look-up for a citizen on the phone (F9)
desk-lookup-title = Что с обращением? (по телефону)
desk-lookup-help = Спросите у гражданина номер обращения и 4 последние цифры телефона или ИИН.
desk-lookup-number = Номер обращения
desk-lookup-second = 4 последние цифры телефона или ИИН
desk-lookup-number-missing = Введите номер обращения.
desk-keys-lookup = Tab Поле   Enter Найти   Esc Назад
## Pause (assets/locales/ru/pause.ftl has the reasons)
desk-pause-title = Пауза окна: причина?
desk-pause-hint = ↑↓ или 1–4 выбор   Enter пауза   Esc отмена
desk-paused-now = Пауза: { $reason }, с { $time } ({ $minutes } мин). P — вернуться.
desk-paused-done = Окно на паузе: никого не вызывают, пока вы не вернётесь (P).
desk-resumed = Окно снова работает: N вызывает следующий талон.
desk-err-paused = Окно на паузе ({ $reason }): нажмите P, чтобы вернуться, и вызывайте.
desk-err-already-paused = Окно уже на паузе ({ $reason }).
desk-err-not-paused = Окно не на паузе.
desk-state-closed = не обслужен: приём закрыт

## a citizen's own data (issue 21)
desk-dlg-erase = Удалить персональные данные заявителя
desk-dlg-erase-warn = Из всех обращений этого заявителя удаляются ФИО, ИИН, телефон, населённый пункт и место работы. Обращения остаются во всех показателях. Отменить нельзя.
desk-f-request = Его заявление
desk-f-erase-texts = И тексты
desk-yes = да
desk-no = нет
desk-citizen-erased = Персональные данные заявителя удалены.
desk-erase-not-allowed = Персональные данные удаляют только руководитель или администратор.
desk-erase-request-needed = Укажите заявление гражданина: номер и дату или как он обратился.
desk-erase-nothing = Удалять нечего: данные этого заявителя уже удалены.
desk-keys-detail-supervisor = N Заметка  O Итог  E Продлить  C Контроль  D Удалить  P Печать  ↑↓  Esc Назад
