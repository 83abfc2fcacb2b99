app-name = qabyldau
minutes = { $count ->
    [one] { $count } минута
    [few] { $count } минуты
   *[many] { $count } минут
}
people = { $count ->
    [one] { $count } человек
    [few] { $count } человека
   *[many] { $count } человек
}
window-too-small = Пожалуйста, увеличьте окно
error-disk-full = Диск заполнен. Ничего не записано. Пожалуйста, сообщите сотрудникам.
error-busy = Система занята. Попробуйте ещё раз.
error-internal = Произошла ошибка. Ничего не записано. Пожалуйста, сообщите сотрудникам.
channel-walk_in = Личный приём
channel-on_site = На предприятии
channel-mobile = Выездной приём
channel-phone = Телефон / колл-центр
channel-email = Электронная почта
channel-messenger = Мессенджер
kind-complaint = Жалоба
kind-request = Заявление
kind-proposal = Предложение
kind-consultation = Консультация
kind-gratitude = Благодарность
outcome-registered = Зарегистрировано
outcome-under_consideration = На рассмотрении
outcome-resolved_positive = Решено положительно
outcome-consulted = Дано разъяснение
outcome-redirected = Направлено в госорган
outcome-declined = Отказано
outcome-withdrawn = Отозвано
priority-ordinary = Обычная очередь
priority-disability = Инвалидность
priority-veteran = Ветеран
priority-pregnancy = Беременность
priority-elderly = Пожилой возраст
