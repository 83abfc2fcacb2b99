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
