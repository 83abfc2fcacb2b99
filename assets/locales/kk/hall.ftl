## Зал: кідірістегі терезелер, шектен асқан күту, жұмыс уақыты.

# терезе неге кідірісте
pause-reason-break = үзіліс
pause-reason-paperwork = құжаттармен жұмыс
pause-reason-phone = азаматпен телефон арқылы сөйлесу
pause-reason-technical = техникалық ақау


# зал және басшы
board-not-serving = қабылдамайды
board-desk-paused = { $desk }-терезе кідірісте { $minutes } мин: { $reason }

# есеп
report-tickets-closed = Қызмет көрсетілмеді: қабылдау жабылды
report-tickets-over-limit = { $minutes } минуттан артық күткендер
report-section-pauses = Терезелер кідірісі
report-paused-total = Кідірісте, мин
report-paused-desk = { $desk }-терезе, мин
board-over-limit = { $limit } минуттан артық: { $count } — { $tickets }
board-hours-today = Қабылдау { $hours }
board-closed-today = Бүгін қабылдау жоқ
board-closed-today-opens = Бүгін қабылдау жоқ, { $date } сағат { $time } ашылады
