## Зал: кідірістегі терезелер, шектен асқан күту, жұмыс уақыты.

# терезе неге кідірісте
pause-reason-break = үзіліс
pause-reason-paperwork = құжаттармен жұмыс
pause-reason-phone = азаматпен телефон арқылы сөйлесу
pause-reason-technical = техникалық ақау

desk-pause-title = Терезе кідірісі: себебі?
desk-pause-hint = ↑↓ немесе 1–4 таңдау   Enter кідірту   Esc болдырмау
desk-paused-now = Кідіріс: { $reason }, { $time } бастап ({ $minutes } мин). Оралу: P.
desk-paused-done = Терезе кідірісте: сіз оралғанша (P) ешкім шақырылмайды.
desk-resumed = Терезе қайта жұмыста: N келесі талонды шақырады.
desk-err-paused = Терезе кідірісте ({ $reason }): алдымен P басып оралыңыз, сосын шақырыңыз.
desk-err-already-paused = Терезе қазірдің өзінде кідірісте ({ $reason }).
desk-err-not-paused = Терезе кідірісте емес.

# зал және басшы
board-not-serving = қабылдамайды
board-desk-paused = { $desk }-терезе кідірісте { $minutes } мин: { $reason }
