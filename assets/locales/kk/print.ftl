# Қағазға басылатын мәтін (кезек талоны және өтініш талоны).
print-ticket-title = Кезектегі нөміріңіз
print-accepted-kiosk = өзіне-өзі қызмет көрсету киоскісі
print-receipt-title = Өтініштің қабылданғаны туралы талон
print-receipt-received = Қабылданды: { $when }
print-receipt-topic = Тақырып: { $topic }
print-receipt-accepted-by = Қабылдаған: { $who }
print-receipt-due = Жауап мерзімі: { $date }
print-receipt-lookup = Өтінішіңіздің жайын білу үшін: киоскіде «Өтінішім не болды?» тармағын таңдап, осы нөмірді және телефоныңыздың соңғы 4 цифрын (немесе ЖСН) енгізіңіз.
print-receipt-lookup-state-only = Өтініштің күйін білу үшін: киоскіде «Өтінішім не болды?» тармағын таңдап, осы нөмірді енгізіңіз.
print-failure-paper-out = қағаз таусылды
print-failure-cover-open = қақпағы ашық
print-failure-offline = принтер желіде емес
print-failure-no-device = принтер қосылмаған
print-failure-timeout = принтер жауап бермейді
print-failure-failed = принтер қатесі
