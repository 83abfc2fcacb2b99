## Терезе неге кідірісте: әр себепке бір сөз — терезеде, таблода және есептерде.

pause-reason-break = үзіліс
pause-reason-paperwork = құжаттармен жұмыс
pause-reason-phone = азаматпен телефон арқылы сөйлесу
pause-reason-technical = техникалық ақау
