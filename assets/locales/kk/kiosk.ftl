# Self-service kiosk (qabyldau kiosk), Kazakh.

kiosk-welcome = Қош келдіңіз!
kiosk-choose-language = Тілді таңдаңыз

kiosk-menu-title = Не істегіңіз келеді?
kiosk-menu-ticket = Кезекке талон алу
kiosk-menu-appeal = Жазбаша өтініш немесе ұсыныс қалдыру
kiosk-menu-ticket-proposal = Ұсынысты ауызша айту үшін талон алу
kiosk-menu-proposal = Бағдарламаға жазбаша ұсыныс қалдыру
kiosk-campaign-notice = Сайлау науқаны кезінде тек партия бағдарламасына ұсыныстар қабылданады.

kiosk-topic-title-ticket = Мәселеңіздің тақырыбын таңдаңыз
kiosk-topic-title-appeal = Өтінішіңіздің тақырыбын таңдаңыз

kiosk-priority-title = Кезектен тыс қабылдану құқығыңыз бар ма?
kiosk-priority-note = Кезектен тыс қабылдау үшін қызметкер құжат сұрауы мүмкін.
kiosk-priority-ordinary = Жоқ, жалпы кезекпен
kiosk-priority-disability = Мүгедектігі бар адам
kiosk-priority-veteran = Ардагер
kiosk-priority-pregnancy = Жүкті әйел
kiosk-priority-elderly = Егде жастағы адам

kiosk-taking = Талоныңыз дайындалуда
kiosk-saving = Өтінішіңіз сақталуда
kiosk-please-wait = Күте тұрыңыз...

kiosk-ticket-title = Сіздің талоныңыз: { $number }
kiosk-ticket-topic = Тақырып: { $topic }
kiosk-ticket-priority = Кезектен тыс: { $priority }
kiosk-ticket-first = Сіздің алдыңызда ешкім жоқ.
kiosk-ticket-ahead = Алдыңызда: { $count } адам
kiosk-ticket-wait = Шамамен күту уақыты: { $minutes } минут
kiosk-ticket-watch-board = Нөміріңіз таблода шыққанда, көрсетілген терезеге келіңіз.
kiosk-done = Дайын
kiosk-closes-in = Экран { $seconds } секундтан кейін жабылады
kiosk-idle-warning = Экран { $seconds } секундтан кейін тазартылады. Енгізгеніңізді сақтау үшін экранды түртіңіз немесе кез келген пернені басыңыз.

kiosk-consent-title = Дербес деректерді өңдеуге келісім
kiosk-consent-text = Сізге жауап беру үшін атыңыз, телефоныңыз, елді мекеніңіз бен жұмыс орныңыз сақталады. Олар тек өтінішіңізді қарау үшін пайдаланылады.
kiosk-consent-anonymous-note = Келіспесеңіз, өтініш жасырын қабылданады: ешқандай дербес дерек сақталмайды, бірақ мемлекеттік органдар жасырын өтініштерді қарамайды.
kiosk-consent-yes = Келісемін
kiosk-consent-no = Келіспеймін, жасырын қалдырамын

kiosk-field-name = Тегіңіз, атыңыз, әкеңіздің аты
kiosk-field-phone = Телефон нөміріңіз
kiosk-field-settlement = Елді мекен
kiosk-field-workplace = Жұмыс орны
kiosk-field-text = Өтінішіңіздің мәтіні
kiosk-field-name-help = Жеке куәліктегідей жазыңыз.
kiosk-field-phone-help = Мысалы: 8 701 123 45 67.
kiosk-field-settlement-help = Қала, ауыл немесе кент.
kiosk-field-workplace-help = Кәсіпорын немесе мекеме.
kiosk-field-text-help = Мәселені немесе ұсынысты жазыңыз.
kiosk-field-required = Міндетті өріс.
kiosk-field-optional = Бос қалдыруға болады.
kiosk-field-count = { $count } / { $max } таңба
kiosk-back = < Артқа
kiosk-next = Әрі қарай >

kiosk-hint-choices = Нөмірді басыңыз немесе экранды түртіңіз | Esc - артқа
kiosk-hint-digit-waits = { $typed }… { $more } үшін қазір екінші цифрды басыңыз немесе сәл күтіңіз
kiosk-hint-field = Enter - әрі қарай | Esc - артқа
kiosk-hint-text = Tab - әрі қарай | Enter - жаңа жол | Esc - артқа

kiosk-review-title = Өтінішіңізді тексеріңіз
kiosk-review-topic = Тақырып
kiosk-review-name = Аты-жөні
kiosk-review-phone = Телефон
kiosk-review-settlement = Елді мекен
kiosk-review-workplace = Жұмыс орны
kiosk-review-text = Мәтін
kiosk-review-more = Мәтіннің жалғасы бар: бәрін оқу үшін ↓ басыңыз немесе ▼ түртіңіз
kiosk-review-end = Мәтіннің соңы (жоғары қайту үшін ↑ немесе ▲)
kiosk-review-anonymous = Жасырын өтініш: дербес деректер сақталмайды.
kiosk-review-not-given = көрсетілмеген
kiosk-review-send = Жіберу
kiosk-review-edit = Өзгерту
kiosk-review-cancel = Бас тарту

kiosk-receipt-title = Өтінішіңіз тіркелді
kiosk-receipt-number = Нөмірі: { $number }
kiosk-receipt-keep = Нөмірді сақтаңыз: осы киоскіде «Өтінішім не болды?» және телефоныңыздың соңғы 4 цифры өтініштің жайын көрсетеді.
kiosk-receipt-contact = Қызметкерлер сізбен хабарласады.
kiosk-receipt-anonymous = Жасырын өтінішке жеке жауап берілмейді.

kiosk-error-required = Бұл өрісті толтырыңыз.
kiosk-error-too-long = Мәтін тым ұзын: ең көбі { $max } таңба болуы керек, мұнда { $len }.
kiosk-error-phone-chars = Телефон нөмірінде тек сандар, бос орын, сызықша және жақша болады.
kiosk-error-phone-short = Нөмір толық емес: { $count } сан терілді, +7 немесе 8-ден кейін 10 сан болуы керек.
kiosk-error-phone-long = Нөмірде сан артық: { $count } сан терілді, +7 немесе 8-ден кейін 10 сан болуы керек.
kiosk-error-phone-country = Бұл Қазақстан нөмірі емес.
kiosk-error-campaign = Сайлау науқаны кезінде тек бағдарламаға ұсыныстар қабылданады.

kiosk-exit-title = Қызметкерлерге
kiosk-exit-prompt = Киосктен шығу үшін PIN-кодты енгізіңіз:
kiosk-exit-hint = Enter - шығу | Esc - болдырмау
kiosk-exit-hint-close = Esc - жабу
kiosk-exit-wrong-pin = PIN-код қате. Қалған әрекет саны: { $left }.
kiosk-exit-locked = Қате әрекет тым көп. 5 минуттан кейін қайталаңыз.
kiosk-exit-no-pin = Шығу PIN-коды орнатылмаған, сондықтан киосктен пернетақтамен шығу мүмкін емес. Әкімші оны «qabyldau kiosk set-exit-pin» командасымен орнатады.

kiosk-receipt-full-number = Толық нөмірі: { $number }
kiosk-receipt-keep-state-only = Нөмірді сақтаңыз: осы киоскіде «Өтінішім не болды?» оның күйін көрсетеді.
kiosk-paper-printing = Басып шығарылуда…
kiosk-paper-take-ticket = Талоныңызды принтерден алыңыз.
kiosk-paper-take-receipt = Өтініш талонын принтерден алыңыз.
kiosk-paper-failed = Принтер баса алмады ({ $reason }). Нөмірді жазып алыңыз немесе экранды суретке түсіріңіз.

## what became of my appeal?
kiosk-menu-lookup = Өтінішім не болды?
kiosk-lookup-title = Өтінішім не болды?
kiosk-lookup-number = Өтініштің нөмірі
kiosk-lookup-number-help = Талондағы нөмірді енгізіңіз, мысалы 2026-00042.
kiosk-lookup-digits = Телефонның соңғы 4 цифры немесе ЖСН
kiosk-lookup-digits-help = { $number } өтініші үшін: өтініште көрсетілген телефонның соңғы 4 цифрын немесе ЖСН-ді (12 цифр) енгізіңіз. Жасырын өтініш үшін бос қалдырыңыз.
lookup-number = Өтініш: { $number }
lookup-state = Күйі: { $state }
lookup-state-only = Өтініш жасырын: тек оның күйі көрсетіледі.
lookup-received = Қабылданды: { $date }
lookup-due = Жауап мерзімі: { $date } дейін
lookup-closed = Жабылды: { $date }
lookup-responsible = Жауапты: { $who }
lookup-redirected-to = Жолданды: { $body }
lookup-answer = Жауап ({ $date }): { $text }
lookup-no-answer-yet = Жауап әзірге жоқ.
lookup-not-found = Табылмады. Нөмірді және телефонның соңғы 4 цифрын (немесе ЖСН) тексеріңіз.
lookup-paused = Тым көп қате әрекет. Іздеу { $minutes } минутқа тоқтатылды ({ $until } дейін).
## Жұмыс уақыты
kiosk-no-tickets-closed = Қазір талон берілмейді: қабылдау жабық немесе жақында жабылады.
kiosk-no-tickets-limit = Бұл тақырып бойынша бүгінгі талондар бітті.
kiosk-come-back = { $date } күні сағат { $time } бастап келіңіз.
kiosk-appeals-still-taken = Жазбаша өтініш немесе ұсынысты қазір де мәзір арқылы қалдыруға болады.
