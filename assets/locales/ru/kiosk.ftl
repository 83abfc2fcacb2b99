# Self-service kiosk (qabyldau kiosk), Russian.

kiosk-welcome = Добро пожаловать!
kiosk-choose-language = Выберите язык

kiosk-menu-title = Что вы хотите сделать?
kiosk-menu-ticket = Взять талон в очередь
kiosk-menu-appeal = Оставить письменное обращение или предложение
kiosk-menu-ticket-proposal = Взять талон, чтобы высказать предложение лично
kiosk-menu-proposal = Оставить письменное предложение в программу
kiosk-campaign-notice = Во время избирательной кампании принимаются только предложения в программу партии.

kiosk-topic-title-ticket = Выберите тему вопроса
kiosk-topic-title-appeal = Выберите тему обращения

kiosk-priority-title = Есть ли у вас право на приём вне очереди?
kiosk-priority-note = Для приёма вне очереди сотрудник может попросить документ.
kiosk-priority-ordinary = Нет, в общую очередь
kiosk-priority-disability = Человек с инвалидностью
kiosk-priority-veteran = Ветеран
kiosk-priority-pregnancy = Беременная женщина
kiosk-priority-elderly = Пожилой человек

kiosk-taking = Ваш талон оформляется
kiosk-saving = Ваше обращение сохраняется
kiosk-please-wait = Подождите, пожалуйста...

kiosk-ticket-title = Ваш талон: { $number }
kiosk-ticket-topic = Тема: { $topic }
kiosk-ticket-priority = Вне очереди: { $priority }
kiosk-ticket-first = Перед вами никого нет.
kiosk-ticket-ahead = Перед вами: { $count ->
    [one] { $count } человек
    [few] { $count } человека
   *[many] { $count } человек
}
kiosk-ticket-wait = Примерное ожидание: { $minutes ->
    [one] { $minutes } минута
    [few] { $minutes } минуты
   *[many] { $minutes } минут
}
kiosk-ticket-watch-board = Когда ваш номер появится на табло, подойдите к указанному окну.
kiosk-done = Готово
kiosk-closes-in = Экран закроется через { $seconds ->
    [one] { $seconds } секунду
    [few] { $seconds } секунды
   *[many] { $seconds } секунд
}
kiosk-idle-warning = Экран очистится через { $seconds } с. Коснитесь экрана или нажмите клавишу, чтобы сохранить введённое.

kiosk-consent-title = Согласие на обработку персональных данных
kiosk-consent-text = Чтобы вам ответить, мы сохраним ваши имя, телефон, населённый пункт и место работы. Они используются только для рассмотрения обращения.
kiosk-consent-anonymous-note = Без согласия обращение примут анонимно: никакие персональные данные не сохраняются, но государственные органы анонимные обращения не рассматривают.
kiosk-consent-yes = Согласен (согласна)
kiosk-consent-no = Не согласен (не согласна), оставлю анонимно

kiosk-field-name = Фамилия, имя, отчество
kiosk-field-phone = Номер телефона
kiosk-field-settlement = Населённый пункт
kiosk-field-workplace = Место работы
kiosk-field-text = Текст обращения
kiosk-field-name-help = Как в удостоверении личности.
kiosk-field-phone-help = Например: 8 701 123 45 67.
kiosk-field-settlement-help = Город, село или посёлок.
kiosk-field-workplace-help = Предприятие или организация.
kiosk-field-text-help = Опишите вопрос или предложение.
kiosk-field-required = Обязательное поле.
kiosk-field-optional = Можно оставить пустым.
kiosk-field-count = { $count } из { $max ->
    [one] { $max } знака
   *[other] { $max } знаков
}
kiosk-back = < Назад
kiosk-next = Далее >

kiosk-hint-choices = Нажмите номер или коснитесь экрана | Esc - назад
kiosk-hint-digit-waits = { $typed }… для { $more } сразу нажмите вторую цифру или подождите
kiosk-hint-field = Enter - далее | Esc - назад
kiosk-hint-text = Tab - далее | Enter - новая строка | Esc - назад

kiosk-review-title = Проверьте обращение
kiosk-review-topic = Тема
kiosk-review-name = ФИО
kiosk-review-phone = Телефон
kiosk-review-settlement = Населённый пункт
kiosk-review-workplace = Место работы
kiosk-review-text = Текст
kiosk-review-more = Текст не закончен: нажмите ↓ или коснитесь ▼, чтобы прочитать всё
kiosk-review-end = Конец текста (↑ или ▲, чтобы вернуться наверх)
kiosk-review-anonymous = Анонимное обращение: персональные данные не сохраняются.
kiosk-review-not-given = не указано
kiosk-review-send = Отправить
kiosk-review-edit = Изменить
kiosk-review-cancel = Отменить

kiosk-receipt-title = Ваше обращение зарегистрировано
kiosk-receipt-number = Номер: { $number }
kiosk-receipt-keep = Сохраните номер: в этом киоске «Что с моим обращением?» и 4 последние цифры телефона покажут, как идёт дело.
kiosk-receipt-contact = Сотрудники свяжутся с вами.
kiosk-receipt-anonymous = На анонимное обращение личный ответ не даётся.

kiosk-error-required = Заполните это поле.
kiosk-error-too-long = Слишком длинный текст: можно не больше { $max ->
    [one] { $max } знака
   *[other] { $max } знаков
}, а здесь { $len }.
kiosk-error-phone-chars = В номере телефона допустимы только цифры, пробелы, дефисы и скобки.
kiosk-error-phone-short = Номер неполный: набрано цифр: { $count }, после +7 или 8 должно быть 10.
kiosk-error-phone-long = В номере лишние цифры: набрано { $count }, после +7 или 8 должно быть 10.
kiosk-error-phone-country = Это не казахстанский номер.
kiosk-error-campaign = Во время избирательной кампании принимаются только предложения в программу.

kiosk-exit-title = Для сотрудников
kiosk-exit-prompt = Введите PIN-код для выхода из киоска:
kiosk-exit-hint = Enter - выйти | Esc - отмена
kiosk-exit-hint-close = Esc - закрыть
kiosk-exit-wrong-pin = Неверный PIN-код. Осталось попыток: { $left }.
kiosk-exit-locked = Слишком много неверных попыток. Повторите через 5 минут.
kiosk-exit-no-pin = PIN-код выхода не задан, поэтому выйти из киоска с клавиатуры нельзя. Администратор задаёт его командой «qabyldau kiosk set-exit-pin».

kiosk-receipt-full-number = Полный номер: { $number }
kiosk-receipt-keep-state-only = Сохраните номер: в этом киоске «Что с моим обращением?» покажет его состояние.
kiosk-paper-printing = Печатаем…
kiosk-paper-take-ticket = Возьмите талон из принтера.
kiosk-paper-take-receipt = Возьмите талон о приёме из принтера.
kiosk-paper-failed = Принтер не смог напечатать ({ $reason }). Запишите номер или сфотографируйте экран.

## what became of my appeal?
kiosk-menu-lookup = Что с моим обращением?
kiosk-lookup-title = Что с моим обращением?
kiosk-lookup-number = Номер обращения
kiosk-lookup-number-help = Введите номер с талона, например 2026-00042.
kiosk-lookup-digits = 4 последние цифры телефона или ИИН
kiosk-lookup-digits-help = Для обращения { $number }: введите 4 последние цифры телефона, указанного в обращении, или ИИН (12 цифр). Для анонимного обращения оставьте пустым.
lookup-number = Обращение: { $number }
lookup-state = Состояние: { $state }
lookup-state-only = Обращение анонимное: показывается только его состояние.
lookup-received = Принято: { $date }
lookup-due = Срок ответа: до { $date }
lookup-closed = Закрыто: { $date }
lookup-responsible = Ответственный: { $who }
lookup-redirected-to = Направлено в: { $body }
lookup-answer = Ответ ({ $date }): { $text }
lookup-no-answer-yet = Ответа пока нет.
lookup-not-found = Не найдено. Проверьте номер и 4 последние цифры телефона (или ИИН).
lookup-paused = Слишком много неверных попыток. Поиск приостановлен на { $minutes } мин (до { $until }).
## Часы работы
kiosk-no-tickets-closed = Талоны сейчас не выдаются: приём закрыт или скоро закроется.
kiosk-no-tickets-limit = Талоны на эту тему на сегодня закончились.
kiosk-come-back = Приходите, пожалуйста, { $date } с { $time }.
kiosk-appeals-still-taken = Письменное обращение или предложение можно оставить и сейчас — через меню.
