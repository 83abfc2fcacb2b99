## Почему окно на паузе: одно слово для каждой причины — в окне, на табло и в отчётах.

pause-reason-break = перерыв
pause-reason-paperwork = работа с документами
pause-reason-phone = разговор с гражданином по телефону
pause-reason-technical = технические неполадки
